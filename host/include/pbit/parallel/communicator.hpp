#pragma once
// Work divided among processes (MPI ranks) with results that do not depend on
// how many there are. The library sees only this interface: a serial
// implementation (one process, no communication) and, when built with
// -DPBIT_MPI=ON, one over MPI (parallel/session.hpp).
//
// Rules every caller follows, so that K processes give one process's bits:
// - every process runs the same sequence of calls (collectives line up);
// - work is divided into contiguous shares in rank order (share());
// - anything summed across processes is either an integer (exact in any
//   order) or assembled whole on every process and then summed in the serial
//   order (gather_owned / gather_groups), never a floating-point all-reduce.
#include <pbit/error.hpp>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <type_traits>
#include <vector>

namespace pbit::parallel {

struct Range {
  int first = 0, count = 0;
  int end() const { return first + count; }
  bool contains(int i) const { return i >= first && i < first + count; }
};

// Process `rank`'s share of `items` items among `size` processes: contiguous,
// in rank order, whole units of `unit` items (the last unit may be short),
// units spread as evenly as possible (earlier ranks get no fewer than later
// ones). A share may be empty when there are fewer units than processes.
Range share(int items, int rank, int size, int unit = 1);
// The process whose share holds item i (0 <= i < items).
int owner(int item, int items, int size, int unit = 1);

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Collective: element-wise sum over the processes, on every process. v has
  // the same length everywhere. Integers: exact, so the order does not matter.
  virtual void sum(std::vector<std::int64_t>& v) const = 0;
  virtual void sum(std::vector<std::int32_t>& v) const = 0;
  // Collective: the largest of every process's v, on every process.
  virtual int max(int v) const = 0;
  // Collective: every process's bytes (any length, 0 allowed), concatenated
  // in rank order, on every process.
  virtual std::vector<std::uint8_t> all_gather(const std::vector<std::uint8_t>& mine) const = 0;
  // Collective: root's bytes on every process (resized).
  virtual void broadcast(std::vector<std::uint8_t>& bytes, int root) const = 0;
  // Ends every process of the run with this exit status (after an error on
  // one process, which the others would otherwise wait for forever).
  [[noreturn]] virtual void abort(int status) const = 0;

  Range share(int items, int unit = 1) const {
    return parallel::share(items, rank(), size(), unit);
  }
};

// One process: rank 0 of 1, every collective a copy. abort() exits.
class SerialCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void sum(std::vector<std::int64_t>&) const override {}
  void sum(std::vector<std::int32_t>&) const override {}
  int max(int v) const override { return v; }
  std::vector<std::uint8_t> all_gather(const std::vector<std::uint8_t>& mine) const override {
    return mine;
  }
  void broadcast(std::vector<std::uint8_t>&, int) const override {}
  [[noreturn]] void abort(int status) const override;
};

// The serial communicator (stateless; shared).
const Communicator& serial();

// ---- Helpers on top of the collectives ----

template <class T>
void append_bytes(std::vector<std::uint8_t>& out, const T* data, std::size_t count) {
  static_assert(std::is_trivially_copyable<T>::value, "raw bytes only");
  const std::size_t at = out.size();
  out.resize(at + count * sizeof(T));
  if (count) std::memcpy(out.data() + at, data, count * sizeof(T));
}

// v[i] was computed by process owner(i) (a function every process evaluates
// alike; the other processes' v[i] are ignored): afterwards every process
// holds every v[i], bit for bit. v has the same length everywhere.
template <class T, class Owner>
void gather_owned(const Communicator& comm, std::vector<T>& v, Owner&& owner_of) {
  if (comm.size() == 1) return;
  std::vector<std::uint8_t> mine;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (owner_of(i) == comm.rank()) append_bytes(mine, &v[i], 1);
  const auto all = comm.all_gather(mine);
  // Every process's entries in index order, processes in rank order.
  std::vector<std::size_t> start(static_cast<std::size_t>(comm.size()) + 1, 0);
  for (std::size_t i = 0; i < v.size(); ++i)
    start[static_cast<std::size_t>(owner_of(i)) + 1] += sizeof(T);
  for (std::size_t r = 1; r < start.size(); ++r) start[r] += start[r - 1];
  if (start.back() != all.size()) throw Error("gather_owned: processes disagree on the sizes");
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto& at = start[static_cast<std::size_t>(owner_of(i))];
    std::memcpy(&v[i], all.data() + at, sizeof(T));
    at += sizeof(T);
  }
}

// For every set of groups: groups[g] (g in [0, groups.size())) was computed
// by the process whose share (share(groups.size())) holds g; afterwards every
// process holds every group of every set, bit for bit (one exchange). Group
// sizes are the same on every process.
template <class T>
void gather_groups(const Communicator& comm,
                   std::initializer_list<std::vector<std::vector<T>>*> sets) {
  if (comm.size() == 1) return;
  std::vector<std::uint8_t> mine;
  for (auto* groups : sets) {
    const Range own = comm.share(static_cast<int>(groups->size()));
    for (int g = own.first; g < own.end(); ++g) {
      const auto& grp = (*groups)[static_cast<std::size_t>(g)];
      append_bytes(mine, grp.data(), grp.size());
    }
  }
  const auto all = comm.all_gather(mine);
  // rank by rank, set by set, the rank's groups in order
  std::size_t at = 0;
  for (int r = 0; r < comm.size(); ++r)
    for (auto* groups : sets) {
      const Range own = parallel::share(static_cast<int>(groups->size()), r, comm.size());
      for (int g = own.first; g < own.end(); ++g) {
        auto& grp = (*groups)[static_cast<std::size_t>(g)];
        const std::size_t bytes = grp.size() * sizeof(T);
        if (at + bytes > all.size()) throw Error("gather_groups: processes disagree on the sizes");
        if (bytes) std::memcpy(grp.data(), all.data() + at, bytes);
        at += bytes;
      }
    }
  if (at != all.size()) throw Error("gather_groups: processes disagree on the sizes");
}

}  // namespace pbit::parallel

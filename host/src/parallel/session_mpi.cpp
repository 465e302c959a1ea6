// Session and communicator over MPI (built with -DPBIT_MPI=ON).
#include <pbit/parallel/session.hpp>

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <string>

namespace pbit::parallel {
namespace {

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  void sum(std::vector<std::int64_t>& v) const override {
    sum_in_pieces(v.data(), v.size(), MPI_INT64_T);
  }
  void sum(std::vector<std::int32_t>& v) const override {
    sum_in_pieces(v.data(), v.size(), MPI_INT32_T);
  }

  int max(int v) const override {
    int out = v;
    MPI_Allreduce(&v, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return out;
  }

  std::vector<std::uint8_t> all_gather(const std::vector<std::uint8_t>& mine) const override {
    const auto k = static_cast<std::size_t>(size_);
    std::uint64_t len = mine.size();
    std::vector<std::uint64_t> lens(k);
    MPI_Allgather(&len, 1, MPI_UINT64_T, lens.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);
    std::vector<int> counts(k), displs(k);
    std::uint64_t total = 0;
    for (std::size_t r = 0; r < k; ++r) {
      if (total + lens[r] > static_cast<std::uint64_t>(INT_MAX))
        throw Error("MPI: an exchange of more than 2 GiB (" + std::to_string(total + lens[r]) +
                    " bytes); use fewer chains or images at once");
      counts[r] = static_cast<int>(lens[r]);
      displs[r] = static_cast<int>(total);
      total += lens[r];
    }
    std::vector<std::uint8_t> all(total);
    MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_BYTE, all.data(), counts.data(),
                   displs.data(), MPI_BYTE, MPI_COMM_WORLD);
    return all;
  }

  void broadcast(std::vector<std::uint8_t>& bytes, int root) const override {
    std::uint64_t len = bytes.size();
    MPI_Bcast(&len, 1, MPI_UINT64_T, root, MPI_COMM_WORLD);
    if (len > static_cast<std::uint64_t>(INT_MAX))
      throw Error("MPI: a broadcast of more than 2 GiB");
    bytes.resize(len);
    MPI_Bcast(bytes.data(), static_cast<int>(len), MPI_BYTE, root, MPI_COMM_WORLD);
  }

  [[noreturn]] void abort(int status) const override {
    MPI_Abort(MPI_COMM_WORLD, status);
    std::exit(status);
  }

 private:
  // In pieces: MPI counts are ints.
  static void sum_in_pieces(void* data, std::size_t count, MPI_Datatype type) {
    int bytes = 0;
    MPI_Type_size(type, &bytes);
    constexpr std::size_t kPiece = std::size_t{1} << 28;
    for (std::size_t at = 0; at < count; at += kPiece) {
      const int n = static_cast<int>(std::min(kPiece, count - at));
      MPI_Allreduce(MPI_IN_PLACE, static_cast<char*>(data) + at * static_cast<std::size_t>(bytes),
                    n, type, MPI_SUM, MPI_COMM_WORLD);
    }
  }

  int rank_ = 0, size_ = 1;
};

}  // namespace

Session::Session(int& argc, char**& argv) {
  if (launched_by_mpi()) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    initialized_ = true;
    world_ = std::make_unique<MpiCommunicator>();
  } else {
    world_ = std::make_unique<SerialCommunicator>();
  }
}

Session::~Session() {
  if (initialized_) MPI_Finalize();
}

bool Session::mpi_available() {
  return true;
}

}  // namespace pbit::parallel

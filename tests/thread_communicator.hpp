#pragma once
// K "processes" as K threads of one test process: a parallel::Communicator
// over shared memory, so the determinism of divided work (DistributedSampler,
// the trainer, classification) is tested in every build, MPI or not.
#include <pbit/parallel/communicator.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace pbit::test {

class ThreadWorld {
 public:
  explicit ThreadWorld(int size) : size_(size), slots_(static_cast<std::size_t>(size)) {}

  // Every rank's bytes, on every rank (a collective: all ranks call it).
  std::vector<std::vector<std::uint8_t>> exchange(int rank, const std::vector<std::uint8_t>& mine) {
    slots_[static_cast<std::size_t>(rank)] =
        mine;  // the previous round's readers are past the second barrier
    barrier();
    auto all = slots_;
    barrier();
    return all;
  }

  // Runs body(communicator) on one thread per rank; rethrows the first failure.
  void run(const std::function<void(const parallel::Communicator&)>& body);

  int size() const { return size_; }

 private:
  void barrier() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (broken_) throw std::runtime_error("another rank failed");
    const long gen = generation_;
    if (++arrived_ == size_) {
      arrived_ = 0;
      ++generation_;
      cv_.notify_all();
      return;
    }
    cv_.wait(lock, [&] { return generation_ != gen || broken_; });
    if (broken_) throw std::runtime_error("another rank failed");
  }

  friend class ThreadCommunicator;
  int size_;
  std::vector<std::vector<std::uint8_t>> slots_;
  std::mutex mutex_;
  std::condition_variable cv_;
  int arrived_ = 0;
  long generation_ = 0;
  bool broken_ = false;
};

class ThreadCommunicator final : public parallel::Communicator {
 public:
  ThreadCommunicator(ThreadWorld& w, int rank) : w_(w), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return w_.size(); }
  void sum(std::vector<std::int64_t>& v) const override { add_up(v); }
  void sum(std::vector<std::int32_t>& v) const override { add_up(v); }
  int max(int v) const override {
    std::vector<std::uint8_t> mine;
    parallel::append_bytes(mine, &v, 1);
    int best = v;
    for (const auto& part : w_.exchange(rank_, mine)) {
      int x;
      std::memcpy(&x, part.data(), sizeof x);
      best = std::max(best, x);
    }
    return best;
  }
  std::vector<std::uint8_t> all_gather(const std::vector<std::uint8_t>& mine) const override {
    std::vector<std::uint8_t> out;
    for (const auto& part : w_.exchange(rank_, mine))
      out.insert(out.end(), part.begin(), part.end());
    return out;
  }
  void broadcast(std::vector<std::uint8_t>& bytes, int root) const override {
    bytes = w_.exchange(
        rank_, rank_ == root ? bytes : std::vector<std::uint8_t>{})[static_cast<std::size_t>(root)];
  }
  [[noreturn]] void abort(int status) const override {
    throw std::runtime_error("abort(" + std::to_string(status) + ")");
  }

 private:
  template <class T>
  void add_up(std::vector<T>& v) const {
    std::vector<std::uint8_t> mine;
    parallel::append_bytes(mine, v.data(), v.size());
    const auto all = w_.exchange(rank_, mine);
    std::fill(v.begin(), v.end(), T{0});
    for (const auto& part : all) {
      if (part.size() != v.size() * sizeof(T)) throw std::runtime_error("sum: sizes differ");
      for (std::size_t i = 0; i < v.size(); ++i) {
        T x;
        std::memcpy(&x, part.data() + i * sizeof x, sizeof x);
        v[i] += x;
      }
    }
  }

  ThreadWorld& w_;
  int rank_;
};

inline void ThreadWorld::run(const std::function<void(const parallel::Communicator&)>& body) {
  std::vector<std::thread> threads;
  std::exception_ptr first;  // the failure that broke the others' waits
  for (int r = 0; r < size_; ++r)
    threads.emplace_back([&, r] {
      try {
        ThreadCommunicator comm(*this, r);
        body(comm);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!first) first = std::current_exception();
        broken_ = true;
        cv_.notify_all();
      }
    });
  for (auto& t : threads) t.join();
  if (first) std::rethrow_exception(first);
}

}  // namespace pbit::test

// Board -> host: response frames. The input is everything a board sends back;
// the host runs a fixed session (INFO, register reads and writes, bursts, a
// run, statistics, states) over it, and the response parser also takes the
// bytes directly. Answers that are damaged, late, short, long or for another
// request must end in a result or a pbit::Error.
#include "fuzz_util.hpp"

#include <pbit/board/link.hpp>
#include <pbit/error.hpp>

#include <algorithm>

namespace {

using namespace pbit::board;

// Serves the input to the host's reads; writes (requests) are swallowed.
// Reads give at most `chunk` bytes at a time, so frames arrive split.
class ReplayChannel final : public ByteChannel {
 public:
  ReplayChannel(const std::uint8_t* data, std::size_t size, std::size_t chunk) : data_(data), size_(size), chunk_(chunk) {}
  void write(const std::uint8_t*, std::size_t) override {}
  std::size_t read(std::uint8_t* p, std::size_t n, Clock::time_point) override {
    const std::size_t k = std::min({n, chunk_, size_ - pos_});
    std::copy(data_ + pos_, data_ + pos_ + k, p);
    pos_ += k;
    return k;  // 0 once the input is spent: a timeout
  }
  void discard_input() override {}
  std::string describe() const override { return "fuzz board"; }

 private:
  const std::uint8_t* data_;
  std::size_t size_, chunk_, pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  {
    ResponseParser parser;
    Response r;
    for (std::size_t i = 2; i < size; ++i)
      if (parser.feed(data[i], r) && r.payload.size() > 0xFFFF) __builtin_trap();
  }
  LinkOptions opt;
  opt.timeout_ms = 1;
  opt.retries = data[0] & 1;
  BoardLink link(std::make_unique<ReplayChannel>(data + 2, size - 2, 1 + data[1] % 64), 1000000, opt);
  // The session a sampler runs, step by step; the first error ends it.
  try {
    const BoardInfo info = link.info();
    if (info.buffer_words < 2 || info.clock_hz == 0) __builtin_trap();  // info() must reject these
    link.write(0x10, 7);
    (void)link.read(0x10);
    link.write_burst(0x100, std::vector<std::uint32_t>(20, 3));
    const auto burst = link.read_burst(0x100, 20);
    if (burst.size() != 20) __builtin_trap();
    (void)link.run(3, 4);
    const auto stats = link.read_stats(0, 8, 3);
    if (stats.size() != 8 * 4) __builtin_trap();
    const auto states = link.read_states(8);
    if (states.size() != 8) __builtin_trap();
  } catch (const pbit::Error&) {
  }
  return 0;
}

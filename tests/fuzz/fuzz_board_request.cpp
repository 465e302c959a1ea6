// Host -> board: request frames. The input chooses the board's INFO answer
// (buffer size, cell count, clock) and a sequence of host calls with their
// addresses, data and lengths; a model of the board's frame checker
// (protocol.hpp) takes every request the host sends. Every frame must be one
// the board accepts: sync, a known command, the right length for it, within
// the advertised buffer, a correct CRC. The model answers as the board would,
// sometimes damaging an answer, so retries send frames again.
#include "fuzz_util.hpp"

#include <pbit/board/link.hpp>
#include <pbit/error.hpp>

#include <deque>

namespace {

using namespace pbit::board;

// Reads the input as a little stream of numbers.
class Input {
 public:
  Input(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= std::uint32_t{byte()} << (8 * i);
    return v;
  }
  std::uint8_t byte() { return pos_ < n_ ? d_[pos_++] : 0; }
  bool done() const { return pos_ >= n_; }

 private:
  const std::uint8_t* d_;
  std::size_t n_, pos_ = 0;
};

class BoardModel final : public ByteChannel {
 public:
  BoardModel(Input& in, std::uint32_t buffer_words, std::uint32_t clock_hz) : in_(in), buffer_(buffer_words), clock_(clock_hz) {}
  void write(const std::uint8_t* p, std::size_t n) override {
    // One complete frame per write: that is how BoardLink sends.
    if (n < kHeaderBytes + kTrailerBytes || p[0] != kRequestSync) __builtin_trap();
    const std::size_t len = std::size_t{p[3]} | (std::size_t{p[4]} << 8);
    if (n != kHeaderBytes + len + kTrailerBytes) __builtin_trap();
    const std::uint16_t crc = crc16(p + 1, n - 1 - kTrailerBytes);
    if (p[n - 2] != (crc >> 8) || p[n - 1] != (crc & 0xFF)) __builtin_trap();
    const std::uint8_t cmd = p[1], seq = p[2];
    if (cmd >= kNumCmds || len % 4 != 0) __builtin_trap();
    const std::uint8_t* w = p + kHeaderBytes;
    auto word = [&](std::size_t i) { return get_word(w + 4 * i); };
    std::size_t answer = 0;  // payload bytes of the OK answer
    switch (cmd) {
      case CMD_INFO:
      case CMD_READ_STATES:
        if (len != 0) __builtin_trap();
        answer = cmd == CMD_INFO ? 4 * kInfoWords : 1;
        break;
      case CMD_READ:
        if (len != 4 || word(0) >> 24) __builtin_trap();
        answer = 4;
        break;
      case CMD_WRITE:
        if (len != 8 || word(0) >> 24) __builtin_trap();
        break;
      case CMD_READ_BURST:
        if (len != 8 || word(0) >> 24 || word(1) < 1 || word(1) > kMaxReadWords) __builtin_trap();
        answer = 4 * word(1);
        break;
      case CMD_WRITE_BURST:
        if (len < 8 || len / 4 - 1 > buffer_ - 1 || word(0) >> 24) __builtin_trap();
        break;
      case CMD_RUN:
        if (len != 4) __builtin_trap();
        answer = 4;
        break;
      case CMD_READ_STATS:
        if (len != 12 || word(1) < 1 || std::uint64_t{word(1)} * (1 + std::uint64_t{word(2)}) > kMaxReadWords) __builtin_trap();
        answer = 4 * word(1) * (1 + word(2));
        break;
      default:
        __builtin_trap();
    }
    ++requests_;
    if (in_.byte() % 8 == 0) return;  // a lost answer: the host times out and retries
    std::vector<std::uint8_t> payload(answer, 0);
    if (cmd == CMD_INFO) {
      const std::uint32_t info[kInfoWords] = {kInfoMagic, kProtocolVersion, clock_, 10, buffer_, 7, 8, 0, 1000};
      payload.clear();
      for (auto x : info) put_word(payload, x);
    }
    std::vector<std::uint8_t> f = {kResponseSync, ST_OK, seq, static_cast<std::uint8_t>(answer), static_cast<std::uint8_t>(answer >> 8)};
    f.insert(f.end(), payload.begin(), payload.end());
    const std::uint16_t rc = crc16(f.data() + 1, f.size() - 1);
    f.push_back(static_cast<std::uint8_t>(rc >> 8));
    f.push_back(static_cast<std::uint8_t>(rc));
    pending_.insert(pending_.end(), f.begin(), f.end());
  }
  std::size_t read(std::uint8_t* p, std::size_t n, Clock::time_point) override {
    std::size_t k = 0;
    while (k < n && !pending_.empty()) {
      p[k++] = pending_.front();
      pending_.pop_front();
    }
    return k;
  }
  void discard_input() override { pending_.clear(); }
  std::string describe() const override { return "board model"; }
  std::size_t requests_ = 0;

 private:
  Input& in_;
  std::uint32_t buffer_, clock_;
  std::deque<std::uint8_t> pending_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  const std::uint32_t buffer = in.u32(), clock = in.u32();
  auto model = std::make_unique<BoardModel>(in, buffer, clock);
  LinkOptions opt;
  opt.timeout_ms = 1;
  opt.retries = 2;
  BoardLink link(std::move(model), 1000000, opt);
  try {
    link.info();
    for (int calls = 0; calls < 16 && !in.done(); ++calls) {
      const std::uint32_t addr = in.u32() & 0xFFFFFF;
      switch (in.byte() % 7) {
        case 0: link.write(addr, in.u32()); break;
        case 1: (void)link.read(addr); break;
        case 2: link.write_burst(addr, std::vector<std::uint32_t>(in.u32() % 5000, in.u32())); break;
        case 3: (void)link.read_burst(addr, in.u32() % 40000); break;
        case 4: (void)link.run(in.u32(), in.byte()); break;
        case 5: (void)link.read_stats(addr % 4096, 1 + in.u32() % 4096, in.byte() % 32); break;
        case 6: (void)link.read_states(1 + in.u32() % 8); break;
      }
    }
  } catch (const pbit::Error&) {
  }
  return 0;
}

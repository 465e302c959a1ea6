// The host side of the frame protocol (link.hpp).
#include <pbit/board/link.hpp>
#include <pbit/error.hpp>

#include <algorithm>
#include <cmath>
#include <thread>

namespace pbit::board {

void put_word(std::vector<std::uint8_t>& out, std::uint32_t w) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(w >> (8 * i)));
}

std::uint32_t get_word(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}

std::vector<std::uint8_t> encode_request(std::uint8_t cmd, std::uint8_t seq,
                                         const std::vector<std::uint8_t>& payload) {
  if (payload.size() > 0xFFFF) throw Error("request payload too long");
  std::vector<std::uint8_t> f;
  f.reserve(payload.size() + kHeaderBytes + kTrailerBytes);
  f.push_back(kRequestSync);
  f.push_back(cmd);
  f.push_back(seq);
  f.push_back(static_cast<std::uint8_t>(payload.size()));
  f.push_back(static_cast<std::uint8_t>(payload.size() >> 8));
  f.insert(f.end(), payload.begin(), payload.end());
  const std::uint16_t crc = crc16(f.data() + 1, f.size() - 1);
  f.push_back(static_cast<std::uint8_t>(crc >> 8));
  f.push_back(static_cast<std::uint8_t>(crc));
  return f;
}

void ResponseParser::reset() {
  buf_.clear();
  need_ = 0;
}

bool ResponseParser::feed(std::uint8_t byte, Response& r) {
  if (buf_.empty()) {
    if (byte != kResponseSync) {
      ++skipped;
      return false;
    }
    buf_.push_back(byte);
    need_ = kHeaderBytes;
    return false;
  }
  buf_.push_back(byte);
  if (buf_.size() == kHeaderBytes)
    need_ = kHeaderBytes + (std::size_t{buf_[3]} | (std::size_t{buf_[4]} << 8)) + kTrailerBytes;
  if (buf_.size() < need_) return false;
  const std::size_t n = buf_.size();
  const std::uint16_t crc = crc16(buf_.data() + 1, n - 1 - kTrailerBytes);
  const std::uint16_t got = static_cast<std::uint16_t>((buf_[n - 2] << 8) | buf_[n - 1]);
  if (crc != got) {
    ++crc_errors;
    // Resynchronize: the frame may have started at a later sync byte.
    std::vector<std::uint8_t> rest(buf_.begin() + 1, buf_.end());
    reset();
    Response dummy;
    bool found = false;
    for (std::uint8_t b : rest)
      if (!found && feed(b, dummy)) {
        r = dummy;
        found = true;
      }
    return found;
  }
  r.status = buf_[1];
  r.seq = buf_[2];
  r.payload.assign(buf_.begin() + kHeaderBytes, buf_.end() - kTrailerBytes);
  reset();
  return true;
}

BoardLink::BoardLink(std::unique_ptr<ByteChannel> channel, int baud, const LinkOptions& options)
    : channel_(std::move(channel)), baud_(baud), opt_(options) {
  if (opt_.timeout_ms < 1) throw Error("link timeout must be >= 1 ms");
  if (opt_.retries < 0) throw Error("link retries must be >= 0");
}

Response BoardLink::transact(std::uint8_t cmd, const std::vector<std::uint8_t>& payload,
                             std::size_t expect_len, double extra_seconds) {
  ++seq_;
  const auto frame = encode_request(cmd, seq_, payload);
  ++counters_.requests;
  // Time on the wire both ways (10 bits a byte), twice for slack, plus the base timeout.
  const double wire = 2.0 * 10.0 * static_cast<double>(frame.size() + expect_len + kHeaderBytes + kTrailerBytes) /
                      static_cast<double>(baud_);
  // Capped (a week): a board reporting a clock of 1 Hz must not overflow the clock's range.
  const double seconds = std::min(opt_.timeout_ms * 1e-3 + wire + extra_seconds, 7 * 86400.0);
  const auto budget = std::chrono::duration_cast<ByteChannel::Clock::duration>(std::chrono::duration<double>(seconds));
  std::string last_problem;
  for (int attempt = 0; attempt <= opt_.retries; ++attempt) {
    if (attempt > 0) {
      ++counters_.retries;
      // Let a late or damaged answer drain before trying again.
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(opt_.timeout_ms, 50)));
      channel_->discard_input();
    }
    parser_.reset();
    const std::uint64_t crc_before = parser_.crc_errors;
    channel_->write(frame.data(), frame.size());
    counters_.bytes_out += frame.size();
    const auto deadline = ByteChannel::Clock::now() + budget;
    bool retry = false;
    std::uint8_t buf[512];
    while (!retry) {
      const std::size_t got = channel_->read(buf, sizeof buf, deadline);
      if (got == 0) {
        ++counters_.timeouts;
        last_problem = parser_.crc_errors > crc_before ? "a damaged response (CRC mismatch)" : "no response";
        retry = true;
        break;
      }
      counters_.bytes_in += got;
      for (std::size_t i = 0; i < got; ++i) {
        Response r;
        if (!parser_.feed(buf[i], r)) continue;
        if (r.seq != seq_) continue;  // a late answer to an earlier attempt or request
        if (r.status == ST_OK) return r;
        ++counters_.error_status;
        // Damaged on the way in, so not executed: safe to send again. BAD_LEN
        // counts as damage too: the board checks LEN before the CRC, and this
        // host only sends well-formed lengths.
        if (r.status == ST_BAD_CRC || r.status == ST_TIMEOUT || r.status == ST_FRAMING || r.status == ST_BAD_LEN) {
          last_problem = std::string("the board reported ") + status_name(r.status);
          retry = true;
          break;
        }
        throw Error(std::string("board: ") + cmd_name(cmd) + " request rejected with status " +
                    status_name(r.status) + " (" + std::to_string(r.status) + ") by " + channel_->describe());
      }
    }
    counters_.crc_errors = parser_.crc_errors;
  }
  throw Error("board: no valid answer to " + std::string(cmd_name(cmd)) + " from " + channel_->describe() +
              " after " + std::to_string(opt_.retries + 1) + " attempts (last: " + last_problem +
              "; timeout " + std::to_string(opt_.timeout_ms) +
              " ms): is the board connected, programmed with the p-bit design, and at this baud rate?");
}

BoardInfo BoardLink::info() {
  const Response r = transact(CMD_INFO, {}, 4 * kInfoWords);
  if (r.payload.size() != 4 * kInfoWords)
    throw Error("board: INFO answer of " + std::to_string(r.payload.size()) + " bytes, expected " +
                std::to_string(4 * kInfoWords) + " (not a p-bit board?)");
  auto w = [&](int i) { return get_word(r.payload.data() + 4 * i); };
  if (w(INFO_MAGIC) != kInfoMagic) throw Error("board: " + channel_->describe() + " is not a p-bit board (bad INFO magic)");
  BoardInfo b;
  b.version = w(INFO_VERSION);
  if (b.version != kProtocolVersion)
    throw Error("board: protocol version " + std::to_string(b.version) + ", this host speaks " +
                std::to_string(kProtocolVersion));
  b.clock_hz = w(INFO_CLOCK_HZ);
  b.clks_per_bit = w(INFO_CLKS_PER_BIT);
  b.buffer_words = w(INFO_BUFFER_WORDS);
  b.flags = w(INFO_FLAGS);
  b.num_cells = w(INFO_NUM_CELLS);
  b.errors = w(INFO_ERRORS);
  b.timeout_clks = w(INFO_TIMEOUT_CLKS);
  if (b.buffer_words < 2 || b.clock_hz == 0) throw Error("board: implausible INFO answer");
  info_ = b;
  have_info_ = true;
  return b;
}

std::uint32_t BoardLink::read(std::uint32_t addr) {
  std::vector<std::uint8_t> p;
  put_word(p, addr);
  const Response r = transact(CMD_READ, p, 4);
  if (r.payload.size() != 4) throw Error("board: READ answer of wrong length");
  return get_word(r.payload.data());
}

void BoardLink::write(std::uint32_t addr, std::uint32_t data) {
  std::vector<std::uint8_t> p;
  put_word(p, addr);
  put_word(p, data);
  transact(CMD_WRITE, p, 0);
}

namespace {
// A burst must stay on the board's 24-bit bus (the board refuses an address
// beyond it with ST_BAD_ARG; found by the board_request fuzzer).
void check_burst(const char* what, std::uint32_t addr, std::size_t words) {
  constexpr std::uint64_t kBus = std::uint64_t{1} << 24;
  if (addr >= kBus || words > kBus - addr)
    throw Error(std::string("board: ") + what + " of " + std::to_string(words) + " words at address " +
                std::to_string(addr) + " runs past the 24-bit bus");
}
}  // namespace

std::vector<std::uint32_t> BoardLink::read_burst(std::uint32_t addr, std::size_t words) {
  check_burst("READ_BURST", addr, words);
  std::vector<std::uint32_t> out;
  out.reserve(words);
  while (words > 0) {
    const auto n = static_cast<std::uint32_t>(std::min<std::size_t>(words, kMaxReadWords));
    std::vector<std::uint8_t> p;
    put_word(p, addr);
    put_word(p, n);
    const Response r = transact(CMD_READ_BURST, p, 4u * n);
    if (r.payload.size() != 4u * n) throw Error("board: READ_BURST answer of wrong length");
    for (std::uint32_t i = 0; i < n; ++i) out.push_back(get_word(r.payload.data() + 4 * i));
    addr += n;
    words -= n;
  }
  return out;
}

void BoardLink::write_burst(std::uint32_t addr, const std::vector<std::uint32_t>& words) {
  check_burst("WRITE_BURST", addr, words.size());
  if (!have_info_) info();
  // The board's buffer, and what one frame can carry (LEN is 16 bits: the address and 16382 words).
  const std::size_t chunk = std::min<std::size_t>(info_.buffer_words - 1, (0xFFFF - 4) / 4);
  for (std::size_t at = 0; at < words.size(); at += chunk) {
    const std::size_t n = std::min(chunk, words.size() - at);
    std::vector<std::uint8_t> p;
    put_word(p, addr + static_cast<std::uint32_t>(at));
    for (std::size_t i = 0; i < n; ++i) put_word(p, words[at + i]);
    transact(n == 1 ? CMD_WRITE : CMD_WRITE_BURST, p, 0);
  }
}

std::uint32_t BoardLink::run(std::uint32_t sweeps, std::uint32_t cycles_per_sweep) {
  if (!have_info_) info();
  std::vector<std::uint8_t> p;
  put_word(p, sweeps);
  // Allow four times the run time at the board's clock.
  const double secs = 4.0 * static_cast<double>(sweeps) * (static_cast<double>(cycles_per_sweep) + 1) / info_.clock_hz;
  const Response r = transact(CMD_RUN, p, 4, secs);
  if (r.payload.size() != 4) throw Error("board: RUN answer of wrong length");
  return get_word(r.payload.data());
}

std::vector<std::uint32_t> BoardLink::read_stats(std::uint32_t cell, std::uint32_t cells, std::uint32_t slots) {
  std::vector<std::uint32_t> out;
  const std::uint32_t per = 1 + slots;
  const std::uint32_t max_cells = std::max<std::uint32_t>(1, kMaxReadWords / per);
  while (cells > 0) {
    const std::uint32_t n = std::min(cells, max_cells);
    std::vector<std::uint8_t> p;
    put_word(p, cell);
    put_word(p, n);
    put_word(p, slots);
    const Response r = transact(CMD_READ_STATS, p, 4u * n * per);
    if (r.payload.size() != 4u * n * per) throw Error("board: READ_STATS answer of wrong length");
    for (std::uint32_t i = 0; i < n * per; ++i) out.push_back(get_word(r.payload.data() + 4 * i));
    cell += n;
    cells -= n;
  }
  return out;
}

std::vector<std::uint8_t> BoardLink::read_states(std::uint32_t num_cells) {
  const Response r = transact(CMD_READ_STATES, {}, (num_cells + 7) / 8);
  if (r.payload.size() != (num_cells + 7) / 8)
    throw Error("board: READ_STATES answer of " + std::to_string(r.payload.size()) + " bytes for " +
                std::to_string(num_cells) + " p-bits");
  std::vector<std::uint8_t> s(num_cells);
  for (std::uint32_t c = 0; c < num_cells; ++c) s[c] = (r.payload[c / 8] >> (c % 8)) & 1u;
  return s;
}

}  // namespace pbit::board

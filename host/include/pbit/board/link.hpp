#pragma once
// The host side of the UART frame protocol (protocol.hpp): frames, and a link
// that sends requests to a board and waits for the matching responses, with
// timeouts, retries on damaged or lost frames, and clear errors.
#include <pbit/board/protocol.hpp>
#include <pbit/board/serial.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pbit::board {

// One request frame: sync, cmd, seq, len, payload, CRC.
std::vector<std::uint8_t> encode_request(std::uint8_t cmd, std::uint8_t seq,
                                         const std::vector<std::uint8_t>& payload);
// Payload helpers: 32-bit little-endian words.
void put_word(std::vector<std::uint8_t>& out, std::uint32_t w);
std::uint32_t get_word(const std::uint8_t* p);

struct Response {
  std::uint8_t status = 0;
  std::uint8_t seq = 0;
  std::vector<std::uint8_t> payload;
};

// Incremental parser of response frames: feed bytes, take complete frames.
// Bytes before a sync byte are skipped (counted); a frame whose CRC does not
// match is dropped and counted in crc_errors.
class ResponseParser {
 public:
  // Returns true (and fills r) when a complete, CRC-checked frame ended at
  // or before this byte.
  bool feed(std::uint8_t byte, Response& r);
  void reset();
  std::uint64_t skipped = 0, crc_errors = 0;

 private:
  std::vector<std::uint8_t> buf_;
  std::size_t need_ = 0;
};

struct BoardInfo {
  std::uint32_t version = 0, clock_hz = 0, clks_per_bit = 0, buffer_words = 0, flags = 0;
  std::uint32_t num_cells = 0, errors = 0, timeout_clks = 0;
  bool stats() const { return (flags >> kFlagStats) & 1u; }
  bool lut_writable() const { return (flags >> kFlagLutWritable) & 1u; }
  bool async() const { return (flags >> kFlagAsync) & 1u; }
};

struct LinkOptions {
  int timeout_ms = 1000;  // per attempt, plus the frame's transfer time and (RUN) the run time
  int retries = 3;        // further attempts after a timeout or a damaged frame
};

struct LinkCounters {
  std::uint64_t requests = 0, retries = 0, timeouts = 0, crc_errors = 0, error_status = 0;
  std::uint64_t bytes_out = 0, bytes_in = 0;
};

class BoardLink {
 public:
  BoardLink(std::unique_ptr<ByteChannel> channel, int baud, const LinkOptions& options = {});

  // INFO; checks the magic and protocol version (throws pbit::Error).
  BoardInfo info();
  std::uint32_t read(std::uint32_t addr);
  void write(std::uint32_t addr, std::uint32_t data);
  std::vector<std::uint32_t> read_burst(std::uint32_t addr, std::size_t words);  // split as needed
  void write_burst(std::uint32_t addr, const std::vector<std::uint32_t>& words);  // split as needed
  // RUN: sweeps at cycles_per_sweep; the wait allows for the run time at the
  // board's clock. Returns the cycles the array was busy.
  std::uint32_t run(std::uint32_t sweeps, std::uint32_t cycles_per_sweep);
  // READ_STATS: per cell STAT_PLUS then `slots` STAT_AGREE words.
  std::vector<std::uint32_t> read_stats(std::uint32_t cell, std::uint32_t cells, std::uint32_t slots);
  // READ_STATES: bit c = state of cell c (1 = +1), num_cells bits.
  std::vector<std::uint8_t> read_states(std::uint32_t num_cells);

  const LinkCounters& counters() const { return counters_; }
  const BoardInfo& cached_info() const { return info_; }
  std::string describe() const { return channel_->describe(); }

 private:
  // One request/response exchange with retries; throws pbit::Error.
  Response transact(std::uint8_t cmd, const std::vector<std::uint8_t>& payload, std::size_t expect_len,
                    double extra_seconds = 0);
  std::unique_ptr<ByteChannel> channel_;
  int baud_;
  LinkOptions opt_;
  std::uint8_t seq_ = 0;
  BoardInfo info_;
  bool have_info_ = false;
  LinkCounters counters_;
  ResponseParser parser_;
};

}  // namespace pbit::board

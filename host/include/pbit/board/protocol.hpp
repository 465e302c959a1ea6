#pragma once
// The UART frame protocol between a host and a p-bit board: the one
// definition. The board RTL's package (pbit_board_pkg.sv) is generated from
// these constants (board_emit.hpp), the host driver (link.hpp) uses them, and
// fpga/README.md "Frame protocol" documents them (a test checks the table).
//
// Request (host -> board):
//   0xA5 | CMD | SEQ | LEN[7:0] | LEN[15:8] | payload (LEN bytes) | CRC[15:8] | CRC[7:0]
// Response (board -> host):
//   0x5A | STATUS | SEQ | LEN[7:0] | LEN[15:8] | payload (LEN bytes) | CRC[15:8] | CRC[7:0]
// CRC: CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final
// xor) over every byte after the sync byte up to the end of the payload. All
// payload words are 32-bit little endian; request payloads are whole words.
// The board executes a request only after its CRC checked; every request it
// sees (a sync byte) gets exactly one response, an error status if anything is
// wrong. A response echoes the request's SEQ (0 if the error came before SEQ).
#include <cstddef>
#include <cstdint>

namespace pbit::board {

constexpr std::uint8_t kRequestSync = 0xA5;
constexpr std::uint8_t kResponseSync = 0x5A;
constexpr int kHeaderBytes = 5;   // sync, cmd/status, seq, len lo, len hi
constexpr int kTrailerBytes = 2;  // CRC, high byte first
constexpr std::uint32_t kProtocolVersion = 1;
constexpr std::uint32_t kInfoMagic = 0x50425254;  // "PBRT": INFO word 0
constexpr int kMaxReadWords = 16383;              // response payload <= 65532 bytes

// Commands. Payload layouts (w = one 32-bit word), response payload after "->".
enum Cmd : std::uint8_t {
  CMD_INFO = 0x00,         // (none) -> kInfoWords words (below)
  CMD_READ = 0x01,         // addr -> data
  CMD_WRITE = 0x02,        // addr, data -> (none)
  CMD_READ_BURST = 0x03,   // addr, n (1..kMaxReadWords) -> n words from addr, addr+1, ...
  CMD_WRITE_BURST = 0x04,  // addr, n data words (1..INFO.buffer_words-1) -> (none)
  CMD_RUN = 0x05,          // sweeps -> cycles: SWEEPS_TARGET = sweeps, COMMAND = RUN_SWEEPS,
                           //   wait until STATUS.busy = 0; cycles = clock cycles from the
                           //   command to idle (saturating). A repeated RUN with the SEQ of
                           //   the last executed RUN is answered again without running.
  CMD_READ_STATS = 0x06,   // cell, n, slots -> for each cell c = cell..cell+n-1: STAT_PLUS,
                           //   STAT_AGREE+0 .. STAT_AGREE+slots-1 (n (1+slots) <= kMaxReadWords)
  CMD_READ_STATES = 0x07,  // (none) -> ceil(NUM_CELLS/8) bytes, cell c = bit c%8 of byte c/8
};
constexpr int kNumCmds = 8;

// Response status.
enum Status : std::uint8_t {
  ST_OK = 0x00,
  ST_BAD_CRC = 0x01,      // request CRC mismatch: not executed
  ST_BAD_CMD = 0x02,      // unknown command: not executed
  ST_BAD_LEN = 0x03,      // payload length wrong for the command, not whole words, or too long
  ST_BAD_ARG = 0x04,      // address beyond the 24-bit bus, a count of 0 or too large
  ST_TIMEOUT = 0x05,      // the request stopped arriving (no byte for INFO.timeout_clks)
  ST_FRAMING = 0x06,      // a UART framing error (stop bit 0) inside the request
  ST_BUSY = 0x07,         // RUN while the array is running
};
constexpr int kNumStatuses = 8;

// INFO response words.
enum InfoWord : int {
  INFO_MAGIC = 0,          // kInfoMagic
  INFO_VERSION = 1,        // kProtocolVersion
  INFO_CLOCK_HZ = 2,       // board clock (the array's clk_i)
  INFO_CLKS_PER_BIT = 3,   // UART clock cycles per bit (baud = clock / this)
  INFO_BUFFER_WORDS = 4,   // request buffer (a WRITE_BURST carries at most this - 1 words)
  INFO_FLAGS = 5,          // [0] statistics counters, [1] LUT writable, [2] async
  INFO_NUM_CELLS = 6,      // p-bits
  INFO_ERRORS = 7,         // requests answered with an error status since reset
  INFO_TIMEOUT_CLKS = 8,   // inter-byte timeout of a request, clock cycles
};
constexpr int kInfoWords = 9;
constexpr int kFlagStats = 0, kFlagLutWritable = 1, kFlagAsync = 2;

const char* cmd_name(std::uint8_t cmd);        // "READ", ... or "?"
const char* status_name(std::uint8_t status);  // "OK", "BAD_CRC", ... or "?"

// CRC-16/CCITT-FALSE; crc16("123456789") == 0x29B1.
constexpr std::uint16_t crc16_update(std::uint16_t crc, std::uint8_t byte) {
  crc = static_cast<std::uint16_t>(crc ^ (std::uint16_t{byte} << 8));
  for (int b = 0; b < 8; ++b)
    crc = static_cast<std::uint16_t>((crc & 0x8000u) ? ((crc << 1) ^ 0x1021u) : (crc << 1));
  return crc;
}
constexpr std::uint16_t kCrcInit = 0xFFFF;
inline std::uint16_t crc16(const std::uint8_t* p, std::size_t n, std::uint16_t crc = kCrcInit) {
  for (std::size_t i = 0; i < n; ++i) crc = crc16_update(crc, p[i]);
  return crc;
}

}  // namespace pbit::board

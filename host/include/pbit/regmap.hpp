#pragma once
// The p-bit array's register map: the one definition used by the RTL
// generator (which writes these numbers into the generated pbit_pkg.sv), the
// Verilator/SystemC model, the board driver and the docs (rtl/README.md).
//
// The bus carries 32-bit words at word addresses (addr_i is a word index).
// Reads return 0 for unmapped addresses; writes to read-only or unmapped
// addresses are ignored and counted in BUS_ERRORS.
#include <cstdint>

namespace pbit::regmap {

constexpr std::uint32_t kMagic = 0x50424954;  // "PBIT"
constexpr std::uint32_t kVersion = 1;
constexpr int kAddrBits = 24;

// ---- Global registers.
enum Global : std::uint32_t {
  ID = 0x000,           // RO  kMagic
  VERSION = 0x001,      // RO  kVersion
  NUM_CELLS = 0x002,    // RO  p-bits in the array
  NUM_COLORS = 0x003,   // RO  colour classes (phases per chromatic sweep)
  GEOMETRY = 0x004,     // RO  [7:0] max degree, [15:8] weight bits, [23:16] sum bits, [31:24] lut bits
  LUT_GEOMETRY = 0x005, // RO  [15:0] lut depth, [23:16] lut shift, [24] lut writable, [25] async supported
  CTRL = 0x008,         // RW  [0] schedule (0 chromatic, 1 async), [1] stats enable, [2] rng kind (RO: 0 lfsr32, 1 xorshift32)
  COMMAND = 0x009,      // WO  1 = run SWEEPS_TARGET sweeps, 2 = run free, 3 = stop (at the end of the current sweep),
                        //     4 = clear statistics, 5 = reset sweep/cycle counters
  SWEEPS_TARGET = 0x00A,// RW  sweeps for COMMAND=1
  STATUS = 0x00B,       // RO  [0] busy
  SWEEP_COUNT_LO = 0x00C, SWEEP_COUNT_HI = 0x00D,  // RO  sweeps completed since counter reset
  CYCLE_COUNT_LO = 0x00E, CYCLE_COUNT_HI = 0x00F,  // RO  clock cycles spent running
  STATS_SWEEPS = 0x010, // RO  sweeps accumulated into the statistics since the last clear
  ASYNC_PERIOD = 0x011, // RW  async: cycles per sweep
  ASYNC_THRESHOLD = 0x012, // RW async: a cell updates in a cycle iff its timer word < threshold (unsigned)
  BUS_ERRORS = 0x013,   // RO  count of ignored writes
};

// ---- LUT: entry k at LUT_BASE + k (k < lut depth); a write goes to every
// cell's LUT copy at once (broadcast). Readable back from cell 0's copy.
constexpr std::uint32_t LUT_BASE = 0x1000;

// ---- Per-cell window: cell c (compact node index) at CELL_BASE + c * CELL_STRIDE.
constexpr std::uint32_t CELL_BASE = 0x100000;
constexpr std::uint32_t CELL_STRIDE = 64;
enum Cell : std::uint32_t {
  FIELD = 0,         // RW  h (two's complement, weight_bits, sign-extended on read)
  CLAMP = 1,         // RW  [0] clamp enable, [1] clamp value (1 = +1)
  RNG_STATE = 2,     // RW  sample RNG state (write = seed; must be nonzero)
  TIMER_STATE = 3,   // RW  async timer RNG state
  STATE = 4,         // RW  [0] state bit (1 = +1)
  STAT_PLUS = 5,     // RO  sweeps (with stats enabled) that ended with this p-bit at +1
  COUPLING = 16,     // RW  COUPLING + s: J of neighbour slot s (slots = neighbours in ascending index order)
  STAT_AGREE = 40,   // RO  STAT_AGREE + s: sweeps that ended with m_cell == m_neighbour(s); kept only for slots
                     //     whose neighbour index is greater than the cell's (each edge once), others read 0
};
constexpr int kMaxDegree = 24;  // slots per cell window (COUPLING..COUPLING+23, STAT_AGREE..STAT_AGREE+23)

constexpr std::uint32_t cell_addr(std::uint32_t cell, std::uint32_t reg) {
  return CELL_BASE + cell * CELL_STRIDE + reg;
}

// Commands.
enum Command : std::uint32_t { RUN_SWEEPS = 1, RUN_FREE = 2, STOP = 3, CLEAR_STATS = 4, RESET_COUNTERS = 5 };

}  // namespace pbit::regmap

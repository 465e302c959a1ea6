#pragma once
// The p-bit array's register map: the one definition used by the RTL
// generator (which writes these numbers into the generated pbit_pkg.sv), the
// Verilator/SystemC model, the board driver and the docs (rtl/README.md).
//
// The bus carries 32-bit words at word addresses (addr_i is a word index).
// Reads return 0 for unmapped addresses; writes to read-only or unmapped
// addresses are ignored and counted in BUS_ERRORS. The host writes registers
// only while the array is stopped (STATUS.busy = 0): while busy, every write
// except COMMAND is ignored and counted in BUS_ERRORS, and so are RUN_SWEEPS,
// RUN_FREE, CLEAR_STATS and RESET_COUNTERS (STOP is the command for a busy
// array; STOP while idle does nothing). Unknown commands count as errors.
//
// Changes since the first draft (rtl/README.md "Register map"): the bit-field
// positions below became named constants (the RTL package is generated from
// them); write-while-busy is defined as above; the LUT is one copy shared by
// all cells, so LUT reads return that copy; ASYNC_PERIOD 0 acts as 1.
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
  LUT_GEOMETRY = 0x005, // RO  [15:0] lut depth, [23:16] lut shift, [24] lut writable, [25] async supported,
                        //     [26] no statistics counters, [27] gated sum (the host writes OFFSET, FIELD is
                        //     not kept), [28] write-only cells (cell registers read 0)
  CTRL = 0x008,         // RW  [0] schedule (0 chromatic, 1 async), [1] stats enable, [2] rng kind (RO: 0 lfsr32, 1 xorshift32)
  COMMAND = 0x009,      // WO  1 = run SWEEPS_TARGET sweeps, 2 = run free, 3 = stop (at the end of the current sweep),
                        //     4 = clear statistics, 5 = reset sweep/cycle counters
  SWEEPS_TARGET = 0x00A,// RW  sweeps for COMMAND=1
  STATUS = 0x00B,       // RO  [0] busy
  SWEEP_COUNT_LO = 0x00C, SWEEP_COUNT_HI = 0x00D,  // RO  sweeps completed since counter reset
  CYCLE_COUNT_LO = 0x00E, CYCLE_COUNT_HI = 0x00F,  // RO  clock cycles spent running
  STATS_SWEEPS = 0x010, // RO  sweeps accumulated into the statistics since the last clear
  ASYNC_PERIOD = 0x011, // RW  async: cycles per sweep (0 acts as 1)
  ASYNC_THRESHOLD = 0x012, // RW async: a cell updates in a cycle iff its timer word < threshold (unsigned)
  BUS_ERRORS = 0x013,   // RO  count of ignored writes
  SWEEP_CYCLES = 0x014, // RO  clock cycles of one chromatic sweep (the arrays: NUM_COLORS; the engine: its lane's
                        //     count for the graph); 0 on designs that predate the register
};

// ---- LUT: entry k at LUT_BASE + k (k < lut depth); one table shared by every
// cell, so a write changes every cell's lookup at once (broadcast). Read back
// sign-extended from lut_bits. A ROM build (LUT_GEOMETRY.lut writable = 0)
// ignores writes and counts them in BUS_ERRORS.
constexpr std::uint32_t LUT_BASE = 0x1000;

// ---- Packed states: word w at STATE_BASE + w holds the states of cells
// 32w .. 32w+31 (bit b = cell 32w+b, 1 = +1; bits past NUM_CELLS read 0), so a
// host reads all N states in ceil(N/32) words (one burst) instead of N.
constexpr std::uint32_t STATE_BASE = 0x2000;
constexpr std::uint32_t state_words(std::uint32_t cells) { return (cells + 31) / 32; }

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
  OFFSET = 6,        // WO  gated-sum builds (LUT_GEOMETRY.gated): h - sum_s J_s (spec.hpp gated_sum_offset),
                     //     two's complement; other builds: not mapped
  COUPLING = 16,     // RW  COUPLING + s: J of neighbour slot s (slots = neighbours in ascending index order);
                     //     write-only cells (the lean array): write all slots 0..degree-1 of a cell before another cell's
  STAT_AGREE = 40,   // RO  STAT_AGREE + s: sweeps that ended with m_cell == m_neighbour(s); kept only for slots
                     //     whose neighbour index is greater than the cell's (each edge once), others read 0
};
constexpr int kMaxDegree = 24;  // slots per cell window (COUPLING..COUPLING+23, STAT_AGREE..STAT_AGREE+23)

constexpr std::uint32_t cell_addr(std::uint32_t cell, std::uint32_t reg) {
  return CELL_BASE + cell * CELL_STRIDE + reg;
}

// Commands.
enum Command : std::uint32_t { RUN_SWEEPS = 1, RUN_FREE = 2, STOP = 3, CLEAR_STATS = 4, RESET_COUNTERS = 5 };

// ---- Bit fields: bit positions (and LSBs of the 8-/16-bit fields) of the
// registers above, as documented there.
namespace field {
constexpr int CTRL_SCHEDULE = 0;        // 0 chromatic, 1 async (reads 0 without async support)
constexpr int CTRL_STATS_ENABLE = 1;    // accumulate statistics at the end of every sweep
constexpr int CTRL_RNG_KIND = 2;        // RO: 0 lfsr32, 1 xorshift32
constexpr int STATUS_BUSY = 0;          // running, or adding the last sweep to the statistics
constexpr int GEOMETRY_MAX_DEGREE = 0;  // 8 bits each
constexpr int GEOMETRY_WEIGHT_BITS = 8;
constexpr int GEOMETRY_SUM_BITS = 16;
constexpr int GEOMETRY_LUT_BITS = 24;
constexpr int LUT_GEOMETRY_DEPTH = 0;   // 16 bits
constexpr int LUT_GEOMETRY_SHIFT = 16;  // 8 bits
constexpr int LUT_GEOMETRY_WRITABLE = 24;
constexpr int LUT_GEOMETRY_ASYNC = 25;
constexpr int LUT_GEOMETRY_NO_STATS = 26;    // no statistics counters: the host counts from the states
constexpr int LUT_GEOMETRY_GATED = 27;       // the gated sum: write OFFSET (FIELD is not kept)
constexpr int LUT_GEOMETRY_WRITE_ONLY = 28;  // cell registers read 0: states via STATES, RNG states tracked
constexpr int CLAMP_ENABLE = 0;
constexpr int CLAMP_VALUE = 1;          // 1 = +1
}  // namespace field

}  // namespace pbit::regmap

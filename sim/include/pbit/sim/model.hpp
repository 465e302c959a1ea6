#pragma once
// A cycle-accurate model of one p-bit board: the verilated pbit_top (the
// generated array for one graph and spec), clocked by a SystemC top, reached
// through a TLM-2.0 target socket that speaks the register map (regmap.hpp).
//
// Each graph/spec needs its own verilated model, so models are built on
// demand into shared libraries (ModelCache) and loaded with dlopen; the
// library exports `pbit_sim_create_model`. This header is the only interface
// between the two sides; it is compiled into both.
#include <cstdint>
#include <string>
#include <vector>

namespace pbit::sim {

// How the array is clocked.
enum class Clocking : int {
  // One system clock; the controller enables one colour per cycle (chromatic)
  // or the per-cell timers (async). What synthesizable hardware does; bit-exact.
  Enables = 0,
  // One clock per colour, phase-shifted by period/colours (the published
  // design's scheme): colour c's cells update on their own clock's edges.
  PhaseClocks = 1,
  // Every cell on its own free-running clock: period * (1 + ratio_spread * u_c)
  // with u_c ~ U(-1,1) per cell, plus a per-edge jitter of up to
  // jitter * period. Truly asynchronous p-bits; statistics only.
  CellClocks = 2,
};

struct ModelOptions {
  double clock_ns = 10.0;      // system clock period (and the cells' nominal period)
  Clocking clocking = Clocking::Enables;
  double ratio_spread = 0.1;   // CellClocks: relative spread of the cells' periods
  double jitter = 0.05;        // CellClocks: edge jitter as a fraction of the period
  std::uint64_t clock_seed = 1;  // CellClocks: seed of periods and jitter
  std::string trace_file;      // VCD file (empty: no tracing)
  // For the cell-clock modes: each cell's colour and the cycles of a sweep
  // (a cell's nominal clock period is cycles_per_sweep system cycles).
  std::vector<int> cell_color;
  int cycles_per_sweep = 4;
};

class Model {
 public:
  virtual ~Model() = default;
  // Register access through the TLM-2.0 socket (each word one bus transaction
  // of the RTL's bus: a write takes one clock, a read two).
  virtual void write(std::uint32_t addr, std::uint32_t data) = 0;
  virtual std::uint32_t read(std::uint32_t addr) = 0;
  // Burst: consecutive word addresses in one TLM transaction.
  virtual void write_burst(std::uint32_t addr, const std::vector<std::uint32_t>& data) = 0;
  virtual std::vector<std::uint32_t> read_burst(std::uint32_t addr, std::size_t words) = 0;
  // Simulate until the array is idle (busy low). Returns clock cycles spent.
  virtual std::uint64_t wait_idle() = 0;
  // The array's state bits as seen on the observation port (no bus traffic):
  // state[i] = 1 means p-bit i is +1.
  virtual void peek_states(std::vector<std::uint8_t>& state) = 0;
  virtual std::uint64_t cycles() const = 0;   // system clock cycles simulated
  virtual double sim_time_ns() const = 0;
  virtual int num_cells() const = 0;
  virtual void flush_trace() = 0;
};

// The C entry point of a model library.
using CreateModelFn = Model* (*)(const ModelOptions* options, std::string* error);
constexpr const char* kCreateModelSymbol = "pbit_sim_create_model";
constexpr int kModelAbiVersion = 1;
using AbiVersionFn = int (*)();
constexpr const char* kAbiVersionSymbol = "pbit_sim_abi_version";

}  // namespace pbit::sim

#pragma once
// The board design in simulation: the board top verilated (plain C++) with its
// UART pins bridged to a pseudo-terminal (sim/board_uart/), so the `board`
// backend drives it like a real board (`pbit fpga sim`).
#include <pbit/fpga/design.hpp>

#include <string>
#include <vector>

namespace pbit::fpga {

struct BoardSimOptions {
  std::string graph;
  std::string out;  // build directory (empty: fpga-sim/GRAPH)
  NumericSpec spec;
  double beta = 1.0;
  Features features;
  rtl::Arch arch = rtl::Arch::Full;  // full: pbit_top with `features`; lean: pbit_lean_top (features off)
  int clks_per_bit = 4;  // simulated UART clocks per bit
  int jobs = 2;          // parallel compile jobs
  bool progress = true;
};

struct BoardSim {
  std::string exe;     // the simulator
  bool built = false;  // false: up to date, not rebuilt
  double seconds = 0;  // build time
};

// Builds the simulator unless what goes into it is unchanged. Throws pbit::Error.
BoardSim build_board_sim(const BoardSimOptions& options);

// Replaces this process by the simulator (its options: --pty-file F,
// --idle-exit S, --corrupt-every N). Throws pbit::Error if it cannot start.
[[noreturn]] void exec_board_sim(const std::string& exe, const std::vector<std::string>& args);

}  // namespace pbit::fpga

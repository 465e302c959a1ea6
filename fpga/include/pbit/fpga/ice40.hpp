#pragma once
// The iCE40 bitstream flow of a board design: pbit fpga emit -> yosys
// synth_ice40 -> nextpnr-ice40 (the board's .pcf) -> icepack, with the
// utilization and Fmax from nextpnr's report (fpga/README.md).
#include <pbit/fpga/design.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace pbit::fpga {

struct Ice40Options {
  std::string board;  // fpga/boards/<board>.board
  std::string graph;  // graph spec
  std::string out;    // output directory (empty: fpga-build/BOARD-GRAPH)
  NumericSpec spec;
  nlohmann::json spec_json;  // the spec as the command line shows it (for the report)
  double beta = 1.0;         // LUT contents
  Features features;
  rtl::Arch arch = rtl::Arch::Full;  // full: pbit_top with `features`; lean: pbit_lean_top (features off)
  double freq_mhz = 0;  // 0: the board's default clock
  int baud = 115200;
  int seed = 1;            // nextpnr placement seed
  int buffer_words = 256;  // the bridge's request buffer
  bool progress = true;    // a line on stderr before each long step
};

struct Ice40Result {
  nlohmann::json report;  // also OUT/report.json
  std::string markdown;   // also OUT/report.md
  bool timing_met = false;
  std::string out;  // the output directory (absolute)
};

// Throws pbit::Error for bad options, a missing tool, a failed step or a design
// that does not fit. Timing not met is not an error here (see timing_met):
// the bitstream and the reports are written either way.
Ice40Result build_ice40(const Ice40Options& options);

}  // namespace pbit::fpga

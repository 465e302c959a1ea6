#pragma once
// The Xilinx resource estimate of a p-bit array: yosys synth_xilinx of the
// array (hierarchical: each distinct cell once), flattened probes of one cell
// per degree, a per-degree cost model, the largest Pegasus/Zephyr that fits a
// part and the projected flips/s (fpga/README.md).
#include <pbit/fpga/design.hpp>
#include <pbit/rtl_emit.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace pbit::fpga {

// A part's capacity from the vendor's product table.
struct XilinxPart {
  std::string name;
  std::string family;  // synth_xilinx -family
  long luts = 0, ffs = 0, bram36 = 0, dsp = 0, uram = 0;
};
const std::vector<XilinxPart>& xilinx_parts();
// pbit::Error listing the known parts for an unknown name.
const XilinxPart& find_xilinx_part(const std::string& name);

struct EstimateOptions {
  std::string part = "xcvu9p";
  std::string graph = "pegasus:14";
  std::string out;  // output directory (empty: fpga-estimate/PART-GRAPH)
  NumericSpec spec;
  nlohmann::json spec_json;  // the spec as the command line shows it (for the report)
  double beta = 1.0;
  Features features;
  // lean (the default, as `pbit fpga estimate`): pbit_lean_top (rtl/lean; ROM
  // LUT, no statistics, chromatic: the features must all be off); full: pbit_top
  // with the features above.
  rtl::Arch arch = rtl::Arch::Lean;
  double clock_mhz = 100;  // for the flips/s projection (an assumption)
  double max_util = 0.8;   // usable fraction of LUTs and FFs for "largest that fits"
  // engine: what to put next to it: "lean" / "full" (estimated here for the
  // same graph, into OUT/vs-ARCH) or an estimate.json of the same part and graph.
  std::vector<std::string> compare;
  // engine: pegasus:M sizes for the "which architecture" table (an engine
  // synthesized for each; the lean array from the lean comparison's cost model).
  std::vector<int> sizes;
  // engine: where its coupling and RNG-state banks go: "block" (RAMB36/18) or
  // "ultra" (URAM288, UltraScale+ only).
  std::string engine_ram = "block";
  bool progress = true;
};

struct EstimateResult {
  nlohmann::json report;  // also OUT/estimate.json
  std::string markdown;   // also OUT/estimate.md
  std::string out;
};

// Throws pbit::Error for bad options, a missing tool or a failed yosys run.
EstimateResult estimate_xilinx(const EstimateOptions& options);

// LUTs taken by the distributed-RAM / shift-register primitives of a yosys
// `stat` (RAM32M16: 8, RAM32M: 4, RAM64X1D: 2, SRL16E: 1, ...; last count of each).
long lutram_luts(const std::string& stat_text);
// The length of yosys' `ltp -noff` longest topological path (cells on it: LUTs,
// carries, RAM reads), 0 if the text has none.
int ltp_length(const std::string& ltp_text);

}  // namespace pbit::fpga

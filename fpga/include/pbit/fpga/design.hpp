#pragma once
// What the FPGA flows build: a graph compiled with a numeric spec (the array's
// wiring, colours, widths and LUT contents) and the pbit_top features.
#include <pbit/graphs/graph.hpp>
#include <pbit/program.hpp>
#include <pbit/rtl_emit.hpp>
#include <pbit/spec.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace pbit::fpga {

// pbit_top parameters (rtl/README.md).
struct Features {
  bool lut_writable = false;    // LUT RAM written over the bus (else a ROM: --beta-mode fold)
  bool stats = false;           // on-chip statistics counters
  bool async = false;           // async schedule (a timer RNG per p-bit)
  std::string chparam() const;  // yosys chparam arguments
  nlohmann::json to_json() const;
};

struct Design {
  std::shared_ptr<const graphs::Graph> graph;
  Program prog;
  NumericSpec spec;
};
// Throws pbit::Error for a bad graph spec, spec or beta.
Design make_design(const std::string& graph_spec, const NumericSpec& spec, double beta);

// The array of a board design or estimate: full (pbit_top with the features),
// lean (rtl/lean: ROM LUT, no statistics, chromatic: every feature off) or the
// engine (rtl/engine: no statistics, chromatic; its LUT a RAM or a ROM). Throws
// pbit::Error for a feature the architecture lacks or a schedule it does not run.
void check_arch(rtl::Arch arch, const Features& features, const NumericSpec& spec);

}  // namespace pbit::fpga

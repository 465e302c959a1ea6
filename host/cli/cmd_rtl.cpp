// pbit rtl emit|regmap: generate the per-graph RTL of a p-bit array.
#include "cli.hpp"

#include <pbit/program.hpp>
#include <pbit/rtl_emit.hpp>

#include <fmt/format.h>

#include <cmath>

namespace pbit::cli {
namespace {

struct RtlArgs {
  std::string graph;
  SpecOptions spec;
  double beta = 1.0;
  std::string out;
  std::string rtl_dir;
  std::string arch = "full";
  bool json = false;
};

int run_emit(const RtlArgs& a) {
  if (!std::isfinite(a.beta) || a.beta < 0) throw Error("--beta must be finite and >= 0");
  const NumericSpec spec = a.spec.spec();
  const auto g = load_graph(a.graph);
  // Weights are written over the bus at run time: compile a zero problem for
  // the wiring, colours and the LUT of beta.
  const Program prog = compile(Problem::zeros(g), spec, a.beta);
  rtl::EmitOptions opt;
  opt.rtl_dir = a.rtl_dir;
  opt.arch = rtl::parse_arch(a.arch);
  const rtl::EmitResult r = rtl::emit_rtl(prog, *g, a.out, opt);
  if (a.json) {
    print_json({{"graph", g->spec()},
                {"arch", rtl::to_string(opt.arch)},
                {"top", rtl::top_module(opt.arch)},
                {"cells", r.num_cells},
                {"colors", r.num_colors},
                {"max_degree", r.max_degree},
                {"beta", a.beta},
                {"spec", a.spec.to_json(spec)},
                {"outdir", r.outdir},
                {"files", r.files},
                {"written", r.written}});
    return 0;
  }
  fmt::print("graph      {} ({} p-bits, {} colours, max degree {})\n", g->spec(), r.num_cells,
             r.num_colors, r.max_degree);
  fmt::print("spec       weight {}/{} sum {} lut {}x{} >>{} rng {} schedule {} beta {}\n",
             spec.weight_bits, spec.frac_bits, spec.sum_bits, spec.lut_depth, spec.lut_bits,
             spec.lut_shift, to_string(spec.rng), to_string(spec.schedule), a.beta);
  for (const auto& f : r.written) fmt::print("wrote      {}\n", f);
  fmt::print("lint       verilator --lint-only -Wall {}/pbit.vlt -f {}/files.f --top-module {}\n",
             rtl::default_rtl_dir(), r.outdir, rtl::top_module(opt.arch));
  return 0;
}

}  // namespace

Command add_rtl_command(CLI::App& app) {
  auto a = std::make_shared<RtlArgs>();
  auto* sub = app.add_subcommand("rtl", "Generate the SystemVerilog of a p-bit array for a graph");
  sub->require_subcommand(1);
  auto* emit = sub->add_subcommand(
      "emit",
      "Write pbit_pkg.sv, pbit_array.sv, pbit_lut.mem and files.f for a graph and numeric spec\n"
      "(weights are not baked in: the host writes them over the register bus)");
  emit->add_option("--graph", a->graph, "graph spec, e.g. pegasus:2")->required();
  emit->add_option("--out", a->out, "output directory (created if missing)")->required();
  emit->add_option("--beta", a->beta, "inverse temperature of the initial LUT contents")
      ->capture_default_str();
  emit->add_option("--rtl-dir", a->rtl_dir,
                   "hand-written rtl/ folder (default: $PBIT_RTL_DIR or the source tree's rtl/)");
  emit->add_option("--arch", a->arch,
                   "full: the parallel array (pbit_top, a cell per p-bit) | engine: the time-multiplexed "
                   "engine (pbit_engine_top: weights and states in RAM, one update lane) | lean: the area-lean "
                   "array (pbit_lean_top: groups of p-bits of different colours share one datapath; "
                   "chromatic, ROM LUT)")
      ->capture_default_str()
      ->check(CLI::IsMember({"full", "engine", "lean"}));
  emit->add_flag("--json", a->json, "print one JSON document on stdout");
  a->spec.add_to(*emit);
  auto* regmap = sub->add_subcommand("regmap", "Print the register map as Markdown (rtl/README.md)");
  return {sub, [a, emit, regmap] {
            if (emit->parsed()) return run_emit(*a);
            if (regmap->parsed()) fmt::print("{}", rtl::regmap_markdown());
            return 0;
          }};
}

}  // namespace pbit::cli

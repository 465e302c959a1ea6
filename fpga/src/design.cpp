// Designs of the FPGA flows (design.hpp).
#include <pbit/error.hpp>
#include <pbit/fpga/design.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/problem.hpp>

#include <cmath>

namespace pbit::fpga {

std::string Features::chparam() const {
  return "-set LutWritable " + std::to_string(int(lut_writable)) + " -set Stats " +
         std::to_string(int(stats)) + " -set Async " + std::to_string(int(async));
}

nlohmann::json Features::to_json() const {
  return {{"lut_writable", lut_writable}, {"stats", stats}, {"async", async}};
}

Design make_design(const std::string& graph_spec, const NumericSpec& spec, double beta) {
  if (!std::isfinite(beta) || beta < 0) throw Error("--beta must be finite and >= 0");
  spec.validate();
  Design d;
  d.spec = spec;
  d.graph = std::make_shared<const graphs::Graph>(graphs::make_graph(graph_spec));
  d.prog = compile(Problem::zeros(d.graph), d.spec, beta);
  return d;
}

void check_arch(rtl::Arch arch, const Features& f, const NumericSpec& spec) {
  if (arch == rtl::Arch::Engine && (f.stats || f.async))
    throw Error("the engine has no statistics counters and no async schedule (--stats 0 --async 0)");
  if (arch == rtl::Arch::Lean && (f.lut_writable || f.stats || f.async))
    throw Error("the lean array has a ROM LUT, no statistics counters and no async schedule "
                "(--lut-writable 0 --stats 0 --async 0)");
  rtl::check_arch_spec(arch, spec);
}

}  // namespace pbit::fpga

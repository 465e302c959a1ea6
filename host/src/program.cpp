#include <pbit/graphs/coloring.hpp>
#include <pbit/program.hpp>

#include <cmath>
#include <cstdlib>

namespace pbit {

std::int64_t Program::raw_sum(std::uint32_t i, const std::int8_t* m) const {
  std::int64_t s = h[i];
  for (std::uint32_t k = offsets[i]; k < offsets[i + 1]; ++k) s += std::int64_t{J[k]} * m[nbr[k]];
  return s;
}

std::int64_t Program::max_abs_sum() const {
  std::int64_t best = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::int64_t s = std::llabs(h[i]);
    for (std::uint32_t k = offsets[i]; k < offsets[i + 1]; ++k) s += std::llabs(J[k]);
    if (s > best) best = s;
  }
  return best;
}

void set_program_beta(Program& prog, const Problem& problem, double beta) {
  if (!std::isfinite(beta) || beta < 0) throw Error("beta must be finite and >= 0");
  prog.beta = beta;
  const NumericSpec& spec = prog.spec;
  const bool fold = spec.beta_mode == BetaMode::Fold;
  const double w = fold ? beta : 1.0;
  prog.lut = make_lut(spec, fold ? 1.0 : beta);
  const auto& g = *problem.graph;
  // Edge index per CSR entry: edges are sorted by (u, v) and CSR rows are
  // ascending, so a per-node cursor walks both in step.
  std::vector<std::uint32_t> cursor(prog.offsets.begin(), prog.offsets.end() - 1);
  prog.J.assign(prog.nbr.size(), 0);
  const auto& edges = g.edges();
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const std::int32_t q = quantize_weight(w * problem.J[e], spec);
    prog.J[cursor[edges[e].u]++] = q;
    prog.J[cursor[edges[e].v]++] = q;
  }
  prog.h.resize(prog.n);
  for (std::uint32_t i = 0; i < prog.n; ++i) prog.h[i] = quantize_weight(w * problem.h[i], spec);
}

bool change_program_beta(Program& prog, const Problem& problem, double beta) {
  if (prog.spec.beta_mode == BetaMode::Fold) {
    set_program_beta(prog, problem, beta);
    return true;
  }
  if (!std::isfinite(beta) || beta < 0) throw Error("beta must be finite and >= 0");
  prog.beta = beta;
  prog.lut = make_lut(prog.spec, beta);
  return false;
}

Program compile(const Problem& problem, const NumericSpec& spec, double beta) {
  spec.validate();
  if (!problem.graph) throw Error("problem has no graph");
  const auto& g = *problem.graph;
  if (problem.J.size() != g.num_edges() || problem.h.size() != g.num_nodes())
    throw Error("problem weights do not match its graph");
  Program prog;
  prog.spec = spec;
  prog.n = static_cast<std::uint32_t>(g.num_nodes());
  prog.offsets = g.adj_offsets();
  prog.nbr = g.adj();
  const auto coloring = graphs::best_coloring(g);
  prog.color = coloring.color;
  prog.num_colors = coloring.num_colors;
  set_program_beta(prog, problem, beta);
  return prog;
}

Problem dequantized_problem(const Program& prog, const Problem& original) {
  Problem p = Problem::zeros(original.graph);
  const bool fold = prog.spec.beta_mode == BetaMode::Fold;
  const double div = fold ? prog.beta : 1.0;
  if (fold && !(div > 0)) throw Error("fold mode at beta 0 has no dequantized problem");
  const auto& edges = original.graph->edges();
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const auto u = edges[e].u;
    // Find v in u's CSR row.
    for (std::uint32_t k = prog.offsets[u]; k < prog.offsets[u + 1]; ++k)
      if (prog.nbr[k] == edges[e].v) {
        p.J[e] = dequantize(prog.J[k], prog.spec) / div;
        break;
      }
  }
  for (std::uint32_t i = 0; i < prog.n; ++i) p.h[i] = dequantize(prog.h[i], prog.spec) / div;
  return p;
}

}  // namespace pbit

#pragma once
// Golden state streams: small fixed trajectories of the `ref` sampler,
// committed under tests/golden/ as the regression data the RTL must reproduce.
// Each case fixes graph, random problem, numeric spec, beta, seed and clamps;
// a file holds the state after every sweep of chain 0, one line per sweep,
// hex: digit k holds nodes 4k..4k+3 (bit b = node 4k+b is +1).
#include <pbit/graphs/generators.hpp>
#include <pbit/problem.hpp>
#include <pbit/spec.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace pbit::golden {

struct Case {
  std::string name;
  std::string graph;
  std::string couplings, fields;
  std::uint64_t problem_seed;
  Schedule schedule;
  RngKind rng;
  double beta;
  std::uint64_t seed;
  int sweeps;
  int clamp_every;  // clamp nodes i % clamp_every == 0 to +1 (0 = no clamps)

  NumericSpec spec() const {
    NumericSpec s;
    s.schedule = schedule;
    s.rng = rng;
    return s;
  }
  Problem problem() const {
    auto g = std::make_shared<const graphs::Graph>(graphs::make_graph(graph));
    return random_problem(g, WeightDist::parse(couplings), WeightDist::parse(fields), problem_seed);
  }
  std::vector<std::uint8_t> clamp_mask(std::size_t n) const {
    std::vector<std::uint8_t> m(n, 0);
    if (clamp_every > 0)
      for (std::size_t i = 0; i < n; i += static_cast<std::size_t>(clamp_every)) m[i] = 1;
    return m;
  }
  std::string path() const { return std::string(PBIT_SOURCE_DIR) + "/tests/golden/" + name + ".txt"; }
};

inline std::vector<Case> cases() {
  using S = Schedule;
  using R = RngKind;
  return {
      {"chimera1_chromatic_lfsr32", "chimera:1", "gauss:1", "gauss:0.5", 7, S::Chromatic, R::Lfsr32, 1.0, 42, 300, 0},
      {"chimera1_async_xorshift32", "chimera:1", "gauss:1", "gauss:0.5", 7, S::Async, R::Xorshift32, 1.0, 42, 300, 0},
      {"pegasus2_chromatic_lfsr32", "pegasus:2", "gauss:1", "gauss:0.5", 7, S::Chromatic, R::Lfsr32, 0.8, 42, 300, 0},
      {"pegasus2_chromatic_xorshift32", "pegasus:2", "pm1", "zero", 9, S::Chromatic, R::Xorshift32, 0.5, 5, 300, 0},
      {"pegasus2_async_lfsr32_clamped", "pegasus:2", "gauss:1", "gauss:0.5", 7, S::Async, R::Lfsr32, 1.0, 42, 300, 5},
  };
}

inline std::string encode(const std::vector<std::int8_t>& m) {
  std::vector<unsigned> nibble((m.size() + 3) / 4, 0);
  for (std::size_t i = 0; i < m.size(); ++i)
    if (m[i] > 0) nibble[i / 4] |= 1u << (i % 4);
  std::string s;
  for (unsigned v : nibble) s += "0123456789abcdef"[v];
  return s;
}

inline std::string header(const Case& c) {
  std::ostringstream h;
  h << "# pbit golden stream " << c.name << ": state of chain 0 after each sweep\n"
    << "# graph " << c.graph << " couplings " << c.couplings << " fields " << c.fields
    << " problem_seed " << c.problem_seed << "\n"
    << "# schedule " << to_string(c.schedule) << " rng " << to_string(c.rng) << " beta " << c.beta
    << " seed " << c.seed << " sweeps " << c.sweeps << " clamp_every " << c.clamp_every
    << " (clamped to +1); other spec fields default\n";
  return h.str();
}

// Lines of the stream (comments skipped); empty if the file is missing.
inline std::vector<std::string> read(const Case& c) {
  std::ifstream in(c.path());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  return lines;
}

inline void write(const Case& c, const std::vector<std::string>& lines) {
  std::ofstream out(c.path());
  out << header(c);
  for (const auto& l : lines) out << l << "\n";
}

}  // namespace pbit::golden

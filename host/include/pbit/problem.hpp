#pragma once
// An Ising problem: a graph, couplings J on its edges, fields h on its nodes.
// E(m) = -sum_{(i,j) in edges} J_ij m_i m_j - sum_i h_i m_i ;  law exp(-beta E)/Z.
#include <pbit/graphs/graph.hpp>
#include <pbit/random.hpp>

#include <iosfwd>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pbit {

struct Problem {
  std::shared_ptr<const graphs::Graph> graph;
  std::vector<double> J;  // per edge, in graph->edges() order
  std::vector<double> h;  // per node (compact index)

  std::size_t num_nodes() const { return graph->num_nodes(); }
  std::size_t num_edges() const { return graph->num_edges(); }
  // Energy of a state m (+-1 per compact index).
  double energy(const std::vector<std::int8_t>& m) const;
  // Zero couplings and fields on a graph.
  static Problem zeros(std::shared_ptr<const graphs::Graph> g);
};

// One term given by node labels: a != b the coupling J_ab, a == b the field h_a.
// `where` names it in error messages (e.g. "problem.txt:7").
struct ProblemTerm {
  graphs::Label a = 0, b = 0;
  double value = 0;
  std::string where;
};
// The problem of these terms on g (terms not given are 0), resolved as the file
// readers below do. Errors (pbit::Error starting with the term's `where`):
// unknown node, coupling on a non-edge, duplicate term (either orientation),
// NaN/inf.
Problem problem_from_terms(std::shared_ptr<const graphs::Graph> g, const std::vector<ProblemTerm>& terms);

// Text format, one term per line (labels are the graph's node labels):
//   i j value   coupling J_ij (i != j; must be an edge of the graph)
//   i i value   field h_i
//   # comment, blank lines ignored. Terms not given are 0.
// Without a graph (graph == nullptr) the graph is built from the couplings'
// endpoints and fields' nodes (spec "file:<path>").
// Errors (pbit::Error, naming file and line): unknown node, coupling on a
// non-edge, duplicate term (either orientation), NaN/inf, unparsable number.
Problem read_problem_text(const std::string& path, std::shared_ptr<const graphs::Graph> graph);
// The same from a stream; `path` names it in messages.
Problem read_problem_text(std::istream& in, const std::string& path, std::shared_ptr<const graphs::Graph> graph);
void write_problem_text(std::ostream& out, const Problem& p);
// JSON: {"graph": "<spec>"?, "couplings": [[i, j, J], ...], "fields": [[i, h], ...]}
// (or "fields": {"i": h, ...}). A "graph" entry is used when no graph is given.
Problem read_problem_json(const std::string& path, std::shared_ptr<const graphs::Graph> graph);
Problem read_problem_json(std::istream& in, const std::string& path, std::shared_ptr<const graphs::Graph> graph);
std::string problem_to_json(const Problem& p);
// By extension: .json -> JSON, anything else -> text.
Problem read_problem(const std::string& path, std::shared_ptr<const graphs::Graph> graph);

// Random weights: "pm1" (+-1 equiprobable), "uniform:A" (U(-A, A)), "gauss:S"
// (N(0, S^2)), "zero", "const:C". Throws pbit::Error on a malformed distribution.
struct WeightDist {
  enum class Kind { Zero, Const, Pm1, Uniform, Gauss } kind = Kind::Zero;
  double param = 0;
  static WeightDist parse(const std::string& s);
  double draw(Rng& rng) const;
};
Problem random_problem(std::shared_ptr<const graphs::Graph> g, const WeightDist& couplings,
                       const WeightDist& fields, std::uint64_t seed);

}  // namespace pbit

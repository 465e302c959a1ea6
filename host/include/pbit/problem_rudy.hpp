#pragma once
// Max-Cut instances in the rudy / G-set format, and choosing a problem file's
// format. A Max-Cut instance maps to an Ising problem with J_ij = -w_ij and
// h = 0: then E = sum w_ij m_i m_j and the cut (the weight of the edges whose
// ends differ) is (W - E) / 2, W the total weight.
#include <pbit/problem.hpp>

#include <memory>
#include <optional>
#include <string>

namespace pbit {

struct MaxCut {
  Problem ising;              // nodes labelled 1..n as in the file
  double total_weight = 0;    // W = sum of the edge weights
  double cut(double energy) const { return (total_weight - energy) / 2; }
  double energy_of_cut(double cut) const { return total_weight - 2 * cut; }
};

// rudy / G-set: the first line "n m" (nodes, edges), then m lines "i j w",
// 1-based node numbers, i != j, w a finite number. Blank lines and '#'
// comments are allowed. Errors (pbit::Error) name the file and line: bad
// header, wrong field count, node out of [1, n], self-loop, duplicate edge
// (either orientation; the first line named), bad or non-finite weight,
// fewer or more edge lines than declared, sizes beyond the graph limits.
MaxCut read_rudy(const std::string& path);

enum class ProblemFormat { Auto, Text, Json, Rudy };
const char* to_string(ProblemFormat f);
ProblemFormat parse_problem_format(const std::string& s);  // throws pbit::Error
// Auto: .json -> Json; else Rudy when the first data line has two fields (a
// text problem's lines have three); else Text.
ProblemFormat detect_problem_format(const std::string& path);

// A problem file of any format. `graph` (may be null) checks text/JSON terms
// against a given graph; a rudy file defines its own graph, so one given is an
// error. `maxcut` is set for rudy files.
struct LoadedProblem {
  Problem problem;
  std::optional<MaxCut> maxcut;
};
LoadedProblem read_problem_file(const std::string& path, std::shared_ptr<const graphs::Graph> graph,
                                ProblemFormat format);

}  // namespace pbit

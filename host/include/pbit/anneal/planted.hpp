#pragma once
// Instances with a known ground state, for testing and timing annealers:
// frustrated loops planted on a graph (Hen et al., PRA 92, 042325, 2015).
// Each loop is a cycle of the graph with J = +1 on all its edges but one,
// which gets -1: in the all-+1 state it leaves exactly one edge unsatisfied,
// the least a frustrated cycle can, so all-+1 minimises every loop at once
// and hence their sum. A random gauge (J_ij -> J_ij s_i s_j) hides the
// solution: the ground state is s (and -s, h being 0), with energy
// sum over loops of -(length - 2).
#include <pbit/problem.hpp>

#include <cstdint>
#include <memory>
#include <vector>

namespace pbit::anneal {

struct Planted {
  Problem problem;                        // integer J (|J| <= max_coupling), h = 0
  std::vector<std::int8_t> ground_state;  // s, +-1 per node (compact index)
  double ground_energy = 0;
  int loops = 0;
};

// About alpha * n loops (alpha in (0, 10]) found by random walks that stop
// when they meet their own path (loops of length >= 4, as in the paper);
// a loop that would push some |J| past max_coupling (>= 1) is dropped.
// Throws pbit::Error for bad parameters or a graph without cycles.
Planted planted_problem(std::shared_ptr<const graphs::Graph> graph, double alpha, int max_coupling,
                        std::uint64_t seed);

}  // namespace pbit::anneal

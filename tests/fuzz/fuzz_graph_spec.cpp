// Graph specs ("pegasus:14", "er:N,P,SEED", ...): make_graph, the colouring of
// what it builds, and the canonical spec() that rebuilds the same graph.
#include "fuzz_util.hpp"

#include <pbit/error.hpp>
#include <pbit/graphs/coloring.hpp>
#include <pbit/graphs/generators.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string spec(reinterpret_cast<const char*>(data), size);
  if (pbit::fuzz::graph_spec_too_slow(spec)) return -1;  // file: specs: fuzz_edge_list
  try {
    const pbit::graphs::Graph g = pbit::graphs::make_graph(spec);
    if (g.num_nodes() + g.num_edges() > 200000) return 0;
    const auto c = pbit::graphs::best_coloring(g);
    if (!pbit::graphs::is_proper(g, c.color)) __builtin_trap();
    const pbit::graphs::Graph again = pbit::graphs::make_graph(g.spec());
    if (again.labels() != g.labels() || again.edges() != g.edges()) __builtin_trap();
  } catch (const pbit::Error&) {
  }
  return 0;
}

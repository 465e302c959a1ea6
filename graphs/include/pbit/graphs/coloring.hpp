#pragma once
// Proper vertex colourings: every colour class is one phase of a hardware sweep,
// so fewer colours = shorter sweeps.
#include <pbit/graphs/graph.hpp>

#include <string>
#include <vector>

namespace pbit::graphs {

struct Coloring {
  std::vector<int> color;  // per compact index, 0..num_colors-1
  int num_colors = 0;
  std::string method;      // "structural", "dsatur", "smallest-last"
};

// Coordinate-based optimum for D-Wave families (Chimera 2, Pegasus 4, Zephyr 4)
// and lattices (2; king 4 for even sizes); nullopt when the family has none.
std::optional<Coloring> structural_coloring(const Graph& g);
Coloring dsatur_coloring(const Graph& g);
Coloring smallest_last_coloring(const Graph& g);
// Structural when available, else the better of DSATUR and smallest-last;
// above kDsaturMaxSize nodes + edges smallest-last alone (O(n + m); DSATUR's
// priority queue makes big graphs take many seconds for rarely a colour less).
// Always validated (throws std::logic_error if improper: that is a bug).
inline constexpr std::size_t kDsaturMaxSize = std::size_t{1} << 20;
Coloring best_coloring(const Graph& g);
bool is_proper(const Graph& g, const std::vector<int>& color);

}  // namespace pbit::graphs

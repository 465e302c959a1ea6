#pragma once
// Coordinate <-> linear label conversions, exactly dwave-networkx's
// chimera_coordinates / pegasus_coordinates / zephyr_coordinates.
// Out-of-range inputs throw pbit::Error.
#include <pbit/graphs/graph.hpp>

#include <array>
#include <optional>
#include <vector>

namespace pbit::graphs {

struct ChimeraCoord { int i, j, u, k; };
struct PegasusCoord { int u, w, k, z; };
struct ZephyrCoord { int u, w, k, j, z; };

Label chimera_to_linear(const ChimeraCoord& c, int m, int n, int t);
ChimeraCoord chimera_from_linear(Label q, int m, int n, int t);
Label pegasus_to_linear(const PegasusCoord& c, int m);
PegasusCoord pegasus_from_linear(Label q, int m);
Label zephyr_to_linear(const ZephyrCoord& c, int m, int t);
ZephyrCoord zephyr_from_linear(Label q, int m, int t);

// Coordinates of node `index` of a D-Wave-family graph as a tuple
// (4 ints for Chimera/Pegasus, 5 for Zephyr); nullopt for other families.
std::optional<std::vector<int>> coordinates(const Graph& g, std::uint32_t index);

}  // namespace pbit::graphs

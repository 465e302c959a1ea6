#pragma once
// Deep-Boltzmann-machine placement: which graph nodes are pixels, labels, hidden.
#include <pbit/graphs/graph.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace pbit::graphs {

// (The enumerator Role::Label is scoped, so it cannot clash with the type
// pbit::graphs::Label; GCC's -Wshadow warns regardless.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
enum class Role : std::uint8_t { Hidden = 0, Pixel = 1, Label = 2 };
#pragma GCC diagnostic pop

enum class PlacementMethod {
  Random,  // uniform random choice of visible nodes (as the published P(14) DBM)
  Spread,  // visible nodes spread for maximal graph distance to each other (seeded)
};

struct Placement {
  std::vector<Role> role;               // per compact index
  std::vector<std::uint32_t> pixels;    // pixel p -> node index (p = 0..num_pixels-1)
  std::vector<std::uint32_t> labels;    // label bit b -> node index
  std::vector<std::uint32_t> hidden;    // ascending node indices
  std::vector<int> layer;               // graph distance to the visible set (0 = visible, -1 = unreachable)
  std::vector<int> layer_sizes;         // nodes per layer 0..max
};

// Throws pbit::Error if pixels + labels > nodes or counts are negative.
// Chooses the visible nodes (see PlacementMethod), then placement_at.
Placement place_dbm(const Graph& g, int num_pixels, int num_labels, std::uint64_t seed,
                    PlacementMethod method = PlacementMethod::Random);

// A given placement (e.g. of an imported model): pixel p is node pixels[p],
// label bit b is node labels[b] (compact indices); everything else hidden.
// Throws pbit::Error naming the first index out of range or used twice.
Placement placement_at(const Graph& g, std::vector<std::uint32_t> pixels, std::vector<std::uint32_t> labels);

}  // namespace pbit::graphs

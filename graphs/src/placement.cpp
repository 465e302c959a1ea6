// DBM placement: which nodes are pixels, label bits, hidden units.
#include <pbit/error.hpp>
#include <pbit/graphs/placement.hpp>
#include <pbit/random.hpp>

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>

namespace pbit::graphs {

namespace {

constexpr int kFar = std::numeric_limits<int>::max();

// Farthest-point spread: the first node uniformly at random, then repeatedly the
// node farthest (in hops) from all chosen ones, ties broken uniformly at random.
// Nodes unreachable from the chosen set count as infinitely far, so every
// component gets visited before any is revisited.
std::vector<std::uint32_t> spread_nodes(const Graph& g, std::size_t count, Rng& rng) {
  const std::size_t n = g.num_nodes();
  const auto& off = g.adj_offsets();
  const auto& adj = g.adj();
  std::vector<int> dist(n, kFar);
  std::vector<std::uint32_t> chosen, frontier, next;
  chosen.reserve(count);
  while (chosen.size() < count) {
    std::uint32_t pick = 0;
    if (chosen.empty()) {
      pick = static_cast<std::uint32_t>(rng.below(n));
    } else {
      int best = -1;
      std::uint64_t ties = 0;
      for (std::uint32_t v = 0; v < n; ++v) {
        if (dist[v] < best || dist[v] == 0) continue;
        if (dist[v] > best) {
          best = dist[v];
          ties = 0;
        }
        if (rng.below(++ties) == 0) pick = v;  // reservoir sampling over the tied nodes
      }
    }
    chosen.push_back(pick);
    // Incremental BFS: only nodes that get strictly closer are expanded.
    dist[pick] = 0;
    frontier.assign(1, pick);
    for (int d = 1; !frontier.empty(); ++d) {
      next.clear();
      for (std::uint32_t v : frontier)
        for (std::uint32_t e = off[v]; e < off[v + 1]; ++e) {
          const std::uint32_t u = adj[e];
          if (dist[u] > d) {
            dist[u] = d;
            next.push_back(u);
          }
        }
      frontier.swap(next);
    }
  }
  // Selection order says nothing about the role: shuffle before assigning.
  for (std::size_t i = chosen.size(); i > 1; --i) std::swap(chosen[i - 1], chosen[rng.below(i)]);
  return chosen;
}

}  // namespace

Placement place_dbm(const Graph& g, int num_pixels, int num_labels, std::uint64_t seed,
                    PlacementMethod method) {
  const std::size_t n = g.num_nodes();
  if (num_pixels < 0 || num_labels < 0)
    throw Error("placement: pixel and label counts must be non-negative (got " +
                std::to_string(num_pixels) + " pixels, " + std::to_string(num_labels) + " labels)");
  const std::size_t visible =
      static_cast<std::size_t>(num_pixels) + static_cast<std::size_t>(num_labels);
  if (visible > n)
    throw Error("placement: " + std::to_string(num_pixels) + " pixels + " +
                std::to_string(num_labels) + " labels do not fit in " + std::to_string(n) +
                " nodes of " + g.spec());

  Rng rng(seed);
  std::vector<std::uint32_t> chosen;
  if (method == PlacementMethod::Random) {
    // Partial Fisher-Yates: the first `visible` slots are a uniform random
    // ordered sample of the nodes.
    std::vector<std::uint32_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0u);
    for (std::size_t i = 0; i < visible; ++i) std::swap(perm[i], perm[i + rng.below(n - i)]);
    chosen.assign(perm.begin(), perm.begin() + static_cast<std::ptrdiff_t>(visible));
  } else {
    chosen = spread_nodes(g, visible, rng);
  }

  std::vector<std::uint32_t> labels(chosen.begin() + num_pixels, chosen.end());
  chosen.resize(static_cast<std::size_t>(num_pixels));
  return placement_at(g, std::move(chosen), std::move(labels));
}

Placement placement_at(const Graph& g, std::vector<std::uint32_t> pixels, std::vector<std::uint32_t> labels) {
  const std::size_t n = g.num_nodes();
  Placement pl;
  pl.role.assign(n, Role::Hidden);
  pl.pixels = std::move(pixels);
  pl.labels = std::move(labels);
  auto assign = [&](const std::vector<std::uint32_t>& nodes, Role role, const char* what) {
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      const std::uint32_t v = nodes[k];
      if (v >= n)
        throw Error("placement: " + std::string(what) + " " + std::to_string(k) + " is node index " +
                    std::to_string(v) + ", outside the " + std::to_string(n) + " nodes of " + g.spec());
      if (pl.role[v] != Role::Hidden)
        throw Error("placement: node index " + std::to_string(v) + " (label " + std::to_string(g.label(v)) +
                    ") is used twice (" + what + " " + std::to_string(k) + ")");
      pl.role[v] = role;
    }
  };
  assign(pl.pixels, Role::Pixel, "pixel");
  assign(pl.labels, Role::Label, "label bit");
  for (std::uint32_t v = 0; v < n; ++v)
    if (pl.role[v] == Role::Hidden) pl.hidden.push_back(v);

  // Multi-source BFS from the visible set.
  std::vector<std::uint32_t> frontier(pl.pixels), next;
  frontier.insert(frontier.end(), pl.labels.begin(), pl.labels.end());
  pl.layer.assign(n, -1);
  for (std::uint32_t v : frontier) pl.layer[v] = 0;
  const auto& off = g.adj_offsets();
  const auto& adj = g.adj();
  for (int d = 0; !frontier.empty(); ++d) {
    pl.layer_sizes.push_back(static_cast<int>(frontier.size()));
    next.clear();
    for (std::uint32_t v : frontier)
      for (std::uint32_t e = off[v]; e < off[v + 1]; ++e) {
        const std::uint32_t u = adj[e];
        if (pl.layer[u] < 0) {
          pl.layer[u] = d + 1;
          next.push_back(u);
        }
      }
    frontier.swap(next);
  }
  return pl;
}

}  // namespace pbit::graphs

// Frustrated-loop instances with a planted ground state (planted.hpp).
#include <pbit/anneal/planted.hpp>
#include <pbit/error.hpp>
#include <pbit/random.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace pbit::anneal {
namespace {

std::size_t edge_index(const graphs::Graph& g, std::uint32_t u, std::uint32_t v) {
  if (u > v) std::swap(u, v);
  const auto& e = g.edges();
  const auto it = std::lower_bound(e.begin(), e.end(), graphs::Edge{u, v}, [](const graphs::Edge& a, const graphs::Edge& b) {
    return a.u != b.u ? a.u < b.u : a.v < b.v;
  });
  return static_cast<std::size_t>(it - e.begin());
}

}  // namespace

Planted planted_problem(std::shared_ptr<const graphs::Graph> graph, double alpha, int max_coupling,
                        std::uint64_t seed) {
  if (!graph) throw Error("planted: no graph");
  if (!(alpha > 0 && alpha <= 10)) throw Error("planted: the loop density alpha must be in (0, 10]");
  if (max_coupling < 1 || max_coupling > 1000) throw Error("planted: the coupling bound must be in [1, 1000]");
  const auto& g = *graph;
  const std::uint32_t n = static_cast<std::uint32_t>(g.num_nodes());
  const auto& off = g.adj_offsets();
  const auto& adj = g.adj();
  Rng rng(seed);
  const long want = std::max(1L, std::lround(alpha * n));
  std::vector<int> J(g.num_edges(), 0);  // in the all-+1 frame
  std::vector<std::int64_t> pos(n, -1);  // node -> index in the current walk
  std::vector<std::uint32_t> path;
  std::vector<std::size_t> loop_edges;
  Planted out;
  long tries = 0;
  const long max_tries = 200 * want + 1000;
  while (out.loops < want && tries++ < max_tries) {
    for (auto x : path) pos[x] = -1;
    path.clear();
    std::uint32_t cur = static_cast<std::uint32_t>(rng.below(n));
    if (off[cur + 1] == off[cur]) continue;
    std::uint32_t prev = cur;
    pos[cur] = 0;
    path.push_back(cur);
    // Walk without stepping straight back until the walk meets itself.
    std::int64_t hit = -1;
    for (std::uint32_t steps = 0; steps < 4 * n + 16 && hit < 0; ++steps) {
      const std::uint32_t deg = off[cur + 1] - off[cur];
      if (deg == 1 && path.size() > 1) break;  // dead end
      std::uint32_t next;
      do next = adj[off[cur] + rng.below(deg)];
      while (next == prev && path.size() > 1);
      if (pos[next] >= 0) {
        hit = pos[next];
        break;
      }
      prev = cur;
      cur = next;
      pos[cur] = static_cast<std::int64_t>(path.size());
      path.push_back(cur);
    }
    if (hit < 0) continue;
    const std::size_t len = path.size() - static_cast<std::size_t>(hit);
    if (len < 4) continue;
    loop_edges.clear();
    for (std::size_t k = static_cast<std::size_t>(hit); k < path.size(); ++k) {
      const std::uint32_t a = path[k], b = k + 1 < path.size() ? path[k + 1] : path[static_cast<std::size_t>(hit)];
      loop_edges.push_back(edge_index(g, a, b));
    }
    const std::size_t anti = static_cast<std::size_t>(rng.below(len));
    bool fits = true;
    for (std::size_t k = 0; k < len; ++k)
      fits = fits && std::abs(J[loop_edges[k]] + (k == anti ? -1 : 1)) <= max_coupling;
    if (!fits) continue;
    for (std::size_t k = 0; k < len; ++k) J[loop_edges[k]] += k == anti ? -1 : 1;
    out.ground_energy -= static_cast<double>(len - 2);
    ++out.loops;
  }
  if (out.loops == 0) throw Error("planted: no loops found on graph " + g.spec() + " (does it have cycles?)");
  out.ground_state.resize(n);
  for (auto& s : out.ground_state) s = rng.below(2) ? 1 : -1;
  out.problem = Problem::zeros(graph);
  const auto& edges = g.edges();
  for (std::size_t e = 0; e < edges.size(); ++e)
    out.problem.J[e] = J[e] * out.ground_state[edges[e].u] * out.ground_state[edges[e].v];
  return out;
}

}  // namespace pbit::anneal

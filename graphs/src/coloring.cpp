// Proper vertex colourings: structural (coordinate-based) optima for the D-Wave
// families and lattices, DSATUR and smallest-last greedy for everything else.
#include <pbit/graphs/coloring.hpp>
#include <pbit/graphs/coordinates.hpp>

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace pbit::graphs {

namespace {

int mod(int x, int m) {
  return ((x % m) + m) % m;
}

// Renumber colours densely (keeping their order) and set num_colors.
Coloring finish(std::vector<int> color, const char* method) {
  int max_color = -1;
  for (int c : color) max_color = std::max(max_color, c);
  std::vector<int> remap(static_cast<std::size_t>(max_color + 1), -1);
  for (int c : color) remap[static_cast<std::size_t>(c)] = 0;
  int next = 0;
  for (int& r : remap)
    if (r == 0) r = next++;
  for (int& c : color) c = remap[static_cast<std::size_t>(c)];
  Coloring out;
  out.color = std::move(color);
  out.num_colors = next;
  out.method = method;
  return out;
}

// Greedy colouring in the given order: each node takes the smallest colour not
// used by an already coloured neighbour.
std::vector<int> greedy(const Graph& g, const std::vector<std::uint32_t>& order) {
  const auto& off = g.adj_offsets();
  const auto& adj = g.adj();
  std::vector<int> color(g.num_nodes(), -1);
  std::vector<std::uint32_t> stamp;  // stamp[c] == v + 1: colour c is taken next to v
  for (std::uint32_t v : order) {
    for (std::uint32_t e = off[v]; e < off[v + 1]; ++e) {
      const int c = color[adj[e]];
      if (c < 0) continue;
      if (static_cast<std::size_t>(c) >= stamp.size())
        stamp.resize(static_cast<std::size_t>(c) + 1, 0);
      stamp[static_cast<std::size_t>(c)] = v + 1;
    }
    int c = 0;
    while (static_cast<std::size_t>(c) < stamp.size() &&
           stamp[static_cast<std::size_t>(c)] == v + 1)
      ++c;
    color[v] = c;
  }
  return color;
}

}  // namespace

bool is_proper(const Graph& g, const std::vector<int>& color) {
  if (color.size() != g.num_nodes()) return false;
  for (int c : color)
    if (c < 0) return false;
  for (const Edge& e : g.edges())
    if (color[e.u] == color[e.v]) return false;
  return true;
}

// Structural colourings (each is proper by construction; best_coloring checks):
//  Chimera (i,j,u,k):  (i + j + u) mod 2. Tile couplers flip u; vertical couplers
//      (u = 0) flip i; horizontal couplers (u = 1) flip j. Optimal: 2 colours.
//  Pegasus (u,w,k,z):  2u + (k + z) mod 2. External couplers move z by 1, odd
//      couplers move k by 1 within an orientation, and internal couplers join the
//      disjoint colour pairs {0,1} (vertical) and {2,3} (horizontal). Optimal:
//      odd-coupled pairs crossing each other form K4.
//  Zephyr (u,w,k,j,z): with p = 2z + j the position along the line,
//      vertical (p - w) mod 4, horizontal (w - p + 1) mod 4. Along a line the
//      couplers join p to p+1 and p+2, whose colours differ by 1 and 2. A
//      vertical node (column W, rows p,p+1) meets a horizontal node (row W', columns
//      q,q+1) only if W' = p + e and W = q + e' (e, e' in {0,1}); then the colours
//      differ by e + e' + 1 in {1,2,3}, never 0 mod 4. Optimal: K4 as in Pegasus.
//  Lattice (r,c): (r + c) mod 2, bipartite unless periodic with an odd side.
//  King (r,c): 2(r mod 2) + (c mod 2), unless periodic with an odd side; every
//      2x2 block is a K4, so 4 is optimal.
std::optional<Coloring> structural_coloring(const Graph& g) {
  const std::size_t n = g.num_nodes();
  const auto& p = g.params();
  std::vector<int> color(n);
  switch (g.family()) {
    case Family::Chimera:
      for (std::size_t v = 0; v < n; ++v) {
        const auto c =
            chimera_from_linear(g.label(static_cast<std::uint32_t>(v)), p.at(0), p.at(1), p.at(2));
        color[v] = (c.i + c.j + c.u) % 2;
      }
      break;
    case Family::Pegasus:
      for (std::size_t v = 0; v < n; ++v) {
        const auto c = pegasus_from_linear(g.label(static_cast<std::uint32_t>(v)), p.at(0));
        color[v] = 2 * c.u + (c.k + c.z) % 2;
      }
      break;
    case Family::Zephyr:
      for (std::size_t v = 0; v < n; ++v) {
        const auto c = zephyr_from_linear(g.label(static_cast<std::uint32_t>(v)), p.at(0), p.at(1));
        const int pos = 2 * c.z + c.j;
        color[v] = c.u == 0 ? mod(pos - c.w, 4) : mod(c.w - pos + 1, 4);
      }
      break;
    case Family::Lattice:
    case Family::King: {
      const int rows = p.at(0), cols = p.at(1);
      const bool periodic = p.at(2) != 0;
      if (periodic && (rows % 2 != 0 || cols % 2 != 0)) return std::nullopt;
      for (std::size_t v = 0; v < n; ++v) {
        const Label q = g.label(static_cast<std::uint32_t>(v));
        const int r = static_cast<int>(q / cols), c = static_cast<int>(q % cols);
        color[v] = g.family() == Family::Lattice ? (r + c) % 2 : 2 * (r % 2) + c % 2;
      }
      break;
    }
    default:
      return std::nullopt;
  }
  return finish(std::move(color), "structural");
}

// DSATUR (Brelaz 1979): repeatedly colour the uncoloured node with the most
// distinct neighbour colours, ties broken by most uncoloured neighbours, then by
// lowest index; it takes the smallest colour missing from its neighbourhood.
// The queue is a binary heap with lazy deletion (a node's entry is pushed again
// whenever its key changes; outdated entries are skipped when they surface),
// and each node's distinct neighbour colours sit, sorted, in its own slice of
// one flat array (at most degree entries): no allocation per node, so graphs
// of millions of nodes colour in about a second.
Coloring dsatur_coloring(const Graph& g) {
  const std::size_t n = g.num_nodes();
  const auto& off = g.adj_offsets();
  const auto& adj = g.adj();
  std::vector<int> color(n, -1);
  std::vector<int> seen(adj.size());      // node v's colours: seen[off[v] .. off[v] + sat[v])
  std::vector<std::uint32_t> sat(n, 0);   // distinct neighbour colours
  std::vector<std::uint32_t> free_deg(n);
  struct Entry {
    std::uint32_t sat, free_deg, v;
  };
  // std::less on (saturation, uncoloured degree, -index): the largest first.
  auto less = [](const Entry& a, const Entry& b) {
    if (a.sat != b.sat) return a.sat < b.sat;
    if (a.free_deg != b.free_deg) return a.free_deg < b.free_deg;
    return a.v > b.v;
  };
  std::vector<Entry> heap;
  heap.reserve(n);
  for (std::uint32_t v = 0; v < n; ++v) {
    free_deg[v] = g.degree(v);
    // An isolated node takes colour 0 whenever it comes, and touches no other node.
    if (free_deg[v] == 0)
      color[v] = 0;
    else
      heap.push_back({0, free_deg[v], v});
  }
  std::make_heap(heap.begin(), heap.end(), less);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), less);
    const Entry top = heap.back();
    heap.pop_back();
    const std::uint32_t v = top.v;
    if (color[v] >= 0 || top.sat != sat[v] || top.free_deg != free_deg[v]) continue;  // outdated
    int c = 0;
    for (std::uint32_t k = 0; k < sat[v]; ++k) {
      if (seen[off[v] + k] != c) break;
      ++c;
    }
    color[v] = c;
    for (std::uint32_t e = off[v]; e < off[v + 1]; ++e) {
      const std::uint32_t u = adj[e];
      if (color[u] >= 0) continue;
      int* first = seen.data() + off[u];
      int* last = first + sat[u];
      int* it = std::lower_bound(first, last, c);
      if (it == last || *it != c) {
        std::copy_backward(it, last, last + 1);
        *it = c;
        ++sat[u];
      }
      --free_deg[u];
      heap.push_back({sat[u], free_deg[u], u});
      std::push_heap(heap.begin(), heap.end(), less);
    }
  }
  return finish(std::move(color), "dsatur");
}

// Smallest-last (Matula & Beck 1983): peel off a minimum-degree node of the
// remaining graph until none is left (bucket queue, O(n + m)), then colour
// greedily in the reverse peeling order.
Coloring smallest_last_coloring(const Graph& g) {
  const std::size_t n = g.num_nodes();
  const auto& off = g.adj_offsets();
  const auto& adj = g.adj();
  std::vector<std::uint32_t> deg(n);
  std::uint32_t max_deg = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    deg[v] = g.degree(v);
    max_deg = std::max(max_deg, deg[v]);
  }
  // vert: nodes sorted by current degree; bin[d]: first slot of degree d; pos: slot of a node.
  std::vector<std::uint32_t> bin(max_deg + 2, 0), vert(n), pos(n);
  for (std::uint32_t v = 0; v < n; ++v) ++bin[deg[v] + 1];
  for (std::size_t d = 1; d < bin.size(); ++d) bin[d] += bin[d - 1];
  {
    std::vector<std::uint32_t> next(bin.begin(), bin.end() - 1);
    for (std::uint32_t v = 0; v < n; ++v) {
      pos[v] = next[deg[v]]++;
      vert[pos[v]] = v;
    }
  }
  // Slot i holds the i-th peeled node: its current degree is minimal among slots >= i.
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t v = vert[i];
    for (std::uint32_t e = off[v]; e < off[v + 1]; ++e) {
      const std::uint32_t u = adj[e];
      if (pos[u] > i) {
        // u is still in the graph: move it to the front of the remaining part of
        // its degree bucket, which then becomes the back of bucket deg-1. Slots
        // after i stay sorted by (true, current) degree.
        const std::uint32_t du = deg[u];
        const std::uint32_t pu = pos[u];
        const std::uint32_t pw =
            std::max<std::uint32_t>(bin[du], static_cast<std::uint32_t>(i + 1));
        const std::uint32_t w = vert[pw];
        if (u != w) {
          vert[pu] = w;
          pos[w] = pu;
          vert[pw] = u;
          pos[u] = pw;
        }
        bin[du] = pw + 1;
        --deg[u];
      }
    }
  }
  std::vector<std::uint32_t> order(vert.rbegin(), vert.rend());
  return finish(greedy(g, order), "smallest-last");
}

Coloring best_coloring(const Graph& g) {
  auto check = [&](Coloring c) {
    if (!is_proper(g, c.color))
      throw std::logic_error("graphs: " + c.method + " colouring of " + g.spec() +
                             " is not proper");
    return c;
  };
  if (!g.given_coloring().empty()) {
    Coloring c{g.given_coloring(), 0, "given"};
    for (int k : c.color) c.num_colors = std::max(c.num_colors, k + 1);
    return check(std::move(c));
  }
  if (auto s = structural_coloring(g)) return check(std::move(*s));
  Coloring s = smallest_last_coloring(g);
  if (g.num_nodes() + g.num_edges() > kDsaturMaxSize) return check(std::move(s));
  Coloring d = dsatur_coloring(g);
  return check(s.num_colors < d.num_colors ? std::move(s) : std::move(d));
}

}  // namespace pbit::graphs

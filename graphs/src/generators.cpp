// Topology generators: D-Wave families (Chimera, Pegasus, Zephyr) with
// dwave-networkx's default linear labels, lattices, random graphs.
#include "detail.hpp"

#include <pbit/error.hpp>
#include <pbit/graphs/coordinates.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/random.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>
#include <vector>

namespace pbit::graphs {

namespace {

using EdgeList = std::vector<std::pair<Label, Label>>;

std::vector<Label> iota_labels(std::size_t n) {
  std::vector<Label> labels(n);
  for (std::size_t i = 0; i < n; ++i) labels[i] = static_cast<Label>(i);
  return labels;
}

void require_at_least(const char* family, const char* what, int value, int minimum) {
  if (value < minimum)
    throw Error(std::string(family) + ": " + what + " must be >= " + std::to_string(minimum) +
                " (got " + std::to_string(value) + ")");
}

// ---- Pegasus ---------------------------------------------------------------
// Default offset lists of dwave_networkx.pegasus_graph (offsets_index = 0):
// vertical qubits (u = 0) and horizontal qubits (u = 1), indexed by k.
constexpr std::array<int, 12> kPegasusOffsets0 = {2, 2, 2, 2, 10, 10, 10, 10, 6, 6, 6, 6};
constexpr std::array<int, 12> kPegasusOffsets1 = {6, 6, 6, 6, 2, 2, 2, 2, 10, 10, 10, 10};

constexpr int array_min(const std::array<int, 12>& a) {
  int r = a[0];
  for (int x : a) r = x < r ? x : r;
  return r;
}
constexpr int array_max(const std::array<int, 12>& a) {
  int r = a[0];
  for (int x : a) r = x > r ? x : r;
  return r;
}

// fabric_only=True keeps, for orientation u, the tracks k with
//   k >= kFabricStart[u] when w == 0 and k < 12 - kFabricEnd[u] when w == m-1.
// Vertical tracks are bounded by the horizontal offsets and vice versa.
constexpr std::array<int, 2> kFabricStart = {array_min(kPegasusOffsets1),
                                             array_min(kPegasusOffsets0)};
constexpr std::array<int, 2> kFabricEnd = {12 - array_max(kPegasusOffsets1),
                                           12 - array_max(kPegasusOffsets0)};

bool pegasus_in_fabric(int m, int u, int w, int k) {
  if (w == 0 && k < kFabricStart[u]) return false;
  if (w == m - 1 && k >= 12 - kFabricEnd[u]) return false;
  return true;
}

// ---- lattices ----------------------------------------------------------------
Graph grid_graph(Family family, const char* name, int rows, int cols, bool periodic,
                 bool diagonals) {
  require_at_least(name, "rows", rows, 1);
  require_at_least(name, "cols", cols, 1);
  if (periodic && (rows < 3 || cols < 3))
    throw Error(std::string(name) + ": periodic needs both sides >= 3 (got " +
                std::to_string(rows) + "x" + std::to_string(cols) + ")");
  const std::uint64_t n =
      detail::mul_sat(static_cast<std::uint64_t>(rows), static_cast<std::uint64_t>(cols));
  detail::check_size(name, n, detail::mul_sat(n, diagonals ? 4 : 2));

  // Neighbours "forward" of (r, c): right, down, and for the king also the two
  // lower diagonals. Every undirected edge is produced exactly once.
  std::vector<std::pair<int, int>> steps = {{0, 1}, {1, 0}};
  if (diagonals) {
    steps.emplace_back(1, 1);
    steps.emplace_back(1, -1);
  }
  EdgeList edges;
  edges.reserve(static_cast<std::size_t>(n) * steps.size());
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      for (const auto& [dr, dc] : steps) {
        int r2 = r + dr;
        int c2 = c + dc;
        if (periodic) {
          r2 = (r2 + rows) % rows;
          c2 = (c2 + cols) % cols;
        } else if (r2 >= rows || c2 < 0 || c2 >= cols) {
          continue;
        }
        edges.emplace_back(static_cast<Label>(r) * cols + c, static_cast<Label>(r2) * cols + c2);
      }
    }
  }
  std::string spec = std::string(name) + ":" + std::to_string(rows) + "x" + std::to_string(cols);
  if (periodic) spec += ",periodic";
  return Graph::from_labeled_edges(family, {rows, cols, periodic ? 1 : 0}, std::move(spec),
                                   iota_labels(static_cast<std::size_t>(n)), edges);
}

std::uint64_t edge_key(std::uint32_t a, std::uint32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<std::uint64_t>(a) << 32) | b;
}

template <class T>
void shuffle(std::vector<T>& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng.below(i));
    std::swap(v[i - 1], v[j]);
  }
}

}  // namespace

namespace detail {

std::string format_double(double x) {
  char buf[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

}  // namespace detail

// ---- Chimera -----------------------------------------------------------------
// Node (i, j, u, k) has label ((n*i + j)*2 + u)*t + k. Edges: the complete
// bipartite tile (i,j,0,*)-(i,j,1,*), vertical couplers (i,j,0,k)-(i+1,j,0,k)
// and horizontal couplers (i,j,1,k)-(i,j+1,1,k).
Graph chimera(int m, int n, int t) {
  if (n == 0) n = m;
  require_at_least("chimera", "m", m, 1);
  require_at_least("chimera", "n", n, 1);
  require_at_least("chimera", "t", t, 1);
  const std::uint64_t um = static_cast<std::uint64_t>(m), un = static_cast<std::uint64_t>(n),
                      ut = static_cast<std::uint64_t>(t);
  const std::uint64_t nodes = detail::mul_sat(detail::mul_sat(2 * um, un), ut);
  const std::uint64_t edges_count =
      detail::add_sat(detail::mul_sat(detail::mul_sat(ut, ut), detail::mul_sat(um, un)),
                      detail::mul_sat(ut, detail::add_sat((um - 1) * un, um * (un - 1))));
  detail::check_size("chimera", nodes, edges_count);

  auto label = [&](int i, int j, int u, int k) {
    return ((static_cast<Label>(n) * i + j) * 2 + u) * t + k;
  };
  EdgeList edges;
  edges.reserve(static_cast<std::size_t>(edges_count));
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      for (int k0 = 0; k0 < t; ++k0)
        for (int k1 = 0; k1 < t; ++k1) edges.emplace_back(label(i, j, 0, k0), label(i, j, 1, k1));
      for (int k = 0; k < t; ++k) {
        if (i + 1 < m) edges.emplace_back(label(i, j, 0, k), label(i + 1, j, 0, k));
        if (j + 1 < n) edges.emplace_back(label(i, j, 1, k), label(i, j + 1, 1, k));
      }
    }
  }
  return Graph::from_labeled_edges(
      Family::Chimera, {m, n, t},
      "chimera:" + std::to_string(m) + "," + std::to_string(n) + "," + std::to_string(t),
      iota_labels(static_cast<std::size_t>(nodes)), edges);
}

// ---- Pegasus -----------------------------------------------------------------
// Pegasus index (u, w, k, z): orientation u, tile column/row w in [0, m),
// track k in [0, 12), position z in [0, m-1) along the track; label
// ((m*u + w)*12 + k)*(m-1) + z. Edges between fabric nodes:
//   external  (u,w,k,z) - (u,w,k,z+1)
//   odd       (u,w,2h,z) - (u,w,2h+1,z)
//   internal  (0,w,k,z) - (1, z + [kk < S0[k]], kk, w - [k < S1[kk]])
//             for every horizontal track kk whose node lies inside the lattice.
const std::array<int, 12>& pegasus_offsets(int orientation) {
  if (orientation != 0 && orientation != 1)
    throw Error("pegasus_offsets: orientation must be 0 or 1 (got " + std::to_string(orientation) + ")");
  return orientation == 0 ? kPegasusOffsets0 : kPegasusOffsets1;
}

Graph pegasus(int m) {
  require_at_least("pegasus", "m", m, 2);
  const std::uint64_t um = static_cast<std::uint64_t>(m);
  // 8(m-1)(3m-1) nodes and 180m^2 - 360m + 164 edges for the default offsets.
  const std::uint64_t nodes = detail::mul_sat(8 * (um - 1), detail::mul_sat(3, um) - 1);
  const std::uint64_t edge_bound = detail::mul_sat(180, detail::mul_sat(um, um));
  detail::check_size("pegasus", nodes, edge_bound);

  const int m1 = m - 1;
  auto label = [&](int u, int w, int k, int z) {
    return ((static_cast<Label>(m) * u + w) * 12 + k) * m1 + z;
  };
  std::vector<Label> labels;
  labels.reserve(static_cast<std::size_t>(nodes));
  EdgeList edges;
  edges.reserve(static_cast<std::size_t>(edge_bound));
  for (int u = 0; u < 2; ++u) {
    for (int w = 0; w < m; ++w) {
      for (int k = 0; k < 12; ++k) {
        if (!pegasus_in_fabric(m, u, w, k)) continue;
        for (int z = 0; z < m1; ++z) {
          labels.push_back(label(u, w, k, z));
          if (z + 1 < m1) edges.emplace_back(label(u, w, k, z), label(u, w, k, z + 1));
          // Fabric bounds are even, so the odd partner k+1 is in the fabric too.
          if (k % 2 == 0) edges.emplace_back(label(u, w, k, z), label(u, w, k + 1, z));
          if (u == 0) {
            for (int kk = 0; kk < 12; ++kk) {
              const int w1 = z + (kk < kPegasusOffsets0[static_cast<std::size_t>(k)] ? 1 : 0);
              const int z1 = w - (k < kPegasusOffsets1[static_cast<std::size_t>(kk)] ? 1 : 0);
              if (z1 < 0 || z1 >= m1) continue;  // w1 in [0, m) always holds
              if (!pegasus_in_fabric(m, 1, w1, kk)) continue;
              edges.emplace_back(label(0, w, k, z), label(1, w1, kk, z1));
            }
          }
        }
      }
    }
  }
  return Graph::from_labeled_edges(Family::Pegasus, {m}, "pegasus:" + std::to_string(m),
                                   std::move(labels), edges);
}

// ---- Zephyr ------------------------------------------------------------------
// Zephyr index (u, w, k, j, z): orientation u, line w in [0, 2m], track k in
// [0, t), half j in {0, 1}, position z in [0, m); label
// (((u*(2m+1) + w)*t + k)*2 + j)*m + z. Along one line (u, w, k) the node
// (j, z) sits at p = 2z + j and touches its neighbours at p +- 1 (odd couplers)
// and p +- 2 (external couplers). A vertical node (0, W, k, j, z) spans rows
// {2z+j, 2z+j+1} of column W; a horizontal node (1, W', h, i, z') spans columns
// {2z'+i, 2z'+i+1} of row W'; they are coupled (internal) iff they cross.
Graph zephyr(int m, int t) {
  require_at_least("zephyr", "m", m, 1);
  require_at_least("zephyr", "t", t, 1);
  const std::uint64_t um = static_cast<std::uint64_t>(m), ut = static_cast<std::uint64_t>(t);
  const std::uint64_t nodes = detail::mul_sat(detail::mul_sat(4 * ut, um), 2 * um + 1);
  // 2t((8t+8)m^2 - 2m - 3) edges.
  const std::uint64_t edges_count =
      detail::mul_sat(2 * ut, detail::mul_sat(detail::mul_sat(8 * ut + 8, um), um) - 2 * um - 3);
  detail::check_size("zephyr", nodes, edges_count);

  const int M = 2 * m + 1;
  auto label = [&](int u, int w, int k, int j, int z) {
    return ((((static_cast<Label>(u) * M + w) * t + k) * 2 + j) * m) + z;
  };
  EdgeList edges;
  edges.reserve(static_cast<std::size_t>(edges_count));
  for (int u = 0; u < 2; ++u) {
    for (int w = 0; w < M; ++w) {
      for (int k = 0; k < t; ++k) {
        for (int z = 0; z < m; ++z) {
          for (int j = 0; j < 2; ++j)
            if (z + 1 < m)
              edges.emplace_back(label(u, w, k, j, z), label(u, w, k, j, z + 1));  // external
          edges.emplace_back(label(u, w, k, 0, z), label(u, w, k, 1, z));          // odd, p ~ p+1
          if (z > 0)
            edges.emplace_back(label(u, w, k, 0, z), label(u, w, k, 1, z - 1));  // odd, p ~ p-1
        }
      }
    }
  }
  // Internal couplers, enumerated from the vertical side: node (0, W, k, j, z)
  // at rows p, p+1 (p = 2z+j) crosses row W' in {p, p+1}; the horizontal nodes
  // on row W' covering column W are those with q = 2z'+i in {W-1, W}.
  for (int W = 0; W < M; ++W) {
    for (int k = 0; k < t; ++k) {
      for (int j = 0; j < 2; ++j) {
        for (int z = 0; z < m; ++z) {
          const int p = 2 * z + j;
          for (int Wr = p; Wr <= p + 1; ++Wr) {
            for (int q = W - 1; q <= W; ++q) {
              if (q < 0 || q >= 2 * m) continue;
              for (int h = 0; h < t; ++h)
                edges.emplace_back(label(0, W, k, j, z), label(1, Wr, h, q % 2, q / 2));
            }
          }
        }
      }
    }
  }
  return Graph::from_labeled_edges(Family::Zephyr, {m, t},
                                   "zephyr:" + std::to_string(m) + "," + std::to_string(t),
                                   iota_labels(static_cast<std::size_t>(nodes)), edges);
}

// ---- lattices ----------------------------------------------------------------
Graph lattice(int rows, int cols, bool periodic) {
  return grid_graph(Family::Lattice, "lattice", rows, cols, periodic, false);
}
Graph king(int rows, int cols, bool periodic) {
  return grid_graph(Family::King, "king", rows, cols, periodic, true);
}

// ---- random regular ----------------------------------------------------------
// Open-addressing set of non-zero edge keys (edge_key(a, b) with a != b is
// never 0): no allocation per edge, unlike std::unordered_set.
class EdgeKeySet {
 public:
  void reset(std::size_t expected) {
    std::size_t cap = 16;
    shift_ = 60;
    while (cap < 2 * expected + 2) cap *= 2, --shift_;
    slots_.assign(cap, 0);
    size_ = 0;
  }
  // True if the key was not there (and is now).
  bool insert(std::uint64_t key) {
    std::size_t i = slot(key);
    while (slots_[i] != 0) {
      if (slots_[i] == key) return false;
      i = (i + 1) & (slots_.size() - 1);
    }
    slots_[i] = key;
    ++size_;
    return true;
  }
  bool contains(std::uint64_t key) const {
    for (std::size_t i = slot(key); slots_[i] != 0; i = (i + 1) & (slots_.size() - 1))
      if (slots_[i] == key) return true;
    return false;
  }
  std::size_t size() const { return size_; }
  template <class F>
  void for_each(F f) const {
    for (std::uint64_t k : slots_)
      if (k != 0) f(k);
  }

 private:
  std::size_t slot(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);  // Fibonacci hashing
  }
  std::vector<std::uint64_t> slots_;
  int shift_ = 60;
  std::size_t size_ = 0;
};

// Pairing (configuration) model in the style of Steger & Wormald: shuffle the
// n*d stubs, pair neighbours, keep the pairs that are neither loops nor
// repeats, and re-shuffle only the rejected stubs. When the remaining stubs
// admit no legal pair at all (or stop making progress), restart from scratch.
// For d > (n-1)/2 the complement of a random (n-1-d)-regular graph is used.
Graph random_regular(int n, int d, std::uint64_t seed) {
  require_at_least("regular", "n", n, 1);
  require_at_least("regular", "d", d, 0);
  if (d >= n)
    throw Error("regular: d must be < n (got n=" + std::to_string(n) + ", d=" + std::to_string(d) +
                ")");
  const std::uint64_t stubs_count =
      detail::mul_sat(static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(d));
  if (stubs_count % 2 != 0)
    throw Error("regular: n*d must be even (got n=" + std::to_string(n) +
                ", d=" + std::to_string(d) + ")");
  detail::check_size("regular", static_cast<std::uint64_t>(n), stubs_count / 2);

  // Dense case: build the sparse complement (n-1-d)-regular graph instead,
  // where the pairing model rarely gets stuck, and complement it.
  if (d > (n - 1) / 2 && n - 1 - d < d) {
    const Graph sparse = random_regular(n, n - 1 - d, seed);
    EdgeList edges;
    edges.reserve(static_cast<std::size_t>(stubs_count / 2));
    for (std::uint32_t v = 0; v < sparse.num_nodes(); ++v) {
      auto it = sparse.adj().begin() + sparse.adj_offsets()[v];
      const auto end = sparse.adj().begin() + sparse.adj_offsets()[v + 1];
      for (std::uint32_t w = v + 1; w < sparse.num_nodes(); ++w) {
        while (it != end && *it < w) ++it;
        if (it == end || *it != w) edges.emplace_back(v, w);
      }
    }
    return Graph::from_labeled_edges(
        Family::Regular, {n, d},
        "regular:" + std::to_string(n) + "," + std::to_string(d) + "," + std::to_string(seed),
        iota_labels(static_cast<std::size_t>(n)), edges);
  }

  constexpr int kMaxRestarts = 200;
  constexpr int kMaxStalls = 64;
  Rng rng(seed);
  EdgeKeySet present;
  std::vector<std::uint32_t> stubs, rejected;
  for (int attempt = 0; attempt < kMaxRestarts; ++attempt) {
    present.reset(static_cast<std::size_t>(stubs_count / 2));
    stubs.clear();
    for (int v = 0; v < n; ++v)
      for (int r = 0; r < d; ++r) stubs.push_back(static_cast<std::uint32_t>(v));
    int stalls = 0;
    bool stuck = false;
    while (!stubs.empty() && !stuck) {
      shuffle(stubs, rng);
      rejected.clear();
      for (std::size_t i = 0; i + 1 < stubs.size(); i += 2) {
        const std::uint32_t a = stubs[i], b = stubs[i + 1];
        if (a == b || !present.insert(edge_key(a, b))) {
          rejected.push_back(a);
          rejected.push_back(b);
        }
      }
      stalls = rejected.size() == stubs.size() ? stalls + 1 : 0;
      stubs.swap(rejected);
      if (stubs.empty()) break;
      // Any legal pair left? Each owner of a free stub has degree < d, so with
      // more than d distinct owners some pair is non-adjacent; else check all.
      std::vector<std::uint32_t> owners(stubs);
      std::sort(owners.begin(), owners.end());
      owners.erase(std::unique(owners.begin(), owners.end()), owners.end());
      bool legal = owners.size() > static_cast<std::size_t>(d);
      for (std::size_t x = 0; !legal && x < owners.size(); ++x)
        for (std::size_t y = x + 1; !legal && y < owners.size(); ++y)
          legal = !present.contains(edge_key(owners[x], owners[y]));
      stuck = !legal || stalls >= kMaxStalls;
    }
    if (!stubs.empty()) continue;
    EdgeList edges;
    edges.reserve(present.size());
    present.for_each([&](std::uint64_t key) {
      edges.emplace_back(static_cast<Label>(key >> 32), static_cast<Label>(key & 0xffffffffu));
    });
    return Graph::from_labeled_edges(
        Family::Regular, {n, d},
        "regular:" + std::to_string(n) + "," + std::to_string(d) + "," + std::to_string(seed),
        iota_labels(static_cast<std::size_t>(n)), edges);
  }
  throw Error("regular: no simple " + std::to_string(d) + "-regular graph on " + std::to_string(n) +
              " nodes found after " + std::to_string(kMaxRestarts) + " attempts (seed " +
              std::to_string(seed) + ")");
}

// ---- Erdos-Renyi ---------------------------------------------------------------
Graph erdos_renyi(int n, double p, std::uint64_t seed) {
  require_at_least("er", "n", n, 1);
  if (!(p >= 0.0 && p <= 1.0))
    throw Error("er: p must be in [0, 1] (got " + detail::format_double(p) + ")");
  const double pairs = 0.5 * static_cast<double>(n) * static_cast<double>(n - 1);
  const double expected = pairs * p;
  detail::check_size("er", static_cast<std::uint64_t>(n),
                     expected >= 1.8e19 ? std::numeric_limits<std::uint64_t>::max()
                                        : static_cast<std::uint64_t>(std::ceil(expected)));

  EdgeList edges;
  if (p >= 1.0) {
    for (int v = 1; v < n; ++v)
      for (int w = 0; w < v; ++w) edges.emplace_back(w, v);
  } else if (p > 0.0) {
    // Batagelj-Brandes: walk the lower triangle (v > w) in row order, jumping
    // over a geometric number of non-edges each time.
    Rng rng(seed);
    const double log_q = std::log1p(-p);
    std::int64_t v = 1, w = -1;
    while (v < n) {
      const double r = rng.uniform();  // [0, 1)
      const double skip = std::floor(std::log1p(-r) / log_q);
      if (skip > pairs) break;  // jumps past the last pair (also guards the cast)
      w += 1 + static_cast<std::int64_t>(skip);
      while (w >= v && v < n) {
        w -= v;
        ++v;
      }
      if (v < n) edges.emplace_back(w, v);
    }
  }
  return Graph::from_labeled_edges(
      Family::ErdosRenyi, {n},
      "er:" + std::to_string(n) + "," + detail::format_double(p) + "," + std::to_string(seed),
      iota_labels(static_cast<std::size_t>(n)), edges);
}

}  // namespace pbit::graphs

// Graph: validated construction from labelled edges, CSR adjacency, lookups.
#include <pbit/error.hpp>
#include <pbit/graphs/graph.hpp>

#include <algorithm>
#include <limits>
#include <string>

namespace pbit::graphs {

namespace {

std::string edge_text(Label u, Label v) {
  return "(" + std::to_string(u) + ", " + std::to_string(v) + ")";
}

}  // namespace

Graph Graph::from_labeled_edges(Family family, std::vector<int> params, std::string spec,
                                std::vector<Label> labels,
                                const std::vector<std::pair<Label, Label>>& edges) {
  const std::string where = spec.empty() ? std::string("graph") : "graph " + spec;
  if (labels.size() > std::numeric_limits<std::uint32_t>::max() - 1)
    throw Error(where + ": too many nodes (" + std::to_string(labels.size()) + ")");
  if (edges.size() > std::numeric_limits<std::uint32_t>::max() / 2)
    throw Error(where + ": too many edges (" + std::to_string(edges.size()) + ")");

  Graph g;
  g.family_ = family;
  g.params_ = std::move(params);
  g.spec_ = std::move(spec);

  if (!std::is_sorted(labels.begin(), labels.end())) std::sort(labels.begin(), labels.end());
  const auto dup = std::adjacent_find(labels.begin(), labels.end());
  if (dup != labels.end()) throw Error(where + ": duplicate node label " + std::to_string(*dup));
  g.labels_ = std::move(labels);
  g.contiguous_ = !g.labels_.empty() &&
                  static_cast<std::uint64_t>(g.labels_.back() - g.labels_.front()) == g.labels_.size() - 1;

  // Map to compact indices, orient u < v.
  g.edges_.reserve(edges.size());
  for (const auto& [a, b] : edges) {
    if (a == b) throw Error(where + ": self-loop on node " + std::to_string(a));
    const auto ia = g.index_of(a);
    if (!ia)
      throw Error(where + ": edge " + edge_text(a, b) + " has unknown node label " +
                  std::to_string(a));
    const auto ib = g.index_of(b);
    if (!ib)
      throw Error(where + ": edge " + edge_text(a, b) + " has unknown node label " +
                  std::to_string(b));
    g.edges_.push_back(*ia < *ib ? Edge{*ia, *ib} : Edge{*ib, *ia});
  }
  const auto by_uv = [](const Edge& x, const Edge& y) { return x.u != y.u ? x.u < y.u : x.v < y.v; };
  if (!std::is_sorted(g.edges_.begin(), g.edges_.end(), by_uv)) std::sort(g.edges_.begin(), g.edges_.end(), by_uv);
  const auto dup_edge = std::adjacent_find(g.edges_.begin(), g.edges_.end());
  if (dup_edge != g.edges_.end())
    throw Error(where + ": duplicate edge " +
                edge_text(g.labels_[dup_edge->u], g.labels_[dup_edge->v]));

  // CSR. Edges are sorted by (u, v), so visiting them in order appends, for every
  // node x, first its lower neighbours (as v of (u, x), u ascending) and then its
  // higher neighbours (as u of (x, v), v ascending): rows come out sorted.
  const std::size_t n = g.labels_.size();
  g.adj_offsets_.assign(n + 1, 0);
  for (const Edge& e : g.edges_) {
    ++g.adj_offsets_[e.u + 1];
    ++g.adj_offsets_[e.v + 1];
  }
  for (std::size_t i = 0; i < n; ++i) g.adj_offsets_[i + 1] += g.adj_offsets_[i];
  g.adj_.resize(2 * g.edges_.size());
  std::vector<std::uint32_t> fill(g.adj_offsets_.begin(), g.adj_offsets_.end() - 1);
  for (const Edge& e : g.edges_) {
    g.adj_[fill[e.u]++] = e.v;
    g.adj_[fill[e.v]++] = e.u;
  }
  return g;
}

std::optional<std::uint32_t> Graph::index_of(Label label) const {
  if (contiguous_) {
    if (label < labels_.front() || label > labels_.back()) return std::nullopt;
    return static_cast<std::uint32_t>(label - labels_.front());
  }
  const auto it = std::lower_bound(labels_.begin(), labels_.end(), label);
  if (it == labels_.end() || *it != label) return std::nullopt;
  return static_cast<std::uint32_t>(it - labels_.begin());
}

bool Graph::has_edge(std::uint32_t u, std::uint32_t v) const {
  if (u >= num_nodes() || v >= num_nodes()) return false;
  const auto first = adj_.begin() + adj_offsets_[u];
  const auto last = adj_.begin() + adj_offsets_[u + 1];
  return std::binary_search(first, last, v);
}

// Built on first use; like any lazily filled cache, the first call must not race
// with another call on the same Graph object.
const BoostGraph& Graph::boost() const {
  if (!boost_) {
    BoostGraph bg(num_nodes());
    for (const Edge& e : edges_) boost::add_edge(e.u, e.v, bg);
    boost_.emplace(std::move(bg));
  }
  return *boost_;
}

const char* family_name(Family f) {
  switch (f) {
    case Family::Chimera:
      return "chimera";
    case Family::Pegasus:
      return "pegasus";
    case Family::Zephyr:
      return "zephyr";
    case Family::Lattice:
      return "lattice";
    case Family::King:
      return "king";
    case Family::Regular:
      return "regular";
    case Family::ErdosRenyi:
      return "er";
    case Family::File:
      return "file";
  }
  return "unknown";
}

void Graph::set_given_coloring(const std::vector<int>& color) {
  if (color.size() != num_nodes())
    throw Error("colouring: " + std::to_string(color.size()) + " colours for the " + std::to_string(num_nodes()) +
                " nodes of " + spec_);
  for (const auto& e : edges_)
    if (color[e.u] == color[e.v])
      throw Error("colouring: not proper: nodes " + std::to_string(labels_[e.u]) + " and " +
                  std::to_string(labels_[e.v]) + " share an edge and colour " + std::to_string(color[e.u]));
  std::vector<int> values(color);
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  given_coloring_.resize(color.size());
  for (std::size_t i = 0; i < color.size(); ++i)
    given_coloring_[i] = static_cast<int>(std::lower_bound(values.begin(), values.end(), color[i]) - values.begin());
}

}  // namespace pbit::graphs

#pragma once
// A sparse undirected graph with D-Wave-compatible node labels.
//
// Nodes carry their real linear labels (dwave-networkx's defaults), which need
// not be contiguous (Pegasus). Internally nodes are numbered by a compact index
// 0..n-1 in ascending label order; labels()/index_of() are the explicit,
// reversible mapping between the two. Edges are stored as compact-index pairs
// (u < v) sorted by (u, v), which is also the (label u, label v) order.
#include <boost/graph/adjacency_list.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pbit::graphs {

using Label = std::int64_t;
using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

struct Edge {
  std::uint32_t u;  // compact index, u < v
  std::uint32_t v;
  friend bool operator==(const Edge& a, const Edge& b) { return a.u == b.u && a.v == b.v; }
};

// Which generator made the graph; D-Wave families carry coordinates.
enum class Family { Chimera, Pegasus, Zephyr, Lattice, King, Regular, ErdosRenyi, File };

class Graph {
 public:
  // Validates: labels unique, every edge endpoint a known label, no self-loops,
  // no duplicate edges. Labels may come in any order; they are sorted.
  // Throws pbit::Error naming the problem.
  static Graph from_labeled_edges(Family family, std::vector<int> params, std::string spec,
                                  std::vector<Label> labels,
                                  const std::vector<std::pair<Label, Label>>& edges);

  std::size_t num_nodes() const { return labels_.size(); }
  std::size_t num_edges() const { return edges_.size(); }
  Family family() const { return family_; }
  // Generator parameters, e.g. {m, n, t} for Chimera, {m} for Pegasus, {m, t} for Zephyr,
  // {L, W, periodic} for lattices, {n, d} for regular, {n} for er, {} for file
  // (the seed and p live in spec()).
  const std::vector<int>& params() const { return params_; }
  // Canonical spec string, e.g. "pegasus:14".
  const std::string& spec() const { return spec_; }

  const std::vector<Label>& labels() const { return labels_; }  // index -> label, ascending
  Label label(std::uint32_t index) const { return labels_[index]; }
  std::optional<std::uint32_t> index_of(Label label) const;

  const std::vector<Edge>& edges() const { return edges_; }
  // CSR adjacency (compact indices, neighbours ascending).
  const std::vector<std::uint32_t>& adj_offsets() const { return adj_offsets_; }  // size n+1
  const std::vector<std::uint32_t>& adj() const { return adj_; }
  std::uint32_t degree(std::uint32_t i) const { return adj_offsets_[i + 1] - adj_offsets_[i]; }
  bool has_edge(std::uint32_t u, std::uint32_t v) const;  // O(log degree)

  // A Boost.Graph view (vertex i = compact index i), built on first use.
  const BoostGraph& boost() const;

  // A colouring that comes with the graph (e.g. an imported model's, the
  // phases its hardware used): colour per compact index, 0..K-1, or empty.
  // best_coloring() returns it when set. set_given_coloring renumbers the
  // colours in ascending order of their values and throws pbit::Error if the
  // colouring is not proper or has the wrong size.
  const std::vector<int>& given_coloring() const { return given_coloring_; }
  void set_given_coloring(const std::vector<int>& color);

 private:
  Family family_ = Family::File;
  std::vector<int> params_;
  std::string spec_;
  std::vector<Label> labels_;
  bool contiguous_ = false;  // labels_ are first, first + 1, ...: index_of is a subtraction
  std::vector<Edge> edges_;
  std::vector<std::uint32_t> adj_offsets_, adj_;
  mutable std::optional<BoostGraph> boost_;
  std::vector<int> given_coloring_;
};

const char* family_name(Family f);  // "chimera", "pegasus", ...

}  // namespace pbit::graphs

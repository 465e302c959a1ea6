#pragma once
// A sparse deep Boltzmann machine on a hardware graph: which p-bits are
// pixels, label bits and hidden units (graphs::place_dbm), and its float
// master weights (a pbit::Problem on the graph). The sampler quantizes the
// float weights to the numeric spec at every load / update_weights.
//
// Visible units: rows*cols pixels (pixel on = +1) and classes*label_copies
// label bits; label bit b = class * label_copies + copy, and a class is coded
// one-hot: the copies of the true class +1, all other label bits -1.
// Everything else is hidden. Edges between any two units are trained (the
// hardware graph decides which exist); there are no layers to declare.
#include <pbit/graphs/graph.hpp>
#include <pbit/graphs/placement.hpp>
#include <pbit/problem.hpp>
#include <pbit/spec.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pbit::dbm {

struct Architecture {
  std::string graph = "pegasus:14";  // graph spec (graphs::make_graph)
  int rows = 28, cols = 28;          // pixel grid
  int classes = 10;                  // 0: an unlabelled model
  int label_copies = 5;              // label bits per class
  graphs::PlacementMethod placement = graphs::PlacementMethod::Random;
  std::uint64_t placement_seed = 1;
  // An embedded graph (imported models, whose graph is only their coupling
  // pattern): node labels and labelled edges; `graph` then only names it.
  // Empty: the graph is built from the spec `graph`.
  std::vector<graphs::Label> graph_nodes;
  std::vector<std::pair<graphs::Label, graphs::Label>> graph_edges;
  std::vector<int> graph_colors;  // the embedded graph's given colouring (per node, label order), or empty
  // An explicit placement (imported models): pixel p is node pixel_nodes[p],
  // label bit b is node label_nodes[b] (compact indices). Empty: placed by
  // `placement` with `placement_seed`.
  std::vector<std::uint32_t> pixel_nodes, label_nodes;

  bool embedded_graph() const { return !graph_edges.empty() || !graph_nodes.empty(); }
  bool explicit_placement() const { return !pixel_nodes.empty() || !label_nodes.empty(); }
  int num_pixels() const { return rows * cols; }
  int num_labels() const { return classes * label_copies; }
};

const char* to_string(graphs::PlacementMethod m);                // "random" | "spread"
std::string placement_name(const Architecture& a);              // the method, or "explicit"
graphs::PlacementMethod parse_placement(const std::string& s);  // throws pbit::Error

class Model {
 public:
  Model() = default;
  // Builds the graph and the placement; all weights zero. Throws pbit::Error
  // for impossible shapes (more visible units than nodes, bad spec, beta).
  Model(const Architecture& arch, const NumericSpec& spec, double beta);

  const Architecture& arch() const { return arch_; }
  const NumericSpec& spec() const { return spec_; }
  double beta() const { return beta_; }
  const graphs::Graph& graph() const { return *graph_; }
  std::shared_ptr<const graphs::Graph> graph_ptr() const { return graph_; }
  const graphs::Placement& placement() const { return place_; }
  const Problem& weights() const { return problem_; }
  Problem& weights() { return problem_; }
  std::size_t num_nodes() const { return graph_->num_nodes(); }
  std::size_t num_edges() const { return graph_->num_edges(); }

  std::uint32_t pixel_node(int p) const { return place_.pixels[static_cast<std::size_t>(p)]; }
  std::uint32_t label_node(int cls, int copy) const {
    return place_.labels[static_cast<std::size_t>(cls * arch_.label_copies + copy)];
  }

  // 1 on pixel and/or label nodes.
  std::vector<std::uint8_t> clamp_mask(bool pixels, bool labels) const;
  // Writes visible values into m (size num_nodes): pixels from 0/1 bytes
  // (nullptr: untouched), labels one-hot for `label` (-1: untouched).
  void encode(std::vector<std::int8_t>& m, const std::uint8_t* pixels01, int label) const;

  // Initial weights: J ~ N(0, weight_std^2), hidden fields 0, pixel fields
  // atanh(2p - 1) / beta = ln(p / (1 - p)) / (2 beta) (the +-1 form of the
  // usual log-odds init, so that the field alone gives P(on) = p at the
  // model's beta; p = pixel_on_prob clipped to [1e-3, 1 - 1e-3]; empty: 0),
  // label fields for p = 1/classes. Seeded, portable (pbit::Rng).
  void init(double weight_std, const std::vector<double>& pixel_on_prob, std::uint64_t seed);

  // Largest |J|, |h| the spec can hold (master weights are clipped to it, so
  // they never drift where the quantized weights cannot follow).
  double weight_limit() const;
  void clip_weights();

 private:
  Architecture arch_;
  NumericSpec spec_;
  double beta_ = 1.0;
  std::shared_ptr<const graphs::Graph> graph_;
  graphs::Placement place_;
  Problem problem_;
};

// One master seed, many independent streams: mix(seed, a, b, c).
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0,
                          std::uint64_t c = 0);

}  // namespace pbit::dbm

#include <pbit/dbm/model.hpp>
#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/random.hpp>

#include <algorithm>
#include <cmath>

namespace pbit::dbm {

const char* to_string(graphs::PlacementMethod m) {
  return m == graphs::PlacementMethod::Spread ? "spread" : "random";
}

std::string placement_name(const Architecture& a) {
  return a.explicit_placement() ? "explicit" : to_string(a.placement);
}

graphs::PlacementMethod parse_placement(const std::string& s) {
  if (s == "random") return graphs::PlacementMethod::Random;
  if (s == "spread") return graphs::PlacementMethod::Spread;
  throw Error("unknown placement '" + s + "' (known: random, spread)");
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  std::uint64_t x = splitmix64(seed ^ 0x70626974646d62ull);  // "pbitdmb"
  x = splitmix64(x ^ a);
  x = splitmix64(x ^ b);
  return splitmix64(x ^ c);
}

Model::Model(const Architecture& arch, const NumericSpec& spec, double beta)
    : arch_(arch), spec_(spec), beta_(beta) {
  spec_.validate();
  if (!std::isfinite(beta) || beta <= 0) throw Error("beta must be finite and > 0");
  if (arch.rows < 1 || arch.cols < 1) throw Error("the pixel grid must be at least 1x1");
  if (arch.classes < 0 || arch.classes == 1) throw Error("classes must be 0 (unlabelled) or >= 2");
  if (arch.classes > 0 && arch.label_copies < 1) throw Error("label copies must be >= 1");
  if (arch.embedded_graph()) {
    graphs::Graph g = graphs::Graph::from_labeled_edges(graphs::Family::File, {}, arch.graph, arch.graph_nodes,
                                                        arch.graph_edges);
    if (!arch.graph_colors.empty()) {
      // Given per node in graph_nodes order: map to compact indices.
      if (arch.graph_colors.size() != arch.graph_nodes.size())
        throw Error("embedded graph: " + std::to_string(arch.graph_colors.size()) + " colours for " +
                    std::to_string(arch.graph_nodes.size()) + " nodes");
      std::vector<int> color(g.num_nodes());
      for (std::size_t i = 0; i < arch.graph_nodes.size(); ++i) color[*g.index_of(arch.graph_nodes[i])] = arch.graph_colors[i];
      g.set_given_coloring(color);
    }
    graph_ = std::make_shared<const graphs::Graph>(std::move(g));
  } else {
    graph_ = std::make_shared<const graphs::Graph>(graphs::make_graph(arch.graph));
    arch_.graph = graph_->spec();
  }
  const std::size_t visible = static_cast<std::size_t>(arch.num_pixels()) +
                              static_cast<std::size_t>(arch.classes > 0 ? arch.num_labels() : 0);
  if (visible > graph_->num_nodes())
    throw Error(std::to_string(arch.num_pixels()) + " pixels + " +
                std::to_string(arch.classes > 0 ? arch.num_labels() : 0) +
                " label bits do not fit in the " + std::to_string(graph_->num_nodes()) +
                " p-bits of " + graph_->spec());
  if (arch.classes == 0) arch_.label_copies = 0;
  if (arch.explicit_placement()) {
    if (arch_.pixel_nodes.size() != static_cast<std::size_t>(arch_.num_pixels()) ||
        arch_.label_nodes.size() != static_cast<std::size_t>(arch_.num_labels()))
      throw Error("explicit placement: " + std::to_string(arch_.pixel_nodes.size()) + " pixel nodes and " +
                  std::to_string(arch_.label_nodes.size()) + " label nodes given for " +
                  std::to_string(arch_.num_pixels()) + " pixels and " + std::to_string(arch_.num_labels()) +
                  " label bits");
    place_ = graphs::placement_at(*graph_, arch_.pixel_nodes, arch_.label_nodes);
  } else {
    place_ = graphs::place_dbm(*graph_, arch_.num_pixels(), arch_.num_labels(), arch.placement_seed,
                               arch.placement);
  }
  problem_ = Problem::zeros(graph_);
}

std::vector<std::uint8_t> Model::clamp_mask(bool pixels, bool labels) const {
  std::vector<std::uint8_t> mask(num_nodes(), 0);
  if (pixels)
    for (auto i : place_.pixels) mask[i] = 1;
  if (labels)
    for (auto i : place_.labels) mask[i] = 1;
  return mask;
}

void Model::encode(std::vector<std::int8_t>& m, const std::uint8_t* pixels01, int label) const {
  m.resize(num_nodes(), -1);
  if (pixels01)
    for (std::size_t p = 0; p < place_.pixels.size(); ++p) m[place_.pixels[p]] = pixels01[p] ? 1 : -1;
  if (label >= 0 && arch_.classes > 0) {
    if (label >= arch_.classes) throw Error("label " + std::to_string(label) + " out of range");
    for (int k = 0; k < arch_.classes; ++k)
      for (int c = 0; c < arch_.label_copies; ++c) m[label_node(k, c)] = k == label ? 1 : -1;
  }
}

double Model::weight_limit() const {
  const double q = static_cast<double>(spec_.weight_max()) / spec_.scale();
  return spec_.beta_mode == BetaMode::Fold ? q / beta_ : q;
}

void Model::clip_weights() {
  const double lim = weight_limit();
  for (auto& j : problem_.J) j = std::clamp(j, -lim, lim);
  for (auto& h : problem_.h) h = std::clamp(h, -lim, lim);
}

void Model::init(double weight_std, const std::vector<double>& pixel_on_prob, std::uint64_t seed) {
  if (!(weight_std >= 0) || !std::isfinite(weight_std)) throw Error("the initial weight std must be >= 0");
  if (!pixel_on_prob.empty() && pixel_on_prob.size() != place_.pixels.size())
    throw Error("pixel statistics do not match the pixel count");
  Rng rng(derive_seed(seed, 1));
  for (auto& j : problem_.J) j = weight_std * rng.normal();
  std::fill(problem_.h.begin(), problem_.h.end(), 0.0);
  // The sampler uses beta * h: the master fields are divided by beta so that
  // the initial marginals are p whatever the training temperature.
  auto field = [this](double p) {
    p = std::clamp(p, 1e-3, 1.0 - 1e-3);
    return 0.5 * std::log(p / (1.0 - p)) / beta_;
  };
  for (std::size_t p = 0; p < pixel_on_prob.size(); ++p) problem_.h[place_.pixels[p]] = field(pixel_on_prob[p]);
  if (arch_.classes > 0)
    for (auto i : place_.labels) problem_.h[i] = field(1.0 / arch_.classes);
  clip_weights();
}

}  // namespace pbit::dbm

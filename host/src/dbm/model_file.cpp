// Model files: conversions Checkpoint <-> ModelFile and the JSON format
// (model_file.hpp; the .mat side is model_mat.cpp).
#include <pbit/data/io.hpp>
#include <pbit/dbm/model_file.hpp>
#include <pbit/error.hpp>
#include <pbit/graphs/coloring.hpp>
#include <pbit/graphs/generators.hpp>

#include "json_parse.hpp"
#include "spec_json.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace pbit::dbm {
namespace {

constexpr const char* kFormat = "pbit-model";
constexpr int kVersion = 1;

bool is_file_graph(const std::string& g) { return g.rfind("file:", 0) == 0; }

void check_finite(double v, const std::string& what) {
  if (!std::isfinite(v)) throw Error(what + " is not finite");
}

// Checked JSON numbers: integers within [lo, hi] (no silent wrap of huge or
// negative values, no fractions), finite doubles.
std::int64_t get_int(const nlohmann::json& j, const std::string& what, std::int64_t lo, std::int64_t hi) {
  std::int64_t v = 0;
  if (j.is_number_unsigned()) {
    const auto u = j.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(hi)) throw Error(what + " " + j.dump() + " is out of range");
    v = static_cast<std::int64_t>(u);
  } else if (j.is_number_integer()) {
    v = j.get<std::int64_t>();
  } else {
    throw Error(what + " must be an integer, not " + j.dump().substr(0, 40));
  }
  if (v < lo || v > hi) throw Error(what + " " + std::to_string(v) + " is out of range [" + std::to_string(lo) + ", " +
                                    std::to_string(hi) + "]");
  return v;
}
double get_double(const nlohmann::json& j, const std::string& what) {
  if (!j.is_number()) throw Error(what + " must be a number, not " + j.dump().substr(0, 40));
  return j.get<double>();
}
constexpr std::int64_t kMaxLabel = std::int64_t{1} << 62;
std::vector<graphs::Label> get_labels(const nlohmann::json& j, const std::string& what) {
  if (!j.is_array()) throw Error(what + " must be an array");
  std::vector<graphs::Label> out;
  out.reserve(j.size());
  for (const auto& x : j) out.push_back(get_int(x, what + " entry", 0, kMaxLabel));
  return out;
}

}  // namespace

NumericSpec import_default_spec() {
  // Wide enough for weights trained in double precision (the published
  // 100-epoch couplings: median |J| 0.26, max 4.5): step 1/128, range +-16,
  // sums to +-64, 1/16 LUT steps.
  NumericSpec s;
  s.weight_bits = 12;
  s.frac_bits = 7;
  s.sum_bits = 14;
  s.lut_depth = 1024;
  s.lut_shift = NumericSpec::covering_shift(s.sum_bits, s.lut_depth);
  s.validate();
  return s;
}

ModelFile model_file_from(const Checkpoint& ck) {
  const Model model = model_from_checkpoint(ck);
  const auto& g = model.graph();
  ModelFile m;
  // A file: graph (trained on an edge list, or imported) travels as its nodes and edges.
  m.graph = g.spec();
  m.nodes = g.labels();
  m.h = model.weights().h;
  m.couplings.reserve(g.num_edges());
  for (std::size_t e = 0; e < g.num_edges(); ++e)
    m.couplings.emplace_back(g.label(g.edges()[e].u), g.label(g.edges()[e].v), model.weights().J[e]);
  m.colors = graphs::best_coloring(g).color;
  m.rows = model.arch().rows;
  m.cols = model.arch().cols;
  m.classes = model.arch().classes;
  m.label_copies = model.arch().label_copies;
  for (auto v : model.placement().pixels) m.pixels.push_back(g.label(v));
  for (auto v : model.placement().labels) m.labels.push_back(g.label(v));
  m.beta = model.beta();
  m.spec = model.spec();
  m.method = checkpoint_method(ck);
  m.data = ck.data;
  m.dataset = ck.dataset;
  m.epochs = ck.epoch;
  return m;
}

Checkpoint checkpoint_from(const ModelFile& m, const NumericSpec& default_spec) {
  const std::size_t n = m.nodes.size();
  if (n == 0) throw Error("the model has no nodes");
  if (m.h.size() != n)
    throw Error(std::to_string(m.h.size()) + " fields for " + std::to_string(n) + " nodes");
  if (!std::isfinite(m.beta) || m.beta <= 0) throw Error("beta must be finite and > 0");
  if (m.rows < 1 || m.cols < 1 || m.rows > 4096 || m.cols > 4096) throw Error("the image size must be 1..4096 per side");
  if (m.classes < 0 || m.classes == 1 || m.classes > 4096) throw Error("classes must be 0 or 2..4096");
  if (m.classes > 0 && (m.label_copies < 1 || m.label_copies > 4096)) throw Error("label copies must be 1..4096");
  for (std::size_t i = 0; i < n; ++i) check_finite(m.h[i], "the field of node " + std::to_string(m.nodes[i]));

  // The graph: a generator's, which the nodes and couplings must fit, or the
  // coupling pattern itself.
  Checkpoint ck;
  ck.arch.graph = m.graph.empty() ? "file:imported" : m.graph;
  std::shared_ptr<const graphs::Graph> g;
  std::vector<std::pair<graphs::Label, graphs::Label>> pattern;
  pattern.reserve(m.couplings.size());
  for (const auto& [u, v, j] : m.couplings) pattern.emplace_back(u, v);
  if (is_file_graph(ck.arch.graph)) {
    g = std::make_shared<const graphs::Graph>(
        graphs::Graph::from_labeled_edges(graphs::Family::File, {}, ck.arch.graph, m.nodes, pattern));
    ck.arch.graph_nodes = g->labels();
    for (const auto& e : g->edges()) ck.arch.graph_edges.emplace_back(g->label(e.u), g->label(e.v));
    // A given colouring of the coupling pattern is the schedule the model's
    // hardware used: the samplers use it (checked proper below).
    if (!m.colors.empty() && m.colors.size() == n) {
      ck.arch.graph_colors.assign(n, 0);
      for (std::size_t i = 0; i < n; ++i) ck.arch.graph_colors[*g->index_of(m.nodes[i])] = m.colors[i];
    }
  } else {
    g = std::make_shared<const graphs::Graph>(graphs::make_graph(ck.arch.graph));
    ck.arch.graph = g->spec();
    if (n != g->num_nodes())
      throw Error(std::to_string(n) + " nodes given, " + g->spec() + " has " + std::to_string(g->num_nodes()));
  }
  std::vector<std::uint32_t> index_of_given(n);  // given node order -> compact index
  {
    std::set<graphs::Label> seen;
    for (std::size_t i = 0; i < n; ++i) {
      const auto idx = g->index_of(m.nodes[i]);
      if (!idx) throw Error("node " + std::to_string(m.nodes[i]) + " is not a node of " + g->spec());
      if (!seen.insert(m.nodes[i]).second) throw Error("node " + std::to_string(m.nodes[i]) + " is given twice");
      index_of_given[i] = *idx;
    }
  }
  auto index = [&](graphs::Label l, const std::string& what) {
    const auto idx = g->index_of(l);
    if (!idx) throw Error(what + ": " + std::to_string(l) + " is not a node of the model's graph");
    return *idx;
  };

  // Couplings: each on an edge, once; edges not given are 0.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> edge_id;
  for (std::size_t e = 0; e < g->num_edges(); ++e) edge_id[{g->edges()[e].u, g->edges()[e].v}] = e;
  ck.J.assign(g->num_edges(), 0.0);
  std::vector<std::uint8_t> given(g->num_edges(), 0);
  for (const auto& [lu, lv, j] : m.couplings) {
    const std::string name = "coupling (" + std::to_string(lu) + ", " + std::to_string(lv) + ")";
    check_finite(j, name);
    std::uint32_t u = index(lu, name), v = index(lv, name);
    if (u > v) std::swap(u, v);
    const auto it = edge_id.find({u, v});
    if (it == edge_id.end()) throw Error(name + " is not an edge of " + g->spec());
    if (given[it->second]++) throw Error(name + " is given twice");
    ck.J[it->second] = j;
  }
  ck.h.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) ck.h[index_of_given[i]] = m.h[i];

  if (!m.colors.empty()) {
    if (m.colors.size() != n)
      throw Error(std::to_string(m.colors.size()) + " colours for " + std::to_string(n) + " nodes");
    std::vector<int> color(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (m.colors[i] < 0) throw Error("colour of node " + std::to_string(m.nodes[i]) + " is negative");
      color[index_of_given[i]] = m.colors[i];
    }
    for (const auto& e : g->edges())
      if (color[e.u] == color[e.v])
        throw Error("the given colouring is not proper: nodes " + std::to_string(g->label(e.u)) + " and " +
                    std::to_string(g->label(e.v)) + " share an edge and colour " + std::to_string(color[e.u]));
  }

  // Roles.
  ck.arch.rows = m.rows;
  ck.arch.cols = m.cols;
  ck.arch.classes = m.classes;
  ck.arch.label_copies = m.classes > 0 ? m.label_copies : 0;
  const std::size_t want_pixels = static_cast<std::size_t>(m.rows) * static_cast<std::size_t>(m.cols);
  const std::size_t want_labels = static_cast<std::size_t>(ck.arch.num_labels());
  if (m.pixels.size() != want_pixels)
    throw Error(std::to_string(m.pixels.size()) + " pixel nodes given for a " + std::to_string(m.rows) + " x " +
                std::to_string(m.cols) + " image");
  if (m.labels.size() != want_labels)
    throw Error(std::to_string(m.labels.size()) + " label nodes given for " + std::to_string(m.classes) +
                " classes x " + std::to_string(m.label_copies) + " copies");
  for (std::size_t p = 0; p < m.pixels.size(); ++p)
    ck.arch.pixel_nodes.push_back(index(m.pixels[p], "pixel " + std::to_string(p)));
  for (std::size_t b = 0; b < m.labels.size(); ++b)
    ck.arch.label_nodes.push_back(index(m.labels[b], "label bit " + std::to_string(b)));

  ck.spec = m.spec ? *m.spec : default_spec;
  ck.beta = m.beta;
  if (!m.method.empty() && m.method != kBoltzmann && m.method != kHybrid && m.method != "unknown")
    throw Error("training method '" + m.method + "': expected boltzmann, hybrid or unknown");
  ck.method = m.method.empty() ? "unknown" : m.method;
  ck.data = m.data;
  ck.dataset = m.dataset;
  ck.epoch = m.epochs;
  ck.config.epochs = m.epochs;
  ck.vJ.assign(ck.J.size(), 0.0);
  ck.vh.assign(n, 0.0);
  // Builds the model once: placement and spec checked here, not at first use.
  (void)model_from_checkpoint(ck);
  return ck;
}

void write_model_json(const std::string& path, const ModelFile& m) {
  nlohmann::json j = {{"format", kFormat}, {"version", kVersion}, {"graph", m.graph}, {"nodes", m.nodes}};
  j["fields"] = m.h;
  nlohmann::json edges = nlohmann::json::array();
  for (const auto& [u, v, w] : m.couplings) edges.push_back({u, v, w});
  j["couplings"] = std::move(edges);
  if (!m.colors.empty()) j["colors"] = m.colors;
  j["image"] = {{"rows", m.rows}, {"cols", m.cols}};
  j["classes"] = m.classes;
  j["label_copies"] = m.label_copies;
  j["pixels"] = m.pixels;
  j["labels"] = m.labels;
  j["beta"] = m.beta;
  if (m.spec) j["spec"] = spec_json(*m.spec);
  j["training"] = {{"method", m.method}, {"data", m.data}, {"dataset", m.dataset}, {"epochs", m.epochs}};
  const std::string text = j.dump(1) + "\n";
  data::write_file_atomic(path, text.data(), text.size());
}

ModelFile read_model_json(const std::string& path) {
  const auto bytes = data::read_file(path);
  ModelFile m;
  try {
    const auto j = parse_json_limited(bytes.begin(), bytes.end(), "model file", 8);
    if (!j.is_object() || j.value("format", "") != kFormat)
      throw Error("not a pbit model file (\"format\": \"" + std::string(kFormat) + "\" missing)");
    if (j.at("version") != kVersion)
      throw Error("model file version " + j.at("version").dump().substr(0, 40) + ", this pbit reads version " +
                  std::to_string(kVersion));
    m.graph = j.at("graph").get<std::string>();
    m.nodes = get_labels(j.at("nodes"), "node");
    for (const auto& x : j.at("fields")) m.h.push_back(get_double(x, "field"));
    for (const auto& e : j.at("couplings")) {
      if (!e.is_array() || e.size() != 3) throw Error("a coupling must be [u, v, J]: " + e.dump().substr(0, 80));
      m.couplings.emplace_back(get_int(e[0], "coupling node", 0, kMaxLabel), get_int(e[1], "coupling node", 0, kMaxLabel),
                               get_double(e[2], "coupling"));
    }
    if (j.contains("colors"))
      for (const auto& x : j.at("colors")) m.colors.push_back(static_cast<int>(get_int(x, "colour", 0, 1 << 20)));
    m.rows = static_cast<int>(get_int(j.at("image").at("rows"), "image rows", 1, 4096));
    m.cols = static_cast<int>(get_int(j.at("image").at("cols"), "image cols", 1, 4096));
    m.classes = static_cast<int>(get_int(j.at("classes"), "classes", 0, 4096));
    m.label_copies = static_cast<int>(get_int(j.at("label_copies"), "label_copies", 0, 4096));
    m.pixels = get_labels(j.at("pixels"), "pixel node");
    m.labels = get_labels(j.at("labels"), "label node");
    m.beta = get_double(j.at("beta"), "beta");
    if (j.contains("spec")) m.spec = spec_from(j.at("spec"));
    if (j.contains("training")) {
      const auto& t = j.at("training");
      m.method = t.value("method", "");
      m.data = t.value("data", "");
      m.dataset = t.value("dataset", "");
      if (t.contains("epochs")) m.epochs = static_cast<int>(get_int(t.at("epochs"), "epochs", 0, 1 << 30));
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": " + e.what());
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  return m;
}

}  // namespace pbit::dbm

// Ising problems: energy, text/JSON I/O, random weights.
#include <pbit/problem.hpp>

#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/random.hpp>
#include <pbit/text_input.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <utility>

namespace pbit {
namespace {

using graphs::Label;

// ---- small parsing helpers (strict: the whole token must be consumed) ----

// A node label in a file: decimal digits (an optional '+'), 0..kMaxFileLabel,
// as in edge lists.
enum class LabelParse { Ok, NotInteger, OutOfRange };
LabelParse parse_label(const std::string& tok, Label& out) {
  const char* b = tok.data();
  const char* e = b + tok.size();
  if (b != e && *b == '+') ++b;
  const bool negative = b != e && *b == '-' && tok[0] != '+';
  if (negative) ++b;
  if (b == e) return LabelParse::NotInteger;
  for (const char* p = b; p != e; ++p)
    if (*p < '0' || *p > '9') return LabelParse::NotInteger;
  if (negative) return LabelParse::OutOfRange;
  Label v = 0;
  for (const char* p = b; p != e; ++p) {
    v = v * 10 + (*p - '0');
    if (v > graphs::kMaxFileLabel) return LabelParse::OutOfRange;
  }
  out = v;
  return LabelParse::Ok;
}

// Throws "<where>: ..." unless `tok` is a label.
Label label_or_throw(const std::string& tok, const std::string& where) {
  Label l = 0;
  switch (parse_label(tok, l)) {
    case LabelParse::Ok:
      return l;
    case LabelParse::OutOfRange:
      throw Error(where + ": node label " + visible(tok) + " is out of range (labels are 0.." +
                  std::to_string(graphs::kMaxFileLabel) + ")");
    case LabelParse::NotInteger:
      break;
  }
  throw Error(where + ": bad node label '" + visible(tok) + "'");
}

// Parses a decimal number ([+-]digits[.digits][e[+-]digits], or inf/nan so
// that the caller can say "not finite"); false if unparsable. Hexadecimal and
// other strtod extensions are not numbers here.
bool parse_double(const std::string& tok, double& out) {
  std::size_t i = 0;
  const std::size_t n = tok.size();
  if (i < n && (tok[i] == '+' || tok[i] == '-')) ++i;
  std::string word;
  for (std::size_t k = i; k < n; ++k)
    word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(tok[k]))));
  if (word == "inf" || word == "infinity" || word == "nan") {
    out = word == "nan" ? std::nan("") : (tok[0] == '-' ? -HUGE_VAL : HUGE_VAL);
    return true;
  }
  std::size_t digits = 0;
  while (i < n && std::isdigit(static_cast<unsigned char>(tok[i]))) ++i, ++digits;
  if (i < n && tok[i] == '.') {
    ++i;
    while (i < n && std::isdigit(static_cast<unsigned char>(tok[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < n && (tok[i] == 'e' || tok[i] == 'E')) {
    ++i;
    if (i < n && (tok[i] == '+' || tok[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(tok[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != n) return false;
  // strtod gives +-HUGE_VAL on overflow (then "not finite") and a denormal or 0
  // on underflow (fine).
  out = std::strtod(tok.c_str(), nullptr);
  return true;
}

// Shortest decimal text that reads back to the same double.
std::string format_double(double x) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, x);
  if (ec != std::errc()) {  // cannot happen with 64 chars; keep a safe fallback
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
  }
  return std::string(buf, ptr);
}

// Index of edge (u, v), u < v, in graph.edges() (sorted by (u, v)); -1 if absent.
std::int64_t edge_index(const graphs::Graph& g, std::uint32_t u, std::uint32_t v) {
  if (u > v) std::swap(u, v);
  const auto& edges = g.edges();
  auto it = std::lower_bound(edges.begin(), edges.end(), graphs::Edge{u, v},
                             [](const graphs::Edge& a, const graphs::Edge& b) {
                               return a.u != b.u ? a.u < b.u : a.v < b.v;
                             });
  if (it == edges.end() || it->u != u || it->v != v) return -1;
  return it - edges.begin();
}

using Term = ProblemTerm;  // where: "path:line" or "path: couplings[3]"

// Places terms into a Problem on a known graph, detecting unknown nodes,
// non-edges and duplicates (first occurrence named in the message).
class Assembler {
 public:
  explicit Assembler(std::shared_ptr<const graphs::Graph> g)
      : p_(Problem::zeros(std::move(g))), edge_src_(p_.num_edges()), node_src_(p_.num_nodes()) {}

  void add(const Term& t) {
    const auto& g = *p_.graph;
    const auto ia = g.index_of(t.a);
    if (!ia)
      throw Error(t.where + ": unknown node " + std::to_string(t.a) + " (not in graph " + g.spec() +
                  ")");
    const auto ib = g.index_of(t.b);
    if (!ib)
      throw Error(t.where + ": unknown node " + std::to_string(t.b) + " (not in graph " + g.spec() +
                  ")");
    if (*ia == *ib) {
      auto& src = node_src_[*ia];
      if (!src.empty())
        throw Error(t.where + ": duplicate field on node " + std::to_string(t.a) +
                    " (first given at " + src + ")");
      src = t.where;
      p_.h[*ia] = t.value;
      return;
    }
    const std::int64_t e = edge_index(g, *ia, *ib);
    if (e < 0)
      throw Error(t.where + ": coupling " + std::to_string(t.a) + " " + std::to_string(t.b) +
                  " is not an edge of graph " + g.spec());
    auto& src = edge_src_[static_cast<std::size_t>(e)];
    if (!src.empty())
      throw Error(t.where + ": duplicate coupling " + std::to_string(t.a) + " " +
                  std::to_string(t.b) + " (first given at " + src + ")");
    src = t.where;
    p_.J[static_cast<std::size_t>(e)] = t.value;
  }

  Problem take() { return std::move(p_); }

 private:
  Problem p_;
  std::vector<std::string> edge_src_, node_src_;
};

// Graph made of the terms' labels and coupling pairs (no graph given).
std::shared_ptr<const graphs::Graph> graph_from_terms(const std::vector<Term>& terms,
                                                      const std::string& path) {
  if (terms.empty())
    throw Error(path + ": no terms, cannot build a graph from an empty problem file");
  std::set<Label> labels;
  std::set<std::pair<Label, Label>> pairs;
  for (const auto& t : terms) {
    labels.insert(t.a);
    labels.insert(t.b);
    if (t.a != t.b) pairs.insert({std::min(t.a, t.b), std::max(t.a, t.b)});
  }
  std::vector<std::pair<Label, Label>> edges(pairs.begin(), pairs.end());
  return std::make_shared<const graphs::Graph>(
      graphs::Graph::from_labeled_edges(graphs::Family::File, {}, "file:" + path,
                                        std::vector<Label>(labels.begin(), labels.end()), edges));
}

Problem assemble(const std::vector<Term>& terms, std::shared_ptr<const graphs::Graph> graph) {
  Assembler a(std::move(graph));
  for (const auto& t : terms) a.add(t);
  return a.take();
}

std::string json_where(const std::string& path, const char* key, std::size_t k) {
  return path + ": " + key + "[" + std::to_string(k) + "]";
}

// A short description of a JSON value for messages: scalars as they are,
// arrays and objects by size (never dump(): it recurses once per nesting level).
std::string json_brief(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::array:
      return "an array of " + std::to_string(v.size()) + " element" + (v.size() == 1 ? "" : "s");
    case nlohmann::json::value_t::object:
      return "an object of " + std::to_string(v.size()) + " key" + (v.size() == 1 ? "" : "s");
    case nlohmann::json::value_t::string:
      return "the string \"" + visible(v.get_ref<const std::string&>()) + "\"";
    default:
      return visible(v.dump());
  }
}

Label json_label(const nlohmann::json& v, const std::string& where) {
  const std::string range = " is out of range (labels are 0.." + std::to_string(graphs::kMaxFileLabel) + ")";
  if (v.is_number_unsigned()) {  // before is_number_integer, which is true for unsigned too
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(graphs::kMaxFileLabel))
      throw Error(where + ": node label " + std::to_string(u) + range);
    return static_cast<Label>(u);
  }
  if (v.is_number_integer()) {
    const auto i = v.get<std::int64_t>();
    if (i < 0 || i > graphs::kMaxFileLabel) throw Error(where + ": node label " + std::to_string(i) + range);
    return i;
  }
  if (v.is_string()) return label_or_throw(v.get_ref<const std::string&>(), where);
  throw Error(where + ": node label " + json_brief(v) + " is not an integer");
}

double json_value(const nlohmann::json& v, const std::string& where) {
  if (!v.is_number()) throw Error(where + ": value " + json_brief(v) + " is not a number");
  const double x = v.get<double>();
  if (!std::isfinite(x)) throw Error(where + ": value is not finite (NaN/inf)");
  return x;
}

std::ifstream open_problem(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error("problem file '" + path + "' is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open problem file '" + path + "'");
  return in;
}

bool ends_with_json(const std::string& path) {
  if (path.size() < 5) return false;
  std::string ext = path.substr(path.size() - 5);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".json";
}

}  // namespace

// ---------------------------------------------------------------- Problem

double Problem::energy(const std::vector<std::int8_t>& m) const {
  if (m.size() != num_nodes())
    throw Error("energy: state has " + std::to_string(m.size()) + " entries, problem has " +
                std::to_string(num_nodes()) + " nodes");
  double e = 0;
  const auto& edges = graph->edges();
  for (std::size_t k = 0; k < edges.size(); ++k)
    e -= J[k] * static_cast<double>(m[edges[k].u] * m[edges[k].v]);
  for (std::size_t i = 0; i < h.size(); ++i) e -= h[i] * static_cast<double>(m[i]);
  return e;
}

Problem Problem::zeros(std::shared_ptr<const graphs::Graph> g) {
  if (!g) throw Error("problem: no graph given");
  Problem p;
  p.J.assign(g->num_edges(), 0.0);
  p.h.assign(g->num_nodes(), 0.0);
  p.graph = std::move(g);
  return p;
}

Problem problem_from_terms(std::shared_ptr<const graphs::Graph> g, const std::vector<ProblemTerm>& terms) {
  for (const auto& t : terms)
    if (!std::isfinite(t.value)) throw Error(t.where + ": value is not finite (NaN/inf)");
  return assemble(terms, std::move(g));
}

// ---------------------------------------------------------------- text

Problem read_problem_text(const std::string& path, std::shared_ptr<const graphs::Graph> graph) {
  std::ifstream in = open_problem(path);
  return read_problem_text(in, path, std::move(graph));
}

Problem read_problem_text(std::istream& in, const std::string& path, std::shared_ptr<const graphs::Graph> graph) {

  std::vector<Term> terms;  // only kept when the graph is built from the file
  std::optional<Assembler> direct;
  if (graph) direct.emplace(graph);

  std::string line;
  std::size_t lineno = 0;
  LineReader reader(in, path);
  while (reader.next(line)) {
    lineno = reader.line_no();
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    std::istringstream ls(line);
    std::vector<std::string> tok;
    for (std::string t; ls >> t;) tok.push_back(t);
    if (tok.empty()) continue;
    const std::string where = path + ":" + std::to_string(lineno);
    if (tok.size() != 3)
      throw Error(where + ": expected 3 fields 'i j value', got " + std::to_string(tok.size()));
    Term t;
    t.where = where;
    t.a = label_or_throw(tok[0], where);
    t.b = label_or_throw(tok[1], where);
    if (!parse_double(tok[2], t.value)) throw Error(where + ": bad number '" + visible(tok[2]) + "'");
    if (!std::isfinite(t.value))
      throw Error(where + ": value '" + visible(tok[2]) + "' is not finite (NaN/inf)");
    if (direct) {
      direct->add(t);
    } else {
      if (terms.size() >= graphs::kMaxEdges + graphs::kMaxNodes)
        throw Error(where + ": too many terms (a graph has at most " + std::to_string(graphs::kMaxEdges) +
                    " edges and " + std::to_string(graphs::kMaxNodes) + " nodes)");
      terms.push_back(std::move(t));
    }
  }
  if (in.bad()) throw Error("error reading problem file '" + path + "'");
  if (direct) return direct->take();
  auto g = graph_from_terms(terms, path);
  return assemble(terms, std::move(g));
}

void write_problem_text(std::ostream& out, const Problem& p) {
  const auto& g = *p.graph;
  out << "# pbit problem: graph " << g.spec() << ", " << g.num_nodes() << " nodes, "
      << g.num_edges() << " edges\n";
  out << "# i j J_ij (every edge) then i i h_i (non-zero fields and isolated nodes)\n";
  std::string buf;
  const auto& edges = g.edges();
  for (std::size_t k = 0; k < edges.size(); ++k) {
    buf.clear();
    buf += std::to_string(g.label(edges[k].u));
    buf += ' ';
    buf += std::to_string(g.label(edges[k].v));
    buf += ' ';
    buf += format_double(p.J[k]);
    buf += '\n';
    out << buf;
  }
  for (std::uint32_t i = 0; i < g.num_nodes(); ++i) {
    if (p.h[i] == 0 && !std::signbit(p.h[i]) && g.degree(i) > 0) continue;
    const std::string l = std::to_string(g.label(i));
    out << l << ' ' << l << ' ' << format_double(p.h[i]) << '\n';
  }
}

// ---------------------------------------------------------------- JSON

Problem read_problem_json(const std::string& path, std::shared_ptr<const graphs::Graph> graph) {
  std::ifstream in = open_problem(path);
  return read_problem_json(in, path, std::move(graph));
}

Problem read_problem_json(std::istream& in, const std::string& path, std::shared_ptr<const graphs::Graph> graph) {
  nlohmann::json doc;
  // A problem nests three levels deep; anything much deeper is refused while
  // parsing, before a deep value could reach recursive code.
  constexpr int kMaxDepth = 16;
  const nlohmann::json::parser_callback_t depth_limit = [&](int depth, nlohmann::json::parse_event_t,
                                                            nlohmann::json&) {
    if (depth > kMaxDepth)
      throw Error(path + ": JSON nested deeper than " + std::to_string(kMaxDepth) +
                  " levels (a problem is {\"couplings\": [[i, j, J], ...], \"fields\": [[i, h], ...]})");
    return true;
  };
  try {
    doc = nlohmann::json::parse(in, depth_limit);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(path + ": invalid JSON (byte " + std::to_string(e.byte) + ")");
  } catch (const nlohmann::json::exception& e) {
    // e.g. out_of_range 406: a number such as 1e309 that no double holds
    std::string what = e.what();
    if (const auto bracket = what.find("] "); bracket != std::string::npos) what.erase(0, bracket + 2);
    throw Error(path + ": invalid JSON (" + what + ")");
  }
  if (!doc.is_object()) throw Error(path + ": expected a JSON object");
  for (auto it = doc.begin(); it != doc.end(); ++it)
    if (it.key() != "graph" && it.key() != "couplings" && it.key() != "fields")
      throw Error(path + ": unknown key '" + visible(it.key()) + "' (expected graph, couplings, fields)");

  std::vector<Term> terms;
  if (doc.contains("couplings")) {
    const auto& c = doc["couplings"];
    if (!c.is_array()) throw Error(path + ": 'couplings' must be an array of [i, j, J]");
    for (std::size_t k = 0; k < c.size(); ++k) {
      const std::string where = json_where(path, "couplings", k);
      if (!c[k].is_array() || c[k].size() != 3)
        throw Error(where + ": expected [i, j, J], got " + json_brief(c[k]));
      Term t;
      t.where = where;
      t.a = json_label(c[k][0], where);
      t.b = json_label(c[k][1], where);
      if (t.a == t.b)
        throw Error(where + ": coupling from node " + std::to_string(t.a) + " to itself");
      t.value = json_value(c[k][2], where);
      terms.push_back(std::move(t));
    }
  }
  if (doc.contains("fields")) {
    const auto& f = doc["fields"];
    if (f.is_array()) {
      for (std::size_t k = 0; k < f.size(); ++k) {
        const std::string where = json_where(path, "fields", k);
        if (!f[k].is_array() || f[k].size() != 2)
          throw Error(where + ": expected [i, h], got " + json_brief(f[k]));
        Term t;
        t.where = where;
        t.a = t.b = json_label(f[k][0], where);
        t.value = json_value(f[k][1], where);
        terms.push_back(std::move(t));
      }
    } else if (f.is_object()) {
      for (auto it = f.begin(); it != f.end(); ++it) {
        const std::string where = path + ": fields[\"" + visible(it.key()) + "\"]";
        Term t;
        t.where = where;
        t.a = label_or_throw(it.key(), where);
        t.b = t.a;
        t.value = json_value(it.value(), where);
        terms.push_back(std::move(t));
      }
    } else {
      throw Error(path + ": 'fields' must be an array of [i, h] or an object {\"i\": h}");
    }
  }

  if (!graph) {
    if (doc.contains("graph")) {
      if (!doc["graph"].is_string()) throw Error(path + ": 'graph' must be a spec string");
      graph = std::make_shared<const graphs::Graph>(
          graphs::make_graph(doc["graph"].get<std::string>()));
    } else {
      graph = graph_from_terms(terms, path);
    }
  }
  return assemble(terms, std::move(graph));
}

std::string problem_to_json(const Problem& p) {
  const auto& g = *p.graph;
  nlohmann::json doc;
  doc["graph"] = g.spec();
  auto couplings = nlohmann::json::array();
  const auto& edges = g.edges();
  for (std::size_t k = 0; k < edges.size(); ++k)
    couplings.push_back({g.label(edges[k].u), g.label(edges[k].v), p.J[k]});
  auto fields = nlohmann::json::array();
  for (std::uint32_t i = 0; i < g.num_nodes(); ++i) {
    if (p.h[i] == 0 && !std::signbit(p.h[i]) && g.degree(i) > 0) continue;
    fields.push_back({g.label(i), p.h[i]});
  }
  doc["couplings"] = std::move(couplings);
  doc["fields"] = std::move(fields);
  return doc.dump();
}

Problem read_problem(const std::string& path, std::shared_ptr<const graphs::Graph> graph) {
  return ends_with_json(path) ? read_problem_json(path, std::move(graph))
                              : read_problem_text(path, std::move(graph));
}

// ---------------------------------------------------------------- random weights

WeightDist WeightDist::parse(const std::string& s) {
  WeightDist d;
  if (s == "zero") return d;
  if (s == "pm1") {
    d.kind = Kind::Pm1;
    return d;
  }
  const auto colon = s.find(':');
  const std::string name = s.substr(0, colon);
  const char* usage = " (expected pm1, zero, uniform:A, gauss:S or const:C)";
  if (colon == std::string::npos) throw Error("bad weight distribution '" + s + "'" + usage);
  const std::string arg = s.substr(colon + 1);
  double x = 0;
  if (!parse_double(arg, x) || !std::isfinite(x))
    throw Error("bad weight distribution '" + s + "': '" + arg + "' is not a finite number");
  if (name == "uniform" || name == "gauss") {
    if (!(x > 0))
      throw Error("bad weight distribution '" + s + "': " + name + " needs a parameter > 0");
    d.kind = name == "uniform" ? Kind::Uniform : Kind::Gauss;
  } else if (name == "const") {
    d.kind = Kind::Const;
  } else {
    throw Error("bad weight distribution '" + s + "'" + usage);
  }
  d.param = x;
  return d;
}

// Random-number use per draw: Pm1 one word (its top bit), Uniform one
// uniform(), Gauss one normal() (two uniforms), Zero/Const none.
double WeightDist::draw(Rng& rng) const {
  switch (kind) {
    case Kind::Zero:
      return 0.0;
    case Kind::Const:
      return param;
    case Kind::Pm1:
      return (rng.next() >> 63) ? 1.0 : -1.0;
    case Kind::Uniform:
      return param * (2.0 * rng.uniform() - 1.0);
    case Kind::Gauss:
      return param * rng.normal();
  }
  return 0.0;
}

Problem random_problem(std::shared_ptr<const graphs::Graph> g, const WeightDist& couplings,
                       const WeightDist& fields, std::uint64_t seed) {
  Problem p = Problem::zeros(std::move(g));
  Rng rng(seed);
  for (auto& j : p.J) j = couplings.draw(rng);
  for (auto& h : p.h) h = fields.draw(rng);
  return p;
}

}  // namespace pbit

// Max-Cut files in the rudy / G-set format (problem_rudy.hpp).
#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/problem_rudy.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pbit {
namespace {

constexpr std::size_t kMaxLine = 4096;  // characters per line; longer is an error, never a huge read

// Reads the next line into `line` (without the newline); false at the end.
// A line longer than kMaxLine is an error naming it.
bool next_line(std::istream& in, std::string& line, std::size_t& lineno, const std::string& path) {
  line.clear();
  char c;
  bool any = false;
  while (in.get(c)) {
    any = true;
    if (c == '\n') break;
    if (line.size() >= kMaxLine)
      throw Error(path + ":" + std::to_string(lineno + 1) + ": line longer than " + std::to_string(kMaxLine) +
                  " characters");
    line.push_back(c);
  }
  if (in.bad()) throw Error(path + ": read error after line " + std::to_string(lineno));
  if (!any) return false;
  ++lineno;
  return true;
}

std::vector<std::string_view> fields(std::string_view s) {
  if (const auto hash = s.find('#'); hash != std::string_view::npos) s = s.substr(0, hash);
  std::vector<std::string_view> out;
  std::size_t i = 0;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; };
  while (i < s.size()) {
    while (i < s.size() && space(s[i])) ++i;
    const std::size_t b = i;
    while (i < s.size() && !space(s[i])) ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
  return out;
}

bool parse_uint(std::string_view t, std::uint64_t& v) {
  if (t.empty() || !std::isdigit(static_cast<unsigned char>(t.front()))) return false;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  return ec == std::errc() && p == t.data() + t.size();
}

bool parse_number(std::string_view t, double& v) {
  if (t.empty()) return false;
  const std::string s(t);
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  // strtod also reads hex ("0x10") and "inf"/"nan": only decimal numbers here.
  const bool decimal = std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
  });
  return decimal && end == s.c_str() + s.size();
}

std::ifstream open_file(const std::string& path, const char* what) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw Error(std::string(what) + " '" + path + "': file not found");
  if (std::filesystem::is_directory(path, ec))
    throw Error(std::string(what) + " '" + path + "': is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(std::string("cannot open ") + what + " '" + path + "'");
  return in;
}

}  // namespace

MaxCut read_rudy(const std::string& path) {
  std::ifstream in = open_file(path, "Max-Cut file");
  std::string line;
  std::size_t lineno = 0;
  auto where = [&] { return path + ":" + std::to_string(lineno); };
  std::uint64_t n = 0, m = 0;
  bool header = false;
  while (!header && next_line(in, line, lineno, path)) {
    const auto f = fields(line);
    if (f.empty()) continue;
    if (f.size() != 2 || !parse_uint(f[0], n) || !parse_uint(f[1], m))
      throw Error(where() + ": expected the header 'n m' (node and edge counts) of a rudy/G-set file" +
                  (f.size() == 2 ? " (a text problem's lines have 3 fields: 'i j value')" : ""));
    if (n < 1 || n > graphs::kMaxNodes)
      throw Error(where() + ": node count " + std::to_string(n) + " out of range [1, " +
                  std::to_string(graphs::kMaxNodes) + "]");
    if (m > graphs::kMaxEdges || m > n * (n - 1) / 2)
      throw Error(where() + ": edge count " + std::to_string(m) + " impossible for " + std::to_string(n) +
                  " nodes (at most " + std::to_string(std::min<std::uint64_t>(graphs::kMaxEdges, n * (n - 1) / 2)) +
                  ")");
    header = true;
  }
  if (!header) throw Error(path + ": empty (no 'n m' header line)");

  std::vector<std::pair<graphs::Label, graphs::Label>> edges;
  std::vector<double> w;
  edges.reserve(static_cast<std::size_t>(m));
  w.reserve(static_cast<std::size_t>(m));
  std::unordered_map<std::uint64_t, std::size_t> first;  // edge -> line
  while (next_line(in, line, lineno, path)) {
    const auto f = fields(line);
    if (f.empty()) continue;
    if (edges.size() == m)
      throw Error(where() + ": more edge lines than the " + std::to_string(m) + " the header declares");
    if (f.size() != 3)
      throw Error(where() + ": expected 3 fields 'i j w', got " + std::to_string(f.size()));
    std::uint64_t a = 0, b = 0;
    double x = 0;
    for (int k = 0; k < 2; ++k)
      if (!parse_uint(f[static_cast<std::size_t>(k)], k == 0 ? a : b) || (k == 0 ? a : b) < 1 || (k == 0 ? a : b) > n)
        throw Error(where() + ": node '" + std::string(f[static_cast<std::size_t>(k)]) + "' is not in 1.." +
                    std::to_string(n));
    if (a == b) throw Error(where() + ": self-loop on node " + std::to_string(a));
    if (!parse_number(f[2], x) || !std::isfinite(x))
      throw Error(where() + ": weight '" + std::string(f[2]) + "' is not a finite number");
    const std::uint64_t key = (std::min(a, b) << 32) | std::max(a, b);
    const auto [it, fresh] = first.emplace(key, lineno);
    if (!fresh)
      throw Error(where() + ": duplicate edge " + std::to_string(a) + " " + std::to_string(b) +
                  " (first on line " + std::to_string(it->second) + ")");
    edges.emplace_back(static_cast<graphs::Label>(a), static_cast<graphs::Label>(b));
    w.push_back(x);
  }
  if (edges.size() != m)
    throw Error(path + ": the header declares " + std::to_string(m) + " edges, the file has " +
                std::to_string(edges.size()) + " (it ends at line " + std::to_string(lineno) + ")");

  std::vector<graphs::Label> labels(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<graphs::Label>(i + 1);
  const std::string name = std::filesystem::path(path).filename().string();
  auto g = std::make_shared<const graphs::Graph>(
      graphs::Graph::from_labeled_edges(graphs::Family::File, {}, "rudy:" + name, std::move(labels), edges));
  MaxCut mc;
  mc.ising = Problem::zeros(g);
  // Graph edges are sorted by (u, v): place each weight by its edge's index.
  const auto& ge = g->edges();
  for (std::size_t k = 0; k < edges.size(); ++k) {
    auto u = *g->index_of(edges[k].first), v = *g->index_of(edges[k].second);
    if (u > v) std::swap(u, v);
    const auto it = std::lower_bound(ge.begin(), ge.end(), graphs::Edge{u, v}, [](const graphs::Edge& x, const graphs::Edge& y) {
      return x.u != y.u ? x.u < y.u : x.v < y.v;
    });
    mc.ising.J[static_cast<std::size_t>(it - ge.begin())] = -w[k];
    mc.total_weight += w[k];
  }
  return mc;
}

const char* to_string(ProblemFormat f) {
  switch (f) {
    case ProblemFormat::Auto: return "auto";
    case ProblemFormat::Text: return "text";
    case ProblemFormat::Json: return "json";
    case ProblemFormat::Rudy: return "rudy";
  }
  return "?";
}

ProblemFormat parse_problem_format(const std::string& s) {
  if (s == "auto") return ProblemFormat::Auto;
  if (s == "text") return ProblemFormat::Text;
  if (s == "json") return ProblemFormat::Json;
  if (s == "rudy" || s == "gset") return ProblemFormat::Rudy;
  throw Error("unknown problem format '" + s + "' (known: auto, text, json, rudy)");
}

ProblemFormat detect_problem_format(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".json") return ProblemFormat::Json;
  std::ifstream in = open_file(path, "problem file");
  std::string line;
  std::size_t lineno = 0;
  while (next_line(in, line, lineno, path)) {
    const auto f = fields(line);
    if (f.empty()) continue;
    return f.size() == 2 ? ProblemFormat::Rudy : ProblemFormat::Text;
  }
  return ProblemFormat::Text;  // empty: the text reader says so
}

LoadedProblem read_problem_file(const std::string& path, std::shared_ptr<const graphs::Graph> graph,
                                ProblemFormat format) {
  if (format == ProblemFormat::Auto) format = detect_problem_format(path);
  LoadedProblem out;
  switch (format) {
    case ProblemFormat::Rudy:
      if (graph)
        throw Error(path + ": a rudy/G-set file defines its own graph (nodes 1..n); drop --graph");
      out.maxcut = read_rudy(path);
      out.problem = out.maxcut->ising;
      return out;
    case ProblemFormat::Json:
      out.problem = read_problem_json(path, std::move(graph));
      return out;
    default:
      out.problem = read_problem_text(path, std::move(graph));
      return out;
  }
}

}  // namespace pbit

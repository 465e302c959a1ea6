// Edge-list file import: "u v" per line, '#' comments, blank lines ignored.
#include "detail.hpp"

#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/text_input.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pbit::graphs {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::vector<std::string_view> split_tokens(std::string_view line) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > start) tokens.push_back(line.substr(start, i - start));
  }
  return tokens;
}

}  // namespace

Graph read_edge_list(const std::string& path) {
  const std::string where = "edge list '" + path + "'";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw Error(where + ": file not found");
  if (std::filesystem::is_directory(path, ec)) throw Error(where + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(where + ": cannot open (" + std::strerror(errno) + ")");
  return read_edge_list(in, path);
}

Graph read_edge_list(std::istream& in, const std::string& path) {
  const std::string where = "edge list '" + path + "'";

  auto fail = [&](std::size_t line_no, const std::string& what) -> Error {
    return Error(where + ", line " + std::to_string(line_no) + ": " + what);
  };
  auto parse_label = [&](std::string_view tok, std::size_t line_no) -> Label {
    std::string_view digits = tok;
    const bool negative = !digits.empty() && digits.front() == '-';
    if (negative) digits.remove_prefix(1);
    if (digits.empty() ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      throw fail(line_no, "'" + visible(tok) + "' is not a non-negative integer label");
    if (negative)
      throw fail(line_no,
                 "label " + visible(tok) + " is out of range (labels are 0..2147483647)");
    Label value = 0;
    for (char c : digits) {
      value = value * 10 + (c - '0');
      if (value > kMaxFileLabel)
        throw fail(line_no,
                   "label " + visible(tok) + " is out of range (labels are 0..2147483647)");
    }
    return value;
  };

  std::vector<std::pair<Label, Label>> edges;
  std::unordered_map<std::uint64_t, std::size_t> first_line;  // edge -> line it first appeared on
  std::vector<Label> labels;
  std::string line;
  std::size_t line_no = 0;
  LineReader reader(in, where);
  while (reader.next(line)) {
    line_no = reader.line_no();
    std::string_view text(line);
    if (const auto hash = text.find('#'); hash != std::string_view::npos)
      text = text.substr(0, hash);
    const auto tokens = split_tokens(text);
    if (tokens.empty()) continue;
    if (tokens.size() != 2)
      throw fail(line_no, "expected 2 labels 'u v', got " + std::to_string(tokens.size()) +
                              " token" + (tokens.size() == 1 ? "" : "s"));
    const Label u = parse_label(tokens[0], line_no);
    const Label v = parse_label(tokens[1], line_no);
    if (u == v) throw fail(line_no, "self-loop on node " + std::to_string(u));
    const auto lo = static_cast<std::uint64_t>(std::min(u, v)),
               hi = static_cast<std::uint64_t>(std::max(u, v));
    const auto [it, inserted] = first_line.emplace((lo << 32) | hi, line_no);
    if (!inserted)
      throw fail(line_no, "duplicate edge (" + std::to_string(u) + ", " + std::to_string(v) +
                              "), first given on line " + std::to_string(it->second));
    if (edges.size() >= kMaxEdges)
      throw fail(line_no, "too many edges (the limit is " + std::to_string(kMaxEdges) + ")");
    edges.emplace_back(u, v);
    labels.push_back(u);
    labels.push_back(v);
  }
  if (in.bad()) throw Error(where + ": read error after line " + std::to_string(line_no));
  if (edges.empty())
    throw Error(where + ": no edges (" + std::to_string(line_no) +
                " lines, all blank or comments)");

  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  if (labels.size() > kMaxNodes)
    throw Error(where + ": too many nodes (" + std::to_string(labels.size()) + "; the limit is " +
                std::to_string(kMaxNodes) + ")");
  return Graph::from_labeled_edges(Family::File, {}, "file:" + path, std::move(labels), edges);
}

}  // namespace pbit::graphs

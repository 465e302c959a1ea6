#pragma once
// Problem files (text and JSON): the first byte chooses the graph they are
// checked against (none: the graph comes from the file); a problem read back
// from what the writers make of it must be the same problem.
#include "fuzz_util.hpp"

#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/problem.hpp>

#include <memory>
#include <sstream>

namespace pbit::fuzz {

inline std::shared_ptr<const graphs::Graph> problem_graph(std::uint8_t selector) {
  static const auto chimera = std::make_shared<const graphs::Graph>(graphs::make_graph("chimera:1"));
  static const auto pegasus = std::make_shared<const graphs::Graph>(graphs::make_graph("pegasus:2"));
  switch (selector % 3) {
    case 1: return chimera;
    case 2: return pegasus;
    default: return nullptr;
  }
}

// Text and JSON written from p read back to p (same graph, same values).
inline void check_round_trip(const Problem& p) {
  std::ostringstream text;
  write_problem_text(text, p);
  std::istringstream t(text.str());
  const Problem a = read_problem_text(t, "round-trip.txt", p.graph);
  std::istringstream j(problem_to_json(p));
  const Problem b = read_problem_json(j, "round-trip.json", p.graph);
  if (a.J != p.J || a.h != p.h || b.J != p.J || b.h != p.h) __builtin_trap();
}

template <class Read>
int fuzz_problem(const std::uint8_t* data, std::size_t size, Read read) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto graph = problem_graph(data[0]);
  // A JSON "graph" entry is a graph spec: the same bounds as fuzz_graph_spec.
  if (!graph && json_graph_too_slow(text)) return -1;
  std::istringstream in(text);
  try {
    check_round_trip(read(in, graph));
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace pbit::fuzz

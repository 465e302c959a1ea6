// Edge-list files ("u v" per line): parsed from a stream, then coloured.
#include "fuzz_util.hpp"

#include <pbit/error.hpp>
#include <pbit/graphs/coloring.hpp>
#include <pbit/graphs/generators.hpp>

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const pbit::graphs::Graph g = pbit::graphs::read_edge_list(in, "fuzz.txt");
    const auto c = pbit::graphs::best_coloring(g);
    if (!pbit::graphs::is_proper(g, c.color)) __builtin_trap();
  } catch (const pbit::Error&) {
  }
  return 0;
}

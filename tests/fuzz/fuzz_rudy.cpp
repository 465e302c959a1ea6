// Max-Cut files (rudy / G-set: "n m" then "i j w" lines), and the format
// detection that chooses between text, JSON and rudy for a problem file.
#include "fuzz_util.hpp"

#include <pbit/error.hpp>
#include <pbit/problem_rudy.hpp>

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = pbit::fuzz::scratch_path("maxcut.txt");
  pbit::fuzz::write_file(path, data, size);
  try {
    const pbit::MaxCut m = pbit::read_rudy(path);
    if (!std::isfinite(m.total_weight) || m.ising.graph->num_edges() != m.ising.J.size()) __builtin_trap();
  } catch (const pbit::Error&) {
  }
  try {
    (void)pbit::read_problem_file(path, nullptr, pbit::ProblemFormat::Auto);
  } catch (const pbit::Error&) {
  }
  return 0;
}

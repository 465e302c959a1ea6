// Problem files, JSON format ({"graph", "couplings", "fields"}).
#include "fuzz_problem.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return pbit::fuzz::fuzz_problem(data, size, [](std::istream& in, auto graph) {
    return pbit::read_problem_json(in, "fuzz.json", graph);
  });
}

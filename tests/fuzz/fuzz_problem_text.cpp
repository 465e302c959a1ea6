// Problem files, text format ("i j J" / "i i h" lines).
#include "fuzz_problem.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return pbit::fuzz::fuzz_problem(data, size, [](std::istream& in, auto graph) {
    return pbit::read_problem_text(in, "fuzz.txt", graph);
  });
}

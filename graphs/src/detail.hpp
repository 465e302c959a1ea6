#pragma once
// Internal helpers shared by the graphs sources (not installed, not public API).
#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>

#include <cstdint>
#include <limits>
#include <string>

namespace pbit::graphs::detail {

// a * b, saturating at UINT64_MAX (sizes are checked before anything is allocated).
inline std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::numeric_limits<std::uint64_t>::max();
  return r;
}
inline std::uint64_t add_sat(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::numeric_limits<std::uint64_t>::max();
  return r;
}

// Throws "<family>: too large (...)" when the graph would exceed kMaxNodes/kMaxEdges.
inline void check_size(const char* family, std::uint64_t nodes, std::uint64_t edges) {
  if (nodes > kMaxNodes)
    throw Error(std::string(family) + ": too large (" +
                (nodes == std::numeric_limits<std::uint64_t>::max() ? std::string("overflowing")
                                                                    : std::to_string(nodes)) +
                " nodes; the limit is " + std::to_string(kMaxNodes) + ")");
  if (edges > kMaxEdges)
    throw Error(std::string(family) + ": too large (" +
                (edges == std::numeric_limits<std::uint64_t>::max() ? std::string("overflowing")
                                                                    : std::to_string(edges)) +
                " edges; the limit is " + std::to_string(kMaxEdges) + ")");
}

// Shortest decimal text that parses back to exactly `x` ("0.1", "1", "0.25").
std::string format_double(double x);

}  // namespace pbit::graphs::detail

#pragma once
// Memory the process may use, and the check every large allocation driven by
// user input makes first (chains, states, datasets), so that a request that
// cannot fit is a clear error instead of a machine that starts to swap.
#include <pbit/error.hpp>

#include <cstdint>
#include <string>

namespace pbit {

// The error of check_memory (the CLI names the option that lowers the figure).
class MemoryError : public Error {
 public:
  explicit MemoryError(const std::string& what) : Error(what) {}
};

// The smallest of: physical memory, the cgroup's memory.max, RLIMIT_AS and
// RLIMIT_DATA; env PBIT_MEMORY_LIMIT (bytes, or with a K/M/G/T suffix) lowers it.
std::uint64_t memory_limit_bytes();

// "12.3 GiB", "512.0 MiB", "1000 bytes".
std::string format_bytes(std::uint64_t bytes);

// Throws pbit::MemoryError "<what> about X, more than the Y of memory
// available; <advice>" when bytes exceed memory_limit_bytes(). `what` ends
// with a verb: "1000 chains of pegasus:16 need".
void check_memory(std::uint64_t bytes, const std::string& what, const std::string& advice);

// a * b and a + b saturating at UINT64_MAX (estimates never wrap around).
std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b);
std::uint64_t add_sat(std::uint64_t a, std::uint64_t b);

}  // namespace pbit

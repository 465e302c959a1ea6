#pragma once
// Speed of samplers, measured the same way everywhere (pbit bench): p-bit
// updates per nanosecond ("flips/ns") over all chains, by wall time and by
// the process's CPU time (the fair figure on a shared machine, one thread).
#include <pbit/problem.hpp>
#include <pbit/sampler.hpp>
#include <pbit/samplers/ref.hpp>
#include <pbit/spec.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace pbit {

struct SpeedFigure {
  std::uint64_t sweeps = 0;   // per chain
  double seconds = 0;         // wall
  double cpu_seconds = 0;     // process CPU time (user + system)
  double flips_per_ns = 0;    // by wall time
  double flips_per_cpu_ns = 0;
};

// Sweeps at a fixed beta in batches (about 0.1 s each) for `seconds`.
// The sampler must be loaded and configured.
SpeedFigure measure_sweeps(Sampler& s, std::size_t nodes, double seconds);

// How beta moves while measuring anneals.
enum class AnnealMode {
  Schedule,   // set_beta(b_k); run(1) for the schedule's betas (a real anneal)
  SameBeta,   // set_beta(b); run(1) with one unchanging b (the cost of the call alone)
};
// Whole anneals of `betas` (one sweep per beta), each from a fresh configure()
// (not timed), repeated for `seconds`. The sampler must be loaded.
SpeedFigure measure_anneals(Sampler& s, std::size_t nodes, const SamplerConfig& config,
                            const std::vector<double>& betas, AnnealMode mode, double seconds);

// The benchmark suite: every figure of interest in one run, rounds
// interleaved (row 1, 2, ..., then again), medians reported.
struct SuiteOptions {
  Problem problem;
  NumericSpec spec;
  double beta = 1.0;
  int rounds = 3;
  double seconds = 0.3;  // per row and round
  std::uint64_t seed = 1;
};
struct SuiteRow {
  std::string name;
  SimdPath path = SimdPath::Auto;
  RefLayout layout = RefLayout::Auto;   // as requested
  RefLayout used = RefLayout::Auto;     // as run
  int chains = 1;
  std::string what;                     // "sweeps", "anneal", "set_beta"
  bool available = true;                // the CPU has the path
  std::vector<SpeedFigure> runs;        // one per round
  double flips_per_ns = 0;              // medians over rounds
  double flips_per_cpu_ns = 0;
};
std::vector<SuiteRow> run_speed_suite(const SuiteOptions& options);

}  // namespace pbit

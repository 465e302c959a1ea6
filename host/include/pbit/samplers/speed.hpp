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

// What a new beta every sweep costs, measured against a baseline in
// alternating chunks (so the machine's drift hits both alike):
// - Schedule: whole anneals over `betas` (one sweep each, set_beta before each,
//   from a fresh configure(): all -1), against as many sweeps from all -1 at
//   betas[0] with no set_beta. The two differ in physics too: at small beta
//   more p-bits flip, which costs the Chains layout more.
// - SameBeta: the same chains go on, `betas.size()` sweeps each preceded by
//   set_beta(betas[0]), against as many plain sweeps: set_beta's own cost.
// configure() is never timed. The sampler must be loaded.
enum class AnnealMode { Schedule, SameBeta };
struct PairedFigures {
  SpeedFigure measured, baseline;
  std::vector<double> pair_ratios;  // per chunk pair: measured speed / baseline speed (CPU time)
};
// Schedule's baseline runs at `baseline_beta`.
PairedFigures measure_beta_changes(Sampler& s, std::size_t nodes, const SamplerConfig& config,
                                   const std::vector<double>& betas, double baseline_beta, AnnealMode mode,
                                   double seconds);

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
  std::vector<double> ratios;           // anneal / set_beta rows: every chunk pair's speed ratio (CPU time)
  double flips_per_ns = 0;              // medians over rounds
  double flips_per_cpu_ns = 0;
  double vs_baseline = 0;              // median of ratios
};
std::vector<SuiteRow> run_speed_suite(const SuiteOptions& options);

}  // namespace pbit

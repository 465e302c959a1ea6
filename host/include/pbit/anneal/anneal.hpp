#pragma once
// Annealing on any Sampler: beta follows a schedule (a new beta through
// Sampler::set_beta at every step, then some sweeps), every chain is an
// independent restart, and the run reports the lowest energy found, every
// chain's final energy, the residual energy along the run and, given a
// target energy, the success probability and the time to target.
#include <pbit/problem.hpp>
#include <pbit/sampler.hpp>
#include <pbit/spec.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pbit::anneal {

// The betas of an anneal, one per step.
struct BetaSchedule {
  std::string kind;            // "linear", "geometric", "list", "constant"
  std::vector<double> betas;   // one per step, each finite and >= 0

  // "linear:B0,B1,STEPS"     STEPS betas from B0 to B1, evenly spaced
  // "geometric:B0,B1,STEPS"  STEPS betas from B0 to B1 in a constant ratio (B0, B1 > 0)
  // "constant:B,STEPS"       STEPS times B
  // "list:B1,B2,..." or "B1,B2,..."  the betas themselves
  // STEPS in [1, kMaxSteps]. Throws pbit::Error naming what is wrong.
  static BetaSchedule parse(const std::string& text);
  static constexpr std::size_t kMaxSteps = 10'000'000;
  std::string describe() const;  // e.g. "linear 0.1 -> 3, 1000 steps"
};

struct Config {
  BetaSchedule schedule;
  std::uint64_t sweeps_per_beta = 1;   // sweeps at each beta, >= 1
  int chains = 1;                      // independent restarts
  std::uint64_t seed = 1;
  int threads = 1;                     // 0 = all
  std::optional<double> target;        // success: a chain ends at energy <= target (+ tolerance)
  int trace_points = 50;               // reads of every chain's energy, evenly spaced, the last at the end
                                       // (at least that one: it gives the final energies)
};

struct TracePoint {
  std::uint64_t sweeps = 0;     // sweeps done when read
  double beta = 0;              // beta of the step just finished
  double mean_energy = 0;       // over chains
  double min_energy = 0;
};

struct Result {
  double best_energy = 0;
  std::vector<std::int8_t> best_state;   // +-1 per node (compact index)
  int best_chain = 0;
  std::uint64_t best_sweeps = 0;         // when it was read (the end, or a trace point)
  std::vector<double> final_energies;    // per chain
  std::vector<TracePoint> trace;         // ascending sweeps; the last one is the end
  std::uint64_t sweeps = 0;              // per chain
  int chains = 0;
  double seconds = 0;        // annealing only: set_beta and sweeps (not loading, not reading states)
  double load_seconds = 0;   // load + configure
  double flips_per_ns = 0;   // p-bit updates over all chains per nanosecond of `seconds`
  // With a target:
  int successes = 0;                           // chains whose final energy reached it
  std::optional<double> success_probability;   // successes / chains
  std::optional<double> tts99_seconds;         // none when no chain succeeded
};

// Tolerance of the target comparison: energies are sums of float weights.
double target_tolerance(double target);

// Time to reach the target with 99 % confidence from `t_run` (seconds of one
// restart) and the success probability p of one restart:
// t_run ln(0.01) / ln(1 - p); t_run itself when p >= 0.99; none when p == 0.
std::optional<double> tts99(double t_run, double p);

// Loads `problem` into the sampler at the schedule's first beta, configures
// the chains (all start at -1, as every backend does), and anneals. The time
// of one restart for TTS99 is `seconds / chains` (restarts run side by side).
// With a parallel::DistributedSampler every process anneals its share of the
// chains and gets the one-process result (all but the times).
Result run(Sampler& sampler, const Problem& problem, const NumericSpec& spec, const Config& config);

}  // namespace pbit::anneal

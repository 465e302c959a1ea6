#pragma once
// The one Sampler interface: the trainer, the CLI and the tests drive every
// backend (software reference, ideal float, exact enumeration, simulated RTL,
// board) through it and never know which one they hold.
#include <pbit/problem.hpp>
#include <pbit/spec.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pbit {

// Moments accumulated on the fly over every (sweep, chain) sample.
struct Stats {
  std::uint64_t samples = 0;       // sweeps * chains accumulated
  std::vector<double> mean;        // <m_i> per node
  std::vector<double> corr;        // <m_i m_j> per edge (graph->edges() order)
  double energy_mean = 0;          // <E> with the problem's float weights (from the moments)
  // The integer sums behind mean and corr (sum of m_i, of m_i m_j over the
  // samples; mean = sum / samples) from backends that count (ref, float, rtl,
  // board), empty from the others (exact). Integers add up exactly in any
  // order: statistics of chains divided among processes are summed this way.
  std::vector<std::int64_t> sum_m, sum_c;
};

struct SamplerConfig {
  int chains = 1;           // independent chains
  std::uint64_t seed = 1;   // master seed (see pbit_seed)
  int threads = 0;          // 0 = all hardware threads
  // Global index of chain 0: chain c is seeded as chain first_chain + c of
  // the master seed, so a share of a larger set of chains (one process's
  // under MPI) runs exactly the bits those chains run in the whole set.
  int first_chain = 0;
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual std::string name() const = 0;

  // Load a problem: quantized per `spec` by backends that model the hardware,
  // used in float by the others. Resets chains (all m = -1), clamps and stats.
  virtual void load(const Problem& problem, const NumericSpec& spec, double beta) = 0;
  // Chains and seeds; reseeds every RNG, resets states to -1 and stats.
  virtual void configure(const SamplerConfig& config) = 0;
  // Change beta only (hardware: rewrite the LUT in Lut mode). States kept.
  virtual void set_beta(double beta) = 0;
  // Replace J and h (same graph), keeping chains, RNG streams, clamps and
  // statistics: persistent chains across a training step. Hardware: rewrite
  // the weight registers. Throws pbit::Error if the graph differs.
  virtual void update_weights(const Problem& problem) = 0;

  // Clamping: the mask is shared by all chains, values are per chain.
  virtual void set_clamp_mask(const std::vector<std::uint8_t>& clamped) = 0;  // per node, 0/1
  virtual void set_clamp_values(int chain, const std::vector<std::int8_t>& m) = 0;  // +-1 per node
  virtual void clear_clamps() = 0;

  // Run sweeps on every chain; with accumulate, add every sweep's states of
  // every chain to the statistics.
  virtual void run(std::uint64_t sweeps, bool accumulate) = 0;

  virtual std::vector<std::int8_t> state(int chain) const = 0;  // +-1 per node
  virtual void set_state(int chain, const std::vector<std::int8_t>& m) = 0;
  // Bulk chain I/O, equal to state() / set_state() chain by chain:
  // out[k] = state(first + k) for k < count (out resized to count), and
  // set_state(first + k, m[k]) for k < m.size(). The defaults loop; backends
  // that hold many chains together override them (ref: 32 chains per word).
  virtual void states(int first, int count, std::vector<std::vector<std::int8_t>>& out) const;
  virtual void set_states(int first, const std::vector<std::vector<std::int8_t>>& m);
  virtual void reset_stats() = 0;
  virtual Stats stats() const = 0;

  virtual int chains() const = 0;
  virtual std::uint64_t sweeps_done() const = 0;  // since configure()
};

// Backend registry: "ref", "float", "exact" here; other libraries (sim, board)
// register theirs with a static registrar.
using SamplerFactory = std::function<std::unique_ptr<Sampler>()>;
void register_sampler(const std::string& name, SamplerFactory factory);
std::unique_ptr<Sampler> make_sampler(const std::string& name);  // throws pbit::Error
std::vector<std::string> sampler_names();

// Helpers shared by backends.
// Energy mean from moments: -sum_e J_e corr_e - sum_i h_i mean_i.
double energy_from_moments(const Problem& p, const std::vector<double>& mean,
                           const std::vector<double>& corr);
// Stats of `samples` samples from counts: plus[i] of them had node i at +1,
// agree[e] had edge e's ends equal.
Stats stats_from_counts(const Problem& p, std::uint64_t samples,
                        const std::vector<std::int64_t>& plus,
                        const std::vector<std::int64_t>& agree);
// Stats from integer sums (Stats::sum_m, sum_c): mean = sum / samples.
Stats stats_from_sums(const Problem& p, std::uint64_t samples, std::vector<std::int64_t> sum_m,
                      std::vector<std::int64_t> sum_c);
// Before a backend allocates its chains: throws pbit::MemoryError ("<backend>:
// C chains of <graph> (N p-bits) need about X, more than ...") when
// chains * bytes_per_chain + fixed_bytes exceeds the memory available.
void check_chain_memory(const std::string& backend, const Problem& p, int chains,
                        std::uint64_t bytes_per_chain, std::uint64_t fixed_bytes = 0);
// For update_weights: throws pbit::Error unless `next` has the same graph as
// `current` and consistent weight vectors, then takes next's J and h.
void replace_weights(Problem& current, const Problem& next);

}  // namespace pbit

// The `float` backend: ideal Gibbs sampling in double precision.
//
// Chain c draws from its own xoshiro256** stream, Rng(float_chain_seed(seed, first_chain + c)),
// so results do not depend on how chains are spread over threads. Statistics
// are integer sums of +-1 (exact, hence order-independent) per thread, added
// up after each run().
#include <pbit/samplers/float_gibbs.hpp>

#include <pbit/error.hpp>
#include <pbit/graphs/coloring.hpp>
#include <pbit/random.hpp>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace pbit {
namespace {

// Per-chain seed: splitmix64(splitmix64(master) ^ chain), then Rng's own seeding.
std::uint64_t float_chain_seed(std::uint64_t master, std::uint64_t chain) {
  return splitmix64(splitmix64(master) ^ chain);
}

constexpr double kMinParallelWork = 1 << 17;  // p-bit updates + CSR reads per run()

class FloatSampler final : public Sampler {
 public:
  std::string name() const override { return "float"; }

  void load(const Problem& problem, const NumericSpec& spec, double beta) override {
    if (!problem.graph) throw Error("float: problem has no graph");
    const auto& g = *problem.graph;
    if (problem.J.size() != g.num_edges() || problem.h.size() != g.num_nodes())
      throw Error("float: problem weights do not match its graph");
    check_beta(beta);
    problem_ = problem;
    schedule_ = spec.schedule;
    beta_ = beta;
    n_ = static_cast<std::uint32_t>(g.num_nodes());

    // CSR with one coupling per entry.
    offsets_ = g.adj_offsets();
    nbr_ = g.adj();
    jcsr_.assign(nbr_.size(), 0.0);
    const auto& edges = g.edges();
    for (std::size_t e = 0; e < edges.size(); ++e) {
      const auto u = edges[e].u, v = edges[e].v;
      jcsr_[csr_pos(u, v)] = problem.J[e];
      jcsr_[csr_pos(v, u)] = problem.J[e];
    }
    h_ = problem.h;

    // Chromatic order: colour classes in colour order, ascending index within.
    const auto col = graphs::best_coloring(g);
    order_.resize(n_);
    for (std::uint32_t i = 0; i < n_; ++i) order_[i] = i;
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return col.color[a] < col.color[b]; });

    loaded_ = true;
    mask_.assign(n_, 0);
    clamp_values_.clear();
    reset_chains();
  }

  void configure(const SamplerConfig& config) override {
    if (config.chains < 1) throw Error("float: chains must be >= 1");
    if (config.threads < 0) throw Error("float: threads must be >= 0");
    if (config.first_chain < 0) throw Error("float: the first chain's index must be >= 0");
    config_ = config;
    reset_chains();
  }

  void set_beta(double beta) override {
    check_beta(beta);
    beta_ = beta;
  }

  void update_weights(const Problem& problem) override {
    require_loaded();
    replace_weights(problem_, problem);
    const auto& edges = problem_.graph->edges();
    for (std::size_t e = 0; e < edges.size(); ++e) {
      jcsr_[csr_pos(edges[e].u, edges[e].v)] = problem.J[e];
      jcsr_[csr_pos(edges[e].v, edges[e].u)] = problem.J[e];
    }
    h_ = problem.h;
  }

  void set_clamp_mask(const std::vector<std::uint8_t>& clamped) override {
    require_loaded();
    if (clamped.size() != n_)
      throw Error("float: clamp mask has " + std::to_string(clamped.size()) +
                  " entries, expected " + std::to_string(n_));
    for (std::uint32_t i = 0; i < n_; ++i) mask_[i] = clamped[i] != 0;
    for (int c = 0; c < config_.chains; ++c) apply_clamps(c);
  }

  void set_clamp_values(int chain, const std::vector<std::int8_t>& m) override {
    require_loaded();
    check_chain(chain);
    check_state(m, "clamp values");
    std::copy(m.begin(), m.end(), clamp_values_.begin() + offset(chain));
    apply_clamps(chain);
  }

  void clear_clamps() override {
    require_loaded();
    std::fill(mask_.begin(), mask_.end(), 0);
    std::fill(clamp_values_.begin(), clamp_values_.end(), -1);
  }

  void run(std::uint64_t sweeps, bool accumulate) override {
    require_loaded();
    const int chains = config_.chains;
    const int threads = config_.threads == 0 ? omp_get_max_threads() : config_.threads;
    // Threads only pay off for enough work (waking a team costs microseconds,
    // milliseconds on a loaded machine); results never depend on the count.
    const double work = static_cast<double>(sweeps) * chains * (n_ + nbr_.size());
    const int nthreads = work < kMinParallelWork ? 1 : std::max(1, std::min(threads, chains));
    const std::size_t ne = problem_.num_edges();
    const auto& edges = problem_.graph->edges();

    // Per-thread counts (exact integers: any summation order gives the same totals).
    std::vector<std::vector<std::int64_t>> acc_m(accumulate ? nthreads : 0),
        acc_c(accumulate ? nthreads : 0);

#pragma omp parallel num_threads(nthreads) if (nthreads > 1)
    {
      const int t = omp_get_thread_num();
      std::int64_t* am = nullptr;
      std::int64_t* ac = nullptr;
      if (accumulate) {
        acc_m[t].assign(n_, 0);
        acc_c[t].assign(ne, 0);
        am = acc_m[t].data();
        ac = acc_c[t].data();
      }
#pragma omp for schedule(static)
      for (int c = 0; c < chains; ++c) {
        std::int8_t* m = states_.data() + offset(c);
        const std::int8_t* cv = clamp_values_.data() + offset(c);
        Rng& rng = rngs_[c];
        for (std::uint64_t s = 0; s < sweeps; ++s) {
          if (schedule_ == Schedule::Async)
            sweep_random_scan(m, cv, rng);
          else
            sweep_chromatic(m, cv, rng);
          if (accumulate) {
            for (std::uint32_t i = 0; i < n_; ++i) am[i] += m[i];
            for (std::size_t e = 0; e < ne; ++e) ac[e] += m[edges[e].u] * m[edges[e].v];
          }
        }
      }
    }
    if (accumulate) {
      for (int t = 0; t < nthreads; ++t) {
        if (acc_m[t].empty()) continue;  // thread got no chains
        for (std::uint32_t i = 0; i < n_; ++i) sum_m_[i] += acc_m[t][i];
        for (std::size_t e = 0; e < ne; ++e) sum_c_[e] += acc_c[t][e];
      }
      samples_ += sweeps * static_cast<std::uint64_t>(chains);
    }
    sweeps_done_ += sweeps;
  }

  std::vector<std::int8_t> state(int chain) const override {
    require_loaded();
    check_chain(chain);
    return std::vector<std::int8_t>(states_.begin() + offset(chain),
                                    states_.begin() + offset(chain) + n_);
  }

  // Clamped p-bits keep their clamp values whatever m says.
  void set_state(int chain, const std::vector<std::int8_t>& m) override {
    require_loaded();
    check_chain(chain);
    check_state(m, "state");
    std::copy(m.begin(), m.end(), states_.begin() + offset(chain));
    apply_clamps(chain);
  }

  void reset_stats() override {
    samples_ = 0;
    sum_m_.assign(n_, 0);
    sum_c_.assign(loaded_ ? problem_.num_edges() : 0, 0);
  }

  Stats stats() const override {
    if (!loaded_) return Stats{};
    return stats_from_sums(problem_, samples_, sum_m_, sum_c_);
  }

  int chains() const override {
    return config_.chains;
  }
  std::uint64_t sweeps_done() const override {
    return sweeps_done_;
  }

 private:
  static void check_beta(double beta) {
    if (!std::isfinite(beta) || beta < 0) throw Error("float: beta must be finite and >= 0");
  }
  void require_loaded() const {
    if (!loaded_) throw Error("float: no problem loaded");
  }
  void check_chain(int chain) const {
    if (chain < 0 || chain >= config_.chains)
      throw Error("float: chain " + std::to_string(chain) + " out of range [0, " +
                  std::to_string(config_.chains) + ")");
  }
  void check_state(const std::vector<std::int8_t>& m, const char* what) const {
    if (m.size() != n_)
      throw Error(std::string("float: ") + what + " has " + std::to_string(m.size()) +
                  " entries, expected " + std::to_string(n_));
    for (auto x : m)
      if (x != 1 && x != -1) throw Error(std::string("float: ") + what + " entries must be +-1");
  }
  std::size_t offset(int chain) const {
    return static_cast<std::size_t>(chain) * n_;
  }

  std::size_t csr_pos(std::uint32_t u, std::uint32_t v) const {
    auto b = nbr_.begin() + offsets_[u], e = nbr_.begin() + offsets_[u + 1];
    return static_cast<std::size_t>(std::lower_bound(b, e, v) - nbr_.begin());
  }

  // Reseed, states to -1 (clamped p-bits at their values), stats cleared.
  void reset_chains() {
    sweeps_done_ = 0;
    // Per chain: state and clamp values (a byte per p-bit each) and an RNG.
    if (loaded_) check_chain_memory("float", problem_, config_.chains, 2 * std::uint64_t{n_} + 64);
    rngs_.clear();
    rngs_.reserve(config_.chains);
    for (int c = 0; c < config_.chains; ++c)
      rngs_.emplace_back(float_chain_seed(config_.seed, static_cast<std::uint64_t>(config_.first_chain) + static_cast<std::uint64_t>(c)));
    const std::size_t total = static_cast<std::size_t>(config_.chains) * n_;
    states_.assign(total, -1);
    clamp_values_.resize(total, -1);
    reset_stats();
    if (loaded_)
      for (int c = 0; c < config_.chains; ++c) apply_clamps(c);
  }

  void apply_clamps(int chain) {
    std::int8_t* m = states_.data() + offset(chain);
    const std::int8_t* cv = clamp_values_.data() + offset(chain);
    for (std::uint32_t i = 0; i < n_; ++i)
      if (mask_[i]) m[i] = cv[i];
  }

  inline void update(std::uint32_t i, std::int8_t* m, Rng& rng) const {
    double I = h_[i];
    const std::uint32_t b = offsets_[i], e = offsets_[i + 1];
    const double* jj = jcsr_.data();
    const std::uint32_t* nb = nbr_.data();
    for (std::uint32_t k = b; k < e; ++k) I += jj[k] * m[nb[k]];
    // P(+1) = (1 + tanh(beta I)) / 2  <=>  2u - 1 < tanh(beta I), u ~ U[0, 1).
    m[i] = (2.0 * rng.uniform() - 1.0 < std::tanh(beta_ * I)) ? 1 : -1;
  }

  void sweep_chromatic(std::int8_t* m, const std::int8_t* cv, Rng& rng) const {
    for (std::uint32_t i : order_) {
      if (mask_[i])
        m[i] = cv[i];
      else
        update(i, m, rng);
    }
  }

  void sweep_random_scan(std::int8_t* m, const std::int8_t* cv, Rng& rng) const {
    for (std::uint32_t s = 0; s < n_; ++s) {
      const auto i = static_cast<std::uint32_t>(rng.below(n_));
      if (mask_[i])
        m[i] = cv[i];
      else
        update(i, m, rng);
    }
  }

  bool loaded_ = false;
  Problem problem_;
  Schedule schedule_ = Schedule::Chromatic;
  double beta_ = 1.0;
  std::uint32_t n_ = 0;
  std::vector<std::uint32_t> offsets_, nbr_, order_;
  std::vector<double> jcsr_, h_;

  SamplerConfig config_;
  std::vector<Rng> rngs_;
  std::vector<std::int8_t> states_;        // chains x n
  std::vector<std::int8_t> clamp_values_;  // chains x n
  std::vector<std::uint8_t> mask_;         // n
  std::uint64_t sweeps_done_ = 0;

  std::uint64_t samples_ = 0;
  std::vector<std::int64_t> sum_m_, sum_c_;
};

}  // namespace

std::unique_ptr<Sampler> make_float_sampler() {
  return std::make_unique<FloatSampler>();
}

}  // namespace pbit

// Exact Boltzmann statistics by Gray-code enumeration, and the `exact` backend.
//
// The 2^F states of the F free p-bits are visited in reflected Gray-code
// order, so consecutive states differ by one flip and the energy updates in
// O(degree). Two passes: the first finds the energy range, so the second can
// weight states by exp(-beta E - shift) with shift = max(-beta E) (no overflow,
// log Z = shift + ln sum). Moments are accumulated lazily: a node's (or an
// edge's) value only changes when one of its nodes flips, so each flip closes
// the interval since the last one, adding value * (weight accumulated in
// between). The walk is split into fixed blocks of 2^12 states (energy
// recomputed exactly at every block start, so rounding cannot drift) grouped
// into a fixed number of chunks that run in parallel and are reduced in chunk
// order: results do not depend on the thread count.
#include <pbit/samplers/exact.hpp>

#include <pbit/error.hpp>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace pbit {
namespace {

constexpr int kBlockBits = 12;  // states per block = 2^12
constexpr int kMaxChunks = 64;  // parallel work units (fixed: determinism)

// The free p-bits' sub-problem in local indices 0..F-1.
struct FreeModel {
  int nf = 0;
  std::vector<std::uint32_t> node;           // local -> compact index
  std::vector<std::uint32_t> bit;            // local -> bit in the full-state index (1 << node)
  std::vector<double> heff;                  // h + couplings to clamped neighbours
  std::vector<std::uint32_t> off, nbr, eid;  // local CSR: neighbour, local edge id
  std::vector<double> jc;                    // coupling per CSR entry
  std::vector<std::uint32_t> eu, ev;         // local edges (eu < ev)
  std::vector<double> ej;
  double econst = 0;             // energy of clamped-clamped terms
  std::uint64_t base_index = 0;  // full-state index bits of clamped +1 nodes

  double energy(const double* m) const {
    double e = econst;
    for (std::size_t k = 0; k < ej.size(); ++k) e -= ej[k] * m[eu[k]] * m[ev[k]];
    for (int f = 0; f < nf; ++f) e -= heff[f] * m[f];
    return e;
  }
};

struct ChunkAcc {
  double z = 0, ze = 0;
  double emin = std::numeric_limits<double>::infinity();
  double emax = -std::numeric_limits<double>::infinity();
  std::vector<double> sn, se;  // sum of w * m_f, sum of w * m_u m_v (local edges)
};

inline int ctz64(std::uint64_t x) {
  return __builtin_ctzll(x);
}

// Sets m to Gray state g(t) and returns its exact energy.
double start_block(const FreeModel& fm, std::uint64_t t, double* m, std::uint64_t& idx) {
  const std::uint64_t g = t ^ (t >> 1);
  idx = fm.base_index;
  for (int f = 0; f < fm.nf; ++f) {
    const bool up = (g >> f) & 1u;
    m[f] = up ? 1.0 : -1.0;
    if (up) idx |= fm.bit[f];
  }
  return fm.energy(m);
}

// Local field of free node k in state m.
inline double local_field(const FreeModel& fm, int k, const double* m) {
  double l = fm.heff[k];
  for (std::uint32_t p = fm.off[k]; p < fm.off[k + 1]; ++p) l += fm.jc[p] * m[fm.nbr[p]];
  return l;
}

void range_chunk(const FreeModel& fm, std::uint64_t t0, std::uint64_t t1, ChunkAcc& acc) {
  std::vector<double> m(std::max(fm.nf, 1));
  std::uint64_t idx;
  double e = start_block(fm, t0, m.data(), idx);
  double lo = e, hi = e;
  for (std::uint64_t t = t0 + 1; t < t1; ++t) {
    const int k = ctz64(t);
    e += 2.0 * m[k] * local_field(fm, k, m.data());
    m[k] = -m[k];
    lo = std::min(lo, e);
    hi = std::max(hi, e);
    // (drift here only moves the shift slightly; the second pass is exact per block)
  }
  acc.emin = lo;
  acc.emax = hi;
}

template <bool kKeepProb>
void walk_chunk(const FreeModel& fm, std::uint64_t t0, std::uint64_t t1, std::uint64_t block,
                double beta, double shift, ChunkAcc& acc, double* prob) {
  const int nf = fm.nf;
  const std::size_t ne = fm.ej.size();
  std::vector<double> m(std::max(nf, 1)), last_n(std::max(nf, 1)),
      last_e(std::max<std::size_t>(ne, 1));
  acc.sn.assign(nf, 0.0);
  acc.se.assign(ne, 0.0);
  double* sn = acc.sn.data();
  double* se = acc.se.data();
  const std::uint32_t* off = fm.off.data();
  const std::uint32_t* nbr = fm.nbr.data();
  const std::uint32_t* eid = fm.eid.data();
  const double* jc = fm.jc.data();
  const double* heff = fm.heff.data();
  const std::uint32_t* bit = fm.bit.data();

  for (std::uint64_t b0 = t0; b0 < t1; b0 += block) {
    std::uint64_t idx;
    double e = start_block(fm, b0, m.data(), idx);
    std::fill(last_n.begin(), last_n.end(), 0.0);
    std::fill(last_e.begin(), last_e.end(), 0.0);
    double zb = 0, zeb = 0;
    for (std::uint64_t s = 0; s < block; ++s) {
      if (s > 0) {
        const int k = ctz64(s);  // b0 is a multiple of block, so ctz(b0 + s) = ctz(s)
        const double mk = m[k];
        // Close node k's interval and those of its edges; compute its local field.
        sn[k] += mk * (zb - last_n[k]);
        last_n[k] = zb;
        double l = heff[k];
        for (std::uint32_t p = off[k]; p < off[k + 1]; ++p) {
          const double mj = m[nbr[p]];
          l += jc[p] * mj;
          const std::uint32_t q = eid[p];
          se[q] += mk * mj * (zb - last_e[q]);
          last_e[q] = zb;
        }
        e += 2.0 * mk * l;
        m[k] = -mk;
        if (kKeepProb) idx ^= bit[k];
      }
      const double w = std::exp(-beta * e - shift);
      zb += w;
      zeb += w * e;
      if (kKeepProb) prob[idx] = w;
    }
    // Flush the open intervals of this block.
    for (int f = 0; f < nf; ++f) sn[f] += m[f] * (zb - last_n[f]);
    for (std::size_t q = 0; q < ne; ++q) se[q] += m[fm.eu[q]] * m[fm.ev[q]] * (zb - last_e[q]);
    acc.z += zb;
    acc.ze += zeb;
  }
}

}  // namespace

ExactResult enumerate_exact(const Problem& problem, double beta, bool keep_distribution,
                            const std::vector<std::uint8_t>& clamp,
                            const std::vector<std::int8_t>& value) {
  if (!problem.graph) throw Error("exact: problem has no graph");
  const auto& g = *problem.graph;
  const std::size_t n = g.num_nodes();
  if (problem.J.size() != g.num_edges() || problem.h.size() != n)
    throw Error("exact: problem weights do not match its graph");
  if (!std::isfinite(beta)) throw Error("exact: beta must be finite");
  if (!clamp.empty() && clamp.size() != n)
    throw Error("exact: clamp mask has " + std::to_string(clamp.size()) + " entries, expected " +
                std::to_string(n));
  auto is_clamped = [&](std::size_t i) { return !clamp.empty() && clamp[i] != 0; };
  std::size_t nclamped = 0;
  for (std::size_t i = 0; i < n; ++i) nclamped += is_clamped(i);
  if (nclamped > 0) {
    if (value.size() != n)
      throw Error("exact: clamp values have " + std::to_string(value.size()) +
                  " entries, expected " + std::to_string(n));
    for (std::size_t i = 0; i < n; ++i)
      if (is_clamped(i) && value[i] != 1 && value[i] != -1)
        throw Error("exact: clamp value of node " +
                    std::to_string(g.label(static_cast<std::uint32_t>(i))) + " is not +-1");
  }
  const std::size_t nfree = n - nclamped;
  if (nfree > static_cast<std::size_t>(kExactMaxNodes))
    throw Error("exact: " + std::to_string(nfree) + " free p-bits exceeds " +
                std::to_string(kExactMaxNodes) + " (2^N states to enumerate)");
  if (keep_distribution && n > static_cast<std::size_t>(kExactMaxNodes))
    throw Error("exact: the full distribution needs at most " + std::to_string(kExactMaxNodes) +
                " nodes, the problem has " + std::to_string(n));

  // ---- build the free sub-problem
  FreeModel fm;
  fm.nf = static_cast<int>(nfree);
  std::vector<std::int32_t> local(n, -1);
  for (std::size_t i = 0; i < n; ++i)
    if (!is_clamped(i)) {
      local[i] = static_cast<std::int32_t>(fm.node.size());
      fm.node.push_back(static_cast<std::uint32_t>(i));
      fm.bit.push_back(keep_distribution ? (1u << i) : 0u);
      fm.heff.push_back(problem.h[i]);
    } else {
      const double v = value[i];
      fm.econst -= problem.h[i] * v;
      if (keep_distribution && value[i] == 1) fm.base_index |= std::uint64_t{1} << i;
    }
  const auto& edges = g.edges();
  std::vector<std::int64_t> edge_local(edges.size(), -1);
  std::vector<std::uint32_t> deg(fm.nf, 0);
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const auto u = edges[e].u, v = edges[e].v;
    const bool cu = is_clamped(u), cv = is_clamped(v);
    if (cu && cv) {
      fm.econst -= problem.J[e] * value[u] * value[v];
    } else if (cu) {
      fm.heff[local[v]] += problem.J[e] * value[u];
    } else if (cv) {
      fm.heff[local[u]] += problem.J[e] * value[v];
    } else {
      edge_local[e] = static_cast<std::int64_t>(fm.ej.size());
      fm.eu.push_back(static_cast<std::uint32_t>(local[u]));
      fm.ev.push_back(static_cast<std::uint32_t>(local[v]));
      fm.ej.push_back(problem.J[e]);
      ++deg[local[u]];
      ++deg[local[v]];
    }
  }
  fm.off.assign(fm.nf + 1, 0);
  for (int f = 0; f < fm.nf; ++f) fm.off[f + 1] = fm.off[f] + deg[f];
  fm.nbr.resize(fm.off[fm.nf]);
  fm.eid.resize(fm.off[fm.nf]);
  fm.jc.resize(fm.off[fm.nf]);
  {
    std::vector<std::uint32_t> fill(fm.off.begin(), fm.off.end() - 1);
    for (std::size_t q = 0; q < fm.ej.size(); ++q) {
      const auto a = fm.eu[q], b = fm.ev[q];
      fm.nbr[fill[a]] = b, fm.eid[fill[a]] = static_cast<std::uint32_t>(q),
      fm.jc[fill[a]++] = fm.ej[q];
      fm.nbr[fill[b]] = a, fm.eid[fill[b]] = static_cast<std::uint32_t>(q),
      fm.jc[fill[b]++] = fm.ej[q];
    }
  }

  // ---- work split
  const std::uint64_t total = std::uint64_t{1} << fm.nf;
  const std::uint64_t block = std::uint64_t{1} << std::min(fm.nf, kBlockBits);
  const std::uint64_t nblocks = total / block;
  const std::uint64_t nchunks = std::min<std::uint64_t>(nblocks, kMaxChunks);
  const std::uint64_t per_chunk = total / nchunks;  // a multiple of block
  std::vector<ChunkAcc> acc(nchunks);
  const long long nch = static_cast<long long>(nchunks);

  // ---- pass 1: energy range -> shift = max(-beta E)
  double shift = 0;
  if (beta != 0) {
#pragma omp parallel for schedule(dynamic) if (nchunks > 1)
    for (long long c = 0; c < nch; ++c) range_chunk(fm, c * per_chunk, (c + 1) * per_chunk, acc[c]);
    double lo = acc[0].emin, hi = acc[0].emax;
    for (const auto& a : acc) lo = std::min(lo, a.emin), hi = std::max(hi, a.emax);
    shift = std::max(-beta * lo, -beta * hi);
  }

  // ---- pass 2: weights and moments
  ExactResult r;
  double* prob = nullptr;
  if (keep_distribution) {
    r.prob.assign(std::size_t{1} << n, 0.0);
    prob = r.prob.data();
  }
#pragma omp parallel for schedule(dynamic) if (nchunks > 1)
  for (long long c = 0; c < nch; ++c) {
    if (keep_distribution)
      walk_chunk<true>(fm, c * per_chunk, (c + 1) * per_chunk, block, beta, shift, acc[c], prob);
    else
      walk_chunk<false>(fm, c * per_chunk, (c + 1) * per_chunk, block, beta, shift, acc[c], prob);
  }

  double z = 0, ze = 0;
  std::vector<double> sn(fm.nf, 0.0), se(fm.ej.size(), 0.0);
  for (const auto& a : acc) {  // fixed chunk order
    z += a.z;
    ze += a.ze;
    for (int f = 0; f < fm.nf; ++f) sn[f] += a.sn[f];
    for (std::size_t q = 0; q < se.size(); ++q) se[q] += a.se[q];
  }

  const double inv = 1.0 / z;
  r.log_z = shift + std::log(z);
  r.free_energy = beta > 0 ? -r.log_z / beta : std::numeric_limits<double>::quiet_NaN();
  r.energy_mean = ze * inv;
  r.mean.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    r.mean[i] = is_clamped(i) ? static_cast<double>(value[i]) : sn[local[i]] * inv;
  r.corr.assign(edges.size(), 0.0);
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const auto u = edges[e].u, v = edges[e].v;
    if (edge_local[e] >= 0)
      r.corr[e] = se[edge_local[e]] * inv;
    else if (is_clamped(u) && is_clamped(v))
      r.corr[e] = static_cast<double>(value[u] * value[v]);
    else if (is_clamped(u))
      r.corr[e] = value[u] * r.mean[v];
    else
      r.corr[e] = value[v] * r.mean[u];
  }
  if (keep_distribution)
    for (auto& p : r.prob) p *= inv;
  return r;
}

// ---------------------------------------------------------------- the backend

namespace {

class ExactSampler final : public Sampler {
 public:
  explicit ExactSampler(Arithmetic a) : arithmetic_(a) {}

  std::string name() const override {
    return arithmetic_ == Arithmetic::Float ? "exact" : "exact-quantized";
  }

  void load(const Problem& problem, const NumericSpec& spec, double beta) override {
    if (!problem.graph) throw Error("exact: problem has no graph");
    const std::size_t n = problem.num_nodes();
    if (n > static_cast<std::size_t>(kExactMaxNodes))
      throw Error("exact: " + std::to_string(n) + " free p-bits exceeds " +
                  std::to_string(kExactMaxNodes) + " (2^N states to enumerate)");
    if (problem.J.size() != problem.num_edges() || problem.h.size() != n)
      throw Error("exact: problem weights do not match its graph");
    if (!std::isfinite(beta) || beta < 0) throw Error("exact: beta must be finite and >= 0");
    problem_ = problem;
    spec_ = spec;
    beta_ = beta;
    n_ = n;
    if (arithmetic_ == Arithmetic::Quantized) {
      program_ = compile(problem_, spec_, beta_);
      effective_ = dequantized_problem(program_, problem_);
    } else {
      effective_ = problem_;
    }
    loaded_ = true;
    cache_.clear();
    mask_.assign(n_, 0);
    clamp_values_.clear();
    reset_chains();
  }

  void configure(const SamplerConfig& config) override {
    if (config.chains < 1) throw Error("exact: chains must be >= 1");
    if (config.threads < 0) throw Error("exact: threads must be >= 0");
    config_ = config;
    reset_chains();
  }

  void set_beta(double beta) override {
    if (!std::isfinite(beta) || beta < 0) throw Error("exact: beta must be finite and >= 0");
    beta_ = beta;
    if (loaded_ && arithmetic_ == Arithmetic::Quantized) {
      set_program_beta(program_, problem_, beta_);
      effective_ = dequantized_problem(program_, problem_);
    }
    cache_.clear();
  }

  void update_weights(const Problem& problem) override {
    require_loaded();
    replace_weights(problem_, problem);
    if (arithmetic_ == Arithmetic::Quantized) {
      program_ = compile(problem_, spec_, beta_);
      effective_ = dequantized_problem(program_, problem_);
    } else {
      effective_ = problem_;
    }
    cache_.clear();
  }

  void set_clamp_mask(const std::vector<std::uint8_t>& clamped) override {
    require_loaded();
    if (clamped.size() != n_)
      throw Error("exact: clamp mask has " + std::to_string(clamped.size()) +
                  " entries, expected " + std::to_string(n_));
    for (std::size_t i = 0; i < n_; ++i) mask_[i] = clamped[i] != 0;
    cache_.clear();
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
    cache_.clear();
  }

  // No sampling: only counts sweeps (stats() are exact whatever the count).
  void run(std::uint64_t sweeps, bool accumulate) override {
    require_loaded();
    sweeps_done_ += sweeps;
    if (accumulate) accumulated_ += sweeps;
  }

  std::vector<std::int8_t> state(int chain) const override {
    require_loaded();
    check_chain(chain);
    return std::vector<std::int8_t>(states_.begin() + offset(chain),
                                    states_.begin() + offset(chain) + n_);
  }

  void set_state(int chain, const std::vector<std::int8_t>& m) override {
    require_loaded();
    check_chain(chain);
    check_state(m, "state");
    std::copy(m.begin(), m.end(), states_.begin() + offset(chain));
    apply_clamps(chain);
  }

  void reset_stats() override { accumulated_ = 0; }

  Stats stats() const override {
    Stats s;
    s.samples = accumulated_ * static_cast<std::uint64_t>(config_.chains);
    s.mean.assign(n_, 0.0);
    s.corr.assign(loaded_ ? problem_.num_edges() : 0, 0.0);
    if (!loaded_ || s.samples == 0) return s;
    for (int c = 0; c < config_.chains; ++c) {
      const ExactResult& r = result_for(c);
      for (std::size_t i = 0; i < n_; ++i) s.mean[i] += r.mean[i];
      for (std::size_t e = 0; e < s.corr.size(); ++e) s.corr[e] += r.corr[e];
    }
    const double inv = 1.0 / config_.chains;
    for (auto& x : s.mean) x *= inv;
    for (auto& x : s.corr) x *= inv;
    s.energy_mean = energy_from_moments(problem_, s.mean, s.corr);
    return s;
  }

  int chains() const override { return config_.chains; }
  std::uint64_t sweeps_done() const override { return sweeps_done_; }

 private:
  void require_loaded() const {
    if (!loaded_) throw Error("exact: no problem loaded");
  }
  void check_chain(int chain) const {
    if (chain < 0 || chain >= config_.chains)
      throw Error("exact: chain " + std::to_string(chain) + " out of range [0, " +
                  std::to_string(config_.chains) + ")");
  }
  void check_state(const std::vector<std::int8_t>& m, const char* what) const {
    if (m.size() != n_)
      throw Error(std::string("exact: ") + what + " has " + std::to_string(m.size()) +
                  " entries, expected " + std::to_string(n_));
    for (auto x : m)
      if (x != 1 && x != -1) throw Error(std::string("exact: ") + what + " entries must be +-1");
  }
  std::size_t offset(int chain) const { return static_cast<std::size_t>(chain) * n_; }

  void reset_chains() {
    sweeps_done_ = 0;
    accumulated_ = 0;
    // Per chain: state and clamp values, a byte per p-bit each.
    if (loaded_) check_chain_memory(name(), problem_, config_.chains, 2 * std::uint64_t{n_});
    const std::size_t total = static_cast<std::size_t>(config_.chains) * n_;
    states_.assign(total, -1);
    clamp_values_.resize(total, -1);
    if (loaded_)
      for (int c = 0; c < config_.chains; ++c) apply_clamps(c);
  }

  void apply_clamps(int chain) {
    for (std::size_t i = 0; i < n_; ++i)
      if (mask_[i]) states_[offset(chain) + i] = clamp_values_[offset(chain) + i];
  }

  // Exact moments for chain c's clamp values, cached per distinct values.
  const ExactResult& result_for(int c) const {
    std::vector<std::int8_t> key(n_, 0);
    bool any = false;
    for (std::size_t i = 0; i < n_; ++i)
      if (mask_[i]) key[i] = clamp_values_[offset(c) + i], any = true;
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    ExactResult r = any ? enumerate_exact(effective_, beta_, false, mask_, key)
                        : enumerate_exact(effective_, beta_, false);
    return cache_.emplace(std::move(key), std::move(r)).first->second;
  }

  Arithmetic arithmetic_;
  bool loaded_ = false;
  Problem problem_, effective_;
  NumericSpec spec_;
  Program program_;
  double beta_ = 1.0;
  std::size_t n_ = 0;

  SamplerConfig config_;
  std::vector<std::int8_t> states_, clamp_values_;
  std::vector<std::uint8_t> mask_;
  std::uint64_t sweeps_done_ = 0, accumulated_ = 0;
  mutable std::map<std::vector<std::int8_t>, ExactResult> cache_;
};

}  // namespace

std::unique_ptr<Sampler> make_exact_sampler(Arithmetic arithmetic) {
  return std::make_unique<ExactSampler>(arithmetic);
}

}  // namespace pbit

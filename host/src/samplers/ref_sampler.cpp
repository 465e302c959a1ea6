// The `ref` backend: bit-exact software model of the p-bit array (spec.hpp).
#include <pbit/program.hpp>
#include <pbit/samplers/ref.hpp>

#include "ref_kernel.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace pbit {
namespace {

using refk::kLanes;

struct BlockStore {
  std::vector<std::uint32_t> bits, bits_next, rng, timer, clamp_mask, clamp_val;
};

class RefSampler final : public Sampler {
 public:
  explicit RefSampler(SimdPath path) : path_(resolve(path)) {
    kernels_ = path_ == SimdPath::Avx512 ? refk::avx512_kernels()
               : path_ == SimdPath::Avx2 ? refk::avx2_kernels()
                                         : refk::scalar_kernels();
  }

  std::string name() const override { return "ref"; }

  void load(const Problem& problem, const NumericSpec& spec, double beta) override {
    problem_ = problem;
    prog_ = compile(problem_, spec, beta);
    const auto& g = *problem_.graph;
    // Internal node order: grouped by colour (one phase per colour, in colour
    // order), so sweeps stream through memory. perm_: internal -> node.
    perm_.clear();
    phase_offsets_.assign(1, 0);
    for (int c = 0; c < prog_.num_colors; ++c) {
      for (std::uint32_t i = 0; i < prog_.n; ++i)
        if (prog_.color[i] == c) perm_.push_back(i);
      phase_offsets_.push_back(static_cast<std::uint32_t>(perm_.size()));
    }
    inv_.assign(prog_.n, 0);
    for (std::uint32_t p = 0; p < prog_.n; ++p) inv_[perm_[p]] = p;
    edge_u_.clear();
    edge_v_.clear();
    for (const auto& e : g.edges()) {
      edge_u_.push_back(inv_[e.u]);
      edge_v_.push_back(inv_[e.v]);
    }
    clamp_nodes_.assign(prog_.n, 0);
    loaded_ = true;
    rebuild_layout();
    configure(config_);
  }

  void configure(const SamplerConfig& config) override {
    if (config.chains < 1) throw Error("chains must be >= 1");
    if (config.threads < 0) throw Error("threads must be >= 0");
    config_ = config;
    if (!loaded_) return;
    const std::size_t nb = (static_cast<std::size_t>(config.chains) + kLanes - 1) / kLanes;
    const std::size_t n = prog_.n;
    blocks_.assign(nb, BlockStore{});
    const bool async = prog_.spec.schedule == Schedule::Async;
    for (std::size_t b = 0; b < nb; ++b) {
      auto& B = blocks_[b];
      B.bits.assign(n, 0);
      B.bits_next.assign(async ? n : 0, 0);
      B.rng.resize(n * kLanes);
      B.timer.resize(async ? n * kLanes : 0);
      B.clamp_mask.assign(n, 0);
      B.clamp_val.assign(n, 0);
      for (std::size_t i = 0; i < n; ++i)
        for (int c = 0; c < kLanes; ++c) {
          const std::uint64_t chain = b * kLanes + static_cast<std::size_t>(c);
          B.rng[i * kLanes + c] = pbit_seed(config.seed, RngStream::Sample, chain, perm_[i]);
          if (async) B.timer[i * kLanes + c] = pbit_seed(config.seed, RngStream::Timer, chain, perm_[i]);
        }
      for (std::size_t i = 0; i < n; ++i) B.clamp_mask[i] = clamp_nodes_[perm_[i]] ? ~0u : 0u;
    }
    sweeps_done_ = 0;
    reset_stats();
  }

  void set_beta(double beta) override {
    require_loaded();
    set_program_beta(prog_, problem_, beta);
    rebuild_layout();
  }

  void update_weights(const Problem& problem) override {
    require_loaded();
    replace_weights(problem_, problem);
    set_program_beta(prog_, problem_, prog_.beta);
    rebuild_layout();
  }

  void set_clamp_mask(const std::vector<std::uint8_t>& clamped) override {
    require_loaded();
    if (clamped.size() != prog_.n) throw Error("clamp mask size does not match the problem");
    for (std::size_t i = 0; i < prog_.n; ++i) clamp_nodes_[i] = clamped[i] ? 1 : 0;
    for (auto& B : blocks_) {
      for (std::size_t i = 0; i < prog_.n; ++i) B.clamp_mask[i] = clamp_nodes_[perm_[i]] ? ~0u : 0u;
      apply_clamps(B);
    }
  }

  void set_clamp_values(int chain, const std::vector<std::int8_t>& m) override {
    require_chain(chain);
    if (m.size() != prog_.n) throw Error("clamp values size does not match the problem");
    auto& B = blocks_[static_cast<std::size_t>(chain) / kLanes];
    const std::uint32_t bit = 1u << (chain % kLanes);
    for (std::size_t i = 0; i < prog_.n; ++i) {
      auto& w = B.clamp_val[inv_[i]];
      w = (w & ~bit) | (bit & (0u - static_cast<std::uint32_t>(m[i] > 0)));
    }
    apply_clamps(B);
  }

  void clear_clamps() override {
    require_loaded();
    std::fill(clamp_nodes_.begin(), clamp_nodes_.end(), 0);
    for (auto& B : blocks_) {
      std::fill(B.clamp_mask.begin(), B.clamp_mask.end(), 0u);
      std::fill(B.clamp_val.begin(), B.clamp_val.end(), 0u);
    }
  }

  void run(std::uint64_t sweeps, bool accumulate) override {
    require_loaded();
    if (sweeps == 0) return;
    const int nb = static_cast<int>(blocks_.size());
    const int threads = std::max(1, std::min(nb, config_.threads > 0 ? config_.threads : omp_get_max_threads()));
    const std::size_t n = prog_.n, ne = edge_u_.size();
    std::vector<std::vector<std::int64_t>> plus(accumulate ? threads : 0), agree(accumulate ? threads : 0);
#pragma omp parallel num_threads(threads)
    {
      const int t = omp_get_thread_num();
      refk::Counters cnt;
      if (accumulate) {
        plus[t].assign(n, 0);
        agree[t].assign(ne, 0);
        cnt = {plus[t].data(), agree[t].data(), edge_u_.data(), edge_v_.data(),
               static_cast<std::uint32_t>(ne)};
      }
      // Each thread takes a contiguous range of blocks, which the kernel may
      // interleave; chains are independent, so the partition never changes bits.
      const int b0 = nb * t / threads, b1 = nb * (t + 1) / threads;
      std::vector<refk::Block> group;
      for (int b = b0; b < b1; ++b) group.push_back(view(blocks_[static_cast<std::size_t>(b)]));
      const int count = b1 - b0;
      if (count > 0 && !accumulate) kernels_.sweep(L_, group.data(), count, sweeps);
      if (count > 0 && accumulate) {
        for (std::uint64_t s = 0; s < sweeps; ++s) {
          kernels_.sweep(L_, group.data(), count, 1);
          for (int b = b0; b < b1; ++b) kernels_.accumulate(L_, group[static_cast<std::size_t>(b - b0)], active_lanes(b), cnt);
        }
      }
    }
    // Integer sums: the result does not depend on the thread partition.
    for (std::size_t t = 0; t < plus.size(); ++t) {
      for (std::size_t i = 0; i < n; ++i) plus_[i] += plus[t][i];
      for (std::size_t e = 0; e < ne; ++e) agree_[e] += agree[t][e];
    }
    if (accumulate) samples_ += sweeps * static_cast<std::uint64_t>(config_.chains);
    sweeps_done_ += sweeps;
  }

  std::vector<std::int8_t> state(int chain) const override {
    require_chain(chain);
    const auto& B = blocks_[static_cast<std::size_t>(chain) / kLanes];
    const int lane = chain % kLanes;
    std::vector<std::int8_t> m(prog_.n);
    // Branch-free: the bits are random, a branch per p-bit mispredicts half the time.
    for (std::size_t i = 0; i < prog_.n; ++i) m[i] = static_cast<std::int8_t>(2 * ((B.bits[inv_[i]] >> lane) & 1u)) - 1;
    return m;
  }

  void set_state(int chain, const std::vector<std::int8_t>& m) override {
    require_chain(chain);
    if (m.size() != prog_.n) throw Error("state size does not match the problem");
    auto& B = blocks_[static_cast<std::size_t>(chain) / kLanes];
    const std::uint32_t bit = 1u << (chain % kLanes);
    for (std::size_t i = 0; i < prog_.n; ++i) {
      auto& w = B.bits[inv_[i]];
      w = (w & ~bit) | (bit & (0u - static_cast<std::uint32_t>(m[i] > 0)));
    }
    apply_clamps(B);
  }

  // Bulk I/O: one block (32 chains) at a time. Its words are gathered into
  // node order once, then every chain's row is a sequential, branch-free
  // pass; blocks go to threads (chains are independent).
  void states(int first, int count, std::vector<std::vector<std::int8_t>>& out) const override {
    require_range(first, count);
    out.resize(static_cast<std::size_t>(count));
    const std::size_t n = prog_.n;
    for (auto& row : out) row.resize(n);
    for_blocks(first, count, [&](int, std::vector<std::uint32_t>& w, int c0, int c1) {
      for (int c = c0; c < c1; ++c) {
        const int lane = c % kLanes;
        std::int8_t* row = out[static_cast<std::size_t>(c - first)].data();
        for (std::size_t i = 0; i < n; ++i) row[i] = static_cast<std::int8_t>(2 * ((w[i] >> lane) & 1u)) - 1;
      }
    });
  }

  void set_states(int first, const std::vector<std::vector<std::int8_t>>& m) override {
    const int count = static_cast<int>(m.size());
    require_range(first, count);
    const std::size_t n = prog_.n;
    for (const auto& row : m)
      if (row.size() != n) throw Error("state size does not match the problem");
    for_blocks(first, count, [&](int b, std::vector<std::uint32_t>& w, int c0, int c1) {
      for (int c = c0; c < c1; ++c) {
        const std::uint32_t bit = 1u << (c % kLanes);
        const std::int8_t* row = m[static_cast<std::size_t>(c - first)].data();
        for (std::size_t i = 0; i < n; ++i) w[i] = (w[i] & ~bit) | (bit & (0u - static_cast<std::uint32_t>(row[i] > 0)));
      }
      auto& B = blocks_[static_cast<std::size_t>(b)];
      for (std::size_t i = 0; i < n; ++i) B.bits[inv_[i]] = w[i];
      apply_clamps(B);
    });
  }

  // For every block holding chains [first, first + count): its state words
  // gathered into node order (w), and its chains c0..c1-1; blocks go to
  // threads (chains are independent).
  template <class F>
  void for_blocks(int first, int count, F&& f) const {
    if (count == 0) return;
    const std::size_t n = prog_.n;
    const int b0 = first / kLanes, b1 = (first + count - 1) / kLanes + 1;
#pragma omp parallel num_threads(io_threads(b1 - b0))
    {
      std::vector<std::uint32_t> w(n);
#pragma omp for schedule(static)
      for (int b = b0; b < b1; ++b) {
        const auto& B = blocks_[static_cast<std::size_t>(b)];
        for (std::size_t i = 0; i < n; ++i) w[i] = B.bits[inv_[i]];
        f(b, w, std::max(first, b * kLanes), std::min(first + count, (b + 1) * kLanes));
      }
    }
  }

  void reset_stats() override {
    plus_.assign(loaded_ ? prog_.n : 0, 0);
    agree_.assign(loaded_ ? edge_u_.size() : 0, 0);
    samples_ = 0;
  }

  Stats stats() const override {
    std::vector<std::int64_t> plus(plus_.size());  // in node order
    for (std::size_t i = 0; i < plus.size(); ++i) plus[i] = plus_[inv_[i]];
    return stats_from_counts(problem_, samples_, plus, agree_);
  }

  int chains() const override { return config_.chains; }
  std::uint64_t sweeps_done() const override { return sweeps_done_; }

 private:
  static SimdPath resolve(SimdPath p) {
    const auto avail = available_simd_paths();
    // PBIT_SIMD=scalar|avx2|avx512 overrides Auto, e.g. to test portable paths.
    if (const char* env = std::getenv("PBIT_SIMD"); p == SimdPath::Auto && env && *env)
      p = parse_simd_path(env);
    if (p == SimdPath::Auto) return avail.back();
    if (std::find(avail.begin(), avail.end(), p) == avail.end())
      throw Error(std::string("SIMD path '") + to_string(p) + "' is not supported by this CPU");
    return p;
  }

  void require_loaded() const {
    if (!loaded_) throw Error("ref: no problem loaded");
  }
  void require_chain(int chain) const {
    require_loaded();
    if (chain < 0 || chain >= config_.chains)
      throw Error("chain " + std::to_string(chain) + " out of range [0, " +
                  std::to_string(config_.chains) + ")");
  }

  void require_range(int first, int count) const {
    require_loaded();
    if (first < 0 || count < 0 || first > config_.chains - count)
      throw Error("chains [" + std::to_string(first) + ", " + std::to_string(first + count) + ") out of range [0, " +
                  std::to_string(config_.chains) + ")");
  }
  // Threads for bulk state I/O over `blocks` blocks: the configured ones for
  // large transfers; up to 16 blocks (512 chains, ~1 ms) stay serial, where a
  // parallel region costs more than it saves (and much more on a busy machine).
  int io_threads(int blocks) const {
    const int t = config_.threads > 0 ? config_.threads : omp_get_max_threads();
    return blocks <= 16 ? 1 : std::max(1, std::min(t, blocks / 8));
  }

  std::uint32_t active_lanes(int b) const {
    const int rest = config_.chains - b * kLanes;
    return rest >= kLanes ? ~0u : ((1u << rest) - 1u);
  }

  void apply_clamps(BlockStore& B) const {
    for (std::size_t i = 0; i < prog_.n; ++i)
      B.bits[i] = (B.bits[i] & ~B.clamp_mask[i]) | (B.clamp_val[i] & B.clamp_mask[i]);
  }

  refk::Block view(BlockStore& B) {
    refk::Block blk;
    blk.bits = B.bits.data();
    blk.bits_next = B.bits_next.empty() ? nullptr : B.bits_next.data();
    blk.rng = B.rng.data();
    blk.timer = B.timer.empty() ? nullptr : B.timer.data();
    blk.clamp_mask = B.clamp_mask.data();
    blk.clamp_val = B.clamp_val.data();
    return blk;
  }

  void rebuild_layout() {
    const auto& spec = prog_.spec;
    // CSR in internal order.
    offs_.assign(1, 0);
    nbr_.clear();
    j2_.clear();
    base_.assign(prog_.n, 0);
    for (std::uint32_t p = 0; p < prog_.n; ++p) {
      const std::uint32_t i = perm_[p];
      std::int32_t b = prog_.h[i];
      for (std::uint32_t k = prog_.offsets[i]; k < prog_.offsets[i + 1]; ++k) {
        nbr_.push_back(inv_[prog_.nbr[k]]);
        j2_.push_back(2 * prog_.J[k]);
        b -= prog_.J[k];
      }
      base_[p] = b;
      offs_.push_back(static_cast<std::uint32_t>(nbr_.size()));
    }
    const std::size_t nnz = j2_.size();
    j2_16_.resize(nnz);
    j2_pair_.resize(nnz);
    for (std::size_t k = 0; k < nnz; ++k) {
      j2_16_[k] = static_cast<std::int16_t>(std::clamp(j2_[k], -32768, 32767));
      const auto half = static_cast<std::uint16_t>(j2_16_[k]);
      j2_pair_[k] = static_cast<std::int32_t>((std::uint32_t{half} << 16) | half);
    }
    L_ = refk::Layout{};
    L_.n = prog_.n;
    L_.offsets = offs_.data();
    L_.nbr = nbr_.data();
    L_.j2 = j2_.data();
    L_.j2_16 = j2_16_.data();
    L_.j2_pair = j2_pair_.data();
    L_.base = base_.data();
    L_.phase_offsets = phase_offsets_.data();
    L_.num_phases = static_cast<std::uint32_t>(prog_.num_colors);
    L_.lut = prog_.lut.data();
    L_.sum_min = spec.sum_min();
    L_.sum_max = spec.sum_max();
    L_.lut_shift = spec.lut_shift;
    L_.lut_depth = spec.lut_depth;
    L_.lut_bits = spec.lut_bits;
    L_.rng_kind = spec.rng == RngKind::Lfsr32 ? 0 : 1;
    L_.async = spec.schedule == Schedule::Async ? 1 : 0;
    L_.async_threshold = spec.async_threshold();
    L_.async_period = spec.async_period;
    // Every partial sum lies within +-(|h| + sum |J|) (see ref_kernel.hpp).
    L_.narrow = prog_.max_abs_sum() <= std::numeric_limits<std::int16_t>::max();
  }

  SimdPath path_;
  refk::Kernels kernels_{};
  Problem problem_;
  Program prog_;
  bool loaded_ = false;
  SamplerConfig config_;
  std::vector<std::int32_t> j2_, j2_pair_, base_;
  std::vector<std::int16_t> j2_16_;
  std::vector<std::uint32_t> perm_, inv_;  // internal (phase-order) index <-> node
  std::vector<std::uint32_t> offs_, nbr_, phase_offsets_, edge_u_, edge_v_;
  std::vector<std::uint8_t> clamp_nodes_;
  refk::Layout L_;
  std::vector<BlockStore> blocks_;
  std::vector<std::int64_t> plus_, agree_;
  std::uint64_t samples_ = 0, sweeps_done_ = 0;
};

}  // namespace

std::vector<SimdPath> available_simd_paths() {
  std::vector<SimdPath> p{SimdPath::Scalar};
  if (refk::cpu_has_avx2()) p.push_back(SimdPath::Avx2);
  if (refk::cpu_has_avx512()) p.push_back(SimdPath::Avx512);
  return p;
}

const char* to_string(SimdPath p) {
  switch (p) {
    case SimdPath::Auto: return "auto";
    case SimdPath::Scalar: return "scalar";
    case SimdPath::Avx2: return "avx2";
    case SimdPath::Avx512: return "avx512";
  }
  return "?";
}

SimdPath parse_simd_path(const std::string& s) {
  if (s == "auto") return SimdPath::Auto;
  if (s == "scalar") return SimdPath::Scalar;
  if (s == "avx2") return SimdPath::Avx2;
  if (s == "avx512") return SimdPath::Avx512;
  throw Error("unknown SIMD path '" + s + "' (known: auto, scalar, avx2, avx512)");
}

std::unique_ptr<Sampler> make_ref_sampler(SimdPath path) {
  return std::make_unique<RefSampler>(path);
}

}  // namespace pbit

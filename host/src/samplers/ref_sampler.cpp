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

// 32 chains of the Planes layout (refk::Block).
struct BlockStore {
  std::vector<std::uint32_t> bits, bits_next, rng, timer, clamp_mask, clamp_val;
};

// One chain of the Chains layout (refk::Chain).
struct ChainStore {
  std::vector<std::uint8_t> spin, clamp_val;
  std::vector<std::int32_t> field, rnum;
  std::vector<std::uint32_t> rng, timer, flips;
};

// Auto picks the Chains layout below this many chains: a Planes block costs
// the same for 1 chain as for 32, a chain of the Chains layout costs more the
// more p-bits flip (small beta). On P(16), AVX-512, 4 chains: Chains 1.4x
// Planes at beta 0.3, 4.5x at beta 1; 8 chains: 0.65x and 2.5x.
int chains_layout_limit(SimdPath p) {
  switch (p) {
    case SimdPath::Avx512: return 5;
    case SimdPath::Avx2: return 5;
    default: return std::numeric_limits<int>::max();  // portable: Chains always
  }
}

class RefSampler final : public Sampler {
 public:
  RefSampler(SimdPath path, RefLayout layout) : path_(resolve(path)), layout_req_(resolve(layout)) {
    kernels_ = path_ == SimdPath::Avx512 ? refk::avx512_kernels()
               : path_ == SimdPath::Avx2 ? refk::avx2_kernels()
                                         : refk::scalar_kernels();
  }

  std::string name() const override { return "ref"; }
  RefKernelInfo info() const { return {path_, chain_layout_ ? RefLayout::Chains : RefLayout::Planes}; }

  void load(const Problem& problem, const NumericSpec& spec, double beta) override {
    Program prog = compile(problem, spec, beta);
    // Sums are int32 in every kernel (the Chains layout keeps them unsaturated).
    if (prog.max_abs_sum() > std::numeric_limits<std::int32_t>::max())
      throw Error("ref: a p-bit's sum can reach " + std::to_string(prog.max_abs_sum()) +
                  " LSBs, beyond 32 bits (lower --weight-bits or the degree)");
    problem_ = problem;
    prog_ = std::move(prog);
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
    clamp8_.assign(prog_.n, 0);
    any_clamp_ = false;
    loaded_ = true;
    rebuild_layout();
    configure(config_);
  }

  void configure(const SamplerConfig& config) override {
    if (config.chains < 1) throw Error("chains must be >= 1");
    if (config.threads < 0) throw Error("threads must be >= 0");
    if (config.first_chain < 0) throw Error("the first chain's index must be >= 0");
    config_ = config;
    if (!loaded_) return;
    chain_layout_ = layout_req_ == RefLayout::Chains ||
                    (layout_req_ == RefLayout::Auto && config.chains < chains_layout_limit(path_));
    const std::size_t n = prog_.n;
    const bool async = prog_.spec.schedule == Schedule::Async;
    const auto first = static_cast<std::uint64_t>(config.first_chain);  // global index of chain 0
    // Checked before anything is allocated. Blocks of kLanes chains: state,
    // clamp mask and values (a word per p-bit each) and a 32-bit RNG per p-bit
    // and lane, async doubles state and RNGs; the chain layout (few chains):
    // about six words per p-bit and chain.
    const std::uint64_t blocks = (static_cast<std::uint64_t>(config.chains) + kLanes - 1) / kLanes;
    check_chain_memory("ref", problem_, config.chains, chain_layout_ ? 24 * std::uint64_t{n} : 0,
                       chain_layout_ ? 0 : blocks * n * 4 * (async ? 4 + 2 * kLanes : 3 + kLanes));
    blocks_.clear();
    chains_.clear();
    if (chain_layout_) {
      chains_.assign(static_cast<std::size_t>(config.chains), ChainStore{});
      for (std::size_t c = 0; c < chains_.size(); ++c) {
        auto& C = chains_[c];
        C.spin.assign(n, 0);
        C.clamp_val.assign(n, 0);
        C.field.assign(n, 0);
        C.rng.resize(n);
        C.timer.resize(async ? n : 0);
        C.flips.assign(n + 16, 0);  // slack: the AVX-512 kernel stores 16 at a time
        C.rnum.assign(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
          C.rng[i] = pbit_seed(config.seed, RngStream::Sample, first + c, perm_[i]);
          if (async) C.timer[i] = pbit_seed(config.seed, RngStream::Timer, first + c, perm_[i]);
        }
        refk::Chain ch = view(C);
        refk::chain_fields(L_, ch);
        apply_clamps(C);
      }
    } else {
      const std::size_t nb = (static_cast<std::size_t>(config.chains) + kLanes - 1) / kLanes;
      blocks_.assign(nb, BlockStore{});
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
            const std::uint64_t chain = first + b * kLanes + static_cast<std::size_t>(c);
            B.rng[i * kLanes + c] = pbit_seed(config.seed, RngStream::Sample, chain, perm_[i]);
            if (async) B.timer[i * kLanes + c] = pbit_seed(config.seed, RngStream::Timer, chain, perm_[i]);
          }
        for (std::size_t i = 0; i < n; ++i) B.clamp_mask[i] = clamp_nodes_[perm_[i]] ? ~0u : 0u;
      }
    }
    sweeps_done_ = 0;
    reset_stats();
  }

  // In Lut mode a new beta is a new LUT and nothing else (the hardware
  // rewrites lut_depth words); in Fold mode the weights change.
  void set_beta(double beta) override {
    require_loaded();
    if (!change_program_beta(prog_, problem_, beta)) {
      rebuild_vtab();
      return;
    }
    rebuild_layout();
    refresh_fields();
  }

  void update_weights(const Problem& problem) override {
    require_loaded();
    Problem next = problem_;
    replace_weights(next, problem);
    Program prog = prog_;
    set_program_beta(prog, next, prog.beta);
    if (prog.max_abs_sum() > std::numeric_limits<std::int32_t>::max())
      throw Error("ref: a p-bit's sum can reach " + std::to_string(prog.max_abs_sum()) + " LSBs, beyond 32 bits");
    problem_ = std::move(next);
    prog_ = std::move(prog);
    rebuild_layout();
    refresh_fields();
  }

  void set_clamp_mask(const std::vector<std::uint8_t>& clamped) override {
    require_loaded();
    if (clamped.size() != prog_.n) throw Error("clamp mask size does not match the problem");
    any_clamp_ = false;
    for (std::size_t i = 0; i < prog_.n; ++i) {
      clamp_nodes_[i] = clamped[i] ? 1 : 0;
      clamp8_[inv_[i]] = clamp_nodes_[i];
      any_clamp_ = any_clamp_ || clamp_nodes_[i];
    }
    for (auto& B : blocks_) {
      for (std::size_t i = 0; i < prog_.n; ++i) B.clamp_mask[i] = clamp_nodes_[perm_[i]] ? ~0u : 0u;
      apply_clamps(B);
    }
    for (auto& C : chains_) apply_clamps(C);
  }

  void set_clamp_values(int chain, const std::vector<std::int8_t>& m) override {
    require_chain(chain);
    if (m.size() != prog_.n) throw Error("clamp values size does not match the problem");
    if (chain_layout_) {
      auto& C = chains_[static_cast<std::size_t>(chain)];
      for (std::size_t i = 0; i < prog_.n; ++i) C.clamp_val[inv_[i]] = m[i] > 0;
      apply_clamps(C);
      return;
    }
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
    std::fill(clamp8_.begin(), clamp8_.end(), 0);
    any_clamp_ = false;
    for (auto& B : blocks_) {
      std::fill(B.clamp_mask.begin(), B.clamp_mask.end(), 0u);
      std::fill(B.clamp_val.begin(), B.clamp_val.end(), 0u);
    }
    for (auto& C : chains_) std::fill(C.clamp_val.begin(), C.clamp_val.end(), 0);
  }

  void run(std::uint64_t sweeps, bool accumulate) override {
    require_loaded();
    if (sweeps == 0) return;
    const int units = static_cast<int>(chain_layout_ ? chains_.size() : blocks_.size());
    const int threads = std::max(1, std::min(units, config_.threads > 0 ? config_.threads : omp_get_max_threads()));
    const std::size_t n = prog_.n, ne = edge_u_.size();
    if (threads == 1) {  // no parallel region: annealing calls run(1) every sweep
      refk::Counters cnt{plus_.data(), agree_.data(), edge_u_.data(), edge_v_.data(), static_cast<std::uint32_t>(ne)};
      run_units(0, units, sweeps, accumulate, cnt);
    } else {
      std::vector<std::vector<std::int64_t>> plus(accumulate ? threads : 0), agree(accumulate ? threads : 0);
#pragma omp parallel num_threads(threads)
      {
        const int t = omp_get_thread_num();
        refk::Counters cnt;
        if (accumulate) {
          plus[t].assign(n, 0);
          agree[t].assign(ne, 0);
          cnt = {plus[t].data(), agree[t].data(), edge_u_.data(), edge_v_.data(), static_cast<std::uint32_t>(ne)};
        }
        // Each thread takes a contiguous range of units (chains or blocks, which
        // the kernel may interleave); chains are independent, so the partition
        // never changes bits.
        run_units(units * t / threads, units * (t + 1) / threads, sweeps, accumulate, cnt);
      }
      // Integer sums: the result does not depend on the thread partition.
      for (std::size_t t = 0; t < plus.size(); ++t) {
        for (std::size_t i = 0; i < n; ++i) plus_[i] += plus[t][i];
        for (std::size_t e = 0; e < ne; ++e) agree_[e] += agree[t][e];
      }
    }
    if (accumulate) samples_ += sweeps * static_cast<std::uint64_t>(config_.chains);
    sweeps_done_ += sweeps;
  }

  std::vector<std::int8_t> state(int chain) const override {
    require_chain(chain);
    std::vector<std::int8_t> m(prog_.n);
    if (chain_layout_) {
      const auto& spin = chains_[static_cast<std::size_t>(chain)].spin;
      for (std::size_t i = 0; i < prog_.n; ++i) m[i] = static_cast<std::int8_t>(2 * spin[inv_[i]] - 1);
      return m;
    }
    const auto& B = blocks_[static_cast<std::size_t>(chain) / kLanes];
    const int lane = chain % kLanes;
    // Branch-free: the bits are random, a branch per p-bit mispredicts half the time.
    for (std::size_t i = 0; i < prog_.n; ++i) m[i] = static_cast<std::int8_t>(2 * ((B.bits[inv_[i]] >> lane) & 1u)) - 1;
    return m;
  }

  void set_state(int chain, const std::vector<std::int8_t>& m) override {
    require_chain(chain);
    if (m.size() != prog_.n) throw Error("state size does not match the problem");
    if (chain_layout_) {
      auto& C = chains_[static_cast<std::size_t>(chain)];
      for (std::size_t i = 0; i < prog_.n; ++i) set_spin(C, inv_[i], m[i] > 0);
      apply_clamps(C);
      return;
    }
    auto& B = blocks_[static_cast<std::size_t>(chain) / kLanes];
    const std::uint32_t bit = 1u << (chain % kLanes);
    for (std::size_t i = 0; i < prog_.n; ++i) {
      auto& w = B.bits[inv_[i]];
      w = (w & ~bit) | (bit & (0u - static_cast<std::uint32_t>(m[i] > 0)));
    }
    apply_clamps(B);
  }

  // Bulk I/O (Planes): one block (32 chains) at a time. Its words are gathered
  // into node order once, then every chain's row is a sequential, branch-free
  // pass; blocks go to threads (chains are independent). Chains: chain by chain.
  void states(int first, int count, std::vector<std::vector<std::int8_t>>& out) const override {
    require_range(first, count);
    if (chain_layout_) return Sampler::states(first, count, out);
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
    if (chain_layout_) return Sampler::set_states(first, m);
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
  // PBIT_REF_LAYOUT=planes|chains overrides Auto (tests, benchmarks).
  static RefLayout resolve(RefLayout l) {
    if (const char* env = std::getenv("PBIT_REF_LAYOUT"); l == RefLayout::Auto && env && *env)
      return parse_ref_layout(env);
    return l;
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

  // Units [u0, u1) (chains or blocks) for `sweeps` sweeps, on this thread.
  void run_units(int u0, int u1, std::uint64_t sweeps, bool accumulate, refk::Counters& cnt) {
    if (u1 <= u0) return;
    if (chain_layout_) {
      for (int c = u0; c < u1; ++c) {
        refk::Chain ch = view(chains_[static_cast<std::size_t>(c)]);
        if (!accumulate) {
          kernels_.chain_sweep(L_, ch, sweeps);
          continue;
        }
        for (std::uint64_t s = 0; s < sweeps; ++s) {
          kernels_.chain_sweep(L_, ch, 1);
          refk::chain_accumulate(L_, ch, cnt);
        }
      }
      return;
    }
    std::vector<refk::Block> group;
    for (int b = u0; b < u1; ++b) group.push_back(view(blocks_[static_cast<std::size_t>(b)]));
    const int count = u1 - u0;
    if (!accumulate) return kernels_.sweep(L_, group.data(), count, sweeps);
    for (std::uint64_t s = 0; s < sweeps; ++s) {
      kernels_.sweep(L_, group.data(), count, 1);
      for (int b = u0; b < u1; ++b) kernels_.accumulate(L_, group[static_cast<std::size_t>(b - u0)], active_lanes(b), cnt);
    }
  }

  void apply_clamps(BlockStore& B) const {
    for (std::size_t i = 0; i < prog_.n; ++i)
      B.bits[i] = (B.bits[i] & ~B.clamp_mask[i]) | (B.clamp_val[i] & B.clamp_mask[i]);
  }
  void apply_clamps(ChainStore& C) const {
    if (!any_clamp_) return;
    for (std::uint32_t i = 0; i < prog_.n; ++i)
      if (clamp8_[i]) set_spin(C, i, C.clamp_val[i] != 0);
  }
  // Chains layout: p-bit i (internal index) to `up`, its neighbours' sums kept exact.
  void set_spin(ChainStore& C, std::uint32_t i, bool up) const {
    if ((C.spin[i] != 0) == up) return;
    C.spin[i] = up;
    refk::Chain ch = view(C);
    refk::chain_propagate(L_, ch, i, up);
  }
  // Chains layout: every chain's sums from its states (after a weight change).
  void refresh_fields() {
    for (auto& C : chains_) {
      refk::Chain ch = view(C);
      refk::chain_fields(L_, ch);
    }
  }

  refk::Block view(BlockStore& B) {
    refk::Block blk;
    blk.bits = B.bits.data();
    blk.bits_next = B.bits_next.empty() ? nullptr : B.bits_next.data();
    blk.rng = B.rng.data();
    blk.timer = B.timer.empty() ? nullptr : B.timer.data();
    blk.clamp_mask = B.clamp_mask.data();
    blk.clamp_val = B.clamp_val.data();
    blk.clamps = any_clamp_;
    return blk;
  }
  refk::Chain view(ChainStore& C) const {
    refk::Chain ch;
    ch.spin = C.spin.data();
    ch.field = C.field.data();
    ch.rng = C.rng.data();
    ch.timer = C.timer.empty() ? nullptr : C.timer.data();
    ch.flips = C.flips.data();
    ch.rnum = C.rnum.data();
    ch.clamp_mask = clamp8_.data();
    ch.clamp_val = C.clamp_val.data();
    ch.clamps = any_clamp_;
    return ch;
  }

  // The signed LUT value of every saturated sum, when that range is small
  // (sum_bits <= 12): one load instead of abs, shift, min and sign.
  void rebuild_vtab() {
    const auto& spec = prog_.spec;
    L_.lut = prog_.lut.data();
    L_.vtab = nullptr;
    // Only the portable and AVX2 chain kernels read it.
    if (spec.sum_bits > 12 || path_ == SimdPath::Avx512) return;
    vtab_.resize(static_cast<std::size_t>(spec.sum_max() - spec.sum_min() + 1));
    for (std::int32_t I = spec.sum_min(); I <= spec.sum_max(); ++I) {
      const std::int32_t a = I < 0 ? -I : I;
      const std::int32_t k = std::min(a >> spec.lut_shift, spec.lut_depth - 1);
      vtab_[static_cast<std::size_t>(I - spec.sum_min())] =
          I < 0 ? -prog_.lut[static_cast<std::size_t>(k)] : prog_.lut[static_cast<std::size_t>(k)];
    }
    L_.vtab = vtab_.data();
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
    j2_neg_.resize(nnz);
    for (std::size_t k = 0; k < nnz; ++k) j2_neg_[k] = -j2_[k];
    // Narrow kernels add 2J in int16 (int8) lanes: modulo 2^16 (2^8), which
    // gives every partial sum exactly when all of them fit (narrow, narrow8),
    // even where 2J alone does not (one neighbour with |J| > 16383).
    j2_16_.resize(nnz);
    j2_8_.resize(nnz);
    j2_pair_.resize(nnz);
    for (std::size_t k = 0; k < nnz; ++k) {
      j2_16_[k] = static_cast<std::int16_t>(static_cast<std::uint16_t>(static_cast<std::uint32_t>(j2_[k])));
      j2_8_[k] = static_cast<std::int8_t>(static_cast<std::uint8_t>(static_cast<std::uint32_t>(j2_[k])));
      const auto half = static_cast<std::uint16_t>(j2_16_[k]);
      j2_pair_[k] = static_cast<std::int32_t>((std::uint32_t{half} << 16) | half);
    }
    L_ = refk::Layout{};
    L_.n = prog_.n;
    L_.offsets = offs_.data();
    L_.nbr = nbr_.data();
    L_.j2 = j2_.data();
    L_.j2_neg = j2_neg_.data();
    L_.j2_16 = j2_16_.data();
    L_.j2_8 = j2_8_.data();
    L_.j2_pair = j2_pair_.data();
    L_.base = base_.data();
    L_.phase_offsets = phase_offsets_.data();
    L_.num_phases = static_cast<std::uint32_t>(prog_.num_colors);
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
    L_.narrow8 = prog_.max_abs_sum() <= std::numeric_limits<std::int8_t>::max();
    rebuild_vtab();
  }

  SimdPath path_;
  RefLayout layout_req_;
  bool chain_layout_ = false;
  refk::Kernels kernels_{};
  Problem problem_;
  Program prog_;
  bool loaded_ = false;
  SamplerConfig config_;
  std::vector<std::int32_t> j2_, j2_neg_, j2_pair_, base_, vtab_;
  std::vector<std::int16_t> j2_16_;
  std::vector<std::int8_t> j2_8_;
  std::vector<std::uint32_t> perm_, inv_;  // internal (phase-order) index <-> node
  std::vector<std::uint32_t> offs_, nbr_, phase_offsets_, edge_u_, edge_v_;
  std::vector<std::uint8_t> clamp_nodes_;  // node order
  std::vector<std::uint8_t> clamp8_;       // internal order (Chains layout)
  bool any_clamp_ = false;
  refk::Layout L_;
  std::vector<BlockStore> blocks_;
  std::vector<ChainStore> chains_;
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

const char* to_string(RefLayout l) {
  switch (l) {
    case RefLayout::Auto: return "auto";
    case RefLayout::Planes: return "planes";
    case RefLayout::Chains: return "chains";
  }
  return "?";
}

RefLayout parse_ref_layout(const std::string& s) {
  if (s == "auto") return RefLayout::Auto;
  if (s == "planes") return RefLayout::Planes;
  if (s == "chains") return RefLayout::Chains;
  throw Error("unknown ref layout '" + s + "' (known: auto, planes, chains)");
}

std::unique_ptr<Sampler> make_ref_sampler(SimdPath path, RefLayout layout) {
  return std::make_unique<RefSampler>(path, layout);
}

RefKernelInfo ref_kernel_info(const Sampler& s) {
  if (const auto* r = dynamic_cast<const RefSampler*>(&s)) return r->info();
  return {};
}

}  // namespace pbit

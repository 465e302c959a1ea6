#pragma once
// Internal interface between the ref sampler and its per-ISA kernels.
// Plain data and raw pointers only: the kernel translation units are compiled
// with ISA flags, and sharing inline library templates with them could leak
// those instructions into portable code (ODR), so they include nothing else.
#include <cstdint>

namespace pbit::refk {

constexpr int kLanes = 32;  // chains per block: one bit of a uint32 per chain

// The compiled program, laid out for the kernels. Nodes are numbered in
// phase order (colour classes contiguous), so a chromatic sweep walks the
// per-node arrays sequentially.
struct Layout {
  std::uint32_t n = 0;
  const std::uint32_t* offsets = nullptr;  // CSR, n+1
  const std::uint32_t* nbr = nullptr;      // CSR neighbours
  const std::int32_t* j2 = nullptr;        // 2*Jq per CSR entry
  const std::int32_t* j2_neg = nullptr;    // -2*Jq per CSR entry
  const std::int16_t* j2_16 = nullptr;     // same mod 2^16 (int16 sums wrap to the exact value when narrow)
  const std::int32_t* j2_pair = nullptr;   // same, int16 in both halves (valid when narrow)
  const std::int32_t* base = nullptr;      // hq_i - sum_j Jq_ij (the sum when all m = -1)
  const std::uint32_t* phase_offsets = nullptr;  // num_phases+1: node ranges per colour
  std::uint32_t num_phases = 0;
  const std::int32_t* lut = nullptr;       // lut_depth entries
  // sign(I) * lut[min(|I| >> lut_shift, lut_depth-1)] for every I in
  // [sum_min, sum_max], at vtab[I - sum_min]; null when that range is large.
  const std::int32_t* vtab = nullptr;
  std::int32_t sum_min = 0, sum_max = 0;
  int lut_shift = 0, lut_depth = 0, lut_bits = 0;
  int rng_kind = 0;                        // 0 = lfsr32, 1 = xorshift32
  int async = 0;                           // 0 = chromatic, 1 = async
  std::uint32_t async_threshold = 0;
  int async_period = 1;
  bool narrow = false;                     // every partial sum fits int16
  bool narrow8 = false;                    // every partial sum fits int8
  const std::int8_t* j2_8 = nullptr;       // 2*Jq mod 2^8 (exact sums in int8 when narrow8)
};

// The saturation bounds as the int16 kernels use them: clipped to int16.
// Exact when `narrow`: every partial sum then lies within +-32767, so a bound
// beyond int16 (sum_bits 17..24) never bites and clipping it changes nothing,
// whereas a plain cast would wrap it (65535 -> -1) and saturate every sum.
// `static`: each ISA-flagged unit keeps its own copy (see the top).
static inline std::int16_t narrow_bound(std::int32_t b) {
  return static_cast<std::int16_t>(b > 32767 ? 32767 : b < -32768 ? -32768 : b);
}

// One block of 32 chains.
struct Block {
  std::uint32_t* bits = nullptr;       // n: bit c = chain c's p-bit is +1
  std::uint32_t* bits_next = nullptr;  // n: async double buffer
  std::uint32_t* rng = nullptr;        // n*32 sample RNG states, [node][lane]
  std::uint32_t* timer = nullptr;      // n*32 async timer RNG states
  const std::uint32_t* clamp_mask = nullptr;  // n
  const std::uint32_t* clamp_val = nullptr;   // n
  bool clamps = true;                          // false: no node is clamped (kernels may skip the masks)
};

// Moment counters of one thread: plus[i] += #chains with m_i = +1, agree[e]
// += #chains with m_u == m_v, over the `active` lanes.
struct Counters {
  std::int64_t* plus = nullptr;
  std::int64_t* agree = nullptr;
  const std::uint32_t* edge_u = nullptr;
  const std::uint32_t* edge_v = nullptr;
  std::uint32_t num_edges = 0;
};

// Runs `sweeps` sweeps on each of `count` blocks (kernels may interleave
// several blocks per node for instruction-level parallelism).
using SweepFn = void (*)(const Layout&, Block* blocks, int count, std::uint64_t sweeps);
using AccumulateFn = void (*)(const Layout&, const Block&, std::uint32_t active, Counters&);

// ---- Chain-major layout: one chain on its own, vectorised across the nodes
// of a colour (which are independent). Each node keeps its exact synaptic sum
// ("field", h_i + sum_j J_ij m_j before saturation) and a p-bit that flips
// adds +-2 J_ij to its neighbours' fields, so a sweep costs one update per
// node plus work per flip, and never gathers neighbour states. Same bits as
// the block kernels: the integer sums are exact, saturation is applied at the
// decision, the RNG streams are the same.
struct Chain {
  std::uint8_t* spin = nullptr;    // n: 1 = +1
  std::int32_t* field = nullptr;   // n: exact sum (see above)
  std::uint32_t* rng = nullptr;    // n sample RNG states
  std::uint32_t* timer = nullptr;  // n async timer RNG states
  std::uint32_t* flips = nullptr;  // n + 16 scratch: the p-bits that flip in a phase (or async cycle)
  std::int32_t* rnum = nullptr;    // n scratch: random numbers of a phase (portable kernel)
  const std::uint8_t* clamp_mask = nullptr;  // n: 1 = clamped (shared by all chains)
  const std::uint8_t* clamp_val = nullptr;   // n: 1 = +1
  bool clamps = false;                        // any node clamped
};
using ChainSweepFn = void (*)(const Layout&, Chain& chain, std::uint64_t sweeps);

struct Kernels {
  SweepFn sweep;
  AccumulateFn accumulate;
  ChainSweepFn chain_sweep;
};

// Helpers below are `static`: every translation unit (each with its own ISA
// flags) gets its own copy, never another unit's (see the note at the top).
// Shared pieces of the chain kernels.
// fields from spins: base_i + sum over +1 neighbours of 2 J.
static inline void chain_fields(const Layout& L, Chain& c) {
  for (std::uint32_t i = 0; i < L.n; ++i) {
    std::int32_t f = L.base[i];
    for (std::uint32_t k = L.offsets[i]; k < L.offsets[i + 1]; ++k) f += c.spin[L.nbr[k]] ? L.j2[k] : 0;
    c.field[i] = f;
  }
}
// p-bit i has flipped to `up`: its neighbours' fields move by +-2 J.
static inline void chain_propagate(const Layout& L, Chain& c, std::uint32_t i, bool up) {
  const std::uint32_t o = L.offsets[i];
  const std::uint32_t* nb = L.nbr + o;
  const std::int32_t* d = (up ? L.j2 : L.j2_neg) + o;  // +-2 J per neighbour
  const std::uint32_t deg = L.offsets[i + 1] - o;
  std::int32_t* f = c.field;
  for (std::uint32_t k = 0; k < deg; ++k) f[nb[k]] += d[k];
}
void chain_sweep_portable(const Layout& L, Chain& c, std::uint64_t sweeps);  // any schedule
void chain_accumulate(const Layout& L, const Chain& c, Counters& cnt);

Kernels scalar_kernels();
Kernels avx2_kernels();    // requires AVX2 (call only when the CPU has it)
Kernels avx512_kernels();  // requires AVX-512 F/BW/VL/DQ
bool cpu_has_avx2();
bool cpu_has_avx512();

}  // namespace pbit::refk

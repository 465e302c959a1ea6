// Portable kernel of the ref sampler: the plainest statement of the update
// rule in spec.hpp, lane by lane. The SIMD kernels must match it bit for bit.
#include "ref_kernel.hpp"

namespace pbit::refk {
namespace {

inline std::uint32_t step(int kind, std::uint32_t s) {  // kind is a constant where it matters
  if (kind == 0) return (s << 1) | (((s >> 31) ^ (s >> 21) ^ (s >> 1) ^ s) & 1u);
  s ^= s << 13;
  s ^= s >> 17;
  s ^= s << 5;
  return s;
}

inline int popcount32(std::uint32_t x) {
  x = x - ((x >> 1) & 0x55555555u);
  x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
  x = (x + (x >> 4)) & 0x0F0F0F0Fu;
  return static_cast<int>((x * 0x01010101u) >> 24);
}

// New states of node i in the lanes of `upd`, reading neighbours from src.
std::uint32_t update_node(const Layout& L, const Block& b, const std::uint32_t* src,
                          std::uint32_t i, std::uint32_t upd) {
  std::int32_t acc[kLanes];
  for (int c = 0; c < kLanes; ++c) acc[c] = L.base[i];
  for (std::uint32_t k = L.offsets[i]; k < L.offsets[i + 1]; ++k) {
    const std::uint32_t w = src[L.nbr[k]];
    const std::int32_t j2 = L.j2[k];
    for (int c = 0; c < kLanes; ++c) acc[c] += ((w >> c) & 1u) ? j2 : 0;
  }
  std::uint32_t out = 0;
  std::uint32_t* rng = b.rng + std::size_t{i} * kLanes;
  const int shift = 32 - L.lut_bits;
  for (int c = 0; c < kLanes; ++c) {
    if (!((upd >> c) & 1u)) continue;
    std::int32_t I = acc[c];
    if (I > L.sum_max) I = L.sum_max;
    if (I < L.sum_min) I = L.sum_min;
    const std::int32_t a = I < 0 ? -I : I;
    std::int32_t k = a >> L.lut_shift;
    if (k > L.lut_depth - 1) k = L.lut_depth - 1;
    const std::int32_t v = I < 0 ? -L.lut[k] : L.lut[k];
    rng[c] = step(L.rng_kind, rng[c]);
    const std::int32_t r = static_cast<std::int32_t>(rng[c]) >> shift;
    if (v > r) out |= 1u << c;
  }
  const std::uint32_t kept = (out & upd) | (src[i] & ~upd);
  return (kept & ~b.clamp_mask[i]) | (b.clamp_val[i] & b.clamp_mask[i]);
}

void sweep_block(const Layout& L, Block& b, std::uint64_t sweeps) {
  for (std::uint64_t s = 0; s < sweeps; ++s) {
    if (!L.async) {
      for (std::uint32_t p = 0; p < L.num_phases; ++p)
        for (std::uint32_t x = L.phase_offsets[p]; x < L.phase_offsets[p + 1]; ++x) {
          const std::uint32_t i = x;
          b.bits[i] = update_node(L, b, b.bits, i, ~0u);
        }
      continue;
    }
    for (int cycle = 0; cycle < L.async_period; ++cycle) {
      for (std::uint32_t i = 0; i < L.n; ++i) {
        std::uint32_t* t = b.timer + std::size_t{i} * kLanes;
        std::uint32_t upd = 0;
        for (int c = 0; c < kLanes; ++c) {
          t[c] = step(L.rng_kind, t[c]);
          if (t[c] < L.async_threshold) upd |= 1u << c;
        }
        b.bits_next[i] = update_node(L, b, b.bits, i, upd);
      }
      for (std::uint32_t i = 0; i < L.n; ++i) b.bits[i] = b.bits_next[i];
    }
  }
}

void sweep(const Layout& L, Block* blocks, int count, std::uint64_t sweeps) {
  for (int k = 0; k < count; ++k) sweep_block(L, blocks[k], sweeps);
}

void accumulate(const Layout& L, const Block& b, std::uint32_t active, Counters& cnt) {
  for (std::uint32_t i = 0; i < L.n; ++i) cnt.plus[i] += popcount32(b.bits[i] & active);
  for (std::uint32_t e = 0; e < cnt.num_edges; ++e)
    cnt.agree[e] += popcount32(~(b.bits[cnt.edge_u[e]] ^ b.bits[cnt.edge_v[e]]) & active);
}

// ---- Chain-major kernel (see Chain in ref_kernel.hpp), portable.

// The decision of one p-bit from its exact field; advances its RNG.
template <int Kind, bool Tab>
inline std::uint8_t decide(const Layout& L, std::int32_t f, std::uint32_t& rng, int rshift) {
  std::int32_t I = f > L.sum_max ? L.sum_max : f;
  I = I < L.sum_min ? L.sum_min : I;
  std::int32_t v;
  if constexpr (Tab) {
    v = L.vtab[I - L.sum_min];
  } else {
    const std::int32_t a = I < 0 ? -I : I;
    std::int32_t k = a >> L.lut_shift;
    k = k > L.lut_depth - 1 ? L.lut_depth - 1 : k;
    v = I < 0 ? -L.lut[k] : L.lut[k];
  }
  rng = step(Kind, rng);
  return static_cast<std::uint8_t>(v > (static_cast<std::int32_t>(rng) >> rshift));
}

// Chromatic: a colour's p-bits read only other colours' fields, so the flips
// of a phase are listed first (no unpredictable branch per p-bit) and pushed
// to the neighbours at the end of the phase.
template <int Kind>
inline std::uint32_t step_k(std::uint32_t s) {
  if constexpr (Kind == 0) return (s << 1) | (((s >> 31) ^ (s >> 21) ^ (s >> 1) ^ s) & 1u);
  s ^= s << 13;
  s ^= s >> 17;
  return s ^ (s << 5);
}

template <int Kind, bool Tab, bool Clamps>
void chain_chromatic(const Layout& L, Chain& c, std::uint64_t sweeps) {
  const int rshift = 32 - L.lut_bits;
  std::uint32_t* list = c.flips;
  std::int32_t* rnum = c.rnum;
  for (std::uint64_t s = 0; s < sweeps; ++s)
    for (std::uint32_t p = 0; p < L.num_phases; ++p) {
      const std::uint32_t p0 = L.phase_offsets[p], p1 = L.phase_offsets[p + 1];
      // The phase's random numbers first: a plain loop the compiler vectorizes.
      std::uint32_t* rng = c.rng;
      for (std::uint32_t i = p0; i < p1; ++i) {
        const std::uint32_t w = step_k<Kind>(rng[i]);
        rng[i] = w;
        rnum[i] = static_cast<std::int32_t>(w) >> rshift;
      }
      std::uint32_t nf = 0;
      for (std::uint32_t i = p0; i < p1; ++i) {
        std::int32_t I = c.field[i] > L.sum_max ? L.sum_max : c.field[i];
        I = I < L.sum_min ? L.sum_min : I;
        std::int32_t v;
        if constexpr (Tab) {
          v = L.vtab[I - L.sum_min];
        } else {
          const std::int32_t a = I < 0 ? -I : I;
          std::int32_t k = a >> L.lut_shift;
          k = k > L.lut_depth - 1 ? L.lut_depth - 1 : k;
          v = I < 0 ? -L.lut[k] : L.lut[k];
        }
        std::uint8_t up = v > rnum[i];
        if constexpr (Clamps) up = c.clamp_mask[i] ? c.clamp_val[i] : up;
        list[nf] = i;
        nf += up != c.spin[i];
      }
      for (std::uint32_t k = 0; k < nf; ++k) {
        const std::uint32_t i = list[k];
        const bool up = c.spin[i] == 0;
        c.spin[i] = up;
        chain_propagate(L, c, i, up);
      }
    }
}

// Async: every p-bit decides from the previous cycle's fields; the flips are
// applied after the whole cycle.
template <int Kind>
void chain_async(const Layout& L, Chain& c, std::uint64_t sweeps) {
  const int rshift = 32 - L.lut_bits;
  for (std::uint64_t s = 0; s < sweeps; ++s)
    for (int cycle = 0; cycle < L.async_period; ++cycle) {
      std::uint32_t nf = 0;
      for (std::uint32_t i = 0; i < L.n; ++i) {
        c.timer[i] = step(Kind, c.timer[i]);
        if (c.timer[i] >= L.async_threshold) continue;
        std::uint8_t up = decide<Kind, false>(L, c.field[i], c.rng[i], rshift);
        if (c.clamps && c.clamp_mask[i]) up = c.clamp_val[i];
        c.flips[nf] = i;
        nf += up != c.spin[i];
      }
      for (std::uint32_t k = 0; k < nf; ++k) {
        const std::uint32_t i = c.flips[k];
        const bool up = c.spin[i] == 0;
        c.spin[i] = up;
        chain_propagate(L, c, i, up);
      }
    }
}

template <int Kind>
void chain_sweep_kind(const Layout& L, Chain& c, std::uint64_t sweeps) {
  if (L.async) return chain_async<Kind>(L, c, sweeps);
  if (L.vtab) {
    if (c.clamps) return chain_chromatic<Kind, true, true>(L, c, sweeps);
    return chain_chromatic<Kind, true, false>(L, c, sweeps);
  }
  if (c.clamps) return chain_chromatic<Kind, false, true>(L, c, sweeps);
  return chain_chromatic<Kind, false, false>(L, c, sweeps);
}

}  // namespace

void chain_sweep_portable(const Layout& L, Chain& c, std::uint64_t sweeps) {
  if (L.rng_kind == 0) return chain_sweep_kind<0>(L, c, sweeps);
  return chain_sweep_kind<1>(L, c, sweeps);
}

void chain_accumulate(const Layout& L, const Chain& c, Counters& cnt) {
  for (std::uint32_t i = 0; i < L.n; ++i) cnt.plus[i] += c.spin[i];
  for (std::uint32_t e = 0; e < cnt.num_edges; ++e) cnt.agree[e] += c.spin[cnt.edge_u[e]] == c.spin[cnt.edge_v[e]];
}

Kernels scalar_kernels() { return {sweep, accumulate, chain_sweep_portable}; }

// CPU detection lives here, in portable code, never in an ISA-flagged file.
bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2") &&
         __builtin_cpu_supports("popcnt");
}
bool cpu_has_avx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
}

}  // namespace pbit::refk

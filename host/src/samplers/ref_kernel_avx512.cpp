// AVX-512 kernel of the ref sampler: one block of 32 chains is one zmm of
// int16 partial sums, and a neighbour's bit-plane word is directly the
// __mmask32 of a masked add. Bit-identical to ref_kernel_scalar.cpp.
#include "ref_kernel.hpp"

#include <immintrin.h>

namespace pbit::refk {
namespace {

template <int Kind>
inline __m512i step(__m512i s) {
  if constexpr (Kind == 0) {
    // fb = (s>>31 ^ s>>21 ^ s>>1 ^ s) & 1 ; s = s<<1 | fb
    const __m512i x = _mm512_ternarylogic_epi32(_mm512_srli_epi32(s, 31), _mm512_srli_epi32(s, 21),
                                                _mm512_srli_epi32(s, 1), 0x96);
    const __m512i fb = _mm512_and_si512(_mm512_xor_si512(x, s), _mm512_set1_epi32(1));
    return _mm512_or_si512(_mm512_slli_epi32(s, 1), fb);
  } else {
    s = _mm512_xor_si512(s, _mm512_slli_epi32(s, 13));
    s = _mm512_xor_si512(s, _mm512_srli_epi32(s, 17));
    return _mm512_xor_si512(s, _mm512_slli_epi32(s, 5));
  }
}

struct Consts {
  __m512i smin, smax, dmax, lut_lo, lut_hi, zero;
  __m128i shift;
};

// LutMode: 0 = depth <= 32 (one permute), 1 = depth <= 64 (two-table
// permute), 2 = larger (gather from int32 LUT).
template <int Kind, int LutMode>
inline std::uint32_t update_node(const Layout& L, const Block& b, const std::uint32_t* src,
                                 std::uint32_t i, __mmask32 upd, const Consts& K) {
  __m512i acc = _mm512_set1_epi16(static_cast<short>(L.base[i]));
  const std::uint32_t end = L.offsets[i + 1];
  for (std::uint32_t k = L.offsets[i]; k < end; ++k) {
    const __mmask32 m = _cvtu32_mask32(src[L.nbr[k]]);
    acc = _mm512_mask_add_epi16(acc, m, acc, _mm512_set1_epi16(L.j2_16[k]));
  }
  const __m512i I = _mm512_min_epi16(_mm512_max_epi16(acc, K.smin), K.smax);
  const __m512i a = _mm512_abs_epi16(I);
  const __m512i idx = _mm512_min_epi16(_mm512_srl_epi16(a, K.shift), K.dmax);
  __m512i v;
  if constexpr (LutMode == 0) {
    v = _mm512_permutexvar_epi16(idx, K.lut_lo);
  } else if constexpr (LutMode == 1) {
    v = _mm512_permutex2var_epi16(K.lut_lo, idx, K.lut_hi);
  } else {
    const __m512i i0 = _mm512_cvtepu16_epi32(_mm512_castsi512_si256(idx));
    const __m512i i1 = _mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(idx, 1));
    const __m512i g0 = _mm512_i32gather_epi32(i0, L.lut, 4);
    const __m512i g1 = _mm512_i32gather_epi32(i1, L.lut, 4);
    v = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtepi32_epi16(g0)),
                           _mm512_cvtepi32_epi16(g1), 1);
  }
  const __mmask32 neg = _mm512_movepi16_mask(I);
  v = _mm512_mask_sub_epi16(v, neg, K.zero, v);

  std::uint32_t* rng = b.rng + std::size_t{i} * kLanes;
  const __m512i s0 = _mm512_loadu_si512(rng);
  const __m512i s1 = _mm512_loadu_si512(rng + 16);
  const __mmask16 u0 = static_cast<__mmask16>(upd), u1 = static_cast<__mmask16>(upd >> 16);
  const __m512i n0 = _mm512_mask_mov_epi32(s0, u0, step<Kind>(s0));
  const __m512i n1 = _mm512_mask_mov_epi32(s1, u1, step<Kind>(s1));
  _mm512_storeu_si512(rng, n0);
  _mm512_storeu_si512(rng + 16, n1);
  const int sh = 32 - L.lut_bits;
  const __m512i r0 = _mm512_sra_epi32(n0, _mm_cvtsi32_si128(sh));
  const __m512i r1 = _mm512_sra_epi32(n1, _mm_cvtsi32_si128(sh));
  const __m512i v0 = _mm512_cvtepi16_epi32(_mm512_castsi512_si256(v));
  const __m512i v1 = _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(v, 1));
  const std::uint32_t out = static_cast<std::uint32_t>(_mm512_cmpgt_epi32_mask(v0, r0)) |
                            (static_cast<std::uint32_t>(_mm512_cmpgt_epi32_mask(v1, r1)) << 16);
  const std::uint32_t u = _cvtmask32_u32(upd);
  const std::uint32_t kept = (out & u) | (src[i] & ~u);
  return (kept & ~b.clamp_mask[i]) | (b.clamp_val[i] & b.clamp_mask[i]);
}

template <int Kind, int LutMode>
void sweep_impl(const Layout& L, Block& b, std::uint64_t sweeps) {
  Consts K;
  K.smin = _mm512_set1_epi16(static_cast<short>(L.sum_min));
  K.smax = _mm512_set1_epi16(static_cast<short>(L.sum_max));
  K.dmax = _mm512_set1_epi16(static_cast<short>(L.lut_depth - 1));
  K.zero = _mm512_setzero_si512();
  K.shift = _mm_cvtsi32_si128(L.lut_shift);
  alignas(64) short tab[64] = {};
  for (int k = 0; k < L.lut_depth && k < 64; ++k) tab[k] = static_cast<short>(L.lut[k]);
  K.lut_lo = _mm512_load_si512(tab);
  K.lut_hi = _mm512_load_si512(tab + 32);
  const __m512i thr = _mm512_set1_epi32(static_cast<int>(L.async_threshold));
  for (std::uint64_t s = 0; s < sweeps; ++s) {
    if (!L.async) {
      for (std::uint32_t p = 0; p < L.num_phases; ++p)
        for (std::uint32_t x = L.phase_offsets[p]; x < L.phase_offsets[p + 1]; ++x) {
          const std::uint32_t i = L.order[x];
          b.bits[i] = update_node<Kind, LutMode>(L, b, b.bits, i, _cvtu32_mask32(~0u), K);
        }
      continue;
    }
    for (int cycle = 0; cycle < L.async_period; ++cycle) {
      for (std::uint32_t i = 0; i < L.n; ++i) {
        std::uint32_t* t = b.timer + std::size_t{i} * kLanes;
        const __m512i t0 = step<Kind>(_mm512_loadu_si512(t));
        const __m512i t1 = step<Kind>(_mm512_loadu_si512(t + 16));
        _mm512_storeu_si512(t, t0);
        _mm512_storeu_si512(t + 16, t1);
        const std::uint32_t upd = static_cast<std::uint32_t>(_mm512_cmplt_epu32_mask(t0, thr)) |
                                  (static_cast<std::uint32_t>(_mm512_cmplt_epu32_mask(t1, thr)) << 16);
        b.bits_next[i] = update_node<Kind, LutMode>(L, b, b.bits, i, _cvtu32_mask32(upd), K);
      }
      for (std::uint32_t i = 0; i < L.n; ++i) b.bits[i] = b.bits_next[i];
    }
  }
}

void sweep(const Layout& L, Block& b, std::uint64_t sweeps) {
  if (!L.narrow) return scalar_kernels().sweep(L, b, sweeps);
  const int mode = L.lut_depth <= 32 ? 0 : L.lut_depth <= 64 ? 1 : 2;
  if (L.rng_kind == 0) {
    if (mode == 0) return sweep_impl<0, 0>(L, b, sweeps);
    if (mode == 1) return sweep_impl<0, 1>(L, b, sweeps);
    return sweep_impl<0, 2>(L, b, sweeps);
  }
  if (mode == 0) return sweep_impl<1, 0>(L, b, sweeps);
  if (mode == 1) return sweep_impl<1, 1>(L, b, sweeps);
  return sweep_impl<1, 2>(L, b, sweeps);
}

void accumulate(const Layout& L, const Block& b, std::uint32_t active, Counters& cnt) {
  for (std::uint32_t i = 0; i < L.n; ++i) cnt.plus[i] += _mm_popcnt_u32(b.bits[i] & active);
  for (std::uint32_t e = 0; e < cnt.num_edges; ++e)
    cnt.agree[e] += _mm_popcnt_u32(~(b.bits[cnt.edge_u[e]] ^ b.bits[cnt.edge_v[e]]) & active);
}

}  // namespace

Kernels avx512_kernels() { return {sweep, accumulate}; }

}  // namespace pbit::refk

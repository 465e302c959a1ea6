// AVX-512 kernel of the ref sampler: one block of 32 chains is one zmm of
// int16 partial sums, and a neighbour's bit-plane word is directly the
// __mmask32 of a masked add. G blocks are updated together per node: they
// share the neighbour-index and weight loads, and their independent add
// chains overlap. Bit-identical to ref_kernel_scalar.cpp.
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
  __m512i smin, smax, dmax, lut_lo, lut_hi, zero, odd;
  __m128i shift, rshift16;
};

// Signed LUT value sign(I) * lut[min(|I| >> shift, depth-1)] of 32 lanes.
// LutMode: 0 = depth <= 32 (one permute), 1 = depth <= 64 (two-table
// permute), 2 = larger (gather from the int32 LUT).
template <int LutMode>
inline __m512i lut_value(const Layout& L, __m512i acc, const Consts& K) {
  const __m512i I = _mm512_min_epi16(_mm512_max_epi16(acc, K.smin), K.smax);
  const __m512i idx = _mm512_min_epi16(_mm512_srl_epi16(_mm512_abs_epi16(I), K.shift), K.dmax);
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
  return _mm512_mask_sub_epi16(v, _mm512_movepi16_mask(I), K.zero, v);
}

// Advance the sample RNGs of the lanes in `upd`, compare, and return the new
// bit-plane word of node i in one block.
template <int Kind, bool Async>
inline std::uint32_t decide(const Layout& L, const Block& b, const std::uint32_t* src,
                            std::uint32_t i, std::uint32_t upd, __m512i v, const Consts& K) {
  std::uint32_t* rng = b.rng + std::size_t{i} * kLanes;
  const __m512i s0 = _mm512_loadu_si512(rng);
  const __m512i s1 = _mm512_loadu_si512(rng + 16);
  __m512i n0 = step<Kind>(s0), n1 = step<Kind>(s1);
  if constexpr (Async) {
    n0 = _mm512_mask_mov_epi32(s0, static_cast<__mmask16>(upd), n0);
    n1 = _mm512_mask_mov_epi32(s1, static_cast<__mmask16>(upd >> 16), n1);
  }
  _mm512_storeu_si512(rng, n0);
  _mm512_storeu_si512(rng + 16, n1);
  // r = int32(w) >> (32 - lut_bits) is the top half of w shifted right by
  // 16 - lut_bits: the 32 top halves in one vector of int16, one compare.
  const __m512i r = _mm512_sra_epi16(_mm512_permutex2var_epi16(n0, K.odd, n1), K.rshift16);
  std::uint32_t out = static_cast<std::uint32_t>(_mm512_cmpgt_epi16_mask(v, r));
  if constexpr (Async) out = (out & upd) | (src[i] & ~upd);
  if (!b.clamps) return out;
  return (out & ~b.clamp_mask[i]) | (b.clamp_val[i] & b.clamp_mask[i]);
}

// Node i in G blocks: returns the new words in out[g].
template <int Kind, int LutMode, bool Async, int G>
inline void update_node(const Layout& L, Block* const* blk, const std::uint32_t* const* src,
                        std::uint32_t i, const std::uint32_t* upd, const Consts& K,
                        std::uint32_t* out) {
  __m512i acc[G];
  for (int g = 0; g < G; ++g) acc[g] = _mm512_set1_epi16(static_cast<short>(L.base[i]));
  // Per neighbour: one index load and one dword broadcast (j2 duplicated in
  // both halves: a pure load, no shuffle), then per block a mask load, a
  // zero-masked move and an add.
  const std::uint32_t end = L.offsets[i + 1];
  for (std::uint32_t k = L.offsets[i]; k < end; ++k) {
    const std::uint32_t j = L.nbr[k];
    const __m512i w = _mm512_set1_epi32(L.j2_pair[k]);
    for (int g = 0; g < G; ++g) {
      // acc += w in the lanes whose neighbour bit is set: one kmovd load and
      // one merge-masked vpaddw. (Written as asm because GCC 12 wraps the
      // intrinsic form in two register copies per neighbour.)
      const __mmask32 m = _load_mask32(const_cast<__mmask32*>(src[g] + j));
      asm("vpaddw %[w], %[acc], %[acc]%{%[m]%}" : [acc] "+v"(acc[g]) : [w] "v"(w), [m] "Yk"(m));
    }
  }
  for (int g = 0; g < G; ++g)
    out[g] = decide<Kind, Async>(L, *blk[g], src[g], i, Async ? upd[g] : ~0u,
                                 lut_value<LutMode>(L, acc[g], K), K);
}

template <int Kind, int LutMode, int G>
void sweep_group(const Layout& L, Block* const* blk, std::uint64_t sweeps, const Consts& K) {
  const __m512i thr = _mm512_set1_epi32(static_cast<int>(L.async_threshold));
  std::uint32_t out[G];
  std::uint32_t upd[G];
  const std::uint32_t* src[G];
  for (int g = 0; g < G; ++g) src[g] = blk[g]->bits;
  for (std::uint64_t s = 0; s < sweeps; ++s) {
    if (!L.async) {
      for (std::uint32_t p = 0; p < L.num_phases; ++p)
        for (std::uint32_t x = L.phase_offsets[p]; x < L.phase_offsets[p + 1]; ++x) {
          const std::uint32_t i = x;
          update_node<Kind, LutMode, false, G>(L, blk, src, i, upd, K, out);
          for (int g = 0; g < G; ++g) blk[g]->bits[i] = out[g];
        }
      continue;
    }
    for (int cycle = 0; cycle < L.async_period; ++cycle) {
      for (std::uint32_t i = 0; i < L.n; ++i) {
        for (int g = 0; g < G; ++g) {
          std::uint32_t* t = blk[g]->timer + std::size_t{i} * kLanes;
          const __m512i t0 = step<Kind>(_mm512_loadu_si512(t));
          const __m512i t1 = step<Kind>(_mm512_loadu_si512(t + 16));
          _mm512_storeu_si512(t, t0);
          _mm512_storeu_si512(t + 16, t1);
          upd[g] = static_cast<std::uint32_t>(_mm512_cmplt_epu32_mask(t0, thr)) |
                   (static_cast<std::uint32_t>(_mm512_cmplt_epu32_mask(t1, thr)) << 16);
        }
        update_node<Kind, LutMode, true, G>(L, blk, src, i, upd, K, out);
        for (int g = 0; g < G; ++g) blk[g]->bits_next[i] = out[g];
      }
      for (int g = 0; g < G; ++g)
        for (std::uint32_t i = 0; i < L.n; ++i) blk[g]->bits[i] = blk[g]->bits_next[i];
    }
  }
}

template <int Kind, int LutMode>
void sweep_impl(const Layout& L, Block* blocks, int count, std::uint64_t sweeps) {
  Consts K;
  K.smin = _mm512_set1_epi16(narrow_bound(L.sum_min));
  K.smax = _mm512_set1_epi16(narrow_bound(L.sum_max));
  K.dmax = _mm512_set1_epi16(static_cast<short>(L.lut_depth - 1));
  K.zero = _mm512_setzero_si512();
  K.shift = _mm_cvtsi32_si128(L.lut_shift);
  K.rshift16 = _mm_cvtsi32_si128(16 - L.lut_bits);
  alignas(64) short odd[32];
  for (int k = 0; k < 32; ++k) odd[k] = static_cast<short>(2 * k + 1);  // >= 32: the second source
  K.odd = _mm512_load_si512(odd);
  alignas(64) short tab[64] = {};
  for (int k = 0; k < L.lut_depth && k < 64; ++k) tab[k] = static_cast<short>(L.lut[k]);
  K.lut_lo = _mm512_load_si512(tab);
  K.lut_hi = _mm512_load_si512(tab + 32);
  int k = 0;
  for (; k + 4 <= count; k += 4) {
    Block* grp[4] = {&blocks[k], &blocks[k + 1], &blocks[k + 2], &blocks[k + 3]};
    sweep_group<Kind, LutMode, 4>(L, grp, sweeps, K);
  }
  for (; k + 2 <= count; k += 2) {
    Block* grp[2] = {&blocks[k], &blocks[k + 1]};
    sweep_group<Kind, LutMode, 2>(L, grp, sweeps, K);
  }
  if (k < count) {
    Block* grp[1] = {&blocks[k]};
    sweep_group<Kind, LutMode, 1>(L, grp, sweeps, K);
  }
}

void sweep(const Layout& L, Block* blocks, int count, std::uint64_t sweeps) {
  if (!L.narrow) return scalar_kernels().sweep(L, blocks, count, sweeps);
  const int mode = L.lut_depth <= 32 ? 0 : L.lut_depth <= 64 ? 1 : 2;
  if (L.rng_kind == 0) {
    if (mode == 0) return sweep_impl<0, 0>(L, blocks, count, sweeps);
    if (mode == 1) return sweep_impl<0, 1>(L, blocks, count, sweeps);
    return sweep_impl<0, 2>(L, blocks, count, sweeps);
  }
  if (mode == 0) return sweep_impl<1, 0>(L, blocks, count, sweeps);
  if (mode == 1) return sweep_impl<1, 1>(L, blocks, count, sweeps);
  return sweep_impl<1, 2>(L, blocks, count, sweeps);
}

void accumulate(const Layout& L, const Block& b, std::uint32_t active, Counters& cnt) {
  for (std::uint32_t i = 0; i < L.n; ++i) cnt.plus[i] += _mm_popcnt_u32(b.bits[i] & active);
  for (std::uint32_t e = 0; e < cnt.num_edges; ++e)
    cnt.agree[e] += _mm_popcnt_u32(~(b.bits[cnt.edge_u[e]] ^ b.bits[cnt.edge_v[e]]) & active);
}

// ---- Chain-major kernel (Chain in ref_kernel.hpp): 16 p-bits of one colour
// per vector, int32 fields; the flipped p-bits are compressed into a list
// and pushed to their neighbours at the end of the phase.

struct ChainConsts {
  __m512i smin, smax, dmax, lut0, lut1, zero, iota;
  __m128i shift, rshift;
};

// LutMode: 0 = depth <= 16 (one permute), 1 = depth <= 32 (two-table
// permute), 2 = larger (gather).
template <int Kind, int LutMode, bool Clamps>
void chain_chromatic(const Layout& L, Chain& c, std::uint64_t sweeps, const ChainConsts& K) {
  const __m128i one8 = _mm_set1_epi8(1);
  std::uint32_t* list = c.flips;
  for (std::uint64_t s = 0; s < sweeps; ++s)
    for (std::uint32_t p = 0; p < L.num_phases; ++p) {
      const std::uint32_t p0 = L.phase_offsets[p], p1 = L.phase_offsets[p + 1];
      std::uint32_t nf = 0;
      for (std::uint32_t x = p0; x < p1; x += 16) {
        const std::uint32_t left = p1 - x;
        const __mmask16 m = left >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << left) - 1u);
        const __m512i f = _mm512_maskz_loadu_epi32(m, c.field + x);
        const __m512i I = _mm512_min_epi32(_mm512_max_epi32(f, K.smin), K.smax);
        const __m512i idx = _mm512_min_epi32(_mm512_srl_epi32(_mm512_abs_epi32(I), K.shift), K.dmax);
        __m512i v;
        if constexpr (LutMode == 0)
          v = _mm512_permutexvar_epi32(idx, K.lut0);
        else if constexpr (LutMode == 1)
          v = _mm512_permutex2var_epi32(K.lut0, idx, K.lut1);
        else
          v = _mm512_mask_i32gather_epi32(K.zero, m, idx, L.lut, 4);
        v = _mm512_mask_sub_epi32(v, _mm512_movepi32_mask(I), K.zero, v);
        const __m512i st = step<Kind>(_mm512_maskz_loadu_epi32(m, c.rng + x));
        _mm512_mask_storeu_epi32(c.rng + x, m, st);
        __mmask16 up = _mm512_cmpgt_epi32_mask(v, _mm512_sra_epi32(st, K.rshift));
        if constexpr (Clamps) {
          const __mmask16 cm = _mm_test_epi8_mask(_mm_maskz_loadu_epi8(m, c.clamp_mask + x), one8);
          const __mmask16 cv = _mm_test_epi8_mask(_mm_maskz_loadu_epi8(m, c.clamp_val + x), one8);
          up = static_cast<__mmask16>((up & ~cm) | (cv & cm));
        }
        const __mmask16 old = _mm_test_epi8_mask(_mm_maskz_loadu_epi8(m, c.spin + x), one8);
        // Branch-free: few p-bits flip, and which 16-groups have one is random.
        const __mmask16 flips = static_cast<__mmask16>((up ^ old) & m);
        _mm_mask_storeu_epi8(c.spin + x, flips, _mm_maskz_mov_epi8(up, one8));
        // Compress in a register, then a plain store (compress-to-memory is slow on some cores).
        const __m512i ids = _mm512_add_epi32(K.iota, _mm512_set1_epi32(static_cast<int>(x)));
        _mm512_storeu_si512(list + nf, _mm512_maskz_compress_epi32(flips, ids));
        nf += static_cast<std::uint32_t>(_mm_popcnt_u32(flips));
      }
      for (std::uint32_t k = 0; k < nf; ++k) chain_propagate(L, c, list[k], c.spin[list[k]] != 0);
    }
}

template <int Kind, int LutMode>
void chain_kind(const Layout& L, Chain& c, std::uint64_t sweeps, const ChainConsts& K) {
  if (c.clamps) return chain_chromatic<Kind, LutMode, true>(L, c, sweeps, K);
  return chain_chromatic<Kind, LutMode, false>(L, c, sweeps, K);
}

void chain_sweep(const Layout& L, Chain& c, std::uint64_t sweeps) {
  if (L.async) return chain_sweep_portable(L, c, sweeps);  // the what-if schedule: portable
  ChainConsts K;
  K.smin = _mm512_set1_epi32(L.sum_min);
  K.smax = _mm512_set1_epi32(L.sum_max);
  K.dmax = _mm512_set1_epi32(L.lut_depth - 1);
  K.zero = _mm512_setzero_si512();
  K.iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  K.shift = _mm_cvtsi32_si128(L.lut_shift);
  K.rshift = _mm_cvtsi32_si128(32 - L.lut_bits);
  alignas(64) std::int32_t tab[32] = {};
  for (int k = 0; k < L.lut_depth && k < 32; ++k) tab[k] = L.lut[k];
  K.lut0 = _mm512_load_si512(tab);
  K.lut1 = _mm512_load_si512(tab + 16);
  const int mode = L.lut_depth <= 16 ? 0 : L.lut_depth <= 32 ? 1 : 2;
  if (L.rng_kind == 0) {
    if (mode == 0) return chain_kind<0, 0>(L, c, sweeps, K);
    if (mode == 1) return chain_kind<0, 1>(L, c, sweeps, K);
    return chain_kind<0, 2>(L, c, sweeps, K);
  }
  if (mode == 0) return chain_kind<1, 0>(L, c, sweeps, K);
  if (mode == 1) return chain_kind<1, 1>(L, c, sweeps, K);
  return chain_kind<1, 2>(L, c, sweeps, K);
}

}  // namespace

Kernels avx512_kernels() { return {sweep, accumulate, chain_sweep}; }

}  // namespace pbit::refk

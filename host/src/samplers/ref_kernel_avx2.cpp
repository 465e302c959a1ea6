// AVX2 kernel of the ref sampler: a block of 32 chains is two ymm of int16
// partial sums; neighbour bit planes are expanded to lane masks by compare.
// Bit-identical to ref_kernel_scalar.cpp.
#include "ref_kernel.hpp"

#include <immintrin.h>

namespace pbit::refk {
namespace {

template <int Kind>
inline std::uint32_t step1(std::uint32_t s) {
  if constexpr (Kind == 0) return (s << 1) | (((s >> 31) ^ (s >> 21) ^ (s >> 1) ^ s) & 1u);
  s ^= s << 13;
  s ^= s >> 17;
  return s ^ (s << 5);
}
inline std::int32_t clamp32(std::int32_t x, std::int32_t lo, std::int32_t hi) { return x < lo ? lo : x > hi ? hi : x; }

// For an 8-bit mask: the positions of its set bits, in order (kCompress), and
// the mask spread to one byte per bit (kSpread: bit b -> byte b = 1).
struct CompressTables {
  std::uint8_t pos[256][8];
  std::uint64_t spread[256];
  constexpr CompressTables() : pos(), spread() {
    for (int m = 0; m < 256; ++m) {
      int k = 0;
      for (int b = 0; b < 8; ++b)
        if ((m >> b) & 1) {
          pos[m][k++] = static_cast<std::uint8_t>(b);
          spread[m] |= std::uint64_t{1} << (8 * b);
        }
    }
  }
};
constexpr CompressTables kTables{};
constexpr const std::uint8_t (&kCompress)[256][8] = kTables.pos;
constexpr const std::uint64_t (&kSpread)[256] = kTables.spread;

template <int Kind>
inline __m256i step(__m256i s) {
  if constexpr (Kind == 0) {
    const __m256i x = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi32(s, 31), _mm256_srli_epi32(s, 21)),
                                       _mm256_xor_si256(_mm256_srli_epi32(s, 1), s));
    return _mm256_or_si256(_mm256_slli_epi32(s, 1), _mm256_and_si256(x, _mm256_set1_epi32(1)));
  } else {
    s = _mm256_xor_si256(s, _mm256_slli_epi32(s, 13));
    s = _mm256_xor_si256(s, _mm256_srli_epi32(s, 17));
    return _mm256_xor_si256(s, _mm256_slli_epi32(s, 5));
  }
}

// 16-bit lane masks: lane l of the result is all-ones iff bit l of w is set.
inline __m256i expand16(std::uint32_t w, __m256i bitsel) {
  const __m256i b = _mm256_set1_epi16(static_cast<short>(w));
  return _mm256_cmpeq_epi16(_mm256_and_si256(b, bitsel), bitsel);
}

// Bit l of the result = sign bit of 32-bit lane l, for 32 lanes in 4 vectors.
inline std::uint32_t movemask32(__m256i a, __m256i b, __m256i c, __m256i d) {
  return static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(a))) |
         (static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(b))) << 8) |
         (static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(c))) << 16) |
         (static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(d))) << 24);
}

template <int Kind>
inline std::uint32_t update_node(const Layout& L, const Block& b, const std::uint32_t* src,
                                 std::uint32_t i, std::uint32_t upd, __m256i bitsel) {
  __m256i acc0 = _mm256_set1_epi16(static_cast<short>(L.base[i]));
  __m256i acc1 = acc0;
  const std::uint32_t end = L.offsets[i + 1];
  for (std::uint32_t k = L.offsets[i]; k < end; ++k) {
    const std::uint32_t w = src[L.nbr[k]];
    const __m256i j = _mm256_set1_epi16(L.j2_16[k]);
    acc0 = _mm256_add_epi16(acc0, _mm256_and_si256(expand16(w, bitsel), j));
    acc1 = _mm256_add_epi16(acc1, _mm256_and_si256(expand16(w >> 16, bitsel), j));
  }
  const __m256i smin = _mm256_set1_epi16(narrow_bound(L.sum_min));
  const __m256i smax = _mm256_set1_epi16(narrow_bound(L.sum_max));
  const __m128i shift = _mm_cvtsi32_si128(L.lut_shift);
  const __m128i rshift = _mm_cvtsi32_si128(32 - L.lut_bits);
  const __m256i dmax = _mm256_set1_epi16(static_cast<short>(L.lut_depth - 1));
  std::uint32_t* rng = b.rng + std::size_t{i} * kLanes;
  std::uint32_t out = 0;
  for (int h = 0; h < 2; ++h) {
    const __m256i I = _mm256_min_epi16(_mm256_max_epi16(h ? acc1 : acc0, smin), smax);
    const __m256i idx = _mm256_min_epi16(_mm256_srl_epi16(_mm256_abs_epi16(I), shift), dmax);
    // 16 lanes -> two groups of 8 int32 for the gather and the compare.
    for (int q = 0; q < 2; ++q) {
      const __m128i idx8 = q ? _mm256_extracti128_si256(idx, 1) : _mm256_castsi256_si128(idx);
      const __m128i I8 = q ? _mm256_extracti128_si256(I, 1) : _mm256_castsi256_si128(I);
      __m256i v = _mm256_i32gather_epi32(reinterpret_cast<const int*>(L.lut),
                                         _mm256_cvtepu16_epi32(idx8), 4);
      // v = I < 0 ? -v : v   (not _mm256_sign_epi32, which zeroes v at I == 0)
      const __m256i neg = _mm256_cmpgt_epi32(_mm256_setzero_si256(), _mm256_cvtepi16_epi32(I8));
      v = _mm256_sub_epi32(_mm256_xor_si256(v, neg), neg);
      const int lane0 = h * 16 + q * 8;
      const __m256i s = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rng + lane0));
      const std::uint32_t u8 = (upd >> lane0) & 0xFFu;
      const __m256i umask = _mm256_cmpeq_epi32(
          _mm256_and_si256(_mm256_set1_epi32(static_cast<int>(u8)), _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128)),
          _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128));
      const __m256i n = _mm256_blendv_epi8(s, step<Kind>(s), umask);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(rng + lane0), n);
      const __m256i r = _mm256_sra_epi32(n, rshift);
      const __m256i gt = _mm256_cmpgt_epi32(v, r);
      out |= static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(gt))) << lane0;
    }
  }
  const std::uint32_t kept = (out & upd) | (src[i] & ~upd);
  return (kept & ~b.clamp_mask[i]) | (b.clamp_val[i] & b.clamp_mask[i]);
}

template <int Kind>
void sweep_impl(const Layout& L, Block& b, std::uint64_t sweeps) {
  const __m256i bitsel = _mm256_setr_epi16(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096,
                                           8192, 16384, static_cast<short>(0x8000));
  const __m256i thr = _mm256_set1_epi32(static_cast<int>(L.async_threshold ^ 0x80000000u));
  const __m256i flip = _mm256_set1_epi32(static_cast<int>(0x80000000u));
  for (std::uint64_t s = 0; s < sweeps; ++s) {
    if (!L.async) {
      for (std::uint32_t p = 0; p < L.num_phases; ++p)
        for (std::uint32_t x = L.phase_offsets[p]; x < L.phase_offsets[p + 1]; ++x) {
          const std::uint32_t i = x;
          b.bits[i] = update_node<Kind>(L, b, b.bits, i, ~0u, bitsel);
        }
      continue;
    }
    for (int cycle = 0; cycle < L.async_period; ++cycle) {
      for (std::uint32_t i = 0; i < L.n; ++i) {
        std::uint32_t* t = b.timer + std::size_t{i} * kLanes;
        __m256i lt[4];
        for (int q = 0; q < 4; ++q) {
          const __m256i tq = step<Kind>(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(t + 8 * q)));
          _mm256_storeu_si256(reinterpret_cast<__m256i*>(t + 8 * q), tq);
          // unsigned t < thr  <=>  signed (t ^ 2^31) < (thr ^ 2^31)
          lt[q] = _mm256_cmpgt_epi32(thr, _mm256_xor_si256(tq, flip));
        }
        const std::uint32_t upd = movemask32(lt[0], lt[1], lt[2], lt[3]);
        b.bits_next[i] = update_node<Kind>(L, b, b.bits, i, upd, bitsel);
      }
      for (std::uint32_t i = 0; i < L.n; ++i) b.bits[i] = b.bits_next[i];
    }
  }
}

// ---- 8-bit path (chromatic, every partial sum within +-127, lut_depth <= 32):
// a block's 32 sums are the 32 bytes of one ymm. A neighbour's bit-plane word
// becomes byte masks by one broadcast, one byte shuffle and one compare; G
// blocks share each neighbour's index and weight. The decision works on
// bytes (saturation, |I| >> shift, the LUT by byte shuffles), then on int16
// lanes against the random numbers (lut_bits <= 16: they fit int16), in the
// lane order of the int32 -> int16 packs (dword groups 0,2,4,6 | 1,3,5,7),
// and one permute restores chain order for the movemask.
struct Consts8 {
  __m256i shuf, bitsel, smin, smax, dmax, lo0, lo1, hi0, hi1, shmask, perm, unperm, zero;
  __m128i shift, rshift;
  bool two_tables;
};

template <int Kind>
inline std::uint32_t decide8(const Layout& L, const Block& b, std::uint32_t i, __m256i acc, const Consts8& K) {
  const __m256i a = _mm256_permutevar8x32_epi32(acc, K.perm);
  const __m256i I = _mm256_min_epi8(_mm256_max_epi8(a, K.smin), K.smax);
  const __m256i sh = _mm256_and_si256(_mm256_srl_epi16(_mm256_abs_epi8(I), K.shift), K.shmask);
  const __m256i idx = _mm256_min_epu8(sh, K.dmax);
  __m256i lo = _mm256_shuffle_epi8(K.lo0, idx), hi = _mm256_shuffle_epi8(K.hi0, idx);
  if (K.two_tables) {  // entries 16..31: bit 4 of the index, moved to the byte's top bit, selects
    const __m256i sel = _mm256_slli_epi16(idx, 3);
    lo = _mm256_blendv_epi8(lo, _mm256_shuffle_epi8(K.lo1, idx), sel);
    hi = _mm256_blendv_epi8(hi, _mm256_shuffle_epi8(K.hi1, idx), sel);
  }
  const __m256i neg = _mm256_cmpgt_epi8(K.zero, I);
  const __m256i s01 = _mm256_unpacklo_epi8(neg, neg), s23 = _mm256_unpackhi_epi8(neg, neg);
  const __m256i v01 = _mm256_sub_epi16(_mm256_xor_si256(_mm256_unpacklo_epi8(lo, hi), s01), s01);
  const __m256i v23 = _mm256_sub_epi16(_mm256_xor_si256(_mm256_unpackhi_epi8(lo, hi), s23), s23);
  std::uint32_t* rng = b.rng + std::size_t{i} * kLanes;
  __m256i r[4];
  for (int q = 0; q < 4; ++q) {
    const __m256i st = step<Kind>(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(rng + 8 * q)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(rng + 8 * q), st);
    r[q] = _mm256_sra_epi32(st, K.rshift);
  }
  const __m256i c = _mm256_packs_epi16(_mm256_cmpgt_epi16(v01, _mm256_packs_epi32(r[0], r[1])),
                                       _mm256_cmpgt_epi16(v23, _mm256_packs_epi32(r[2], r[3])));
  const auto out = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_permutevar8x32_epi32(c, K.unperm)));
  if (!b.clamps) return out;
  return (out & ~b.clamp_mask[i]) | (b.clamp_val[i] & b.clamp_mask[i]);
}

template <int Kind, int G>
void sweep8_group(const Layout& L, Block* const* blk, std::uint64_t sweeps, const Consts8& K) {
  const std::uint32_t* src[G];
  for (int g = 0; g < G; ++g) src[g] = blk[g]->bits;
  for (std::uint64_t s = 0; s < sweeps; ++s)
    for (std::uint32_t i = 0; i < L.n; ++i) {  // phase order: colours are contiguous
      __m256i acc[G];
      const __m256i base = _mm256_set1_epi8(static_cast<char>(L.base[i]));
      for (int g = 0; g < G; ++g) acc[g] = base;
      const std::uint32_t end = L.offsets[i + 1];
      for (std::uint32_t k = L.offsets[i]; k < end; ++k) {
        const std::uint32_t j = L.nbr[k];
        const __m256i w = _mm256_set1_epi8(L.j2_8[k]);
        for (int g = 0; g < G; ++g) {
          const __m256i x = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(src[g][j])), K.shuf);
          const __m256i m = _mm256_cmpeq_epi8(_mm256_and_si256(x, K.bitsel), K.bitsel);
          acc[g] = _mm256_add_epi8(acc[g], _mm256_and_si256(m, w));
        }
      }
      for (int g = 0; g < G; ++g) blk[g]->bits[i] = decide8<Kind>(L, *blk[g], i, acc[g], K);
    }
}

template <int Kind>
void sweep8(const Layout& L, Block* blocks, int count, std::uint64_t sweeps) {
  Consts8 K;
  K.shuf = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
  K.bitsel = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ull));
  K.smin = _mm256_set1_epi8(static_cast<char>(L.sum_min < -128 ? -128 : L.sum_min));
  K.smax = _mm256_set1_epi8(static_cast<char>(L.sum_max > 127 ? 127 : L.sum_max));
  K.dmax = _mm256_set1_epi8(static_cast<char>(L.lut_depth - 1));
  K.shift = _mm_cvtsi32_si128(L.lut_shift);
  K.rshift = _mm_cvtsi32_si128(32 - L.lut_bits);
  K.shmask = _mm256_set1_epi8(static_cast<char>(L.lut_shift >= 8 ? 0 : 0xFF >> L.lut_shift));
  K.perm = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  K.unperm = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  K.zero = _mm256_setzero_si256();
  alignas(32) std::uint8_t lo[32] = {}, hi[32] = {};
  for (int k = 0; k < L.lut_depth; ++k) {
    lo[k] = static_cast<std::uint8_t>(L.lut[k] & 0xFF);
    hi[k] = static_cast<std::uint8_t>((L.lut[k] >> 8) & 0xFF);
  }
  auto both = [](const std::uint8_t* t) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t));
    return _mm256_broadcastsi128_si256(x);
  };
  K.lo0 = both(lo);
  K.lo1 = both(lo + 16);
  K.hi0 = both(hi);
  K.hi1 = both(hi + 16);
  K.two_tables = L.lut_depth > 16;
  int k = 0;
  for (; k + 4 <= count; k += 4) {
    Block* grp[4] = {&blocks[k], &blocks[k + 1], &blocks[k + 2], &blocks[k + 3]};
    sweep8_group<Kind, 4>(L, grp, sweeps, K);
  }
  for (; k + 2 <= count; k += 2) {
    Block* grp[2] = {&blocks[k], &blocks[k + 1]};
    sweep8_group<Kind, 2>(L, grp, sweeps, K);
  }
  if (k < count) {
    Block* grp[1] = {&blocks[k]};
    sweep8_group<Kind, 1>(L, grp, sweeps, K);
  }
}

void sweep(const Layout& L, Block* blocks, int count, std::uint64_t sweeps) {
  if (!L.narrow) return scalar_kernels().sweep(L, blocks, count, sweeps);
  if (L.narrow8 && !L.async && L.lut_depth <= 32) {
    if (L.rng_kind == 0) return sweep8<0>(L, blocks, count, sweeps);
    return sweep8<1>(L, blocks, count, sweeps);
  }
  for (int k = 0; k < count; ++k) {
    if (L.rng_kind == 0)
      sweep_impl<0>(L, blocks[k], sweeps);
    else
      sweep_impl<1>(L, blocks[k], sweeps);
  }
}

void accumulate(const Layout& L, const Block& b, std::uint32_t active, Counters& cnt) {
  for (std::uint32_t i = 0; i < L.n; ++i) cnt.plus[i] += _mm_popcnt_u32(b.bits[i] & active);
  for (std::uint32_t e = 0; e < cnt.num_edges; ++e)
    cnt.agree[e] += _mm_popcnt_u32(~(b.bits[cnt.edge_u[e]] ^ b.bits[cnt.edge_v[e]]) & active);
}

// ---- Chain-major kernel (Chain in ref_kernel.hpp): 8 p-bits of one colour
// per vector, int32 fields, the LUT value by gather; the flipped p-bits are
// listed and pushed to their neighbours at the end of the phase.
template <int Kind, bool Tab, bool Clamps>
void chain_chromatic(const Layout& L, Chain& c, std::uint64_t sweeps) {
  const __m256i smin = _mm256_set1_epi32(L.sum_min), smax = _mm256_set1_epi32(L.sum_max);
  const __m256i dmax = _mm256_set1_epi32(L.lut_depth - 1), zero = _mm256_setzero_si256();
  const __m128i shift = _mm_cvtsi32_si128(L.lut_shift), rshift = _mm_cvtsi32_si128(32 - L.lut_bits);
  const __m128i zero8 = _mm_setzero_si128();
  const int rsh = 32 - L.lut_bits;
  std::uint32_t* list = c.flips;
  for (std::uint64_t s = 0; s < sweeps; ++s)
    for (std::uint32_t p = 0; p < L.num_phases; ++p) {
      const std::uint32_t p0 = L.phase_offsets[p], p1 = L.phase_offsets[p + 1];
      std::uint32_t nf = 0;
      std::uint32_t x = p0;
      for (; x + 8 <= p1; x += 8) {
        const __m256i f = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c.field + x));
        const __m256i I = _mm256_min_epi32(_mm256_max_epi32(f, smin), smax);
        __m256i v;
        if constexpr (Tab) {
          v = _mm256_i32gather_epi32(L.vtab, _mm256_sub_epi32(I, smin), 4);
        } else {
          const __m256i idx = _mm256_min_epi32(_mm256_srl_epi32(_mm256_abs_epi32(I), shift), dmax);
          v = _mm256_i32gather_epi32(L.lut, idx, 4);
          const __m256i neg = _mm256_cmpgt_epi32(zero, I);
          v = _mm256_sub_epi32(_mm256_xor_si256(v, neg), neg);
        }
        const __m256i st = step<Kind>(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(c.rng + x)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(c.rng + x), st);
        std::uint32_t up = static_cast<std::uint32_t>(
            _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(v, _mm256_sra_epi32(st, rshift)))));
        if constexpr (Clamps) {
          const auto cm = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpgt_epi8(
                              _mm_loadl_epi64(reinterpret_cast<const __m128i*>(c.clamp_mask + x)), zero8))) & 0xFFu;
          const auto cv = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpgt_epi8(
                              _mm_loadl_epi64(reinterpret_cast<const __m128i*>(c.clamp_val + x)), zero8))) & 0xFFu;
          up = (up & ~cm) | (cv & cm);
        }
        const auto old = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpgt_epi8(
                             _mm_loadl_epi64(reinterpret_cast<const __m128i*>(c.spin + x)), zero8))) & 0xFFu;
        // Branch-free: the flipped positions of the 8 from a table, stored
        // whole (the list has slack), their spins toggled by an xor mask.
        const std::uint32_t fl = up ^ old;
        const __m256i pos = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(kCompress[fl])));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(list + nf), _mm256_add_epi32(pos, _mm256_set1_epi32(static_cast<int>(x))));
        nf += static_cast<std::uint32_t>(__builtin_popcount(fl));
        std::uint64_t sp;
        __builtin_memcpy(&sp, c.spin + x, 8);
        sp ^= kSpread[fl];
        __builtin_memcpy(c.spin + x, &sp, 8);
      }
      for (; x < p1; ++x) {  // the colour's last p-bits, one by one
        const std::int32_t I = clamp32(c.field[x], L.sum_min, L.sum_max);
        const std::int32_t a = I < 0 ? -I : I;
        const std::int32_t k = clamp32(a >> L.lut_shift, 0, L.lut_depth - 1);
        const std::int32_t v = I < 0 ? -L.lut[k] : L.lut[k];
        c.rng[x] = step1<Kind>(c.rng[x]);
        std::uint8_t up = v > (static_cast<std::int32_t>(c.rng[x]) >> rsh);
        if (Clamps && c.clamp_mask[x]) up = c.clamp_val[x];
        if (up != c.spin[x]) {
          c.spin[x] = up;
          list[nf++] = x;
        }
      }
      for (std::uint32_t k = 0; k < nf; ++k) chain_propagate(L, c, list[k], c.spin[list[k]] != 0);
    }
}

template <int Kind>
void chain_kind(const Layout& L, Chain& c, std::uint64_t sweeps) {
  if (L.vtab) {
    if (c.clamps) return chain_chromatic<Kind, true, true>(L, c, sweeps);
    return chain_chromatic<Kind, true, false>(L, c, sweeps);
  }
  if (c.clamps) return chain_chromatic<Kind, false, true>(L, c, sweeps);
  return chain_chromatic<Kind, false, false>(L, c, sweeps);
}

void chain_sweep(const Layout& L, Chain& c, std::uint64_t sweeps) {
  if (L.async) return chain_sweep_portable(L, c, sweeps);  // the what-if schedule: portable
  if (L.rng_kind == 0) return chain_kind<0>(L, c, sweeps);
  return chain_kind<1>(L, c, sweeps);
}

}  // namespace

Kernels avx2_kernels() { return {sweep, accumulate, chain_sweep}; }

}  // namespace pbit::refk

// The numeric spec: quantization, LUT, RNG periods, seeding, the update rule.
#include <pbit/spec.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <set>

using namespace pbit;

namespace {

// GF(2) 32x32 matrices as 32 column words: column j = image of basis bit j.
using Mat = std::array<std::uint32_t, 32>;

Mat matrix_of(std::uint32_t (*step)(std::uint32_t)) {
  Mat m{};
  for (int j = 0; j < 32; ++j) m[j] = step(1u << j);
  return m;
}
std::uint32_t apply(const Mat& m, std::uint32_t x) {
  std::uint32_t y = 0;
  for (int j = 0; j < 32; ++j)
    if ((x >> j) & 1u) y ^= m[j];
  return y;
}
Mat mul(const Mat& a, const Mat& b) {  // a*b: apply b then a
  Mat c{};
  for (int j = 0; j < 32; ++j) c[j] = apply(a, b[j]);
  return c;
}
Mat power(Mat m, std::uint64_t e) {
  Mat r{};
  for (int j = 0; j < 32; ++j) r[j] = 1u << j;
  while (e) {
    if (e & 1) r = mul(m, r);
    m = mul(m, m);
    e >>= 1;
  }
  return r;
}
bool is_identity(const Mat& m) {
  for (int j = 0; j < 32; ++j)
    if (m[j] != (1u << j)) return false;
  return true;
}
// The step is a linear map of maximal period 2^32-1 iff M^(2^32-1) = I and
// M^((2^32-1)/q) != I for every prime q | 2^32-1 = 3*5*17*257*65537.
bool has_maximal_period(std::uint32_t (*step)(std::uint32_t)) {
  const Mat m = matrix_of(step);
  const std::uint64_t order = 0xFFFFFFFFull;
  if (!is_identity(power(m, order))) return false;
  for (std::uint64_t q : {3ull, 5ull, 17ull, 257ull, 65537ull})
    if (is_identity(power(m, order / q))) return false;
  return true;
}
std::uint32_t lfsr(std::uint32_t s) { return lfsr32_step(s); }
std::uint32_t xs(std::uint32_t s) { return xorshift32_step(s); }
std::uint32_t broken_lfsr(std::uint32_t s) {  // taps 32,22,2 only: not maximal
  return (s << 1) | (((s >> 31) ^ (s >> 21) ^ (s >> 1)) & 1u);
}

}  // namespace

TEST_CASE("spec defaults match the published design and validate", "[spec]") {
  NumericSpec s;
  REQUIRE_NOTHROW(s.validate());
  CHECK(s.weight_bits == 6);
  CHECK(s.frac_bits == 1);
  CHECK(s.weight_max() == 31);
  CHECK(s.weight_min() == -32);
  CHECK(s.lut_depth == 32);
  CHECK(NumericSpec::covering_shift(6, 32) == 0);
  CHECK(NumericSpec::covering_shift(10, 32) == 4);
  CHECK(NumericSpec::covering_shift(24, 4096) == 11);
  // Out-of-range arguments are errors (a depth <= 0 used to loop forever, and
  // a sum width >= 64 shifted out of range).
  for (auto [sum, depth] : {std::pair{6, -32}, {6, 0}, {6, 1}, {6, 8192}, {1, 32}, {25, 32}, {70, 32}, {-5, 32}})
    CHECK_THROWS_AS(NumericSpec::covering_shift(sum, depth), Error);
  using Mutator = void (*)(NumericSpec&);
  const Mutator bads[] = {[](NumericSpec& x) { x.weight_bits = 1; }, [](NumericSpec& x) { x.weight_bits = 17; },
                          [](NumericSpec& x) { x.frac_bits = 6; }, [](NumericSpec& x) { x.sum_bits = 5; },
                          [](NumericSpec& x) { x.lut_depth = 48; }, [](NumericSpec& x) { x.lut_bits = 17; },
                          [](NumericSpec& x) { x.async_period = 0; }};
  for (auto bad : bads) {
    NumericSpec t;
    bad(t);
    CHECK_THROWS_AS(t.validate(), Error);
  }
}

TEST_CASE("quantization rounds to nearest, ties away, and saturates", "[spec]") {
  NumericSpec s;  // s[4][1]: step 0.5, range [-16, 15.5]
  CHECK(quantize_weight(0.0, s) == 0);
  CHECK(quantize_weight(0.24, s) == 0);
  CHECK(quantize_weight(0.25, s) == 1);    // tie -> away from zero
  CHECK(quantize_weight(-0.25, s) == -1);
  CHECK(quantize_weight(1.0, s) == 2);
  CHECK(quantize_weight(-1.26, s) == -3);
  CHECK(quantize_weight(15.5, s) == 31);
  CHECK(quantize_weight(100.0, s) == 31);
  CHECK(quantize_weight(-100.0, s) == -32);
  CHECK(dequantize(-3, s) == -1.5);
  CHECK_THROWS_AS(quantize_weight(std::nan(""), s), Error);
  CHECK_THROWS_AS(quantize_weight(INFINITY, s), Error);
  CHECK(saturate_sum(40, s) == 31);
  CHECK(saturate_sum(-40, s) == -32);
  CHECK(saturate_sum(-7, s) == -7);
}

TEST_CASE("the LUT holds round(tanh(beta*|I|) * (2^(L-1)-1))", "[spec]") {
  NumericSpec s;
  const auto lut = make_lut(s, 1.0);
  REQUIRE(lut.size() == 32);
  CHECK(lut[0] == 0);
  CHECK(lut[1] == std::lround(std::tanh(0.5) * 32767));
  CHECK(lut[31] == std::lround(std::tanh(15.5) * 32767));
  for (std::size_t k = 1; k < lut.size(); ++k) CHECK(lut[k] >= lut[k - 1]);
  const auto cold = make_lut(s, 2.0);
  CHECK(cold[1] == std::lround(std::tanh(1.0) * 32767));
  for (auto v : make_lut(s, 0.0)) CHECK(v == 0);
  s.lut_shift = 2;  // buckets of 4 LSBs, represented by their midpoint 1.5 LSB
  CHECK(make_lut(s, 1.0)[1] == std::lround(std::tanh(5.5 * 0.5) * 32767));
  CHECK_THROWS_AS(make_lut(s, -1.0), Error);
  s = NumericSpec{};
  s.lut_bits = 8;
  const auto small = make_lut(s, 1.0);
  CHECK(lut_readmemh(small, s).substr(0, 9) == "00\n3b\n61\n");
}

TEST_CASE("both RNGs have the maximal period 2^32-1", "[spec]") {
  CHECK(has_maximal_period(lfsr));
  CHECK(has_maximal_period(xs));
  CHECK_FALSE(has_maximal_period(broken_lfsr));  // the check can fail
  CHECK(lfsr32_step(0) == 0);                      // why seeds are never zero
  CHECK(lfsr32_step(0x80000000u) == 0x00000001u);  // tap 32 feeds bit 1
  CHECK(lfsr32_step(0x00200000u) == 0x00400001u);  // tap 22
  CHECK(lfsr32_step(0x00000001u) == 0x00000003u);  // tap 1
}

TEST_CASE("per-p-bit seeds are deterministic, distinct and never zero", "[spec]") {
  std::set<std::uint32_t> seen;
  for (std::uint64_t chain = 0; chain < 8; ++chain)
    for (std::uint64_t cell = 0; cell < 512; ++cell)
      for (auto stream : {RngStream::Sample, RngStream::Timer}) {
        const auto s = pbit_seed(7, stream, chain, cell);
        CHECK(s != 0);
        CHECK(s == pbit_seed(7, stream, chain, cell));
        seen.insert(s);
      }
  CHECK(seen.size() == 8 * 512 * 2);
  CHECK(pbit_seed(7, RngStream::Sample, 0, 0) != pbit_seed(8, RngStream::Sample, 0, 0));
}

TEST_CASE("the update rule gives P(+1) = (v + 2^(L-1)) / 2^L exactly", "[spec]") {
  NumericSpec s;
  s.lut_bits = 8;  // enumerate all 256 random numbers
  const auto lut = make_lut(s, 1.0);
  for (std::int32_t I : {-32, -5, -1, 0, 1, 2, 7, 31}) {
    int plus = 0;
    for (std::uint32_t r = 0; r < 256; ++r) plus += pbit_decide(I, lut.data(), r << 24, s) ? 1 : 0;
    const std::int32_t a = std::min(std::abs(I), 31);
    const std::int32_t v = I < 0 ? -lut[a] : lut[a];
    CHECK(plus == v + 128);
    const double p = plus / 256.0, want = (1 + std::tanh(0.5 * std::min(std::abs(I), 31) * (I < 0 ? -1 : 1))) / 2;
    CHECK(std::abs(p - want) < 1.0 / 128);
  }
}

TEST_CASE("spec names parse and print", "[spec]") {
  CHECK(parse_rng_kind("lfsr32") == RngKind::Lfsr32);
  CHECK(parse_rng_kind("xorshift32") == RngKind::Xorshift32);
  CHECK_THROWS_AS(parse_rng_kind("mt"), Error);
  CHECK(parse_schedule("async") == Schedule::Async);
  CHECK_THROWS_AS(parse_schedule("random"), Error);
  CHECK(std::string(to_string(BetaMode::Fold)) == "fold");
}

TEST_CASE("make_lut's saturated entries equal the plain formula", "[spec]") {
  // make_lut skips tanh where the entry must round to lut_max; every entry
  // still equals round(tanh(beta |I| / scale) * lut_max).
  for (int lut_bits = 2; lut_bits <= 16; ++lut_bits)
    for (int frac = 0; frac <= 3; ++frac)
      for (double beta : {0.0, 0.013, 0.1, 0.37, 1.0, 2.9, 3.0, 7.5, 40.0})
        for (int shift : {0, 2}) {
          NumericSpec s;
          s.weight_bits = 8;
          s.frac_bits = frac;
          s.sum_bits = 10;
          s.lut_depth = 64;
          s.lut_shift = shift;
          s.lut_bits = lut_bits;
          const auto lut = make_lut(s, beta);
          const double mid = shift > 0 ? ((1 << shift) - 1) / 2.0 : 0.0;
          for (int k = 0; k < s.lut_depth; ++k) {
            const double x = beta * ((k << shift) + mid) / s.scale();
            INFO("lut_bits " << lut_bits << " frac " << frac << " beta " << beta << " k " << k);
            REQUIRE(lut[static_cast<std::size_t>(k)] == std::lround(std::tanh(x) * s.lut_max()));
          }
        }
  // Around the saturation point itself, finely.
  NumericSpec s;
  for (int j = 0; j < 20000; ++j) {
    const double beta = 0.3 + j * 1e-4;
    const auto lut = make_lut(s, beta);
    for (int k = 0; k < s.lut_depth; ++k)
      REQUIRE(lut[static_cast<std::size_t>(k)] == std::lround(std::tanh(beta * k / s.scale()) * s.lut_max()));
  }
}

// The lean array's gated sum (spec.hpp gated_sum): offset + 2 x the couplings of
// the +1 neighbours, wrapped to gated_acc_bits and saturated, equals the
// reference's saturated exact sum. Exhaustive over small widths and degrees
// (every h, every J vector, every neighbour pattern, every legal sum_bits);
// at the widths' extremes (every J at its min or max, for every weight_bits
// and degree 0..24) for every pattern of up to 10 neighbours, and random
// values up to degree 24.
namespace {
void check_gated(const NumericSpec& sp, std::int32_t h, const std::vector<std::int32_t>& J,
                 const std::int8_t* m) {
  std::int64_t exact = h;
  for (std::size_t s = 0; s < J.size(); ++s) exact += std::int64_t{J[s]} * m[s];
  const std::int64_t off = gated_sum_offset(h, J.data(), J.size());
  const int bits = gated_acc_bits(sp, J.size());
  const std::int32_t got = gated_sum(off, J.data(), m, J.size(), bits, sp);
  if (got != saturate_sum(exact, sp)) {
    INFO("weight_bits " << sp.weight_bits << " sum_bits " << sp.sum_bits << " degree " << J.size()
                        << " h " << h << " exact " << exact << " gated " << got);
    REQUIRE(got == saturate_sum(exact, sp));
  }
}
}  // namespace

TEST_CASE("the gated sum equals the exact saturated sum (exhaustive, small widths)", "[spec][lean]") {
  long checked = 0;
  for (int w = 2; w <= 4; ++w)
    for (int sb = w; sb <= w + 4; ++sb)
      for (std::size_t d = 0; d <= 3; ++d) {
        NumericSpec sp;
        sp.weight_bits = w;
        sp.frac_bits = 0;
        sp.sum_bits = sb;
        sp.lut_shift = 0;
        const std::int32_t lo = sp.weight_min(), n = sp.weight_max() - lo + 1;
        long combos = 1;
        for (std::size_t s = 0; s <= d; ++s) combos *= n;  // h and the J's
        std::vector<std::int32_t> J(d);
        std::array<std::int8_t, 4> m{};
        for (long c = 0; c < combos; ++c) {
          long x = c;
          const std::int32_t h = lo + static_cast<std::int32_t>(x % n);
          x /= n;
          for (std::size_t s = 0; s < d; ++s, x /= n) J[s] = lo + static_cast<std::int32_t>(x % n);
          for (std::uint32_t pat = 0; pat < (1u << d); ++pat) {
            for (std::size_t s = 0; s < d; ++s) m[s] = ((pat >> s) & 1u) ? 1 : -1;
            check_gated(sp, h, J, m.data());
            ++checked;
          }
        }
      }
  CHECK(checked > 1000000);
}

TEST_CASE("the gated sum at the extremes of every width and degree", "[spec][lean]") {
  std::uint64_t rng = 77;
  for (int w = 2; w <= 16; ++w)
    for (int sb : {w, std::min(w + 3, 24), 24}) {
      NumericSpec sp;
      sp.weight_bits = w;
      sp.frac_bits = 0;
      sp.sum_bits = sb;
      sp.lut_shift = 0;
      for (std::size_t d = 0; d <= 24; ++d) {
        std::vector<std::int32_t> J(d);
        std::vector<std::int8_t> m(d);
        for (std::int32_t h : {sp.weight_min(), std::int32_t{0}, sp.weight_max()})
          for (std::int32_t jv : {sp.weight_min(), sp.weight_max()}) {
            std::fill(J.begin(), J.end(), jv);
            const std::uint32_t pats = d <= 10 ? (1u << d) : 64u;
            for (std::uint32_t p = 0; p < pats; ++p) {
              for (std::size_t s = 0; s < d; ++s)
                m[s] = d <= 10 ? (((p >> s) & 1u) ? 1 : -1) : (p == 0 ? 1 : p == 1 ? -1 : ((splitmix64(rng++) & 1u) ? 1 : -1));
              check_gated(sp, h, J, m.data());
            }
          }
        for (int t = 0; t < 200; ++t) {  // random couplings and neighbours
          const std::int32_t span = sp.weight_max() - sp.weight_min() + 1;
          const std::int32_t h = sp.weight_min() + static_cast<std::int32_t>(splitmix64(rng++) % span);
          for (std::size_t s = 0; s < d; ++s) {
            J[s] = sp.weight_min() + static_cast<std::int32_t>(splitmix64(rng++) % span);
            m[s] = (splitmix64(rng++) & 1u) ? 1 : -1;
          }
          check_gated(sp, h, J, m.data());
        }
      }
    }
}

TEST_CASE("rng_advance equals n single steps", "[spec][lean]") {
  for (RngKind k : {RngKind::Lfsr32, RngKind::Xorshift32})
    for (std::uint64_t n : {0ull, 1ull, 5ull, 64ull, 65ull, 1000ull, 4097ull}) {
      std::uint32_t s = 0x12345678u, want = s;
      for (std::uint64_t i = 0; i < n; ++i) want = rng_step(k, want);
      CHECK(rng_advance(k, s, n) == want);
      std::vector<std::uint32_t> v{s, 1u, 0xDEADBEEFu};
      std::vector<std::uint32_t> w = v;
      for (auto& x : w)
        for (std::uint64_t i = 0; i < n; ++i) x = rng_step(k, x);
      rng_advance_all(k, v.data(), v.size(), n);
      CHECK(v == w);
    }
}

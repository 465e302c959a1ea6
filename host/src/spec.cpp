#include <pbit/spec.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>

namespace pbit {
namespace {

void check_range(const char* name, long v, long lo, long hi) {
  if (v < lo || v > hi)
    throw Error(std::string("numeric spec: ") + name + " must be in [" + std::to_string(lo) + ", " +
                std::to_string(hi) + "] (got " + std::to_string(v) + ")");
}

}  // namespace

void NumericSpec::validate() const {
  check_range("weight_bits", weight_bits, 2, 16);
  check_range("frac_bits", frac_bits, 0, weight_bits - 1);
  check_range("sum_bits", sum_bits, weight_bits, 24);
  check_range("lut_depth", lut_depth, 2, 4096);
  if ((lut_depth & (lut_depth - 1)) != 0)
    throw Error("numeric spec: lut_depth must be a power of two (got " + std::to_string(lut_depth) +
                ")");
  check_range("lut_shift", lut_shift, 0, sum_bits - 1);
  check_range("lut_bits", lut_bits, 2, 16);
  check_range("async_period", async_period, 1, 65536);
}

int NumericSpec::covering_shift(int sum_bits_, int lut_depth_) {
  // Checked here too: a depth < 1 would never be reached by the loop below.
  check_range("sum_bits", sum_bits_, 2, 24);
  check_range("lut_depth", lut_depth_, 2, 4096);
  int shift = 0;
  while (((std::int64_t{1} << (sum_bits_ - 1)) >> shift) > lut_depth_) ++shift;
  return shift;
}

namespace {
// GF(2) 32x32 matrix as 32 column words: column j = the image of bit j.
using Gf2 = std::array<std::uint32_t, 32>;
std::uint32_t gf2_apply(const Gf2& m, std::uint32_t x) {
  std::uint32_t y = 0;
  for (int j = 0; j < 32; ++j)
    if ((x >> j) & 1u) y ^= m[static_cast<std::size_t>(j)];
  return y;
}
Gf2 rng_power(RngKind kind, std::uint64_t n) {
  Gf2 m{}, r{};
  for (int j = 0; j < 32; ++j) {
    m[static_cast<std::size_t>(j)] = rng_step(kind, 1u << j);
    r[static_cast<std::size_t>(j)] = 1u << j;
  }
  while (n) {
    if (n & 1) {
      Gf2 t{};
      for (std::size_t j = 0; j < 32; ++j) t[j] = gf2_apply(m, r[j]);
      r = t;
    }
    Gf2 sq{};
    for (std::size_t j = 0; j < 32; ++j) sq[j] = gf2_apply(m, m[j]);
    m = sq;
    n >>= 1;
  }
  return r;
}
}  // namespace

std::uint32_t rng_advance(RngKind kind, std::uint32_t s, std::uint64_t n) {
  rng_advance_all(kind, &s, 1, n);
  return s;
}

void rng_advance_all(RngKind kind, std::uint32_t* states, std::size_t count, std::uint64_t n) {
  if (n == 0 || count == 0) return;
  if (n <= 64) {  // a few steps: cheaper than the matrix power
    for (std::size_t i = 0; i < count; ++i)
      for (std::uint64_t k = 0; k < n; ++k) states[i] = rng_step(kind, states[i]);
    return;
  }
  const Gf2 m = rng_power(kind, n);
  for (std::size_t i = 0; i < count; ++i) states[i] = gf2_apply(m, states[i]);
}

std::int32_t quantize_weight(double x, const NumericSpec& spec) {
  if (!std::isfinite(x)) throw Error("cannot quantize a non-finite weight");
  const double q = std::round(x * spec.scale());  // ties away from zero
  if (q > spec.weight_max()) return spec.weight_max();
  if (q < spec.weight_min()) return spec.weight_min();
  return static_cast<std::int32_t>(q);
}

double dequantize(std::int32_t q, const NumericSpec& spec) { return q / spec.scale(); }

std::vector<std::int32_t> make_lut(const NumericSpec& spec, double beta) {
  spec.validate();
  if (!std::isfinite(beta) || beta < 0) throw Error("beta must be finite and >= 0");
  std::vector<std::int32_t> lut(static_cast<std::size_t>(spec.lut_depth));
  const double bucket_mid = spec.lut_shift > 0 ? ((1 << spec.lut_shift) - 1) / 2.0 : 0.0;
  // Every entry is round(tanh(x) * lut_max), x = beta |I| / scale, computed
  // cheaply (set_beta runs every sweep when annealing) and exactly:
  // - past x_sat the entry rounds to lut_max whatever tanh's last bits (there
  //   tanh(x) >= 1 - 0.5/lut_max by ~1e-3 LSB, far above any rounding error);
  // - below it tanh(x) = (e - 1) / (e + 1) with e = exp(2x) carried from entry
  //   to entry by one multiplication. Its error (< 1e-7 LSB for 4096 entries)
  //   can only change the rounding when t * lut_max lies within 1e-6 of a
  //   half-integer; such entries use std::tanh, the definition.
  const double m = spec.lut_max();
  const double x_sat = 0.5 * std::log(4 * m - 1) + 1e-3;
  const double x0 = beta * bucket_mid / spec.scale();
  const double dx = beta * static_cast<double>(std::int64_t{1} << spec.lut_shift) / spec.scale();
  double e = std::exp(2 * x0);
  const double r = std::exp(2 * dx);
  for (int k = 0; k < spec.lut_depth; ++k) {
    const double lsbs = static_cast<double>(std::int64_t{k} << spec.lut_shift) + bucket_mid;
    const double x = beta * lsbs / spec.scale();
    if (x >= x_sat) {
      std::fill(lut.begin() + k, lut.end(), spec.lut_max());
      break;
    }
    const double v = (e - 1) / (e + 1) * m;  // >= 0
    const auto whole = static_cast<std::int32_t>(v);
    const double frac = v - whole;
    lut[static_cast<std::size_t>(k)] = std::abs(frac - 0.5) < 1e-6
                                           ? static_cast<std::int32_t>(std::lround(std::tanh(x) * m))
                                           : whole + (frac > 0.5 ? 1 : 0);
    e *= r;
  }
  return lut;
}

std::string lut_readmemh(const std::vector<std::int32_t>& lut, const NumericSpec& spec) {
  const int digits = (spec.lut_bits + 3) / 4;
  std::string out;
  char buf[16];
  for (std::int32_t v : lut) {
    std::snprintf(buf, sizeof buf, "%0*x\n", digits, static_cast<unsigned>(v));
    out += buf;
  }
  return out;
}

std::uint32_t pbit_seed(std::uint64_t master, RngStream stream, std::uint64_t chain,
                        std::uint64_t cell) {
  const std::uint64_t x =
      splitmix64(splitmix64(splitmix64(master) ^ static_cast<std::uint64_t>(stream)) ^ chain);
  const auto s = static_cast<std::uint32_t>(splitmix64(x ^ cell));
  return s != 0 ? s : 0x6D2B79F5u;
}

const char* to_string(RngKind k) { return k == RngKind::Lfsr32 ? "lfsr32" : "xorshift32"; }
const char* to_string(Schedule s) { return s == Schedule::Chromatic ? "chromatic" : "async"; }
const char* to_string(BetaMode b) { return b == BetaMode::Lut ? "lut" : "fold"; }

RngKind parse_rng_kind(const std::string& s) {
  if (s == "lfsr32") return RngKind::Lfsr32;
  if (s == "xorshift32") return RngKind::Xorshift32;
  throw Error("unknown RNG kind '" + s + "' (known: lfsr32, xorshift32)");
}
Schedule parse_schedule(const std::string& s) {
  if (s == "chromatic") return Schedule::Chromatic;
  if (s == "async") return Schedule::Async;
  throw Error("unknown schedule '" + s + "' (known: chromatic, async)");
}
BetaMode parse_beta_mode(const std::string& s) {
  if (s == "lut") return BetaMode::Lut;
  if (s == "fold") return BetaMode::Fold;
  throw Error("unknown beta mode '" + s + "' (known: lut, fold)");
}

}  // namespace pbit

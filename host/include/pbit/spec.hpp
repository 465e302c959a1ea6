#pragma once
// The numeric spec: the p-bit hardware's arithmetic, defined once.
//
// Everything that decides a bit of the hardware's behaviour lives here: fixed
// point widths and saturation, quantization of float weights, the tanh lookup
// table, the RNG algorithms and their seeding, and the update schedules. The
// `ref` sampler, the RTL package generator and the tests all use these
// functions; the RTL is checked bit for bit against them.
//
// One p-bit update (all integers, two's complement):
//   I   = sat_{sum_bits}( hq_i + sum_j Jq_ij * m_j )      m_j in {-1,+1}
//   k   = min(|I| >> lut_shift, lut_depth - 1)
//   v   = sign(I) * lut[k]                                 lut[k] in [0, 2^(lut_bits-1) - 1]
//   w   = rng_step(rng_state_i)                            one fresh 32-bit word per update
//   r   = int32(w) >> (32 - lut_bits)                      uniform in [-2^(lut_bits-1), 2^(lut_bits-1))
//   m_i = (v > r) ? +1 : -1 ; a clamped p-bit takes its clamp value instead
//         (its RNG still advances, so clamping never shifts other streams).
// Hence P(m_i = +1) = (v + 2^(lut_bits-1)) / 2^lut_bits ~= (1 + tanh(beta I)) / 2.
#include <pbit/error.hpp>
#include <pbit/random.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pbit {

enum class RngKind : std::uint8_t {
  Lfsr32,      // 32-bit Fibonacci LFSR, taps 32,22,2,1 (x^32+x^22+x^2+x+1), one shift per update
  Xorshift32,  // Marsaglia xorshift32 (13, 17, 5), one full word per update
};

enum class Schedule : std::uint8_t {
  Chromatic,  // colour classes in order, one phase (clock cycle) per colour
  Async,      // every cycle each p-bit updates with probability 1/async_period
};

// Where beta goes. Lut: the LUT holds tanh(beta * x), weights are quantized
// unscaled, and annealing rewrites lut_depth words (a broadcast write), no
// weight reload. Fold: the LUT holds tanh(x) and the host quantizes beta*J and
// beta*h (for hardware whose LUT is a ROM).
enum class BetaMode : std::uint8_t { Lut, Fold };

struct NumericSpec {
  int weight_bits = 6;   // [2,16] total bits of J and h (two's complement)
  int frac_bits = 1;     // [0,weight_bits-1] fraction bits of J, h and I
  int sum_bits = 6;      // [weight_bits,24] total bits of I after saturation
  int lut_depth = 32;    // [2,4096] power of two
  int lut_shift = 0;     // [0,23] LUT index = min(|I| >> lut_shift, lut_depth-1)
  int lut_bits = 16;     // [2,16] signed width of LUT values and of the random number
  // xorshift32 by default: lfsr32 with one shift per update (the published
  // design) makes consecutive random numbers of a p-bit nearly shifted copies
  // of each other, which measurably biases the samples (see README).
  RngKind rng = RngKind::Xorshift32;
  Schedule schedule = Schedule::Chromatic;
  int async_period = 4;  // [1,65536] async: p = 1/async_period, one sweep = async_period cycles
  BetaMode beta_mode = BetaMode::Lut;

  // Throws pbit::Error naming the first out-of-range field.
  void validate() const;
  std::int32_t weight_max() const { return (1 << (weight_bits - 1)) - 1; }
  std::int32_t weight_min() const { return -(1 << (weight_bits - 1)); }
  std::int32_t sum_max() const { return (1 << (sum_bits - 1)) - 1; }
  std::int32_t sum_min() const { return -(1 << (sum_bits - 1)); }
  std::int32_t lut_max() const { return (1 << (lut_bits - 1)) - 1; }
  double scale() const { return static_cast<double>(1 << frac_bits); }  // LSBs per unit
  // async: a p-bit updates in a cycle iff its timer word < this threshold.
  std::uint32_t async_threshold() const {
    return static_cast<std::uint32_t>((std::uint64_t{1} << 32) / static_cast<std::uint64_t>(async_period));
  }
  // Clock cycles per sweep: one per colour (chromatic) or async_period (async).
  int cycles_per_sweep(int num_colors) const {
    return schedule == Schedule::Chromatic ? num_colors : async_period;
  }
  // The spec's default lut_shift/lut_depth cover the whole |I| range:
  // smallest shift with (2^(sum_bits-1) >> shift) <= lut_depth.
  static int covering_shift(int sum_bits, int lut_depth);
};

// Round to nearest (ties away from zero), then saturate to weight_bits. NaN/inf
// are rejected by the problem loader; here they throw.
std::int32_t quantize_weight(double x, const NumericSpec& spec);
double dequantize(std::int32_t q, const NumericSpec& spec);

// Saturate an exact synaptic sum to sum_bits.
inline std::int32_t saturate_sum(std::int64_t s, const NumericSpec& spec) {
  if (s > spec.sum_max()) return spec.sum_max();
  if (s < spec.sum_min()) return spec.sum_min();
  return static_cast<std::int32_t>(s);
}

// ---- The gated sum (the lean array, rtl/lean): with u_s = 1 iff neighbour s
// is +1, sum_s J_s m_s = 2 sum_s u_s J_s - sum_s J_s, so
//   h + sum_s J_s m_s = offset + 2 sum_{s: m_s = +1} J_s,  offset = h - sum_s J_s,
// an exact integer identity: the hardware adds only the couplings of the +1
// neighbours to a host-written offset. It computes modulo 2^gated_acc_bits
// (two's complement wrap-around); the exact sum fits in that width, so the
// wrapped result is the exact sum and saturating it gives I bit for bit.
// The offset of p-bit i (h and its CSR couplings), exact.
inline std::int64_t gated_sum_offset(std::int32_t h, const std::int32_t* J, std::size_t degree) {
  std::int64_t o = h;
  for (std::size_t s = 0; s < degree; ++s) o -= J[s];
  return o;
}
// The accumulator width of a degree-`degree` p-bit: |h + sum J m| <=
// (degree + 1) 2^(weight_bits-1) < 2^(bits-1) with bits = weight_bits +
// ceil(log2(degree + 1)) + 1 (the full array's exact-sum width), at least sum_bits.
inline int gated_acc_bits(const NumericSpec& spec, std::size_t degree) {
  int lg = 0;
  while ((std::size_t{1} << lg) < degree + 1) ++lg;
  return std::max(spec.weight_bits + lg + 1, spec.sum_bits);
}
// What the lean hardware computes: offset (kept modulo 2^bits) plus twice the
// couplings of the +1 neighbours, wrapped to `bits`, then saturated.
inline std::int32_t gated_sum(std::int64_t offset, const std::int32_t* J, const std::int8_t* m,
                              std::size_t degree, int bits, const NumericSpec& spec) {
  const std::uint64_t mask = (bits >= 64) ? ~std::uint64_t{0} : ((std::uint64_t{1} << bits) - 1);
  std::uint64_t acc = static_cast<std::uint64_t>(offset) & mask;
  for (std::size_t s = 0; s < degree; ++s)
    if (m[s] > 0) acc = (acc + (static_cast<std::uint64_t>(static_cast<std::int64_t>(J[s])) << 1)) & mask;
  // Sign-extend the wrapped word.
  const std::int64_t v = (acc & (std::uint64_t{1} << (bits - 1)))
                             ? static_cast<std::int64_t>(acc | ~mask)
                             : static_cast<std::int64_t>(acc);
  return saturate_sum(v, spec);
}

// LUT contents for a given beta: entry k represents |I| = (k << lut_shift) LSBs
// (the midpoint of its bucket when lut_shift > 0) and holds
// round(tanh(beta * |I| * 2^-frac_bits) * (2^(lut_bits-1) - 1)).
std::vector<std::int32_t> make_lut(const NumericSpec& spec, double beta);
// `$readmemh` text: one hex word (ceil(lut_bits/4) digits) per line, no header.
std::string lut_readmemh(const std::vector<std::int32_t>& lut, const NumericSpec& spec);

// ---- RNGs: one step returns the new 32-bit state, which is also the word used.
constexpr std::uint32_t lfsr32_step(std::uint32_t s) {
  // Bits numbered 1..32 = s[0]..s[31]; feedback from taps 32,22,2,1 enters at bit 1.
  const std::uint32_t fb = ((s >> 31) ^ (s >> 21) ^ (s >> 1) ^ s) & 1u;
  return (s << 1) | fb;
}
constexpr std::uint32_t xorshift32_step(std::uint32_t s) {
  s ^= s << 13;
  s ^= s >> 17;
  s ^= s << 5;
  return s;
}
constexpr std::uint32_t rng_step(RngKind kind, std::uint32_t s) {
  return kind == RngKind::Lfsr32 ? lfsr32_step(s) : xorshift32_step(s);
}
// n steps at once (GF(2) matrix power: both RNGs are linear maps of the
// 32 state bits): the host's copy of an RNG state it cannot read back.
std::uint32_t rng_advance(RngKind kind, std::uint32_t s, std::uint64_t n);
// The same n steps applied to every state of `states` (one matrix power).
void rng_advance_all(RngKind kind, std::uint32_t* states, std::size_t count, std::uint64_t n);
// The signed random number compared against the LUT value.
constexpr std::int32_t rng_compare_value(std::uint32_t word, int lut_bits) {
  return static_cast<std::int32_t>(word) >> (32 - lut_bits);
}

// ---- Seeding. Every per-p-bit RNG state derives from one master seed:
//   x = splitmix64(splitmix64(splitmix64(master) ^ stream) ^ chain)
//   state = low32(splitmix64(x ^ cell)), replaced by 0x6D2B79F5 if zero
// (both RNG kinds lock up at zero). `cell` is the compact node index.
enum class RngStream : std::uint64_t { Sample = 0, Timer = 1 };
std::uint32_t pbit_seed(std::uint64_t master, RngStream stream, std::uint64_t chain,
                        std::uint64_t cell);

// ---- One update, scalar: the definition the SIMD kernels and the RTL must match.
inline bool pbit_decide(std::int32_t I, const std::int32_t* lut, std::uint32_t word,
                        const NumericSpec& spec) {
  const std::int32_t a = I < 0 ? -I : I;
  std::int32_t k = a >> spec.lut_shift;
  if (k > spec.lut_depth - 1) k = spec.lut_depth - 1;
  const std::int32_t v = I < 0 ? -lut[k] : lut[k];
  return v > rng_compare_value(word, spec.lut_bits);
}

// Names used on the command line and in files.
const char* to_string(RngKind k);
const char* to_string(Schedule s);
const char* to_string(BetaMode b);
RngKind parse_rng_kind(const std::string& s);   // throws pbit::Error
Schedule parse_schedule(const std::string& s);  // throws pbit::Error
BetaMode parse_beta_mode(const std::string& s); // throws pbit::Error

}  // namespace pbit

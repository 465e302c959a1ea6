#pragma once
// Portable, seedable random sources used by host-side algorithms (graph
// generators, placement, weight init). std:: distributions are not portable
// across standard libraries, so anything that must reproduce from a seed uses
// these. (The p-bit RNGs of the hardware live in the numeric spec.)
#include <cmath>
#include <cstdint>

namespace pbit {

// splitmix64 (Steele, Lea, Flood 2014): one step of the sequence, also used as
// a 64-bit mixing function.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// xoshiro256** (Blackman, Vigna 2018), seeded through splitmix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    // The standard seeding: consecutive outputs of a splitmix64 sequence.
    for (int i = 0; i < 4; ++i) s_[i] = splitmix64(seed + static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ull);
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  std::uint64_t operator()() { return next(); }
  // Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n), n > 0 (Lemire's nearly-divisionless method).
  std::uint64_t below(std::uint64_t n) {
    __extension__ using u128 = unsigned __int128;  // GCC/Clang extension; silences -Wpedantic
    u128 m = static_cast<u128>(next()) * n;
    auto lo = static_cast<std::uint64_t>(m);
    if (lo < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (lo < threshold) {
        m = static_cast<u128>(next()) * n;
        lo = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }
  // Standard normal (Box-Muller on two uniforms; portable, no cached state).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

 private:
  std::uint64_t s_[4] = {0, 0, 0, 0};
};

}  // namespace pbit

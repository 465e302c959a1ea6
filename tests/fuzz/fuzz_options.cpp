// The numeric spec and option values: every field of NumericSpec (validate,
// the covering LUT shift, the LUT for a beta), the names and lists the CLI
// passes on (weight distributions, beta schedules, RNG/schedule/beta-mode,
// placement, optimizer, readout, dataset specs) and the CLI's decimal-number
// check. Validation must accept only what the users of a value can take.
#include "fuzz_util.hpp"

#include "numbers.hpp"

#include <pbit/data/mnist.hpp>
#include <pbit/dbm/evaluate.hpp>
#include <pbit/dbm/model.hpp>
#include <pbit/dbm/trainer.hpp>
#include <pbit/error.hpp>
#include <pbit/problem.hpp>
#include <pbit/spec.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <sstream>

namespace {

template <class T>
T take(const std::uint8_t*& p, const std::uint8_t* end) {
  T v{};
  const std::size_t n = std::min<std::size_t>(sizeof(T), static_cast<std::size_t>(end - p));
  std::memcpy(&v, p, n);
  p += n;
  return v;
}

template <class F>
void expect_error_or(F f) {
  try {
    f();
  } catch (const pbit::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::uint8_t* p = data;
  const std::uint8_t* end = data + size;
  // Numeric spec: small signed values around the legal ranges, the rest raw.
  pbit::NumericSpec s;
  s.weight_bits = take<std::int8_t>(p, end);
  s.frac_bits = take<std::int8_t>(p, end);
  s.sum_bits = take<std::int8_t>(p, end);
  s.lut_depth = take<std::int16_t>(p, end);
  s.lut_shift = take<std::int8_t>(p, end);
  s.lut_bits = take<std::int8_t>(p, end);
  s.async_period = take<std::int32_t>(p, end);
  const double beta = take<double>(p, end);
  const int raw_sum = take<std::int32_t>(p, end), raw_depth = take<std::int32_t>(p, end);
  expect_error_or([&] {
    const int shift = pbit::NumericSpec::covering_shift(raw_sum, raw_depth);
    if (shift < 0 || shift > 23) __builtin_trap();
  });
  expect_error_or([&] {
    s.validate();
    const auto lut = pbit::make_lut(s, beta);
    if (lut.size() != static_cast<std::size_t>(s.lut_depth)) __builtin_trap();
    for (auto v : lut)
      if (v < 0 || v > s.lut_max()) __builtin_trap();
    if (std::isfinite(beta)) {
      const auto q = pbit::quantize_weight(beta, s);
      if (q < s.weight_min() || q > s.weight_max()) __builtin_trap();
    }
  });
  // Text values, one per line.
  std::istringstream lines(std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(end - p)));
  std::string v;
  int k = 0;
  while (std::getline(lines, v) && k < 16) {
    switch (k++ % 8) {
      case 0: expect_error_or([&] { (void)pbit::WeightDist::parse(v); }); break;
      case 1:
        expect_error_or([&] {
          for (double b : pbit::dbm::parse_beta_schedule(v))
            if (!(b > 0) || !std::isfinite(b)) __builtin_trap();
        });
        break;
      case 2:
        expect_error_or([&] { (void)pbit::parse_rng_kind(v); });
        expect_error_or([&] { (void)pbit::parse_schedule(v); });
        expect_error_or([&] { (void)pbit::parse_beta_mode(v); });
        break;
      case 3:
        expect_error_or([&] { (void)pbit::dbm::parse_placement(v); });
        expect_error_or([&] { (void)pbit::dbm::parse_optimizer(v); });
        expect_error_or([&] { (void)pbit::dbm::parse_readout(v); });
        break;
      case 4: expect_error_or([&] { (void)pbit::data::DatasetSpec::parse(v); }); break;
      default: {
        // Accepted numbers convert exactly as checked.
        for (const char* type : {"INT", "UINT", "FLOAT"}) {
          std::string x = v;
          if (!pbit::cli::check_decimal(x, type).empty()) continue;
          if (std::strcmp(type, "FLOAT") == 0) {
            char* e = nullptr;
            (void)std::strtod(x.c_str(), &e);
            if (e != x.c_str() + x.size()) __builtin_trap();
          } else if (std::strcmp(type, "UINT") == 0) {
            std::uint64_t u = 0;
            const auto r = std::from_chars(x.data(), x.data() + x.size(), u);
            if (r.ec != std::errc() || r.ptr != x.data() + x.size()) __builtin_trap();
          } else {
            std::int64_t i = 0;
            const auto r = std::from_chars(x.data(), x.data() + x.size(), i);
            if (r.ec != std::errc() || r.ptr != x.data() + x.size()) __builtin_trap();
          }
        }
      }
    }
  }
  return 0;
}

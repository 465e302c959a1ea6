// Strict decimal numbers on the command line (numbers.hpp).
#include "numbers.hpp"

#include <pbit/text_input.hpp>

#include <cctype>
#include <charconv>
#include <cstdint>

namespace pbit::cli {

// Numbers on the command line are plain decimals. CLI11 alone would take ""
// as 0, "0x10" as 16, "010" as 8 (octal) and saturate 2^64 and beyond to
// 2^64 - 1; this check runs before its conversion and range validators.
std::string check_decimal(std::string& v, const std::string& type) {
  const bool is_float = type == "FLOAT";
  const bool is_unsigned = type == "UINT";
  if (v.empty()) return "an empty value is not a number";
  std::size_t i = 0;
  const bool negative = v[0] == '-';
  if (v[0] == '+' || v[0] == '-') ++i;
  if (negative && is_unsigned) return "must be a non-negative integer (got " + visible(v) + ")";
  const std::size_t start = i;
  while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
  std::size_t digits = i - start;
  if (is_float) {
    if (i < v.size() && v[i] == '.') {
      ++i;
      const std::size_t f = i;
      while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
      digits += i - f;
    }
    if (digits > 0 && i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
      ++i;
      if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
      const std::size_t e = i;
      while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
      if (i == e) digits = 0;
    }
  }
  if (digits == 0 || i != v.size())
    return "'" + visible(v) + "' is not a decimal " + (is_float ? "number" : "integer");
  if (is_float) return {};
  // Integers: leading zeros dropped (not octal), magnitude within 64 bits.
  std::size_t first = start;
  while (first + 1 < v.size() && v[first] == '0') ++first;
  std::uint64_t magnitude = 0;
  const auto [ptr, ec] = std::from_chars(v.data() + first, v.data() + v.size(), magnitude);
  const std::uint64_t limit = is_unsigned ? UINT64_MAX : (negative ? std::uint64_t{1} << 63 : INT64_MAX);
  if (ec != std::errc() || ptr != v.data() + v.size() || magnitude > limit)
    return "'" + visible(v) + "' is out of range";
  v = (negative ? "-" : "") + v.substr(first);
  return {};
}

}  // namespace pbit::cli

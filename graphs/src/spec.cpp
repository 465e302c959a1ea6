// Graph spec parsing: "family:args" -> Graph.
#include "detail.hpp"

#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

namespace pbit::graphs {

namespace {

constexpr const char* kKnownFamilies = "chimera, pegasus, zephyr, lattice, king, regular, er, file";

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (pos == std::string::npos) return parts;
    start = pos + 1;
  }
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Strict non-negative decimal integer: digits only, no sign, no spaces.
std::uint64_t parse_u64(const std::string& family, const char* name, const std::string& text,
                        std::uint64_t max) {
  if (text.empty()) throw Error(family + ": " + name + " is missing");
  if (text[0] == '-' && all_digits(text.substr(1)))
    throw Error(family + ": " + name + " must be non-negative (got " + text + ")");
  if (!all_digits(text))
    throw Error(family + ": " + name + " is not an integer (got \"" + text + "\")");
  std::uint64_t value = 0;
  for (char c : text) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (max - digit) / 10)
      throw Error(family + ": " + name + " is too large (got " + text + ", max " +
                  std::to_string(max) + ")");
    value = value * 10 + digit;
  }
  return value;
}

int parse_int(const std::string& family, const char* name, const std::string& text) {
  return static_cast<int>(
      parse_u64(family, name, text, static_cast<std::uint64_t>(std::numeric_limits<int>::max())));
}

double parse_probability(const std::string& family, const char* name, const std::string& text) {
  if (text.empty()) throw Error(family + ": " + name + " is missing");
  // strtod also accepts hex, inf, nan and leading blanks: allow plain decimals only.
  for (char c : text)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
      throw Error(family + ": " + name + " is not a number (got \"" + text + "\")");
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value))
    throw Error(family + ": " + name + " is not a number (got \"" + text + "\")");
  if (value < 0.0 || value > 1.0)
    throw Error(family + ": " + name + " must be in [0, 1] (got " + text + ")");
  return value;
}

void expect_args(const std::string& family, const std::vector<std::string>& args, std::size_t min,
                 std::size_t max, const char* usage) {
  if (args.size() < min || args.size() > max)
    throw Error(family + ": expected " + usage + " (got " + std::to_string(args.size()) +
                " argument" + (args.size() == 1 ? "" : "s") + ")");
}

// "LxW" -> {L, W}.
std::pair<int, int> parse_dims(const std::string& family, const std::string& text) {
  const auto x = text.find('x');
  if (x == std::string::npos)
    throw Error(family + ": size must be LxW, e.g. 4x4 (got \"" + text + "\")");
  return {parse_int(family, "L", text.substr(0, x)), parse_int(family, "W", text.substr(x + 1))};
}

Graph build(const std::string& family, const std::string& rest) {
  if (family == "file") {
    if (rest.empty()) throw Error("file: path is missing");
    return read_edge_list(rest);
  }
  const std::vector<std::string> args = split(rest, ',');
  if (family == "chimera") {
    expect_args(family, args, 1, 3, "M[,N[,T]]");
    const int m = parse_int(family, "M", args[0]);
    const int n = args.size() > 1 ? parse_int(family, "N", args[1]) : m;
    const int t = args.size() > 2 ? parse_int(family, "T", args[2]) : 4;
    if (args.size() > 1 && n < 1)
      throw Error("chimera: n must be >= 1 (got " + std::to_string(n) + ")");
    return chimera(m, n, t);
  }
  if (family == "pegasus") {
    expect_args(family, args, 1, 1, "M");
    return pegasus(parse_int(family, "m", args[0]));
  }
  if (family == "zephyr") {
    expect_args(family, args, 1, 2, "M[,T]");
    const int m = parse_int(family, "m", args[0]);
    const int t = args.size() > 1 ? parse_int(family, "t", args[1]) : 4;
    return zephyr(m, t);
  }
  if (family == "lattice" || family == "king") {
    expect_args(family, args, 1, 2, "LxW[,periodic]");
    const auto [rows, cols] = parse_dims(family, args[0]);
    bool periodic = false;
    if (args.size() > 1) {
      if (args[1] != "periodic")
        throw Error(family + ": unknown option \"" + args[1] +
                    "\" (the only option is \"periodic\")");
      periodic = true;
    }
    return family == "lattice" ? lattice(rows, cols, periodic) : king(rows, cols, periodic);
  }
  if (family == "regular") {
    expect_args(family, args, 3, 3, "N,D,SEED");
    const int n = parse_int(family, "n", args[0]);
    const int d = parse_int(family, "d", args[1]);
    const std::uint64_t seed =
        parse_u64(family, "seed", args[2], std::numeric_limits<std::uint64_t>::max());
    return random_regular(n, d, seed);
  }
  if (family == "er") {
    expect_args(family, args, 3, 3, "N,P,SEED");
    const int n = parse_int(family, "n", args[0]);
    const double p = parse_probability(family, "p", args[1]);
    const std::uint64_t seed =
        parse_u64(family, "seed", args[2], std::numeric_limits<std::uint64_t>::max());
    return erdos_renyi(n, p, seed);
  }
  throw Error("unknown graph family \"" + family + "\" (known: " + kKnownFamilies + ")");
}

}  // namespace

Graph make_graph(const std::string& spec) {
  const auto colon = spec.find(':');
  if (colon == std::string::npos)
    throw Error("graph spec \"" + spec +
                "\": missing ':' (expected FAMILY:ARGS, e.g. pegasus:14; families: " +
                kKnownFamilies + ")");
  const std::string family = spec.substr(0, colon);
  try {
    return build(family, spec.substr(colon + 1));
  } catch (const Error& e) {
    if (family == "file") throw;  // already names the file and line
    throw Error("graph spec \"" + spec + "\": " + e.what());
  }
}

}  // namespace pbit::graphs

// Coordinate <-> linear label conversions of dwave-networkx (chimera_coordinates,
// pegasus_coordinates, zephyr_coordinates). A coordinate is accepted when it lies
// in its family's coordinate box (for Pegasus this includes the non-fabric
// positions, exactly as dwave-networkx's converters do).
#include "detail.hpp"

#include <pbit/error.hpp>
#include <pbit/graphs/coordinates.hpp>

#include <initializer_list>
#include <limits>
#include <string>

namespace pbit::graphs {

namespace {

void check_range(const char* family, const char* name, Label value, Label limit) {
  if (value < 0 || value >= limit)
    throw Error(std::string(family) + ": coordinate " + name + " = " + std::to_string(value) +
                " out of range [0, " + std::to_string(limit) + ")");
}

void check_shape(const char* family, const char* name, int value, int minimum) {
  if (value < minimum)
    throw Error(std::string(family) + ": " + name + " must be >= " + std::to_string(minimum) +
                " (got " + std::to_string(value) + ")");
}

// Number of coordinate positions (= linear labels) of a shape; throws if it does
// not fit a Label, so that every in-range conversion below is overflow-free.
Label label_count(const char* family, std::initializer_list<std::uint64_t> factors) {
  std::uint64_t count = 1;
  for (std::uint64_t f : factors) count = detail::mul_sat(count, f);
  if (count > static_cast<std::uint64_t>(std::numeric_limits<Label>::max()))
    throw Error(std::string(family) + ": shape too large for 64-bit labels");
  return static_cast<Label>(count);
}

void check_label(const char* family, Label q, Label count) {
  if (q < 0 || q >= count)
    throw Error(std::string(family) + ": linear label " + std::to_string(q) + " out of range [0, " +
                std::to_string(count) + ")");
}

}  // namespace

// Chimera: q = ((n*i + j)*2 + u)*t + k.
Label chimera_to_linear(const ChimeraCoord& c, int m, int n, int t) {
  check_shape("chimera", "m", m, 1);
  check_shape("chimera", "n", n, 1);
  check_shape("chimera", "t", t, 1);
  label_count("chimera", {2, static_cast<std::uint64_t>(m), static_cast<std::uint64_t>(n),
                          static_cast<std::uint64_t>(t)});
  check_range("chimera", "i", c.i, m);
  check_range("chimera", "j", c.j, n);
  check_range("chimera", "u", c.u, 2);
  check_range("chimera", "k", c.k, t);
  return ((static_cast<Label>(n) * c.i + c.j) * 2 + c.u) * t + c.k;
}

ChimeraCoord chimera_from_linear(Label q, int m, int n, int t) {
  check_shape("chimera", "m", m, 1);
  check_shape("chimera", "n", n, 1);
  check_shape("chimera", "t", t, 1);
  check_label(
      "chimera", q,
      label_count("chimera", {2, static_cast<std::uint64_t>(m), static_cast<std::uint64_t>(n),
                              static_cast<std::uint64_t>(t)}));
  ChimeraCoord c{};
  c.k = static_cast<int>(q % t);
  q /= t;
  c.u = static_cast<int>(q % 2);
  q /= 2;
  c.j = static_cast<int>(q % n);
  c.i = static_cast<int>(q / n);
  return c;
}

// Pegasus: q = ((m*u + w)*12 + k)*(m-1) + z.
Label pegasus_to_linear(const PegasusCoord& c, int m) {
  check_shape("pegasus", "m", m, 2);
  label_count("pegasus", {24, static_cast<std::uint64_t>(m), static_cast<std::uint64_t>(m) - 1});
  check_range("pegasus", "u", c.u, 2);
  check_range("pegasus", "w", c.w, m);
  check_range("pegasus", "k", c.k, 12);
  check_range("pegasus", "z", c.z, m - 1);
  return ((static_cast<Label>(m) * c.u + c.w) * 12 + c.k) * (m - 1) + c.z;
}

PegasusCoord pegasus_from_linear(Label q, int m) {
  check_shape("pegasus", "m", m, 2);
  check_label("pegasus", q,
              label_count("pegasus",
                          {24, static_cast<std::uint64_t>(m), static_cast<std::uint64_t>(m) - 1}));
  PegasusCoord c{};
  c.z = static_cast<int>(q % (m - 1));
  q /= (m - 1);
  c.k = static_cast<int>(q % 12);
  q /= 12;
  c.w = static_cast<int>(q % m);
  c.u = static_cast<int>(q / m);
  return c;
}

// Zephyr: q = (((u*(2m+1) + w)*t + k)*2 + j)*m + z.
Label zephyr_to_linear(const ZephyrCoord& c, int m, int t) {
  check_shape("zephyr", "m", m, 1);
  check_shape("zephyr", "t", t, 1);
  label_count("zephyr", {4, static_cast<std::uint64_t>(t), static_cast<std::uint64_t>(m),
                         2 * static_cast<std::uint64_t>(m) + 1});
  check_range("zephyr", "u", c.u, 2);
  check_range("zephyr", "w", c.w, 2 * static_cast<Label>(m) + 1);
  check_range("zephyr", "k", c.k, t);
  check_range("zephyr", "j", c.j, 2);
  check_range("zephyr", "z", c.z, m);
  return (((static_cast<Label>(c.u) * (2 * m + 1) + c.w) * t + c.k) * 2 + c.j) * m + c.z;
}

ZephyrCoord zephyr_from_linear(Label q, int m, int t) {
  check_shape("zephyr", "m", m, 1);
  check_shape("zephyr", "t", t, 1);
  check_label(
      "zephyr", q,
      label_count("zephyr", {4, static_cast<std::uint64_t>(t), static_cast<std::uint64_t>(m),
                             2 * static_cast<std::uint64_t>(m) + 1}));
  ZephyrCoord c{};
  c.z = static_cast<int>(q % m);
  q /= m;
  c.j = static_cast<int>(q % 2);
  q /= 2;
  c.k = static_cast<int>(q % t);
  q /= t;
  c.w = static_cast<int>(q % (2 * m + 1));
  c.u = static_cast<int>(q / (2 * m + 1));
  return c;
}

std::optional<std::vector<int>> coordinates(const Graph& g, std::uint32_t index) {
  if (index >= g.num_nodes())
    throw Error("coordinates: node index " + std::to_string(index) + " out of range [0, " +
                std::to_string(g.num_nodes()) + ")");
  const auto& p = g.params();
  const Label q = g.label(index);
  switch (g.family()) {
    case Family::Chimera: {
      const auto c = chimera_from_linear(q, p.at(0), p.at(1), p.at(2));
      return std::vector<int>{c.i, c.j, c.u, c.k};
    }
    case Family::Pegasus: {
      const auto c = pegasus_from_linear(q, p.at(0));
      return std::vector<int>{c.u, c.w, c.k, c.z};
    }
    case Family::Zephyr: {
      const auto c = zephyr_from_linear(q, p.at(0), p.at(1));
      return std::vector<int>{c.u, c.w, c.k, c.j, c.z};
    }
    default:
      return std::nullopt;
  }
}

}  // namespace pbit::graphs

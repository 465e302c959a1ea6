// Argument conversions shared by the bindings (common.hpp).
#include "common.hpp"

#include <cmath>

namespace pbit::python {

namespace {

py::array numpy_asarray(const py::handle& obj, const std::string& what) {
  try {
    return py::module_::import("numpy").attr("asarray")(obj);
  } catch (const py::error_already_set& e) {
    throw Error(what + ": not an array of numbers (" + std::string(e.what()) + ")");
  }
}

}  // namespace

std::vector<std::int64_t> as_int64_vector(const py::handle& obj, const std::string& what) {
  py::array a = numpy_asarray(obj, what);
  const char kind = a.dtype().kind();
  if (a.size() == 0) return {};
  if (kind == 'f') {
    auto d = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
    const double* p = d.data();
    for (py::ssize_t k = 0; k < d.size(); ++k)
      if (!std::isfinite(p[k]) || p[k] != std::floor(p[k]) || std::abs(p[k]) > 9.0e15)
        throw Error(what + ": " + std::to_string(p[k]) + " is not an integer");
  } else if (kind != 'i' && kind != 'u' && kind != 'b') {
    throw Error(what + ": expected integers, got an array of dtype " +
                std::string(py::str(a.dtype())));
  }
  auto i = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
  if (!i) throw Error(what + ": cannot convert to int64");
  return std::vector<std::int64_t>(i.data(), i.data() + i.size());
}

std::vector<double> as_finite_vector(const py::handle& obj, const std::string& what) {
  py::array a = numpy_asarray(obj, what);
  const char kind = a.dtype().kind();
  if (kind != 'f' && kind != 'i' && kind != 'u' && kind != 'b')
    throw Error(what + ": expected numbers, got an array of dtype " +
                std::string(py::str(a.dtype())));
  auto d = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
  if (!d) throw Error(what + ": cannot convert to float64");
  std::vector<double> out(d.data(), d.data() + d.size());
  for (std::size_t k = 0; k < out.size(); ++k)
    if (!std::isfinite(out[k]))
      throw Error(what + "[" + std::to_string(k) + "] is not finite (NaN/inf)");
  return out;
}

std::vector<std::vector<std::int8_t>> as_states(const py::handle& obj, std::size_t n,
                                                const std::string& what, bool* was_1d) {
  py::array a = numpy_asarray(obj, what);
  if (a.ndim() != 1 && a.ndim() != 2)
    throw Error(what + ": expected a [nodes] or [chains, nodes] array of -1/+1, got " +
                std::to_string(a.ndim()) + "-D");
  if (was_1d) *was_1d = a.ndim() == 1;
  const auto rows = a.ndim() == 1 ? py::ssize_t{1} : a.shape(0);
  const auto cols = a.shape(a.ndim() - 1);
  if (static_cast<std::size_t>(cols) != n)
    throw Error(what + ": rows have " + std::to_string(cols) + " entries, the graph has " +
                std::to_string(n) + " nodes");
  const auto v = as_int64_vector(a, what);
  std::vector<std::vector<std::int8_t>> out(static_cast<std::size_t>(rows),
                                            std::vector<std::int8_t>(n));
  for (std::size_t r = 0; r < out.size(); ++r)
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t x = v[r * n + i];
      if (x != 1 && x != -1)
        throw Error(what + ": entry [" + std::to_string(r) + ", " + std::to_string(i) + "] is " +
                    std::to_string(x) + "; states are -1 or +1");
      out[r][i] = static_cast<std::int8_t>(x);
    }
  return out;
}

NumericSpec spec_or_default(const py::object& spec) {
  if (spec.is_none()) return NumericSpec{};
  if (!py::isinstance<NumericSpec>(spec))
    throw py::type_error("spec must be a pbit.NumericSpec or None");
  NumericSpec s = spec.cast<NumericSpec>();
  s.validate();
  return s;
}

}  // namespace pbit::python

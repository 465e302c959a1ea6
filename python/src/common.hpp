#pragma once
// Shared pieces of the Python bindings: NumPy conversions, argument checks and
// the per-area binding functions called by module.cpp.
#include <pbit/error.hpp>
#include <pbit/graphs/graph.hpp>
#include <pbit/problem.hpp>
#include <pbit/sampler.hpp>
#include <pbit/spec.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pbit::python {

namespace py = pybind11;

// Graphs are immutable once built; Python holds them by shared_ptr (the
// library's Problem holds shared_ptr<const Graph>: const_pointer_cast back).
using GraphPtr = std::shared_ptr<graphs::Graph>;
inline GraphPtr mutable_graph(const std::shared_ptr<const graphs::Graph>& g) {
  return std::const_pointer_cast<graphs::Graph>(g);
}

// A NumPy copy of a vector, 1-D or with the given shape (row-major).
template <class T>
py::array_t<T> to_array(const std::vector<T>& v) {
  py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}
template <class T>
py::array_t<T> to_array(const std::vector<T>& v, std::vector<py::ssize_t> shape) {
  py::array_t<T> a(shape);
  if (!v.empty()) std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

// Any array-like (list, tuple, ndarray of any numeric dtype) as a C-contiguous
// array of T; pbit::Error naming `what` if it cannot be converted or has
// another number of dimensions.
template <class T>
py::array_t<T, py::array::c_style | py::array::forcecast> as_array(const py::handle& obj,
                                                                   const std::string& what,
                                                                   int ndim) {
  py::array_t<T, py::array::c_style | py::array::forcecast> a;
  try {
    a = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(obj);
  } catch (const py::error_already_set&) {
  }
  if (!a) {
    PyErr_Clear();
    throw Error(what + ": cannot convert " +
                std::string(py::str(py::type::handle_of(obj).attr("__name__"))) +
                " to a numeric array");
  }
  if (a.ndim() != ndim)
    throw Error(what + ": expected a " + std::to_string(ndim) + "-D array, got " +
                std::to_string(a.ndim()) + "-D");
  return a;
}

// A keyword argument as T; TypeError naming it when it has another type.
template <class T>
T cast_arg(const py::handle& v, const std::string& name) {
  try {
    return v.cast<T>();
  } catch (const py::cast_error&) {
    throw py::type_error("argument '" + name + "': wrong type " +
                         std::string(py::str(py::type::handle_of(v).attr("__name__"))));
  }
}

// Integer arrays: values must be whole numbers (a float array of integers is
// accepted, 0.5 is not).
std::vector<std::int64_t> as_int64_vector(const py::handle& obj, const std::string& what);
// Finite doubles.
std::vector<double> as_finite_vector(const py::handle& obj, const std::string& what);
// +-1 states: a [n] vector or a [k, n] matrix (rows = chains); pbit::Error
// unless every entry is -1 or +1 and rows have n entries.
std::vector<std::vector<std::int8_t>> as_states(const py::handle& obj, std::size_t n,
                                                const std::string& what, bool* was_1d = nullptr);

// The sampler backend `name` with its keyword options (samplers.cpp).
std::unique_ptr<Sampler> make_backend_for(const std::string& name, const py::kwargs& options);

// The spec argument of the API: None -> the default spec.
NumericSpec spec_or_default(const py::object& spec);

void bind_graphs(py::module_& m);
void bind_problem(py::module_& m);
void bind_samplers(py::module_& m);
void bind_dbm(py::module_& m);
void bind_anneal(py::module_& m);

}  // namespace pbit::python

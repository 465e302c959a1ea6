// The extension module pbit._pbit; the package pbit (python/pbit) re-exports it.
#include "common.hpp"

#include <pbit/sim/rtl_sampler.hpp>

PYBIND11_MODULE(_pbit, m) {
  namespace pp = pbit::python;
  m.doc() = "pbit: a p-bit sparse Ising machine (the C++ library's Python bindings)";
  // The library's user-facing errors, with its messages.
  pybind11::register_exception<pbit::Error>(m, "Error", PyExc_ValueError);
  pbit::sim::register_rtl_backend();
  pp::bind_graphs(m);
  pp::bind_problem(m);
  pp::bind_samplers(m);
  pp::bind_dbm(m);
  pp::bind_anneal(m);
#ifdef PBIT_VERSION
  m.attr("__version__") = PBIT_VERSION;
#endif
}

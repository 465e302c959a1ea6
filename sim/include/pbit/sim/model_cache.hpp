#pragma once
// Builds (once) and loads the Verilator + SystemC model of a p-bit array for
// one graph and numeric spec. The RTL is emitted (`pbit rtl emit`), verilated
// with SystemC output and compiled with the board top (sim/model/board.cpp)
// into a shared library, cached under a key of everything that goes into it:
//   $PBIT_RTL_CACHE, else $XDG_CACHE_HOME/pbit/rtl, else ~/.cache/pbit/rtl.
// SystemC elaborates once per process, so a process holds one model.
#include <pbit/graphs/graph.hpp>
#include <pbit/program.hpp>
#include <pbit/rtl_emit.hpp>
#include <pbit/sim/model.hpp>

#include <memory>
#include <string>

namespace pbit::sim {

struct BuildOptions {
  rtl::Arch arch = rtl::Arch::Full;  // the design: the parallel array or the engine
  bool cell_clocks = false;  // the what-if clocking modes need CellClocks RTL
  int verilator_threads = 1; // Verilator --threads (model evaluation threads)
  bool trace = false;        // compile VCD tracing in (a separate, larger model)
  int jobs = 0;              // parallel compile jobs (0: all cores)
};

struct ModelInfo {
  std::string key;
  std::string dir;           // cache entry
  std::string library;       // the model .so
  double build_seconds = 0;  // 0 if it came from the cache
};

std::string cache_root();

// Build if needed (printing progress on stderr) and load the model library,
// then create the board. Throws pbit::Error on failure (naming the build log).
std::shared_ptr<Model> acquire_model(const Program& prog, const graphs::Graph& g,
                                     const BuildOptions& build, const ModelOptions& options,
                                     ModelInfo* info = nullptr);

// Only build (or find) the library; no SystemC elaboration.
ModelInfo build_model(const Program& prog, const graphs::Graph& g, const BuildOptions& build);

}  // namespace pbit::sim

// BackendOptions: one place that turns command-line knobs into a Sampler.
#include "cli.hpp"

#include <pbit/parallel/distributed_sampler.hpp>
#include <pbit/samplers/exact.hpp>
#include <pbit/samplers/ref.hpp>
#include <pbit/sim/rtl_sampler.hpp>
#include <pbit/board/board_sampler.hpp>
#include <pbit/rtl_emit.hpp>

#include <cmath>

namespace pbit::cli {

void BackendOptions::add_to(CLI::App& app) {
  app.add_option("--simd", simd, "ref kernel: auto | scalar | avx2 | avx512")->capture_default_str();
  app.add_option("--ref-layout", ref_layout,
                 "ref chains: auto | planes (32 chains per word) | chains (each chain alone, exact sums kept)")
      ->capture_default_str();
  app.add_option("--arithmetic", arithmetic, "exact: quantized (hardware weights) | float")
      ->capture_default_str()
      ->check(CLI::IsMember({"quantized", "float"}));
  app.add_option("--clocking", clocking,
                 "rtl: enables (system clock, bit-exact) | phase (a clock per colour) | cells "
                 "(a free-running clock per p-bit)")
      ->capture_default_str()
      ->check(CLI::IsMember({"enables", "phase", "cells"}));
  app.add_option("--clock-ns", clock_ns, "rtl: system clock period")->capture_default_str();
  app.add_option("--ratio-spread", ratio_spread, "rtl --clocking cells: relative spread of the p-bit clock periods")
      ->capture_default_str();
  app.add_option("--jitter", jitter, "rtl --clocking cells: edge jitter, fraction of a period")
      ->capture_default_str();
  app.add_option("--clock-seed", clock_seed, "rtl --clocking cells: seed of periods and jitter")
      ->capture_default_str()
      ->check(NonNegative);
  app.add_option("--trace", trace, "rtl: write a VCD waveform of the run to FILE");
  app.add_option("--arch", arch,
                 "rtl: the simulated design: full (the parallel array, a cell per p-bit) | engine (the "
                 "time-multiplexed engine: weights and states in RAM, one update lane; chromatic, enables) | "
                 "lean (the area-lean array: groups of p-bits of different colours share one datapath; "
                 "chromatic, enables, ROM LUT: --beta-mode fold)")
      ->capture_default_str()
      ->check(CLI::IsMember({"full", "engine", "lean"}));
  app.add_option("--verilator-threads", verilator_threads, "rtl: Verilator model threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--port", port, "board: serial port of the board (or the /dev/pts/N of `pbit fpga sim`)");
  app.add_option("--baud", baud, "board: baud rate")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--link-timeout-ms", link_timeout_ms, "board: answer timeout per request (plus transfer and run time)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600000));
  app.add_option("--link-retries", link_retries, "board: retries of a request after a timeout or a damaged frame")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
}

std::unique_ptr<Sampler> BackendOptions::make(const std::string& backend) const {
  if (backend == "ref") return make_ref_sampler(parse_simd_path(simd), parse_ref_layout(ref_layout));
  if (backend == "exact")
    return make_exact_sampler(arithmetic == "float" ? Arithmetic::Float : Arithmetic::Quantized);
  if (backend == "rtl") {
    if (!(clock_ns > 0) || !std::isfinite(clock_ns)) throw Error("--clock-ns must be > 0");
    if (!(ratio_spread >= 0 && ratio_spread < 1)) throw Error("--ratio-spread must be in [0, 1)");
    if (!(jitter >= 0 && jitter < 0.5)) throw Error("--jitter must be in [0, 0.5)");
    sim::RtlOptions o;
    o.model.clock_ns = clock_ns;
    o.model.clocking = clocking == "phase"   ? sim::Clocking::PhaseClocks
                       : clocking == "cells" ? sim::Clocking::CellClocks
                                             : sim::Clocking::Enables;
    o.model.ratio_spread = ratio_spread;
    o.model.jitter = jitter;
    o.model.clock_seed = clock_seed;
    o.model.trace_file = trace;
    o.build.verilator_threads = verilator_threads;
    o.build.arch = rtl::parse_arch(arch);
    return sim::make_rtl_sampler(o);
  }
  if (backend == "board") {
    board::BoardOptions o;
    o.port = port;
    o.baud = baud;
    o.link.timeout_ms = link_timeout_ms;
    o.link.retries = link_retries;
    return board::make_board_sampler(o);
  }
  return make_sampler(backend);
}

std::unique_ptr<Sampler> BackendOptions::make(const std::string& backend, const parallel::Communicator& comm) const {
  if (comm.size() == 1) return make(backend);
  // rtl would build its model in every process at once and board needs one
  // board per process; exact has no chains to divide.
  if (backend != "ref" && backend != "float")
    throw Error("backend '" + backend + "' runs as one process; under MPI use ref or float");
  // ref runs 32 chains per machine word: shares of whole words.
  return std::make_unique<parallel::DistributedSampler>(make(backend), comm, backend == "ref" ? 32 : 1);
}

bool BackendOptions::bit_exact(const std::string& backend) const {
  return backend == "ref" || backend == "board" || (backend == "rtl" && clocking == "enables");
}

}  // namespace pbit::cli

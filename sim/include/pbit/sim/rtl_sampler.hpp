#pragma once
// The `rtl` backend: the Sampler interface on the cycle-accurate Verilator +
// SystemC model of the p-bit array. Everything goes through the register map
// (TLM socket -> RTL bus), exactly as a host drives a board: weights, fields,
// LUT, seeds, clamps, run-N-sweeps, on-chip statistics. Several chains share
// the one simulated array by context switching (states and RNG states are
// saved and restored over the bus), so chain c sees exactly the streams of
// the `ref` backend's chain c.
#include <pbit/sampler.hpp>
#include <pbit/sim/model_cache.hpp>

#include <memory>

namespace pbit::sim {

struct RtlOptions {
  BuildOptions build;
  ModelOptions model;
  // Read the running chain's states over the bus (packed STATE window, as a
  // board host must) instead of peeking at the array's state_o port.
  bool bus_state_readout = false;
};

std::unique_ptr<Sampler> make_rtl_sampler(const RtlOptions& options = {});
// Adds "rtl" (default options) to the backend registry.
void register_rtl_backend();

// Counters of the last run, for benchmarks: simulated clock cycles and sweeps.
struct RtlCounters {
  std::uint64_t cycles = 0;
  std::uint64_t sweeps = 0;
  double sim_time_ns = 0;
  // The design's own counters after the last run (CYCLE_COUNT, SWEEP_COUNT:
  // running cycles and sweeps since the last configure()).
  std::uint64_t array_cycles = 0;
  std::uint64_t array_sweeps = 0;
};
// Non-null only for samplers made by make_rtl_sampler.
const RtlCounters* rtl_counters(const Sampler& s);

}  // namespace pbit::sim

#pragma once
// The `float` backend: ideal Gibbs sampling in double precision (true tanh,
// xoshiro256** per chain), the statistical truth for graphs too large to
// enumerate. Schedule::Chromatic sweeps colour classes in order;
// Schedule::Async means random-scan (N uniformly chosen single-site updates
// per sweep). The NumericSpec's widths, LUT and RNG kind are ignored.
#include <pbit/sampler.hpp>

#include <memory>

namespace pbit {

std::unique_ptr<Sampler> make_float_sampler();

}  // namespace pbit

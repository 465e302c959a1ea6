#pragma once
// Exact Boltzmann statistics by enumerating all 2^N states (N <= 24).
#include <pbit/program.hpp>
#include <pbit/sampler.hpp>

#include <cstdint>
#include <memory>
#include <vector>

namespace pbit {

constexpr int kExactMaxNodes = 24;

struct ExactResult {
  double log_z = 0;        // ln Z, Z = sum_m exp(-beta E(m))
  double free_energy = 0;  // -ln(Z) / beta (for beta > 0)
  std::vector<double> mean;  // <m_i>
  std::vector<double> corr;  // <m_i m_j> per edge
  double energy_mean = 0;
  // Probability of every state when requested: index bit i = (m_i == +1).
  std::vector<double> prob;
};

// Enumerates free p-bits only: nodes with clamp[i] != 0 are fixed at value[i]
// (conditional distribution). clamp/value may be empty (nothing clamped).
// Throws pbit::Error if more than kExactMaxNodes nodes are free.
ExactResult enumerate_exact(const Problem& problem, double beta, bool keep_distribution,
                            const std::vector<std::uint8_t>& clamp = {},
                            const std::vector<std::int8_t>& value = {});

// The `exact` backend: run() does no sampling; stats() returns the exact
// moments (averaged over chains, which differ only by their clamp values).
// Arithmetic::Quantized uses the weights the hardware would hold
// (dequantized_problem(compile(...))), Float the problem's own weights.
enum class Arithmetic { Float, Quantized };
std::unique_ptr<Sampler> make_exact_sampler(Arithmetic arithmetic);

}  // namespace pbit

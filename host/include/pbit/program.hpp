#pragma once
// A problem compiled for the hardware: quantized weights in CSR order, colours,
// LUT. Exactly what gets written into the p-bit array's registers.
#include <pbit/problem.hpp>
#include <pbit/spec.hpp>

#include <cstdint>
#include <vector>

namespace pbit {

struct Program {
  NumericSpec spec;
  double beta = 1.0;
  std::uint32_t n = 0;
  std::vector<std::uint32_t> offsets;  // CSR, size n+1 (graph->adj_offsets())
  std::vector<std::uint32_t> nbr;      // CSR neighbour indices (ascending)
  std::vector<std::int32_t> J;         // quantized coupling per CSR entry (symmetric)
  std::vector<std::int32_t> h;         // quantized field per node
  std::vector<int> color;              // colour per node (graphs::best_coloring)
  int num_colors = 0;
  std::vector<std::int32_t> lut;       // spec.lut_depth entries

  // Exact synaptic sum before saturation, for state m (+-1).
  std::int64_t raw_sum(std::uint32_t i, const std::int8_t* m) const;
  // Largest |h_i| + sum_j |J_ij| over nodes (bounds the accumulator width).
  std::int64_t max_abs_sum() const;
};

// Quantize per spec.beta_mode (see spec.hpp) and build the LUT for beta.
// Throws pbit::Error if spec is invalid or beta is not finite and >= 0.
Program compile(const Problem& problem, const NumericSpec& spec, double beta);
// Only the parts that depend on beta (LUT in Lut mode; weights in Fold mode).
void set_program_beta(Program& prog, const Problem& problem, double beta);
// A new beta for a program whose weights are already quantized: in Lut mode
// only the LUT is rebuilt (annealing never touches the weights), in Fold mode
// set_program_beta. Returns whether the weights changed.
bool change_program_beta(Program& prog, const Problem& problem, double beta);

// The quantized problem as a float problem (for the exact sampler in the
// hardware's arithmetic): J = Jq * 2^-frac_bits, h likewise; in Fold mode
// divided by beta so that beta * E matches.
Problem dequantized_problem(const Program& prog, const Problem& original);

}  // namespace pbit

#pragma once
// The per-degree cost model of a p-bit array: resources of a p-bit as a linear
// function of its degree, fitted to synthesized cells, and what it predicts
// for whole graphs and parts.
#include <pbit/graphs/graph.hpp>

#include <string>
#include <vector>

namespace pbit::fpga {

// One measured point: `cells` p-bits of degree `degree` cost `value` each.
struct DegreePoint {
  int degree = 0;
  long cells = 0;
  double value = 0;
};

// value = a + b x degree, least squares weighted by cells (b = 0 from a single degree).
struct LinearFit {
  double a = 0, b = 0;
  double at(double degree) const { return a + b * degree; }
};
LinearFit fit_per_degree(const std::vector<DegreePoint>& points);

// A p-bit costs lut.at(degree) LUTs and ff.at(degree) flip-flops; the design
// adds fixed_lut / fixed_ff once (control, LUT, bus).
struct CostModel {
  LinearFit lut, ff;
  double fixed_lut = 0, fixed_ff = 0;
};

struct Prediction {
  double lut = 0, ff = 0;
};
Prediction predict(const CostModel& m, const graphs::Graph& g);

// The largest `family:M<suffix>` (M = from, from+1, ... up to 64) whose
// prediction stays within lut_cap and ff_cap; m = 0 if not even `from` does.
struct Largest {
  int m = 0;
  std::size_t pbits = 0;
};
Largest largest_fitting(const CostModel& model, const std::string& family, int from,
                        const std::string& suffix, double lut_cap, double ff_cap);

}  // namespace pbit::fpga

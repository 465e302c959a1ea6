// The per-degree cost model (cost_model.hpp).
#include <pbit/error.hpp>
#include <pbit/fpga/cost_model.hpp>
#include <pbit/graphs/generators.hpp>

namespace pbit::fpga {

LinearFit fit_per_degree(const std::vector<DegreePoint>& points) {
  double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& p : points) {
    if (p.cells <= 0) continue;
    const double w = static_cast<double>(p.cells), x = p.degree, y = p.value;
    sw += w, sx += w * x, sy += w * y, sxx += w * x * x, sxy += w * x * y;
  }
  if (sw == 0) throw Error("cost model: no cells to fit");
  const double den = sw * sxx - sx * sx;
  // den is 0 (up to rounding) when every point has the same degree.
  const double b = den > 1e-9 * sw * sxx ? (sw * sxy - sx * sy) / den : 0;
  return {(sy - b * sx) / sw, b};
}

Prediction predict(const CostModel& m, const graphs::Graph& g) {
  double deg = 0;
  for (std::uint32_t i = 0; i < g.num_nodes(); ++i) deg += g.degree(i);
  const double n = static_cast<double>(g.num_nodes());
  return {m.fixed_lut + n * m.lut.a + m.lut.b * deg, m.fixed_ff + n * m.ff.a + m.ff.b * deg};
}

Largest largest_fitting(const CostModel& model, const std::string& family, int from,
                        const std::string& suffix, double lut_cap, double ff_cap) {
  Largest best;
  for (int k = from; k <= 64; ++k) {
    const auto g = graphs::make_graph(family + ":" + std::to_string(k) + suffix);
    const Prediction p = predict(model, g);
    if (p.lut > lut_cap || p.ff > ff_cap) break;
    best = {k, g.num_nodes()};
  }
  return best;
}

}  // namespace pbit::fpga

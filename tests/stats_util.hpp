#pragma once
// Statistical comparison of a sampler with exact enumeration, shared by the
// backend tests.
#include <pbit/graphs/graph.hpp>
#include <pbit/sampler.hpp>
#include <pbit/samplers/exact.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace pbit::testing {

// Moments over all chains and sweeps, with standard errors from the spread of
// the chains' own averages. The chains are independent, so this standard error
// already includes the autocorrelation within each chain (no guessed
// integrated autocorrelation time needed).
struct Estimate {
  std::vector<double> mean, corr, se_mean, se_corr;
  std::uint64_t samples = 0;
};

inline Estimate sample_moments(Sampler& s, const graphs::Graph& g, int burn, int sweeps) {
  const int chains = s.chains();
  const std::size_t n = g.num_nodes(), ne = g.num_edges();
  const auto& edges = g.edges();
  s.run(static_cast<std::uint64_t>(burn), false);
  s.reset_stats();
  std::vector<std::int64_t> cm(chains * n, 0), cc(chains * ne, 0);
  for (int t = 0; t < sweeps; ++t) {
    s.run(1, true);
    for (int c = 0; c < chains; ++c) {
      const auto m = s.state(c);
      for (std::size_t i = 0; i < n; ++i) cm[c * n + i] += m[i];
      for (std::size_t k = 0; k < ne; ++k) cc[c * ne + k] += m[edges[k].u] * m[edges[k].v];
    }
  }
  Estimate e;
  e.samples = static_cast<std::uint64_t>(sweeps) * chains;
  auto reduce = [&](const std::vector<std::int64_t>& sums, std::size_t width,
                    std::vector<double>& mean, std::vector<double>& se) {
    mean.assign(width, 0.0);
    se.assign(width, 0.0);
    for (std::size_t q = 0; q < width; ++q) {
      double s1 = 0, s2 = 0;
      std::int64_t total = 0;
      for (int c = 0; c < chains; ++c) {
        const double a = static_cast<double>(sums[c * width + q]) / sweeps;
        s1 += a, s2 += a * a;
        total += sums[c * width + q];
      }
      mean[q] = static_cast<double>(total) / static_cast<double>(e.samples);
      const double var = std::max(0.0, (s2 - s1 * s1 / chains) / (chains - 1));
      se[q] = std::sqrt(var / chains);
    }
  };
  reduce(cm, n, e.mean, e.se_mean);
  reduce(cc, ne, e.corr, e.se_corr);

  // The sampler's own accumulation must agree with the states it reported.
  const Stats st = s.stats();
  REQUIRE(st.samples == e.samples);
  for (std::size_t i = 0; i < n; ++i) REQUIRE(st.mean[i] == Approx(e.mean[i]).margin(1e-15));
  for (std::size_t k = 0; k < ne; ++k) REQUIRE(st.corr[k] == Approx(e.corr[k]).margin(1e-15));
  return e;
}

// Largest |estimate - exact| / tolerance over all moments; <= 1 means "agrees".
// Tolerance = 5 standard errors, the standard error being the larger of the
// between-chain estimate above and the i.i.d. value sqrt((1 - x^2) / samples)
// (a floor for moments that barely fluctuate within the run).
inline double worst_ratio(const Estimate& e, const ExactResult& x) {
  double worst = 0;
  auto check = [&](double est, double se, double exact) {
    const double iid = std::sqrt(std::max(0.0, 1 - exact * exact) / static_cast<double>(e.samples));
    const double tol = 5 * std::max(se, iid) + 1e-12;
    worst = std::max(worst, std::abs(est - exact) / tol);
  };
  for (std::size_t i = 0; i < e.mean.size(); ++i) check(e.mean[i], e.se_mean[i], x.mean[i]);
  for (std::size_t k = 0; k < e.corr.size(); ++k) check(e.corr[k], e.se_corr[k], x.corr[k]);
  return worst;
}

}  // namespace pbit::testing

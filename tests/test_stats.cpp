// Statistical truth for the bit-exact `ref` sampler: on graphs small enough to
// enumerate, its marginals and correlations match exact Boltzmann values in
// the same quantized arithmetic, for both schedules; a wrong beta, a sign
// error or a wrong LUT fails the same check; KL(empirical || exact) shrinks.
#include <pbit/graphs/generators.hpp>
#include <pbit/program.hpp>
#include <pbit/samplers/exact.hpp>
#include <pbit/samplers/ref.hpp>

#include <catch2/catch.hpp>

#include "stats_util.hpp"

#include <cmath>
#include <map>
#include <memory>

using namespace pbit;
using pbit::testing::Estimate;
using pbit::testing::sample_moments;
using pbit::testing::worst_ratio;

namespace {

std::shared_ptr<const graphs::Graph> G(const std::string& spec) {
  return std::make_shared<const graphs::Graph>(graphs::make_graph(spec));
}

// Exact law of the weights the hardware holds.
ExactResult exact_quantized(const Problem& p, const NumericSpec& spec, double beta) {
  return enumerate_exact(dequantized_problem(compile(p, spec, beta), p), beta, true);
}

// Async updates of neighbours in the same cycle bias the law by O(1/period)
// (measured: max moment error ~0.05 at period 4, ~0.006 at 32); at period 64
// the bias is below the statistical tolerance of these runs.
NumericSpec spec_for(Schedule sch) {
  NumericSpec s;
  s.schedule = sch;
  s.async_period = 64;
  return s;
}

double max_error(const Estimate& e, const ExactResult& x) {
  double m = 0;
  for (std::size_t i = 0; i < e.mean.size(); ++i) m = std::max(m, std::abs(e.mean[i] - x.mean[i]));
  for (std::size_t k = 0; k < e.corr.size(); ++k) m = std::max(m, std::abs(e.corr[k] - x.corr[k]));
  return m;
}

}  // namespace

TEST_CASE("ref matches exact enumeration in the hardware's arithmetic", "[gibbs][stats]") {
  const int chains = 128, burn = 200, sweeps = 1500;  // 192k samples per case
  for (const char* gs : {"chimera:1", "lattice:3x3", "lattice:4x4", "regular:12,3,5", "er:14,0.3,2"}) {
    const auto g = G(gs);
    const Problem p = random_problem(g, WeightDist::parse("gauss:0.6"), WeightDist::parse("gauss:0.3"), 11);
    Problem flipped = p;  // a sign error in the couplings
    for (auto& j : flipped.J) j = -j;
    for (double beta : {0.5, 1.0, 2.0})
      for (auto sch : {Schedule::Chromatic, Schedule::Async}) {
        const NumericSpec spec = spec_for(sch);
        INFO(gs << " beta " << beta << " " << to_string(sch));
        auto s = make_ref_sampler();
        s->load(p, spec, beta);
        s->configure({chains, 77, 1});
        const Estimate e = sample_moments(*s, *g, burn, sweeps);
        const double ok = worst_ratio(e, exact_quantized(p, spec, beta));
        const double wrong_beta = worst_ratio(e, exact_quantized(p, spec, 1.2 * beta));
        const double wrong_sign = worst_ratio(e, exact_quantized(flipped, spec, beta));
        INFO("worst |error|/tolerance: " << ok << "; vs 1.2 beta " << wrong_beta << "; vs -J " << wrong_sign);
        CHECK(ok <= 1.0);
        CHECK(wrong_beta > 1.0);
        CHECK(wrong_sign > 1.0);
      }
  }
}

TEST_CASE("async collisions bias the law, less so at longer periods", "[gibbs][stats]") {
  const auto g = G("lattice:4x4");
  const Problem p = random_problem(g, WeightDist::parse("gauss:0.6"), WeightDist::parse("gauss:0.3"), 11);
  std::vector<double> err;
  for (int period : {4, 64}) {
    NumericSpec spec = spec_for(Schedule::Async);
    spec.async_period = period;
    auto s = make_ref_sampler();
    s->load(p, spec, 0.5);
    s->configure({128, 3, 1});
    err.push_back(max_error(sample_moments(*s, *g, 200, 1500), exact_quantized(p, spec, 0.5)));
  }
  INFO("max moment error: period 4 " << err[0] << ", period 64 " << err[1]);
  CHECK(err[0] > 0.03);
  CHECK(err[1] < err[0] / 3);
}

TEST_CASE("a wrong LUT is detected by the same check", "[gibbs][stats]") {
  const auto g = G("chimera:1");
  const Problem p = random_problem(g, WeightDist::parse("gauss:0.6"), WeightDist::parse("gauss:0.3"), 11);
  const NumericSpec spec;
  // A coarser LUT (buckets of 2 LSBs): the hardware then samples another law
  // than exp(-beta E) of its own weights.
  NumericSpec coarse = spec;
  coarse.lut_depth = 16;
  coarse.lut_shift = 1;
  for (const auto& [name, sampled] : {std::make_pair("right LUT", spec), std::make_pair("coarse LUT", coarse)}) {
    auto s = make_ref_sampler();
    s->load(p, sampled, 1.0);
    s->configure({128, 5, 1});
    const double r = worst_ratio(sample_moments(*s, *g, 200, 1500), exact_quantized(p, spec, 1.0));
    INFO(name << ": worst |error|/tolerance " << r);
    CHECK((r <= 1.0) == (std::string(name) == "right LUT"));
  }
}

TEST_CASE("KL(empirical || exact) shrinks with more samples", "[gibbs][stats]") {
  const auto g = G("chimera:1");
  const Problem p = random_problem(g, WeightDist::parse("gauss:0.6"), WeightDist::parse("gauss:0.3"), 3);
  const NumericSpec spec;
  const ExactResult x = exact_quantized(p, spec, 1.0);
  auto s = make_ref_sampler();
  s->load(p, spec, 1.0);
  s->configure({64, 9, 1});
  s->run(100, false);
  std::map<std::uint32_t, double> counts;
  double n = 0;
  std::vector<double> kl;
  for (int checkpoint : {30, 300, 3000}) {  // sweeps x 64 chains: 1.9k, 19k, 192k samples
    while (n < checkpoint * 64.0) {
      s->run(1, false);
      for (int c = 0; c < 64; ++c) {
        const auto m = s->state(c);
        std::uint32_t idx = 0;
        for (std::size_t i = 0; i < m.size(); ++i) idx |= (m[i] > 0 ? 1u : 0u) << i;
        counts[idx] += 1;
        n += 1;
      }
    }
    double d = 0;
    for (const auto& [idx, cnt] : counts) d += cnt / n * std::log(cnt / n / x.prob[idx]);
    kl.push_back(d);
  }
  INFO("KL at 1.9k, 19k, 192k samples: " << kl[0] << ", " << kl[1] << ", " << kl[2]);
  CHECK(kl[1] < kl[0]);
  CHECK(kl[2] < kl[1]);
  // The plug-in estimate of a correct sampler is ~ (states - 1) / (2 n).
  CHECK(kl[2] < 3 * 255 / (2 * 192000.0));
}

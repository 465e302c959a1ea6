// The `float` backend against exact enumeration; determinism; clamping.
#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/samplers/exact.hpp>
#include <pbit/samplers/float_gibbs.hpp>

#include <catch2/catch.hpp>

#include "stats_util.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace {

using pbit::Problem;
using pbit::testing::Estimate;
using pbit::testing::sample_moments;
using pbit::testing::worst_ratio;

std::shared_ptr<const pbit::graphs::Graph> graph(const std::string& spec) {
  return std::make_shared<const pbit::graphs::Graph>(pbit::graphs::make_graph(spec));
}

pbit::NumericSpec spec_with(pbit::Schedule schedule) {
  pbit::NumericSpec s;
  s.schedule = schedule;
  return s;
}

}  // namespace

TEST_CASE("float sampler matches exact marginals and correlations", "[float]") {
  const int chains = 64, burn = 200, sweeps = 3000;  // 192k samples per case
  for (const char* spec : {"chimera:1", "lattice:3x3"}) {
    auto g = graph(spec);
    const Problem p = pbit::random_problem(g, pbit::WeightDist::parse("gauss:0.5"),
                                           pbit::WeightDist::parse("gauss:0.5"), 17);
    for (double beta : {0.5, 1.0, 2.0}) {
      const auto exact = pbit::enumerate_exact(p, beta, false);
      const auto wrong = pbit::enumerate_exact(p, 1.2 * beta, false);
      for (auto schedule : {pbit::Schedule::Chromatic, pbit::Schedule::Async}) {
        INFO(spec << " beta " << beta << " schedule " << pbit::to_string(schedule));
        auto s = pbit::make_float_sampler();
        s->load(p, spec_with(schedule), beta);
        pbit::SamplerConfig cfg;
        cfg.chains = chains;
        cfg.seed = 1000 + static_cast<std::uint64_t>(beta * 10);
        cfg.threads = 1;
        s->configure(cfg);
        const Estimate e = sample_moments(*s, *g, burn, sweeps);
        const double ok = worst_ratio(e, exact), bad = worst_ratio(e, wrong);
        INFO("worst |error| / tolerance: true beta " << ok << ", 1.2 beta " << bad);
        CHECK(ok <= 1.0);
        CHECK(bad > 1.0);  // the same check detects a 20 % error in beta
        CHECK(s->stats().energy_mean ==
              Approx(pbit::energy_from_moments(p, e.mean, e.corr)).margin(1e-12));
      }
    }
  }
}

TEST_CASE("float sampler: same seed, same states, whatever the thread count", "[float]") {
  auto g = graph("pegasus:2");
  const Problem p = pbit::random_problem(g, pbit::WeightDist::parse("gauss:1"),
                                         pbit::WeightDist::parse("gauss:0.3"), 5);
  for (auto schedule : {pbit::Schedule::Chromatic, pbit::Schedule::Async}) {
    INFO(pbit::to_string(schedule));
    auto run = [&](int threads, std::uint64_t seed) {
      auto s = pbit::make_float_sampler();
      s->load(p, spec_with(schedule), 1.0);
      pbit::SamplerConfig cfg;
      cfg.chains = 7;
      cfg.seed = seed;
      cfg.threads = threads;
      s->configure(cfg);
      s->run(100, true);  // enough work to use the threads
      std::vector<std::vector<std::int8_t>> states;
      for (int c = 0; c < cfg.chains; ++c) states.push_back(s->state(c));
      return std::make_pair(states, s->stats());
    };
    const auto a = run(1, 3), b = run(2, 3), c = run(0, 3), d = run(2, 4);
    CHECK(a.first == b.first);
    CHECK(a.first == c.first);
    CHECK(a.second.mean == b.second.mean);
    CHECK(a.second.corr == b.second.corr);
    CHECK(a.second.samples == 100 * 7);
    CHECK(a.first != d.first);
    CHECK(a.first[0] != a.first[1]);  // chains have their own streams
  }

  // configure() reseeds and resets; set_beta keeps states.
  auto s = pbit::make_float_sampler();
  s->load(p, pbit::NumericSpec{}, 1.0);
  pbit::SamplerConfig cfg;
  cfg.chains = 2;
  s->configure(cfg);
  CHECK(s->state(0) == std::vector<std::int8_t>(g->num_nodes(), -1));
  s->run(10, true);
  const auto after10 = s->state(1);
  s->configure(cfg);
  CHECK(s->state(1) == std::vector<std::int8_t>(g->num_nodes(), -1));
  CHECK(s->stats().samples == 0);
  CHECK(s->sweeps_done() == 0);
  s->run(10, false);
  CHECK(s->state(1) == after10);
  CHECK(s->sweeps_done() == 10);
  s->set_beta(0.5);
  CHECK(s->state(1) == after10);
}

TEST_CASE("float sampler: clamped p-bits hold their values, conditional matches exact", "[float]") {
  auto g = graph("chimera:1");
  const Problem p = pbit::random_problem(g, pbit::WeightDist::parse("gauss:0.5"),
                                         pbit::WeightDist::parse("gauss:0.5"), 23);
  const std::size_t n = g->num_nodes();
  std::vector<std::uint8_t> mask(n, 0);
  mask[0] = mask[5] = 1;
  for (auto schedule : {pbit::Schedule::Chromatic, pbit::Schedule::Async}) {
    INFO(pbit::to_string(schedule));
    const double beta = 1.0;
    auto s = pbit::make_float_sampler();
    s->load(p, spec_with(schedule), beta);
    pbit::SamplerConfig cfg;
    cfg.chains = 4;
    cfg.threads = 2;
    s->configure(cfg);
    s->set_clamp_mask(mask);
    std::vector<std::int8_t> v(n, 1);
    for (int c = 0; c < cfg.chains; ++c) {
      v[0] = (c & 1) ? 1 : -1;
      v[5] = (c & 2) ? 1 : -1;
      s->set_clamp_values(c, v);
    }
    // set_state cannot move a clamped p-bit.
    s->set_state(3, std::vector<std::int8_t>(n, -1));
    for (int t = 0; t < 200; ++t) {
      s->run(1, false);
      for (int c = 0; c < cfg.chains; ++c) {
        const auto m = s->state(c);
        REQUIRE(m[0] == ((c & 1) ? 1 : -1));
        REQUIRE(m[5] == ((c & 2) ? 1 : -1));
      }
    }

    // Conditional law: all chains clamp node 0 to +1 and node 5 to -1.
    cfg.chains = 32;
    cfg.threads = 1;
    s->configure(cfg);
    v[0] = 1;
    v[5] = -1;
    for (int c = 0; c < cfg.chains; ++c) s->set_clamp_values(c, v);
    const Estimate e = sample_moments(*s, *g, 100, 3000);
    const auto exact = pbit::enumerate_exact(p, beta, false, mask, v);
    const auto free_law = pbit::enumerate_exact(p, beta, false);
    CHECK(e.mean[0] == 1.0);
    CHECK(e.mean[5] == -1.0);
    const double ok = worst_ratio(e, exact), bad = worst_ratio(e, free_law);
    INFO("worst |error| / tolerance: conditional " << ok << ", unclamped law " << bad);
    CHECK(ok <= 1.0);
    CHECK(bad > 1.0);

    s->clear_clamps();
    s->run(20, false);
    bool moved = false;
    for (int c = 0; c < cfg.chains; ++c) moved = moved || s->state(c)[5] == 1;
    CHECK(moved);  // free again
  }
}

TEST_CASE("float sampler: argument errors", "[float]") {
  auto s = pbit::make_float_sampler();
  CHECK(s->name() == "float");
  CHECK_THROWS_AS(s->run(1, false), pbit::Error);  // nothing loaded
  auto g = graph("chimera:1");
  s->load(Problem::zeros(g), pbit::NumericSpec{}, 1.0);
  pbit::SamplerConfig cfg;
  cfg.chains = 0;
  CHECK_THROWS_AS(s->configure(cfg), pbit::Error);
  CHECK_THROWS_AS(s->state(1), pbit::Error);
  CHECK_THROWS_AS(s->set_state(0, std::vector<std::int8_t>(3, 1)), pbit::Error);
  CHECK_THROWS_AS(s->set_state(0, std::vector<std::int8_t>(8, 0)), pbit::Error);
  CHECK_THROWS_AS(s->set_clamp_mask(std::vector<std::uint8_t>(7, 0)), pbit::Error);
  CHECK_THROWS_AS(s->set_beta(-1), pbit::Error);
  CHECK_THROWS_AS(s->set_beta(NAN), pbit::Error);
}

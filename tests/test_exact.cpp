// Exact enumeration: closed forms, a plain brute force, clamping, the backend.
#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/program.hpp>
#include <pbit/samplers/exact.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <memory>
#include <vector>

namespace {

using pbit::Problem;
using pbit::graphs::Graph;

std::shared_ptr<const Graph> graph(const std::string& spec) {
  return std::make_shared<const Graph>(pbit::graphs::make_graph(spec));
}

std::shared_ptr<const Graph> labeled(
    std::vector<pbit::graphs::Label> labels,
    std::vector<std::pair<pbit::graphs::Label, pbit::graphs::Label>> edges) {
  return std::make_shared<const Graph>(pbit::graphs::Graph::from_labeled_edges(
      pbit::graphs::Family::File, {}, "test", std::move(labels), edges));
}

// Plain brute force: every state in binary order, full energy, direct sums
// (the reference the Gray-code enumeration must match).
struct Brute {
  double log_z = 0, energy_mean = 0;
  std::vector<double> mean, corr, prob;
};
Brute brute_force(const Problem& p, double beta) {
  const std::size_t n = p.num_nodes();
  const auto& edges = p.graph->edges();
  const std::uint64_t states = std::uint64_t{1} << n;
  std::vector<std::int8_t> m(n);
  std::vector<double> energies(states);
  double emin = INFINITY;
  for (std::uint64_t s = 0; s < states; ++s) {
    for (std::size_t i = 0; i < n; ++i) m[i] = ((s >> i) & 1) ? 1 : -1;
    energies[s] = p.energy(m);
    emin = std::min(emin, energies[s]);
  }
  Brute b;
  b.mean.assign(n, 0.0);
  b.corr.assign(edges.size(), 0.0);
  b.prob.assign(states, 0.0);
  double z = 0;
  for (std::uint64_t s = 0; s < states; ++s) {
    const double w = std::exp(-beta * (energies[s] - emin));
    b.prob[s] = w;
    z += w;
    b.energy_mean += w * energies[s];
    for (std::size_t i = 0; i < n; ++i) b.mean[i] += ((s >> i) & 1) ? w : -w;
    for (std::size_t k = 0; k < edges.size(); ++k)
      b.corr[k] += (((s >> edges[k].u) & 1) == ((s >> edges[k].v) & 1)) ? w : -w;
  }
  for (auto& x : b.mean) x /= z;
  for (auto& x : b.corr) x /= z;
  for (auto& x : b.prob) x /= z;
  b.energy_mean /= z;
  b.log_z = -beta * emin + std::log(z);
  return b;
}

}  // namespace

TEST_CASE("two spins: closed-form Z, marginals, correlation", "[exact]") {
  Problem p = Problem::zeros(labeled({0, 1}, {{0, 1}}));
  const double J = 0.7, h1 = -0.4, h2 = 1.1;
  p.J = {J};
  p.h = {h1, h2};
  for (double beta : {0.3, 1.0, 2.5}) {
    INFO("beta " << beta);
    const double a = 2 * std::exp(beta * J), b = 2 * std::exp(-beta * J);
    const double cp = std::cosh(beta * (h1 + h2)), cm = std::cosh(beta * (h1 - h2));
    const double sp = std::sinh(beta * (h1 + h2)), sm = std::sinh(beta * (h1 - h2));
    const double z = a * cp + b * cm;
    const double m1 = (a * sp + b * sm) / z, m2 = (a * sp - b * sm) / z;
    const double c12 = (a * cp - b * cm) / z;
    const auto r = pbit::enumerate_exact(p, beta, true);
    CHECK(r.log_z == Approx(std::log(z)).margin(1e-12));
    CHECK(r.free_energy == Approx(-std::log(z) / beta).margin(1e-12));
    CHECK(r.mean[0] == Approx(m1).margin(1e-12));
    CHECK(r.mean[1] == Approx(m2).margin(1e-12));
    CHECK(r.corr[0] == Approx(c12).margin(1e-12));
    CHECK(r.energy_mean == Approx(-J * c12 - h1 * m1 - h2 * m2).margin(1e-12));
    // Distribution: index bit i = (m_i == +1).
    REQUIRE(r.prob.size() == 4);
    auto w = [&](int s1, int s2) { return std::exp(beta * (J * s1 * s2 + h1 * s1 + h2 * s2)) / z; };
    CHECK(r.prob[0] == Approx(w(-1, -1)).margin(1e-12));
    CHECK(r.prob[1] == Approx(w(+1, -1)).margin(1e-12));
    CHECK(r.prob[2] == Approx(w(-1, +1)).margin(1e-12));
    CHECK(r.prob[3] == Approx(w(+1, +1)).margin(1e-12));
  }
}

TEST_CASE("three spins: ferromagnetic triangle and a general one", "[exact]") {
  auto tri = labeled({5, 6, 7}, {{5, 6}, {6, 7}, {5, 7}});
  SECTION("uniform triangle, no fields") {
    Problem p = Problem::zeros(tri);
    const double J = 0.8, beta = 1.3;
    p.J = {J, J, J};
    // 2 aligned states at E = -3J, 6 states with one odd spin at E = +J.
    const double z = 2 * std::exp(3 * beta * J) + 6 * std::exp(-beta * J);
    const double c = (2 * std::exp(3 * beta * J) - 2 * std::exp(-beta * J)) / z;
    const auto r = pbit::enumerate_exact(p, beta, false);
    CHECK(r.log_z == Approx(std::log(z)).margin(1e-12));
    for (double m : r.mean) CHECK(m == Approx(0.0).margin(1e-12));
    for (double x : r.corr) CHECK(x == Approx(c).margin(1e-12));
    CHECK(r.energy_mean == Approx(-3 * J * c).margin(1e-12));
    CHECK(r.prob.empty());
  }
  SECTION("general triangle against the explicit 8-term sums") {
    Problem p = Problem::zeros(tri);
    p.J = {0.9, -1.4, 0.3};  // (5,6), (5,7), (6,7)
    p.h = {0.2, -0.5, 0.8};
    const double beta = 0.9;
    double z = 0, e_sum = 0, m[3] = {0, 0, 0}, c[3] = {0, 0, 0};
    for (int s = 0; s < 8; ++s) {
      const int a = (s & 1) ? 1 : -1, b = (s & 2) ? 1 : -1, d = (s & 4) ? 1 : -1;
      const double e = -(0.9 * a * b - 1.4 * a * d + 0.3 * b * d) - (0.2 * a - 0.5 * b + 0.8 * d);
      const double w = std::exp(-beta * e);
      z += w, e_sum += w * e;
      m[0] += w * a, m[1] += w * b, m[2] += w * d;
      c[0] += w * a * b, c[1] += w * a * d, c[2] += w * b * d;
    }
    const auto r = pbit::enumerate_exact(p, beta, false);
    CHECK(r.log_z == Approx(std::log(z)).margin(1e-12));
    for (int i = 0; i < 3; ++i) CHECK(r.mean[i] == Approx(m[i] / z).margin(1e-12));
    for (int k = 0; k < 3; ++k) CHECK(r.corr[k] == Approx(c[k] / z).margin(1e-12));
    CHECK(r.energy_mean == Approx(e_sum / z).margin(1e-12));
  }
}

TEST_CASE("20 nodes: Gray-code enumeration matches a plain brute force", "[exact]") {
  auto g = graph("chimera:1,2,5");  // two K5,5 cells: 20 nodes
  REQUIRE(g->num_nodes() == 20);
  const Problem p = pbit::random_problem(g, pbit::WeightDist::parse("gauss:0.6"),
                                         pbit::WeightDist::parse("gauss:0.4"), 3);
  const double beta = 1.1;
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = pbit::enumerate_exact(p, beta, true);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  WARN("enumerate_exact N=20 with distribution: " << secs << " s");
  const Brute b = brute_force(p, beta);
  CHECK(r.log_z == Approx(b.log_z).epsilon(1e-12));
  CHECK(r.energy_mean == Approx(b.energy_mean).margin(1e-10));
  for (std::size_t i = 0; i < 20; ++i) CHECK(r.mean[i] == Approx(b.mean[i]).margin(1e-10));
  for (std::size_t k = 0; k < b.corr.size(); ++k)
    CHECK(r.corr[k] == Approx(b.corr[k]).margin(1e-10));
  REQUIRE(r.prob.size() == b.prob.size());
  double worst = 0, total = 0;
  for (std::size_t s = 0; s < b.prob.size(); ++s) {
    worst = std::max(worst, std::abs(r.prob[s] - b.prob[s]) / std::max(b.prob[s], 1e-300));
    total += r.prob[s];
  }
  CHECK(worst < 1e-9);
  CHECK(total == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("clamped conditional = renormalised slice of the full distribution", "[exact]") {
  auto g = graph("lattice:3x4");
  const Problem p = pbit::random_problem(g, pbit::WeightDist::parse("gauss:0.8"),
                                         pbit::WeightDist::parse("gauss:0.5"), 9);
  const double beta = 1.0;
  const auto full = pbit::enumerate_exact(p, beta, true);
  const std::size_t n = g->num_nodes();
  std::vector<std::uint8_t> clamp(n, 0);
  std::vector<std::int8_t> value(n, -1);
  clamp[1] = clamp[6] = clamp[11] = 1;
  value[1] = 1, value[6] = -1, value[11] = 1;
  const auto cond = pbit::enumerate_exact(p, beta, true, clamp, value);

  double slice = 0;
  std::vector<double> m(n, 0.0), c(g->num_edges(), 0.0);
  const auto consistent = [&](std::uint64_t s) {
    for (std::size_t i = 0; i < n; ++i)
      if (clamp[i] && (((s >> i) & 1) != 0) != (value[i] == 1)) return false;
    return true;
  };
  for (std::uint64_t s = 0; s < full.prob.size(); ++s)
    if (consistent(s)) slice += full.prob[s];
  REQUIRE(cond.prob.size() == full.prob.size());
  for (std::uint64_t s = 0; s < full.prob.size(); ++s) {
    const double expect = consistent(s) ? full.prob[s] / slice : 0.0;
    if (!consistent(s)) {
      REQUIRE(cond.prob[s] == 0.0);
      continue;
    }
    REQUIRE(cond.prob[s] == Approx(expect).epsilon(1e-10));
    for (std::size_t i = 0; i < n; ++i) m[i] += expect * (((s >> i) & 1) ? 1 : -1);
    for (std::size_t k = 0; k < c.size(); ++k) {
      const auto& e = g->edges()[k];
      c[k] += expect * ((((s >> e.u) & 1) == ((s >> e.v) & 1)) ? 1 : -1);
    }
  }
  for (std::size_t i = 0; i < n; ++i) CHECK(cond.mean[i] == Approx(m[i]).margin(1e-12));
  for (std::size_t k = 0; k < c.size(); ++k) CHECK(cond.corr[k] == Approx(c[k]).margin(1e-12));
  CHECK(cond.mean[1] == 1.0);
  CHECK(cond.mean[6] == -1.0);
  // ln Z_cond = ln Z + ln P(slice).
  CHECK(cond.log_z == Approx(full.log_z + std::log(slice)).epsilon(1e-12));
}

TEST_CASE("beta = 0 gives the uniform distribution", "[exact]") {
  auto g = graph("chimera:1");
  const Problem p = pbit::random_problem(g, pbit::WeightDist::parse("gauss:1"),
                                         pbit::WeightDist::parse("gauss:1"), 5);
  const auto r = pbit::enumerate_exact(p, 0.0, true);
  CHECK(r.log_z == Approx(8 * std::log(2.0)).epsilon(1e-14));
  for (double m : r.mean) CHECK(m == Approx(0.0).margin(1e-14));
  for (double c : r.corr) CHECK(c == Approx(0.0).margin(1e-14));
  for (double q : r.prob) CHECK(q == Approx(1.0 / 256).epsilon(1e-14));
  double e = 0;  // <E> = average energy over all states = 0 (every term is odd)
  CHECK(r.energy_mean == Approx(e).margin(1e-12));

  std::vector<std::uint8_t> clamp(8, 0);
  std::vector<std::int8_t> value(8, 1);
  clamp[0] = clamp[5] = 1;
  const auto rc = pbit::enumerate_exact(p, 0.0, false, clamp, value);
  CHECK(rc.log_z == Approx(6 * std::log(2.0)).epsilon(1e-14));
}

TEST_CASE("large beta stays finite (log-sum-exp)", "[exact]") {
  auto g = graph("chimera:1");
  const Problem p = pbit::random_problem(g, pbit::WeightDist::parse("gauss:1"),
                                         pbit::WeightDist::parse("gauss:1"), 6);
  const double beta = 5000;  // exp(-beta E) overflows without the shift
  const auto r = pbit::enumerate_exact(p, beta, false);
  REQUIRE(std::isfinite(r.log_z));
  // The ground state dominates: <m> is the ground state, ln Z ~ -beta E0.
  double e0 = INFINITY;
  std::vector<std::int8_t> best;
  for (int s = 0; s < 256; ++s) {
    std::vector<std::int8_t> m(8);
    for (int i = 0; i < 8; ++i) m[i] = ((s >> i) & 1) ? 1 : -1;
    if (p.energy(m) < e0) e0 = p.energy(m), best = m;
  }
  CHECK(r.log_z >= -beta * e0 * (1 - 1e-14));
  CHECK(r.log_z <= -beta * e0 + 8 * std::log(2.0));
  for (int i = 0; i < 8; ++i) CHECK(r.mean[i] == Approx(best[i]).margin(1e-6));
}

TEST_CASE("limits and argument errors", "[exact]") {
  auto g = graph("chimera:1,2,6");  // 24 nodes
  REQUIRE(g->num_nodes() == 24);
  const Problem p = pbit::random_problem(g, pbit::WeightDist::parse("gauss:0.5"),
                                         pbit::WeightDist::parse("gauss:0.5"), 4);
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = pbit::enumerate_exact(p, 1.0, false);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  WARN("enumerate_exact N=24: " << secs << " s");
  CHECK(std::isfinite(r.log_z));
  CHECK(secs < 10);

  auto big = graph("chimera:1,1,13");  // 26 nodes
  const Problem q = Problem::zeros(big);
  CHECK_THROWS_WITH(pbit::enumerate_exact(q, 1.0, false), Catch::Contains("exceeds 24"));
  // Clamping two of them brings it back to 24 free p-bits... but not with the full distribution.
  std::vector<std::uint8_t> clamp(26, 0);
  std::vector<std::int8_t> value(26, 1);
  clamp[0] = clamp[1] = 1;
  CHECK_THROWS_AS(pbit::enumerate_exact(q, 1.0, true, clamp, value), pbit::Error);
  CHECK_THROWS_WITH(pbit::enumerate_exact(q, 1.0, false, std::vector<std::uint8_t>(3, 0)),
                    Catch::Contains("clamp"));
  value[0] = 0;
  CHECK_THROWS_WITH(pbit::enumerate_exact(q, 1.0, false, clamp, value), Catch::Contains("+-1"));

  auto s = pbit::make_exact_sampler(pbit::Arithmetic::Float);
  CHECK_THROWS_WITH(s->load(q, pbit::NumericSpec{}, 1.0),
                    Catch::Contains("exact: 26 free p-bits exceeds 24"));
}

TEST_CASE("exact backend: exact moments, samples = sweeps * chains, per-chain clamps", "[exact]") {
  auto g = graph("lattice:3x3");
  const Problem p = pbit::random_problem(g, pbit::WeightDist::parse("gauss:0.5"),
                                         pbit::WeightDist::parse("gauss:0.5"), 2);
  const double beta = 1.5;
  auto s = pbit::make_sampler("exact");
  CHECK(s->name() == "exact");
  s->load(p, pbit::NumericSpec{}, beta);
  pbit::SamplerConfig cfg;
  cfg.chains = 3;
  s->configure(cfg);
  CHECK(s->stats().samples == 0);
  s->run(10, false);
  s->run(7, true);
  CHECK(s->sweeps_done() == 17);
  auto st = s->stats();
  CHECK(st.samples == 21);
  const auto r = pbit::enumerate_exact(p, beta, false);
  for (std::size_t i = 0; i < 9; ++i) CHECK(st.mean[i] == Approx(r.mean[i]).margin(1e-14));
  for (std::size_t k = 0; k < r.corr.size(); ++k)
    CHECK(st.corr[k] == Approx(r.corr[k]).margin(1e-14));
  CHECK(st.energy_mean == Approx(r.energy_mean).margin(1e-12));
  CHECK(s->state(1) == std::vector<std::int8_t>(9, -1));

  // Chains 0 and 2 clamp node 4 to +1, chain 1 to -1: stats average the conditionals.
  std::vector<std::uint8_t> mask(9, 0);
  mask[4] = 1;
  s->set_clamp_mask(mask);
  std::vector<std::int8_t> up(9, 1), down(9, -1);
  s->set_clamp_values(0, up);
  s->set_clamp_values(1, down);
  s->set_clamp_values(2, up);
  CHECK(s->state(0)[4] == 1);
  CHECK(s->state(1)[4] == -1);
  s->reset_stats();
  s->run(5, true);
  st = s->stats();
  CHECK(st.samples == 15);
  const auto rup = pbit::enumerate_exact(p, beta, false, mask, up);
  const auto rdown = pbit::enumerate_exact(p, beta, false, mask, down);
  for (std::size_t i = 0; i < 9; ++i)
    CHECK(st.mean[i] == Approx((2 * rup.mean[i] + rdown.mean[i]) / 3).margin(1e-14));
  CHECK(st.mean[4] == Approx(1.0 / 3).margin(1e-14));

  s->clear_clamps();
  s->set_beta(0.0);
  st = s->stats();
  for (double m : st.mean) CHECK(m == Approx(0.0).margin(1e-14));

  s->configure(cfg);  // resets stats
  CHECK(s->stats().samples == 0);
  CHECK(s->sweeps_done() == 0);
}

TEST_CASE("exact backend in the hardware's quantized arithmetic", "[exact]") {
  auto g = graph("chimera:1");
  const Problem p = pbit::random_problem(g, pbit::WeightDist::parse("gauss:1"),
                                         pbit::WeightDist::parse("gauss:1"), 8);
  const double beta = 0.8;
  pbit::NumericSpec spec;  // 6-bit s[4][1] weights: quantization is visible
  auto s = pbit::make_exact_sampler(pbit::Arithmetic::Quantized);
  s->load(p, spec, beta);
  s->run(1, true);
  const auto st = s->stats();
  const Problem q = pbit::dequantized_problem(pbit::compile(p, spec, beta), p);
  const auto rq = pbit::enumerate_exact(q, beta, false);
  const auto rf = pbit::enumerate_exact(p, beta, false);
  double diff = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(st.mean[i] == Approx(rq.mean[i]).margin(1e-14));
    diff = std::max(diff, std::abs(rq.mean[i] - rf.mean[i]));
  }
  CHECK(diff > 1e-6);  // the quantized problem really differs from the float one
  // energy_mean uses the problem's float weights on the quantized moments.
  CHECK(st.energy_mean == Approx(pbit::energy_from_moments(p, st.mean, st.corr)).margin(1e-14));
}

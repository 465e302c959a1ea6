// pbit compare: run two backends on the same problem, seeds and schedule.
// Bit-exact pairs (ref, rtl on the system clock) must produce identical
// states after every sweep: prints `identical` (exit 0) or the first
// divergence (exit 1). Other pairs are compared statistically: every mean
// and edge correlation must agree within 5 standard errors of the difference
// (standard errors from the spread of independent chains).
#include "cli.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

namespace pbit::cli {
namespace {

struct CompareArgs {
  ProblemOptions problem;
  SpecOptions spec;
  BackendOptions backends;
  std::vector<std::string> names = {"ref", "rtl"};
  double beta = 1.0;
  std::uint64_t sweeps = 1000;
  int chains = 1;
  std::uint64_t seed = 1;
  int clamp_every = 0;
  double tolerance = 5.0;
  bool json = false;
};

struct Moments {
  std::vector<double> mean, se;  // per moment: n means then edge correlations
};

int run_compare(const CompareArgs& a) {
  if (a.names.size() != 2) throw Error("--backends takes exactly two backends, e.g. ref,rtl");
  if (!std::isfinite(a.beta) || a.beta < 0) throw Error("--beta must be finite and >= 0");
  // No sweeps would compare nothing and pass; a NaN tolerance would fail everything.
  if (a.sweeps < 1) throw Error("--sweeps must be >= 1 (0 sweeps compare nothing)");
  if (!(a.tolerance > 0) || !std::isfinite(a.tolerance))
    throw Error("--tolerance must be a finite number of standard errors > 0");
  const NumericSpec spec = a.spec.spec();
  const Problem problem = a.problem.make();
  const auto& g = *problem.graph;
  const std::size_t n = g.num_nodes(), ne = g.num_edges();
  std::vector<std::unique_ptr<Sampler>> s;
  for (const auto& name : a.names) {
    s.push_back(a.backends.make(name));
    s.back()->load(problem, spec, a.beta);
    s.back()->configure({a.chains, a.seed, 0});
    if (a.clamp_every > 0) {
      std::vector<std::uint8_t> mask(n, 0);
      for (std::size_t i = 0; i < n; i += static_cast<std::size_t>(a.clamp_every)) mask[i] = 1;
      s.back()->set_clamp_mask(mask);
      for (int c = 0; c < a.chains; ++c) s.back()->set_clamp_values(c, std::vector<std::int8_t>(n, 1));
    }
  }
  const bool exact = a.backends.bit_exact(a.names[0]) && a.backends.bit_exact(a.names[1]);
  const auto t0 = std::chrono::steady_clock::now();
  nlohmann::json doc = {{"backends", a.names}, {"graph", g.spec()}, {"sweeps", a.sweeps},
                        {"chains", a.chains},  {"seed", a.seed},    {"spec", a.spec.to_json(spec)}};
  if (exact) {
    for (std::uint64_t t = 1; t <= a.sweeps; ++t) {
      for (auto& x : s) x->run(1, false);
      for (int c = 0; c < a.chains; ++c) {
        const auto m0 = s[0]->state(c), m1 = s[1]->state(c);
        if (m0 == m1) continue;
        std::size_t i = 0;
        while (m0[i] == m1[i]) ++i;
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (a.json) {
          doc.update({{"result", "diverged"}, {"sweep", t}, {"chain", c}, {"pbit", g.label(static_cast<std::uint32_t>(i))},
                      {"values", {m0[i], m1[i]}}, {"seconds", secs}});
          print_json(doc);
        } else {
          fmt::print("diverged at sweep {} chain {} p-bit {} (index {}): {} {:+d}, {} {:+d}\n", t, c,
                     g.label(static_cast<std::uint32_t>(i)), i, a.names[0], m0[i], a.names[1], m1[i]);
        }
        return 1;
      }
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (a.json) {
      doc.update({{"result", "identical"}, {"seconds", secs}});
      print_json(doc);
    } else {
      fmt::print("identical: {} sweeps x {} chains of {} p-bits ({}, {}) in {:.2f} s\n", a.sweeps, a.chains, n,
                 to_string(spec.schedule), to_string(spec.rng), secs);
    }
    return 0;
  }

  // Statistical: per-chain averages of every moment from the streamed states.
  if (a.chains < 2) throw Error("a statistical comparison needs --chains >= 2 (standard errors)");
  const auto& edges = g.edges();
  std::vector<Moments> mom(2);
  for (std::size_t b = 0; b < 2; ++b) {
    if (a.names[b] == "exact") {
      // Enumeration: the moments themselves (no samples, no standard error).
      s[b]->reset_stats();
      s[b]->run(1, true);
      const Stats st = s[b]->stats();
      mom[b].mean = st.mean;
      mom[b].mean.insert(mom[b].mean.end(), st.corr.begin(), st.corr.end());
      mom[b].se.assign(n + ne, 0.0);
      continue;
    }
    std::vector<double> sum(static_cast<std::size_t>(a.chains) * (n + ne), 0.0);
    s[b]->run(a.sweeps / 10, false);  // burn-in
    for (std::uint64_t t = 0; t < a.sweeps; ++t) {
      s[b]->run(1, false);
      for (int c = 0; c < a.chains; ++c) {
        const auto m = s[b]->state(c);
        double* row = &sum[static_cast<std::size_t>(c) * (n + ne)];
        for (std::size_t i = 0; i < n; ++i) row[i] += m[i];
        for (std::size_t e = 0; e < ne; ++e) row[n + e] += m[edges[e].u] * m[edges[e].v];
      }
    }
    mom[b].mean.assign(n + ne, 0.0);
    mom[b].se.assign(n + ne, 0.0);
    for (std::size_t q = 0; q < n + ne; ++q) {
      double s1 = 0, s2 = 0;
      for (int c = 0; c < a.chains; ++c) {
        const double v = sum[static_cast<std::size_t>(c) * (n + ne) + q] / static_cast<double>(a.sweeps);
        s1 += v;
        s2 += v * v;
      }
      const double C = a.chains, mean = s1 / C;
      mom[b].mean[q] = mean;
      mom[b].se[q] = std::sqrt(std::max(0.0, (s2 - s1 * mean) / (C - 1)) / C);
    }
  }
  double worst = 0, worst_diff = 0;
  std::size_t worst_q = 0;
  for (std::size_t q = 0; q < n + ne; ++q) {
    const double diff = std::abs(mom[0].mean[q] - mom[1].mean[q]);
    // Floor the standard error at the i.i.d. value of the samples taken.
    const double iid = 1.0 / std::sqrt(static_cast<double>(a.sweeps) * a.chains);
    const double se = std::max(std::hypot(mom[0].se[q], mom[1].se[q]), iid);
    if (diff / se > worst) worst = diff / se, worst_diff = diff, worst_q = q;
  }
  const bool ok = worst <= a.tolerance;
  const std::string what = worst_q < n ? fmt::format("<m_{}>", g.label(static_cast<std::uint32_t>(worst_q)))
                                       : fmt::format("<m_{} m_{}>", g.label(edges[worst_q - n].u),
                                                     g.label(edges[worst_q - n].v));
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (a.json) {
    doc.update({{"result", ok ? "agree" : "disagree"}, {"mode", "statistical"}, {"worst_moment", what},
                {"worst_abs_difference", worst_diff}, {"worst_in_standard_errors", worst},
                {"tolerance_standard_errors", a.tolerance}, {"seconds", secs}});
    print_json(doc);
  } else {
    fmt::print("{}: statistical comparison ({} and {} are not bit-exact twins)\n", ok ? "agree" : "disagree",
               a.names[0], a.names[1]);
    fmt::print("worst moment {}: |difference| {:.5f} = {:.2f} standard errors (tolerance {})\n", what,
               worst_diff, worst, a.tolerance);
  }
  return ok ? 0 : 1;
}

}  // namespace

Command add_compare_command(CLI::App& app) {
  auto a = std::make_shared<CompareArgs>();
  auto* sub = app.add_subcommand("compare", "Run two backends on the same problem and seeds; report identity or agreement");
  a->problem.add_to(*sub, true);
  sub->add_option("--backends", a->names, "two backends, e.g. ref,rtl")->delimiter(',')->capture_default_str();
  sub->add_option("--beta", a->beta, "inverse temperature")->capture_default_str();
  sub->add_option("--sweeps", a->sweeps, "sweeps")->capture_default_str()->check(NonNegative);
  sub->add_option("--chains", a->chains, "chains")->capture_default_str()->check(CLI::Range(1, 1 << 16));
  sub->add_option("--seed", a->seed, "master seed")->capture_default_str()->check(NonNegative);
  sub->add_option("--clamp-every", a->clamp_every, "clamp p-bits i % K == 0 to +1 (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 20));
  sub->add_option("--tolerance", a->tolerance, "statistical mode: standard errors allowed")->capture_default_str();
  sub->add_flag("--json", a->json, "print one JSON document on stdout");
  a->spec.add_to(*sub);
  a->backends.add_to(*sub);
  return {sub, [a] { return run_compare(*a); }};
}

}  // namespace pbit::cli

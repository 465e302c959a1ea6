// pbit quality: how close a backend's samples are to the exact Boltzmann law,
// on a graph small enough to enumerate. The what-if tool: vary --rng,
// --schedule/--async-period, --weight-bits, ... and read off the error.
#include "cli.hpp"

#include <pbit/program.hpp>
#include <pbit/sampler.hpp>
#include <pbit/samplers/exact.hpp>
#include <pbit/samplers/ref.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <unordered_map>

namespace pbit::cli {
namespace {

struct QualityArgs {
  ProblemOptions problem;
  SpecOptions spec;
  std::string backend = "ref";
  BackendOptions backends;
  std::string reference = "auto";
  double beta = 1.0;
  std::uint64_t sweeps = 2000;
  std::uint64_t burn_in = 200;
  int chains = 64;
  std::uint64_t seed = 1;
  bool json = false;
};

int run_quality(const QualityArgs& a) {
  if (!std::isfinite(a.beta) || a.beta < 0) throw Error("--beta must be finite and >= 0");
  if (a.sweeps < 1) throw Error("--sweeps must be >= 1 (quality compares samples with the exact law)");
  const NumericSpec spec = a.spec.spec();
  const Problem problem = a.problem.make();
  const std::size_t n = problem.num_nodes();
  if (n > 24) throw Error("quality: the graph has " + std::to_string(n) + " nodes; exact enumeration needs <= 24");
  // The law the backend should sample: float weights for the ideal `float`
  // backend, the hardware's quantized weights for everything else.
  const std::string reference =
      a.reference != "auto" ? a.reference : (a.backend == "float" ? "float" : "quantized");
  const Problem target =
      reference == "quantized" ? dequantized_problem(compile(problem, spec, a.beta), problem) : problem;
  const ExactResult exact = enumerate_exact(target, a.beta, true);

  auto sampler = a.backends.make(a.backend);
  sampler->load(problem, spec, a.beta);
  sampler->configure({a.chains, a.seed, 0});
  const auto t0 = std::chrono::steady_clock::now();
  sampler->run(a.burn_in, false);
  std::unordered_map<std::uint32_t, double> counts;
  const auto& edges = problem.graph->edges();
  const std::size_t ne = edges.size(), width = n + ne;
  // Per-chain sums of every moment: the chains are independent, so the spread
  // of their averages gives honest standard errors (autocorrelation included).
  std::vector<double> chain_sum(static_cast<std::size_t>(a.chains) * width, 0.0);
  for (std::uint64_t t = 0; t < a.sweeps; ++t) {
    sampler->run(1, true);
    for (int c = 0; c < a.chains; ++c) {
      const auto m = sampler->state(c);
      std::uint32_t idx = 0;
      double* row = &chain_sum[static_cast<std::size_t>(c) * width];
      for (std::size_t i = 0; i < n; ++i) {
        idx |= (m[i] > 0 ? 1u : 0u) << i;
        row[i] += m[i];
      }
      for (std::size_t e = 0; e < ne; ++e) row[n + e] += m[edges[e].u] * m[edges[e].v];
      counts[idx] += 1;
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Stats st = sampler->stats();
  const double samples = static_cast<double>(st.samples);
  double kl = 0;
  for (const auto& [idx, cnt] : counts) kl += cnt / samples * std::log(cnt / samples / exact.prob[idx]);
  double max_mean = 0, max_corr = 0, sum_mean = 0, sum_corr = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = std::abs(st.mean[i] - exact.mean[i]);
    max_mean = std::max(max_mean, d);
    sum_mean += d;
  }
  for (std::size_t e = 0; e < st.corr.size(); ++e) {
    const double d = std::abs(st.corr[e] - exact.corr[e]);
    max_corr = std::max(max_corr, d);
    sum_corr += d;
  }
  // Largest |error| in units of its standard error (needs >= 2 chains: with
  // one there is no spread to measure, and it is reported as n/a, not 0).
  const bool have_z = a.chains >= 2;
  double max_z = 0;
  if (have_z) {
    for (std::size_t q = 0; q < width; ++q) {
      double s1 = 0, s2 = 0;
      for (int c = 0; c < a.chains; ++c) {
        const double v = chain_sum[static_cast<std::size_t>(c) * width + q] / static_cast<double>(a.sweeps);
        s1 += v;
        s2 += v * v;
      }
      const double C = a.chains, mean = s1 / C;
      double se = std::sqrt(std::max(0.0, (s2 - s1 * mean) / (C - 1)) / C);
      // Chains that agree exactly have no spread: floor at the i.i.d. value.
      if (se == 0) se = 1.0 / std::sqrt(static_cast<double>(a.sweeps) * C);
      const double exact_q = q < n ? exact.mean[q] : exact.corr[q - n];
      max_z = std::max(max_z, std::abs(mean - exact_q) / se);
    }
  }
  const double mean_mean = n ? sum_mean / static_cast<double>(n) : 0;
  const double mean_corr = st.corr.empty() ? 0 : sum_corr / static_cast<double>(st.corr.size());
  // What a perfect sampler's plug-in KL would be, roughly: (states seen - 1) / (2 samples).
  const double kl_floor = (static_cast<double>(counts.size()) - 1) / (2 * samples);
  if (a.json) {
    print_json({{"backend", sampler->name()},
                {"graph", problem.graph->spec()},
                {"beta", a.beta},
                {"reference", reference},
                {"spec", a.spec.to_json(spec)},
                {"samples", st.samples},
                {"seconds", secs},
                {"max_abs_error_mean", max_mean},
                {"max_abs_error_corr", max_corr},
                {"mean_abs_error_mean", mean_mean},
                {"mean_abs_error_corr", mean_corr},
                {"max_abs_error_in_standard_errors", have_z ? nlohmann::json(max_z) : nlohmann::json()},
                {"kl_empirical_exact", kl},
                {"kl_floor_estimate", kl_floor},
                {"energy_mean", st.energy_mean},
                {"energy_mean_exact", exact.energy_mean}});
    return 0;
  }
  if (sampler->name() == "float")
    fmt::print("backend        float ({})\n", spec.schedule == Schedule::Chromatic ? "chromatic" : "random scan");
  else
    fmt::print("backend        {} (rng {}, {} schedule{})\n", sampler->name(), to_string(spec.rng),
               to_string(spec.schedule),
               spec.schedule == Schedule::Async ? fmt::format(", period {}", spec.async_period) : "");
  fmt::print("graph          {} ({} p-bits), beta {}\n", problem.graph->spec(), n, a.beta);
  fmt::print("reference      exact enumeration, {} weights\n", reference);
  fmt::print("samples        {} ({:.2f} s)\n", st.samples, secs);
  fmt::print("|error| <m_i>      max {:.5f}  mean {:.5f}\n", max_mean, mean_mean);
  fmt::print("|error| <m_i m_j>  max {:.5f}  mean {:.5f}\n", max_corr, mean_corr);
  if (have_z)
    fmt::print("worst |error|  {:.2f} standard errors (from the spread of {} chains)\n", max_z, a.chains);
  else
    fmt::print("worst |error|  n/a in standard errors (they come from the spread of chains: use --chains >= 2)\n");
  fmt::print("energy         {:.5f} (exact {:.5f})\n", st.energy_mean, exact.energy_mean);
  fmt::print("KL(emp||exact) {:.6f}  (a perfect sampler: ~{:.6f})\n", kl, kl_floor);
  return 0;
}

}  // namespace

Command add_quality_command(CLI::App& app) {
  auto a = std::make_shared<QualityArgs>();
  auto* sub = app.add_subcommand(
      "quality", "Compare a backend's samples with exact enumeration (graphs of <= 24 p-bits)");
  a->problem.add_to(*sub, true);
  sub->add_option("--backend", a->backend, "ref | float | rtl ...")->capture_default_str();
  sub->add_option("--reference", a->reference, "exact law of the quantized (hardware) or float weights; auto: float for --backend float")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "quantized", "float"}));
  sub->add_option("--beta", a->beta, "inverse temperature")->capture_default_str();
  sub->add_option("--sweeps", a->sweeps, "sweeps accumulated")->capture_default_str()->check(NonNegative);
  sub->add_option("--burn-in", a->burn_in, "sweeps discarded first")->capture_default_str()->check(NonNegative);
  sub->add_option("--chains", a->chains, "independent chains")->capture_default_str()->check(CLI::Range(1, 1 << 16));
  sub->add_option("--seed", a->seed, "master seed")->capture_default_str()->check(NonNegative);
  sub->add_flag("--json", a->json, "print one JSON document on stdout");
  a->spec.add_to(*sub);
  a->backends.add_to(*sub);
  return {sub, [a] { return run_quality(*a); }};
}

}  // namespace pbit::cli

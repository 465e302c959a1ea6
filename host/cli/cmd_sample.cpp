// pbit sample: run a backend on a problem and report moments and timing.
#include "cli.hpp"

#include <pbit/sampler.hpp>
#include <pbit/samplers/exact.hpp>
#include <pbit/samplers/ref.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace pbit::cli {
namespace {

struct SampleArgs {
  ProblemOptions problem;
  SpecOptions spec;
  std::string backend = "ref";
  BackendOptions backends;
  double beta = 1.0;
  std::uint64_t sweeps = 1000;
  std::uint64_t burn_in = 100;
  int chains = 32;
  int threads = 0;
  std::uint64_t seed = 1;
  int show = 10;
  bool json = false;
};

// Under MPI the chains are divided among the processes and their statistics
// added up exactly: the output is the one-process output (rank 0 prints it).
int run_sample(const SampleArgs& a, const parallel::Communicator& comm) {
  if (!std::isfinite(a.beta) || a.beta < 0) throw Error("--beta must be finite and >= 0");
  const NumericSpec spec = a.spec.spec();
  const Problem problem = a.problem.make();
  auto sampler = a.backends.make(a.backend, comm);
  sampler->load(problem, spec, a.beta);
  sampler->configure({a.chains, a.seed, a.threads});
  const auto t0 = std::chrono::steady_clock::now();
  sampler->run(a.burn_in, false);
  sampler->run(a.sweeps, true);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Stats st = sampler->stats();
  const auto& g = *problem.graph;
  const double updates = static_cast<double>(a.sweeps + a.burn_in) * a.chains * g.num_nodes();
  const double flips_per_ns = a.backend == "exact" || secs <= 0 ? 0.0 : updates / secs * 1e-9;
  if (comm.rank() != 0) return 0;

  double mean_abs = 0, cmin = 1, cmax = -1, csum = 0;
  for (double m : st.mean) mean_abs += std::abs(m);
  if (!st.mean.empty()) mean_abs /= static_cast<double>(st.mean.size());
  for (double c : st.corr) {
    cmin = std::min(cmin, c);
    cmax = std::max(cmax, c);
    csum += c;
  }
  const double cmean = st.corr.empty() ? 0 : csum / static_cast<double>(st.corr.size());

  if (a.json) {
    nlohmann::json means = nlohmann::json::object(), corr = nlohmann::json::array();
    for (std::uint32_t i = 0; i < g.num_nodes(); ++i) means[std::to_string(g.label(i))] = st.mean[i];
    for (std::size_t e = 0; e < g.num_edges(); ++e)
      corr.push_back({g.label(g.edges()[e].u), g.label(g.edges()[e].v), st.corr[e]});
    print_json({{"backend", sampler->name()},
                {"graph", g.spec()},
                {"nodes", g.num_nodes()},
                {"edges", g.num_edges()},
                {"beta", a.beta},
                {"sweeps", a.sweeps},
                {"burn_in", a.burn_in},
                {"chains", a.chains},
                {"seed", a.seed},
                {"samples", st.samples},
                {"spec", a.spec.to_json(spec)},
                {"processes", comm.size()},
                {"seconds", secs},
                {"flips_per_ns", flips_per_ns},
                {"energy_mean", st.energy_mean},
                {"means", means},
                {"correlations", corr}});
    return 0;
  }
  fmt::print("backend      {}\n", sampler->name());
  fmt::print("graph        {} ({} p-bits, {} couplers)\n", g.spec(), g.num_nodes(), g.num_edges());
  fmt::print("run          beta {}  sweeps {} (+{} burn-in)  chains {}  seed {}\n", a.beta, a.sweeps,
             a.burn_in, a.chains, a.seed);
  fmt::print("energy mean  {:.6f}\n", st.energy_mean);
  fmt::print("means        mean |<m>| {:.4f}\n", mean_abs);
  fmt::print("correlations mean {:.4f}  min {:.4f}  max {:.4f}\n", cmean, cmin, cmax);
  fmt::print("time         {:.3f} s", secs);
  if (comm.size() > 1) fmt::print(" on {} processes", comm.size());
  if (flips_per_ns > 0) fmt::print("  ({:.3f} flips/ns)", flips_per_ns);
  fmt::print("\n");
  const int show = std::min<int>(a.show, static_cast<int>(g.num_nodes()));
  if (show > 0) {
    fmt::print("first {} means (label: <m>)\n", show);
    for (int i = 0; i < show; ++i) fmt::print("  {:>6}: {:+.4f}\n", g.label(static_cast<std::uint32_t>(i)), st.mean[static_cast<std::size_t>(i)]);
  }
  return 0;
}

}  // namespace

Command add_sample_command(CLI::App& app) {
  auto a = std::make_shared<SampleArgs>();
  auto* sub = app.add_subcommand("sample", "Sample an Ising problem on a backend; print moments");
  a->problem.add_to(*sub, true);
  sub->add_option("--backend", a->backend, "ref | float | exact | rtl | board")
      ->capture_default_str();
  sub->add_option("--beta", a->beta, "inverse temperature")->capture_default_str();
  sub->add_option("--sweeps", a->sweeps, "sweeps accumulated")->capture_default_str()->check(NonNegative);
  sub->add_option("--burn-in", a->burn_in, "sweeps discarded first")->capture_default_str()->check(NonNegative);
  sub->add_option("--chains", a->chains, "independent chains")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  sub->add_option("--threads", a->threads, "threads (0 = all)")->capture_default_str()->check(CLI::Range(0, 1024));
  sub->add_option("--seed", a->seed, "master seed of the p-bit RNGs")->capture_default_str()->check(NonNegative);
  sub->add_option("--show", a->show, "how many node means to print")->capture_default_str();
  sub->add_flag("--json", a->json, "print one JSON document on stdout");
  a->spec.add_to(*sub);
  a->backends.add_to(*sub);
  return {sub, {}, [a](const parallel::Communicator& comm) { return run_sample(*a, comm); }};
}

}  // namespace pbit::cli

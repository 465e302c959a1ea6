// pbit anneal: find low-energy states by annealing beta on any backend.
#include "cli.hpp"

#include <pbit/anneal/anneal.hpp>
#include <pbit/anneal/planted.hpp>
#include <pbit/parallel/distributed_sampler.hpp>
#include <pbit/plot.hpp>
#include <pbit/samplers/ref.hpp>

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace pbit::cli {
namespace {

struct AnnealArgs {
  ProblemOptions problem;
  SpecOptions spec;
  std::string backend = "ref";
  BackendOptions backends;
  std::string betas = "linear:0.1,3,1000";
  std::uint64_t sweeps_per_beta = 1;
  int chains = 32;
  int threads = 1;
  std::uint64_t seed = 1;
  std::string planted;  // "ALPHA[,R]"
  std::optional<double> target, target_cut;
  int trace_points = 50;
  std::string plot;
  bool json = false;
};

// "ALPHA" or "ALPHA,R".
std::pair<double, int> parse_planted(const std::string& s) {
  const auto comma = s.find(',');
  const std::string a = s.substr(0, comma);
  char* end = nullptr;
  const double alpha = std::strtod(a.c_str(), &end);
  if (a.empty() || end != a.c_str() + a.size())
    throw Error("--planted '" + s + "': expected ALPHA[,R] (loop density, coupling bound)");
  int r = 3;
  if (comma != std::string::npos) {
    const std::string b = s.substr(comma + 1);
    const long v = std::strtol(b.c_str(), &end, 10);
    if (b.empty() || end != b.c_str() + b.size() || v < 1 || v > 1000)
      throw Error("--planted '" + s + "': the coupling bound R must be an integer in [1, 1000]");
    r = static_cast<int>(v);
  }
  return {alpha, r};
}

std::string spin_text(std::int8_t m) { return m > 0 ? "+1" : "-1"; }

// Under MPI the chains (restarts) are divided among the processes; rank 0
// prints the one-process result (times aside) and writes the plot.
int run_anneal(const AnnealArgs& a, const parallel::Communicator& comm) {
  if (a.target && a.target_cut) throw Error("give --target or --target-cut, not both");
  if (!std::isfinite(a.target.value_or(0)) || !std::isfinite(a.target_cut.value_or(0)))
    throw Error("the target must be a finite number");
  const NumericSpec spec = a.spec.spec();
  anneal::Config cfg;
  cfg.schedule = anneal::BetaSchedule::parse(a.betas);
  cfg.sweeps_per_beta = a.sweeps_per_beta;
  cfg.chains = a.chains;
  cfg.seed = a.seed;
  cfg.threads = a.threads;
  cfg.trace_points = a.trace_points;
  LoadedProblem lp;
  std::optional<double> planted_energy;
  std::string origin;
  if (!a.planted.empty()) {
    if (!a.problem.problem_file.empty()) throw Error("--planted makes its own couplings: drop --problem");
    if (a.problem.graph_spec.empty()) throw Error("--planted needs --graph SPEC");
    const auto [alpha, r] = parse_planted(a.planted);
    const auto pl = anneal::planted_problem(load_graph(a.problem.graph_spec), alpha, r, a.problem.problem_seed);
    lp.problem = pl.problem;
    planted_energy = pl.ground_energy;
    origin = fmt::format("planted: {} frustrated loops, |J| <= {}, ground energy {}", pl.loops, r, pl.ground_energy);
  } else {
    lp = a.problem.load();
  }
  if (a.target_cut && !lp.maxcut) throw Error("--target-cut needs a Max-Cut (rudy/G-set) problem");
  cfg.target = a.target ? a.target : a.target_cut ? std::optional<double>(lp.maxcut->energy_of_cut(*a.target_cut)) : planted_energy;
  const Problem& problem = lp.problem;
  const auto& g = *problem.graph;
  if (a.backend == "exact") throw Error("anneal: the exact backend does not sample chains; use ref, float, rtl or board");
  auto sampler = a.backends.make(a.backend, comm);
  const anneal::Result r = anneal::run(*sampler, problem, spec, cfg);
  if (comm.rank() != 0) return 0;
  const auto info = ref_kernel_info(parallel::local_part(*sampler).sampler);
  const std::string kernel = sampler->name() == "ref"
                                 ? fmt::format("{}, {} layout", to_string(info.path), to_string(info.layout))
                                 : "";
  auto cut = [&](double e) { return lp.maxcut ? std::optional<double>(lp.maxcut->cut(e)) : std::nullopt; };
  const double ref_energy = cfg.target ? *cfg.target : r.best_energy;

  if (!a.plot.empty()) {
    Chart ch;
    ch.title = fmt::format("{} on {}: {}", sampler->name(), g.spec(), cfg.schedule.describe());
    ch.x_label = "sweeps";
    ch.y_label = cfg.target ? "energy - target" : "energy - best found";
    Series mean, best;
    mean.name = fmt::format("mean of {} chains", a.chains);
    best.name = "lowest chain";
    for (const auto& t : r.trace) {
      mean.x.push_back(static_cast<double>(t.sweeps));
      mean.y.push_back(t.mean_energy - ref_energy);
      best.x.push_back(static_cast<double>(t.sweeps));
      best.y.push_back(t.min_energy - ref_energy);
    }
    ch.series = {mean, best};
    write_chart_png(a.plot, ch);
  }

  if (a.json) {
    nlohmann::json state = nlohmann::json::object();
    for (std::uint32_t i = 0; i < g.num_nodes(); ++i) state[std::to_string(g.label(i))] = r.best_state[i];
    nlohmann::json trace = nlohmann::json::array();
    for (const auto& t : r.trace)
      trace.push_back({{"sweeps", t.sweeps}, {"beta", t.beta}, {"mean_energy", t.mean_energy}, {"min_energy", t.min_energy}});
    auto opt = [](const std::optional<double>& x) { return x ? nlohmann::json(*x) : nlohmann::json(nullptr); };
    nlohmann::json doc = {{"backend", sampler->name()},
                          {"graph", g.spec()},
                          {"nodes", g.num_nodes()},
                          {"edges", g.num_edges()},
                          {"schedule", {{"kind", cfg.schedule.kind}, {"betas", cfg.schedule.betas.size()},
                                        {"first_beta", cfg.schedule.betas.front()}, {"last_beta", cfg.schedule.betas.back()},
                                        {"sweeps_per_beta", cfg.sweeps_per_beta}}},
                          {"chains", r.chains},
                          {"threads", a.threads},
                          {"processes", comm.size()},
                          {"seed", a.seed},
                          {"sweeps", r.sweeps},
                          {"seconds", r.seconds},
                          {"load_seconds", r.load_seconds},
                          {"flips_per_ns", r.flips_per_ns},
                          {"best_energy", r.best_energy},
                          {"best_chain", r.best_chain},
                          {"best_sweeps", r.best_sweeps},
                          {"best_state", state},
                          {"final_energies", r.final_energies},
                          {"target", opt(cfg.target)},
                          {"successes", cfg.target ? nlohmann::json(r.successes) : nlohmann::json(nullptr)},
                          {"success_probability", opt(r.success_probability)},
                          {"tts99_seconds", opt(r.tts99_seconds)},
                          {"trace", trace},
                          {"spec", a.spec.to_json(spec)}};
    if (!kernel.empty()) doc["kernel"] = {{"simd", to_string(info.path)}, {"layout", to_string(info.layout)}};
    if (lp.maxcut) {
      nlohmann::json cuts = nlohmann::json::array();
      for (double e : r.final_energies) cuts.push_back(lp.maxcut->cut(e));
      doc["best_cut"] = lp.maxcut->cut(r.best_energy);
      doc["final_cuts"] = cuts;
      doc["total_weight"] = lp.maxcut->total_weight;
    }
    if (planted_energy) doc["planted_ground_energy"] = *planted_energy;
    print_json(doc);
    return 0;
  }
  fmt::print("problem     {} ({} p-bits, {} couplers){}\n", g.spec(), g.num_nodes(), g.num_edges(),
             lp.maxcut ? fmt::format(", Max-Cut, total weight {}", lp.maxcut->total_weight) : "");
  if (!origin.empty()) fmt::print("            {}\n", origin);
  fmt::print("backend     {}{}, {} chains, {} threads{}, seed {}\n", sampler->name(),
             kernel.empty() ? "" : " (" + kernel + ")", a.chains, a.threads,
             comm.size() > 1 ? fmt::format(" in each of {} processes", comm.size()) : "", a.seed);
  fmt::print("schedule    {} x {} sweeps = {} sweeps per chain\n", cfg.schedule.describe(), cfg.sweeps_per_beta, r.sweeps);
  fmt::print("time        {:.6f} s annealing (set_beta and sweeps), {:.3f} flips/ns; {:.3f} s loading\n", r.seconds,
             r.flips_per_ns, r.load_seconds);
  const auto bc = cut(r.best_energy);
  fmt::print("best        energy {}{} (chain {}, after {} sweeps)\n", r.best_energy,
             bc ? fmt::format(", cut {}", *bc) : "", r.best_chain, r.best_sweeps);
  if (cfg.target) {
    fmt::print("target      energy {}{}: reached by {} of {} chains, p = {:.4f}\n", *cfg.target,
               cut(*cfg.target) ? fmt::format(" (cut {})", *cut(*cfg.target)) : "", r.successes, r.chains,
               *r.success_probability);
    if (r.tts99_seconds)
      fmt::print("TTS99       {:.6g} s (one restart {:.6g} s = annealing time / chains)\n", *r.tts99_seconds,
                 r.seconds / r.chains);
    else
      fmt::print("TTS99       none: no chain reached the target\n");
  }
  fmt::print("residual    sweeps   mean energy   lowest\n");
  for (const auto& t : r.trace) fmt::print("  {:>12} {:>13.6g} {:>8.6g}\n", t.sweeps, t.mean_energy, t.min_energy);
  fmt::print("final energies (chain order){}\n", lp.maxcut ? ", cut in parentheses" : "");
  for (std::size_t c = 0; c < r.final_energies.size(); ++c) {
    const auto cc = cut(r.final_energies[c]);
    fmt::print("{}{}{}", c % 8 == 0 ? "  " : " ", r.final_energies[c], cc ? fmt::format(" ({})", *cc) : "");
    if (c % 8 == 7 || c + 1 == r.final_energies.size()) fmt::print("\n");
  }
  fmt::print("best state (label:spin)\n");
  for (std::uint32_t i = 0; i < g.num_nodes(); ++i) {
    fmt::print("{}{}:{}", i % 12 == 0 ? "  " : " ", g.label(i), spin_text(r.best_state[i]));
    if (i % 12 == 11 || i + 1 == g.num_nodes()) fmt::print("\n");
  }
  if (!a.plot.empty()) fmt::print("plot        {}\n", a.plot);
  return 0;
}

}  // namespace

Command add_anneal_command(CLI::App& app) {
  auto a = std::make_shared<AnnealArgs>();
  auto* sub = app.add_subcommand("anneal", "Find low-energy states by annealing beta (any backend); time to target");
  a->problem.add_to(*sub, true);
  sub->add_option("--planted", a->planted,
                  "frustrated loops with a known ground state on --graph: ALPHA[,R] (loops per node, |J| bound; "
                  "--problem-seed); sets --target");
  sub->add_option("--backend", a->backend, "ref | float | rtl | board")->capture_default_str();
  sub->add_option("--betas", a->betas,
                  "beta schedule: linear:B0,B1,STEPS | geometric:B0,B1,STEPS | constant:B,STEPS | B1,B2,...")
      ->capture_default_str();
  sub->add_option("--sweeps-per-beta", a->sweeps_per_beta, "sweeps at each beta")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  sub->add_option("--chains", a->chains, "independent restarts")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  sub->add_option("--threads", a->threads, "threads (0 = all)")->capture_default_str()->check(CLI::Range(0, 1024));
  sub->add_option("--seed", a->seed, "master seed of the p-bit RNGs")->capture_default_str()->check(NonNegative);
  sub->add_option("--target", a->target, "target energy: success probability and TTS99");
  sub->add_option("--target-cut", a->target_cut, "Max-Cut problems: the target as a cut value");
  sub->add_option("--trace-points", a->trace_points, "residual-energy reads along the run (not timed)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000));
  sub->add_option("--plot", a->plot, "write residual energy vs sweeps as PNG");
  sub->add_flag("--json", a->json, "print one JSON document on stdout");
  a->spec.add_to(*sub);
  a->backends.add_to(*sub);
  return {sub, {}, [a](const parallel::Communicator& comm) { return run_anneal(*a, comm); }};
}

}  // namespace pbit::cli

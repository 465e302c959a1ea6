// pbit bench: p-bit updates per nanosecond of a backend on a graph, or the
// whole benchmark suite of the ref kernels (--suite).
#include "cli.hpp"

#include <pbit/sampler.hpp>
#include <pbit/samplers/ref.hpp>
#include <pbit/samplers/speed.hpp>
#include <pbit/sim/rtl_sampler.hpp>

#include <fmt/format.h>

#include <chrono>
#include <thread>

namespace pbit::cli {
namespace {

struct BenchArgs {
  ProblemOptions problem;
  SpecOptions spec;
  std::string backend = "ref";
  BackendOptions backends;
  int chains = 64;
  int threads = 1;
  double seconds = 3.0;
  double beta = 1.0;
  std::uint64_t seed = 1;
  bool suite = false;
  int rounds = 3;
  bool json = false;
};

std::string cpu_features() {
  std::string s;
  for (auto p : available_simd_paths()) s += std::string(s.empty() ? "" : " ") + to_string(p);
  return s;
}

int run_suite(const BenchArgs& a) {
  SuiteOptions o;
  ProblemOptions po = a.problem;
  if (po.problem_file.empty() && po.graph_spec.empty()) po.graph_spec = "pegasus:16";
  o.problem = po.make();
  o.spec = a.spec.spec();
  o.beta = a.beta;
  o.rounds = a.rounds;
  o.seconds = a.seconds;
  o.seed = a.seed;
  const auto rows = run_speed_suite(o);
  const auto& g = *o.problem.graph;
  if (a.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
      nlohmann::json j = {{"name", r.name},          {"simd", to_string(r.path)},   {"layout", to_string(r.used)},
                          {"chains", r.chains},      {"kind", r.what},              {"available", r.available},
                          {"flips_per_ns", r.flips_per_ns}, {"flips_per_cpu_ns", r.flips_per_cpu_ns}};
      nlohmann::json runs = nlohmann::json::array();
      for (const auto& f : r.runs) runs.push_back({{"flips_per_ns", f.flips_per_ns}, {"flips_per_cpu_ns", f.flips_per_cpu_ns}});
      j["rounds"] = runs;
      if (r.what != "sweeps") j["vs_baseline_cpu"] = r.vs_baseline;
      out.push_back(j);
    }
    print_json({{"graph", g.spec()},
                {"nodes", g.num_nodes()},
                {"edges", g.num_edges()},
                {"beta", a.beta},
                {"threads", 1},
                {"rounds", a.rounds},
                {"seconds_per_row", a.seconds},
                {"cpu_simd_paths", cpu_features()},
                {"spec", a.spec.to_json(o.spec)},
                {"rows", out}});
    return 0;
  }
  fmt::print("suite     {} ({} p-bits, {} couplers), beta {}, 1 thread; medians of {} interleaved rounds of {} s\n",
             g.spec(), g.num_nodes(), g.num_edges(), a.beta, a.rounds, a.seconds);
  fmt::print("cpu       SIMD paths available: {}\n", cpu_features());
  fmt::print("{:<50} {:<7} {:<7} {:>12} {:>12}\n", "", "simd", "layout", "flips/ns", "per CPU-ns");
  for (const auto& r : rows) {
    std::string extra;
    if (r.what == "set_beta") extra = fmt::format("  {:.2f}x the same sweeps without set_beta", r.vs_baseline);
    if (r.what == "anneal") extra = fmt::format("  {:.2f}x 1000 sweeps at beta {} from -1", r.vs_baseline, a.beta);
    if (!r.available)
      fmt::print("{:<50} {:<7} {:<7} {:>12} {:>12}\n", r.name, to_string(r.path), "-", "n/a", "n/a");
    else
      fmt::print("{:<50} {:<7} {:<7} {:>12.3f} {:>12.3f}{}\n", r.name, to_string(r.path), to_string(r.used),
                 r.flips_per_ns, r.flips_per_cpu_ns, extra);
  }
  return 0;
}

int run_bench(const BenchArgs& a) {
  if (!(a.seconds > 0) || a.seconds > 3600) throw Error("--seconds must be in (0, 3600]");
  if (a.suite) {
    if (a.backend != "ref") throw Error("--suite measures the ref kernels; drop --backend");
    return run_suite(a);
  }
  const NumericSpec spec = a.spec.spec();
  const Problem problem = a.problem.make();
  if (a.backend == "exact") throw Error("bench: the exact backend does not sample (it enumerates); use ref, float, rtl or board");
  std::unique_ptr<Sampler> s = a.backends.make(a.backend);
  s->load(problem, spec, a.beta);
  s->configure({a.chains, a.seed, a.threads});
  const auto* rtl = sim::rtl_counters(*s);
  const std::uint64_t cycles0 = rtl ? rtl->cycles : 0;
  const SpeedFigure f = measure_sweeps(*s, problem.num_nodes(), a.seconds);
  const auto& g = *problem.graph;
  const int threads = a.threads > 0 ? a.threads : static_cast<int>(std::thread::hardware_concurrency());
  const auto info = ref_kernel_info(*s);
  const std::string simd = s->name() == "ref" ? to_string(info.path) : "none";
  const std::string layout = s->name() == "ref" ? to_string(info.layout) : "none";
  // The simulated board also reports clock cycles simulated per wall second.
  const double cycles_per_s = rtl ? static_cast<double>(rtl->cycles - cycles0) / f.seconds : 0.0;
  if (a.json) {
    nlohmann::json extra = nlohmann::json::object();
    if (rtl) extra = {{"cycles_per_second", cycles_per_s}, {"verilator_threads", a.backends.verilator_threads}};
    nlohmann::json doc = {{"graph", g.spec()},
                          {"backend", s->name()},
                          {"nodes", g.num_nodes()},
                          {"edges", g.num_edges()},
                          {"chains", a.chains},
                          {"threads", threads},
                          {"simd", simd},
                          {"layout", layout},
                          {"sweeps", f.sweeps},
                          {"seconds", f.seconds},
                          {"cpu_seconds", f.cpu_seconds},
                          {"flips_per_ns", f.flips_per_ns},
                          {"flips_per_cpu_ns", f.flips_per_cpu_ns},
                          {"spec", a.spec.to_json(spec)}};
    doc.update(extra);
    print_json(doc);
    return 0;
  }
  fmt::print("graph       {} ({} p-bits, {} couplers)\n", g.spec(), g.num_nodes(), g.num_edges());
  fmt::print("backend     {} (simd {}, {} layout), {} chains, {} threads\n", s->name(), simd, layout, a.chains, threads);
  fmt::print("sweeps      {} in {:.3f} s ({:.3f} s CPU)\n", f.sweeps, f.seconds, f.cpu_seconds);
  fmt::print("flips/ns    {:.3f} ({:.3f} per CPU-ns)\n", f.flips_per_ns, f.flips_per_cpu_ns);
  if (rtl) fmt::print("cycles/s    {:.0f} (simulated clock cycles per wall second)\n", cycles_per_s);
  return 0;
}

}  // namespace

Command add_bench_command(CLI::App& app) {
  auto a = std::make_shared<BenchArgs>();
  auto* sub = app.add_subcommand("bench", "Measure p-bit updates per nanosecond (flips/ns); --suite: every ref figure");
  a->problem.add_to(*sub, true);
  sub->add_option("--backend", a->backend, "ref | float | rtl | board")->capture_default_str();
  sub->add_option("--chains", a->chains, "independent chains")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  sub->add_option("--threads", a->threads, "threads (0 = all)")->capture_default_str()->check(CLI::Range(0, 1024));
  sub->add_option("--seconds", a->seconds, "measurement time (--suite: per row and round)")->capture_default_str();
  sub->add_option("--beta", a->beta, "inverse temperature")->capture_default_str();
  sub->add_option("--seed", a->seed, "master seed")->capture_default_str()->check(NonNegative);
  sub->add_flag("--suite", a->suite,
                "the ref kernels' figures in one run (default graph pegasus:16, 1 thread): 1 and 128 chains on every "
                "SIMD path, annealing with a new beta every sweep");
  sub->add_option("--rounds", a->rounds, "--suite: interleaved rounds (medians reported)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  sub->add_flag("--json", a->json, "print one JSON object on stdout");
  a->spec.add_to(*sub);
  a->backends.add_to(*sub);
  return {sub, [a] { return run_bench(*a); }};
}

}  // namespace pbit::cli

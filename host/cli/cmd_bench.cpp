// pbit bench: p-bit updates per nanosecond of a backend on a graph.
#include "cli.hpp"

#include <pbit/sampler.hpp>
#include <pbit/samplers/ref.hpp>
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
  bool json = false;
};

int run_bench(const BenchArgs& a) {
  if (!(a.seconds > 0) || a.seconds > 3600) throw Error("--seconds must be in (0, 3600]");
  const NumericSpec spec = a.spec.spec();
  const Problem problem = a.problem.make();
  std::unique_ptr<Sampler> s = a.backends.make(a.backend);
  if (a.backend == "exact") throw Error("bench: the exact backend does not sample (it enumerates); use ref, float, rtl or board");
  s->load(problem, spec, a.beta);
  s->configure({a.chains, a.seed, a.threads});
  using clock = std::chrono::steady_clock;
  // Calibrate a batch of about 0.1 s, then run batches for the requested time.
  std::uint64_t batch = 1;
  for (;;) {
    const auto t0 = clock::now();
    s->run(batch, false);
    const double dt = std::chrono::duration<double>(clock::now() - t0).count();
    if (dt > 0.05 || batch > (1ull << 30)) {
      batch = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(batch * 0.1 / std::max(dt, 1e-9)));
      break;
    }
    batch *= 2;
  }
  std::uint64_t sweeps = 0;
  const auto* rtl = sim::rtl_counters(*s);
  const std::uint64_t cycles0 = rtl ? rtl->cycles : 0;
  const auto t0 = clock::now();
  double dt = 0;
  do {
    s->run(batch, false);
    sweeps += batch;
    dt = std::chrono::duration<double>(clock::now() - t0).count();
  } while (dt < a.seconds);
  const auto& g = *problem.graph;
  const double updates = static_cast<double>(sweeps) * a.chains * g.num_nodes();
  const double fpns = updates / dt * 1e-9;
  const int threads = a.threads > 0 ? a.threads : static_cast<int>(std::thread::hardware_concurrency());
  const auto info = ref_kernel_info(*s);
  const std::string simd = s->name() == "ref" ? to_string(info.path) : "none";
  const std::string layout = s->name() == "ref" ? to_string(info.layout) : "none";
  // The simulated board also reports clock cycles simulated per wall second.
  const double cycles_per_s = rtl ? static_cast<double>(rtl->cycles - cycles0) / dt : 0.0;
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
                {"sweeps", sweeps},
                {"seconds", dt},
                {"flips_per_ns", fpns},
                {"spec", a.spec.to_json(spec)}};
    doc.update(extra);
    print_json(doc);
    return 0;
  }
  fmt::print("graph       {} ({} p-bits, {} couplers)\n", g.spec(), g.num_nodes(), g.num_edges());
  fmt::print("backend     {} (simd {}, {} layout), {} chains, {} threads\n", s->name(), simd, layout, a.chains, threads);
  fmt::print("sweeps      {} in {:.3f} s\n", sweeps, dt);
  fmt::print("flips/ns    {:.3f}\n", fpns);
  if (rtl) fmt::print("cycles/s    {:.0f} (simulated clock cycles per wall second)\n", cycles_per_s);
  return 0;
}

}  // namespace

Command add_bench_command(CLI::App& app) {
  auto a = std::make_shared<BenchArgs>();
  auto* sub = app.add_subcommand("bench", "Measure p-bit updates per nanosecond (flips/ns)");
  a->problem.add_to(*sub, true);
  sub->add_option("--backend", a->backend, "ref | float | rtl")->capture_default_str();
  sub->add_option("--chains", a->chains, "independent chains")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  sub->add_option("--threads", a->threads, "threads (0 = all)")->capture_default_str()->check(CLI::Range(0, 1024));
  sub->add_option("--seconds", a->seconds, "measurement time")->capture_default_str();
  sub->add_option("--beta", a->beta, "inverse temperature")->capture_default_str();
  sub->add_option("--seed", a->seed, "master seed")->capture_default_str()->check(NonNegative);
  sub->add_flag("--json", a->json, "print one JSON object on stdout");
  a->spec.add_to(*sub);
  a->backends.add_to(*sub);
  return {sub, [a] { return run_bench(*a); }};
}

}  // namespace pbit::cli

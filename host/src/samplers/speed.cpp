// Sampler speed measurements and the benchmark suite (speed.hpp).
#include <pbit/error.hpp>
#include <pbit/samplers/speed.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>

namespace pbit {
namespace {

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Timer {
  std::chrono::steady_clock::time_point w0 = std::chrono::steady_clock::now();
  double c0 = cpu_now();
  double wall() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count(); }
  double cpu() const { return cpu_now() - c0; }
};

void finish(SpeedFigure& f, std::size_t nodes, int chains) {
  const double updates = static_cast<double>(f.sweeps) * chains * static_cast<double>(nodes);
  f.flips_per_ns = f.seconds > 0 ? updates / f.seconds * 1e-9 : 0;
  f.flips_per_cpu_ns = f.cpu_seconds > 0 ? updates / f.cpu_seconds * 1e-9 : 0;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

}  // namespace

SpeedFigure measure_sweeps(Sampler& s, std::size_t nodes, double seconds) {
  // Calibrate a batch of about 0.1 s (or a tenth of the time), then batches.
  const double target = std::min(0.1, seconds / 10);
  std::uint64_t batch = 1;
  for (;;) {
    Timer t;
    s.run(batch, false);
    const double dt = t.wall();
    if (dt > target / 2 || batch > (1ull << 30)) {
      batch = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(static_cast<double>(batch) * target / std::max(dt, 1e-9)));
      break;
    }
    batch *= 2;
  }
  SpeedFigure f;
  Timer t;
  do {
    s.run(batch, false);
    f.sweeps += batch;
    f.seconds = t.wall();
  } while (f.seconds < seconds);
  f.cpu_seconds = t.cpu();
  finish(f, nodes, s.chains());
  return f;
}

PairedFigures measure_beta_changes(Sampler& s, std::size_t nodes, const SamplerConfig& config,
                                   const std::vector<double>& betas, double baseline_beta, AnnealMode mode,
                                   double seconds) {
  if (betas.empty()) throw Error("measure_beta_changes: no betas");
  PairedFigures out;
  SpeedFigure& f = out.measured;
  SpeedFigure& b = out.baseline;
  s.configure(config);
  s.set_beta(betas.front());
  s.run(100, false);  // warm
  const std::uint64_t chunk = betas.size();
  do {
    if (mode == AnnealMode::Schedule) {
      // A whole anneal from all -1, then the same from all -1 at the first
      // beta without set_beta calls.
      s.configure(config);
      s.set_beta(betas.front());
      Timer t;
      for (double x : betas) {
        s.set_beta(x);
        s.run(1, false);
      }
      f.seconds += t.wall();
      f.cpu_seconds += t.cpu();
      out.pair_ratios.push_back(t.cpu());
      s.configure(config);
      s.set_beta(baseline_beta);
      Timer u;
      s.run(chunk, false);
      b.seconds += u.wall();
      b.cpu_seconds += u.cpu();
      out.pair_ratios.back() = u.cpu() / std::max(out.pair_ratios.back(), 1e-12);
    } else {
      // The same chains go on: a chunk with a set_beta before every sweep,
      // then a chunk of plain sweeps.
      Timer t;
      for (std::uint64_t k = 0; k < chunk; ++k) {
        s.set_beta(betas.front());
        s.run(1, false);
      }
      f.seconds += t.wall();
      f.cpu_seconds += t.cpu();
      const double tf = t.cpu();
      Timer u;
      s.run(chunk, false);
      b.seconds += u.wall();
      b.cpu_seconds += u.cpu();
      out.pair_ratios.push_back(u.cpu() / std::max(tf, 1e-12));
    }
    f.sweeps += chunk;
    b.sweeps += chunk;
  } while (f.seconds + b.seconds < seconds);
  finish(f, nodes, config.chains);
  finish(b, nodes, config.chains);
  return out;
}

std::vector<SuiteRow> run_speed_suite(const SuiteOptions& o) {
  if (o.rounds < 1 || o.rounds > 100) throw Error("suite: rounds must be in [1, 100]");
  if (!(o.seconds > 0) || o.seconds > 60) throw Error("suite: seconds per row must be in (0, 60]");
  const auto avail = available_simd_paths();
  const SimdPath best = avail.back();
  auto row = [](std::string name, SimdPath p, RefLayout l, int chains, std::string what) {
    SuiteRow r;
    r.name = std::move(name);
    r.path = p;
    r.layout = l;
    r.chains = chains;
    r.what = std::move(what);
    return r;
  };
  std::vector<SuiteRow> rows = {
      row("1 chain", best, RefLayout::Auto, 1, "sweeps"),
      row("1 chain", SimdPath::Avx2, RefLayout::Auto, 1, "sweeps"),
      row("1 chain", SimdPath::Scalar, RefLayout::Auto, 1, "sweeps"),
      row("1 chain, planes layout", best, RefLayout::Planes, 1, "sweeps"),
      row("128 chains", SimdPath::Avx512, RefLayout::Auto, 128, "sweeps"),
      row("128 chains", SimdPath::Avx2, RefLayout::Auto, 128, "sweeps"),
      row("128 chains", SimdPath::Scalar, RefLayout::Auto, 128, "sweeps"),
      row("1 chain, set_beta(beta) before every sweep", best, RefLayout::Auto, 1, "set_beta"),
      row("128 chains, set_beta(beta) before every sweep", best, RefLayout::Auto, 128, "set_beta"),
      row("1 chain, anneal 0.1->3 in 1000 sweeps", best, RefLayout::Auto, 1, "anneal"),
      row("128 chains, anneal 0.1->3 in 1000 sweeps", best, RefLayout::Auto, 128, "anneal"),
  };
  std::vector<double> anneal_betas(1000);
  for (std::size_t k = 0; k < anneal_betas.size(); ++k) anneal_betas[k] = 0.1 + (3.0 - 0.1) * k / 999.0;
  const std::vector<double> same(50, o.beta);
  const std::size_t n = o.problem.num_nodes();
  for (auto& r : rows) r.available = std::find(avail.begin(), avail.end(), r.path) != avail.end();
  for (int round = 0; round < o.rounds; ++round)
    for (auto& r : rows) {
      if (!r.available) continue;
      auto s = make_ref_sampler(r.path, r.layout);
      const SamplerConfig cfg{r.chains, o.seed, 1};
      s->load(o.problem, o.spec, o.beta);
      s->configure(cfg);
      r.used = ref_kernel_info(*s).layout;
      if (r.what == "sweeps") {
        r.runs.push_back(measure_sweeps(*s, n, o.seconds));
      } else {
        const auto pf = measure_beta_changes(*s, n, cfg, r.what == "anneal" ? anneal_betas : same, o.beta,
                                             r.what == "anneal" ? AnnealMode::Schedule : AnnealMode::SameBeta,
                                             o.seconds);
        r.runs.push_back(pf.measured);
        r.ratios.insert(r.ratios.end(), pf.pair_ratios.begin(), pf.pair_ratios.end());
      }
    }
  for (auto& r : rows) {
    std::vector<double> w, c;
    for (const auto& f : r.runs) {
      w.push_back(f.flips_per_ns);
      c.push_back(f.flips_per_cpu_ns);
    }
    r.flips_per_ns = median(w);
    r.flips_per_cpu_ns = median(c);
    r.vs_baseline = median(r.ratios);
  }
  return rows;
}

}  // namespace pbit

// Annealing on any Sampler (anneal.hpp).
#include <pbit/anneal/anneal.hpp>
#include <pbit/error.hpp>
#include <pbit/parallel/distributed_sampler.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace pbit::anneal {
namespace {

std::vector<double> parse_numbers(const std::string& text, const std::string& what) {
  std::vector<double> out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t comma = text.find(',', pos);
    const std::string tok = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    char* end = nullptr;
    const double x = tok.empty() ? 0.0 : std::strtod(tok.c_str(), &end);
    // Decimal only: strtod would also read hex ("0x10"), "inf" and "nan".
    const bool decimal = tok.find_first_not_of("0123456789+-.eE") == std::string::npos;
    if (tok.empty() || !decimal || end != tok.c_str() + tok.size() || !std::isfinite(x))
      throw Error("schedule '" + what + "': '" + tok + "' is not a finite number");
    out.push_back(x);
    if (out.size() > BetaSchedule::kMaxSteps)
      throw Error("schedule '" + what + "': more than " + std::to_string(BetaSchedule::kMaxSteps) + " betas");
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

std::size_t parse_steps(double x, const std::string& what) {
  if (!(x >= 1) || x != std::floor(x) || x > static_cast<double>(BetaSchedule::kMaxSteps))
    throw Error("schedule '" + what + "': the step count must be an integer in [1, " +
                std::to_string(BetaSchedule::kMaxSteps) + "]");
  return static_cast<std::size_t>(x);
}

std::string fmt_num(double x) {
  std::ostringstream o;
  o << x;
  return o.str();
}

}  // namespace

BetaSchedule BetaSchedule::parse(const std::string& text) {
  BetaSchedule s;
  const auto colon = text.find(':');
  std::string kind = colon == std::string::npos ? "list" : text.substr(0, colon);
  const std::string rest = colon == std::string::npos ? text : text.substr(colon + 1);
  if (kind != "linear" && kind != "geometric" && kind != "constant" && kind != "list")
    throw Error("schedule '" + text + "': unknown kind '" + kind + "' (known: linear, geometric, constant, list)");
  const auto v = parse_numbers(rest, text);
  s.kind = kind;
  if (kind == "list") {
    s.betas = v;
  } else if (kind == "constant") {
    if (v.size() != 2) throw Error("schedule '" + text + "': expected constant:B,STEPS");
    s.betas.assign(parse_steps(v[1], text), v[0]);
  } else {
    if (v.size() != 3) throw Error("schedule '" + text + "': expected " + kind + ":B0,B1,STEPS");
    const std::size_t n = parse_steps(v[2], text);
    const double b0 = v[0], b1 = v[1];
    if (kind == "geometric" && !(b0 > 0 && b1 > 0))
      throw Error("schedule '" + text + "': a geometric schedule needs B0, B1 > 0");
    s.betas.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
      const double t = n == 1 ? 1.0 : static_cast<double>(k) / static_cast<double>(n - 1);
      // (weighted sums of the end points, of their logs for geometric: b0 +
      // (b1 - b0) t cancels when B0 dwarfs B1, b1 / b0 can under- or overflow)
      s.betas[k] = kind == "linear" ? (1 - t) * b0 + t * b1 : std::exp((1 - t) * std::log(b0) + t * std::log(b1));
    }
    s.betas.back() = b1;  // exactly the end point
  }
  for (double b : s.betas)
    if (!(b >= 0) || !std::isfinite(b)) throw Error("schedule '" + text + "': every beta must be finite and >= 0");
  return s;
}

std::string BetaSchedule::describe() const {
  const std::string steps = std::to_string(betas.size()) + (betas.size() == 1 ? " step" : " steps");
  if (kind == "linear" || kind == "geometric")
    return kind + " " + fmt_num(betas.front()) + " -> " + fmt_num(betas.back()) + ", " + steps;
  if (kind == "constant") return "constant " + fmt_num(betas.front()) + ", " + steps;
  return "list of " + steps;
}

double target_tolerance(double target) { return 1e-9 * std::max(1.0, std::abs(target)); }

std::optional<double> tts99(double t_run, double p) {
  if (!(p > 0)) return std::nullopt;
  if (p >= 0.99) return t_run;
  return t_run * std::log(0.01) / std::log1p(-p);
}

Result run(Sampler& sampler, const Problem& problem, const NumericSpec& spec, const Config& cfg) {
  const auto& betas = cfg.schedule.betas;
  if (betas.empty()) throw Error("anneal: the schedule has no betas");
  if (cfg.sweeps_per_beta < 1) throw Error("anneal: sweeps per beta must be >= 1");
  if (cfg.chains < 1) throw Error("anneal: chains must be >= 1");
  if (cfg.trace_points < 0) throw Error("anneal: trace points must be >= 0");
  if (cfg.sweeps_per_beta > std::numeric_limits<std::uint64_t>::max() / betas.size())
    throw Error("anneal: too many sweeps in total");
  using clock = std::chrono::steady_clock;
  Result r;
  r.chains = cfg.chains;
  // Under MPI every process anneals its share of the chains (seeded by their
  // global index), computes their energies and gathers everyone's: the
  // energies, the trace and the best state are the one-process results.
  const auto part = parallel::local_part(sampler);
  Sampler& local = part.sampler;
  const parallel::Communicator& comm = part.comm;
  const parallel::Range mine = comm.share(cfg.chains, part.unit);
  const auto l0 = clock::now();
  local.load(problem, spec, betas.front());
  if (mine.count > 0) local.configure({mine.count, cfg.seed, cfg.threads, mine.first});
  r.load_seconds = std::chrono::duration<double>(clock::now() - l0).count();

  // Read every chain, its energies; keep the lowest state seen (the first
  // chain of the lowest energy at the first read that reached it).
  std::vector<std::vector<std::int8_t>> states;
  r.best_energy = std::numeric_limits<double>::infinity();
  auto read = [&](std::uint64_t sweeps, double beta) {
    if (mine.count > 0) local.states(0, mine.count, states);
    TracePoint tp;
    tp.sweeps = sweeps;
    tp.beta = beta;
    tp.min_energy = std::numeric_limits<double>::infinity();
    double sum = 0;
    std::vector<double> e(static_cast<std::size_t>(cfg.chains));
    for (int c = mine.first; c < mine.end(); ++c)
      e[static_cast<std::size_t>(c)] = problem.energy(states[static_cast<std::size_t>(c - mine.first)]);
    parallel::gather_owned(comm, e, [&](std::size_t c) {
      return parallel::owner(static_cast<int>(c), cfg.chains, comm.size(), part.unit);
    });
    int lowest = -1;
    for (int c = 0; c < cfg.chains; ++c) {
      const double x = e[static_cast<std::size_t>(c)];
      sum += x;
      tp.min_energy = std::min(tp.min_energy, x);
      if (x < r.best_energy && (lowest < 0 || x < e[static_cast<std::size_t>(lowest)])) lowest = c;
    }
    if (lowest >= 0) {
      r.best_energy = e[static_cast<std::size_t>(lowest)];
      r.best_chain = lowest;
      r.best_sweeps = sweeps;
      // the state from the process that holds the chain
      const int holder = parallel::owner(lowest, cfg.chains, comm.size(), part.unit);
      std::vector<std::uint8_t> bytes;
      if (holder == comm.rank()) {
        const auto& st = states[static_cast<std::size_t>(lowest - mine.first)];
        parallel::append_bytes(bytes, st.data(), st.size());
      }
      comm.broadcast(bytes, holder);
      r.best_state.assign(bytes.begin(), bytes.end());
    }
    tp.mean_energy = sum / cfg.chains;
    r.trace.push_back(tp);
    return e;
  };

  // Trace after steps k where the point index changes: about trace_points
  // evenly spaced reads, and always the end.
  const std::size_t steps = betas.size();
  const std::size_t points = static_cast<std::size_t>(cfg.trace_points);
  double seconds = 0;
  std::uint64_t sweeps = 0;
  std::size_t next_point = 1;
  auto t0 = clock::now();
  for (std::size_t k = 0; k < steps; ++k) {
    if (k > 0) local.set_beta(betas[k]);
    if (mine.count > 0) local.run(cfg.sweeps_per_beta, false);
    sweeps += cfg.sweeps_per_beta;
    const bool last = k + 1 == steps;
    if (!last && points > 0 && (k + 1) * points >= next_point * steps) {
      seconds += std::chrono::duration<double>(clock::now() - t0).count();
      read(sweeps, betas[k]);
      while (next_point * steps <= (k + 1) * points) ++next_point;
      t0 = clock::now();
    }
  }
  seconds += std::chrono::duration<double>(clock::now() - t0).count();
  r.final_energies = read(sweeps, betas.back());
  r.sweeps = sweeps;
  r.seconds = seconds;
  const double updates = static_cast<double>(sweeps) * cfg.chains * static_cast<double>(problem.num_nodes());
  r.flips_per_ns = seconds > 0 ? updates / seconds * 1e-9 : 0;
  if (cfg.target) {
    const double lim = *cfg.target + target_tolerance(*cfg.target);
    for (double e : r.final_energies) r.successes += e <= lim;
    const double p = static_cast<double>(r.successes) / cfg.chains;
    r.success_probability = p;
    r.tts99_seconds = tts99(seconds / cfg.chains, p);
  }
  return r;
}

}  // namespace pbit::anneal

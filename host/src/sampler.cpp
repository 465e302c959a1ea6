#include <pbit/sampler.hpp>
#include <pbit/samplers/exact.hpp>
#include <pbit/samplers/float_gibbs.hpp>
#include <pbit/samplers/ref.hpp>
#include <pbit/resources.hpp>

#include <mutex>

namespace pbit {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, SamplerFactory> factories;
  Registry() {
    factories["ref"] = [] { return make_ref_sampler(); };
    factories["float"] = [] { return make_float_sampler(); };
    factories["exact"] = [] { return make_exact_sampler(Arithmetic::Float); };
  }
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void Sampler::states(int first, int count, std::vector<std::vector<std::int8_t>>& out) const {
  if (first < 0 || count < 0 || first > chains() - count)
    throw Error("chains [" + std::to_string(first) + ", " + std::to_string(first + count) + ") out of range [0, " +
                std::to_string(chains()) + ")");
  out.resize(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) out[static_cast<std::size_t>(k)] = state(first + k);
}

void Sampler::set_states(int first, const std::vector<std::vector<std::int8_t>>& m) {
  const auto count = static_cast<int>(m.size());
  if (first < 0 || first > chains() - count)
    throw Error("chains [" + std::to_string(first) + ", " + std::to_string(first + count) + ") out of range [0, " +
                std::to_string(chains()) + ")");
  for (int k = 0; k < count; ++k) set_state(first + k, m[static_cast<std::size_t>(k)]);
}

void register_sampler(const std::string& name, SamplerFactory factory) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.factories[name] = std::move(factory);
}

std::unique_ptr<Sampler> make_sampler(const std::string& name) {
  auto& r = registry();
  SamplerFactory f;
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    auto it = r.factories.find(name);
    if (it == r.factories.end()) {
      std::string known;
      for (const auto& kv : r.factories) known += (known.empty() ? "" : ", ") + kv.first;
      throw Error("unknown backend '" + name + "' (known: " + known + ")");
    }
    f = it->second;
  }
  return f();
}

std::vector<std::string> sampler_names() {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& kv : r.factories) names.push_back(kv.first);
  return names;
}

double energy_from_moments(const Problem& p, const std::vector<double>& mean,
                           const std::vector<double>& corr) {
  double e = 0;
  for (std::size_t k = 0; k < p.J.size(); ++k) e -= p.J[k] * corr[k];
  for (std::size_t i = 0; i < p.h.size(); ++i) e -= p.h[i] * mean[i];
  return e;
}

Stats stats_from_counts(const Problem& p, std::uint64_t samples,
                        const std::vector<std::int64_t>& plus,
                        const std::vector<std::int64_t>& agree) {
  const auto S = static_cast<std::int64_t>(samples);
  std::vector<std::int64_t> sum_m(plus.size()), sum_c(agree.size());
  for (std::size_t i = 0; i < plus.size(); ++i) sum_m[i] = 2 * plus[i] - S;
  for (std::size_t e = 0; e < agree.size(); ++e) sum_c[e] = 2 * agree[e] - S;
  return stats_from_sums(p, samples, std::move(sum_m), std::move(sum_c));
}

Stats stats_from_sums(const Problem& p, std::uint64_t samples, std::vector<std::int64_t> sum_m,
                      std::vector<std::int64_t> sum_c) {
  Stats s;
  s.samples = samples;
  s.mean.assign(sum_m.size(), 0.0);
  s.corr.assign(sum_c.size(), 0.0);
  if (samples > 0) {
    const double S = static_cast<double>(samples);
    for (std::size_t i = 0; i < sum_m.size(); ++i) s.mean[i] = static_cast<double>(sum_m[i]) / S;
    for (std::size_t e = 0; e < sum_c.size(); ++e) s.corr[e] = static_cast<double>(sum_c[e]) / S;
    s.energy_mean = energy_from_moments(p, s.mean, s.corr);
  }
  s.sum_m = std::move(sum_m);
  s.sum_c = std::move(sum_c);
  return s;
}

void check_chain_memory(const std::string& backend, const Problem& p, int chains,
                        std::uint64_t bytes_per_chain, std::uint64_t fixed_bytes) {
  const std::uint64_t need =
      add_sat(mul_sat(static_cast<std::uint64_t>(chains > 0 ? chains : 0), bytes_per_chain), fixed_bytes);
  const std::string graph = p.graph ? p.graph->spec() : std::string("the problem");
  check_memory(need,
               backend + ": " + std::to_string(chains) + (chains == 1 ? " chain" : " chains") + " of " + graph +
                   " (" + std::to_string(p.num_nodes()) + " p-bits) need",
               "lower the number of chains");
}

void replace_weights(Problem& current, const Problem& next) {
  if (!next.graph || !current.graph ||
      (next.graph != current.graph && (next.graph->num_nodes() != current.graph->num_nodes() ||
                                       !(next.graph->edges() == current.graph->edges()))))
    throw Error("update_weights: the problem is on another graph; use load()");
  if (next.J.size() != next.graph->num_edges() || next.h.size() != next.graph->num_nodes())
    throw Error("update_weights: weights do not match the graph");
  current.J = next.J;
  current.h = next.h;
}

}  // namespace pbit

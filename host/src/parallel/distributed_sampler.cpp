#include <pbit/parallel/distributed_sampler.hpp>

#include <algorithm>
#include <string>

namespace pbit::parallel {
namespace {

// One bit per p-bit (+1 -> 1): the states of many chains on the wire.
void pack_row(const std::vector<std::int8_t>& m, std::vector<std::uint8_t>& out) {
  const std::size_t at = out.size();
  out.resize(at + (m.size() + 7) / 8, 0);
  for (std::size_t i = 0; i < m.size(); ++i)
    if (m[i] > 0) out[at + i / 8] = static_cast<std::uint8_t>(out[at + i / 8] | (1u << (i % 8)));
}

void unpack_row(const std::uint8_t* bits, std::vector<std::int8_t>& m) {
  for (std::size_t i = 0; i < m.size(); ++i)
    m[i] = static_cast<std::int8_t>((bits[i / 8] >> (i % 8)) & 1u ? 1 : -1);
}

}  // namespace

DistributedSampler::DistributedSampler(std::unique_ptr<Sampler> local, const Communicator& comm,
                                       int unit)
    : local_(std::move(local)), comm_(comm), unit_(unit) {
  if (!local_) throw Error("distributed sampler: no local backend");
  if (unit_ < 1) throw Error("distributed sampler: the share unit must be >= 1");
}

void DistributedSampler::require_loaded() const {
  if (!loaded_) throw Error(name() + ": no problem loaded");
}

void DistributedSampler::require_chain(int chain) const {
  require_loaded();
  if (chain < 0 || chain >= config_.chains)
    throw Error("chain " + std::to_string(chain) + " out of range [0, " +
                std::to_string(config_.chains) + ")");
}

void DistributedSampler::require_range(int first, int count) const {
  require_loaded();
  if (first < 0 || count < 0 || first > config_.chains - count)
    throw Error("chains [" + std::to_string(first) + ", " + std::to_string(first + count) +
                ") out of range [0, " + std::to_string(config_.chains) + ")");
}

void DistributedSampler::load(const Problem& problem, const NumericSpec& spec, double beta) {
  local_->load(problem, spec, beta);
  problem_ = problem;
  loaded_ = true;
  configure(config_);
}

void DistributedSampler::configure(const SamplerConfig& config) {
  if (config.chains < 1) throw Error("chains must be >= 1");
  if (config.threads < 0) throw Error("threads must be >= 0");
  if (config.first_chain < 0) throw Error("the first chain's index must be >= 0");
  config_ = config;
  mine_ = comm_.share(config.chains, unit_);
  sweeps_ = 0;
  // A process without chains keeps its backend as it was and never runs it.
  if (loaded_ && mine_.count > 0)
    local_->configure({mine_.count, config.seed, config.threads, config.first_chain + mine_.first});
}

void DistributedSampler::update_weights(const Problem& problem) {
  local_->update_weights(problem);
  replace_weights(problem_, problem);
}

void DistributedSampler::set_clamp_values(int chain, const std::vector<std::int8_t>& m) {
  require_chain(chain);
  if (m.size() != problem_.h.size()) throw Error("clamp values size does not match the problem");
  if (mine_.contains(chain)) local_->set_clamp_values(chain - mine_.first, m);
}

void DistributedSampler::run(std::uint64_t sweeps, bool accumulate) {
  require_loaded();
  if (mine_.count > 0) local_->run(sweeps, accumulate);
  sweeps_ += sweeps;
}

std::vector<std::int8_t> DistributedSampler::state(int chain) const {
  require_chain(chain);
  const int holder = owner(chain, config_.chains, comm_.size(), unit_);
  std::vector<std::int8_t> m;
  std::vector<std::uint8_t> bytes;
  if (holder == comm_.rank()) {
    m = local_->state(chain - mine_.first);
    append_bytes(bytes, m.data(), m.size());
  }
  comm_.broadcast(bytes, holder);
  if (holder != comm_.rank()) m.assign(bytes.begin(), bytes.end());
  return m;
}

void DistributedSampler::set_state(int chain, const std::vector<std::int8_t>& m) {
  require_chain(chain);
  if (m.size() != problem_.h.size()) throw Error("state size does not match the problem");
  if (mine_.contains(chain)) local_->set_state(chain - mine_.first, m);
}

void DistributedSampler::states(int first, int count,
                                std::vector<std::vector<std::int8_t>>& out) const {
  require_range(first, count);
  const std::size_t n = problem_.h.size(), row_bytes = (n + 7) / 8;
  // This process's part of [first, first + count); the parts are contiguous in
  // rank order, so the gathered rows are in chain order.
  const int a = std::max(first, mine_.first), b = std::min(first + count, mine_.end());
  std::vector<std::uint8_t> mine;
  if (b > a) {
    std::vector<std::vector<std::int8_t>> rows;
    local_->states(a - mine_.first, b - a, rows);
    mine.reserve(static_cast<std::size_t>(b - a) * row_bytes);
    for (const auto& r : rows) pack_row(r, mine);
  }
  const auto all = comm_.all_gather(mine);
  if (all.size() != static_cast<std::size_t>(count) * row_bytes)
    throw Error("distributed sampler: processes disagree on the chains' shares");
  out.resize(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) {
    auto& row = out[static_cast<std::size_t>(k)];
    row.resize(n);
    unpack_row(all.data() + static_cast<std::size_t>(k) * row_bytes, row);
  }
}

void DistributedSampler::set_states(int first, const std::vector<std::vector<std::int8_t>>& m) {
  const int count = static_cast<int>(m.size());
  require_range(first, count);
  for (const auto& row : m)
    if (row.size() != problem_.h.size()) throw Error("state size does not match the problem");
  const int a = std::max(first, mine_.first), b = std::min(first + count, mine_.end());
  if (b <= a) return;
  if (a == first && b == first + count) {
    local_->set_states(a - mine_.first, m);
    return;
  }
  const std::vector<std::vector<std::int8_t>> part(m.begin() + (a - first),
                                                   m.begin() + (b - first));
  local_->set_states(a - mine_.first, part);
}

void DistributedSampler::reset_stats() {
  if (loaded_ && mine_.count > 0) local_->reset_stats();
}

Stats DistributedSampler::stats() const {
  require_loaded();
  const std::size_t n = problem_.h.size(), ne = problem_.J.size();
  // [samples, backends without sums, sum_m (n), sum_c (ne)], added up.
  std::vector<std::int64_t> buf(2 + n + ne, 0);
  if (mine_.count > 0) {
    const Stats s = local_->stats();
    if (s.sum_m.size() != n || s.sum_c.size() != ne) {
      buf[1] = 1;
    } else {
      buf[0] = static_cast<std::int64_t>(s.samples);
      std::copy(s.sum_m.begin(), s.sum_m.end(), buf.begin() + 2);
      std::copy(s.sum_c.begin(), s.sum_c.end(), buf.begin() + 2 + static_cast<std::ptrdiff_t>(n));
    }
  }
  comm_.sum(buf);
  if (buf[1] > 0)
    throw Error("backend '" + name() +
                "' keeps no sample counts: its chains cannot be divided among processes");
  return stats_from_sums(
      problem_, static_cast<std::uint64_t>(buf[0]),
      std::vector<std::int64_t>(buf.begin() + 2, buf.begin() + 2 + static_cast<std::ptrdiff_t>(n)),
      std::vector<std::int64_t>(buf.begin() + 2 + static_cast<std::ptrdiff_t>(n), buf.end()));
}

LocalPart local_part(Sampler& sampler) {
  if (auto* d = dynamic_cast<DistributedSampler*>(&sampler))
    return {d->local(), d->comm(), d->unit(), d->local_chains()};
  return {sampler, serial(), 1, {0, sampler.chains()}};
}

const Communicator& communicator_of(const Sampler& sampler) {
  if (const auto* d = dynamic_cast<const DistributedSampler*>(&sampler)) return d->comm();
  return serial();
}

}  // namespace pbit::parallel

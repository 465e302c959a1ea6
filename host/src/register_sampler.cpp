// The register-level Sampler shared by the rtl and board backends (register_sampler.hpp).
#include <pbit/error.hpp>
#include <pbit/register_sampler.hpp>
#include <pbit/regmap.hpp>

#include <algorithm>

namespace pbit {

namespace rm = regmap;

std::vector<std::uint8_t> RegisterBus::read_states(std::uint32_t cells) {
  const auto words = read_burst(rm::STATE_BASE, rm::state_words(cells));
  std::vector<std::uint8_t> s(cells);
  for (std::size_t i = 0; i < cells; ++i) s[i] = (words[i / 32] >> (i % 32)) & 1u;
  return s;
}

std::vector<std::uint32_t> RegisterBus::read_stats(const std::vector<std::uint32_t>& offsets,
                                                   std::uint32_t max_degree) {
  const auto cells = static_cast<std::uint32_t>(offsets.size() - 1);
  const std::size_t per = 1 + std::size_t{max_degree};
  std::vector<std::uint32_t> w(cells * per, 0);
  for (std::uint32_t i = 0; i < cells; ++i) {
    w[i * per] = read(rm::cell_addr(i, rm::STAT_PLUS));
    const std::uint32_t deg = offsets[i + 1] - offsets[i];
    if (deg == 0) continue;
    const auto agree = read_burst(rm::cell_addr(i, rm::STAT_AGREE), deg);
    std::copy(agree.begin(), agree.end(), w.begin() + static_cast<std::ptrdiff_t>(i * per + 1));
  }
  return w;
}

void RegisterSampler::load(const Problem& problem, const NumericSpec& spec, double beta) {
  problem_ = problem;
  prog_ = compile(problem_, spec, beta);
  max_deg_ = 0;
  for (std::uint32_t i = 0; i < prog_.n; ++i)
    max_deg_ = std::max(max_deg_, prog_.offsets[i + 1] - prog_.offsets[i]);
  traits_ = attach(spec);
  // Each edge's statistics slot: at its lower-index endpoint.
  slot_edge_.assign(prog_.nbr.size(), -1);
  const auto& edges = problem_.graph->edges();
  std::vector<std::uint32_t> cursor(prog_.offsets.begin(), prog_.offsets.end() - 1);
  for (std::size_t e = 0; e < edges.size(); ++e) {
    slot_edge_[cursor[edges[e].u]++] = static_cast<int>(e);
    ++cursor[edges[e].v];
  }
  clamp_mask_.assign(prog_.n, 0);
  bus_.write(rm::COMMAND, rm::STOP);
  write_weights();
  write_lut();
  std::uint32_t ctrl = 0;
  if (spec.schedule == Schedule::Async) ctrl |= 1u << rm::field::CTRL_SCHEDULE;
  bus_.write(rm::CTRL, ctrl);
  ctrl_ = ctrl;
  bus_.write(rm::ASYNC_PERIOD, static_cast<std::uint32_t>(spec.async_period));
  bus_.write(rm::ASYNC_THRESHOLD, spec.async_threshold());
  loaded_ = true;
  configure(config_);
}

void RegisterSampler::configure(const SamplerConfig& config) {
  if (config.chains < 1) throw Error("chains must be >= 1");
  if (config.first_chain < 0) throw Error("the first chain's index must be >= 0");
  config_ = config;
  if (!loaded_) return;
  // Per chain: state and clamp values (a byte per p-bit), two RNG words per p-bit.
  check_chain_memory(name(), problem_, config.chains, std::uint64_t{prog_.n} * 10 + 128);
  ctx_.assign(static_cast<std::size_t>(config.chains), Context{});
  for (int c = 0; c < config.chains; ++c) {
    auto& x = ctx_[static_cast<std::size_t>(c)];
    x.state.assign(prog_.n, 0);
    x.clamp_val.assign(prog_.n, -1);
    x.rng.resize(prog_.n);
    x.timer.resize(prog_.n);
    const auto chain = static_cast<std::uint64_t>(config.first_chain) + static_cast<std::uint64_t>(c);
    for (std::uint32_t i = 0; i < prog_.n; ++i) {
      x.rng[i] = pbit_seed(config.seed, RngStream::Sample, chain, i);
      x.timer[i] = pbit_seed(config.seed, RngStream::Timer, chain, i);
    }
  }
  current_ = -1;
  bus_.write(rm::COMMAND, rm::RESET_COUNTERS);
  sweeps_done_ = 0;
  reset_stats();
}

// Annealing: Lut mode rewrites the LUT words only; Fold mode (a ROM LUT)
// rewrites the folded weights.
void RegisterSampler::set_beta(double beta) {
  require_loaded();
  if (change_program_beta(prog_, problem_, beta))
    write_weights();
  else
    write_lut();
}

void RegisterSampler::update_weights(const Problem& problem) {
  require_loaded();
  replace_weights(problem_, problem);
  set_program_beta(prog_, problem_, prog_.beta);
  write_weights();
}

void RegisterSampler::set_clamp_mask(const std::vector<std::uint8_t>& clamped) {
  require_loaded();
  if (clamped.size() != prog_.n) throw Error("clamp mask size does not match the problem");
  for (std::size_t i = 0; i < prog_.n; ++i) clamp_mask_[i] = clamped[i] ? 1 : 0;
  if (current_ >= 0) write_clamps(ctx_[static_cast<std::size_t>(current_)]);
}

void RegisterSampler::set_clamp_values(int chain, const std::vector<std::int8_t>& m) {
  require_chain(chain);
  if (m.size() != prog_.n) throw Error("clamp values size does not match the problem");
  auto& x = ctx_[static_cast<std::size_t>(chain)];
  x.clamp_val = m;
  if (chain == current_) write_clamps(x);
}

void RegisterSampler::clear_clamps() {
  require_loaded();
  std::fill(clamp_mask_.begin(), clamp_mask_.end(), 0);
  if (current_ >= 0) write_clamps(ctx_[static_cast<std::size_t>(current_)]);
}

void RegisterSampler::run(std::uint64_t sweeps, bool accumulate) {
  require_loaded();
  if (sweeps == 0) return;
  for (int c = 0; c < config_.chains; ++c) {
    switch_to(c);
    if (accumulate && !traits_.stats) {
      // No counters on the array: one sweep at a time, statistics here.
      for (std::uint64_t t = 0; t < sweeps; ++t) {
        bus_.run(1);
        ++since_switch_;
        accumulate_states(bus_.read_states(prog_.n));
      }
      continue;
    }
    since_switch_ += sweeps;
    set_stats_enable(accumulate);
    for (std::uint64_t left = sweeps; left > 0;) {
      const auto chunk = static_cast<std::uint32_t>(std::min<std::uint64_t>(left, traits_.max_run));
      if (accumulate && hw_stat_sweeps_ + chunk > 0x7FFFFFFFu) harvest();  // 32-bit counters
      bus_.run(chunk);
      if (accumulate) hw_stat_sweeps_ += chunk;
      left -= chunk;
    }
  }
  if (accumulate) samples_ += sweeps * static_cast<std::uint64_t>(config_.chains);
  sweeps_done_ += sweeps;
}

std::vector<std::int8_t> RegisterSampler::state(int chain) const {
  require_chain(chain);
  const auto& x = ctx_[static_cast<std::size_t>(chain)];
  const auto bits = chain == current_ ? bus_.read_states(prog_.n) : x.state;
  std::vector<std::int8_t> m(prog_.n);
  for (std::size_t i = 0; i < prog_.n; ++i) {
    // A saved chain shows its clamps as the array would once it is loaded.
    if (chain != current_ && clamp_mask_[i])
      m[i] = x.clamp_val[i] > 0 ? 1 : -1;
    else
      m[i] = bits[i] ? 1 : -1;
  }
  return m;
}

void RegisterSampler::set_state(int chain, const std::vector<std::int8_t>& m) {
  require_chain(chain);
  if (m.size() != prog_.n) throw Error("state size does not match the problem");
  auto& x = ctx_[static_cast<std::size_t>(chain)];
  for (std::size_t i = 0; i < prog_.n; ++i) x.state[i] = m[i] > 0 ? 1 : 0;
  if (chain == current_)
    for (std::uint32_t i = 0; i < prog_.n; ++i) bus_.write(rm::cell_addr(i, rm::STATE), x.state[i]);
}

void RegisterSampler::reset_stats() {
  plus_.assign(loaded_ ? prog_.n : 0, 0);
  agree_.assign(loaded_ ? problem_.num_edges() : 0, 0);
  samples_ = 0;
  if (loaded_) {
    if (traits_.stats) bus_.write(rm::COMMAND, rm::CLEAR_STATS);
    hw_stat_sweeps_ = 0;
  }
}

Stats RegisterSampler::stats() const {
  const_cast<RegisterSampler*>(this)->harvest();
  return stats_from_counts(problem_, samples_, plus_, agree_);
}

void RegisterSampler::require_loaded() const {
  if (!loaded_) throw Error(name() + ": no problem loaded");
}

void RegisterSampler::require_chain(int chain) const {
  require_loaded();
  if (chain < 0 || chain >= config_.chains)
    throw Error("chain " + std::to_string(chain) + " out of range [0, " +
                std::to_string(config_.chains) + ")");
}

void RegisterSampler::write_weights() {
  for (std::uint32_t i = 0; i < prog_.n; ++i) {
    const std::uint32_t b = prog_.offsets[i], d = prog_.offsets[i + 1] - b;
    if (traits_.gated)  // the lean array keeps h - sum J (spec.hpp gated_sum_offset), not h
      bus_.write(rm::cell_addr(i, rm::OFFSET),
                 static_cast<std::uint32_t>(gated_sum_offset(prog_.h[i], prog_.J.data() + b, d)));
    else
      bus_.write(rm::cell_addr(i, rm::FIELD), static_cast<std::uint32_t>(prog_.h[i]));
    std::vector<std::uint32_t> j;
    for (std::uint32_t k = prog_.offsets[i]; k < prog_.offsets[i + 1]; ++k)
      j.push_back(static_cast<std::uint32_t>(prog_.J[k]));
    bus_.write_burst(rm::cell_addr(i, rm::COUPLING), j);
  }
}

void RegisterSampler::write_lut() {
  if (traits_.lut_writable) {
    bus_.write_burst(rm::LUT_BASE, std::vector<std::uint32_t>(prog_.lut.begin(), prog_.lut.end()));
    return;
  }
  const auto have = bus_.read_burst(rm::LUT_BASE, prog_.lut.size());
  for (std::size_t k = 0; k < have.size(); ++k)
    if (have[k] != static_cast<std::uint32_t>(prog_.lut[k]))
      throw Error(name() +
                  ": the LUT is a ROM built for another beta or spec; use --beta-mode fold "
                  "(and the spec the board was built with)");
}

void RegisterSampler::write_clamps(const Context& x) {
  for (std::uint32_t i = 0; i < prog_.n; ++i)
    bus_.write(rm::cell_addr(i, rm::CLAMP), clamp_word(x, i));
}

std::uint32_t RegisterSampler::clamp_word(const Context& x, std::uint32_t i) const {
  if (!clamp_mask_[i]) return 0;
  return (1u << rm::field::CLAMP_ENABLE) |
         ((x.clamp_val[i] > 0 ? 1u : 0u) << rm::field::CLAMP_VALUE);
}

void RegisterSampler::set_stats_enable(bool on) {
  const std::uint32_t ctrl = on ? (ctrl_ | (1u << rm::field::CTRL_STATS_ENABLE))
                                : (ctrl_ & ~(1u << rm::field::CTRL_STATS_ENABLE));
  if (ctrl != ctrl_) bus_.write(rm::CTRL, ctrl);
  ctrl_ = ctrl;
}

void RegisterSampler::accumulate_states(const std::vector<std::uint8_t>& s) {
  const auto& edges = problem_.graph->edges();
  for (std::uint32_t i = 0; i < prog_.n; ++i) plus_[i] += s[i];
  for (std::size_t e = 0; e < edges.size(); ++e) agree_[e] += s[edges[e].u] == s[edges[e].v];
}

// Move the on-chip statistics of the current chain into the host totals.
void RegisterSampler::harvest() {
  if (!loaded_ || hw_stat_sweeps_ == 0) return;
  const std::uint32_t counted = bus_.read(rm::STATS_SWEEPS);
  if (counted != hw_stat_sweeps_)
    throw Error(name() + ": the board counted " + std::to_string(counted) +
                " statistics sweeps, expected " + std::to_string(hw_stat_sweeps_));
  const auto w = bus_.read_stats(prog_.offsets, max_deg_);
  const std::size_t per = 1 + std::size_t{max_deg_};
  for (std::uint32_t i = 0; i < prog_.n; ++i) {
    plus_[i] += w[i * per];
    for (std::uint32_t s = 0; s < prog_.offsets[i + 1] - prog_.offsets[i]; ++s) {
      const int e = slot_edge_[prog_.offsets[i] + s];
      if (e >= 0) agree_[static_cast<std::size_t>(e)] += w[i * per + 1 + s];
    }
  }
  bus_.write(rm::COMMAND, rm::CLEAR_STATS);
  hw_stat_sweeps_ = 0;
}

// Context switch: save the running chain's registers, load chain c's.
void RegisterSampler::switch_to(int c) {
  if (current_ == c) return;
  harvest();
  if (current_ >= 0) {
    auto& x = ctx_[static_cast<std::size_t>(current_)];
    if (traits_.write_only) {
      // Nothing to read back but the states: every chromatic sweep steps each
      // p-bit's RNG once (clamped or not), so the host's copy follows.
      x.state = bus_.read_states(prog_.n);
      rng_advance_all(prog_.spec.rng, x.rng.data(), x.rng.size(), since_switch_);
    } else {
      for (std::uint32_t i = 0; i < prog_.n; ++i) {
        const auto w = bus_.read_burst(rm::cell_addr(i, rm::RNG_STATE), 3);  // RNG, TIMER, STATE
        x.rng[i] = w[0];
        x.timer[i] = w[1];
        x.state[i] = w[2] & 1u;
      }
    }
  }
  const auto& y = ctx_[static_cast<std::size_t>(c)];
  for (std::uint32_t i = 0; i < prog_.n; ++i) {
    if (traits_.write_only) {  // no timer (chromatic only): CLAMP, RNG; STATE
      bus_.write_burst(rm::cell_addr(i, rm::CLAMP), {clamp_word(y, i), y.rng[i]});
      bus_.write(rm::cell_addr(i, rm::STATE), static_cast<std::uint32_t>(y.state[i]));
    } else {  // CLAMP, RNG, TIMER, STATE are consecutive
      bus_.write_burst(rm::cell_addr(i, rm::CLAMP), {clamp_word(y, i), y.rng[i], y.timer[i],
                                                     static_cast<std::uint32_t>(y.state[i])});
    }
  }
  current_ = c;
  since_switch_ = 0;
}

}  // namespace pbit

// The `rtl` backend (rtl_sampler.hpp).
#include <pbit/program.hpp>
#include <pbit/regmap.hpp>
#include <pbit/sim/rtl_sampler.hpp>

#include <algorithm>

namespace pbit::sim {
namespace {

namespace rm = regmap;

struct Context {
  std::vector<std::uint8_t> state;  // 1 = +1
  std::vector<std::uint32_t> rng, timer;
  std::vector<std::int8_t> clamp_val;
};

class RtlSampler final : public Sampler {
 public:
  explicit RtlSampler(const RtlOptions& o) : opt_(o) {}

  std::string name() const override { return "rtl"; }

  void load(const Problem& problem, const NumericSpec& spec, double beta) override {
    problem_ = problem;
    prog_ = compile(problem_, spec, beta);
    ModelOptions mo = opt_.model;
    mo.cell_color = prog_.color;
    mo.cycles_per_sweep = spec.cycles_per_sweep(prog_.num_colors);
    BuildOptions bo = opt_.build;
    bo.cell_clocks = mo.clocking != Clocking::Enables;
    bo.trace = !mo.trace_file.empty();
    model_.reset();  // give back the lease before taking it again
    model_ = acquire_model(prog_, *problem_.graph, bo, mo, &info_);
    const std::uint32_t id = model_->read(rm::ID), cells = model_->read(rm::NUM_CELLS);
    if (id != rm::kMagic || cells != prog_.n)
      throw Error("rtl: the simulated board does not answer as a p-bit array of " +
                  std::to_string(prog_.n) + " cells");
    lut_writable_ = (model_->read(rm::LUT_GEOMETRY) >> rm::field::LUT_GEOMETRY_WRITABLE) & 1u;
    // Each edge's statistics slot: at its lower-index endpoint.
    slot_edge_.assign(prog_.nbr.size(), -1);
    const auto& edges = problem_.graph->edges();
    std::vector<std::uint32_t> cursor(prog_.offsets.begin(), prog_.offsets.end() - 1);
    for (std::size_t e = 0; e < edges.size(); ++e) {
      slot_edge_[cursor[edges[e].u]++] = static_cast<int>(e);
      ++cursor[edges[e].v];
    }
    clamp_mask_.assign(prog_.n, 0);
    model_->write(rm::COMMAND, rm::STOP);
    write_weights();
    write_lut();
    std::uint32_t ctrl = 0;
    if (spec.schedule == Schedule::Async) ctrl |= 1u << rm::field::CTRL_SCHEDULE;
    model_->write(rm::CTRL, ctrl);
    ctrl_ = ctrl;
    model_->write(rm::ASYNC_PERIOD, static_cast<std::uint32_t>(spec.async_period));
    model_->write(rm::ASYNC_THRESHOLD, spec.async_threshold());
    loaded_ = true;
    configure(config_);
  }

  void configure(const SamplerConfig& config) override {
    if (config.chains < 1) throw Error("chains must be >= 1");
    config_ = config;
    if (!loaded_) return;
    ctx_.assign(static_cast<std::size_t>(config.chains), Context{});
    for (int c = 0; c < config.chains; ++c) {
      auto& x = ctx_[static_cast<std::size_t>(c)];
      x.state.assign(prog_.n, 0);
      x.clamp_val.assign(prog_.n, -1);
      x.rng.resize(prog_.n);
      x.timer.resize(prog_.n);
      for (std::uint32_t i = 0; i < prog_.n; ++i) {
        x.rng[i] = pbit_seed(config.seed, RngStream::Sample, static_cast<std::uint64_t>(c), i);
        x.timer[i] = pbit_seed(config.seed, RngStream::Timer, static_cast<std::uint64_t>(c), i);
      }
    }
    current_ = -1;
    model_->write(rm::COMMAND, rm::RESET_COUNTERS);
    sweeps_done_ = 0;
    reset_stats();
  }

  void set_beta(double beta) override {
    require_loaded();
    set_program_beta(prog_, problem_, beta);
    if (prog_.spec.beta_mode == BetaMode::Lut)
      write_lut();
    else
      write_weights();
  }

  void update_weights(const Problem& problem) override {
    require_loaded();
    check_same_graph(problem_, problem);
    problem_.J = problem.J;
    problem_.h = problem.h;
    set_program_beta(prog_, problem_, prog_.beta);
    write_weights();
  }

  void set_clamp_mask(const std::vector<std::uint8_t>& clamped) override {
    require_loaded();
    if (clamped.size() != prog_.n) throw Error("clamp mask size does not match the problem");
    for (std::size_t i = 0; i < prog_.n; ++i) clamp_mask_[i] = clamped[i] ? 1 : 0;
    if (current_ >= 0) write_clamps(ctx_[static_cast<std::size_t>(current_)]);
  }

  void set_clamp_values(int chain, const std::vector<std::int8_t>& m) override {
    require_chain(chain);
    if (m.size() != prog_.n) throw Error("clamp values size does not match the problem");
    auto& x = ctx_[static_cast<std::size_t>(chain)];
    x.clamp_val = m;
    if (chain == current_) write_clamps(x);
  }

  void clear_clamps() override {
    require_loaded();
    std::fill(clamp_mask_.begin(), clamp_mask_.end(), 0);
    if (current_ >= 0) write_clamps(ctx_[static_cast<std::size_t>(current_)]);
  }

  void run(std::uint64_t sweeps, bool accumulate) override {
    require_loaded();
    if (sweeps == 0) return;
    const std::uint64_t c0 = model_->cycles();
    for (int c = 0; c < config_.chains; ++c) {
      switch_to(c);
      set_stats_enable(accumulate);
      for (std::uint64_t left = sweeps; left > 0;) {
        const auto chunk = static_cast<std::uint32_t>(std::min<std::uint64_t>(left, 0x40000000u));
        if (accumulate && hw_stat_sweeps_ + chunk > 0x7FFFFFFFu) harvest();  // 32-bit counters
        model_->write(rm::SWEEPS_TARGET, chunk);
        model_->write(rm::COMMAND, rm::RUN_SWEEPS);
        model_->wait_idle();
        if (accumulate) hw_stat_sweeps_ += chunk;
        left -= chunk;
      }
    }
    if (accumulate) samples_ += sweeps * static_cast<std::uint64_t>(config_.chains);
    sweeps_done_ += sweeps;
    counters_.cycles += model_->cycles() - c0;
    counters_.sweeps += sweeps * static_cast<std::uint64_t>(config_.chains);
    counters_.sim_time_ns = model_->sim_time_ns();
  }

  std::vector<std::int8_t> state(int chain) const override {
    require_chain(chain);
    std::vector<std::uint8_t> bits;
    const auto& x = ctx_[static_cast<std::size_t>(chain)];
    if (chain == current_ && opt_.bus_state_readout) {
      const auto words = model_->read_burst(rm::STATE_BASE, rm::state_words(prog_.n));
      bits.resize(prog_.n);
      for (std::size_t i = 0; i < prog_.n; ++i) bits[i] = (words[i / 32] >> (i % 32)) & 1u;
    } else if (chain == current_) {
      model_->peek_states(bits);
    } else
      bits = x.state;
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

  void set_state(int chain, const std::vector<std::int8_t>& m) override {
    require_chain(chain);
    if (m.size() != prog_.n) throw Error("state size does not match the problem");
    auto& x = ctx_[static_cast<std::size_t>(chain)];
    for (std::size_t i = 0; i < prog_.n; ++i) x.state[i] = m[i] > 0 ? 1 : 0;
    if (chain == current_)
      for (std::uint32_t i = 0; i < prog_.n; ++i) model_->write(rm::cell_addr(i, rm::STATE), x.state[i]);
  }

  void reset_stats() override {
    plus_.assign(loaded_ ? prog_.n : 0, 0);
    agree_.assign(loaded_ ? problem_.num_edges() : 0, 0);
    samples_ = 0;
    if (loaded_) {
      model_->write(rm::COMMAND, rm::CLEAR_STATS);
      hw_stat_sweeps_ = 0;
    }
  }

  Stats stats() const override {
    const_cast<RtlSampler*>(this)->harvest();
    Stats s;
    s.samples = samples_;
    s.mean.assign(plus_.size(), 0.0);
    s.corr.assign(agree_.size(), 0.0);
    if (samples_ > 0) {
      const double S = static_cast<double>(samples_);
      for (std::size_t i = 0; i < plus_.size(); ++i) s.mean[i] = (2.0 * plus_[i] - S) / S;
      for (std::size_t e = 0; e < agree_.size(); ++e) s.corr[e] = (2.0 * agree_[e] - S) / S;
      s.energy_mean = energy_from_moments(problem_, s.mean, s.corr);
    }
    return s;
  }

  int chains() const override { return config_.chains; }
  std::uint64_t sweeps_done() const override { return sweeps_done_; }
  const RtlCounters& counters() const { return counters_; }

 private:
  void require_loaded() const {
    if (!loaded_) throw Error("rtl: no problem loaded");
  }
  void require_chain(int chain) const {
    require_loaded();
    if (chain < 0 || chain >= config_.chains)
      throw Error("chain " + std::to_string(chain) + " out of range [0, " +
                  std::to_string(config_.chains) + ")");
  }

  void write_weights() {
    for (std::uint32_t i = 0; i < prog_.n; ++i) {
      model_->write(rm::cell_addr(i, rm::FIELD), static_cast<std::uint32_t>(prog_.h[i]));
      std::vector<std::uint32_t> j;
      for (std::uint32_t k = prog_.offsets[i]; k < prog_.offsets[i + 1]; ++k)
        j.push_back(static_cast<std::uint32_t>(prog_.J[k]));
      model_->write_burst(rm::cell_addr(i, rm::COUPLING), j);
    }
  }

  void write_lut() {
    if (lut_writable_) {
      std::vector<std::uint32_t> words(prog_.lut.begin(), prog_.lut.end());
      model_->write_burst(rm::LUT_BASE, words);
      return;
    }
    const auto have = model_->read_burst(rm::LUT_BASE, prog_.lut.size());
    for (std::size_t k = 0; k < have.size(); ++k)
      if (have[k] != static_cast<std::uint32_t>(prog_.lut[k]))
        throw Error("rtl: the board's LUT is a ROM built for another beta; use --beta-mode fold");
  }

  void write_clamps(const Context& x) {
    for (std::uint32_t i = 0; i < prog_.n; ++i)
      model_->write(rm::cell_addr(i, rm::CLAMP), clamp_word(x, i));
  }
  std::uint32_t clamp_word(const Context& x, std::uint32_t i) const {
    if (!clamp_mask_[i]) return 0;
    return (1u << rm::field::CLAMP_ENABLE) | ((x.clamp_val[i] > 0 ? 1u : 0u) << rm::field::CLAMP_VALUE);
  }

  void set_stats_enable(bool on) {
    const std::uint32_t ctrl = on ? (ctrl_ | (1u << rm::field::CTRL_STATS_ENABLE))
                                  : (ctrl_ & ~(1u << rm::field::CTRL_STATS_ENABLE));
    if (ctrl != ctrl_) model_->write(rm::CTRL, ctrl);
    ctrl_ = ctrl;
  }

  // Move the on-chip statistics of the current chain into the host totals.
  void harvest() {
    if (!loaded_ || hw_stat_sweeps_ == 0) return;
    const std::uint32_t counted = model_->read(rm::STATS_SWEEPS);
    if (counted != hw_stat_sweeps_)
      throw Error("rtl: the board counted " + std::to_string(counted) + " statistics sweeps, expected " +
                  std::to_string(hw_stat_sweeps_));
    for (std::uint32_t i = 0; i < prog_.n; ++i) {
      plus_[i] += model_->read(rm::cell_addr(i, rm::STAT_PLUS));
      const std::uint32_t deg = prog_.offsets[i + 1] - prog_.offsets[i];
      if (deg == 0) continue;
      const auto agree = model_->read_burst(rm::cell_addr(i, rm::STAT_AGREE), deg);
      for (std::uint32_t s = 0; s < deg; ++s) {
        const int e = slot_edge_[prog_.offsets[i] + s];
        if (e >= 0) agree_[static_cast<std::size_t>(e)] += agree[s];
      }
    }
    model_->write(rm::COMMAND, rm::CLEAR_STATS);
    hw_stat_sweeps_ = 0;
  }

  // Context switch: save the running chain's registers, load chain c's.
  void switch_to(int c) {
    if (current_ == c) return;
    harvest();
    if (current_ >= 0) {
      auto& x = ctx_[static_cast<std::size_t>(current_)];
      for (std::uint32_t i = 0; i < prog_.n; ++i) {
        const auto w = model_->read_burst(rm::cell_addr(i, rm::RNG_STATE), 3);  // RNG, TIMER, STATE
        x.rng[i] = w[0];
        x.timer[i] = w[1];
        x.state[i] = w[2] & 1u;
      }
    }
    const auto& y = ctx_[static_cast<std::size_t>(c)];
    for (std::uint32_t i = 0; i < prog_.n; ++i)  // CLAMP, RNG, TIMER, STATE are consecutive
      model_->write_burst(rm::cell_addr(i, rm::CLAMP),
                          {clamp_word(y, i), y.rng[i], y.timer[i], static_cast<std::uint32_t>(y.state[i])});
    current_ = c;
  }

  RtlOptions opt_;
  ModelInfo info_;
  std::shared_ptr<Model> model_;
  Problem problem_;
  Program prog_;
  bool loaded_ = false, lut_writable_ = true;
  SamplerConfig config_;
  std::vector<Context> ctx_;
  int current_ = -1;
  std::uint32_t ctrl_ = 0;
  std::vector<int> slot_edge_;
  std::vector<std::uint8_t> clamp_mask_;
  std::vector<std::int64_t> plus_, agree_;
  std::uint64_t samples_ = 0, sweeps_done_ = 0, hw_stat_sweeps_ = 0;
  RtlCounters counters_;
};

}  // namespace

std::unique_ptr<Sampler> make_rtl_sampler(const RtlOptions& options) {
  return std::make_unique<RtlSampler>(options);
}

void register_rtl_backend() {
  register_sampler("rtl", [] { return make_rtl_sampler(); });
}

const RtlCounters* rtl_counters(const Sampler& s) {
  const auto* r = dynamic_cast<const RtlSampler*>(&s);
  return r ? &r->counters() : nullptr;
}

}  // namespace pbit::sim

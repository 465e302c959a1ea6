// The `board` backend (board_sampler.hpp). The register sequence follows the
// rtl backend (sim/src/rtl_sampler.cpp) so that both drive the RTL alike.
#include <pbit/board/board_sampler.hpp>
#include <pbit/error.hpp>
#include <pbit/program.hpp>
#include <pbit/regmap.hpp>

#include <algorithm>

namespace pbit::board {
namespace {

namespace rm = regmap;

struct Context {
  std::vector<std::uint8_t> state;  // 1 = +1
  std::vector<std::uint32_t> rng, timer;
  std::vector<std::int8_t> clamp_val;
};

class BoardSampler final : public Sampler {
 public:
  BoardSampler(std::unique_ptr<ByteChannel> ch, int baud, const LinkOptions& lo)
      : link_(std::move(ch), baud, lo) {}

  std::string name() const override { return "board"; }
  const BoardLink& link() const { return link_; }

  void load(const Problem& problem, const NumericSpec& spec, double beta) override {
    problem_ = problem;
    prog_ = compile(problem_, spec, beta);
    info_ = link_.info();
    check_board(spec);
    slot_edge_.assign(prog_.nbr.size(), -1);
    const auto& edges = problem_.graph->edges();
    std::vector<std::uint32_t> cursor(prog_.offsets.begin(), prog_.offsets.end() - 1);
    for (std::size_t e = 0; e < edges.size(); ++e) {
      slot_edge_[cursor[edges[e].u]++] = static_cast<int>(e);
      ++cursor[edges[e].v];
    }
    max_deg_ = 0;
    for (std::uint32_t i = 0; i < prog_.n; ++i) max_deg_ = std::max(max_deg_, prog_.offsets[i + 1] - prog_.offsets[i]);
    cycles_per_sweep_ = static_cast<std::uint32_t>(spec.cycles_per_sweep(prog_.num_colors));
    clamp_mask_.assign(prog_.n, 0);
    link_.write(rm::COMMAND, rm::STOP);
    write_weights();
    write_lut();
    std::uint32_t ctrl = 0;
    if (spec.schedule == Schedule::Async) ctrl |= 1u << rm::field::CTRL_SCHEDULE;
    link_.write(rm::CTRL, ctrl);
    ctrl_ = ctrl;
    link_.write(rm::ASYNC_PERIOD, static_cast<std::uint32_t>(spec.async_period));
    link_.write(rm::ASYNC_THRESHOLD, spec.async_threshold());
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
    link_.write(rm::COMMAND, rm::RESET_COUNTERS);
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
    for (int c = 0; c < config_.chains; ++c) {
      switch_to(c);
      if (accumulate && !info_.stats()) {
        // No counters on the board: one sweep at a time, statistics here.
        for (std::uint64_t t = 0; t < sweeps; ++t) {
          run_chunk(1);
          accumulate_states(link_.read_states(prog_.n));
        }
        continue;
      }
      set_stats_enable(accumulate);
      // Chunks of at most ~1/4 s at the board's clock keep every wait short.
      const std::uint64_t per_chunk = std::max<std::uint64_t>(
          1, std::min<std::uint64_t>(0x40000000u, info_.clock_hz / 4 / std::max<std::uint32_t>(1, cycles_per_sweep_ + 1)));
      for (std::uint64_t left = sweeps; left > 0;) {
        const auto chunk = static_cast<std::uint32_t>(std::min<std::uint64_t>(left, per_chunk));
        if (accumulate && hw_stat_sweeps_ + chunk > 0x7FFFFFFFu) harvest();  // 32-bit counters
        run_chunk(chunk);
        if (accumulate) hw_stat_sweeps_ += chunk;
        left -= chunk;
      }
    }
    if (accumulate) samples_ += sweeps * static_cast<std::uint64_t>(config_.chains);
    sweeps_done_ += sweeps;
  }

  std::vector<std::int8_t> state(int chain) const override {
    require_chain(chain);
    std::vector<std::uint8_t> bits;
    const auto& x = ctx_[static_cast<std::size_t>(chain)];
    if (chain == current_)
      bits = const_cast<BoardLink&>(link_).read_states(prog_.n);
    else
      bits = x.state;
    std::vector<std::int8_t> m(prog_.n);
    for (std::size_t i = 0; i < prog_.n; ++i) {
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
      for (std::uint32_t i = 0; i < prog_.n; ++i) link_.write(rm::cell_addr(i, rm::STATE), x.state[i]);
  }

  void reset_stats() override {
    plus_.assign(loaded_ ? prog_.n : 0, 0);
    agree_.assign(loaded_ ? problem_.num_edges() : 0, 0);
    samples_ = 0;
    if (loaded_) {
      if (info_.stats()) link_.write(rm::COMMAND, rm::CLEAR_STATS);
      hw_stat_sweeps_ = 0;
    }
  }

  Stats stats() const override {
    const_cast<BoardSampler*>(this)->harvest();
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

 private:
  void require_loaded() const {
    if (!loaded_) throw Error("board: no problem loaded");
  }
  void require_chain(int chain) const {
    require_loaded();
    if (chain < 0 || chain >= config_.chains)
      throw Error("chain " + std::to_string(chain) + " out of range [0, " + std::to_string(config_.chains) + ")");
  }

  // The board is built for one graph and numeric spec: check what its
  // registers tell (cells, colours, degree, widths, LUT, RNG, async).
  void check_board(const NumericSpec& spec) {
    const std::string where = "board on " + link_.describe();
    if (link_.read(rm::ID) != rm::kMagic) throw Error(where + ": the register block does not answer with the p-bit ID");
    const std::uint32_t cells = link_.read(rm::NUM_CELLS);
    const auto g = link_.read_burst(rm::NUM_COLORS, 3);  // NUM_COLORS, GEOMETRY, LUT_GEOMETRY
    const std::uint32_t colors = g[0], geo = g[1], lut = g[2];
    const std::uint32_t ctrl = link_.read(rm::CTRL);
    std::uint32_t max_deg = 0;
    for (std::uint32_t i = 0; i < prog_.n; ++i) max_deg = std::max(max_deg, prog_.offsets[i + 1] - prog_.offsets[i]);
    auto byte = [](std::uint32_t w, int lsb) { return (w >> lsb) & 0xFFu; };
    std::string bad;
    auto want = [&](const char* what, std::uint64_t have, std::uint64_t need) {
      if (have != need && bad.empty())
        bad = std::string(what) + " " + std::to_string(have) + ", the problem needs " + std::to_string(need);
    };
    want("p-bits", cells, prog_.n);
    want("colours", colors, static_cast<std::uint64_t>(prog_.num_colors));
    want("max degree", byte(geo, rm::field::GEOMETRY_MAX_DEGREE), max_deg);
    want("weight bits", byte(geo, rm::field::GEOMETRY_WEIGHT_BITS), static_cast<std::uint64_t>(spec.weight_bits));
    want("sum bits", byte(geo, rm::field::GEOMETRY_SUM_BITS), static_cast<std::uint64_t>(spec.sum_bits));
    want("lut bits", byte(geo, rm::field::GEOMETRY_LUT_BITS), static_cast<std::uint64_t>(spec.lut_bits));
    want("lut depth", lut & 0xFFFFu, static_cast<std::uint64_t>(spec.lut_depth));
    want("lut shift", byte(lut, rm::field::LUT_GEOMETRY_SHIFT), static_cast<std::uint64_t>(spec.lut_shift));
    want("rng kind (1 = xorshift32)", (ctrl >> rm::field::CTRL_RNG_KIND) & 1u,
         spec.rng == RngKind::Xorshift32 ? 1u : 0u);
    if (!bad.empty())
      throw Error(where + " was built for another graph or numeric spec: it has " + bad +
                  " (build it with `pbit fpga build` for this graph and spec)");
    if (spec.schedule == Schedule::Async && !((lut >> rm::field::LUT_GEOMETRY_ASYNC) & 1u))
      throw Error(where + " was built without the async schedule");
    lut_writable_ = (lut >> rm::field::LUT_GEOMETRY_WRITABLE) & 1u;
  }

  void run_chunk(std::uint32_t sweeps) { link_.run(sweeps, cycles_per_sweep_); }

  void accumulate_states(const std::vector<std::uint8_t>& s) {
    const auto& edges = problem_.graph->edges();
    for (std::uint32_t i = 0; i < prog_.n; ++i) plus_[i] += s[i];
    for (std::size_t e = 0; e < edges.size(); ++e) agree_[e] += s[edges[e].u] == s[edges[e].v];
  }

  void write_weights() {
    for (std::uint32_t i = 0; i < prog_.n; ++i) {
      link_.write(rm::cell_addr(i, rm::FIELD), static_cast<std::uint32_t>(prog_.h[i]));
      std::vector<std::uint32_t> j;
      for (std::uint32_t k = prog_.offsets[i]; k < prog_.offsets[i + 1]; ++k) j.push_back(static_cast<std::uint32_t>(prog_.J[k]));
      if (!j.empty()) link_.write_burst(rm::cell_addr(i, rm::COUPLING), j);
    }
  }

  void write_lut() {
    if (lut_writable_) {
      link_.write_burst(rm::LUT_BASE, std::vector<std::uint32_t>(prog_.lut.begin(), prog_.lut.end()));
      return;
    }
    const auto have = link_.read_burst(rm::LUT_BASE, prog_.lut.size());
    for (std::size_t k = 0; k < have.size(); ++k)
      if (have[k] != static_cast<std::uint32_t>(prog_.lut[k]))
        throw Error("board: the LUT is a ROM built for another beta or spec; use --beta-mode fold "
                    "(and the spec the board was built with)");
  }

  void write_clamps(const Context& x) {
    for (std::uint32_t i = 0; i < prog_.n; ++i) link_.write(rm::cell_addr(i, rm::CLAMP), clamp_word(x, i));
  }
  std::uint32_t clamp_word(const Context& x, std::uint32_t i) const {
    if (!clamp_mask_[i]) return 0;
    return (1u << rm::field::CLAMP_ENABLE) | ((x.clamp_val[i] > 0 ? 1u : 0u) << rm::field::CLAMP_VALUE);
  }

  void set_stats_enable(bool on) {
    const std::uint32_t ctrl = on ? (ctrl_ | (1u << rm::field::CTRL_STATS_ENABLE))
                                  : (ctrl_ & ~(1u << rm::field::CTRL_STATS_ENABLE));
    if (ctrl != ctrl_) link_.write(rm::CTRL, ctrl);
    ctrl_ = ctrl;
  }

  // Move the on-chip statistics of the current chain into the host totals.
  void harvest() {
    if (!loaded_ || hw_stat_sweeps_ == 0) return;
    const std::uint32_t counted = link_.read(rm::STATS_SWEEPS);
    if (counted != hw_stat_sweeps_)
      throw Error("board: counted " + std::to_string(counted) + " statistics sweeps, expected " +
                  std::to_string(hw_stat_sweeps_));
    const auto w = link_.read_stats(0, prog_.n, max_deg_);
    const std::uint32_t per = 1 + max_deg_;
    for (std::uint32_t i = 0; i < prog_.n; ++i) {
      plus_[i] += w[std::size_t{i} * per];
      for (std::uint32_t s = 0; s < prog_.offsets[i + 1] - prog_.offsets[i]; ++s) {
        const int e = slot_edge_[prog_.offsets[i] + s];
        if (e >= 0) agree_[static_cast<std::size_t>(e)] += w[std::size_t{i} * per + 1 + s];
      }
    }
    link_.write(rm::COMMAND, rm::CLEAR_STATS);
    hw_stat_sweeps_ = 0;
  }

  // Context switch: save the running chain's registers, load chain c's.
  void switch_to(int c) {
    if (current_ == c) return;
    harvest();
    if (current_ >= 0) {
      auto& x = ctx_[static_cast<std::size_t>(current_)];
      for (std::uint32_t i = 0; i < prog_.n; ++i) {
        const auto w = link_.read_burst(rm::cell_addr(i, rm::RNG_STATE), 3);  // RNG, TIMER, STATE
        x.rng[i] = w[0];
        x.timer[i] = w[1];
        x.state[i] = w[2] & 1u;
      }
    }
    const auto& y = ctx_[static_cast<std::size_t>(c)];
    for (std::uint32_t i = 0; i < prog_.n; ++i)  // CLAMP, RNG, TIMER, STATE are consecutive
      link_.write_burst(rm::cell_addr(i, rm::CLAMP),
                        {clamp_word(y, i), y.rng[i], y.timer[i], static_cast<std::uint32_t>(y.state[i])});
    current_ = c;
  }

  BoardLink link_;
  BoardInfo info_;
  Problem problem_;
  Program prog_;
  bool loaded_ = false, lut_writable_ = true;
  SamplerConfig config_;
  std::vector<Context> ctx_;
  int current_ = -1;
  std::uint32_t ctrl_ = 0, max_deg_ = 0, cycles_per_sweep_ = 1;
  std::vector<int> slot_edge_;
  std::vector<std::uint8_t> clamp_mask_;
  std::vector<std::int64_t> plus_, agree_;
  std::uint64_t samples_ = 0, sweeps_done_ = 0, hw_stat_sweeps_ = 0;
};

}  // namespace

std::unique_ptr<Sampler> make_board_sampler(std::unique_ptr<ByteChannel> channel, int baud, const LinkOptions& link) {
  return std::make_unique<BoardSampler>(std::move(channel), baud, link);
}

std::unique_ptr<Sampler> make_board_sampler(const BoardOptions& o) {
  if (o.port.empty())
    throw Error("the board backend needs --port DEVICE (a serial port, e.g. /dev/ttyUSB1, or the /dev/pts/N "
                "printed by `pbit fpga sim`)");
  return make_board_sampler(std::make_unique<SerialPort>(o.port, o.baud), o.baud, o.link);
}

const BoardLink* board_link(const Sampler& s) {
  const auto* b = dynamic_cast<const BoardSampler*>(&s);
  return b ? &b->link() : nullptr;
}

}  // namespace pbit::board

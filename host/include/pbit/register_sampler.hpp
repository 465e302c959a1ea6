#pragma once
// The Sampler on a p-bit array reached through its register map (regmap.hpp):
// the one register sequence of the hardware backends (`rtl`: the simulated
// array; `board`: a board over a serial link). Weights, fields, LUT, seeds,
// clamps, run-N-sweeps, on-chip statistics; several chains share the one
// array by context switching (states and RNG states saved and restored over
// the bus), so chain c sees exactly the streams of the `ref` backend's chain c.
// A backend supplies the bus and attach(); everything else is here.
#include <pbit/program.hpp>
#include <pbit/sampler.hpp>

#include <cstdint>
#include <vector>

namespace pbit {

// Word access to the register map, plus the few operations a transport may do
// in one request.
class RegisterBus {
 public:
  virtual ~RegisterBus() = default;
  virtual void write(std::uint32_t addr, std::uint32_t data) = 0;
  virtual std::uint32_t read(std::uint32_t addr) = 0;
  // Consecutive word addresses; an empty burst does nothing.
  virtual void write_burst(std::uint32_t addr, const std::vector<std::uint32_t>& words) = 0;
  virtual std::vector<std::uint32_t> read_burst(std::uint32_t addr, std::size_t words) = 0;
  // Run `sweeps` sweeps and return once the array is idle.
  virtual void run(std::uint32_t sweeps) = 0;
  // The running states, s[i] = 1 for +1. Default: the packed STATE window.
  virtual std::vector<std::uint8_t> read_states(std::uint32_t cells);
  // Every cell's STAT_PLUS, then its STAT_AGREE slots (degree from the CSR
  // offsets), cell i at i * (1 + max_degree). Default: register by register.
  virtual std::vector<std::uint32_t> read_stats(const std::vector<std::uint32_t>& offsets,
                                                std::uint32_t max_degree);
};

class RegisterSampler : public Sampler {
 public:
  void load(const Problem& problem, const NumericSpec& spec, double beta) override;
  void configure(const SamplerConfig& config) override;
  void set_beta(double beta) override;
  void update_weights(const Problem& problem) override;
  void set_clamp_mask(const std::vector<std::uint8_t>& clamped) override;
  void set_clamp_values(int chain, const std::vector<std::int8_t>& m) override;
  void clear_clamps() override;
  void run(std::uint64_t sweeps, bool accumulate) override;
  std::vector<std::int8_t> state(int chain) const override;
  void set_state(int chain, const std::vector<std::int8_t>& m) override;
  void reset_stats() override;
  Stats stats() const override;
  int chains() const override { return config_.chains; }
  std::uint64_t sweeps_done() const override { return sweeps_done_; }

 protected:
  // `bus` is a member of the backend: stored here, used only after construction.
  explicit RegisterSampler(RegisterBus& bus) : bus_(bus) {}

  // What the array offers, from attach().
  struct ArrayTraits {
    bool lut_writable = true;             // else the LUT is a ROM: checked, not written
    bool stats = true;                    // on-chip statistics counters
    bool gated = false;                   // the gated sum: write OFFSET = h - sum J, not FIELD
    bool write_only = false;              // cell registers read 0: states from STATES, RNG states
                                          // tracked here, no timer (LUT_GEOMETRY.write_only)
    std::uint32_t max_run = 0x40000000u;  // sweeps per bus run() at most
  };
  // Called by load() once program() and problem() are set: make the array
  // ready for them (build or check it) and say what it offers. Throws pbit::Error.
  virtual ArrayTraits attach(const NumericSpec& spec) = 0;

  const Program& program() const { return prog_; }
  const Problem& problem() const { return problem_; }
  std::uint32_t max_degree() const { return max_deg_; }
  bool loaded() const { return loaded_; }
  void require_loaded() const;

 private:
  struct Context {
    std::vector<std::uint8_t> state;  // 1 = +1
    std::vector<std::uint32_t> rng, timer;
    std::vector<std::int8_t> clamp_val;
  };

  void require_chain(int chain) const;
  void write_weights();
  void write_lut();
  void write_clamps(const Context& x);
  std::uint32_t clamp_word(const Context& x, std::uint32_t i) const;
  void set_stats_enable(bool on);
  void accumulate_states(const std::vector<std::uint8_t>& s);
  void harvest();
  void switch_to(int c);

  RegisterBus& bus_;
  ArrayTraits traits_;
  Problem problem_;
  Program prog_;
  bool loaded_ = false;
  SamplerConfig config_;
  std::vector<Context> ctx_;
  int current_ = -1;
  std::uint32_t ctrl_ = 0, max_deg_ = 0;
  std::vector<int> slot_edge_;
  std::vector<std::uint8_t> clamp_mask_;
  std::vector<std::int64_t> plus_, agree_;
  std::uint64_t samples_ = 0, sweeps_done_ = 0, hw_stat_sweeps_ = 0;
  std::uint64_t since_switch_ = 0;  // sweeps the current chain ran since its registers were written
};

}  // namespace pbit

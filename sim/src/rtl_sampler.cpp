// The `rtl` backend (rtl_sampler.hpp): the register sequence is
// RegisterSampler's; here the simulated array's bus and its build.
#include <pbit/register_sampler.hpp>
#include <pbit/regmap.hpp>
#include <pbit/rtl_emit.hpp>
#include <pbit/sim/rtl_sampler.hpp>

namespace pbit::sim {
namespace {

namespace rm = regmap;

class ModelBus final : public RegisterBus {
 public:
  explicit ModelBus(bool bus_state_readout) : bus_state_readout_(bus_state_readout) {}

  void write(std::uint32_t addr, std::uint32_t data) override { model->write(addr, data); }
  std::uint32_t read(std::uint32_t addr) override { return model->read(addr); }
  void write_burst(std::uint32_t addr, const std::vector<std::uint32_t>& words) override {
    model->write_burst(addr, words);
  }
  std::vector<std::uint32_t> read_burst(std::uint32_t addr, std::size_t words) override {
    return model->read_burst(addr, words);
  }
  void run(std::uint32_t sweeps) override {
    model->write(rm::SWEEPS_TARGET, sweeps);
    model->write(rm::COMMAND, rm::RUN_SWEEPS);
    model->wait_idle();
  }
  std::vector<std::uint8_t> read_states(std::uint32_t cells) override {
    if (bus_state_readout_) return RegisterBus::read_states(cells);
    std::vector<std::uint8_t> bits;
    model->peek_states(bits);  // the state_o port: no bus traffic
    return bits;
  }

  std::shared_ptr<Model> model;

 private:
  bool bus_state_readout_;
};

class RtlSampler final : public RegisterSampler {
 public:
  explicit RtlSampler(const RtlOptions& o)
      : RegisterSampler(bus_), opt_(o), bus_(o.bus_state_readout) {}

  std::string name() const override { return "rtl"; }

  void run(std::uint64_t sweeps, bool accumulate) override {
    if (!loaded() || sweeps == 0) return RegisterSampler::run(sweeps, accumulate);
    const std::uint64_t c0 = bus_.model->cycles();
    RegisterSampler::run(sweeps, accumulate);
    counters_.cycles += bus_.model->cycles() - c0;
    counters_.sweeps += sweeps * static_cast<std::uint64_t>(chains());
    counters_.sim_time_ns = bus_.model->sim_time_ns();
    const auto word64 = [&](std::uint32_t lo) {
      const auto w = bus_.model->read_burst(lo, 2);
      return (static_cast<std::uint64_t>(w[1]) << 32) | w[0];
    };
    counters_.array_cycles = word64(rm::CYCLE_COUNT_LO);
    counters_.array_sweeps = word64(rm::SWEEP_COUNT_LO);
  }

  const RtlCounters& counters() const { return counters_; }

 private:
  ArrayTraits attach(const NumericSpec& spec) override {
    const Program& prog = program();
    ModelOptions mo = opt_.model;
    mo.cell_color = prog.color;
    mo.cycles_per_sweep = spec.cycles_per_sweep(prog.num_colors);
    BuildOptions bo = opt_.build;
    bo.cell_clocks = mo.clocking != Clocking::Enables;
    const char* arch = rtl::to_string(bo.arch);
    if (bo.arch != rtl::Arch::Full && bo.cell_clocks)
      throw Error(std::string("rtl: the ") + arch + " architecture runs on the system clock only (--clocking enables)");
    if (bo.arch != rtl::Arch::Full && spec.schedule != Schedule::Chromatic)
      throw Error(std::string("rtl: the ") + arch + " architecture has only the chromatic schedule (--schedule chromatic)");
    bo.trace = !mo.trace_file.empty();
    bus_.model.reset();  // give back the lease before taking it again
    bus_.model = acquire_model(prog, *problem().graph, bo, mo, &info_);
    Model& m = *bus_.model;
    const std::uint32_t id = m.read(rm::ID), cells = m.read(rm::NUM_CELLS);
    if (id != rm::kMagic || cells != prog.n)
      throw Error("rtl: the simulated board does not answer as a p-bit array of " +
                  std::to_string(prog.n) + " cells");
    ArrayTraits t;
    const std::uint32_t lut = m.read(rm::LUT_GEOMETRY);
    t.lut_writable = (lut >> rm::field::LUT_GEOMETRY_WRITABLE) & 1u;
    // No counters on the engine or the lean array: states read after every sweep.
    t.stats = !((lut >> rm::field::LUT_GEOMETRY_NO_STATS) & 1u);
    t.gated = (lut >> rm::field::LUT_GEOMETRY_GATED) & 1u;
    t.write_only = (lut >> rm::field::LUT_GEOMETRY_WRITE_ONLY) & 1u;
    return t;
  }

  RtlOptions opt_;
  ModelBus bus_;
  ModelInfo info_;
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

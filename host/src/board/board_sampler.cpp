// The `board` backend (board_sampler.hpp): the register sequence is
// RegisterSampler's; here the link as its bus and the check of the board.
#include <pbit/board/board_sampler.hpp>
#include <pbit/error.hpp>
#include <pbit/register_sampler.hpp>
#include <pbit/regmap.hpp>

#include <algorithm>

namespace pbit::board {
namespace {

namespace rm = regmap;

class LinkBus final : public RegisterBus {
 public:
  LinkBus(std::unique_ptr<ByteChannel> ch, int baud, const LinkOptions& lo)
      : link(std::move(ch), baud, lo) {}

  void write(std::uint32_t addr, std::uint32_t data) override { link.write(addr, data); }
  std::uint32_t read(std::uint32_t addr) override { return link.read(addr); }
  void write_burst(std::uint32_t addr, const std::vector<std::uint32_t>& words) override {
    link.write_burst(addr, words);
  }
  std::vector<std::uint32_t> read_burst(std::uint32_t addr, std::size_t words) override {
    return link.read_burst(addr, words);
  }
  void run(std::uint32_t sweeps) override { link.run(sweeps, cycles_per_sweep); }
  // READ_STATES and READ_STATS: one request each instead of many register reads.
  std::vector<std::uint8_t> read_states(std::uint32_t cells) override {
    return link.read_states(cells);
  }
  std::vector<std::uint32_t> read_stats(const std::vector<std::uint32_t>& offsets,
                                        std::uint32_t max_degree) override {
    return link.read_stats(0, static_cast<std::uint32_t>(offsets.size() - 1), max_degree);
  }

  BoardLink link;
  std::uint32_t cycles_per_sweep = 1;
};

class BoardSampler final : public RegisterSampler {
 public:
  BoardSampler(std::unique_ptr<ByteChannel> ch, int baud, const LinkOptions& lo)
      : RegisterSampler(bus_), bus_(std::move(ch), baud, lo) {}

  std::string name() const override { return "board"; }
  const BoardLink& link() const { return bus_.link; }

 private:
  ArrayTraits attach(const NumericSpec& spec) override {
    const BoardInfo info = bus_.link.info();
    ArrayTraits t;
    const std::uint32_t lut = check_board(spec);
    t.lut_writable = (lut >> rm::field::LUT_GEOMETRY_WRITABLE) & 1u;
    t.stats = info.stats() && !((lut >> rm::field::LUT_GEOMETRY_NO_STATS) & 1u);
    t.gated = (lut >> rm::field::LUT_GEOMETRY_GATED) & 1u;
    t.write_only = (lut >> rm::field::LUT_GEOMETRY_WRITE_ONLY) & 1u;
    bus_.cycles_per_sweep = static_cast<std::uint32_t>(spec.cycles_per_sweep(program().num_colors));
    // A chromatic sweep of the engine takes many more cycles than colours
    // (SWEEP_CYCLES; 0 on designs older than the register).
    if (spec.schedule == Schedule::Chromatic)
      if (const std::uint32_t c = bus_.link.read(rm::SWEEP_CYCLES); c != 0) bus_.cycles_per_sweep = c;
    // Runs of at most ~1/4 s at the board's clock keep every wait short.
    t.max_run = static_cast<std::uint32_t>(std::max<std::uint64_t>(
        1, std::min<std::uint64_t>(
               0x40000000u,
               info.clock_hz / 4 / std::max<std::uint32_t>(1, bus_.cycles_per_sweep + 1))));
    return t;
  }

  // The board is built for one graph and numeric spec: check what its
  // registers tell (cells, colours, degree, widths, LUT, RNG, async).
  // Returns its LUT_GEOMETRY word (the features it has).
  std::uint32_t check_board(const NumericSpec& spec) {
    BoardLink& link = bus_.link;
    const Program& prog = program();
    const std::string where = "board on " + link.describe();
    if (link.read(rm::ID) != rm::kMagic)
      throw Error(where + ": the register block does not answer with the p-bit ID");
    const std::uint32_t cells = link.read(rm::NUM_CELLS);
    const auto g = link.read_burst(rm::NUM_COLORS, 3);  // NUM_COLORS, GEOMETRY, LUT_GEOMETRY
    const std::uint32_t colors = g[0], geo = g[1], lut = g[2];
    const std::uint32_t ctrl = link.read(rm::CTRL);
    auto byte = [](std::uint32_t w, int lsb) { return (w >> lsb) & 0xFFu; };
    std::string bad;
    auto want = [&](const char* what, std::uint64_t have, std::uint64_t need) {
      if (have != need && bad.empty())
        bad = std::string(what) + " " + std::to_string(have) + ", the problem needs " +
              std::to_string(need);
    };
    want("p-bits", cells, prog.n);
    want("colours", colors, static_cast<std::uint64_t>(prog.num_colors));
    want("max degree", byte(geo, rm::field::GEOMETRY_MAX_DEGREE), max_degree());
    want("weight bits", byte(geo, rm::field::GEOMETRY_WEIGHT_BITS),
         static_cast<std::uint64_t>(spec.weight_bits));
    want("sum bits", byte(geo, rm::field::GEOMETRY_SUM_BITS),
         static_cast<std::uint64_t>(spec.sum_bits));
    want("lut bits", byte(geo, rm::field::GEOMETRY_LUT_BITS),
         static_cast<std::uint64_t>(spec.lut_bits));
    want("lut depth", lut & 0xFFFFu, static_cast<std::uint64_t>(spec.lut_depth));
    want("lut shift", byte(lut, rm::field::LUT_GEOMETRY_SHIFT),
         static_cast<std::uint64_t>(spec.lut_shift));
    want("rng kind (1 = xorshift32)", (ctrl >> rm::field::CTRL_RNG_KIND) & 1u,
         spec.rng == RngKind::Xorshift32 ? 1u : 0u);
    if (!bad.empty())
      throw Error(where + " was built for another graph or numeric spec: it has " + bad +
                  " (build it with `pbit fpga build` for this graph and spec)");
    if (spec.schedule == Schedule::Async && !((lut >> rm::field::LUT_GEOMETRY_ASYNC) & 1u))
      throw Error(where + " was built without the async schedule");
    return lut;
  }

  LinkBus bus_;
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

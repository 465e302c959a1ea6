// The point of the product: the cycle-accurate RTL model (Verilator +
// SystemC, driven through its register map) reproduces the `ref` sampler bit
// for bit, sweep by sweep, and its on-chip statistics equal the host's.
//
// SystemC elaborates once per process, so each TEST_CASE simulates one
// board (graph + RNG kind); ctest runs every case in its own process. The
// first run builds the models (cached in $PBIT_RTL_CACHE).
#include "golden.hpp"

#include <pbit/graphs/generators.hpp>
#include <pbit/program.hpp>
#include <pbit/rtl_emit.hpp>
#include <pbit/samplers/ref.hpp>
#include <pbit/sim/rtl_sampler.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>

using namespace pbit;

namespace {

std::shared_ptr<const graphs::Graph> G(const std::string& spec) {
  return std::make_shared<const graphs::Graph>(graphs::make_graph(spec));
}

int sweeps_from_env(int fallback) {
  const char* e = std::getenv("PBIT_RTL_SWEEPS");
  return e ? std::atoi(e) : fallback;
}

// Runs ref and rtl side by side for `sweeps`, both schedules (the engine:
// chromatic only), with random weights, fields and some clamped p-bits;
// REQUIREs identical states of every chain after every sweep.
// The lean array's LUT is a ROM: beta folded into J and h (spec.beta_mode).
void lockstep(const std::string& graph, RngKind rng, int sweeps, int chains, bool bus_readout = false,
              rtl::Arch arch = rtl::Arch::Full, const NumericSpec& base = {}) {
  const auto g = G(graph);
  const Problem p = random_problem(g, WeightDist::parse("gauss:2"), WeightDist::parse("gauss:1"), 21);
  sim::RtlOptions ro;
  ro.bus_state_readout = bus_readout;
  ro.build.arch = arch;
  auto rtl = sim::make_rtl_sampler(ro);
  using clock = std::chrono::steady_clock;
  const auto secs = [](clock::time_point a, clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  std::vector<Schedule> schedules{Schedule::Chromatic};
  if (arch == rtl::Arch::Full) schedules.push_back(Schedule::Async);
  for (auto sch : schedules) {
    const auto t0 = clock::now();
    NumericSpec spec = base;
    spec.rng = rng;
    spec.schedule = sch;
    if (arch == rtl::Arch::Lean) spec.beta_mode = BetaMode::Fold;
    auto ref = make_ref_sampler();
    for (Sampler* s : {ref.get(), rtl.get()}) {
      s->load(p, spec, 0.7);
      s->configure({chains, 1234, 1});
      std::vector<std::uint8_t> mask(g->num_nodes(), 0);
      for (std::size_t i = 3; i < mask.size(); i += 11) mask[i] = 1;
      s->set_clamp_mask(mask);
      for (int c = 0; c < chains; ++c) {
        std::vector<std::int8_t> v(g->num_nodes());
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = ((i + static_cast<std::size_t>(c)) % 2) ? 1 : -1;
        s->set_clamp_values(c, v);
      }
    }
    const auto t1 = clock::now();
    for (int t = 1; t <= sweeps; ++t) {
      ref->run(1, false);
      rtl->run(1, false);
      for (int c = 0; c < chains; ++c) {
        const auto a = rtl->state(c), b = ref->state(c);
        if (a == b) continue;
        std::size_t i = 0;
        while (i < a.size() && a[i] == b[i]) ++i;
        FAIL(graph << " " << to_string(rng) << " " << to_string(sch) << ": first divergence at sweep " << t
                   << ", chain " << c << ", p-bit " << i << " (node " << g->label(static_cast<std::uint32_t>(i))
                   << "): rtl " << int(a[i]) << ", ref " << int(b[i]));
      }
    }
    if (arch == rtl::Arch::Engine) {
      // The engine's sweep takes exactly the cycles its SWEEP_CYCLES register states.
      const auto* k = sim::rtl_counters(*rtl);
      REQUIRE(k);
      CHECK(k->array_sweeps == static_cast<std::uint64_t>(sweeps) * static_cast<std::uint64_t>(chains));
      CHECK(k->array_cycles == k->array_sweeps * rtl::engine_sweep_cycles(compile(p, spec, 0.7), *g));
    }
    // The figures behind the "1,000 sweeps in under a minute" claim (issue 4).
    std::cout << graph << " " << rtl::to_string(arch) << " " << to_string(rng) << " " << to_string(sch) << ": load + clamps " << secs(t0, t1)
              << " s, " << sweeps << " sweeps in lockstep " << secs(t1, clock::now()) << " s\n";
    // A beta change (LUT rewrite over the bus) keeps them in step.
    ref->set_beta(1.3);
    rtl->set_beta(1.3);
    ref->run(20, false);
    rtl->run(20, false);
    for (int c = 0; c < chains; ++c) REQUIRE(rtl->state(c) == ref->state(c));
  }
}

}  // namespace

TEST_CASE("rtl == ref: chimera:2, lfsr32", "[rtl]") { lockstep("chimera:2", RngKind::Lfsr32, sweeps_from_env(1000), 1); }
TEST_CASE("rtl == ref: chimera:2, xorshift32, 3 chains", "[rtl]") {
  // States read over the bus (packed STATE window), as a board host does.
  lockstep("chimera:2", RngKind::Xorshift32, sweeps_from_env(1000), 3, true);
}
TEST_CASE("rtl == ref: pegasus:4, xorshift32", "[rtl]") { lockstep("pegasus:4", RngKind::Xorshift32, sweeps_from_env(1000), 1); }
TEST_CASE("rtl == ref: zephyr:2, lfsr32", "[rtl]") { lockstep("zephyr:2", RngKind::Lfsr32, sweeps_from_env(1000), 1); }
TEST_CASE("rtl == ref: lattice:6x6, xorshift32", "[rtl]") { lockstep("lattice:6x6", RngKind::Xorshift32, sweeps_from_env(1000), 1); }
// The other RNG kind on the same graphs (pegasus:2 has both in the golden replays).
TEST_CASE("rtl == ref: pegasus:4, lfsr32", "[rtl]") { lockstep("pegasus:4", RngKind::Lfsr32, sweeps_from_env(1000), 1); }
TEST_CASE("rtl == ref: zephyr:2, xorshift32", "[rtl]") { lockstep("zephyr:2", RngKind::Xorshift32, sweeps_from_env(1000), 1); }
TEST_CASE("rtl == ref: lattice:6x6, lfsr32", "[rtl]") { lockstep("lattice:6x6", RngKind::Lfsr32, sweeps_from_env(1000), 1); }

// Golden streams (tests/golden/) replay on the RTL; one process per RNG kind.
static void replay_golden(RngKind kind, const std::string& graph) {
  int replayed = 0;
  auto rtl = sim::make_rtl_sampler();
  for (const auto& c : golden::cases()) {
    if (c.rng != kind || c.graph != graph) continue;
    const Problem prob = c.problem();
    rtl->load(prob, c.spec(), c.beta);
    rtl->configure({1, c.seed, 1});
    rtl->set_clamp_mask(c.clamp_mask(prob.num_nodes()));
    rtl->set_clamp_values(0, std::vector<std::int8_t>(prob.num_nodes(), 1));
    const auto want = golden::read(c);
    REQUIRE(want.size() == static_cast<std::size_t>(c.sweeps));
    for (int k = 0; k < c.sweeps; ++k) {
      rtl->run(1, false);
      INFO(c.name << " sweep " << k + 1);
      REQUIRE(golden::encode(rtl->state(0)) == want[static_cast<std::size_t>(k)]);
    }
    ++replayed;
  }
  CHECK(replayed > 0);
}
TEST_CASE("golden streams replay on rtl: pegasus:2 lfsr32", "[rtl][golden]") { replay_golden(RngKind::Lfsr32, "pegasus:2"); }
TEST_CASE("golden streams replay on rtl: pegasus:2 xorshift32", "[rtl][golden]") { replay_golden(RngKind::Xorshift32, "pegasus:2"); }
TEST_CASE("golden streams replay on rtl: chimera:1 lfsr32", "[rtl][golden]") { replay_golden(RngKind::Lfsr32, "chimera:1"); }
TEST_CASE("golden streams replay on rtl: chimera:1 xorshift32", "[rtl][golden]") { replay_golden(RngKind::Xorshift32, "chimera:1"); }

TEST_CASE("on-chip statistics equal the host's from the streamed states", "[rtl][stats]") {
  const auto g = G("pegasus:2");
  const Problem p = random_problem(g, WeightDist::parse("gauss:1"), WeightDist::parse("gauss:0.5"), 8);
  auto rtl = sim::make_rtl_sampler();
  NumericSpec spec;
  spec.rng = RngKind::Xorshift32;  // shares the model of the golden xorshift32 case
  rtl->load(p, spec, 1.0);
  rtl->configure({2, 5, 1});
  std::vector<std::int64_t> plus(g->num_nodes(), 0), agree(g->num_edges(), 0);
  const int sweeps = 150;
  for (int t = 0; t < sweeps; ++t) {
    rtl->run(1, true);
    for (int c = 0; c < 2; ++c) {
      const auto m = rtl->state(c);
      for (std::size_t i = 0; i < m.size(); ++i) plus[i] += m[i] > 0;
      for (std::size_t e = 0; e < g->num_edges(); ++e) agree[e] += m[g->edges()[e].u] == m[g->edges()[e].v];
    }
  }
  const Stats st = rtl->stats();
  const double S = 2.0 * sweeps;
  REQUIRE(st.samples == 2u * sweeps);
  for (std::size_t i = 0; i < plus.size(); ++i) CHECK(st.mean[i] == (2.0 * plus[i] - S) / S);
  for (std::size_t e = 0; e < agree.size(); ++e) CHECK(st.corr[e] == (2.0 * agree[e] - S) / S);
  // ... and equal ref's, which accumulates the same states in software.
  auto ref = make_ref_sampler();
  ref->load(p, spec, 1.0);
  ref->configure({2, 5, 1});
  ref->run(sweeps, true);
  const Stats rs = ref->stats();
  CHECK(rs.mean == st.mean);
  CHECK(rs.corr == st.corr);
}

// The 4,264 p-bit DBM graph, both RNG kinds (two models); CI runs these.
TEST_CASE("rtl == ref on pegasus:14, xorshift32", "[rtl][long]") {
  lockstep("pegasus:14", RngKind::Xorshift32, sweeps_from_env(1000), 1);
}
TEST_CASE("rtl == ref on pegasus:14, lfsr32", "[rtl][long]") {
  lockstep("pegasus:14", RngKind::Lfsr32, sweeps_from_env(1000), 1);
}

// The time-multiplexed engine (rtl/engine, `--arch engine`): the same streams
// through the same register sequence, context switches of several chains
// (RNG states and states read back from its RAMs), the packed STATES readout.
TEST_CASE("engine == ref: pegasus:2, xorshift32, 3 chains, bus readout", "[rtl][engine]") {
  lockstep("pegasus:2", RngKind::Xorshift32, sweeps_from_env(500), 3, true, rtl::Arch::Engine);
}
TEST_CASE("engine == ref: er:20,0.05,1 (isolated nodes), lfsr32", "[rtl][engine]") {
  lockstep("er:20,0.05,1", RngKind::Lfsr32, sweeps_from_env(500), 2, false, rtl::Arch::Engine);
}
TEST_CASE("engine: the async schedule and the what-if clockings are refused", "[rtl][engine]") {
  const auto g = G("chimera:1");
  const Problem p = Problem::zeros(g);
  NumericSpec spec;
  spec.schedule = Schedule::Async;
  sim::RtlOptions ro;
  ro.build.arch = rtl::Arch::Engine;
  auto s = sim::make_rtl_sampler(ro);
  REQUIRE_THROWS_WITH(s->load(p, spec, 1.0), Catch::Contains("chromatic"));
  ro.model.clocking = sim::Clocking::PhaseClocks;
  auto c = sim::make_rtl_sampler(ro);
  REQUIRE_THROWS_WITH(c->load(p, NumericSpec{}, 1.0), Catch::Contains("system clock"));
}
// P(14), both RNG kinds, 1,000 sweeps; CI runs these (`-L long -R pegasus:14`).
TEST_CASE("engine == ref on pegasus:14, xorshift32", "[rtl][long][engine]") {
  lockstep("pegasus:14", RngKind::Xorshift32, sweeps_from_env(1000), 1, false, rtl::Arch::Engine);
}
TEST_CASE("engine == ref on pegasus:14, lfsr32", "[rtl][long][engine]") {
  lockstep("pegasus:14", RngKind::Lfsr32, sweeps_from_env(1000), 1, false, rtl::Arch::Engine);
}

// The area-lean array (rtl/lean, `--arch lean`): groups of p-bits of different
// colours sharing one datapath, the gated sum with a host-written OFFSET,
// write-only cells (the host follows the RNG states across context switches),
// ROM LUT (folded beta), no statistics counters.
TEST_CASE("lean == ref: chimera:2, lfsr32, 3 chains, bus readout", "[rtl][lean]") {
  lockstep("chimera:2", RngKind::Lfsr32, sweeps_from_env(500), 3, true, rtl::Arch::Lean);
}
TEST_CASE("lean == ref: pegasus:4, xorshift32, 2 chains", "[rtl][lean]") {
  lockstep("pegasus:4", RngKind::Xorshift32, sweeps_from_env(300), 2, false, rtl::Arch::Lean);
}
TEST_CASE("lean == ref: er:20,0.05,1 (isolated nodes), xorshift32", "[rtl][lean]") {
  lockstep("er:20,0.05,1", RngKind::Xorshift32, sweeps_from_env(500), 2, false, rtl::Arch::Lean);
}
TEST_CASE("lean == ref: lattice:6x6, wide spec, lfsr32", "[rtl][lean]") {
  NumericSpec wide;
  wide.weight_bits = 10;
  wide.frac_bits = 4;
  wide.sum_bits = 14;
  wide.lut_depth = 64;
  wide.lut_bits = 12;
  wide.lut_shift = NumericSpec::covering_shift(wide.sum_bits, wide.lut_depth);
  lockstep("lattice:6x6", RngKind::Lfsr32, sweeps_from_env(500), 2, false, rtl::Arch::Lean, wide);
}
TEST_CASE("lean: statistics from the streamed states equal ref's", "[rtl][lean]") {
  // The same model as the chimera:2 lfsr32 case above (one build).
  const auto g = G("chimera:2");
  const Problem p = random_problem(g, WeightDist::parse("gauss:1"), WeightDist::parse("gauss:0.5"), 8);
  NumericSpec spec;
  spec.rng = RngKind::Lfsr32;
  spec.beta_mode = BetaMode::Fold;
  sim::RtlOptions ro;
  ro.build.arch = rtl::Arch::Lean;
  auto rtl = sim::make_rtl_sampler(ro);
  auto ref = make_ref_sampler();
  for (Sampler* s : {ref.get(), rtl.get()}) {
    s->load(p, spec, 0.8);
    s->configure({2, 5, 1});
    s->run(40, true);
  }
  const Stats a = rtl->stats(), b = ref->stats();
  CHECK(a.samples == b.samples);
  CHECK(a.mean == b.mean);
  CHECK(a.corr == b.corr);
}
TEST_CASE("lean: the async schedule and the what-if clockings are refused", "[rtl][lean]") {
  const auto g = G("chimera:1");
  const Problem p = Problem::zeros(g);
  NumericSpec spec;
  spec.schedule = Schedule::Async;
  sim::RtlOptions ro;
  ro.build.arch = rtl::Arch::Lean;
  auto s = sim::make_rtl_sampler(ro);
  REQUIRE_THROWS_WITH(s->load(p, spec, 1.0), Catch::Contains("chromatic"));
  ro.model.clocking = sim::Clocking::PhaseClocks;
  auto c = sim::make_rtl_sampler(ro);
  REQUIRE_THROWS_WITH(c->load(p, NumericSpec{}, 1.0), Catch::Contains("system clock"));
}
// P(14), both RNG kinds, 1,000 sweeps; CI runs these (`-L long -R pegasus:14`).
TEST_CASE("lean == ref on pegasus:14, xorshift32", "[rtl][long][lean]") {
  lockstep("pegasus:14", RngKind::Xorshift32, sweeps_from_env(1000), 1, false, rtl::Arch::Lean);
}
TEST_CASE("lean == ref on pegasus:14, lfsr32", "[rtl][long][lean]") {
  lockstep("pegasus:14", RngKind::Lfsr32, sweeps_from_env(1000), 1, false, rtl::Arch::Lean);
}

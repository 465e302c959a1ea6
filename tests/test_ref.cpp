// The `ref` sampler: bit-exact against a plain re-statement of the spec, and
// identical across SIMD paths, thread counts and chain blocking.
#include <pbit/graphs/generators.hpp>
#include <pbit/program.hpp>
#include <pbit/random.hpp>
#include <pbit/samplers/float_gibbs.hpp>
#include <pbit/samplers/ref.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <random>

using namespace pbit;

namespace {

std::shared_ptr<const graphs::Graph> G(const std::string& spec) {
  return std::make_shared<const graphs::Graph>(graphs::make_graph(spec));
}

// The spec, re-stated as plainly as possible for one chain: what `ref` and the
// RTL must both do. Independent of the kernels' code.
class Model {
 public:
  Model(const Program& p, std::uint64_t seed, std::uint64_t chain) : p_(p), m_(p.n, -1) {
    for (std::uint32_t i = 0; i < p.n; ++i) {
      rng_.push_back(pbit_seed(seed, RngStream::Sample, chain, i));
      timer_.push_back(pbit_seed(seed, RngStream::Timer, chain, i));
    }
  }
  void sweep() {
    if (p_.spec.schedule == Schedule::Chromatic) {
      for (int c = 0; c < p_.num_colors; ++c)
        for (std::uint32_t i = 0; i < p_.n; ++i)
          if (p_.color[i] == c) m_[i] = update(i, m_);
      return;
    }
    for (int cycle = 0; cycle < p_.spec.async_period; ++cycle) {
      const std::vector<std::int8_t> old = m_;
      for (std::uint32_t i = 0; i < p_.n; ++i) {
        timer_[i] = rng_step(p_.spec.rng, timer_[i]);
        if (timer_[i] < p_.spec.async_threshold()) m_[i] = update(i, old);
      }
    }
  }
  std::vector<std::int8_t> clamp_mask, clamp_val;
  const std::vector<std::int8_t>& state() const { return m_; }

 private:
  std::int8_t update(std::uint32_t i, const std::vector<std::int8_t>& src) {
    const std::int32_t I = saturate_sum(p_.raw_sum(i, src.data()), p_.spec);
    rng_[i] = rng_step(p_.spec.rng, rng_[i]);
    if (!clamp_mask.empty() && clamp_mask[i]) return clamp_val[i];
    return pbit_decide(I, p_.lut.data(), rng_[i], p_.spec) ? 1 : -1;
  }
  const Program& p_;
  std::vector<std::int8_t> m_;
  std::vector<std::uint32_t> rng_, timer_;
};

NumericSpec spec_with(Schedule sch, RngKind rng) {
  NumericSpec s;
  s.schedule = sch;
  s.rng = rng;
  return s;
}

}  // namespace

TEST_CASE("ref equals the plain model of the spec, sweep by sweep", "[gibbs]") {
  const auto g = G("pegasus:2");
  const Problem prob = random_problem(g, WeightDist::parse("gauss:1.5"), WeightDist::parse("gauss:1"), 3);
  for (auto sch : {Schedule::Chromatic, Schedule::Async})
    for (auto rng : {RngKind::Lfsr32, RngKind::Xorshift32})
      for (auto path : available_simd_paths())
        for (auto layout : {RefLayout::Planes, RefLayout::Chains}) {
        const NumericSpec spec = spec_with(sch, rng);
        const Program prog = compile(prob, spec, 0.8);
        auto s = make_ref_sampler(path, layout);
        s->load(prob, spec, 0.8);
        s->configure({37, 11, 1});
        std::vector<Model> models;
        for (int c : {0, 31, 32, 36}) models.emplace_back(prog, 11, c);
        for (int sweep = 0; sweep < 50; ++sweep) {
          s->run(1, false);
          int k = 0;
          for (int c : {0, 31, 32, 36}) {
            models[k].sweep();
            INFO(to_string(sch) << " " << to_string(rng) << " " << to_string(path) << " "
                                << to_string(layout) << " chain " << c << " sweep " << sweep);
            REQUIRE(s->state(c) == models[k].state());
            ++k;
          }
        }
      }
}

TEST_CASE("ref is identical across SIMD paths, threads and LUT/accumulator variants", "[gibbs]") {
  const auto g = G("pegasus:3");
  struct Variant {
    const char* name;
    NumericSpec spec;
  };
  std::vector<Variant> variants;
  NumericSpec s;
  variants.push_back({"default", s});
  s.lut_depth = 64;
  s.sum_bits = 8;
  s.lut_shift = 1;
  variants.push_back({"lut64", s});
  s = NumericSpec{};
  s.weight_bits = 10;
  s.frac_bits = 4;
  s.sum_bits = 14;
  s.lut_depth = 256;
  s.lut_shift = 5;
  s.lut_bits = 12;
  s.rng = RngKind::Xorshift32;
  variants.push_back({"lut256-w10", s});
  s = NumericSpec{};
  s.weight_bits = 16;
  s.frac_bits = 8;
  s.sum_bits = 24;
  s.lut_depth = 1024;
  s.lut_shift = NumericSpec::covering_shift(24, 1024);
  s.schedule = Schedule::Async;
  variants.push_back({"wide-async", s});
  for (const auto& v : variants) {
    const Problem prob =
        random_problem(g, WeightDist::parse("gauss:40"), WeightDist::parse("gauss:20"), 5);
    std::vector<std::vector<std::int8_t>> ref_states;
    bool first = true;
    for (auto path : available_simd_paths())
      for (auto layout : {RefLayout::Planes, RefLayout::Chains})
      for (int threads : {1, 2}) {
        auto smp = make_ref_sampler(path, layout);
        smp->load(prob, v.spec, 0.05);
        smp->configure({70, 99, threads});
        std::vector<std::uint8_t> mask(g->num_nodes(), 0);
        for (std::size_t i = 0; i < mask.size(); i += 7) mask[i] = 1;
        smp->set_clamp_mask(mask);
        for (int c = 0; c < 70; c += 3) {
          std::vector<std::int8_t> val(g->num_nodes());
          for (std::size_t i = 0; i < val.size(); ++i) val[i] = ((i + c) % 3) ? 1 : -1;
          smp->set_clamp_values(c, val);
        }
        smp->run(40, true);
        std::vector<std::vector<std::int8_t>> states;
        for (int c = 0; c < 70; ++c) states.push_back(smp->state(c));
        INFO(v.name << " " << to_string(path) << " " << to_string(layout) << " threads " << threads);
        if (first) {
          ref_states = states;
          first = false;
        } else {
          REQUIRE(states == ref_states);
        }
      }
  }
}

TEST_CASE("same seed gives the same bits, another seed other bits", "[gibbs]") {
  const auto g = G("chimera:2");
  const Problem prob = random_problem(g, WeightDist::parse("pm1"), WeightDist::parse("zero"), 1);
  auto run = [&](std::uint64_t seed) {
    auto s = make_ref_sampler();
    s->load(prob, NumericSpec{}, 1.0);
    s->configure({4, seed, 0});
    s->run(25, false);
    return s->state(3);
  };
  CHECK(run(5) == run(5));
  CHECK(run(5) != run(6));
}

TEST_CASE("clamped p-bits hold their values, others keep sampling", "[gibbs]") {
  const auto g = G("chimera:1");
  const Problem prob = random_problem(g, WeightDist::parse("gauss:0.3"), WeightDist::parse("zero"), 2);
  auto s = make_ref_sampler();
  s->load(prob, NumericSpec{}, 1.0);
  s->configure({40, 3, 1});
  std::vector<std::uint8_t> mask(8, 0);
  mask[0] = mask[5] = 1;
  s->set_clamp_mask(mask);
  std::vector<std::int8_t> v(8, -1);
  v[0] = 1;
  v[5] = -1;
  for (int c = 0; c < 40; ++c) s->set_clamp_values(c, v);
  CHECK(s->state(7)[0] == 1);  // applied at once
  int flips = 0;  // of the free p-bits of chain 33, over 50 sweeps
  auto prev = s->state(33);
  for (int k = 0; k < 50; ++k) {
    s->run(1, true);
    for (int c = 0; c < 40; ++c) {
      const auto m = s->state(c);
      REQUIRE(m[0] == 1);
      REQUIRE(m[5] == -1);
    }
    const auto cur = s->state(33);
    for (int i = 0; i < 8; ++i) flips += cur[i] != prev[i];
    prev = cur;
  }
  CHECK(flips > 20);
  const Stats st = s->stats();
  CHECK(st.mean[0] == 1.0);
  CHECK(st.mean[5] == -1.0);
  s->clear_clamps();
  s->run(20, false);
  bool moved = false;
  for (int c = 0; c < 40; ++c) moved = moved || s->state(c)[0] == -1;
  CHECK(moved);
}

TEST_CASE("on-the-fly statistics equal those of the streamed states", "[gibbs]") {
  const auto g = G("pegasus:2");
  const Problem prob = random_problem(g, WeightDist::parse("gauss:1"), WeightDist::parse("gauss:0.3"), 4);
  auto s = make_ref_sampler();
  s->load(prob, NumericSpec{}, 1.0);
  s->configure({45, 8, 2});
  s->run(10, false);
  std::vector<std::int64_t> plus(g->num_nodes(), 0), agree(g->num_edges(), 0);
  for (int k = 0; k < 30; ++k) {
    s->run(1, true);
    for (int c = 0; c < 45; ++c) {
      const auto m = s->state(c);
      for (std::size_t i = 0; i < m.size(); ++i) plus[i] += m[i] > 0;
      for (std::size_t e = 0; e < g->num_edges(); ++e)
        agree[e] += m[g->edges()[e].u] == m[g->edges()[e].v];
    }
  }
  const Stats st = s->stats();
  REQUIRE(st.samples == 30u * 45u);
  for (std::size_t i = 0; i < plus.size(); ++i) CHECK(st.mean[i] == Approx((2.0 * plus[i] - 1350) / 1350));
  for (std::size_t e = 0; e < agree.size(); ++e) CHECK(st.corr[e] == Approx((2.0 * agree[e] - 1350) / 1350));
  CHECK(st.energy_mean == Approx(energy_from_moments(prob, st.mean, st.corr)));
}

TEST_CASE("set_beta rewrites the LUT only and changes the dynamics", "[gibbs]") {
  const auto g = G("chimera:1");
  const Problem prob = random_problem(g, WeightDist::parse("gauss:1"), WeightDist::parse("zero"), 2);
  auto a = make_ref_sampler(), b = make_ref_sampler();
  a->load(prob, NumericSpec{}, 0.3);
  b->load(prob, NumericSpec{}, 1.0);
  a->configure({32, 1, 1});
  b->configure({32, 1, 1});
  a->set_beta(1.0);  // now identical to b
  a->run(30, false);
  b->run(30, false);
  for (int c = 0; c < 32; ++c) REQUIRE(a->state(c) == b->state(c));
}

TEST_CASE("ref rejects misuse with clear errors", "[gibbs]") {
  auto s = make_ref_sampler();
  CHECK_THROWS_AS(s->run(1, false), Error);
  const auto g = G("chimera:1");
  s->load(Problem::zeros(g), NumericSpec{}, 1.0);
  CHECK_THROWS_AS(s->configure({0, 1, 1}), Error);
  CHECK_THROWS_AS(s->state(5), Error);
  CHECK_THROWS_AS(s->set_clamp_mask(std::vector<std::uint8_t>(3, 0)), Error);
  CHECK_THROWS_AS(parse_simd_path("neon"), Error);
}

TEST_CASE("update_weights keeps chains and streams, the new weights take effect", "[gibbs]") {
  const auto g = G("pegasus:2");
  const Problem p1 = random_problem(g, WeightDist::parse("gauss:1"), WeightDist::parse("zero"), 4);
  auto a = make_ref_sampler(), b = make_ref_sampler();
  for (auto* s : {a.get(), b.get()}) {
    s->load(p1, NumericSpec{}, 1.0);
    s->configure({40, 2, 1});
    s->run(10, false);
  }
  a->update_weights(p1);  // same weights: nothing changes
  a->run(10, false);
  b->run(10, false);
  for (int c = 0; c < 40; ++c) REQUIRE(a->state(c) == b->state(c));
  Problem p2 = p1;  // strong positive fields: everything goes +1
  for (auto& x : p2.J) x = 0;
  for (auto& x : p2.h) x = 15;
  a->update_weights(p2);
  a->run(3, true);
  for (double m : a->stats().mean) CHECK(m > 0.99);
  const Problem other = Problem::zeros(G("chimera:1"));
  CHECK_THROWS_AS(a->update_weights(other), Error);
}

TEST_CASE("bulk state I/O equals chain-by-chain state / set_state", "[gibbs]") {
  // ref overrides states / set_states (a block of 32 chains at a time, blocks
  // on threads for large transfers); the float backend uses the Sampler
  // defaults (chain by chain). Ranges that start and end inside blocks, with
  // clamps applied by set_states.
  const auto g = G("pegasus:2");
  const Problem prob = random_problem(g, WeightDist::parse("gauss:1"), WeightDist::parse("gauss:0.3"), 6);
  const std::size_t n = g->num_nodes();
  std::vector<std::uint8_t> mask(n, 0);
  mask[3] = mask[17] = 1;
  for (const bool ref : {true, false})
    for (const int chains : {77, 700}) {  // serial / parallel transfers in ref
      if (!ref && chains > 77) continue;
      INFO((ref ? "ref" : "float") << ", " << chains << " chains");
      auto a = ref ? make_ref_sampler() : make_float_sampler();
      auto b = ref ? make_ref_sampler() : make_float_sampler();
      for (auto* s : {a.get(), b.get()}) {
        s->load(prob, NumericSpec{}, 1.0);
        s->configure({chains, 5, 2});
        s->set_clamp_mask(mask);
        for (int c = 0; c < chains; ++c) s->set_clamp_values(c, std::vector<std::int8_t>(n, c % 2 ? 1 : -1));
        s->run(7, false);
      }
      const int first = 5, count = chains - 17;
      std::vector<std::vector<std::int8_t>> got;
      a->states(first, count, got);
      REQUIRE(got.size() == static_cast<std::size_t>(count));
      for (int k = 0; k < count; ++k) REQUIRE(got[static_cast<std::size_t>(k)] == a->state(first + k));
      a->states(0, 0, got);
      CHECK(got.empty());
      // Writes: random states for chains 30 .. chains-8 (clamped nodes keep their clamp value).
      std::vector<std::vector<std::int8_t>> w(static_cast<std::size_t>(chains - 37), std::vector<std::int8_t>(n));
      Rng rng(9);
      for (auto& row : w)
        for (auto& x : row) x = rng.below(2) ? 1 : -1;
      a->set_states(30, w);
      for (std::size_t k = 0; k < w.size(); ++k) b->set_state(30 + static_cast<int>(k), w[k]);
      for (int c = 0; c < chains; ++c) REQUIRE(a->state(c) == b->state(c));
      CHECK(a->state(31)[3] == 1);  // clamped (odd chain: +1)
      CHECK(a->state(32)[17] == -1);
      // And the chains go on identically.
      a->run(5, false);
      b->run(5, false);
      for (int c = 0; c < chains; ++c) REQUIRE(a->state(c) == b->state(c));
      // Out-of-range ranges are errors.
      CHECK_THROWS_AS(a->states(chains - 7, 8, got), Error);
      CHECK_THROWS_AS(a->states(-1, 2, got), Error);
      CHECK_THROWS_AS(a->set_states(chains - 20, w), Error);
      w[3].resize(n - 1);
      CHECK_THROWS_AS(a->set_states(0, w), Error);
    }
}

// "" if a == b, else where they first differ (readable, unlike int8 dumps).
std::string first_difference(const std::vector<std::vector<std::int8_t>>& a,
                             const std::vector<std::vector<std::int8_t>>& b) {
  if (a.size() != b.size()) return "chain counts differ";
  for (std::size_t c = 0; c < a.size(); ++c)
    for (std::size_t i = 0; i < a[c].size() && i < b[c].size(); ++i)
      if (a[c][i] != b[c][i]) return "chain " + std::to_string(c) + " p-bit " + std::to_string(i);
  return "";
}

TEST_CASE("every kernel equals the portable one over the legal spec range, sum widths included",
          "[gibbs][kernels]") {
  // Every (weight_bits, sum_bits) pair of the spec's range, with the other
  // fields drawn across theirs. Weights span the whole weight range so sums
  // saturate at every width; the int16 kernels once cast sum bounds beyond
  // int16 (sum_bits 17..24) to garbage. The portable kernel is checked
  // against the plain model on two chains of each case.
  const auto g = G("pegasus:2");
  std::mt19937 pick(2024);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(pick); };
  const int chains = 40;  // a full and a partial block
  int cases = 0;
  for (int wb = 2; wb <= 16; ++wb)
    for (int sb = wb; sb <= 24; ++sb) {
      NumericSpec s;
      s.weight_bits = wb;
      s.frac_bits = uniform(0, wb - 1);
      s.sum_bits = sb;
      s.lut_depth = 1 << uniform(1, 12);
      s.lut_shift = uniform(0, 2) == 0 ? uniform(0, sb - 1) : NumericSpec::covering_shift(sb, s.lut_depth);
      s.lut_bits = uniform(2, 16);
      s.rng = uniform(0, 1) ? RngKind::Xorshift32 : RngKind::Lfsr32;
      s.schedule = uniform(0, 3) == 0 ? Schedule::Async : Schedule::Chromatic;
      s.async_period = uniform(1, 6);
      s.beta_mode = uniform(0, 3) == 0 ? BetaMode::Fold : BetaMode::Lut;
      s.validate();
      const double wmax = s.weight_max() / s.scale();
      const Problem prob = random_problem(g, WeightDist::parse("gauss:" + std::to_string(0.8 * wmax)),
                                          WeightDist::parse("gauss:" + std::to_string(0.5 * wmax)),
                                          static_cast<std::uint64_t>(wb * 100 + sb));
      const double beta = 4.0 / (1 << std::min(sb - 2, 12)) * (1 << s.frac_bits);
      const Program prog = compile(prob, s, beta);
      INFO("weight_bits " << wb << " sum_bits " << sb << " frac_bits " << s.frac_bits << " lut_depth "
                          << s.lut_depth << " lut_shift " << s.lut_shift << " lut_bits " << s.lut_bits
                          << " " << to_string(s.rng) << " " << to_string(s.schedule) << " "
                          << to_string(s.beta_mode));
      std::vector<std::vector<std::int8_t>> portable;
      for (auto path : available_simd_paths())
        for (auto layout : {RefLayout::Planes, RefLayout::Chains}) {
        auto smp = make_ref_sampler(path, layout);
        smp->load(prob, s, beta);
        smp->configure({chains, 7, 1});
        std::vector<Model> models;
        const bool first = path == SimdPath::Scalar && layout == RefLayout::Planes;
        if (first)
          for (int c : {0, 35}) models.emplace_back(prog, 7, c);
        std::vector<std::vector<std::int8_t>> states;
        for (int sweep = 0; sweep < 12; ++sweep) {
          smp->run(1, false);
          for (std::size_t k = 0; k < models.size(); ++k) {
            models[k].sweep();
            INFO("sweep " << sweep);
            REQUIRE(smp->state(k == 0 ? 0 : 35) == models[k].state());
          }
        }
        for (int c = 0; c < chains; ++c) states.push_back(smp->state(c));
        INFO(to_string(path) << " " << to_string(layout));
        if (first)
          portable = states;
        else
          REQUIRE(first_difference(states, portable) == "");
      }
      ++cases;
    }
  CHECK(cases == 240);
}

TEST_CASE("the Chains layout equals the Planes layout through every Sampler call", "[gibbs][kernels]") {
  // Chains keeps each p-bit's exact sum up to date incrementally: every call
  // that changes states or weights must keep those sums right.
  const auto g = G("pegasus:2");
  const std::size_t n = g->num_nodes();
  const Problem p1 = random_problem(g, WeightDist::parse("gauss:2"), WeightDist::parse("gauss:1"), 8);
  const Problem p2 = random_problem(g, WeightDist::parse("gauss:1"), WeightDist::parse("gauss:2"), 9);
  for (const auto mode : {BetaMode::Lut, BetaMode::Fold})
    for (const auto sch : {Schedule::Chromatic, Schedule::Async}) {
      NumericSpec spec;
      spec.beta_mode = mode;
      spec.schedule = sch;
      const int chains = 37;
      std::vector<std::string> want;  // the transcript of the first sampler
      for (auto path : available_simd_paths())
        for (auto layout : {RefLayout::Planes, RefLayout::Chains}) {
          INFO(to_string(mode) << " " << to_string(sch) << " " << to_string(path) << " " << to_string(layout));
          auto s = make_ref_sampler(path, layout);
          s->load(p1, spec, 0.7);
          s->configure({chains, 4, 2});
          CHECK(ref_kernel_info(*s).layout == layout);
          std::vector<std::string> got;
          auto snap = [&](const char* what) {
            std::string t = what;
            for (int c = 0; c < chains; ++c)
              for (auto x : s->state(c)) t += x > 0 ? '+' : '-';
            const Stats st = s->stats();
            for (double m : st.mean) t += " " + std::to_string(m);
            got.push_back(t);
          };
          s->run(5, true);
          snap("run");
          std::vector<std::uint8_t> mask(n, 0);
          for (std::size_t i = 0; i < n; i += 5) mask[i] = 1;
          s->set_clamp_mask(mask);
          for (int c = 0; c < chains; c += 2)
            s->set_clamp_values(c, std::vector<std::int8_t>(n, c % 4 ? 1 : -1));
          s->run(4, true);
          snap("clamped");
          std::vector<std::int8_t> m(n);
          for (std::size_t i = 0; i < n; ++i) m[i] = i % 3 ? 1 : -1;
          s->set_state(3, m);
          std::vector<std::vector<std::int8_t>> rows(5, m);
          for (auto& r : rows) r[7] = 1;
          s->set_states(30, rows);
          s->run(3, false);
          snap("set_state");
          s->update_weights(p2);
          s->run(3, true);
          snap("update_weights");
          s->set_beta(2.5);
          s->run(3, false);
          snap("set_beta");
          s->clear_clamps();
          s->reset_stats();
          s->run(4, true);
          snap("clear_clamps");
          if (want.empty())
            want = got;
          else
            for (std::size_t k = 0; k < want.size(); ++k) REQUIRE(got[k] == want[k]);
        }
    }
}

TEST_CASE("a coupling with |2J| beyond int16 is summed exactly by the narrow kernels", "[gibbs][kernels]") {
  // One edge, J = 20000 LSBs: every sum (+-20000) fits int16, 2J (40000) does
  // not; the int16/int8 kernels add 2J modulo 2^16 / 2^8, which is exact.
  const auto g = G("lattice:1x2");
  Problem p = Problem::zeros(g);
  p.J[0] = 20000;
  NumericSpec s;
  s.weight_bits = 16;
  s.frac_bits = 0;
  s.sum_bits = 17;
  s.lut_shift = NumericSpec::covering_shift(17, s.lut_depth);
  const double beta = 1.0 / 16384;  // sums of 20000 LSBs are far from saturated tanh
  const Program prog = compile(p, s, beta);
  std::vector<std::vector<std::int8_t>> want;
  for (int c = 0; c < 40; ++c) {
    Model m(prog, 3, static_cast<std::uint64_t>(c));
    for (int k = 0; k < 30; ++k) m.sweep();
    want.push_back(m.state());
  }
  for (auto path : available_simd_paths())
    for (auto layout : {RefLayout::Planes, RefLayout::Chains}) {
      INFO(to_string(path) << " " << to_string(layout));
      auto smp = make_ref_sampler(path, layout);
      smp->load(p, s, beta);
      smp->configure({40, 3, 1});
      smp->run(30, false);
      std::vector<std::vector<std::int8_t>> got;
      for (int c = 0; c < 40; ++c) got.push_back(smp->state(c));
      CHECK(first_difference(got, want) == "");
    }
}

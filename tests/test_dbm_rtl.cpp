// The hardware in the training loop: a whole DBM training run (every phase,
// weight update, persistent chains), then classification and generation, on
// the simulated RTL (Verilator + SystemC) are bit for bit the runs of the
// `ref` backend with the same seeds. A regression test of the RTL under the
// trainer's real call sequence. One simulated board per process (SystemC),
// so one TEST_CASE; the model is built on first use into $PBIT_RTL_CACHE.
#include <pbit/dbm/evaluate.hpp>
#include <pbit/dbm/trainer.hpp>
#include <pbit/samplers/ref.hpp>
#include <pbit/sim/rtl_sampler.hpp>

#include <catch2/catch.hpp>

#include "dbm_toys.hpp"

using namespace pbit;

namespace {

// Every 5th image of the columns toy (dbm_toys.hpp), at most `count`.
data::Dataset columns(std::size_t count) {
  const data::Dataset all = test::columns_toy();
  data::Dataset d = all;
  d.pixels.clear();
  d.labels.clear();
  for (std::size_t i = 0; i < all.size() && d.size() < count; i += 5) {
    d.pixels.insert(d.pixels.end(), all.pixels.begin() + static_cast<std::ptrdiff_t>(i * 9),
                    all.pixels.begin() + static_cast<std::ptrdiff_t>((i + 1) * 9));
    d.labels.push_back(all.labels[i]);
  }
  return d;
}

struct Run {
  dbm::Checkpoint ck;
  std::vector<int> predictions;
  std::vector<std::uint8_t> generated;
};

Run train_on(Sampler& sampler, const data::Dataset& d) {
  NumericSpec spec;
  spec.weight_bits = 10;
  spec.frac_bits = 5;
  spec.sum_bits = 12;
  spec.lut_depth = 256;
  spec.lut_shift = NumericSpec::covering_shift(spec.sum_bits, spec.lut_depth);
  dbm::Architecture a;
  a.graph = "chimera:2";
  a.rows = a.cols = 3;
  a.classes = 2;
  a.label_copies = 2;
  dbm::TrainConfig c;
  c.epochs = 2;
  c.batch = 4;
  c.chains = 8;
  c.lr = 0.1;
  c.init_std = 0.1;
  c.pos_burn_in = 2;
  c.pos_sweeps = 2;
  c.neg_burn_in = 1;
  c.neg_sweeps = 3;
  c.cond_weight = 1.0;
  c.cond_burn_in = 2;
  c.cond_sweeps = 2;
  c.seed = 77;
  c.threads = 1;
  dbm::Trainer t(dbm::Model(a, spec, 1.0), c, sampler, d);
  while (!t.done()) {
    while (!t.at_epoch_end()) t.step();
    t.add_record(t.finish_epoch());
  }
  Run r;
  r.ck = t.checkpoint();
  dbm::ClassifyConfig cc;
  cc.burn_in = 3;
  cc.reads = 3;
  cc.threads = 1;
  r.predictions = dbm::classify(t.model(), sampler, d, cc).predictions;
  dbm::GenerateConfig g;
  g.per_class = 2;
  g.betas = {0.5, 1.0};
  g.sweeps_per_beta = 3;
  g.average_last = 2;
  g.threads = 1;
  r.generated = dbm::generate(t.model(), sampler, g).last;
  return r;
}

}  // namespace

TEST_CASE("DBM training, classification and generation: rtl == ref", "[rtl]") {
  const auto d = columns(16);
  REQUIRE(d.size() == 16);
  auto ref = make_ref_sampler();
  const Run a = train_on(*ref, d);
  auto rtl = sim::make_rtl_sampler();
  const Run b = train_on(*rtl, d);
  CHECK(b.ck.steps == 8);
  CHECK(b.ck.J == a.ck.J);  // float master weights: same statistics -> same doubles
  CHECK(b.ck.h == a.ck.h);
  CHECK(b.ck.chains == a.ck.chains);
  CHECK(b.predictions == a.predictions);
  CHECK(b.generated == a.generated);
  // Training moved the weights (the comparison is not between two zero runs).
  double moved = 0;
  for (double j : a.ck.J) moved += std::abs(j);
  CHECK(moved > 0.5);
}

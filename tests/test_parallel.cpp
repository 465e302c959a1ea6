// Work divided among processes gives the one-process bits: shares, chains
// seeded by their global index, the DistributedSampler, the trainer and
// classification on K = 1, 2, 3 "processes" (threads of this test, see
// thread_communicator.hpp), and, when built with MPI, `pbit` itself under
// mpirun (the [mpi] cases).
#include "dbm_toys.hpp"
#include "thread_communicator.hpp"

#include <pbit/anneal/anneal.hpp>
#include <pbit/anneal/planted.hpp>
#include <pbit/dbm/evaluate.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/parallel/distributed_sampler.hpp>
#include <pbit/problem.hpp>
#include <pbit/samplers/float_gibbs.hpp>
#include <pbit/samplers/ref.hpp>

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <memory>

using namespace pbit;
using namespace pbit::test;

namespace {

std::unique_ptr<Sampler> make_backend(const std::string& name) {
  return name == "ref" ? make_ref_sampler() : make_float_sampler();
}

Problem toy_problem(const std::string& graph = "chimera:2") {
  auto g = std::make_shared<const graphs::Graph>(graphs::make_graph(graph));
  return random_problem(g, WeightDist::parse("gauss:0.6"), WeightDist::parse("gauss:0.3"), 4);
}

// Clamp values of chain c (the mask clamps nodes 0, 5 and 9).
std::vector<std::int8_t> clamp_of(int c, std::size_t n) {
  std::vector<std::int8_t> m(n, -1);
  for (std::size_t i = 0; i < n; ++i) m[i] = ((static_cast<std::size_t>(c) * 7 + i) % 3) ? 1 : -1;
  return m;
}
std::vector<std::uint8_t> clamp_mask(std::size_t n) {
  std::vector<std::uint8_t> mask(n, 0);
  mask[0] = mask[5] = mask[9] = 1;
  return mask;
}

// The weights, moments, chains and history of two checkpoints agree bit for
// bit (wall times aside).
void check_same_run(const dbm::Checkpoint& a, const dbm::Checkpoint& b) {
  CHECK(a.epoch == b.epoch);
  CHECK(a.batch == b.batch);
  CHECK(a.steps == b.steps);
  CHECK(a.J == b.J);
  CHECK(a.h == b.h);
  CHECK(a.vJ == b.vJ);
  CHECK(a.vh == b.vh);
  CHECK(a.sJ == b.sJ);
  CHECK(a.sh == b.sh);
  CHECK(a.gvJ == b.gvJ);
  CHECK(a.gsh == b.gsh);
  CHECK(a.chains == b.chains);
  REQUIRE(a.history.size() == b.history.size());
  for (std::size_t e = 0; e < a.history.size(); ++e) {
    auto x = a.history[e], y = b.history[e];
    x.seconds = y.seconds = x.total_seconds = y.total_seconds = 0;
    CHECK(dbm::to_json_line(x) == dbm::to_json_line(y));
  }
}

}  // namespace

TEST_CASE("shares are contiguous, in rank order, whole units, balanced", "[parallel]") {
  for (int items : {0, 1, 5, 31, 32, 33, 70, 200})
    for (int size : {1, 2, 3, 8})
      for (int unit : {1, 3, 32}) {
        INFO(items << " items, " << size << " processes, unit " << unit);
        int next = 0, prev_units = 1 << 30;
        for (int r = 0; r < size; ++r) {
          const auto s = parallel::share(items, r, size, unit);
          CHECK(s.first == next);
          CHECK(s.count >= 0);
          if (s.count > 0) CHECK(s.first % unit == 0);
          const int units = (s.count + unit - 1) / unit;
          CHECK(units <= prev_units);  // earlier ranks get no fewer
          if (r > 0) CHECK(prev_units - units <= 1);
          prev_units = units;
          next = s.end();
          for (int i = s.first; i < s.end(); ++i) CHECK(parallel::owner(i, items, size, unit) == r);
        }
        CHECK(next == items);
      }
  CHECK_THROWS_AS(parallel::share(10, 2, 2), Error);
  CHECK_THROWS_AS(parallel::owner(10, 10, 2), Error);
}

TEST_CASE("a share of the chains, seeded by global index, runs the whole set's bits",
          "[parallel]") {
  const std::string backend = GENERATE("ref", "float");
  INFO(backend);
  const Problem p = toy_problem();
  const NumericSpec spec;
  const std::size_t n = p.h.size();
  const int C = 70;
  auto run = [&](Sampler& s, int first, int count) {
    s.load(p, spec, 0.8);
    s.configure({count, 9, 1, first});
    s.set_clamp_mask(clamp_mask(n));
    for (int c = 0; c < count; ++c) s.set_clamp_values(c, clamp_of(first + c, n));
    s.run(7, false);
    s.run(11, true);
  };
  auto whole = make_backend(backend);
  run(*whole, 0, C);
  std::vector<std::vector<std::int8_t>> all;
  whole->states(0, C, all);
  const Stats ws = whole->stats();
  REQUIRE(ws.sum_m.size() == n);
  REQUIRE(ws.sum_c.size() == p.J.size());

  std::vector<std::int64_t> sm(n, 0), sc(p.J.size(), 0);
  std::uint64_t samples = 0;
  for (const auto& part :
       {parallel::Range{0, 25}, parallel::Range{25, 13}, parallel::Range{38, 32}}) {
    auto s = make_backend(backend);
    run(*s, part.first, part.count);
    std::vector<std::vector<std::int8_t>> got;
    s->states(0, part.count, got);
    for (int c = 0; c < part.count; ++c)
      CHECK(got[static_cast<std::size_t>(c)] == all[static_cast<std::size_t>(part.first + c)]);
    const Stats st = s->stats();
    for (std::size_t i = 0; i < n; ++i) sm[i] += st.sum_m[i];
    for (std::size_t e = 0; e < sc.size(); ++e) sc[e] += st.sum_c[e];
    samples += st.samples;
  }
  const Stats sum = stats_from_sums(p, samples, sm, sc);
  CHECK(sum.samples == ws.samples);
  CHECK(sum.mean == ws.mean);
  CHECK(sum.corr == ws.corr);
  CHECK(sum.energy_mean == ws.energy_mean);
}

TEST_CASE("DistributedSampler on 1, 2, 3 processes: the one-process statistics and states",
          "[parallel]") {
  const std::string backend = GENERATE("ref", "float");
  const int unit = GENERATE(1, 32);
  const Problem p = toy_problem();
  const NumericSpec spec;
  const std::size_t n = p.h.size();
  const int C = 70;
  auto drive = [&](Sampler& s) {
    s.load(p, spec, 0.8);
    s.configure({C, 9, 1});
    s.set_clamp_mask(clamp_mask(n));
    for (int c = 0; c < C; ++c) s.set_clamp_values(c, clamp_of(c, n));
    s.run(7, false);
    s.run(11, true);
  };
  auto plain = make_backend(backend);
  drive(*plain);
  const Stats want = plain->stats();
  std::vector<std::vector<std::int8_t>> want_states;
  plain->states(0, C, want_states);

  for (int K : {1, 2, 3}) {
    INFO(backend << ", unit " << unit << ", " << K << " processes");
    ThreadWorld world(K);
    std::vector<Stats> got(static_cast<std::size_t>(K));
    std::vector<std::vector<std::vector<std::int8_t>>> got_states(static_cast<std::size_t>(K));
    std::vector<std::vector<std::int8_t>> got_one(static_cast<std::size_t>(K));
    world.run([&](const parallel::Communicator& comm) {
      parallel::DistributedSampler s(make_backend(backend), comm, unit);
      drive(s);
      const auto r = static_cast<std::size_t>(comm.rank());
      got[r] = s.stats();
      s.states(3, C - 5, got_states[r]);
      got_one[r] = s.state(C - 1);
      // set_states then states: a round trip through the shares
      std::vector<std::vector<std::int8_t>> flipped(want_states.begin() + 10,
                                                    want_states.begin() + 50);
      for (auto& row : flipped)
        for (auto& x : row) x = static_cast<std::int8_t>(-x);
      s.clear_clamps();
      s.set_states(10, flipped);
      std::vector<std::vector<std::int8_t>> back;
      s.states(10, 40, back);
      if (back != flipped) throw Error("set_states/states round trip differs");
    });
    for (int r = 0; r < K; ++r) {
      const auto& g = got[static_cast<std::size_t>(r)];
      CHECK(g.samples == want.samples);
      CHECK(g.mean == want.mean);
      CHECK(g.corr == want.corr);
      CHECK(g.energy_mean == want.energy_mean);
      CHECK(got_states[static_cast<std::size_t>(r)] ==
            std::vector<std::vector<std::int8_t>>(want_states.begin() + 3,
                                                  want_states.begin() + C - 2));
      CHECK(got_one[static_cast<std::size_t>(r)] == want_states.back());
    }
  }
}

TEST_CASE("the exact backend is refused when divided", "[parallel]") {
  const Problem p = toy_problem("chimera:1");
  ThreadWorld world(2);
  CHECK_THROWS_WITH(world.run([&](const parallel::Communicator& comm) {
    parallel::DistributedSampler s(make_exact_sampler(Arithmetic::Float), comm, 1);
    s.load(p, NumericSpec{}, 0.5);
    s.configure({4, 1, 1});
    s.run(2, true);
    (void)s.stats();
  }),
                    Catch::Contains("cannot be divided"));
}

TEST_CASE("annealing on 1, 2, 3 processes: the one-process energies, trace and best state",
          "[parallel]") {
  const std::string backend = GENERATE("ref", "float");
  const int unit = GENERATE(1, 32);
  INFO(backend << ", unit " << unit);
  const auto pl = anneal::planted_problem(
      std::make_shared<const graphs::Graph>(graphs::make_graph("pegasus:2")), 0.3, 3, 2);
  anneal::Config cfg;
  cfg.schedule = anneal::BetaSchedule::parse("linear:0.1,2,40");
  cfg.chains = 70;
  cfg.seed = 3;
  cfg.trace_points = 7;
  cfg.target = pl.ground_energy;
  auto plain = make_backend(backend);
  const auto want = anneal::run(*plain, pl.problem, NumericSpec{}, cfg);
  REQUIRE(want.trace.size() == 7);
  for (int K : {1, 2, 3}) {
    INFO(K << " processes");
    ThreadWorld world(K);
    std::vector<anneal::Result> got(static_cast<std::size_t>(K));
    world.run([&](const parallel::Communicator& comm) {
      parallel::DistributedSampler s(make_backend(backend), comm, unit);
      got[static_cast<std::size_t>(comm.rank())] = anneal::run(s, pl.problem, NumericSpec{}, cfg);
    });
    for (const auto& g : got) {
      CHECK(g.final_energies == want.final_energies);
      CHECK(g.best_energy == want.best_energy);
      CHECK(g.best_chain == want.best_chain);
      CHECK(g.best_sweeps == want.best_sweeps);
      CHECK(g.best_state == want.best_state);
      CHECK(g.successes == want.successes);
      REQUIRE(g.trace.size() == want.trace.size());
      for (std::size_t t = 0; t < g.trace.size(); ++t) {
        CHECK(g.trace[t].mean_energy == want.trace[t].mean_energy);
        CHECK(g.trace[t].min_energy == want.trace[t].min_energy);
      }
    }
  }
}

TEST_CASE("training and classification on 1, 2, 3 processes: the one-process model, bit for bit",
          "[parallel]") {
  // Two trainings on the labelled columns toy: the fast recipe (mean-field
  // epochs, readout term, generative term with its own Adam moments, shifted
  // images) and a boltzmann one (persistent chains, conditional term, the
  // running accuracy from single chains), then classification of the result.
  const auto d = columns_toy();
  const bool fast = GENERATE(true, false);
  dbm::TrainConfig cfg;
  if (fast) {
    cfg = dbm::fast_recipe(4).config;  // 2 mean-field + 2 sampler epochs
    cfg.cond_burn_in = 4;
    cfg.cond_sweeps = 3;
    cfg.neg_sweeps = 3;
  } else {
    cfg = bas_config();
    cfg.epochs = 2;
    cfg.cond_weight = 0.5;
    cfg.optimizer = dbm::Optimizer::Adam;
    cfg.lr = 0.01;
  }
  cfg.batch = 8;
  cfg.chains = 8 * 12;  // 3 words of 32 chains
  cfg.threads = 1;
  const int unit = GENERATE(1, 32);
  INFO((fast ? "fast recipe" : "boltzmann") << ", unit " << unit);
  const dbm::Model m0(bas_arch("chimera:2", 2), fine_spec(), 1.0);
  dbm::ClassifyConfig cc = dbm::eval_defaults();
  cc.replicas = 3;
  cc.burn_in = 4;
  cc.reads = 3;
  cc.chunk = 50;  // chunks of 50 and 12 images
  cc.readout = dbm::Readout::Prob;
  cc.threads = 1;

  auto train = [&](Sampler& s, dbm::Checkpoint& ck, dbm::ClassifyResult& res) {
    dbm::Trainer t(m0, cfg, s, d);
    run_epochs(t, cfg.epochs);
    ck = t.checkpoint();
    res = dbm::classify(t.model(), s, d, cc);
  };
  dbm::Checkpoint want;
  dbm::ClassifyResult want_res;
  {
    auto s = make_ref_sampler();
    train(*s, want, want_res);
  }
  REQUIRE(want.steps > 0);
  for (int K : {1, 2, 3}) {
    INFO(K << " processes");
    ThreadWorld world(K);
    std::vector<dbm::Checkpoint> got(static_cast<std::size_t>(K));
    std::vector<dbm::ClassifyResult> res(static_cast<std::size_t>(K));
    world.run([&](const parallel::Communicator& comm) {
      parallel::DistributedSampler s(make_ref_sampler(), comm, unit);
      const auto r = static_cast<std::size_t>(comm.rank());
      train(s, got[r], res[r]);
    });
    for (int r = 0; r < K; ++r) {
      INFO("rank " << r);
      check_same_run(got[static_cast<std::size_t>(r)], want);
      CHECK(res[static_cast<std::size_t>(r)].predictions == want_res.predictions);
      CHECK(res[static_cast<std::size_t>(r)].accuracy_by_reads == want_res.accuracy_by_reads);
      CHECK(res[static_cast<std::size_t>(r)].confusion == want_res.confusion);
    }
  }
}

#ifdef PBIT_MPIEXEC
// ---- `pbit` under mpirun: K = 1, 2, 3 processes, the same output ----
namespace {

CliResult mpirun(int K, const std::string& args) {
  return pbit_cli_with(std::string(PBIT_MPIEXEC) + " " + std::to_string(K) + " ", args);
}

// A --json document without the keys that are wall times or name the process count.
nlohmann::json without_times(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  for (const char* k :
       {"seconds", "flips_per_ns", "processes", "sample_seconds", "read_seconds", "monitor_seconds",
        "time", "out", "checkpoint", "metrics", "curves", "samples"})
    j.erase(k);
  return j;
}

std::vector<nlohmann::json> metrics_without_times(const std::string& path) {
  std::vector<nlohmann::json> out;
  const auto b = data::read_file(path);
  std::string line;
  for (char ch : b) {
    if (ch != '\n') {
      line += ch;
      continue;
    }
    auto j = nlohmann::json::parse(line);
    j.erase("seconds");
    j.erase("total_seconds");
    out.push_back(j);
    line.clear();
  }
  return out;
}

}  // namespace

TEST_CASE("mpirun: pbit sample on 1, 2, 3 processes prints the same moments", "[mpi]") {
  const std::string backend = GENERATE("ref", "float");
  const std::string args =
      "sample --graph chimera:2 --couplings gauss:0.5 --fields gauss:0.2 --backend " + backend +
      " --chains 70 --sweeps 40 --burn-in 5 --threads 1 --json";
  const auto one = pbit_cli(args);  // no launcher at all
  REQUIRE(one.code == 0);
  for (int K : {1, 2, 3}) {
    INFO(backend << ", " << K << " processes: " << args);
    const auto r = mpirun(K, args);
    REQUIRE(r.code == 0);
    CHECK(nlohmann::json::parse(r.out)["processes"] == K);
    CHECK(without_times(r.out) == without_times(one.out));
  }
}

TEST_CASE("mpirun: pbit anneal on 1, 2, 3 processes prints the same energies and state", "[mpi]") {
  const std::string args =
      "anneal --graph pegasus:3 --planted 0.3 --chains 70 --betas linear:0.1,3,100 --trace-points "
      "5 --threads 1 --json";
  const auto one = pbit_cli(args);
  REQUIRE(one.code == 0);
  auto strip = [](const std::string& text) {
    auto j = without_times(text);
    for (const char* k : {"load_seconds", "tts99_seconds", "kernel"}) j.erase(k);
    return j;
  };
  CHECK(nlohmann::json::parse(one.out)["final_energies"].size() == 70);
  for (int K : {1, 2, 3}) {
    INFO(K << " processes: " << args);
    const auto r = mpirun(K, args);
    REQUIRE(r.code == 0);
    CHECK(strip(r.out) == strip(one.out));
  }
}

TEST_CASE("mpirun: pbit train and eval on 1, 2, 3 processes, resumed on another count", "[mpi]") {
  // The fast recipe on the labelled columns toy: 2 mean-field epochs, then
  // the readout and generative terms; the held-out monitor and samples.png.
  const std::string data = columns_idx_dir();
  const std::string base = std::string(PBIT_BINARY_DIR) + "/tests/parallel_train_";
  const std::string train =
      "train --dataset idx:" + data +
      " --graph chimera:2 --label-copies 2 --mf-epochs 2 --batch 8 --chains 96 --threads 1"
      " --cond-burn-in 4 --cond-sweeps 3 --neg-sweeps 3 --monitor-images 40"
      " --samples-per-class 2 --quiet --json";
  std::vector<dbm::Checkpoint> cks;
  std::vector<nlohmann::json> outs;
  std::vector<std::vector<nlohmann::json>> metrics;
  for (int K : {1, 2, 3}) {
    INFO(K << " processes");
    const std::string out = base + std::to_string(K);
    std::filesystem::remove_all(out);
    const auto r = mpirun(K, train + " --epochs 4 --out " + out);
    INFO(r.err);
    REQUIRE(r.code == 0);
    cks.push_back(dbm::load_checkpoint(out + "/checkpoint.pbit"));
    outs.push_back(without_times(r.out));
    metrics.push_back(metrics_without_times(out + "/metrics.jsonl"));
    CHECK(std::filesystem::exists(out + "/samples.png"));
    CHECK(std::filesystem::exists(out + "/chains.png"));
  }
  REQUIRE(cks[0].epoch == 4);
  REQUIRE(metrics[0].size() == 4);
  CHECK(outs[0]["held_out_accuracy"].get<double>() > 0);
  for (std::size_t k = 1; k < cks.size(); ++k) {
    INFO(k + 1 << " processes against 1");
    check_same_run(cks[k], cks[0]);
    CHECK(outs[k] == outs[0]);
    CHECK(metrics[k] == metrics[0]);
  }

  // 2 epochs on 2 processes, resumed to 4 on 3: the 4-epoch run of 1 process
  // (the monitor options are not in the checkpoint: given again).
  const std::string out = base + "resumed";
  std::filesystem::remove_all(out);
  REQUIRE(mpirun(2, train + " --epochs 2 --out " + out).code == 0);
  const auto r =
      mpirun(3, "train --resume " + out +
                    " --epochs 4 --monitor-images 40 --samples-per-class 2 --quiet --json");
  INFO(r.err);
  REQUIRE(r.code == 0);
  check_same_run(dbm::load_checkpoint(out + "/checkpoint.pbit"), cks[0]);

  // eval of the 1-process model, prob readout (sums of non-integers, in order).
  const std::string eval = "eval --model " + base +
                           "1 --replicas 3 --burn-in 4 --reads 4 --readout prob"
                           " --chunk 50 --threads 1 --json";
  const auto e1 = pbit_cli(eval);
  REQUIRE(e1.code == 0);
  for (int K : {1, 2, 3}) {
    INFO(K << " processes: " << eval);
    const auto e = mpirun(K, eval);
    REQUIRE(e.code == 0);
    CHECK(without_times(e.out) == without_times(e1.out));
  }
}

TEST_CASE("mpirun: errors end every process with one message", "[mpi]") {
  // A command that runs as one process only.
  auto r = mpirun(2, "graph info chimera:1");
  CHECK(r.code == 1);
  CHECK(r.err.find("runs as one process") != std::string::npos);
  // A backend that cannot be divided.
  r = mpirun(2, "sample --graph chimera:1 --backend exact --sweeps 10");
  CHECK(r.code == 1);
  CHECK(r.err.find("under MPI use ref or float") != std::string::npos);
  // Bad input found by every process: the run ends (no process left waiting).
  r = mpirun(2, "train --dataset idx:/nonexistent-dir --epochs 1 --quiet");
  CHECK(r.code != 0);
  CHECK(r.err.find("pbit: error:") != std::string::npos);
}
#endif

// Annealing (pbit anneal and its library): schedules, time to target, planted
// and exactly enumerated ground states, Max-Cut files, and the CLI.
#include <pbit/anneal/anneal.hpp>
#include <pbit/anneal/planted.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/problem_rudy.hpp>
#include <pbit/samplers/float_gibbs.hpp>
#include <pbit/samplers/ref.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>
#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

using namespace pbit;

namespace {

std::shared_ptr<const graphs::Graph> G(const std::string& spec) {
  return std::make_shared<const graphs::Graph>(graphs::make_graph(spec));
}

// Lowest energy by enumerating all 2^n states (n <= 22).
double exact_ground_energy(const Problem& p) {
  const std::size_t n = p.num_nodes();
  REQUIRE(n <= 22);
  double best = std::numeric_limits<double>::infinity();
  std::vector<std::int8_t> m(n);
  for (std::uint64_t x = 0; x < (std::uint64_t{1} << n); ++x) {
    for (std::size_t i = 0; i < n; ++i) m[i] = (x >> i) & 1 ? 1 : -1;
    best = std::min(best, p.energy(m));
  }
  return best;
}

// Weights on the spec's grid (multiples of 0.5 in [-3, 3], default s[4][1]),
// so the hardware anneals exactly the problem whose energies are reported.
Problem grid_problem(std::shared_ptr<const graphs::Graph> g, std::uint64_t seed) {
  Problem p = Problem::zeros(g);
  Rng rng(seed);
  for (auto& j : p.J) j = (static_cast<double>(rng.below(13)) - 6) / 2;
  for (auto& h : p.h) h = (static_cast<double>(rng.below(5)) - 2) / 2;
  return p;
}

struct Result {
  int code;
  std::string out, err;
};

Result pbit_cli(const std::string& args) {
  const std::string err_file =
      std::string(PBIT_BINARY_DIR) + "/tests/anneal_stderr." + std::to_string(::getpid()) + ".txt";
  const std::string cmd = std::string(PBIT_BINARY_DIR) + "/pbit " + args + " 2>" + err_file;
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  std::size_t got;
  while ((got = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), got);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_file);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  return r;
}

std::string temp_file(const std::string& name, const std::string& text) {
  const std::string path = std::string(PBIT_BINARY_DIR) + "/tests/" + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("beta schedules: linear, geometric, constant, lists, bad ones rejected", "[anneal]") {
  using anneal::BetaSchedule;
  const auto lin = BetaSchedule::parse("linear:0.5,2,4");
  REQUIRE(lin.betas.size() == 4);
  CHECK(lin.betas[0] == 0.5);
  CHECK(lin.betas[1] == Approx(1.0));
  CHECK(lin.betas[2] == Approx(1.5));
  CHECK(lin.betas[3] == 2.0);
  const auto geo = BetaSchedule::parse("geometric:0.1,10,3");
  REQUIRE(geo.betas.size() == 3);
  CHECK(geo.betas[1] == Approx(1.0));
  CHECK(geo.betas[2] == 10.0);
  CHECK(BetaSchedule::parse("constant:1.5,7").betas == std::vector<double>(7, 1.5));
  CHECK(BetaSchedule::parse("0,1,2.5").betas == std::vector<double>{0, 1, 2.5});
  CHECK(BetaSchedule::parse("list:3").betas == std::vector<double>{3});
  CHECK(BetaSchedule::parse("linear:1,2,1").betas == std::vector<double>{2});
  // End points far apart: no cancellation, no overflow of B1 / B0.
  CHECK(BetaSchedule::parse("linear:1e20,5,3").betas[1] == Approx(5e19));
  CHECK(BetaSchedule::parse("geometric:1e-300,1e300,3").betas[1] == Approx(1.0));
  for (const char* bad : {"", "linear:1,2", "linear:1,2,0", "linear:1,2,2.5", "linear:1,2,-3", "geometric:0,1,5",
                          "cubic:1,2,3", "list:1,,2", "1,nan", "1,-1", "linear:1,2,1e9", "constant:1", "linear:a,2,3",
                          "0x10"}) {
    INFO(bad);
    CHECK_THROWS_AS(BetaSchedule::parse(bad), Error);
  }
}

TEST_CASE("TTS99 = t_run ln(0.01) / ln(1 - p)", "[anneal]") {
  CHECK_FALSE(anneal::tts99(2.0, 0.0).has_value());
  CHECK(*anneal::tts99(2.0, 0.5) == Approx(2.0 * std::log(0.01) / std::log(0.5)));
  CHECK(*anneal::tts99(2.0, 0.1) == Approx(2.0 * 43.7096).epsilon(1e-4));
  CHECK(*anneal::tts99(2.0, 1.0) == 2.0);  // one restart is enough
  CHECK(*anneal::tts99(2.0, 0.995) == 2.0);
}

TEST_CASE("planted frustrated loops: the planted state has the stated energy, none lower", "[anneal]") {
  for (const char* spec : {"lattice:4x4,periodic", "king:4x4", "chimera:1,2"}) {
    INFO(spec);
    const auto pl = anneal::planted_problem(G(spec), 0.5, 2, 7);
    CHECK(pl.loops > 0);
    CHECK(pl.problem.energy(pl.ground_state) == pl.ground_energy);
    CHECK(exact_ground_energy(pl.problem) == pl.ground_energy);
    for (double j : pl.problem.J) CHECK(std::abs(j) <= 2);
  }
  CHECK_THROWS_AS(anneal::planted_problem(G("lattice:1x5"), 0.5, 2, 1), Error);  // a path: no cycles
  CHECK_THROWS_AS(anneal::planted_problem(G("chimera:1"), 0, 2, 1), Error);
  CHECK_THROWS_AS(anneal::planted_problem(G("chimera:1"), 0.5, 0, 1), Error);
}

TEST_CASE("ref anneals planted Pegasus instances to their ground energy, same bits on every kernel",
          "[anneal]") {
  const auto pl = anneal::planted_problem(G("pegasus:4"), 0.3, 2, 11);
  anneal::Config cfg;
  cfg.schedule = anneal::BetaSchedule::parse("linear:0.1,4,400");
  cfg.chains = 40;
  cfg.seed = 3;
  cfg.target = pl.ground_energy;
  cfg.trace_points = 4;
  std::vector<double> want;
  for (auto path : available_simd_paths())
    for (auto layout : {RefLayout::Planes, RefLayout::Chains}) {
      INFO(to_string(path) << " " << to_string(layout));
      auto s = make_ref_sampler(path, layout);
      const auto r = anneal::run(*s, pl.problem, NumericSpec{}, cfg);
      CHECK(r.best_energy == pl.ground_energy);
      CHECK(r.successes > 0);
      CHECK(r.success_probability.value() == Approx(r.successes / 40.0));
      CHECK(r.tts99_seconds.has_value());
      CHECK(pl.problem.energy(r.best_state) == r.best_energy);
      CHECK(r.sweeps == 400u);
      CHECK(r.trace.size() == 4u);  // after 100, 200, 300 and 400 sweeps
      CHECK(r.trace.front().sweeps == 100u);
      CHECK(r.trace.back().sweeps == 400u);
      if (want.empty())
        want = r.final_energies;
      else
        CHECK(r.final_energies == want);
    }
}

TEST_CASE("anneal reaches the exactly enumerated ground energy of small problems (ref, float)", "[anneal]") {
  for (const char* spec : {"lattice:4x4", "king:3x4", "er:18,0.3,5", "chimera:1,2"}) {
    for (const char* backend : {"ref", "float"}) {
      INFO(spec << " " << backend);
      const Problem p = grid_problem(G(spec), 17);
      const double e0 = exact_ground_energy(p);
      auto s = std::string(backend) == "ref" ? make_ref_sampler() : make_float_sampler();
      anneal::Config cfg;
      cfg.schedule = anneal::BetaSchedule::parse("geometric:0.05,5,300");
      cfg.chains = 16;
      cfg.target = e0;
      const auto r = anneal::run(*s, p, NumericSpec{}, cfg);
      CHECK(r.best_energy == Approx(e0));
      CHECK(r.successes >= 8);
      for (double e : r.final_energies) CHECK(e >= e0 - 1e-9);
    }
  }
}

TEST_CASE("the same seed gives the same anneal, set_beta every step equals loading at that beta", "[anneal]") {
  const Problem p = grid_problem(G("pegasus:2"), 5);
  anneal::Config cfg;
  cfg.schedule = anneal::BetaSchedule::parse("0.3,0.3,1.7");
  cfg.sweeps_per_beta = 3;
  cfg.chains = 5;
  auto a = make_ref_sampler();
  const auto r1 = anneal::run(*a, p, NumericSpec{}, cfg);
  const auto r2 = anneal::run(*a, p, NumericSpec{}, cfg);
  CHECK(r1.final_energies == r2.final_energies);
  // By hand: 6 sweeps at 0.3 then a fresh LUT for 1.7.
  auto b = make_ref_sampler();
  b->load(p, NumericSpec{}, 0.3);
  b->configure({5, 1, 1});
  b->run(6, false);
  b->set_beta(1.7);
  b->run(3, false);
  for (int c = 0; c < 5; ++c) CHECK(p.energy(b->state(c)) == r1.final_energies[static_cast<std::size_t>(c)]);
  cfg.seed = 2;
  CHECK(anneal::run(*a, p, NumericSpec{}, cfg).final_energies != r1.final_energies);
}

TEST_CASE("rudy / G-set Max-Cut files: J = -w, cut = (W - E) / 2, errors name the line", "[anneal][problem]") {
  const auto ok = temp_file("maxcut_ok.rud", "# a square with a chord\n5 5\n1 2 1\n2 3 1\n\n3 4 2\n4 1 1\n1 3 -1\n");
  const MaxCut mc = read_rudy(ok);
  const auto& g = *mc.ising.graph;
  REQUIRE(g.num_nodes() == 5);  // node 5 is isolated
  CHECK(g.num_edges() == 5u);
  CHECK(mc.total_weight == 4);
  CHECK(g.labels().front() == 1);
  CHECK(g.labels().back() == 5);
  // Edge 3-4 carries w = 2, so J = -2.
  const auto u = *g.index_of(3), v = *g.index_of(4);
  for (std::size_t e = 0; e < g.num_edges(); ++e)
    if (g.edges()[e].u == u && g.edges()[e].v == v) CHECK(mc.ising.J[e] == -2);
  // Cut of {1,3} | {2,4,5}: edges 1-2, 2-3, 3-4, 4-1 cut = 1 + 1 + 2 + 1 = 5.
  std::vector<std::int8_t> m(5, -1);
  m[*g.index_of(1)] = m[*g.index_of(3)] = 1;
  CHECK(mc.cut(mc.ising.energy(m)) == 5);
  CHECK(mc.energy_of_cut(5) == mc.ising.energy(m));
  CHECK(detect_problem_format(ok) == ProblemFormat::Rudy);
  CHECK(detect_problem_format(temp_file("text_prob.txt", "# x\n0 4 1.5\n")) == ProblemFormat::Text);
  CHECK(read_problem_file(ok, nullptr, ProblemFormat::Auto).maxcut.has_value());
  CHECK_THROWS_AS(read_problem_file(ok, G("chimera:1"), ProblemFormat::Auto), Error);

  struct Bad {
    const char* text;
    const char* where;  // expected in the message
  };
  for (const Bad& b : std::vector<Bad>{{"", "no 'n m' header"},
                                       {"3\n", ":1:"},
                                       {"3 x\n", ":1:"},
                                       {"0 0\n", ":1: node count"},
                                       {"3 4\n", ":1: edge count"},
                                       {"3 2\n1 2 1\n", "declares 2 edges, the file has 1"},
                                       {"3 1\n1 2 1\n2 3 1\n", ":3: more edge lines"},
                                       {"3 2\n1 2 1\n2 4 1\n", ":3: node '4'"},
                                       {"3 2\n1 2 1\n0 2 1\n", ":3: node '0'"},
                                       {"3 2\n1 2 1\n2 2 1\n", ":3: self-loop"},
                                       {"3 2\n1 2 1\n2 1 3\n", ":3: duplicate edge 2 1 (first on line 2)"},
                                       {"3 1\n1 2 nan\n", ":2: weight 'nan'"},
                                       {"3 1\n1 2 0x10\n", ":2: weight '0x10'"},
                                       {"3 1\n1 2 1e999\n", ":2: weight"},
                                       {"3 1\n1 2\n", ":2: expected 3 fields"},
                                       {"3 1\n-1 2 1\n", ":2: node '-1'"},
                                       {"99999999999 1\n", ":1: node count"}}) {
    INFO(b.text);
    const auto path = temp_file("maxcut_bad.rud", b.text);
    try {
      read_rudy(path);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK_THAT(e.what(), Catch::Contains(b.where));
    }
  }
  const auto long_line = temp_file("maxcut_long.rud", "3 1\n1 2 " + std::string(10000, '1') + "\n");
  CHECK_THROWS_WITH(read_rudy(long_line), Catch::Contains(":2: line longer than"));
  CHECK_THROWS_WITH(read_rudy(std::string(PBIT_BINARY_DIR) + "/tests"), Catch::Contains("directory"));
  CHECK_THROWS_WITH(read_rudy(std::string(PBIT_BINARY_DIR) + "/no/such/file"), Catch::Contains("not found"));
}

TEST_CASE("pbit anneal --json: documented keys, Max-Cut cuts, TTS99, plot", "[anneal][cli]") {
  const auto r = pbit_cli("anneal --graph pegasus:3 --planted 0.3 --chains 8 --betas linear:0.1,3,200 --json --plot " +
                          std::string(PBIT_BINARY_DIR) + "/tests/anneal_plot.png");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  for (const char* k : {"best_energy", "best_state", "final_energies", "success_probability", "tts99_seconds", "sweeps",
                        "chains", "seconds", "flips_per_ns", "target", "trace"})
    CHECK(j.contains(k));
  CHECK(j["chains"] == 8);
  CHECK(j["sweeps"] == 200);
  CHECK(j["final_energies"].size() == 8);
  CHECK(j["best_state"].size() == G("pegasus:3")->num_nodes());
  CHECK(j["target"] == j["planted_ground_energy"]);
  CHECK(j["best_energy"].get<double>() >= j["target"].get<double>());
  std::ifstream png(std::string(PBIT_BINARY_DIR) + "/tests/anneal_plot.png", std::ios::binary);
  char sig[4] = {};
  png.read(sig, 4);
  CHECK(std::string(sig + 1, 3) == "PNG");

  const auto mc = temp_file("maxcut_cli.rud", "4 5\n1 2 1\n2 3 1\n3 4 1\n4 1 1\n1 3 -1\n");
  const auto c = pbit_cli("anneal --problem " + mc + " --chains 4 --betas linear:0.1,3,100 --target-cut 4 --json");
  REQUIRE(c.code == 0);
  const auto k = nlohmann::json::parse(c.out);
  CHECK(k["best_cut"] == 4);
  CHECK(k["best_energy"] == -5);
  CHECK(k["target"] == -5);
  CHECK(k["success_probability"] == 1.0);
  CHECK(k["final_cuts"].size() == 4);
  const auto human = pbit_cli("anneal --problem " + mc + " --chains 4 --betas linear:0.1,3,100");
  CHECK(human.code == 0);
  CHECK(human.out.find("cut 4") != std::string::npos);
  CHECK(human.out.find("best state (label:spin)") != std::string::npos);
}

TEST_CASE("pbit anneal rejects bad input with one clear error", "[anneal][cli]") {
  const auto mc = temp_file("maxcut_cli_bad.rud", "4 2\n1 2 1\n2 5 1\n");
  struct Bad {
    std::string args, what;
  };
  for (const Bad& b : std::vector<Bad>{
           {"--graph chimera:1 --betas linear:1,2", "linear:B0,B1,STEPS"},
           {"--graph chimera:1 --betas linear:1,2,0", "step count"},
           {"--graph chimera:1 --betas 1,-2", ">= 0"},
           {"--graph chimera:1 --target-cut 3", "needs a Max-Cut"},
           {"--graph chimera:1 --target 1 --target-cut 3", "not both"},
           {"--problem " + mc, ":3: node '5'"},
           {"--problem " + mc + " --graph chimera:1", "node"},
           {"--graph chimera:1 --backend exact", "exact backend"},
           {"--graph chimera:1 --planted 0", "alpha"},
           {"--graph chimera:1 --planted 0.5,x", "coupling bound"},
           {"--planted 0.5", "needs --graph"},
           {"--graph chimera:1 --format dimacs", "unknown problem format"},
       }) {
    INFO(b.args);
    const auto r = pbit_cli("anneal " + b.args);
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::StartsWith("pbit: error: ") && Catch::Contains(b.what));
  }
  CHECK(pbit_cli("anneal --graph chimera:1 --sweeps-per-beta 0").code == 2);
  // Numbers on the command line are decimals: nan is a bad command line.
  CHECK(pbit_cli("anneal --graph chimera:1 --target nan").code == 2);
  CHECK(pbit_cli("anneal --graph chimera:1 --chains 0").code == 2);
}

TEST_CASE("anneal on the simulated RTL equals ref for the same seed", "[anneal][rtl]") {
  const std::string args = "anneal --graph chimera:1 --couplings gauss:1 --fields gauss:0.5 --chains 3 --seed 4 "
                           "--betas linear:0.1,3,40 --sweeps-per-beta 2 --json --backend ";
  const auto ref = pbit_cli(args + "ref");
  const auto rtl = pbit_cli(args + "rtl");
  REQUIRE(ref.code == 0);
  INFO(rtl.err);
  REQUIRE(rtl.code == 0);
  const auto a = nlohmann::json::parse(ref.out), b = nlohmann::json::parse(rtl.out);
  CHECK(a["final_energies"] == b["final_energies"]);
  CHECK(a["best_state"] == b["best_state"]);
  CHECK(a["trace"] == b["trace"]);
}

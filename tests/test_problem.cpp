// Problems: energy, text/JSON I/O and their errors, random weights.
#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/problem.hpp>
#include <pbit/random.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace {

using pbit::Problem;
using pbit::graphs::Graph;

std::string fixture(const std::string& name) {
  return std::string(PBIT_SOURCE_DIR) + "/tests/data/problems/" + name;
}

std::string scratch(const std::string& name) {
  const auto dir = std::filesystem::path(PBIT_BINARY_DIR) / "test_tmp" / "problem";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

std::shared_ptr<const Graph> graph(const std::string& spec) {
  return std::make_shared<const Graph>(pbit::graphs::make_graph(spec));
}

// The message of the pbit::Error thrown by f ("" if none: makes the check fail).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const pbit::Error& e) {
    return e.what();
  }
  return "";
}

double field(const Problem& p, pbit::graphs::Label l) {
  return p.h[*p.graph->index_of(l)];
}
double coupling(const Problem& p, pbit::graphs::Label a, pbit::graphs::Label b) {
  const auto u = *p.graph->index_of(a), v = *p.graph->index_of(b);
  const auto& edges = p.graph->edges();
  for (std::size_t k = 0; k < edges.size(); ++k)
    if ((edges[k].u == u && edges[k].v == v) || (edges[k].u == v && edges[k].v == u)) return p.J[k];
  FAIL("no edge " << a << " " << b);
  return 0;
}

void require_same_graph(const Graph& a, const Graph& b) {
  REQUIRE(a.labels() == b.labels());
  REQUIRE(a.edges() == b.edges());
}

}  // namespace

TEST_CASE("energy of a hand-computed 3-node problem", "[problem]") {
  auto g = std::make_shared<const Graph>(Graph::from_labeled_edges(
      pbit::graphs::Family::File, {}, "triangle", {30, 10, 20}, {{10, 20}, {20, 30}, {30, 10}}));
  Problem p = Problem::zeros(g);
  REQUIRE(p.J.size() == 3);
  REQUIRE(p.h.size() == 3);
  // Edge order (compact u < v): (10,20), (10,30), (20,30).
  p.J = {1.0, 0.5, -2.0};
  p.h = {0.1, -0.3, 0.7};  // labels 10, 20, 30
  // m = (+1, -1, +1): E = -(1*(-1) + 0.5*(+1) + (-2)*(-1)) - (0.1 + 0.3 + 0.7) = -1.5 - 1.1
  CHECK(p.energy({1, -1, 1}) == Approx(-2.6).margin(1e-15));
  // All +1: E = -(1 + 0.5 - 2) - (0.1 - 0.3 + 0.7) = 0.5 - 0.5 = 0
  CHECK(p.energy({1, 1, 1}) == Approx(0.0).margin(1e-15));
  CHECK(p.energy({-1, -1, -1}) == Approx(-(1 + 0.5 - 2) + 0.5).margin(1e-15));
  CHECK_THROWS_AS(p.energy({1, 1}), pbit::Error);

  const Problem z = Problem::zeros(g);
  CHECK(z.energy({1, -1, 1}) == 0.0);
  CHECK_THROWS_AS(Problem::zeros(nullptr), pbit::Error);
}

TEST_CASE("text fixture with comments and both orientations", "[problem]") {
  auto g = graph("chimera:1");
  const Problem p = pbit::read_problem_text(fixture("chimera1_ok.txt"), g);
  REQUIRE(p.graph == g);
  CHECK(coupling(p, 0, 4) == 1.5);
  CHECK(coupling(p, 1, 4) == -0.25);
  CHECK(coupling(p, 3, 7) == 0.2);
  CHECK(coupling(p, 0, 5) == 0.0);
  CHECK(field(p, 2) == 0.5);
  CHECK(field(p, 7) == -1.0);
  CHECK(field(p, 0) == 0.0);

  // JSON fixture with fields keyed by label, graph taken from its "graph" entry.
  const Problem q = pbit::read_problem(fixture("chimera1_ok.json"), nullptr);
  require_same_graph(*q.graph, *g);
  CHECK(q.J == p.J);
  CHECK(q.h == p.h);

  // Without a graph, the text file's terms make the graph.
  const Problem f = pbit::read_problem(fixture("chimera1_ok.txt"), nullptr);
  CHECK(f.graph->family() == pbit::graphs::Family::File);
  CHECK(f.graph->spec() == "file:" + fixture("chimera1_ok.txt"));
  CHECK(f.graph->labels() == std::vector<pbit::graphs::Label>{0, 1, 2, 3, 4, 7});
  CHECK(f.num_edges() == 3);
  CHECK(coupling(f, 4, 1) == -0.25);
  CHECK(field(f, 7) == -1.0);
}

TEST_CASE("text and JSON round trips on pegasus:2", "[problem]") {
  auto g = graph("pegasus:2");
  const Problem p = pbit::random_problem(g, pbit::WeightDist::parse("gauss:0.7"),
                                         pbit::WeightDist::parse("uniform:0.3"), 42);
  REQUIRE(p.num_edges() > 100);

  SECTION("text") {
    const std::string path = scratch("pegasus2.txt");
    {
      std::ofstream out(path);
      pbit::write_problem_text(out, p);
    }
    const Problem q = pbit::read_problem_text(path, g);
    CHECK(q.J == p.J);  // bit-exact doubles
    CHECK(q.h == p.h);
    const Problem r = pbit::read_problem(path, nullptr);  // graph from the file
    require_same_graph(*r.graph, *g);
    CHECK(r.J == p.J);
    CHECK(r.h == p.h);
    // Canonical: writing the read-back problem gives the same text.
    std::ostringstream a, b;
    pbit::write_problem_text(a, p);
    pbit::write_problem_text(b, q);
    CHECK(a.str() == b.str());
  }
  SECTION("json") {
    const std::string path = scratch("pegasus2.json");
    {
      std::ofstream out(path);
      out << pbit::problem_to_json(p);
    }
    const Problem q = pbit::read_problem_json(path, g);
    CHECK(q.J == p.J);
    CHECK(q.h == p.h);
    const Problem r = pbit::read_problem(path, nullptr);  // graph from "graph": "pegasus:2"
    require_same_graph(*r.graph, *g);
    CHECK(r.graph->spec() == "pegasus:2");
    CHECK(r.J == p.J);
    CHECK(r.h == p.h);
  }
}

TEST_CASE("text format errors name file, line and problem", "[problem]") {
  auto g = graph("chimera:1");
  struct Case {
    const char* file;
    int line;
    const char* word;
  };
  const Case cases[] = {
      {"err_unknown_node.txt", 3, "unknown node"},
      {"err_non_edge.txt", 4, "not an edge"},
      {"err_duplicate.txt", 4, "duplicate"},
      {"err_duplicate_field.txt", 5, "duplicate"},
      {"err_nan.txt", 3, "not finite"},
      {"err_inf.txt", 4, "not finite"},
      {"err_bad_number.txt", 2, "bad number"},
      {"err_bad_label.txt", 4, "bad node label"},
      {"err_token_count.txt", 3, "expected 3 fields"},
      {"err_too_many_tokens.txt", 2, "expected 3 fields"},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    const std::string path = fixture(c.file);
    const std::string msg = error_of([&] { pbit::read_problem_text(path, g); });
    INFO(msg);
    CHECK_THAT(msg, Catch::Contains(path + ":" + std::to_string(c.line) + ":"));
    CHECK_THAT(msg, Catch::Contains(c.word));
    CHECK(msg.find('\n') == std::string::npos);  // one line
  }
  // Without a graph, unknown nodes and non-edges cannot happen; the rest still fail.
  CHECK_THAT(error_of([&] { pbit::read_problem_text(fixture("err_duplicate.txt"), nullptr); }),
             Catch::Contains(":4:") && Catch::Contains("duplicate"));
  CHECK_THAT(error_of([&] { pbit::read_problem_text(fixture("err_nan.txt"), nullptr); }),
             Catch::Contains(":3:") && Catch::Contains("not finite"));

  const std::string missing = fixture("no_such_file.txt");
  CHECK_THAT(error_of([&] { pbit::read_problem(missing, g); }),
             Catch::Contains("cannot open") && Catch::Contains(missing));
  CHECK_THAT(error_of([&] { pbit::read_problem(fixture("no_such_file.json"), g); }),
             Catch::Contains("cannot open"));
}

TEST_CASE("JSON errors", "[problem]") {
  auto g = graph("chimera:1");
  auto write = [](const std::string& name, const std::string& text) {
    const std::string path = scratch(name);
    std::ofstream(path) << text;
    return path;
  };
  CHECK_THAT(
      error_of([&] { pbit::read_problem(write("bad1.json", "{\"couplings\": [[0, 9, 1]]}"), g); }),
      Catch::Contains("couplings[0]") && Catch::Contains("unknown node"));
  CHECK_THAT(error_of([&] {
               pbit::read_problem(write("bad2.json", "{\"couplings\": [[0, 4, 1], [4, 0, 2]]}"), g);
             }),
             Catch::Contains("couplings[1]") && Catch::Contains("duplicate"));
  CHECK_THAT(
      error_of([&] { pbit::read_problem(write("bad3.json", "{\"couplings\": [[0, 1, 1]]}"), g); }),
      Catch::Contains("not an edge"));
  CHECK_THAT(error_of([&] {
               pbit::read_problem(write("bad4.json", "{\"fields\": [[2, 1], [2, 1]]}"), g);
             }),
             Catch::Contains("fields[1]") && Catch::Contains("duplicate"));
  CHECK_THAT(
      error_of([&] { pbit::read_problem(write("bad5.json", "{\"fields\": {\"x\": 1}}"), g); }),
      Catch::Contains("bad node label"));
  CHECK_THAT(
      error_of([&] { pbit::read_problem(write("bad6.json", "{\"couplings\": [[0, 4]]}"), g); }),
      Catch::Contains("expected [i, j, J]"));
  CHECK_THAT(error_of([&] {
               pbit::read_problem(write("bad7.json", "{\"couplings\": [[0, 4, \"a\"]]}"), g);
             }),
             Catch::Contains("not a number"));
  CHECK_THAT(
      error_of([&] { pbit::read_problem(write("bad8.json", "{\"couplings\": [[0, 4, 1]"), g); }),
      Catch::Contains("invalid JSON"));
  CHECK_THAT(error_of([&] { pbit::read_problem(write("bad9.json", "{\"coupling\": []}"), g); }),
             Catch::Contains("unknown key"));
}

TEST_CASE("weight distributions parse and draw", "[problem]") {
  using K = pbit::WeightDist::Kind;
  CHECK(pbit::WeightDist::parse("zero").kind == K::Zero);
  CHECK(pbit::WeightDist::parse("pm1").kind == K::Pm1);
  CHECK(pbit::WeightDist::parse("uniform:0.5").kind == K::Uniform);
  CHECK(pbit::WeightDist::parse("uniform:0.5").param == 0.5);
  CHECK(pbit::WeightDist::parse("gauss:2").kind == K::Gauss);
  CHECK(pbit::WeightDist::parse("const:-1.25").kind == K::Const);
  CHECK(pbit::WeightDist::parse("const:-1.25").param == -1.25);
  for (const char* bad :
       {"", "pm2", "uniform", "uniform:", "uniform:0", "uniform:-1", "gauss:0", "gauss:abc",
        "const:nan", "uniform:inf", "const:1x", "normal:1", "zero:1"}) {
    INFO(bad);
    CHECK_THAT(error_of([&] { pbit::WeightDist::parse(bad); }), Catch::Contains("distribution"));
  }

  const int n = 30000;
  pbit::Rng rng(7);
  {
    const auto d = pbit::WeightDist::parse("pm1");
    int plus = 0;
    for (int k = 0; k < n; ++k) {
      const double x = d.draw(rng);
      REQUIRE((x == 1.0 || x == -1.0));
      plus += x > 0;
    }
    CHECK(std::abs(plus - n / 2) < 5 * std::sqrt(n / 4.0));
  }
  {
    const auto d = pbit::WeightDist::parse("uniform:0.3");
    double lo = 1, hi = -1, sum = 0;
    for (int k = 0; k < n; ++k) {
      const double x = d.draw(rng);
      lo = std::min(lo, x), hi = std::max(hi, x), sum += x;
    }
    CHECK(lo >= -0.3);
    CHECK(hi <= 0.3);
    CHECK(lo < -0.29);  // the range is covered
    CHECK(hi > 0.29);
    CHECK(std::abs(sum / n) < 5 * 0.3 / std::sqrt(3.0 * n));
  }
  {
    const auto d = pbit::WeightDist::parse("gauss:0.5");
    double sum = 0, sum2 = 0;
    for (int k = 0; k < n; ++k) {
      const double x = d.draw(rng);
      sum += x, sum2 += x * x;
    }
    const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
    CHECK(std::abs(mean) < 5 * 0.5 / std::sqrt(n));            // ~0.0144
    CHECK(std::abs(sd - 0.5) < 5 * 0.5 / std::sqrt(2.0 * n));  // ~0.0102
  }
  CHECK(pbit::WeightDist::parse("zero").draw(rng) == 0.0);
  CHECK(pbit::WeightDist::parse("const:3.5").draw(rng) == 3.5);
}

TEST_CASE("random_problem is deterministic per seed, edges then nodes", "[problem]") {
  auto g = graph("pegasus:2");
  const auto gauss = pbit::WeightDist::parse("gauss:1");
  const auto pm1 = pbit::WeightDist::parse("pm1");
  const Problem a = pbit::random_problem(g, gauss, pm1, 11);
  const Problem b = pbit::random_problem(g, gauss, pm1, 11);
  const Problem c = pbit::random_problem(g, gauss, pm1, 12);
  CHECK(a.J == b.J);
  CHECK(a.h == b.h);
  CHECK(a.J != c.J);
  CHECK(a.h != c.h);
  REQUIRE(a.J.size() == g->num_edges());
  REQUIRE(a.h.size() == g->num_nodes());
  for (double h : a.h) CHECK((h == 1.0 || h == -1.0));

  // The documented draw order: one draw per edge in edge order, then one per node.
  pbit::Rng rng(11);
  bool same = true;
  for (double j : a.J) same = same && j == gauss.draw(rng);
  for (double h : a.h) same = same && h == pm1.draw(rng);
  CHECK(same);

  const Problem z = pbit::random_problem(g, pbit::WeightDist::parse("zero"),
                                         pbit::WeightDist::parse("const:0.25"), 1);
  for (double j : z.J) CHECK(j == 0.0);
  for (double h : z.h) CHECK(h == 0.25);
  CHECK_THROWS_AS(pbit::random_problem(nullptr, gauss, pm1, 1), pbit::Error);
}

TEST_CASE("hostile problem files: deep nesting, huge or negative labels, overflow, BOM, hex", "[problem]") {
  auto g = graph("chimera:1");
  auto write = [](const std::string& name, const std::string& text) {
    const std::string path = scratch(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  };
  SECTION("100,000 levels of nesting: an error, not a stack overflow") {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    for (const char* key : {"couplings", "fields"}) {
      INFO(key);
      const std::string path = write(std::string("deep_") + key + ".json", std::string("{\"") + key + "\": " + deep + "}");
      CHECK_THAT(error_of([&] { pbit::read_problem(path, g); }),
                 Catch::Contains(path) && Catch::Contains("nested deeper than 16 levels"));
    }
    // Within the limit, a deep value is described by its size, not printed.
    const std::string path = write("deepish.json", "{\"couplings\": [[[[[[[[1]]]]]]]]}");
    CHECK_THAT(error_of([&] { pbit::read_problem(path, g); }),
               Catch::Contains("expected [i, j, J], got an array of 1 element"));
  }
  SECTION("labels outside 0..2^31-1 are errors in JSON and text alike") {
    for (const char* label : {"18446744073709551615", "2147483648", "-3"}) {
      INFO(label);
      const std::string j = write("label.json", std::string("{\"couplings\": [[") + label + ", 4, 1.0]]}");
      CHECK_THAT(error_of([&] { pbit::read_problem(j, g); }),
                 Catch::Contains("couplings[0]: node label " + std::string(label) + " is out of range"));
      const std::string t = write("label.txt", std::string(label) + " 4 1.0\n");
      CHECK_THAT(error_of([&] { pbit::read_problem(t, g); }),
                 Catch::Contains(t + ":1: node label " + label + " is out of range"));
      // No graph given: the same rule (the graph would come from the labels).
      CHECK_THAT(error_of([&] { pbit::read_problem(t, nullptr); }), Catch::Contains("out of range"));
    }
    const std::string ok = write("label_max.txt", "2147483647 0 1.0\n");
    CHECK(pbit::read_problem(ok, nullptr).graph->label(1) == 2147483647);
  }
  SECTION("a number no double holds names the file") {
    const std::string path = write("overflow.json", "{\"couplings\": [[0, 4, 1e309]]}");
    const std::string msg = error_of([&] { pbit::read_problem(path, g); });
    CHECK_THAT(msg, Catch::StartsWith(path + ": invalid JSON") && Catch::Contains("1e309"));
    CHECK(msg.find("json.exception") == std::string::npos);
  }
  SECTION("a UTF-8 byte-order mark is accepted in text as in JSON") {
    const Problem t = pbit::read_problem(write("bom.txt", "\xEF\xBB\xBF" "0 4 0.5\n"), g);
    const Problem j = pbit::read_problem(write("bom.json", "\xEF\xBB\xBF{\"couplings\": [[0, 4, 0.5]]}"), g);
    CHECK(t.J == j.J);
    CHECK(coupling(t, 0, 4) == 0.5);
    // Elsewhere in a line, such bytes are shown escaped in the message.
    CHECK_THAT(error_of([&] { pbit::read_problem(write("bom2.txt", "0 4 0.5\n\xEF\xBB\xBF" "1 5 1\n"), g); }),
               Catch::Contains(":2: bad node label '\\xef\\xbb\\xbf1'"));
  }
  SECTION("numbers are decimal: hex and other strtod extensions are not") {
    for (const char* v : {"0x10", "0x1p3", "1e", ".", "+", "1.2.3", "infinit"}) {
      INFO(v);
      CHECK_THAT(error_of([&] { pbit::read_problem(write("num.txt", std::string("0 4 ") + v + "\n"), g); }),
                 Catch::Contains(":1: bad number"));
    }
    for (const char* v : {"inf", "-Infinity", "NaN"})
      CHECK_THAT(error_of([&] { pbit::read_problem(write("num.txt", std::string("0 4 ") + v + "\n"), g); }),
                 Catch::Contains("not finite"));
    CHECK(coupling(pbit::read_problem(write("num.txt", "0 4 -.5e1\n"), g), 0, 4) == -5.0);
    CHECK(coupling(pbit::read_problem(write("num.txt", "0 4 +2.\n"), g), 0, 4) == 2.0);
    CHECK_THAT(error_of([] { pbit::WeightDist::parse("const:0x10"); }), Catch::Contains("not a finite number"));
  }
  SECTION("lines are bounded") {
    const std::string path = write("long.txt", std::string(70000, '0') + " 4 1\n");
    CHECK_THAT(error_of([&] { pbit::read_problem(path, g); }),
               Catch::Contains(path + ", line 1: longer than 65536 bytes"));
    CHECK_THAT(error_of([&] { pbit::read_problem(scratch(""), g); }), Catch::Contains("is a directory"));
  }
}

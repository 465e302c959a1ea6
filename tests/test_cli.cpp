// The `pbit` command line as a user meets it: exit codes, one-line errors on
// stderr, and JSON on stdout that parses and holds the documented keys.
#include <catch2/catch.hpp>

#include <unistd.h>  // getpid: parallel test processes need their own stderr files
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace {

struct Result {
  int code;
  std::string out, err;
};

Result pbit(const std::string& args) {
  const std::string err_file = std::string(PBIT_BINARY_DIR) + "/tests/cli_stderr." + std::to_string(::getpid()) + ".txt";
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

int lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

std::string temp_file(const std::string& name, const std::string& text) {
  const std::string path = std::string(PBIT_BINARY_DIR) + "/tests/" + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("--help works on every command", "[cli]") {
  for (const char* c : {"--help", "graph --help", "graph info --help", "graph export --help",
                        "graph color --help", "sample --help", "bench --help", "quality --help"}) {
    INFO(c);
    const auto r = pbit(c);
    CHECK(r.code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
}

TEST_CASE("bad graph specs: one error line, exit 1", "[cli]") {
  for (const char* spec : {"pegasus:1", "zephyr:0", "chimera:x", "foo:3", "pegasus", "lattice:3x",
                           "file:/nonexistent/edges.txt"}) {
    INFO(spec);
    const auto r = pbit(std::string("graph info ") + spec);
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK(lines(r.err) == 1);
    CHECK(r.err.rfind("pbit: error: ", 0) == 0);
  }
}

TEST_CASE("malformed edge-list files are rejected with the line number", "[cli]") {
  const std::pair<const char*, const char*> cases[] = {
      {"el_token.txt", "0 1\n1 x\n"}, {"el_loop.txt", "0 1\n2 2\n"}, {"el_dup.txt", "0 1\n1 0\n"},
      {"el_range.txt", "0 -4\n"},     {"el_empty.txt", "# nothing\n"}};
  for (const auto& [name, text] : cases) {
    INFO(name);
    const auto r = pbit("graph info file:" + temp_file(name, text));
    CHECK(r.code == 1);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find(name) != std::string::npos);
  }
}

TEST_CASE("bad command lines exit 2", "[cli]") {
  for (const char* a : {"", "frobnicate", "graph", "graph info", "graph export chimera:1 --format xml",
                        "sample --graph chimera:1 --chains 0", "sample --graph chimera:1 --sweeps -3"}) {
    INFO(a);
    const auto r = pbit(a);
    CHECK(r.code == 2);
    CHECK(lines(r.err) >= 1);
  }
}

TEST_CASE("bad sampling parameters exit 1 with a clear error", "[cli]") {
  for (const char* a : {"sample --graph chimera:1 --beta -1", "sample --graph chimera:1 --weight-bits 40",
                        "sample --graph chimera:1 --rng mt19937", "sample --graph chimera:1 --couplings gauss:-1",
                        "sample --graph pegasus:3 --backend exact", "sample --graph chimera:1 --backend nope",
                        "sample --problem /nonexistent.txt --graph chimera:1", "quality --graph pegasus:2"}) {
    INFO(a);
    const auto r = pbit(a);
    CHECK(r.code == 1);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.rfind("pbit: error: ", 0) == 0);
  }
}

TEST_CASE("graph info --json and export formats", "[cli]") {
  const auto info = pbit("graph info pegasus:14 --json");
  REQUIRE(info.code == 0);
  const auto j = nlohmann::json::parse(info.out);
  CHECK(j["nodes"] == 4264);
  CHECK(j["edges"] == 30404);
  CHECK(j["colors"] == 4);
  CHECK(j["max_degree"] == 15);

  const auto edges = pbit("graph export chimera:1 --format edges");
  REQUIRE(edges.code == 0);
  CHECK(lines(edges.out) == 16);
  std::istringstream in(edges.out);
  long pu = -1, pv = -1, u, v;
  while (in >> u >> v) {
    CHECK(u < v);
    CHECK((u > pu || (u == pu && v > pv)));
    pu = u, pv = v;
  }
  CHECK(edges.out.back() == '\n');

  const auto nodes = pbit("graph export pegasus:2 --format nodes");
  CHECK(lines(nodes.out) == 40);
  const auto js = nlohmann::json::parse(pbit("graph export pegasus:2 --format json").out);
  CHECK(js["nodes"].size() == 40);
  CHECK(js["coordinates"].size() == 40);
  CHECK(js["colors"].size() == 40);

  const auto col = pbit("graph color zephyr:1 --json");
  CHECK(nlohmann::json::parse(col.out)["num_colors"] == 4);
}

TEST_CASE("sample and bench --json: one document on stdout with the documented keys", "[cli]") {
  for (const char* backend : {"ref", "float", "exact"}) {
    INFO(backend);
    const auto r = pbit(std::string("sample --graph chimera:1 --couplings pm1 --backend ") + backend +
                        " --sweeps 200 --chains 8 --json");
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    for (const char* k : {"means", "correlations", "energy_mean", "sweeps", "chains", "seconds"})
      CHECK(j.contains(k));
    CHECK(j["means"].size() == 8);
    CHECK(j["correlations"].size() == 16);
  }
  const auto b = pbit("bench --graph pegasus:2 --backend ref --chains 32 --threads 1 --seconds 0.2 --json");
  REQUIRE(b.code == 0);
  const auto j = nlohmann::json::parse(b.out);
  for (const char* k : {"flips_per_ns", "threads", "chains", "graph", "backend"}) CHECK(j.contains(k));
  CHECK(j["flips_per_ns"].get<double>() > 0);
}

TEST_CASE("a problem file drives sample, its errors name the line", "[cli]") {
  const auto ok = temp_file("prob_ok.txt", "# two couplings and a field\n0 4 -1.5\n0 5 0.5\n4 4 0.25\n");
  const auto r = pbit("sample --problem " + ok + " --graph chimera:1 --backend exact --json");
  REQUIRE(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["means"].size() == 8);
  const auto bad = temp_file("prob_bad.txt", "0 4 1\n0 1 2\n");  // 0-1 is not a chimera edge
  const auto e = pbit("sample --problem " + bad + " --graph chimera:1");
  CHECK(e.code == 1);
  CHECK(e.err.find(":2") != std::string::npos);
}

TEST_CASE("wide sums (--sum-bits 17, 20): every SIMD path samples what the portable one does", "[cli]") {
  // The int16 kernels once wrapped sum bounds beyond int16: exit 0, wrong samples.
  for (const char* bits : {"17", "20"}) {
    const std::string args = std::string("sample --graph pegasus:2 --couplings gauss:3 --fields gauss:1 --sum-bits ") +
                             bits + " --beta 0.3 --sweeps 300 --chains 40 --seed 5 --json --simd ";
    const auto portable = pbit(args + "scalar");
    REQUIRE(portable.code == 0);
    const auto want = nlohmann::json::parse(portable.out);
    for (const char* path : {"avx2", "avx512"}) {
      INFO(bits << " " << path);
      const auto r = pbit(args + path);
      if (r.code != 0) {  // a CPU without the path says so
        CHECK(r.err.find("not supported by this CPU") != std::string::npos);
        continue;
      }
      const auto got = nlohmann::json::parse(r.out);
      CHECK(got["means"] == want["means"]);
      CHECK(got["correlations"] == want["correlations"]);
    }
  }
}

TEST_CASE("bench --suite: every row in one JSON document, --backend exact refused", "[cli]") {
  const auto r = pbit("bench --suite --graph pegasus:2 --rounds 1 --seconds 0.02 --json");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["rows"].size() == 11);
  int measured = 0;
  for (const auto& row : j["rows"]) {
    for (const char* k : {"name", "simd", "layout", "chains", "kind", "available", "flips_per_ns", "flips_per_cpu_ns"})
      CHECK(row.contains(k));
    if (row["available"].get<bool>()) {
      CHECK(row["flips_per_ns"].get<double>() > 0);
      ++measured;
    }
    if (row["kind"] != "sweeps" && row["available"].get<bool>()) CHECK(row["vs_baseline_cpu"].get<double>() > 0);
  }
  CHECK(measured >= 5);  // the portable rows at least
  const auto e = pbit("bench --graph chimera:1 --backend exact");
  CHECK(e.code == 1);
  CHECK(e.err.find("exact backend does not sample") != std::string::npos);
}

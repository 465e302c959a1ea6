// The `pbit` command line as a user meets it: exit codes, one-line errors on
// stderr, and JSON on stdout that parses and holds the documented keys.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <unistd.h>  // getpid: parallel test processes need their own stderr files
#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
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

TEST_CASE("a LUT too coarse for the sum width is a warning, the default spec none", "[cli]") {
  const auto coarse = pbit("sample --graph chimera:1 --sum-bits 12 --sweeps 2 --chains 2 --json");
  CHECK(coarse.code == 0);
  CHECK(coarse.err.find("warning: numeric spec: the 32-entry LUT covers 12-bit sums in steps of 32 field units") !=
        std::string::npos);
  CHECK(coarse.err.find("--lut-depth 2048") != std::string::npos);
  CHECK(lines(coarse.err) == 1);  // once, however often the spec is built
  CHECK(pbit("sample --graph chimera:1 --sweeps 2 --chains 2 --json").err.empty());
  CHECK(pbit("sample --graph chimera:1 --sum-bits 12 --lut-depth 2048 --sweeps 2 --chains 2 --json").err.empty());
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

// ---------------------------------------------------------------------------
// Hostile inputs (issue 12): each row of the audit's table and its smaller
// findings, re-run as the user ran them: exit status and the one-line message.

namespace {

struct Expect {
  std::string args;
  int code;
  std::string message;  // in stderr
};

void check_all(const std::vector<Expect>& cases) {
  for (const auto& c : cases) {
    INFO(c.args);
    const auto r = pbit(c.args);
    INFO(r.err);
    CHECK(r.code == c.code);
    CHECK(r.err.rfind("pbit: error: ", 0) == 0);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.err.find("internal error") == std::string::npos);
  }
}

std::string scratch_dir(const std::string& name) {
  const std::string dir = std::string(PBIT_BINARY_DIR) + "/tests/hostile_" + name + "_" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("hostile: a negative or zero LUT depth is an error on every command, not a hang", "[cli][hostile]") {
  const std::string depth = " --lut-depth -32";
  const std::string msg = "numeric spec: lut_depth must be in [2, 4096] (got -32)";
  check_all({{"sample --graph chimera:1" + depth, 1, msg},
             {"sample --graph chimera:1 --lut-depth 0", 1, "lut_depth must be in [2, 4096] (got 0)"},
             {"rtl emit --graph chimera:1 --out " + scratch_dir("lut") + depth, 1, msg},
             {"bench --graph chimera:1 --seconds 0.1" + depth, 1, msg},
             {"quality --graph chimera:1" + depth, 1, msg},
             {"compare --graph chimera:1 --backends ref,float" + depth, 1, msg},
             {"train --dataset bas:3 --graph king:4x4 --epochs 1 --out " + scratch_dir("lut_train") + depth, 1,
              msg}});
}

TEST_CASE("hostile: problem files nested deeply, with huge labels or numbers", "[cli][hostile]") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string dc = temp_file("hostile_deep_c.json", "{\"couplings\": " + deep + "}");
  const std::string df = temp_file("hostile_deep_f.json", "{\"fields\": " + deep + "}");
  const std::string big = temp_file("hostile_label.json", "{\"couplings\": [[18446744073709551615, 1, 1.0]]}");
  const std::string neg = temp_file("hostile_neg.txt", "-3 1 1.0\n");
  const std::string huge = temp_file("hostile_1e309.json", "{\"couplings\": [[0, 4, 1e309]]}");
  const std::string hex = temp_file("hostile_hex.txt", "0 4 0x10\n");
  check_all({{"sample --graph chimera:1 --problem " + dc, 1, dc + ": JSON nested deeper than 16 levels"},
             {"sample --graph chimera:1 --problem " + df, 1, df + ": JSON nested deeper than 16 levels"},
             {"sample --problem " + big, 1, "node label 18446744073709551615 is out of range (labels are 0..2147483647)"},
             {"sample --problem " + neg, 1, neg + ":1: node label -3 is out of range"},
             {"sample --graph chimera:1 --problem " + huge, 1, huge + ": invalid JSON (number overflow"},
             {"sample --graph chimera:1 --problem " + hex, 1, hex + ":1: bad number '0x10'"}});
  // A byte-order mark is fine in text as in JSON.
  const std::string bom = temp_file("hostile_bom.txt", "\xEF\xBB\xBF" "0 4 1.0\n");
  CHECK(pbit("sample --graph chimera:1 --sweeps 10 --problem " + bom).code == 0);
}

TEST_CASE("hostile: commands that used to pass vacuously or print nonsense", "[cli][hostile]") {
  check_all({{"bench --backend exact --graph chimera:1 --seconds 0.1", 1, "the exact backend does not sample"},
             {"bench --backend exact --arithmetic float --graph chimera:1 --seconds 0.1", 1, "does not sample"},
             {"compare --graph chimera:1 --backends ref,float --sweeps 0", 1, "--sweeps must be >= 1"},
             {"compare --graph chimera:1 --backends ref,float --chains 4 --tolerance -1", 1,
              "--tolerance must be a finite number"},
             {"compare --graph chimera:1 --backends ref,float --tolerance nan", 2, "--tolerance: 'nan' is not a decimal number"},
             {"quality --graph chimera:1 --sweeps 0", 1, "--sweeps must be >= 1"}});
  const auto q = pbit("quality --graph chimera:1 --chains 1 --sweeps 100");
  CHECK(q.code == 0);
  CHECK(q.out.find("worst |error|  n/a in standard errors") != std::string::npos);
  const auto qj = pbit("quality --graph chimera:1 --chains 1 --sweeps 100 --json");
  REQUIRE(qj.code == 0);
  CHECK(nlohmann::json::parse(qj.out)["max_abs_error_in_standard_errors"].is_null());
}

TEST_CASE("train --epochs 0 writes the files it says it wrote (the initial model)", "[cli]") {
  const std::string dir = scratch_dir("train_epochs0");
  const auto r = pbit("train --dataset bas:3 --graph king:4x4 --batch 4 --chains 8 --epochs 0 --samples-per-class 0 --json --out " + dir);
  REQUIRE(r.code == 0);
  CHECK(r.err.find("wrote " + dir + "/checkpoint.pbit, " + dir + "/metrics.jsonl\n") != std::string::npos);
  CHECK(std::filesystem::is_regular_file(dir + "/checkpoint.pbit"));
  CHECK(std::filesystem::is_regular_file(dir + "/metrics.jsonl"));
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["curves"].is_null());
  CHECK(j["epochs_done"] == 0);
  // and it is a model the other commands read
  CHECK(pbit("model export --model " + dir + " --out " + dir + "/m.json").code == 0);
}

TEST_CASE("hostile: memory needed by the chains is checked before allocating", "[cli][hostile]") {
  // The limit is lowered so the check does not depend on this machine's memory.
  const std::string env = "env PBIT_MEMORY_LIMIT=256M " + std::string(PBIT_BINARY_DIR) + "/pbit ";
  for (const auto& [args, option] : std::vector<std::pair<std::string, std::string>>{
           {"sample --graph pegasus:16 --chains 1048576 --sweeps 1", "(--chains)"},
           {"bench --graph pegasus:16 --chains 100000", "(--chains)"},
           {"sample --graph pegasus:16 --backend float --chains 1048576", "(--chains)"},
           {"train --dataset bas:3 --graph king:4x4 --batch 1 --chains 4000000 --epochs 1 --out " +
                scratch_dir("mem_train"),
            "(--chains)"}}) {
    INFO(args);
    FILE* p = popen((env + args + " 2>&1 >/dev/null").c_str(), "r");
    REQUIRE(p);
    std::string err;
    std::array<char, 4096> buf;
    while (std::fgets(buf.data(), buf.size(), p)) err += buf.data();
    const int st = pclose(p);
    INFO(err);
    CHECK(WEXITSTATUS(st) == 1);
    CHECK(err.find("need about") != std::string::npos);
    CHECK(err.find("more than the 256.0 MiB of memory available; lower the number of chains " + option) !=
          std::string::npos);
  }
}

TEST_CASE("hostile: unbounded reads and slow graph generators", "[cli][hostile]") {
  check_all({{"graph info file:/dev/zero", 1, "edge list '/dev/zero', line 1: longer than 65536 bytes"},
             {"graph info er:16777216,0,1", 1, "er: too large (16777216 nodes; the limit is 2097152)"}});
  // Inside the limits, the old 30-60 s cases finish quickly (generous bound: a loaded machine).
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = pbit("graph info regular:1000000,3,1 --json");
  CHECK(r.code == 0);
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 60);
  // A gzip IDX file whose data goes on past its header: stopped at once.
  const std::string dir = scratch_dir("bomb");
  auto idx = [](std::vector<std::uint32_t> header, std::size_t bytes, std::uint8_t value) {
    std::string s;
    for (std::uint32_t w : header)
      for (int k = 3; k >= 0; --k) s.push_back(static_cast<char>(w >> (8 * k)));
    return s + std::string(bytes, static_cast<char>(value));
  };
  {
    gzFile gz = gzopen((dir + "/train-images-idx3-ubyte.gz").c_str(), "wb9");
    REQUIRE(gz);
    const std::string head = idx({0x803, 10, 28, 28}, 7840, 1);
    gzwrite(gz, head.data(), static_cast<unsigned>(head.size()));
    const std::string zeros(1 << 20, '\0');
    for (int i = 0; i < 64; ++i) gzwrite(gz, zeros.data(), static_cast<unsigned>(zeros.size()));  // 64 MiB more
    gzclose(gz);
  }
  std::ofstream(dir + "/train-labels-idx1-ubyte", std::ios::binary) << idx({0x801, 10}, 10, 1);
  std::ofstream(dir + "/t10k-images-idx3-ubyte", std::ios::binary) << idx({0x803, 10, 28, 28}, 7840, 1);
  std::ofstream(dir + "/t10k-labels-idx1-ubyte", std::ios::binary) << idx({0x801, 10}, 10, 1);
  check_all({{"train --graph pegasus:14 --dataset idx:" + dir, 1,
              "train-images-idx3-ubyte.gz: trailing garbage after 10 images of 28x28 (more data than the header "
              "declares)"}});
}

TEST_CASE("hostile: outputs never replace devices or symbolic links", "[cli][hostile]") {
  const std::string dir = scratch_dir("out");
  const std::string run = dir + "/run";
  REQUIRE(pbit("train --dataset bas:3 --graph king:4x4 --batch 4 --chains 8 --epochs 1 --quiet --samples-per-class 0 "
               "--out " + run).code == 0);
  // /dev/null as an output is written through and stays a device.
  auto g = pbit("generate --model " + run + " --per-class 1 --out /dev/null --no-judge");
  CHECK(g.code == 0);
  CHECK(std::filesystem::is_character_file("/dev/null"));
  // A symbolic link stays a link; the file it names gets the PNG.
  std::ofstream(dir + "/real.png") << "old";
  std::filesystem::create_symlink("real.png", dir + "/link.png");
  g = pbit("generate --model " + run + " --per-class 1 --out " + dir + "/link.png --no-judge");
  CHECK(g.code == 0);
  CHECK(std::filesystem::is_symlink(dir + "/link.png"));
  CHECK(std::filesystem::file_size(dir + "/real.png") > 3);
  // A directory is refused with the path named.
  std::filesystem::create_directories(dir + "/adir");
  check_all({{"generate --model " + run + " --per-class 1 --no-judge --out " + dir + "/adir", 1,
              dir + "/adir: cannot write: Is a directory"}});
}

TEST_CASE("hostile: smaller findings (numbers, seeds, --version, help)", "[cli][hostile]") {
  check_all({{"sample --graph chimera:1 --beta ''", 2, "--beta: an empty value is not a number"},
             {"sample --graph chimera:1 --seed 18446744073709551616", 2, "--seed: '18446744073709551616' is out of range"},
             {"sample --graph chimera:1 --seed 0x10", 2, "--seed: '0x10' is not a decimal integer"},
             {"sample --graph chimera:1 --beta 0x1p3", 2, "--beta: '0x1p3' is not a decimal number"},
             {"sample --graph chimera:1 --sweeps -1", 2, "must be a non-negative integer"},
             {"generate --model x --sweeps-per-beta 0", 2, "--sweeps-per-beta"}});
  // Leading zeros are decimal (CLI11 alone reads 010 as octal 8).
  const auto r = pbit("sample --graph chimera:1 --sweeps 010 --burn-in 0 --chains 1 --json");
  REQUIRE(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["sweeps"] == 10);
  CHECK(nlohmann::json::parse(pbit("sample --graph chimera:1 --sweeps 5 --seed 18446744073709551615 --json").out)["seed"] ==
        18446744073709551615ull);
  const auto v = pbit("--version");
  CHECK(v.code == 0);
  CHECK(v.out.rfind("pbit ", 0) == 0);
  // train --help shows the default recipe's (fast) values.
  const auto h = pbit("train --help");
  REQUIRE(h.code == 0);
  auto line_of = [&](const std::string& opt) {
    const auto at = h.out.find("  " + opt + " ");
    return at == std::string::npos ? std::string() : h.out.substr(at, h.out.find('\n', at) - at);
  };
  CHECK(line_of("--epochs").find("=60") != std::string::npos);
  CHECK(line_of("--chains").find("=200") != std::string::npos);
  CHECK(line_of("--placement").find("=spread") != std::string::npos);
  CHECK(line_of("--optimizer").find("=adam") != std::string::npos);
}

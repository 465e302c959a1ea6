// The RTL generator: what it writes (package numbers from the spec and the
// register map, wiring from the graph, LUT file, file list), its errors, the
// `pbit rtl` command, and the register-map section of rtl/README.md. Lint and
// synthesis of emitted designs: tests/rtl/check.sh (ctest names rtl_check_*).
#include <pbit/graphs/generators.hpp>
#include <pbit/program.hpp>
#include <pbit/regmap.hpp>
#include <pbit/rtl_emit.hpp>

#include <catch2/catch.hpp>

#include <unistd.h>  // getpid: parallel test processes need their own stderr files

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <sys/wait.h>

using namespace pbit;
namespace fs = std::filesystem;
namespace rm = pbit::regmap;

namespace {

std::shared_ptr<const graphs::Graph> G(const std::string& spec) {
  return std::make_shared<const graphs::Graph>(graphs::make_graph(spec));
}

Program zero_program(const std::shared_ptr<const graphs::Graph>& g, const NumericSpec& spec = {},
                     double beta = 1.0) {
  return compile(Problem::zeros(g), spec, beta);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path tmp_dir(const std::string& name) {
  const fs::path d = fs::path(PBIT_BINARY_DIR) / "test_tmp" / "rtl" / name;
  fs::remove_all(d);
  return d;
}

// name -> value of every `localparam ... Name = <number>;` in the package.
std::map<std::string, std::uint64_t> pkg_numbers(const std::string& pkg) {
  std::map<std::string, std::uint64_t> out;
  const std::regex re(R"(localparam\s+[^=;]*?\b(\w+)\s*=\s*(?:\d+'([hdb]))?([0-9a-fA-F]+)\s*;)");
  for (auto it = std::sregex_iterator(pkg.begin(), pkg.end(), re); it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    const std::string base = m[2].str();
    const int radix = base == "h" ? 16 : base == "b" ? 2 : 10;
    out[m[1].str()] = std::stoull(m[3].str(), nullptr, radix);
  }
  return out;
}

struct CliResult {
  int code;
  std::string out, err;
};
CliResult pbit_cli(const std::string& args) {
  const std::string err_file = std::string(PBIT_BINARY_DIR) + "/test_tmp/rtl_cli_stderr." + std::to_string(::getpid()) + ".txt";
  fs::create_directories(fs::path(err_file).parent_path());
  const std::string cmd = std::string(PBIT_BINARY_DIR) + "/pbit " + args + " 2>" + err_file;
  CliResult r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  std::size_t got;
  while ((got = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), got);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = slurp(err_file);
  return r;
}

}  // namespace

TEST_CASE("emit_rtl writes package, array, LUT file and an ordered file list", "[rtl]") {
  const auto g = G("chimera:1");
  NumericSpec spec;
  spec.rng = RngKind::Xorshift32;
  spec.schedule = Schedule::Async;
  spec.async_period = 5;
  const Program prog = zero_program(g, spec, 0.7);
  const fs::path dir = tmp_dir("chimera1") / "nested" / "out";
  const rtl::EmitResult r = rtl::emit_rtl(prog, *g, dir.string());
  CHECK(r.num_cells == 8);
  CHECK(r.num_colors == prog.num_colors);
  CHECK(r.max_degree == 4);
  REQUIRE(r.written.size() == 4);
  for (const auto& f : r.written) CHECK(fs::is_regular_file(f));
  // files.f: package first, the hand-written list in order, the array last; all exist.
  const auto hand = rtl::hand_written_files(rtl::default_rtl_dir());
  REQUIRE(r.files.size() == hand.size() + 2);
  CHECK(fs::path(r.files.front()).filename() == "pbit_pkg.sv");
  CHECK(fs::path(r.files.back()).filename() == "pbit_array.sv");
  for (std::size_t i = 0; i < hand.size(); ++i) CHECK(r.files[i + 1] == hand[i]);
  for (const auto& f : r.files) CHECK(fs::path(f).is_absolute());
  std::string list;
  for (const auto& f : r.files) list += f + "\n";
  CHECK(slurp(dir / "files.f") == list);
  CHECK(fs::path(hand.back()).filename() == "pbit_top.sv");
  // LUT contents: the spec's $readmemh text of the program's LUT (beta 0.7).
  CHECK(slurp(dir / "pbit_lut.mem") == lut_readmemh(prog.lut, spec));
  // Package: the design numbers and the LUT file's absolute path.
  const std::string pkg = slurp(dir / "pbit_pkg.sv");
  const auto num = pkg_numbers(pkg);
  CHECK(num.at("NumCells") == 8);
  CHECK(num.at("NumColors") == static_cast<std::uint64_t>(prog.num_colors));
  CHECK(num.at("MaxDegree") == 4);
  CHECK(num.at("RngKind") == 1);
  CHECK(num.at("ScheduleReset") == 1);
  CHECK(num.at("AsyncPeriodReset") == 5);
  CHECK(num.at("AsyncThresholdReset") == spec.async_threshold());
  CHECK(num.at("RngResetValue") == rtl::kRngResetValue);
  CHECK(pkg.find("localparam LutFile = \"" + (dir / "pbit_lut.mem").string() + "\";") != std::string::npos);
  // Emitting again into the same directory overwrites.
  CHECK_NOTHROW(rtl::emit_rtl(prog, *g, dir.string()));
}

TEST_CASE("the package carries every spec and register-map number", "[rtl]") {
  const auto g = G("pegasus:2");
  NumericSpec spec;
  spec.weight_bits = 10;
  spec.frac_bits = 4;
  spec.sum_bits = 14;
  spec.lut_depth = 256;
  spec.lut_shift = 5;
  spec.lut_bits = 12;
  spec.rng = RngKind::Lfsr32;
  spec.schedule = Schedule::Chromatic;
  const Program prog = zero_program(g, spec);
  const auto num = pkg_numbers(rtl::emit_pkg(prog, *g, "/x/pbit_lut.mem"));
  const std::map<std::string, std::uint64_t> want = {
      {"NumCells", 40}, {"CellIdxBits", 6}, {"NumColors", 4}, {"MaxDegree", 13},
      {"WeightBits", 10}, {"FracBits", 4}, {"SumBits", 14}, {"LutDepth", 256}, {"LutShift", 5},
      {"LutBits", 12}, {"RngKind", 0}, {"ScheduleReset", 0}, {"StatBits", rtl::kStatBits},
      {"AddrBits", rm::kAddrBits}, {"Magic", rm::kMagic}, {"Version", rm::kVersion},
      {"RegId", rm::ID}, {"RegVersion", rm::VERSION}, {"RegNumCells", rm::NUM_CELLS},
      {"RegNumColors", rm::NUM_COLORS}, {"RegGeometry", rm::GEOMETRY},
      {"RegLutGeometry", rm::LUT_GEOMETRY}, {"RegCtrl", rm::CTRL}, {"RegCommand", rm::COMMAND},
      {"RegSweepsTarget", rm::SWEEPS_TARGET}, {"RegStatus", rm::STATUS},
      {"RegSweepCountLo", rm::SWEEP_COUNT_LO}, {"RegSweepCountHi", rm::SWEEP_COUNT_HI},
      {"RegCycleCountLo", rm::CYCLE_COUNT_LO}, {"RegCycleCountHi", rm::CYCLE_COUNT_HI},
      {"RegStatsSweeps", rm::STATS_SWEEPS}, {"RegAsyncPeriod", rm::ASYNC_PERIOD},
      {"RegAsyncThreshold", rm::ASYNC_THRESHOLD}, {"RegBusErrors", rm::BUS_ERRORS},
      {"LutBase", rm::LUT_BASE}, {"StateBase", rm::STATE_BASE}, {"CellBase", rm::CELL_BASE}, {"CellStride", rm::CELL_STRIDE},
      {"CellRegBits", 6}, {"MaxSlots", rm::kMaxDegree},
      {"CellRegField", rm::FIELD}, {"CellRegClamp", rm::CLAMP}, {"CellRegRngState", rm::RNG_STATE},
      {"CellRegTimerState", rm::TIMER_STATE}, {"CellRegState", rm::STATE},
      {"CellRegStatPlus", rm::STAT_PLUS}, {"CellRegCoupling", rm::COUPLING},
      {"CellRegStatAgree", rm::STAT_AGREE},
      {"CmdRunSweeps", rm::RUN_SWEEPS}, {"CmdRunFree", rm::RUN_FREE}, {"CmdStop", rm::STOP},
      {"CmdClearStats", rm::CLEAR_STATS}, {"CmdResetCounters", rm::RESET_COUNTERS},
      {"CtrlScheduleBit", rm::field::CTRL_SCHEDULE}, {"CtrlStatsEnableBit", rm::field::CTRL_STATS_ENABLE},
      {"CtrlRngKindBit", rm::field::CTRL_RNG_KIND}, {"StatusBusyBit", rm::field::STATUS_BUSY},
      {"GeometryMaxDegreeLsb", rm::field::GEOMETRY_MAX_DEGREE},
      {"GeometryWeightBitsLsb", rm::field::GEOMETRY_WEIGHT_BITS},
      {"GeometrySumBitsLsb", rm::field::GEOMETRY_SUM_BITS},
      {"GeometryLutBitsLsb", rm::field::GEOMETRY_LUT_BITS},
      {"LutGeometryDepthLsb", rm::field::LUT_GEOMETRY_DEPTH},
      {"LutGeometryShiftLsb", rm::field::LUT_GEOMETRY_SHIFT},
      {"LutGeometryWritableBit", rm::field::LUT_GEOMETRY_WRITABLE},
      {"LutGeometryAsyncBit", rm::field::LUT_GEOMETRY_ASYNC},
      {"ClampEnableBit", rm::field::CLAMP_ENABLE}, {"ClampValueBit", rm::field::CLAMP_VALUE},
  };
  for (const auto& [name, value] : want) {
    INFO(name);
    REQUIRE(num.count(name) == 1);
    CHECK(num.at(name) == value);
  }
}

TEST_CASE("the array wires each cell to exactly its neighbours, colour and degree", "[rtl]") {
  for (const char* spec : {"pegasus:2", "zephyr:1", "king:3x3"}) {
    INFO(spec);
    const auto g = G(spec);
    const Program prog = zero_program(g);
    const std::string text = rtl::emit_array(prog, *g);
    // One block per instance (std::regex over the whole file would be slow).
    const std::regex cell_re(
        R"(\.Degree\((\d+)\)[\s\S]*?u_cell_(\d+) \([\s\S]*?cell_clk_i\[(\d+)\][\s\S]*?)"
        R"(upd_phase_i\(phase_en_i\[(\d+)\]\)[\s\S]*?agree_mask_i\((\d+)'b([01]+)\)[\s\S]*?)"
        R"(nbr_i\(\{([^}]*)\}\)[\s\S]*?sel_i\(cell_idx_i == IdxBits'\((\d+)\)\)[\s\S]*?)"
        R"(rdata_o\(rd_(\d+)\), \.wok_o\(wok_(\d+)\), \.state_o\(s_(\d+)\))");
    std::vector<std::string> blocks;
    for (std::size_t pos = text.find("pbit_cell #("); pos != std::string::npos;) {
      const std::size_t next = text.find("pbit_cell #(", pos + 1);
      blocks.push_back(text.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
      pos = next;
    }
    std::uint32_t seen = 0;
    for (const auto& block : blocks) {
      std::smatch m;
      REQUIRE(std::regex_search(block, m, cell_re));
      const std::uint32_t i = static_cast<std::uint32_t>(std::stoul(m[2].str()));
      INFO("cell " << i);
      REQUIRE(i == seen++);
      for (int k : {3, 8, 9, 10, 11}) CHECK(std::stoul(m[k].str()) == i);
      const std::uint32_t b = prog.offsets[i], d = prog.offsets[i + 1] - b;
      CHECK(std::stoul(m[1].str()) == d);
      CHECK(std::stoul(m[5].str()) == d);
      CHECK(std::stoi(m[4].str()) == prog.color[i]);
      // nbr_i: MSB first, so the list reads slot d-1 .. slot 0.
      std::vector<std::uint32_t> nbrs;
      const std::string list = m[7].str();
      const std::regex idx_re(R"(s_(\d+))");
      for (auto jt = std::sregex_iterator(list.begin(), list.end(), idx_re); jt != std::sregex_iterator(); ++jt)
        nbrs.insert(nbrs.begin(), static_cast<std::uint32_t>(std::stoul((*jt)[1].str())));
      CHECK(nbrs == std::vector<std::uint32_t>(prog.nbr.begin() + b, prog.nbr.begin() + b + d));
      const std::string mask = m[6].str();
      REQUIRE(mask.size() == d);
      for (std::uint32_t s = 0; s < d; ++s) CHECK((mask[d - 1 - s] == '1') == (prog.nbr[b + s] > i));
    }
    CHECK(seen == prog.n);
  }
}

TEST_CASE("emit_rtl rejects what the hardware cannot hold, with clear errors", "[rtl]") {
  const auto msg = [](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  // A node of degree 25 > 24 slots.
  const auto dense = G("regular:30,25,1");
  const std::string e1 = msg([&] { rtl::emit_rtl(zero_program(dense), *dense, tmp_dir("dense").string()); });
  CHECK(e1.find("degree 25") != std::string::npos);
  CHECK(e1.find("24") != std::string::npos);
  // A program of another graph.
  const auto a = G("chimera:1"), b = G("lattice:2x4");
  const std::string e2 = msg([&] { rtl::emit_array(zero_program(a), *b); });
  CHECK(e2.find("not compiled for graph lattice:2x4") != std::string::npos);
  // An output path that cannot be a directory (a regular file is in the way).
  const fs::path blocker = tmp_dir("blocker");
  fs::create_directories(blocker.parent_path());
  std::ofstream(blocker.string()) << "x";
  const std::string e3 = msg([&] { rtl::emit_rtl(zero_program(a), *a, (blocker / "out").string()); });
  CHECK(e3.find("cannot create output directory") != std::string::npos);
  // Missing hand-written RTL.
  rtl::EmitOptions opt;
  opt.rtl_dir = (tmp_dir("no_rtl_here")).string();
  const std::string e4 = msg([&] { rtl::emit_rtl(zero_program(a), *a, tmp_dir("x").string(), opt); });
  CHECK(e4.find("hand-written RTL not found") != std::string::npos);
  // A LUT path that cannot be a SystemVerilog string.
  CHECK(msg([&] { rtl::emit_pkg(zero_program(a), *a, "/tmp/a\"b"); }).find("LUT file path") != std::string::npos);
}

TEST_CASE("rtl/README.md's register map is the generated one", "[rtl]") {
  const std::string readme = slurp(fs::path(PBIT_SOURCE_DIR) / "rtl" / "README.md");
  const std::string begin = "<!-- regmap:begin -->\n", end = "<!-- regmap:end -->";
  const auto b = readme.find(begin), e = readme.find(end);
  REQUIRE(b != std::string::npos);
  REQUIRE(e != std::string::npos);
  const std::string section = readme.substr(b + begin.size(), e - b - begin.size());
  INFO("regenerate with: build/pbit rtl regmap (and paste between the markers)");
  CHECK(section == rtl::regmap_markdown());
}

TEST_CASE("pbit rtl emit: help, output, errors", "[rtl][cli]") {
  auto r = pbit_cli("rtl emit --help");
  CHECK(r.code == 0);
  CHECK(r.out.find("--graph") != std::string::npos);
  const fs::path dir = tmp_dir("cli");
  r = pbit_cli("rtl emit --graph lattice:3x3 --rng xorshift32 --beta 0.5 --json --out " + dir.string());
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"cells\": 9") != std::string::npos);
  CHECK(fs::is_regular_file(dir / "pbit_array.sv"));
  CHECK(pbit_cli("rtl regmap").out == rtl::regmap_markdown());
  r = pbit_cli("rtl emit --graph nonsense:3 --out " + dir.string());
  CHECK(r.code == 1);
  CHECK(r.err.rfind("pbit: error: ", 0) == 0);
  r = pbit_cli("rtl emit --graph chimera:1");  // no --out
  CHECK(r.code == 2);
  r = pbit_cli("rtl emit --graph chimera:1 --rng mt19937 --out " + dir.string());
  CHECK(r.code == 1);
  CHECK(r.err.find("unknown RNG kind") != std::string::npos);
  r = pbit_cli("rtl emit --graph regular:30,25,1 --out " + dir.string());
  CHECK(r.code == 1);
  CHECK(r.err.find("degree 25") != std::string::npos);
}

TEST_CASE("the engine's ROMs: update order by colour, neighbours by slot, degrees", "[rtl][engine]") {
  for (const std::string spec : {"pegasus:2", "er:20,0.05,1", "chimera:1"}) {
    const auto g = G(spec);
    const Program prog = zero_program(g);
    const rtl::EngineTables t = rtl::engine_tables(prog);
    int dmax = 0;
    for (std::uint32_t i = 0; i < prog.n; ++i)
      dmax = std::max(dmax, static_cast<int>(prog.offsets[i + 1] - prog.offsets[i]));
    CHECK((1 << t.slot_bits) >= dmax);
    CHECK((t.slot_bits == 1 || (1 << (t.slot_bits - 1)) < dmax));
    CHECK((1 << t.deg_bits) > dmax);
    const int ib = prog.n > 1 ? static_cast<int>(std::ceil(std::log2(prog.n))) : 1;
    const auto words = [](const std::string& text) {
      std::vector<std::uint64_t> w;
      std::istringstream in(text);
      std::string line;
      while (std::getline(in, line)) w.push_back(std::stoull(line, nullptr, 16));
      return w;
    };
    // Order: every cell once, colours non-decreasing, each with its degree.
    const auto order = words(t.order);
    REQUIRE(order.size() == prog.n);
    std::vector<int> seen(prog.n, 0);
    int last_colour = -1;
    for (const auto w : order) {
      const std::uint32_t c = static_cast<std::uint32_t>(w & ((1u << ib) - 1));
      REQUIRE(c < prog.n);
      ++seen[c];
      CHECK((w >> ib) == prog.offsets[c + 1] - prog.offsets[c]);
      CHECK(prog.color[c] >= last_colour);
      last_colour = prog.color[c];
    }
    for (int s : seen) CHECK(s == 1);
    // Neighbours: slot s of cell c = the CSR slot, 0 beyond the degree.
    const auto nbr = words(t.nbr), deg = words(t.deg);
    const std::uint32_t slots = 1u << t.slot_bits;
    REQUIRE(nbr.size() == prog.n * slots);
    REQUIRE(deg.size() == prog.n);
    for (std::uint32_t c = 0; c < prog.n; ++c) {
      const std::uint32_t b = prog.offsets[c], d = prog.offsets[c + 1] - b;
      CHECK(deg[c] == d);
      for (std::uint32_t s = 0; s < slots; ++s) CHECK(nbr[c * slots + s] == (s < d ? prog.nbr[b + s] : 0u));
    }
  }
}

// The engine's graph from the Pegasus coordinates (rtl/engine/pbit_engine_pegasus.sv):
// the hardware's rule, modelled in C++, gives exactly the CSR neighbours in slot
// order and an order that updates every p-bit once, colour by colour.
TEST_CASE("the engine's Pegasus rule: candidates = CSR slots, order by colour", "[rtl][engine]") {
  for (int m = 2; m <= 16; ++m) {
    const auto g = G("pegasus:" + std::to_string(m));
    const Program prog = zero_program(g);
    const auto p = rtl::engine_pegasus(*g);
    REQUIRE(p);
    CHECK(p->m == m);
    CHECK_NOTHROW(rtl::check_engine_pegasus(*p, prog));
    const auto cand = rtl::engine_pegasus_candidates(*p);
    REQUIRE(cand.size() == prog.n);
    std::size_t slots = 0;
    for (std::uint32_t c = 0; c < prog.n; ++c) {
      std::vector<std::uint32_t> got;
      for (auto x : cand[c])
        if (x >= 0) got.push_back(static_cast<std::uint32_t>(x));
      REQUIRE(got == std::vector<std::uint32_t>(prog.nbr.begin() + prog.offsets[c], prog.nbr.begin() + prog.offsets[c + 1]));
      slots += got.size();
    }
    CHECK(slots == 2 * g->num_edges());
    const auto order = rtl::engine_pegasus_order(*p);
    REQUIRE(order.size() == prog.n);
    std::vector<int> seen(prog.n, 0);
    for (std::size_t i = 0; i < order.size(); ++i) {
      ++seen[order[i]];
      if (i > 0) CHECK(prog.color[order[i]] >= prog.color[order[i - 1]]);
    }
    CHECK(std::count(seen.begin(), seen.end(), 1) == static_cast<long>(prog.n));
  }
  CHECK_FALSE(rtl::engine_pegasus(*G("chimera:2")));
  CHECK_FALSE(rtl::engine_pegasus(*G("zephyr:2")));
  // A program of another graph is refused.
  const auto p4 = rtl::engine_pegasus(*G("pegasus:4"));
  CHECK_THROWS_WITH(rtl::check_engine_pegasus(*p4, zero_program(G("pegasus:3"))), Catch::Contains("Pegasus rule"));
}

TEST_CASE("pbit rtl emit --arch engine: package, ROM files, file list", "[rtl][engine][cli]") {
  const fs::path dir = tmp_dir("engine");
  auto r = pbit_cli("rtl emit --graph pegasus:2 --arch engine --rng lfsr32 --json --out " + dir.string());
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"top\": \"pbit_engine_top\"") != std::string::npos);
  const auto g = G("pegasus:2");
  NumericSpec spec;
  spec.rng = RngKind::Lfsr32;
  const rtl::EngineTables t = rtl::engine_tables(zero_program(g, spec));
  CHECK(slurp(dir / "pbit_engine_order.mem") == t.order);
  CHECK(slurp(dir / "pbit_engine_nbr.mem") == t.nbr);
  CHECK(slurp(dir / "pbit_engine_deg.mem") == t.deg);
  CHECK_FALSE(fs::exists(dir / "pbit_array.sv"));
  const std::string pkg = slurp(dir / "pbit_pkg.sv");
  const auto num = pkg_numbers(pkg);
  CHECK(num.at("EngineSlotBits") == static_cast<std::uint64_t>(t.slot_bits));
  CHECK(num.at("EngineDegBits") == static_cast<std::uint64_t>(t.deg_bits));
  CHECK(pkg.find("EngineNbrFile = \"" + (dir / "pbit_engine_nbr.mem").string() + "\"") != std::string::npos);
  // pegasus:M: the graph from the coordinates, with the offsets and fabric bounds of graphs/.
  CHECK(num.at("EngineNbrKind") == 1);
  CHECK(num.at("PegasusM") == 2);
  CHECK(num.at("PegasusFabricStart0") == 2);
  CHECK(num.at("PegasusFabricEnd1") == 2);
  CHECK(pkg.find("PegasusOffsets0 = 48'h6666aaaa2222;") != std::string::npos);  // S0 = 2,2,2,2,10,...,6 from k = 0
  // files.f: the package, then rtl/engine/files.f in order, the top last.
  const auto hand = rtl::hand_written_files(rtl::default_rtl_dir() + "/engine");
  std::string list = (dir / "pbit_pkg.sv").string() + "\n";
  for (const auto& f : hand) list += f + "\n";
  CHECK(slurp(dir / "files.f") == list);
  CHECK(fs::path(hand.back()).filename() == "pbit_engine_top.sv");
  // Other graphs: the ROMs.
  r = pbit_cli("rtl emit --graph chimera:1 --arch engine --out " + dir.string());
  REQUIRE(r.code == 0);
  CHECK(pkg_numbers(slurp(dir / "pbit_pkg.sv")).at("EngineNbrKind") == 0);
  r = pbit_cli("rtl emit --graph chimera:1 --arch tiny --out " + dir.string());
  CHECK(r.code == 2);
  CHECK_THROWS_WITH(rtl::parse_arch("tiny"), Catch::Contains("known: full, engine, lean"));
}

// The lean array (rtl/lean, `--arch lean`): groups of p-bits of different
// colours; every cell in exactly one group, at the member of its colour.
TEST_CASE("the lean array's groups: one cell of each colour at most, every cell once", "[rtl][lean]") {
  for (const char* spec : {"pegasus:4", "chimera:2", "er:20,0.05,1", "zephyr:1", "lattice:6x6"}) {
    INFO(spec);
    const auto g = G(spec);
    const Program prog = zero_program(g, NumericSpec{});
    const rtl::LeanGroups lg = rtl::lean_groups(prog);
    CHECK(lg.members == prog.num_colors);
    std::vector<int> seen(prog.n, 0);
    std::size_t biggest = 0;
    for (int c = 0; c < prog.num_colors; ++c)
      biggest = std::max<std::size_t>(biggest, static_cast<std::size_t>(
                                                   std::count(prog.color.begin(), prog.color.end(), c)));
    CHECK(lg.member.size() == biggest);  // as few groups as the largest colour needs
    for (const auto& m : lg.member) {
      REQUIRE(m.size() == static_cast<std::size_t>(prog.num_colors));
      for (int k = 0; k < prog.num_colors; ++k) {
        const std::int32_t c = m[static_cast<std::size_t>(k)];
        if (c < 0) continue;
        CHECK(prog.color[static_cast<std::size_t>(c)] == k);
        ++seen[static_cast<std::size_t>(c)];
      }
    }
    for (std::uint32_t i = 0; i < prog.n; ++i) CHECK(seen[i] == 1);
  }
}

TEST_CASE("pbit rtl emit --arch lean: package, groups, file list, async refused", "[rtl][lean][cli]") {
  const fs::path dir = tmp_dir("lean");
  auto r = pbit_cli("rtl emit --graph pegasus:2 --arch lean --beta-mode fold --json --out " + dir.string());
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"top\": \"pbit_lean_top\"") != std::string::npos);
  const auto g = G("pegasus:2");
  NumericSpec spec;
  spec.beta_mode = BetaMode::Fold;
  const Program prog = zero_program(g, spec);
  CHECK(slurp(dir / "pbit_lean_array.sv") == rtl::emit_lean_array(prog, *g));
  CHECK_FALSE(fs::exists(dir / "pbit_array.sv"));
  const std::string arr = slurp(dir / "pbit_lean_array.sv");
  const auto lg = rtl::lean_groups(prog);
  std::size_t groups = 0;
  for (std::size_t p = 0; (p = arr.find("pbit_group #(", p)) != std::string::npos; ++p) ++groups;
  CHECK(groups == lg.member.size());
  // Member k of group 0 is wired to its cell's neighbours in CSR slot order.
  const std::int32_t c0 = lg.member[0][0];
  REQUIRE(c0 >= 0);
  CHECK(arr.find("assign s_" + std::to_string(c0) + " = st_0[0];") != std::string::npos);
  const auto num = pkg_numbers(slurp(dir / "pbit_pkg.sv"));
  CHECK(num.at("CellRegOffset") == regmap::OFFSET);
  CHECK(num.at("LutGeometryGatedBit") == static_cast<std::uint64_t>(regmap::field::LUT_GEOMETRY_GATED));
  // files.f: the package, rtl/lean/files.f in order, the generated array last.
  const auto hand = rtl::hand_written_files(rtl::default_rtl_dir() + "/lean");
  std::string list = (dir / "pbit_pkg.sv").string() + "\n";
  for (const auto& f : hand) list += f + "\n";
  list += (dir / "pbit_lean_array.sv").string() + "\n";
  CHECK(slurp(dir / "files.f") == list);
  r = pbit_cli("rtl emit --graph chimera:1 --arch lean --schedule async --out " + dir.string());
  CHECK(r.code == 1);
  CHECK(r.err.find("pbit: error:") != std::string::npos);
  CHECK(r.err.find("chromatic") != std::string::npos);
}

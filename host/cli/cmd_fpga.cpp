// pbit fpga emit|build|estimate|sim|program: the board design and the open
// FPGA flows (fpga/README.md).
//
//   build     iCE40: yosys synth_ice40 -> nextpnr-ice40 (board .pcf) -> icepack;
//             utilization and Fmax from nextpnr's JSON report
//   estimate  Xilinx: yosys synth_xilinx of the array (hierarchical), LUT/FF/
//             BRAM/DSP per p-bit, a per-degree cost model, the largest
//             Pegasus/Zephyr that fits the part, projected flips/s
//   sim       the board top verilated (plain C++) with its UART bridged to a
//             pseudo-terminal: `pbit sample --backend board --port /dev/pts/N`
//   program   openFPGALoader command for a built bitstream
#include "cli.hpp"

#include <pbit/board/board_emit.hpp>
#include <pbit/board/protocol.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/program.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace pbit::cli {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------- helpers

std::string fpga_dir() {
  if (const char* d = std::getenv("PBIT_FPGA_DIR")) return d;
  return std::string(PBIT_SOURCE_DIR) + "/fpga";
}
std::string source_dir() {
  if (const char* d = std::getenv("PBIT_SOURCE_DIR")) return d;
  return PBIT_SOURCE_DIR;
}

std::string find_tool(const std::string& name, const std::string& package) {
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(ss, dir, ':');) {
    const fs::path p = fs::path(dir) / name;
    if (!dir.empty() && access(p.c_str(), X_OK) == 0) return p.string();
  }
  throw Error(name + " not found on PATH: install the Debian package " + package + " (bash .ci/setup does)");
}

std::string read_text(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}
void write_text(const fs::path& p, const std::string& text) {
  std::ofstream f(p);
  f << text;
  if (!f) throw Error("cannot write " + p.string());
}

// Runs argv (no shell) with stdout+stderr to `log`; returns the exit status
// (128+signal if killed) and the wall time.
struct StepResult {
  int status = 0;
  double seconds = 0;
};
StepResult run_step(const std::vector<std::string>& argv, const fs::path& log) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto t0 = Clock::now();
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw Error("cannot start " + argv[0] + ": " + std::strerror(rc));
  int ws = 0;
  while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
  }
  StepResult r;
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
  return r;
}

// The last lines of a log mentioning an error, for the one-line message.
std::string log_error(const fs::path& log) {
  std::ifstream f(log);
  std::string line, found, last;
  while (std::getline(f, line)) {
    if (!line.empty()) last = line;
    if (line.find("ERROR") != std::string::npos || line.find("%Error") != std::string::npos ||
        line.find("error:") != std::string::npos)
      if (found.empty()) found = line;
  }
  return found.empty() ? last : found;
}

std::string sanitize(const std::string& s) {
  std::string o;
  for (char c : s) o += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return o;
}

// key = value file with # comments (fpga/boards/*.board).
std::map<std::string, std::string> read_kv(const fs::path& p) {
  std::ifstream f(p);
  if (!f) throw Error("cannot read " + p.string());
  std::map<std::string, std::string> kv;
  for (std::string line; std::getline(f, line);) {
    line = line.substr(0, line.find('#'));
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    auto trim = [](std::string s) {
      const auto b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    kv[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  return kv;
}

std::vector<std::string> board_names() {
  std::vector<std::string> v;
  const fs::path d = fs::path(fpga_dir()) / "boards";
  if (fs::is_directory(d))
    for (const auto& e : fs::directory_iterator(d))
      if (e.path().extension() == ".board") v.push_back(e.path().stem().string());
  std::sort(v.begin(), v.end());
  return v;
}

struct Board {
  std::string name, device, package, pll, ofl_board;
  double osc_mhz = 12, freq_mhz = 24;
  bool led_active_low = false;
  int logic_cells = 0;
  fs::path pcf;
};

Board load_board(const std::string& name) {
  const fs::path dir = fs::path(fpga_dir()) / "boards";
  const fs::path file = dir / (name + ".board");
  if (!fs::exists(file)) {
    std::string list;
    for (const auto& b : board_names()) list += (list.empty() ? "" : ", ") + b;
    throw Error("unknown board '" + name + "' (boards in " + dir.string() + ": " + list + ")");
  }
  auto kv = read_kv(file);
  auto need = [&](const char* k) {
    if (!kv.count(k)) throw Error(file.string() + ": missing '" + k + "'");
    return kv[k];
  };
  Board b;
  b.name = name;
  b.device = need("device");
  b.package = need("package");
  b.pll = need("pll");
  b.osc_mhz = std::stod(need("osc_mhz"));
  b.freq_mhz = std::stod(need("freq_mhz"));
  b.led_active_low = need("led_active_low") == "1";
  b.logic_cells = std::stoi(need("logic_cells"));
  b.ofl_board = kv.count("openfpgaloader_board") ? kv["openfpgaloader_board"] : "";
  b.pcf = dir / (name + ".pcf");
  if (!fs::exists(b.pcf)) throw Error("board '" + name + "' has no constraints file " + b.pcf.string());
  if (b.pll != "pad" && b.pll != "core" && b.pll != "none")
    throw Error(file.string() + ": pll must be pad, core or none");
  return b;
}

using board::ice40_pll;
using board::Pll;

// Board features: the pbit_top parameters.
struct Features {
  bool lut_writable = false, stats = false, async = false;
  void add_to(CLI::App& app, bool full_default) {
    lut_writable = stats = async = full_default;
    app.add_option("--lut-writable", lut_writable, "1: LUT RAM written over the bus; 0: ROM (host uses --beta-mode fold)")
        ->capture_default_str();
    app.add_option("--stats", stats, "1: on-chip statistics counters per p-bit and edge")->capture_default_str();
    app.add_option("--async", async, "1: async schedule (a timer RNG per p-bit)")->capture_default_str();
  }
  std::string chparam() const {
    return fmt::format("-set LutWritable {} -set Stats {} -set Async {}", int(lut_writable), int(stats), int(async));
  }
  nlohmann::json to_json() const { return {{"lut_writable", lut_writable}, {"stats", stats}, {"async", async}}; }
};

struct Design {
  std::shared_ptr<const graphs::Graph> graph;
  Program prog;
  NumericSpec spec;
};
Design make_design(const std::string& graph, const SpecOptions& so, double beta) {
  if (!std::isfinite(beta) || beta < 0) throw Error("--beta must be finite and >= 0");
  Design d;
  d.spec = so.spec();
  d.graph = load_graph(graph);
  d.prog = compile(Problem::zeros(d.graph), d.spec, beta);
  return d;
}

std::string yosys_files(const std::vector<std::string>& files) {
  std::string s;
  for (const auto& f : files) s += " " + f;
  return s;
}

// ---------------------------------------------------------------- emit

struct EmitArgs {
  std::string graph, out;
  SpecOptions spec;
  double beta = 1.0;
  bool json = false;
};

int run_emit(const EmitArgs& a) {
  const Design d = make_design(a.graph, a.spec, a.beta);
  const auto r = board::emit_board(d.prog, *d.graph, a.out);
  if (a.json) {
    print_json({{"graph", d.graph->spec()}, {"cells", r.array.num_cells}, {"files", r.files}, {"files_list", r.files_list}});
    return 0;
  }
  fmt::print("board design for {} ({} p-bits, {} colours) in {}\n", d.graph->spec(), r.array.num_cells,
             r.array.num_colors, r.array.outdir);
  fmt::print("file list  {}\n", r.files_list);
  fmt::print("lint       verilator --lint-only -Wall {}/rtl/pbit.vlt -f {} --top-module pbit_board_top\n", source_dir(),
             r.files_list);
  return 0;
}

// ---------------------------------------------------------------- build (iCE40)

struct BuildArgs {
  std::string board, graph, out;
  SpecOptions spec;
  Features features;
  double beta = 1.0;
  double freq_mhz = 0;  // 0: the board's default
  int baud = 115200;
  int seed = 1;
  int buffer_words = 256;
  bool json = false;
};

int run_build(const BuildArgs& a) {
  const auto t_all = Clock::now();
  const Board b = load_board(a.board);
  const std::string yosys = find_tool("yosys", "yosys");
  const std::string nextpnr = find_tool("nextpnr-ice40", "nextpnr-ice40");
  const std::string icepack = find_tool("icepack", "fpga-icestorm");
  const Design d = make_design(a.graph, a.spec, a.beta);
  if (d.spec.schedule == Schedule::Async && !a.features.async)
    throw Error("--schedule async needs the async hardware: add --async 1");
  const fs::path out = fs::absolute(a.out.empty() ? fs::path("fpga-build") / (b.name + "-" + sanitize(d.graph->spec())) : fs::path(a.out));
  fs::create_directories(out);
  std::map<std::string, double> secs;

  // Clock and UART.
  // The oscillator's frequency runs without the PLL (whose output starts at 16 MHz).
  Pll pll;
  double mhz = a.freq_mhz > 0 ? a.freq_mhz : b.freq_mhz;
  std::string pll_mode = b.pll;
  if (b.pll == "none" || std::abs(mhz - b.osc_mhz) < 1e-9) {
    if (std::abs(mhz - b.osc_mhz) > 1e-9)
      throw Error("board " + b.name + " has no PLL: --freq must be the oscillator's " + fmt::format("{}", b.osc_mhz));
    mhz = b.osc_mhz;
    pll_mode = "none";
  } else {
    pll = ice40_pll(b.osc_mhz, mhz);
    mhz = pll.mhz;
  }
  const double hz = mhz * 1e6;
  const int clks_per_bit = static_cast<int>(std::lround(hz / a.baud));
  if (clks_per_bit < 4) throw Error(fmt::format("--baud {} too fast for a {} MHz clock (needs >= 4 clocks a bit)", a.baud, mhz));
  const double baud_err = std::abs(hz / clks_per_bit - a.baud) / a.baud;
  if (baud_err > 0.02) throw Error(fmt::format("--baud {} is {:.1f} % off at {} MHz", a.baud, 100 * baud_err, mhz));
  if (a.buffer_words < 4 || a.buffer_words > 16384 || (a.buffer_words & (a.buffer_words - 1)))
    throw Error("--buffer-words must be a power of two in [4, 16384]");
  const auto timeout_clks = static_cast<std::uint64_t>(hz * 0.1);  // 100 ms without a byte

  // 1. Emit.
  auto t0 = Clock::now();
  const auto em = board::emit_board(d.prog, *d.graph, (out / "design").string());
  secs["emit"] = std::chrono::duration<double>(Clock::now() - t0).count();

  // 2. Synthesis.
  const std::string define = pll_mode == "pad" ? " -DPBIT_ICE40_PLL_PAD" : pll_mode == "core" ? " -DPBIT_ICE40_PLL" : "";
  const fs::path json = out / "pbit_board.json";
  std::string ys = fmt::format(
      "# pbit fpga build --board {} --graph {}: iCE40 synthesis (yosys -s synth.ys)\n"
      "read_verilog -sv{}{}\n"
      "chparam {} -set ClkHz {} -set ClksPerBit {} -set TimeoutClks {} -set BufWords {} -set LedActiveLow {} "
      "-set PllDivr {} -set PllDivf {} -set PllDivq {} -set PllFilterRange {} pbit_board_top\n"
      "synth_ice40 -top pbit_board_top{} -json {}\n"
      "tee -o {} stat\n",
      b.name, d.graph->spec(), define, yosys_files(em.files), a.features.chparam(), static_cast<std::uint64_t>(hz),
      clks_per_bit, timeout_clks, a.buffer_words, int(b.led_active_low), pll.divr, pll.divf, pll.divq, pll.filter,
      b.device == "up5k" ? " -dsp" : "", json.string(), (out / "yosys_stat.txt").string());
  write_text(out / "synth.ys", ys);
  if (!a.json) fmt::print(stderr, "yosys synth_ice40 ({} p-bits) ...\n", em.array.num_cells);
  auto r = run_step({yosys, "-q", "-l", (out / "yosys.log").string(), "-s", (out / "synth.ys").string()}, out / "yosys.out");
  secs["yosys"] = r.seconds;
  if (r.status != 0) throw Error("yosys failed: " + log_error(out / "yosys.log") + " (log: " + (out / "yosys.log").string() + ")");
  // Early fit check: LUT4s alone (nextpnr packs a LUT and a flip-flop per logic cell).
  const std::string stat = read_text(out / "yosys_stat.txt");
  auto count_of = [&](const std::string& cell) {
    std::smatch m;
    const std::regex re("\\b" + cell + "\\s+(\\d+)");
    long v = 0;
    for (auto it = std::sregex_iterator(stat.begin(), stat.end(), re); it != std::sregex_iterator(); ++it)
      v = std::stol((*it)[1]);  // the last occurrence: the flattened top
    return v;
  };
  const long luts = count_of("SB_LUT4");
  if (luts > b.logic_cells)
    throw Error(fmt::format("the design does not fit the {} ({}): {} LUT4 for {} logic cells; try a smaller graph, "
                            "or leave --stats/--async/--lut-writable at 0",
                            b.name, b.device, luts, b.logic_cells));

  // 3. Place and route.
  const fs::path asc = out / "pbit_board.asc", report = out / "nextpnr_report.json";
  const std::vector<std::string> pnr = {nextpnr, "--" + b.device, "--package", b.package, "--json", json.string(),
                                        "--pcf", b.pcf.string(), "--asc", asc.string(), "--freq",
                                        fmt::format("{:.3f}", mhz), "--seed", std::to_string(a.seed), "--report",
                                        report.string(), "--timing-allow-fail", "-q", "-l",
                                        (out / "nextpnr.log").string()};
  write_text(out / "pnr.sh", [&] {
    std::string s = "#!/bin/sh\n# pbit fpga build: place and route\n";
    for (const auto& x : pnr) s += x + " ";
    return s + "\n";
  }());
  if (!a.json) fmt::print(stderr, "nextpnr-ice40 --{} --freq {:.2f} ...\n", b.device, mhz);
  r = run_step(pnr, out / "nextpnr.out");
  secs["nextpnr"] = r.seconds;
  if (r.status != 0) {
    const std::string why = log_error(out / "nextpnr.log");
    if (why.find("Unable to place") != std::string::npos || why.find("too many") != std::string::npos ||
        why.find("Failed to expand region") != std::string::npos || why.find("fit") != std::string::npos)
      throw Error("the design does not fit the " + b.name + " (" + b.device + "): " + why);
    throw Error("nextpnr-ice40 failed: " + why + " (log: " + (out / "nextpnr.log").string() + ")");
  }
  nlohmann::json rep;
  try {
    rep = nlohmann::json::parse(read_text(report));
  } catch (const std::exception& e) {
    throw Error("cannot read nextpnr's report " + report.string() + ": " + e.what());
  }
  double fmax = 0;
  for (const auto& [clk, v] : rep["fmax"].items())
    if (fmax == 0 || v["achieved"].get<double>() < fmax) fmax = v["achieved"].get<double>();
  nlohmann::json util = nlohmann::json::object();
  for (const auto& [k, v] : rep["utilization"].items())
    if (v["used"].get<int>() > 0) util[k] = {{"used", v["used"]}, {"available", v["available"]}};

  // 4. Bitstream.
  const fs::path bin = out / "pbit_board.bin";
  r = run_step({icepack, asc.string(), bin.string()}, out / "icepack.log");
  secs["icepack"] = r.seconds;
  if (r.status != 0 || !fs::exists(bin)) throw Error("icepack failed (log: " + (out / "icepack.log").string() + ")");
  secs["total"] = std::chrono::duration<double>(Clock::now() - t_all).count();

  const bool met = fmax >= mhz;
  const int cps = d.spec.cycles_per_sweep(d.prog.num_colors);
  const double flips = static_cast<double>(d.prog.n) * hz / cps;
  nlohmann::json doc = {
      {"board", b.name},
      {"device", b.device},
      {"package", b.package},
      {"graph", d.graph->spec()},
      {"pbits", d.prog.n},
      {"colors", d.prog.num_colors},
      {"spec", a.spec.to_json(d.spec)},
      {"beta", a.beta},
      {"features", a.features.to_json()},
      {"clock_mhz", mhz},
      {"pll", {{"mode", pll_mode}, {"divr", pll.divr}, {"divf", pll.divf}, {"divq", pll.divq}, {"filter_range", pll.filter}}},
      {"uart", {{"baud", a.baud}, {"clks_per_bit", clks_per_bit}, {"baud_error", baud_err}}},
      {"utilization", util},
      {"yosys_lut4", luts},
      {"fmax_mhz", fmax},
      {"timing_met", met},
      {"cycles_per_sweep", cps},
      {"flips_per_s", flips},
      {"bitstream", bin.string()},
      {"program", fmt::format("openFPGALoader -b {} -f {}", b.ofl_board.empty() ? "<board>" : b.ofl_board, bin.string())},
      {"seconds", secs}};
  write_text(out / "report.json", doc.dump(2) + "\n");
  std::string md = fmt::format(
      "# pbit board build: {} on {} ({} {})\n\n"
      "| | |\n|---|---|\n| p-bits | {} ({} colours, {} cycles/sweep) |\n| clock | {:.3f} MHz (PLL {} DIVR={} DIVF={} DIVQ={}) |\n"
      "| Fmax (nextpnr) | {:.2f} MHz: timing {} |\n| UART | {} baud ({} clocks/bit) |\n"
      "| flips/s | {:.3g} (p-bits x clock / cycles per sweep) |\n| bitstream | {} |\n\n",
      d.graph->spec(), b.name, b.device, b.package, d.prog.n, d.prog.num_colors, cps, mhz, pll_mode, pll.divr, pll.divf,
      pll.divq, fmax, met ? "met" : "NOT met", a.baud, clks_per_bit, flips, bin.string());
  md += "| resource | used | available |\n|---|---|---|\n";
  for (const auto& [k, v] : util.items())
    md += fmt::format("| {} | {} | {} |\n", k, v["used"].get<int>(), v["available"].get<int>());
  md += "\n| step | seconds |\n|---|---|\n";
  for (const auto& [k, v] : secs) md += fmt::format("| {} | {:.1f} |\n", k, v);
  write_text(out / "report.md", md);

  if (a.json) {
    print_json(doc);
  } else {
    fmt::print("{}", md);
    fmt::print("program    {}\n", doc["program"].get<std::string>());
  }
  if (!met)
    throw Error(fmt::format("timing not met: Fmax {:.2f} MHz < {:.2f} MHz (lower --freq; bitstream and reports in {})",
                            fmax, mhz, out.string()));
  return 0;
}

// ---------------------------------------------------------------- estimate (Xilinx)

struct Part {
  const char* name;
  const char* family;  // synth_xilinx -family
  long luts, ffs, bram36, dsp;
};
// Device capacities from the vendors' product tables (CLB LUTs, CLB flip-flops,
// 36 Kb block RAMs, DSP slices).
constexpr Part kParts[] = {
    {"xcvu9p", "xcup", 1182240, 2364480, 2160, 6840},
    {"xcvu13p", "xcup", 1728000, 3456000, 2688, 12288},
    {"xcu250", "xcup", 1728000, 3456000, 2688, 12288},
    {"xc7a100t", "xc7", 63400, 126800, 135, 240},
    {"xc7a35t", "xc7", 20800, 41600, 50, 90},
};

struct EstimateArgs {
  std::string part = "xcvu9p", graph = "pegasus:14", out;
  SpecOptions spec;
  Features features;
  double beta = 1.0;
  double clock_mhz = 100;
  double max_util = 0.8;
  bool json = false;
};

struct ModStat {
  long lut = 0, inv = 0, ff = 0, bram = 0, dsp = 0, carry = 0, lutram = 0, muxf = 0;
};

void add_cell(ModStat& s, const std::string& c, long n) {
  static const std::regex lut("LUT[1-6]"), ff("FD[CPRS]E(_1)?");
  if (std::regex_match(c, lut)) s.lut += n;
  else if (c == "INV") s.inv += n;
  else if (std::regex_match(c, ff)) s.ff += n;
  else if (c.rfind("RAMB", 0) == 0) s.bram += c.find("18") != std::string::npos ? n : 2 * n;  // RAMB18 units
  else if (c.rfind("DSP", 0) == 0) s.dsp += n;
  else if (c.rfind("CARRY", 0) == 0) s.carry += n;
  else if (c.rfind("RAM32", 0) == 0 || c.rfind("RAM64", 0) == 0 || c.rfind("RAM128", 0) == 0 ||
           c.rfind("RAM256", 0) == 0 || c.rfind("SRL", 0) == 0)
    s.lutram += n;
  else if (c.rfind("MUXF", 0) == 0) s.muxf += n;
}

// Parses yosys `stat` of a hierarchical design: each module's own cells, the
// instance count of each module at its first appearance in the hierarchy
// (the p-bit cells appear once, under the array), and the design totals.
struct StatReport {
  std::map<std::string, ModStat> own;
  std::map<std::string, long> instances;
  ModStat total;
};
StatReport parse_stat(const std::string& text) {
  StatReport r;
  std::string cur;
  bool hier = false;
  std::istringstream in(text);
  const std::regex head("^=== (.*) ===$"), cell("^\\s+(\\S+)\\s+(\\d+)$");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, head)) {
      cur = m[1];
      hier = cur == "design hierarchy";
      continue;
    }
    if (!std::regex_match(line, m, cell) || cur.empty()) continue;
    const std::string c = m[1];
    const long n = std::stol(m[2]);
    if (hier) {
      if (r.own.count(c)) {
        if (!r.instances.count(c)) r.instances[c] = n;
      } else {
        add_cell(r.total, c, n);
      }
      continue;
    }
    add_cell(r.own[cur], c, n);
  }
  return r;
}

int run_estimate(const EstimateArgs& a) {
  const auto t_all = Clock::now();
  const Part* part = nullptr;
  std::string names;
  for (const auto& p : kParts) {
    names += (names.empty() ? "" : ", ") + std::string(p.name);
    if (a.part == p.name) part = &p;
  }
  if (!part) throw Error("unknown part '" + a.part + "' (known: " + names + ")");
  if (!(a.clock_mhz > 0)) throw Error("--clock-mhz must be > 0");
  if (!(a.max_util > 0 && a.max_util <= 1)) throw Error("--max-util must be in (0, 1]");
  const std::string yosys = find_tool("yosys", "yosys");
  const Design d = make_design(a.graph, a.spec, a.beta);
  const fs::path out = fs::absolute(a.out.empty() ? fs::path("fpga-estimate") / (a.part + "-" + sanitize(d.graph->spec())) : fs::path(a.out));
  fs::create_directories(out);
  rtl::EmitOptions eo;
  const auto em = rtl::emit_rtl(d.prog, *d.graph, (out / "design").string(), eo);
  // Hierarchical synthesis (no -flatten): each distinct cell (by degree) is
  // synthesized once; per-p-bit numbers keep every statistics counter (an
  // upper bound: flattening drops the counters of slots that are not kept).
  const std::string ys = fmt::format(
      "# pbit fpga estimate --part {} --graph {} (yosys -s estimate.ys)\n"
      "read_verilog -sv{}\n"
      "chparam {} pbit_top\n"
      "synth_xilinx -family {} -top pbit_top\n"
      "tee -o {} stat\n",
      a.part, d.graph->spec(), yosys_files(em.files), a.features.chparam(), part->family, (out / "stat.txt").string());
  write_text(out / "estimate.ys", ys);
  if (!a.json) fmt::print(stderr, "yosys synth_xilinx -family {} of {} ({} p-bits); pegasus:14 takes ~25 minutes ...\n",
                          part->family, d.graph->spec(), d.prog.n);
  const auto r = run_step({yosys, "-l", (out / "yosys.log").string(), "-s", (out / "estimate.ys").string()}, out / "yosys.out");
  if (r.status != 0) throw Error("yosys failed: " + log_error(out / "yosys.log") + " (log: " + (out / "yosys.log").string() + ")");

  // Per-module counts, and each derived pbit_cell's Degree from the log.
  const StatReport st = parse_stat(read_text(out / "stat.txt"));
  std::map<std::string, int> degree_of;
  {
    std::ifstream log(out / "yosys.log");
    const std::regex pdeg("^Parameter \\\\Degree = (\\d+)$"), gen("^Generating RTLIL representation for module `(.*)'\\.$");
    int last = -1;
    for (std::string line; std::getline(log, line);) {
      std::smatch m;
      if (std::regex_match(line, m, pdeg)) last = std::stoi(m[1]);
      else if (std::regex_match(line, m, gen)) {
        const std::string name = m[1];
        if (last >= 0 && name.find("pbit_cell") != std::string::npos) degree_of[name] = last;
        last = -1;
      }
    }
  }
  // The design = control, LUT, array glue (once each) + cells (own cells by
  // degree) + their RNGs (the rest of the total).
  const ModStat& total = st.total;
  ModStat cells, rest;
  std::map<int, std::pair<ModStat, long>> by_degree;  // degree -> (per-instance cost, instances)
  auto add = [](ModStat& t, const ModStat& s, long k) {
    t.lut += k * s.lut, t.inv += k * s.inv, t.ff += k * s.ff, t.bram += k * s.bram, t.dsp += k * s.dsp;
    t.carry += k * s.carry, t.lutram += k * s.lutram, t.muxf += k * s.muxf;
  };
  long cell_instances = 0;
  for (const auto& [name, s] : st.own) {
    const bool is_cell = name.find("pbit_cell") != std::string::npos;
    const bool is_fixed = name == "pbit_top" || name.find("pbit_ctrl") != std::string::npos ||
                          name.find("pbit_lut") != std::string::npos || name.find("pbit_array") != std::string::npos;
    if (is_fixed) add(rest, s, 1);
    if (!is_cell) continue;
    const long k = st.instances.count(name) ? st.instances.at(name) : 0;
    add(cells, s, k);
    cell_instances += k;
    if (!degree_of.count(name))
      throw Error("estimate: no Degree found for " + name + " in " + (out / "yosys.log").string());
    auto& e = by_degree[degree_of[name]];
    e.first = s;
    e.second += k;
  }
  if (cell_instances != static_cast<long>(d.prog.n))
    throw Error(fmt::format("estimate: found {} p-bit cells in yosys' stat, expected {} (see {})", cell_instances,
                            d.prog.n, (out / "stat.txt").string()));
  const double n = d.prog.n;
  const double rng_lut_per = (total.lut - cells.lut - rest.lut) / n;
  const double rng_ff_per = (total.ff - cells.ff - rest.ff) / n;
  // Cost model: LUTs and FFs of a p-bit = a + b * degree (least squares over
  // the cell variants, RNGs spread evenly), plus the fixed rest (control, LUT).
  // Fixed (control, LUT, top) and per-p-bit array glue (cell selects, the
  // register-read OR), both from the hierarchical run.
  ModStat fixed, glue;
  for (const auto& [name, s] : st.own) {
    if (name.find("pbit_array") != std::string::npos) glue = s;
    else if (name == "pbit_top" || name.find("pbit_ctrl") != std::string::npos || name.find("pbit_lut") != std::string::npos)
      add(fixed, s, 1);
  }
  // Flattened cells: each degree once more, as pbit_cell_probe (fpga/xilinx/)
  // with its LUT and the statistics slots it keeps, flattened (a ROM LUT folds
  // into the cell, unkept counters vanish): the realistic cost of a p-bit.
  std::map<int, std::pair<ModStat, long>> flat_by_degree;
  double probe_seconds = 0;
  {
    std::map<int, std::pair<double, long>> kept;  // degree -> (kept slots summed, cells)
    for (std::uint32_t i = 0; i < d.graph->num_nodes(); ++i) {
      long k = 0;
      for (std::uint32_t q = d.prog.offsets[i]; q < d.prog.offsets[i + 1]; ++q) k += d.prog.nbr[q] > i;
      auto& e = kept[static_cast<int>(d.graph->degree(i))];
      e.first += k, e.second += 1;
    }
    const fs::path probe_sv = fs::path(fpga_dir()) / "xilinx" / "pbit_cell_probe.sv";
    if (!fs::exists(probe_sv)) throw Error("missing " + probe_sv.string());
    std::vector<std::string> cell_files;  // the package and the cell's modules
    for (const auto& f : em.files)
      if (f.find("pbit_array.sv") == std::string::npos && f.find("pbit_top.sv") == std::string::npos &&
          f.find("pbit_ctrl.sv") == std::string::npos)
        cell_files.push_back(f);
    cell_files.push_back(probe_sv.string());
    for (const auto& [deg, e] : kept) {
      const int k = static_cast<int>(std::lround(e.first / static_cast<double>(e.second)));
      const fs::path dir = out / ("probe_degree_" + std::to_string(deg));
      fs::create_directories(dir);
      write_text(dir / "probe.ys",
                 fmt::format("read_verilog -sv{}\nchparam -set Degree {} -set AgreeMask {} -set LutWritable {} "
                             "-set Stats {} -set Async {} pbit_cell_probe\nsynth_xilinx -flatten -family {} -top "
                             "pbit_cell_probe\ntee -o {} stat\n",
                             yosys_files(cell_files), deg, (1u << k) - 1u, int(a.features.lut_writable),
                             int(a.features.stats), int(a.features.async), part->family, (dir / "stat.txt").string()));
      const auto pr = run_step({yosys, "-q", "-l", (dir / "yosys.log").string(), "-s", (dir / "probe.ys").string()},
                               dir / "yosys.out");
      probe_seconds += pr.seconds;
      if (pr.status != 0)
        throw Error("yosys failed on the cell probe of degree " + std::to_string(deg) + ": " +
                    log_error(dir / "yosys.log") + " (log: " + (dir / "yosys.log").string() + ")");
      ModStat c;
      for (const auto& [name, sm] : parse_stat(read_text(dir / "stat.txt")).own) add(c, sm, 1);
      flat_by_degree[deg] = {c, e.second};
    }
  }
  // Cost model per p-bit: a + b x degree (least squares over the degrees,
  // weighted by their cells).
  auto fit = [](const std::map<int, std::pair<ModStat, long>>& by, auto get) {
    double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const auto& [deg, e] : by) {
      const double w = static_cast<double>(e.second), x = deg, y = get(e.first);
      sw += w, sx += w * x, sy += w * y, sxx += w * x * x, sxy += w * x * y;
    }
    const double den = sw * sxx - sx * sx;
    const double b = by.size() > 1 && den != 0 ? (sw * sxy - sx * sy) / den : 0;
    return std::pair<double, double>{(sy - b * sx) / sw, b};
  };
  auto lut_of = [](const ModStat& s) { return static_cast<double>(s.lut); };
  auto ff_of = [](const ModStat& s) { return static_cast<double>(s.ff); };
  struct Model {
    double lut_a, lut_b, ff_a, ff_b;  // per p-bit: a + b x degree (glue and RNGs included)
  };
  const auto [hl_a, hl_b] = fit(by_degree, lut_of);
  const auto [hf_a, hf_b] = fit(by_degree, ff_of);
  const auto [fl_a, fl_b] = fit(flat_by_degree, lut_of);
  const auto [ff_a2, ff_b2] = fit(flat_by_degree, ff_of);
  const Model hier{hl_a + rng_lut_per + glue.lut / n, hl_b, hf_a + rng_ff_per + glue.ff / n, hf_b};
  const Model flat{fl_a + glue.lut / n, fl_b, ff_a2 + glue.ff / n, ff_b2};  // the probes include the RNGs
  auto predict = [&](const Model& m, const graphs::Graph& g, double& lut, double& ff) {
    double deg = 0;
    for (std::uint32_t i = 0; i < g.num_nodes(); ++i) deg += g.degree(i);
    const double nn = static_cast<double>(g.num_nodes());
    lut = fixed.lut + nn * m.lut_a + m.lut_b * deg;
    ff = fixed.ff + nn * m.ff_a + m.ff_b * deg;
  };
  auto largest = [&](const Model& m, const std::string& family, int from, const std::string& suffix) {
    int best = 0;
    std::size_t nodes = 0;
    for (int k = from; k <= 64; ++k) {
      const auto g = graphs::make_graph(family + ":" + std::to_string(k) + suffix);
      double lut, ff;
      predict(m, g, lut, ff);
      if (lut > a.max_util * part->luts || ff > a.max_util * part->ffs) break;
      best = k;
      nodes = g.num_nodes();
    }
    return std::pair<int, std::size_t>{best, nodes};
  };
  const auto [peg_m, peg_n] = largest(flat, "pegasus", 2, "");
  const auto [zep_m, zep_n] = largest(flat, "zephyr", 1, ",4");
  const auto [hpeg_m, hpeg_n] = largest(hier, "pegasus", 2, "");
  const auto [hzep_m, hzep_n] = largest(hier, "zephyr", 1, ",4");
  double flat_lut = 0, flat_ff = 0;
  predict(flat, *d.graph, flat_lut, flat_ff);
  // The flip rate of the largest Pegasus that fits, at the same clock.
  double peg_flips = 0;
  if (peg_m > 0) {
    const auto g = std::make_shared<const graphs::Graph>(graphs::make_graph("pegasus:" + std::to_string(peg_m)));
    const Program pp = compile(Problem::zeros(g), d.spec, a.beta);
    peg_flips = static_cast<double>(pp.n) * a.clock_mhz * 1e6 / d.spec.cycles_per_sweep(pp.num_colors);
  }
  const int cps = d.spec.cycles_per_sweep(d.prog.num_colors);
  const double flips = n * a.clock_mhz * 1e6 / cps;
  const double secs = std::chrono::duration<double>(Clock::now() - t_all).count();

  nlohmann::json degrees = nlohmann::json::array();
  for (const auto& [deg, e] : by_degree) {
    const auto& f = flat_by_degree[deg].first;
    degrees.push_back({{"degree", deg}, {"cells", e.second}, {"hier_lut", e.first.lut}, {"hier_ff", e.first.ff},
                       {"flat_lut", f.lut}, {"flat_ff", f.ff}, {"flat_carry", f.carry}});
  }
  auto model_json = [&](const Model& m) {
    return nlohmann::json{{"lut_per_pbit", m.lut_a}, {"lut_per_edge_slot", m.lut_b}, {"ff_per_pbit", m.ff_a},
                          {"ff_per_edge_slot", m.ff_b}, {"fixed_lut", fixed.lut}, {"fixed_ff", fixed.ff}};
  };
  nlohmann::json doc = {
      {"part", part->name},
      {"family", part->family},
      {"graph", d.graph->spec()},
      {"pbits", d.prog.n},
      {"colors", d.prog.num_colors},
      {"spec", a.spec.to_json(d.spec)},
      {"features", a.features.to_json()},
      {"total", {{"lut", total.lut}, {"ff", total.ff}, {"bram18", total.bram}, {"dsp", total.dsp},
                 {"carry", total.carry}, {"lutram_srl", total.lutram}, {"muxf", total.muxf}, {"inv", total.inv}}},
      {"per_pbit", {{"lut", total.lut / n}, {"ff", total.ff / n}, {"bram18", total.bram / n}, {"dsp", total.dsp / n}}},
      {"utilization", {{"lut", static_cast<double>(total.lut) / part->luts}, {"ff", static_cast<double>(total.ff) / part->ffs},
                       {"bram36", total.bram / 2.0 / part->bram36}, {"dsp", static_cast<double>(total.dsp) / part->dsp}}},
      {"flattened", {{"lut", flat_lut}, {"ff", flat_ff}, {"lut_per_pbit", flat_lut / n}, {"ff_per_pbit", flat_ff / n},
                     {"lut_utilization", flat_lut / part->luts}, {"ff_utilization", flat_ff / part->ffs}}},
      {"part_capacity", {{"lut", part->luts}, {"ff", part->ffs}, {"bram36", part->bram36}, {"dsp", part->dsp}}},
      {"cells_by_degree", degrees},
      {"model", model_json(flat)},
      {"model_hierarchical", model_json(hier)},
      {"max_util", a.max_util},
      {"largest_pegasus", {{"m", peg_m}, {"pbits", peg_n}, {"flips_per_s", peg_flips}}},
      {"largest_zephyr_t4", {{"m", zep_m}, {"pbits", zep_n}}},
      {"largest_pegasus_hierarchical", {{"m", hpeg_m}, {"pbits", hpeg_n}}},
      {"largest_zephyr_t4_hierarchical", {{"m", hzep_m}, {"pbits", hzep_n}}},
      {"clock_mhz", a.clock_mhz},
      {"cycles_per_sweep", cps},
      {"flips_per_s", flips},
      {"published_flips_per_s", {50e9, 64e9}},
      {"yosys_seconds", r.seconds},
      {"probe_seconds", probe_seconds},
      {"seconds", secs}};
  write_text(out / "estimate.json", doc.dump(2) + "\n");
  std::string md = fmt::format(
      "# Xilinx resource estimate: {} on {} (yosys synth_xilinx -family {})\n\n"
      "{} p-bits, {} colours; features: LUT writable {}, statistics {}, async {}.\n\n"
      "## The whole array, hierarchical synthesis (an upper bound)\n\n"
      "Every distinct cell synthesized once as a module: each keeps a generic LUT read mux (a ROM LUT does not\n"
      "fold into it) and all its statistics counters.\n\n"
      "| resource | total | per p-bit | {} capacity | utilization |\n|---|---|---|---|---|\n"
      "| LUT | {} | {:.1f} | {} | {:.1f} % |\n| FF | {} | {:.1f} | {} | {:.1f} % |\n"
      "| BRAM (RAMB18 units) | {} | {:.3f} | {} RAMB36 | {:.1f} % |\n| DSP | {} | {:.3f} | {} | {:.1f} % |\n"
      "| CARRY | {} | {:.2f} | | |\n| LUTRAM/SRL | {} | | | |\n| INV | {} | {:.1f} | | |\n\n"
      "LUT counts LUT1-LUT6. INV: the inverters yosys puts on the flip-flops' reset pins (rst_ni is active low,\n"
      "the Xilinx flip-flops' resets active high); a vendor flow shares one per reset net or folds them into the\n"
      "flip-flops (IS_R_INVERTED / IS_CLR_INVERTED).\n\n"
      "## Flattened cells (the best estimate)\n\n"
      "Each degree once more as fpga/xilinx/pbit_cell_probe.sv, flattened with its LUT (a ROM folds into the\n"
      "cell) and only the statistics slots it keeps; plus the array glue and the control from above.\n\n"
      "| degree | cells | LUT hierarchical | LUT flattened | FF hierarchical | FF flattened |\n|---|---|---|---|---|---|\n",
      d.graph->spec(), part->name, part->family, d.prog.n, d.prog.num_colors, a.features.lut_writable,
      a.features.stats, a.features.async, part->name, total.lut, total.lut / n, part->luts,
      100.0 * total.lut / part->luts, total.ff, total.ff / n, part->ffs, 100.0 * total.ff / part->ffs, total.bram,
      total.bram / n, part->bram36, 100.0 * total.bram / 2 / part->bram36, total.dsp, total.dsp / n, part->dsp,
      100.0 * total.dsp / part->dsp, total.carry, total.carry / n, total.lutram, total.inv, total.inv / n);
  for (const auto& [deg, e] : by_degree) {
    const auto& f = flat_by_degree[deg].first;
    md += fmt::format("| {} | {} | {} | {} | {} | {} |\n", deg, e.second, e.first.lut, f.lut, e.first.ff, f.ff);
  }
  md += fmt::format(
      "\nWhole array, flattened cells: {:.0f} LUT ({:.0f} per p-bit, {:.1f} % of the {}), {:.0f} FF ({:.0f} per "
      "p-bit, {:.1f} %).\n\n"
      "Cost model per p-bit (glue and RNG included): LUT = {:.1f} + {:.1f} x degree, FF = {:.1f} + {:.1f} x degree "
      "(hierarchical: LUT = {:.1f} + {:.1f} x degree), plus {} LUT / {} FF of control and LUT.\n\n"
      "Largest graphs within {:.0f} % of the {}'s LUTs and FFs: pegasus:{} ({} p-bits), zephyr:{},4 ({} p-bits); "
      "by the hierarchical upper bound: pegasus:{} ({} p-bits), zephyr:{},4 ({} p-bits).\n\n"
      "Projected at {} MHz (p-bits x clock / cycles per sweep): {:.3g} flips/s for {} ({} p-bits, {} cycles per "
      "sweep) if it fitted, {:.3g} flips/s for pegasus:{}; the published P(14) DBM: 50-64e9 flips/s. The clock is "
      "an assumption, not a timing result (no Xilinx place and route here).\n\nyosys: {:.0f} s for the array, "
      "{:.0f} s for the cell probes.\n",
      flat_lut, flat_lut / n, 100 * flat_lut / part->luts, part->name, flat_ff, flat_ff / n,
      100 * flat_ff / part->ffs, flat.lut_a, flat.lut_b, flat.ff_a, flat.ff_b, hier.lut_a, hier.lut_b, fixed.lut,
      fixed.ff, 100 * a.max_util, part->name, peg_m, peg_n, zep_m, zep_n, hpeg_m, hpeg_n, hzep_m, hzep_n,
      a.clock_mhz, flips, d.graph->spec(), d.prog.n, cps, peg_flips, peg_m, r.seconds, probe_seconds);
  write_text(out / "estimate.md", md);
  if (a.json)
    print_json(doc);
  else
    fmt::print("{}report     {}\n", md, (out / "estimate.md").string());
  return 0;
}

// ---------------------------------------------------------------- sim

struct SimArgs {
  std::string graph, out;
  SpecOptions spec;
  Features features;
  double beta = 1.0;
  int clks_per_bit = 4;
  std::string pty_file;
  double idle_exit = 0;
  int corrupt_every = 0;
  bool build_only = false;
  int jobs = 2;
};

int run_sim(const SimArgs& a) {
  const std::string verilator = find_tool("verilator", "verilator");
  if (a.clks_per_bit < 4 || a.clks_per_bit > 65535) throw Error("--clks-per-bit must be in [4, 65535]");
  const Design d = make_design(a.graph, a.spec, a.beta);
  const fs::path out = fs::absolute(a.out.empty() ? fs::path("fpga-sim") / sanitize(d.graph->spec()) : fs::path(a.out));
  fs::create_directories(out);
  const auto em = board::emit_board(d.prog, *d.graph, (out / "design").string());
  const fs::path main_cpp = fs::path(source_dir()) / "sim" / "board_uart" / "board_uart_main.cpp";
  if (!fs::exists(main_cpp)) throw Error("missing " + main_cpp.string());
  // The simulated clock: nominally 1 MHz (what a small model achieves), which
  // the host uses for its RUN timeouts.
  const std::uint64_t clk_hz = 1000000;
  const std::vector<std::string> cmd = {
      verilator, "--cc", "--exe", "--build", "-O2", "-Wno-fatal", "--top-module", "pbit_board_top",
      "-GClksPerBit=" + std::to_string(a.clks_per_bit), "-GClkHz=32'd" + std::to_string(clk_hz),
      "-GTimeoutClks=32'd" + std::to_string(2000 * a.clks_per_bit), "-GBufWords=64",
      "-GLutWritable=1'b" + std::to_string(int(a.features.lut_writable)),
      "-GStats=1'b" + std::to_string(int(a.features.stats)), "-GAsync=1'b" + std::to_string(int(a.features.async)),
      "-CFLAGS", "-O1 -DPBIT_CLKS_PER_BIT=" + std::to_string(a.clks_per_bit), "-j", std::to_string(a.jobs),
      "--Mdir", (out / "obj").string(), "-o", "pbit_board_sim", (fs::path(source_dir()) / "rtl" / "pbit.vlt").string(),
      "-f", em.files_list, main_cpp.string()};
  // Rebuild only when something that goes into the model changed.
  std::string key;
  for (const auto& c : cmd) key += c + "\n";
  for (const auto& f : em.files) key += read_text(f);
  key += read_text(main_cpp);
  const std::string stamp = std::to_string(std::hash<std::string>{}(key));
  const fs::path exe = out / "obj" / "pbit_board_sim";
  if (!fs::exists(exe) || read_text(out / "stamp") != stamp) {
    fmt::print(stderr, "verilating the board for {} ({} p-bits) ...\n", d.graph->spec(), d.prog.n);
    const auto r = run_step(cmd, out / "verilator.log");
    if (r.status != 0 || !fs::exists(exe))
      throw Error("verilator build failed: " + log_error(out / "verilator.log") + " (log: " + (out / "verilator.log").string() + ")");
    write_text(out / "stamp", stamp);
    fmt::print(stderr, "built {} in {:.0f} s\n", exe.string(), r.seconds);
  }
  if (a.build_only) {
    fmt::print("{}\n", exe.string());
    return 0;
  }
  std::vector<std::string> args = {exe.string()};
  if (!a.pty_file.empty()) args.insert(args.end(), {"--pty-file", a.pty_file});
  if (a.idle_exit > 0) args.insert(args.end(), {"--idle-exit", std::to_string(a.idle_exit)});
  if (a.corrupt_every > 0) args.insert(args.end(), {"--corrupt-every", std::to_string(a.corrupt_every)});
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  execv(argv[0], argv.data());
  throw Error("cannot run " + exe.string() + ": " + std::strerror(errno));
}

// ---------------------------------------------------------------- program

struct ProgramArgs {
  std::string board, bitstream;
  bool sram = false, dry_run = false;
};

int run_program(const ProgramArgs& a) {
  const Board b = load_board(a.board);
  if (!fs::exists(a.bitstream)) throw Error("no bitstream " + a.bitstream + " (run `pbit fpga build` first)");
  const std::vector<std::string> cmd = {"openFPGALoader", "-b", b.ofl_board, a.sram ? "-m" : "-f", a.bitstream};
  std::string line;
  for (const auto& c : cmd) line += (line.empty() ? "" : " ") + c;
  fmt::print("{}\n", line);
  if (a.dry_run) return 0;
  std::vector<std::string> full = cmd;
  full[0] = find_tool("openFPGALoader", "openfpgaloader");
  const fs::path log = fs::temp_directory_path() / "pbit-openfpgaloader.log";
  const auto r = run_step(full, log);
  std::fputs(read_text(log).c_str(), stderr);
  if (r.status != 0)
    throw Error("openFPGALoader failed (exit " + std::to_string(r.status) + "): is the " + b.name +
                " connected over USB, and may this user open it?");
  return 0;
}

}  // namespace

Command add_fpga_command(CLI::App& app) {
  auto* sub = app.add_subcommand("fpga", "Board design, iCE40 bitstreams, Xilinx estimates, the simulated board");
  sub->require_subcommand(1);

  auto ea = std::make_shared<EmitArgs>();
  auto* emit = sub->add_subcommand("emit", "Write the board design (array + UART bridge + board top) for a graph");
  emit->add_option("--graph", ea->graph, "graph spec, e.g. chimera:2")->required();
  emit->add_option("--out", ea->out, "output directory")->required();
  emit->add_option("--beta", ea->beta, "inverse temperature of the initial LUT contents")->capture_default_str();
  emit->add_flag("--json", ea->json, "print one JSON document on stdout");
  ea->spec.add_to(*emit);

  auto ba = std::make_shared<BuildArgs>();
  auto* build = sub->add_subcommand(
      "build",
      "iCE40 bitstream: yosys synth_ice40 -> nextpnr-ice40 -> icepack, with utilization, Fmax and\n"
      "flips/s in OUT/report.md and OUT/report.json. Boards: fpga/boards/*.board (icebreaker, hx8k).\n"
      "Exit 1 if the design does not fit or timing is not met.");
  build->add_option("--board", ba->board, "board: icebreaker (iCE40UP5K) | hx8k (iCE40HX8K breakout)")->required();
  build->add_option("--graph", ba->graph, "graph spec, e.g. chimera:1")->required();
  build->add_option("--out", ba->out, "output directory (default fpga-build/BOARD-GRAPH)");
  build->add_option("--freq", ba->freq_mhz, "design clock in MHz: the oscillator's (no PLL) or a PLL output >= 16 (default: the board file's)");
  build->add_option("--baud", ba->baud, "UART baud rate")->capture_default_str()->check(CLI::PositiveNumber);
  build->add_option("--seed", ba->seed, "nextpnr placement seed")->capture_default_str();
  build->add_option("--buffer-words", ba->buffer_words, "bridge request buffer (words, power of two)")->capture_default_str();
  build->add_option("--beta", ba->beta, "inverse temperature of the LUT contents (a ROM unless --lut-writable 1)")
      ->capture_default_str();
  build->add_flag("--json", ba->json, "print one JSON document on stdout");
  ba->features.add_to(*build, false);
  ba->spec.add_to(*build);

  auto xa = std::make_shared<EstimateArgs>();
  auto* est = sub->add_subcommand(
      "estimate",
      "Xilinx resource estimate: yosys synth_xilinx of the array (hierarchical), LUT/FF/BRAM/DSP per\n"
      "p-bit, the largest Pegasus/Zephyr that fits, projected flips/s. Writes OUT/estimate.md and\n"
      "OUT/estimate.json. pegasus:14 takes about 25 minutes.");
  est->add_option("--part", xa->part, "xcvu9p | xcvu13p | xcu250 | xc7a100t | xc7a35t")->capture_default_str();
  est->add_option("--graph", xa->graph, "graph spec")->capture_default_str();
  est->add_option("--out", xa->out, "output directory (default fpga-estimate/PART-GRAPH)");
  est->add_option("--clock-mhz", xa->clock_mhz, "clock for the flips/s projection (an assumption)")->capture_default_str();
  est->add_option("--max-util", xa->max_util, "usable fraction of LUTs/FFs for the fit")->capture_default_str();
  est->add_option("--beta", xa->beta, "inverse temperature of the LUT contents")->capture_default_str();
  est->add_flag("--json", xa->json, "print one JSON document on stdout");
  xa->features.add_to(*est, true);
  xa->spec.add_to(*est);

  auto sa = std::make_shared<SimArgs>();
  auto* sim = sub->add_subcommand(
      "sim",
      "Simulate the board (Verilator, built once per graph/spec) with its UART on a pseudo-terminal:\n"
      "prints the /dev/pts/N to use with `pbit sample --backend board --port /dev/pts/N`; runs until killed.");
  sim->add_option("--graph", sa->graph, "graph spec, e.g. chimera:1")->required();
  sim->add_option("--out", sa->out, "build directory (default fpga-sim/GRAPH)");
  sim->add_option("--clks-per-bit", sa->clks_per_bit, "simulated UART clocks per bit (a real board: clock/baud)")
      ->capture_default_str();
  sim->add_option("--pty-file", sa->pty_file, "also write the pseudo-terminal's path to FILE");
  sim->add_option("--idle-exit", sa->idle_exit, "exit after SECONDS without traffic (0: never)")->capture_default_str();
  sim->add_option("--corrupt-every", sa->corrupt_every, "flip one bit in every Nth byte each way (tests CRC errors and retries)")
      ->capture_default_str();
  sim->add_flag("--build-only", sa->build_only, "build the simulator, print its path, do not run it");
  sim->add_option("--jobs", sa->jobs, "parallel compile jobs")->capture_default_str();
  sim->add_option("--beta", sa->beta, "inverse temperature of the LUT contents")->capture_default_str();
  sa->features.add_to(*sim, true);
  sa->spec.add_to(*sim);

  auto pa = std::make_shared<ProgramArgs>();
  auto* prog = sub->add_subcommand("program", "Program a board with openFPGALoader (SPI flash; --sram: SRAM)");
  prog->add_option("--board", pa->board, "board (fpga/boards/*.board)")->required();
  prog->add_option("--bitstream", pa->bitstream, "the .bin of `pbit fpga build`")->required();
  prog->add_flag("--sram", pa->sram, "load into SRAM instead of flash (board jumpers must allow it)");
  prog->add_flag("--dry-run", pa->dry_run, "print the command only");

  return {sub, [=] {
            if (emit->parsed()) return run_emit(*ea);
            if (build->parsed()) return run_build(*ba);
            if (est->parsed()) return run_estimate(*xa);
            if (sim->parsed()) return run_sim(*sa);
            if (prog->parsed()) return run_program(*pa);
            return 0;
          }};
}

}  // namespace pbit::cli

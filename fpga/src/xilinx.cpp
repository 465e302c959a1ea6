// The Xilinx resource estimate (xilinx.hpp).
#include <pbit/error.hpp>
#include <pbit/fpga/cost_model.hpp>
#include <pbit/fpga/logic_depth.hpp>
#include <pbit/fpga/report.hpp>
#include <pbit/fpga/tools.hpp>
#include <pbit/fpga/xilinx.hpp>
#include <pbit/fpga/yosys_stat.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/problem.hpp>
#include <pbit/rtl_emit.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <regex>
#include <tuple>

namespace pbit::fpga {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::vector<XilinxPart>& xilinx_parts() {
  // CLB LUTs, CLB flip-flops, 36 Kb block RAMs, DSP slices, UltraRAM blocks.
  static const std::vector<XilinxPart> parts = {
      {"xcvu9p", "xcup", 1182240, 2364480, 2160, 6840, 960},
      {"xcvu13p", "xcup", 1728000, 3456000, 2688, 12288, 1280},
      {"xcu250", "xcup", 1728000, 3456000, 2688, 12288, 1280},
      {"xc7a100t", "xc7", 63400, 126800, 135, 240, 0},
      {"xc7a35t", "xc7", 20800, 41600, 50, 90, 0},
  };
  return parts;
}

const XilinxPart& find_xilinx_part(const std::string& name) {
  std::string names;
  for (const auto& p : xilinx_parts()) {
    if (p.name == name) return p;
    names += (names.empty() ? "" : ", ") + p.name;
  }
  throw Error("unknown part '" + name + "' (known: " + names + ")");
}

long lutram_luts(const std::string& stat_text) {
  static const std::pair<const char*, int> kinds[] = {
      {"RAM32M16", 8}, {"RAM64M8", 8}, {"RAM32M", 4},   {"RAM64M", 4},   {"RAM32X1D", 2},
      {"RAM64X1D", 2}, {"RAM128X1D", 4}, {"RAM32X1S", 1}, {"RAM64X1S", 1}, {"RAM128X1S", 2},
      {"RAM256X1S", 4}, {"SRL16E", 1},  {"SRLC32E", 1}};
  long n = 0;
  for (const auto& [cell, luts] : kinds) n += luts * last_cell_count(stat_text, cell);
  return n;
}

int ltp_length(const std::string& ltp_text) {
  static const std::regex re("length=([0-9]+)");
  std::smatch m;
  return std::regex_search(ltp_text, m, re) ? std::stoi(m[1].str()) : 0;
}

namespace {

// The lean array (rtl/lean, --arch lean). All of it with synth_xilinx
// -nowidelut (fpga/README.md: the fewest LUTs of the three mappings, and wide
// functions as LUT trees, as a vendor tool packs them): (1) the design with the
// groups as black boxes (control, the LUT's bus copy, the array's cell-index
// compares) once; (2) one pbit_group per slot count, flattened
// (fpga/xilinx/pbit_group_probe.sv), with its logic depth: the most LUTs on a
// path between its flip-flops, RAMs and ports (logic_depth.hpp, from the
// netlist: the update path from the phase and the neighbour states through the
// coupling RAM read, the gated sum, the LUT ROM and the compare to the state),
// and, as a cross-check, yosys' ltp (cells on the longest path, after deleting
// the flip-flops and RAMs, which ltp does not know as sequential). Distributed
// RAM counts as the LUTs it occupies.
EstimateResult estimate_lean(const EstimateOptions& a, const XilinxPart& part, const std::string& yosys) {
  const auto t_all = Clock::now();
  check_arch(rtl::Arch::Lean, a.features, a.spec);
  const Design d = make_design(a.graph, a.spec, a.beta);
  const fs::path out = fs::absolute(a.out.empty() ? fs::path("fpga-estimate") /
                                                        (a.part + "-lean-" + sanitize(d.graph->spec()))
                                                  : fs::path(a.out));
  fs::create_directories(out);
  rtl::EmitOptions eo;
  eo.arch = rtl::Arch::Lean;
  const auto em = rtl::emit_rtl(d.prog, *d.graph, (out / "design").string(), eo);
  const rtl::LeanGroups lg = rtl::lean_groups(d.prog);
  std::map<int, std::pair<long, long>> types;  // slots -> (groups, p-bits)
  for (const auto& m : lg.member) {
    std::uint32_t slots = 1;
    long cells = 0;
    for (std::int32_t c : m)
      if (c >= 0) {
        slots = std::max(slots, d.prog.offsets[c + 1] - d.prog.offsets[c]);
        ++cells;
      }
    auto& t = types[static_cast<int>(slots)];
    ++t.first;
    t.second += cells;
  }
  if (a.progress)
    fmt::print(stderr, "yosys synth_xilinx -nowidelut -family {} of the lean {} ({} p-bits, {} groups, "
                       "{} group shapes); pegasus:14 takes a few minutes ...\n",
               part.family, d.graph->spec(), d.prog.n, lg.member.size(), types.size());
  // (1) control and glue.
  const fs::path ylog = out / "yosys.log";
  write_text((out / "estimate.ys").string(),
             fmt::format("# pbit fpga estimate --arch lean --part {} --graph {} (yosys -s estimate.ys)\n"
                         "read_verilog -sv{}\nblackbox pbit_group\n"
                         "synth_xilinx -nowidelut -family {} -top pbit_lean_top\ntee -o {} stat\n",
                         a.part, d.graph->spec(), join_files(em.files), part.family,
                         (out / "stat.txt").string()));
  const auto r = run_tool({yosys, "-q", "-l", ylog.string(), "-s", (out / "estimate.ys").string()},
                          (out / "yosys.out").string());
  if (r.status != 0)
    throw Error("yosys failed: " + log_error(ylog.string()) + " (log: " + ylog.string() + ")");
  const std::string stat_text = read_text((out / "stat.txt").string());
  const YosysStat st = parse_yosys_stat(stat_text);
  Resources fixed, glue;
  for (const auto& [name, s] : st.own) {
    if (name.find("pbit_lean_array") != std::string::npos)
      glue = s;
    else
      fixed.add(s);  // pbit_lean_top, pbit_ctrl, pbit_lut
  }
  // (2) one group per shape.
  const fs::path probe_sv = fs::path(fpga_dir()) / "xilinx" / "pbit_group_probe.sv";
  if (!fs::exists(probe_sv)) throw Error("missing " + probe_sv.string());
  std::vector<std::string> group_files;
  for (const auto& f : em.files)
    if (f.find("pbit_lean_array.sv") == std::string::npos && f.find("pbit_lean_top.sv") == std::string::npos &&
        f.find("pbit_ctrl.sv") == std::string::npos)
      group_files.push_back(f);
  group_files.push_back(probe_sv.string());
  struct Shape {
    long groups = 0, cells = 0;
    Resources res;
    long ram_luts = 0;
    LogicDepth depth;
    int ltp_cells = 0;
  };
  std::map<int, Shape> shapes;
  double probe_seconds = 0;
  for (const auto& [slots, t] : types) {
    const fs::path dir = out / ("group_slots_" + std::to_string(slots));
    fs::create_directories(dir);
    write_text((dir / "probe.ys").string(),
               fmt::format("read_verilog -sv{}\nchparam -set Slots {} pbit_group_probe\n"
                           "synth_xilinx -flatten -nowidelut -family {} -top pbit_group_probe\n"
                           "tee -o {} stat\nwrite_json {}\ndelete t:FD* t:RAM*\ntee -o {} ltp -noff\n",
                           join_files(group_files), slots, part.family, (dir / "stat.txt").string(),
                           (dir / "netlist.json").string(), (dir / "ltp.txt").string()));
    const auto pr = run_tool(
        {yosys, "-q", "-l", (dir / "yosys.log").string(), "-s", (dir / "probe.ys").string()},
        (dir / "yosys.out").string());
    probe_seconds += pr.seconds;
    if (pr.status != 0)
      throw Error("yosys failed on the group probe of " + std::to_string(slots) + " slots: " +
                  log_error((dir / "yosys.log").string()) + " (log: " + (dir / "yosys.log").string() + ")");
    const std::string gs = read_text((dir / "stat.txt").string());
    Shape sh;
    sh.groups = t.first;
    sh.cells = t.second;
    sh.res = parse_yosys_stat(gs).total;
    sh.ram_luts = lutram_luts(gs);
    sh.ltp_cells = ltp_length(read_text((dir / "ltp.txt").string()));
    {
      // The netlist holds yosys' whole Xilinx cell library (~10 MB): read it, keep the depth.
      const fs::path nj = dir / "netlist.json";
      nlohmann::json net;
      try {
        net = nlohmann::json::parse(read_text(nj.string()));
      } catch (const nlohmann::json::exception& e) {
        throw Error("cannot parse " + nj.string() + ": " + e.what());
      }
      sh.depth = logic_depth(net, "pbit_group_probe");
      fs::remove(nj);
    }
    shapes[slots] = sh;
  }
  // Totals; LUTs include those used as distributed RAM.
  const double n = d.prog.n;
  double lut = static_cast<double>(fixed.lut + glue.lut + lutram_luts(stat_text)),
         ff = static_cast<double>(fixed.ff + glue.ff);
  std::vector<DegreePoint> lut_pts, ff_pts;
  LogicDepth depth;  // the deepest group's
  int depth_slots = 0;
  for (const auto& [slots, sh] : shapes) {
    const double gl = static_cast<double>(sh.res.lut + sh.ram_luts), gf = static_cast<double>(sh.res.ff);
    lut += gl * static_cast<double>(sh.groups);
    ff += gf * static_cast<double>(sh.groups);
    const double per = static_cast<double>(sh.groups) / static_cast<double>(sh.cells);
    lut_pts.push_back({slots, sh.cells, gl * per});
    ff_pts.push_back({slots, sh.cells, gf * per});
    if (std::tie(sh.depth.lut_levels, sh.depth.carry_cells) > std::tie(depth.lut_levels, depth.carry_cells)) {
      depth = sh.depth;
      depth_slots = slots;
    }
  }
  // Cost model per p-bit (by its group's slot count ~ its degree): a + b x degree.
  CostModel model;
  model.lut = fit_per_degree(lut_pts);
  model.ff = fit_per_degree(ff_pts);
  model.lut.a += static_cast<double>(glue.lut) / n;
  model.ff.a += static_cast<double>(glue.ff) / n;
  model.fixed_lut = static_cast<double>(fixed.lut + lutram_luts(stat_text));
  model.fixed_ff = static_cast<double>(fixed.ff);
  const double lut_cap = a.max_util * part.luts, ff_cap = a.max_util * part.ffs;
  const Largest peg = largest_fitting(model, "pegasus", 2, "", lut_cap, ff_cap);
  const Largest zep = largest_fitting(model, "zephyr", 1, ",4", lut_cap, ff_cap);
  const int cps = d.prog.num_colors;  // chromatic: a cycle per colour
  const double flips = n * a.clock_mhz * 1e6 / cps;
  double peg_flips = 0;
  if (peg.m > 0) {
    const auto g = std::make_shared<const graphs::Graph>(graphs::make_graph("pegasus:" + std::to_string(peg.m)));
    const Program pp = compile(Problem::zeros(g), d.spec, a.beta);
    peg_flips = static_cast<double>(pp.n) * a.clock_mhz * 1e6 / pp.num_colors;
  }
  const double secs = std::chrono::duration<double>(Clock::now() - t_all).count();
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& [slots, sh] : shapes)
    groups.push_back({{"slots", slots},
                      {"groups", sh.groups},
                      {"pbits", sh.cells},
                      {"lut", sh.res.lut},
                      {"lutram_luts", sh.ram_luts},
                      {"ff", sh.res.ff},
                      {"carry", sh.res.carry},
                      {"muxf", sh.res.muxf},
                      {"lut_levels", sh.depth.lut_levels},
                      {"carry_on_path", sh.depth.carry_cells},
                      {"ltp_cells", sh.ltp_cells}});
  EstimateResult res;
  res.out = out.string();
  res.report = {
      {"part", part.name},
      {"family", part.family},
      {"arch", "lean"},
      {"mapping", "synth_xilinx -nowidelut"},
      {"graph", d.graph->spec()},
      {"pbits", d.prog.n},
      {"colors", d.prog.num_colors},
      {"groups", lg.member.size()},
      {"spec", a.spec_json},
      {"total", {{"lut", lut}, {"ff", ff}}},
      {"lut_utilization", lut / part.luts},
      {"ff_utilization", ff / part.ffs},
      {"lut_per_pbit", lut / n},
      {"ff_per_pbit", ff / n},
      {"fixed", {{"lut", model.fixed_lut}, {"ff", model.fixed_ff}}},
      {"glue", {{"lut", glue.lut}, {"ff", glue.ff}}},
      {"group_shapes", groups},
      {"logic_levels", depth.lut_levels},
      {"logic_depth",
       {{"lut_levels", depth.lut_levels},
        {"carry_on_path", depth.carry_cells},
        {"muxf_on_path", depth.muxf_cells},
        {"group_slots", depth_slots},
        {"path", depth.path},
        {"measured", "the most LUTs on a path between flip-flops, RAMs and ports of the flattened group "
                     "(distributed-RAM read = 1 LUT; carries counted apart)"}}},
      {"model",
       {{"lut_per_pbit", model.lut.a},
        {"lut_per_degree", model.lut.b},
        {"ff_per_pbit", model.ff.a},
        {"ff_per_degree", model.ff.b}}},
      {"part_capacity", {{"lut", part.luts}, {"ff", part.ffs}}},
      {"max_util", a.max_util},
      {"largest_pegasus", peg.m},  // M of pegasus:M (0: none fits)
      {"largest_pegasus_pbits", peg.pbits},
      {"largest_pegasus_flips_per_s", peg_flips},
      {"largest_zephyr_t4", zep.m},  // M of zephyr:M,4
      {"largest_zephyr_t4_pbits", zep.pbits},
      {"clock_mhz", a.clock_mhz},
      {"cycles_per_sweep", cps},
      {"flips_per_s", flips},
      {"published_flips_per_s", {50e9, 64e9}},
      {"yosys_seconds", r.seconds},
      {"probe_seconds", probe_seconds},
      {"seconds", secs}};
  std::string md = fmt::format(
      "# Xilinx estimate: the lean array (`--arch lean`) of {} on {}\n\n"
      "{} p-bits in {} groups of {} (one datapath each), yosys `synth_xilinx -nowidelut -family {}`.\n\n"
      "| | LUT | FF |\n|---|---|---|\n| total | {:.0f} ({:.1f} %) | {:.0f} ({:.1f} %) |\n"
      "| per p-bit | {:.1f} | {:.1f} |\n| control + LUT copy | {:.0f} | {:.0f} |\n"
      "| array glue (cell selects) | {} | {} |\n\n"
      "| slots | groups | p-bits | LUT (of which RAM) | FF | carry | LUT levels (+ CARRY4 on the path) |\n"
      "|---|---|---|---|---|---|---|\n",
      d.graph->spec(), part.name, d.prog.n, lg.member.size(), d.prog.num_colors, part.family, lut,
      100.0 * lut / part.luts, ff, 100.0 * ff / part.ffs, lut / n, ff / n, model.fixed_lut, model.fixed_ff,
      glue.lut, glue.ff);
  for (const auto& [slots, sh] : shapes)
    md += fmt::format("| {} | {} | {} | {} ({}) | {} | {} | {} (+ {}) |\n", slots, sh.groups, sh.cells,
                      sh.res.lut + sh.ram_luts, sh.ram_luts, sh.res.ff, sh.res.carry, sh.depth.lut_levels,
                      sh.depth.carry_cells);
  md += fmt::format(
      "\nCost model per p-bit: LUT = {:.1f} + {:.2f} x degree, FF = {:.1f} + {:.2f} x degree.\n"
      "Largest within {:.0f} % of the part: pegasus:{} ({} p-bits, {:.3g} flips/s), zephyr:{},4 ({} p-bits).\n"
      "At {} MHz ({} cycles a sweep): {:.3g} flips/s (published: 50e9-64e9).\n"
      "Update path: {} LUT levels + {} CARRY4 (the {}-slot group).\n",
      model.lut.a, model.lut.b, model.ff.a, model.ff.b, 100 * a.max_util, peg.m, peg.pbits, peg_flips, zep.m,
      zep.pbits, a.clock_mhz, cps, flips, depth.lut_levels, depth.carry_cells, depth_slots);
  res.markdown = md;
  write_text((out / "estimate.json").string(), res.report.dump(2) + "\n");
  write_text((out / "estimate.md").string(), res.markdown);
  return res;
}

// ---- The time-multiplexed engine (rtl/engine, --arch engine) ----

struct EngineSynth {
  std::uint32_t pbits = 0;
  int colors = 0;
  std::uint64_t cycles_per_sweep = 0;  // SWEEP_CYCLES
  Resources res;                       // yosys stat of the whole engine
  long ram_luts = 0;                   // LUTs used as distributed RAM
  long uram = 0;
  double lut = 0, ff = 0, bram36 = 0;  // one engine (bram36: RAMB36 + RAMB18 / 2)
  double seconds = 0;
};

// One engine (pbit_engine_top: one lane, its register block, no state
// mirror), flattened, synth_xilinx -nowidelut as the lean estimate. The
// single-port coupling and RNG banks (the UP5K's SPRAM model, nibble write
// enables) are marked ram_style "block" (or "ultra": URAM288): left to itself
// yosys 0.23 picks distributed RAM for these 16K-word memories and then fails
// to map them.
EngineSynth synth_engine(const Design& d, const EstimateOptions& a, const XilinxPart& part,
                         const std::string& yosys, const fs::path& dir) {
  fs::create_directories(dir);
  rtl::EmitOptions eo;
  eo.arch = rtl::Arch::Engine;
  const auto em = rtl::emit_rtl(d.prog, *d.graph, (dir / "design").string(), eo);
  const fs::path ylog = dir / "yosys.log";
  write_text((dir / "estimate.ys").string(),
             fmt::format("# pbit fpga estimate --arch engine --part {} --graph {} (yosys -s estimate.ys)\n"
                         "read_verilog -sv{}\nchparam -set LutWritable {} -set StateMirror 0 pbit_engine_top\n"
                         "hierarchy -top pbit_engine_top\nsetattr -set ram_style \"{}\" *spram_bank*/mem_q\n"
                         "synth_xilinx -flatten -nowidelut -noiopad -family {} -top pbit_engine_top\ntee -o {} stat\n",
                         a.part, d.graph->spec(), join_files(em.files), int(a.features.lut_writable), a.engine_ram,
                         part.family, (dir / "stat.txt").string()));
  const auto r = run_tool({yosys, "-q", "-l", ylog.string(), "-s", (dir / "estimate.ys").string()},
                          (dir / "yosys.out").string());
  if (r.status != 0)
    throw Error("yosys failed on the engine of " + d.graph->spec() + ": " + log_error(ylog.string()) +
                " (log: " + ylog.string() + ")");
  const std::string st = read_text((dir / "stat.txt").string());
  EngineSynth e;
  e.pbits = d.prog.n;
  e.colors = d.prog.num_colors;
  e.cycles_per_sweep = rtl::engine_sweep_cycles(d.prog, *d.graph);
  e.res = parse_yosys_stat(st).total;
  e.ram_luts = lutram_luts(st);
  e.uram = last_cell_count(st, "URAM288");
  e.lut = static_cast<double>(e.res.lut + e.ram_luts);
  e.ff = static_cast<double>(e.res.ff);
  e.bram36 = static_cast<double>(e.res.bram) / 2.0;
  e.seconds = r.seconds;
  return e;
}

// Independent engine copies (each its own chain) within max_util of the
// part's LUTs, FFs, block RAM and UltraRAM: how many, and what runs out first.
struct Copies {
  long n = 0;
  std::string limit;
};
Copies engine_copies(const EngineSynth& e, const XilinxPart& part, double max_util) {
  Copies c{std::numeric_limits<long>::max(), ""};
  auto cap = [&](const char* what, double per, double have) {
    if (per <= 0) return;
    const long k = static_cast<long>(std::floor(max_util * have / per + 1e-9));
    if (k < c.n) c = {k, what};
  };
  cap("lut", e.lut, static_cast<double>(part.luts));
  cap("ff", e.ff, static_cast<double>(part.ffs));
  cap("bram", e.bram36, static_cast<double>(part.bram36));
  cap("uram", static_cast<double>(e.uram), static_cast<double>(part.uram));
  cap("dsp", static_cast<double>(e.res.dsp), static_cast<double>(part.dsp));
  if (c.limit.empty()) c = {0, "none"};
  return c;
}

// What a comparison report says: its architecture, LUTs, flips/s (one chain
// on the whole array).
nlohmann::json compared(const nlohmann::json& r, const std::string& source) {
  const std::string arch = r.value("arch", std::string("full"));
  // lean: total = groups flattened + control; full: the flattened cells' model
  // (the hierarchical count keeps every statistics counter).
  const double lut = arch == "full" ? r.at("flattened").at("lut").get<double>() : r.at("total").at("lut").get<double>();
  const double ff = arch == "full" ? r.at("flattened").at("ff").get<double>() : r.at("total").at("ff").get<double>();
  const double flips = r.at("flips_per_s").get<double>();
  nlohmann::json j = {{"arch", arch},
                      {"source", source},
                      {"lut", lut},
                      {"ff", ff},
                      {"lut_utilization", lut / r.at("part_capacity").at("lut").get<double>()},
                      {"flips_per_s", flips},
                      {"flips_per_s_per_lut", flips / lut},
                      {"largest_pegasus", r.value("largest_pegasus", 0)}};
  if (r.contains("features")) j["features"] = r["features"];
  return j;
}

EstimateResult estimate_engine(const EstimateOptions& a, const XilinxPart& part, const std::string& yosys) {
  const auto t_all = Clock::now();
  check_arch(rtl::Arch::Engine, a.features, a.spec);
  const Design d = make_design(a.graph, a.spec, a.beta);
  const fs::path out = fs::absolute(a.out.empty() ? fs::path("fpga-estimate") /
                                                        (a.part + "-engine-" + sanitize(d.graph->spec()))
                                                  : fs::path(a.out));
  fs::create_directories(out);
  if (a.progress)
    fmt::print(stderr, "yosys synth_xilinx -nowidelut -family {} of the engine for {} ({} p-bits, one lane); "
                       "pegasus:14 takes about half a minute ...\n", part.family, d.graph->spec(), d.prog.n);
  const EngineSynth e = synth_engine(d, a, part, yosys, out);
  const Copies cp = engine_copies(e, part, a.max_util);
  const double n = d.prog.n;
  const double sweeps = a.clock_mhz * 1e6 / static_cast<double>(e.cycles_per_sweep);
  const double flips = n * sweeps;
  // Comparisons: the parallel arrays for the same graph and part.
  nlohmann::json cmp = nlohmann::json::array();
  nlohmann::json lean_report;
  for (const auto& c : a.compare) {
    nlohmann::json r;
    if (c == "lean" || c == "full") {
      EstimateOptions b = a;
      b.arch = rtl::parse_arch(c);
      b.out = (out / ("vs-" + c)).string();
      b.compare.clear();
      b.sizes.clear();
      b.engine_ram = "block";
      b.features = Features{};
      if (c == "full") b.features.lut_writable = a.features.lut_writable;  // the engine's features: no stats, no async
      if (a.progress) fmt::print(stderr, "the {} array for comparison, into {} ...\n", c, b.out);
      r = estimate_xilinx(b).report;
    } else {
      try {
        r = nlohmann::json::parse(read_text(c));
      } catch (const nlohmann::json::exception& ex) {
        throw Error("cannot parse " + c + ": " + ex.what());
      }
      if (r.value("graph", std::string()) != d.graph->spec() || r.value("part", std::string()) != part.name)
        throw Error(c + ": an estimate of " + r.value("graph", std::string("?")) + " on " +
                    r.value("part", std::string("?")) + ", not of " + d.graph->spec() + " on " + part.name);
      if (r.value("arch", std::string("full")) == "engine") throw Error(c + ": an engine estimate (compare with lean or full)");
    }
    if (r.value("arch", std::string("full")) == "lean") lean_report = r;
    cmp.push_back(compared(r, c));
  }
  // Which architecture for which graph: an engine synthesized per size; the
  // lean array from its cost model (when compared with it).
  nlohmann::json sizes = nlohmann::json::array();
  for (int m : a.sizes) {
    const std::string g = "pegasus:" + std::to_string(m);
    const Design dm = make_design(g, a.spec, a.beta);
    if (a.progress) fmt::print(stderr, "the engine for {} ...\n", g);
    const EngineSynth em = g == d.graph->spec() ? e : synth_engine(dm, a, part, yosys, out / "sizes" / sanitize(g));
    const Copies cm = engine_copies(em, part, a.max_util);
    const double ef = static_cast<double>(em.pbits) * a.clock_mhz * 1e6 / static_cast<double>(em.cycles_per_sweep);
    nlohmann::json row = {{"graph", g},
                          {"pbits", em.pbits},
                          {"engine_lut", em.lut},
                          {"engine_ff", em.ff},
                          {"engine_bram36", em.bram36},
                          {"engine_cycles_per_sweep", em.cycles_per_sweep},
                          {"engine_flips_per_s", ef},
                          {"engine_copies", cm.n},
                          {"engine_copies_limited_by", cm.limit},
                          {"engine_flips_per_s_all_copies", ef * static_cast<double>(cm.n)},
                          {"engine_flips_per_s_per_lut", ef / em.lut}};
    std::string choice = cm.n > 0 ? "engine" : "none";
    if (!lean_report.is_null()) {
      CostModel lm;
      const auto& mj = lean_report.at("model");
      lm.lut = {mj.at("lut_per_pbit").get<double>(), mj.at("lut_per_degree").get<double>()};
      lm.ff = {mj.at("ff_per_pbit").get<double>(), mj.at("ff_per_degree").get<double>()};
      lm.fixed_lut = lean_report.at("fixed").at("lut").get<double>();
      lm.fixed_ff = lean_report.at("fixed").at("ff").get<double>();
      const Prediction p = predict(lm, *dm.graph);
      const bool fits = p.lut <= a.max_util * part.luts && p.ff <= a.max_util * part.ffs;
      const double lf = static_cast<double>(dm.prog.n) * a.clock_mhz * 1e6 / dm.prog.num_colors;
      row["lean_lut"] = p.lut;
      row["lean_ff"] = p.ff;
      row["lean_lut_utilization"] = p.lut / part.luts;
      row["lean_fits"] = fits;
      row["lean_flips_per_s"] = lf;
      row["lean_flips_per_s_per_lut"] = lf / p.lut;
      // One chain: the lean array when it fits (it is far faster per LUT);
      // else the engine. Many chains: engine copies, or lean copies if several fit.
      const long lean_copies = static_cast<long>(std::floor(std::min(a.max_util * part.luts / p.lut,
                                                                     a.max_util * part.ffs / p.ff) + 1e-9));
      row["lean_copies"] = lean_copies;
      row["lean_flips_per_s_all_copies"] = lf * static_cast<double>(lean_copies);
      choice = fits ? "lean" : (cm.n > 0 ? "engine" : "none");
    }
    row["choice"] = choice;
    sizes.push_back(row);
  }
  const double secs = std::chrono::duration<double>(Clock::now() - t_all).count();
  const double copies = static_cast<double>(cp.n);
  EstimateResult res;
  res.out = out.string();
  res.report = {
      {"part", part.name},
      {"family", part.family},
      {"arch", "engine"},
      {"mapping", "synth_xilinx -flatten -nowidelut"},
      {"graph", d.graph->spec()},
      {"pbits", d.prog.n},
      {"colors", d.prog.num_colors},
      {"lanes", 1},
      {"engine_ram", a.engine_ram},
      {"spec", a.spec_json},
      {"features", a.features.to_json()},
      {"total",
       {{"lut", e.lut},
        {"ff", e.ff},
        {"bram18", e.res.bram},
        {"bram36", e.bram36},
        {"uram", e.uram},
        {"dsp", e.res.dsp},
        {"carry", e.res.carry},
        {"lutram_luts", e.ram_luts},
        {"inv", e.res.inv}}},
      {"lut_per_pbit", e.lut / n},
      {"ff_per_pbit", e.ff / n},
      {"lut_utilization", e.lut / part.luts},
      {"ff_utilization", e.ff / part.ffs},
      {"bram_utilization", e.bram36 / part.bram36},
      {"copies", cp.n},
      {"copies_limited_by", cp.limit},
      {"copies_utilization",
       {{"lut", copies * e.lut / part.luts},
        {"ff", copies * e.ff / part.ffs},
        {"bram36", copies * e.bram36 / part.bram36},
        {"uram", part.uram ? copies * static_cast<double>(e.uram) / part.uram : 0.0}}},
      {"part_capacity",
       {{"lut", part.luts}, {"ff", part.ffs}, {"bram36", part.bram36}, {"uram", part.uram}, {"dsp", part.dsp}}},
      {"max_util", a.max_util},
      {"clock_mhz", a.clock_mhz},
      {"cycles_per_sweep", e.cycles_per_sweep},
      {"sweeps_per_s", sweeps},
      {"flips_per_s", flips},
      {"flips_per_s_all_copies", flips * copies},
      {"flips_per_s_per_lut", flips / e.lut},
      {"compare", cmp},
      {"sizes", sizes},
      {"published_flips_per_s", {50e9, 64e9}},
      {"yosys_seconds", e.seconds},
      {"seconds", secs}};
  std::string md = fmt::format(
      "# Xilinx estimate: the time-multiplexed engine (`--arch engine`) of {} on {}\n\n"
      "One engine = one lane and its register block, yosys `synth_xilinx -flatten -nowidelut -family {}`, "
      "coupling and RNG banks in {} RAM; copies are independent engines (one chain each).\n\n"
      "| | LUT | FF | block RAM (RAMB36 eq.) | URAM |\n|---|---|---|---|---|\n"
      "| one engine | {:.0f} | {:.0f} | {:.1f} ({} RAMB18 units) | {} |\n"
      "| {} copies (limit: {}, {:.0f} % usable) | {:.1f} % | {:.1f} % | {:.1f} % | {:.1f} % |\n\n"
      "At an assumed {} MHz: {} cycles a sweep (SWEEP_CYCLES), {:.4g} sweeps/s, {:.3g} flips/s an engine, "
      "{:.3g} flips/s with all copies; {:.4g} flips/s per LUT.\n",
      d.graph->spec(), part.name, part.family, a.engine_ram, e.lut, e.ff, e.bram36, e.res.bram, e.uram, cp.n, cp.limit,
      100 * a.max_util, 100 * copies * e.lut / part.luts, 100 * copies * e.ff / part.ffs,
      100 * copies * e.bram36 / part.bram36,
      part.uram ? 100 * copies * static_cast<double>(e.uram) / static_cast<double>(part.uram) : 0.0, a.clock_mhz, e.cycles_per_sweep, sweeps, flips, flips * copies,
      flips / e.lut);
  if (!cmp.empty()) {
    md += "\n| arch | LUT | flips/s (one chain) | flips/s per LUT |\n|---|---|---|---|\n";
    md += fmt::format("| engine (one copy) | {:.0f} | {:.3g} | {:.4g} |\n", e.lut, flips, flips / e.lut);
    for (const auto& c : cmp)
      md += fmt::format("| {} | {:.0f} ({:.1f} %) | {:.3g} | {:.4g} |\n", c.at("arch").get<std::string>(),
                        c.at("lut").get<double>(), 100 * c.at("lut_utilization").get<double>(),
                        c.at("flips_per_s").get<double>(), c.at("flips_per_s_per_lut").get<double>());
  }
  if (!sizes.empty()) {
    md += "\n| graph | p-bits | engine LUT / RAMB36 | engine copies (limit) | engine flips/s (all copies) | "
          "lean LUT (% of part) | lean flips/s | choice |\n|---|---|---|---|---|---|---|---|\n";
    for (const auto& r : sizes)
      md += fmt::format("| {} | {} | {:.0f} / {:.1f} | {} ({}) | {:.3g} ({:.3g}) | {} | {} | {} |\n",
                        r.at("graph").get<std::string>(), r.at("pbits").get<long>(), r.at("engine_lut").get<double>(),
                        r.at("engine_bram36").get<double>(), r.at("engine_copies").get<long>(),
                        r.at("engine_copies_limited_by").get<std::string>(),
                        r.at("engine_flips_per_s").get<double>(), r.at("engine_flips_per_s_all_copies").get<double>(),
                        r.contains("lean_lut") ? fmt::format("{:.0f} ({:.1f} %)", r.at("lean_lut").get<double>(),
                                                             100 * r.at("lean_lut_utilization").get<double>())
                                               : std::string("-"),
                        r.contains("lean_flips_per_s") ? fmt::format("{:.3g}", r.at("lean_flips_per_s").get<double>())
                                                       : std::string("-"),
                        r.at("choice").get<std::string>());
  }
  res.markdown = md;
  write_text((out / "estimate.json").string(), res.report.dump(2) + "\n");
  write_text((out / "estimate.md").string(), res.markdown);
  return res;
}

}  // namespace

EstimateResult estimate_xilinx(const EstimateOptions& a) {
  const auto t_all = Clock::now();
  const XilinxPart& part = find_xilinx_part(a.part);
  if (!(a.clock_mhz > 0) || !std::isfinite(a.clock_mhz)) throw Error("--clock-mhz must be > 0");
  if (!(a.max_util > 0 && a.max_util <= 1)) throw Error("--max-util must be in (0, 1]");
  if (a.arch != rtl::Arch::Engine && (!a.compare.empty() || !a.sizes.empty()))
    throw Error("--compare and --sizes go with --arch engine");
  for (const auto& c : a.compare)
    if (c != "lean" && c != "full" && !fs::is_regular_file(c))
      throw Error("--compare '" + c + "': neither lean, full nor an estimate.json file");
  for (int m : a.sizes)
    if (m < 2 || m > 64) throw Error("--sizes: pegasus:M needs 2 <= M <= 64 (got " + std::to_string(m) + ")");
  if (a.engine_ram != "block" && a.engine_ram != "ultra")
    throw Error("--engine-ram must be block or ultra (got '" + a.engine_ram + "')");
  if (a.engine_ram == "ultra" && (a.arch != rtl::Arch::Engine || part.uram == 0))
    throw Error("--engine-ram ultra needs --arch engine and a part with UltraRAM (" + part.name + " has " +
                std::to_string(part.uram) + ")");
  if (a.arch == rtl::Arch::Engine) check_arch(rtl::Arch::Engine, a.features, a.spec);
  const std::string yosys = find_tool("yosys", "yosys");
  if (a.arch == rtl::Arch::Lean) return estimate_lean(a, part, yosys);
  if (a.arch == rtl::Arch::Engine) return estimate_engine(a, part, yosys);
  const Design d = make_design(a.graph, a.spec, a.beta);
  const fs::path out = fs::absolute(a.out.empty() ? fs::path("fpga-estimate") /
                                                        (a.part + "-" + sanitize(d.graph->spec()))
                                                  : fs::path(a.out));
  fs::create_directories(out);
  const auto em = rtl::emit_rtl(d.prog, *d.graph, (out / "design").string());
  // Hierarchical synthesis (no -flatten): each distinct cell (by degree) is
  // synthesized once; per-p-bit numbers keep every statistics counter (an
  // upper bound: flattening drops the counters of slots that are not kept).
  const fs::path ylog = out / "yosys.log";
  write_text((out / "estimate.ys").string(),
             fmt::format("# pbit fpga estimate --part {} --graph {} (yosys -s estimate.ys)\n"
                         "read_verilog -sv{}\n"
                         "chparam {} pbit_top\n"
                         "synth_xilinx -family {} -top pbit_top\n"
                         "tee -o {} stat\n",
                         a.part, d.graph->spec(), join_files(em.files), a.features.chparam(),
                         part.family, (out / "stat.txt").string()));
  if (a.progress)
    fmt::print(
        stderr,
        "yosys synth_xilinx -family {} of {} ({} p-bits); pegasus:14 takes ~25 minutes ...\n",
        part.family, d.graph->spec(), d.prog.n);
  const auto r = run_tool({yosys, "-l", ylog.string(), "-s", (out / "estimate.ys").string()},
                          (out / "yosys.out").string());
  if (r.status != 0)
    throw Error("yosys failed: " + log_error(ylog.string()) + " (log: " + ylog.string() + ")");

  // Per-module counts, and each derived pbit_cell's Degree from the log.
  const YosysStat st = parse_yosys_stat(read_text((out / "stat.txt").string()));
  const auto degree_of = derived_parameter(read_text(ylog.string()), "pbit_cell", "Degree");
  // The design = control, LUT, array glue (once each) + cells (own cells by
  // degree) + their RNGs (the rest of the total).
  const Resources& total = st.total;
  Resources cells, fixed, glue;
  std::map<int, std::pair<Resources, long>> by_degree;  // degree -> (per-instance cost, instances)
  long cell_instances = 0;
  for (const auto& [name, s] : st.own) {
    if (name.find("pbit_array") != std::string::npos)
      glue = s;
    else if (name == "pbit_top" || name.find("pbit_ctrl") != std::string::npos ||
             name.find("pbit_lut") != std::string::npos)
      fixed.add(s);
    if (name.find("pbit_cell") == std::string::npos) continue;
    const long k = st.instances.count(name) ? st.instances.at(name) : 0;
    cells.add(s, k);
    cell_instances += k;
    if (!degree_of.count(name))
      throw Error("estimate: no Degree found for " + name + " in " + ylog.string());
    auto& e = by_degree[degree_of.at(name)];
    e.first = s;
    e.second += k;
  }
  if (cell_instances != static_cast<long>(d.prog.n))
    throw Error(fmt::format("estimate: found {} p-bit cells in yosys' stat, expected {} (see {})",
                            cell_instances, d.prog.n, (out / "stat.txt").string()));
  const double n = d.prog.n;
  Resources rest = fixed;
  rest.add(glue);
  const double rng_lut_per = (total.lut - cells.lut - rest.lut) / n;
  const double rng_ff_per = (total.ff - cells.ff - rest.ff) / n;

  // Flattened cells: each degree once more, as pbit_cell_probe (fpga/xilinx/)
  // with its LUT and the statistics slots it keeps, flattened (a ROM LUT folds
  // into the cell, unkept counters vanish): the realistic cost of a p-bit.
  std::map<int, std::pair<Resources, long>> flat_by_degree;
  double probe_seconds = 0;
  {
    std::map<int, std::pair<double, long>> kept;  // degree -> (kept slots summed, cells)
    for (std::uint32_t i = 0; i < d.graph->num_nodes(); ++i) {
      long k = 0;
      for (std::uint32_t q = d.prog.offsets[i]; q < d.prog.offsets[i + 1]; ++q)
        k += d.prog.nbr[q] > i;
      auto& e = kept[static_cast<int>(d.graph->degree(i))];
      e.first += k, e.second += 1;
    }
    const fs::path probe_sv = fs::path(fpga_dir()) / "xilinx" / "pbit_cell_probe.sv";
    if (!fs::exists(probe_sv)) throw Error("missing " + probe_sv.string());
    std::vector<std::string> cell_files;  // the package and the cell's modules
    for (const auto& f : em.files)
      if (f.find("pbit_array.sv") == std::string::npos &&
          f.find("pbit_top.sv") == std::string::npos && f.find("pbit_ctrl.sv") == std::string::npos)
        cell_files.push_back(f);
    cell_files.push_back(probe_sv.string());
    for (const auto& [deg, e] : kept) {
      const int k = static_cast<int>(std::lround(e.first / static_cast<double>(e.second)));
      const fs::path dir = out / ("probe_degree_" + std::to_string(deg));
      fs::create_directories(dir);
      write_text(
          (dir / "probe.ys").string(),
          fmt::format(
              "read_verilog -sv{}\nchparam -set Degree {} -set AgreeMask {} -set LutWritable {} "
              "-set Stats {} -set Async {} pbit_cell_probe\nsynth_xilinx -flatten -family {} -top "
              "pbit_cell_probe\ntee -o {} stat\n",
              join_files(cell_files), deg, (1u << k) - 1u, int(a.features.lut_writable),
              int(a.features.stats), int(a.features.async), part.family,
              (dir / "stat.txt").string()));
      const auto pr = run_tool(
          {yosys, "-q", "-l", (dir / "yosys.log").string(), "-s", (dir / "probe.ys").string()},
          (dir / "yosys.out").string());
      probe_seconds += pr.seconds;
      if (pr.status != 0)
        throw Error("yosys failed on the cell probe of degree " + std::to_string(deg) + ": " +
                    log_error((dir / "yosys.log").string()) +
                    " (log: " + (dir / "yosys.log").string() + ")");
      flat_by_degree[deg] = {parse_yosys_stat(read_text((dir / "stat.txt").string())).total,
                             e.second};
    }
  }
  // Cost model per p-bit: a + b x degree (least squares over the degrees,
  // weighted by their cells).
  auto points = [](const std::map<int, std::pair<Resources, long>>& by, bool lut) {
    std::vector<DegreePoint> v;
    for (const auto& [deg, e] : by)
      v.push_back({deg, e.second, static_cast<double>(lut ? e.first.lut : e.first.ff)});
    return v;
  };
  CostModel hier, flat;
  hier.lut = fit_per_degree(points(by_degree, true));
  hier.ff = fit_per_degree(points(by_degree, false));
  hier.lut.a += rng_lut_per + glue.lut / n;
  hier.ff.a += rng_ff_per + glue.ff / n;
  flat.lut = fit_per_degree(points(flat_by_degree, true));  // the probes include the RNGs
  flat.ff = fit_per_degree(points(flat_by_degree, false));
  flat.lut.a += glue.lut / n;
  flat.ff.a += glue.ff / n;
  hier.fixed_lut = flat.fixed_lut = static_cast<double>(fixed.lut);
  hier.fixed_ff = flat.fixed_ff = static_cast<double>(fixed.ff);
  const double lut_cap = a.max_util * part.luts, ff_cap = a.max_util * part.ffs;
  const Largest peg = largest_fitting(flat, "pegasus", 2, "", lut_cap, ff_cap);
  const Largest zep = largest_fitting(flat, "zephyr", 1, ",4", lut_cap, ff_cap);
  const Largest hpeg = largest_fitting(hier, "pegasus", 2, "", lut_cap, ff_cap);
  const Largest hzep = largest_fitting(hier, "zephyr", 1, ",4", lut_cap, ff_cap);
  const Prediction whole = predict(flat, *d.graph);
  // The flip rate of the largest Pegasus that fits, at the same clock.
  double peg_flips = 0;
  if (peg.m > 0) {
    const auto g = std::make_shared<const graphs::Graph>(
        graphs::make_graph("pegasus:" + std::to_string(peg.m)));
    const Program pp = compile(Problem::zeros(g), d.spec, a.beta);
    peg_flips =
        static_cast<double>(pp.n) * a.clock_mhz * 1e6 / d.spec.cycles_per_sweep(pp.num_colors);
  }
  const int cps = d.spec.cycles_per_sweep(d.prog.num_colors);
  const double flips = n * a.clock_mhz * 1e6 / cps;
  const double secs = std::chrono::duration<double>(Clock::now() - t_all).count();

  nlohmann::json degrees = nlohmann::json::array();
  for (const auto& [deg, e] : by_degree) {
    const auto& f = flat_by_degree[deg].first;
    degrees.push_back({{"degree", deg},
                       {"cells", e.second},
                       {"hier_lut", e.first.lut},
                       {"hier_ff", e.first.ff},
                       {"flat_lut", f.lut},
                       {"flat_ff", f.ff},
                       {"flat_carry", f.carry}});
  }
  auto model_json = [&](const CostModel& m) {
    return nlohmann::json{{"lut_per_pbit", m.lut.a}, {"lut_per_edge_slot", m.lut.b},
                          {"ff_per_pbit", m.ff.a},   {"ff_per_edge_slot", m.ff.b},
                          {"fixed_lut", fixed.lut},  {"fixed_ff", fixed.ff}};
  };
  EstimateResult res;
  res.out = out.string();
  res.report = {
      {"part", part.name},
      {"family", part.family},
      {"graph", d.graph->spec()},
      {"pbits", d.prog.n},
      {"colors", d.prog.num_colors},
      {"spec", a.spec_json},
      {"features", a.features.to_json()},
      {"total",
       {{"lut", total.lut},
        {"ff", total.ff},
        {"bram18", total.bram},
        {"dsp", total.dsp},
        {"carry", total.carry},
        {"lutram_srl", total.lutram},
        {"muxf", total.muxf},
        {"inv", total.inv}}},
      {"per_pbit",
       {{"lut", total.lut / n},
        {"ff", total.ff / n},
        {"bram18", total.bram / n},
        {"dsp", total.dsp / n}}},
      {"utilization",
       {{"lut", static_cast<double>(total.lut) / part.luts},
        {"ff", static_cast<double>(total.ff) / part.ffs},
        {"bram36", total.bram / 2.0 / part.bram36},
        {"dsp", static_cast<double>(total.dsp) / part.dsp}}},
      {"flattened",
       {{"lut", whole.lut},
        {"ff", whole.ff},
        {"lut_per_pbit", whole.lut / n},
        {"ff_per_pbit", whole.ff / n},
        {"lut_utilization", whole.lut / part.luts},
        {"ff_utilization", whole.ff / part.ffs}}},
      {"part_capacity",
       {{"lut", part.luts}, {"ff", part.ffs}, {"bram36", part.bram36}, {"dsp", part.dsp}}},
      {"cells_by_degree", degrees},
      {"model", model_json(flat)},
      {"model_hierarchical", model_json(hier)},
      {"max_util", a.max_util},
      {"largest_pegasus", peg.m},  // M of pegasus:M (0: none fits)
      {"largest_pegasus_pbits", peg.pbits},
      {"largest_pegasus_flips_per_s", peg_flips},
      {"largest_zephyr_t4", zep.m},  // M of zephyr:M,4
      {"largest_zephyr_t4_pbits", zep.pbits},
      {"largest_pegasus_hierarchical", hpeg.m},
      {"largest_pegasus_hierarchical_pbits", hpeg.pbits},
      {"largest_zephyr_t4_hierarchical", hzep.m},
      {"largest_zephyr_t4_hierarchical_pbits", hzep.pbits},
      {"clock_mhz", a.clock_mhz},
      {"cycles_per_sweep", cps},
      {"flips_per_s", flips},
      {"published_flips_per_s", {50e9, 64e9}},
      {"yosys_seconds", r.seconds},
      {"probe_seconds", probe_seconds},
      {"seconds", secs}};
  res.markdown = estimate_markdown(res.report);
  write_text((out / "estimate.json").string(), res.report.dump(2) + "\n");
  write_text((out / "estimate.md").string(), res.markdown);
  return res;
}

}  // namespace pbit::fpga

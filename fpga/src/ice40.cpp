// The iCE40 flow (ice40.hpp).
#include <pbit/board/board_emit.hpp>
#include <pbit/error.hpp>
#include <pbit/fpga/board_file.hpp>
#include <pbit/fpga/ice40.hpp>
#include <pbit/fpga/nextpnr.hpp>
#include <pbit/fpga/report.hpp>
#include <pbit/fpga/tools.hpp>
#include <pbit/fpga/yosys_stat.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>

namespace pbit::fpga {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

Ice40Result build_ice40(const Ice40Options& a) {
  const auto t_all = Clock::now();
  const Board b = load_board(a.board);
  const Design d = make_design(a.graph, a.spec, a.beta);
  check_arch(a.arch, a.features, d.spec);
  const bool full = a.arch == rtl::Arch::Full, engine = a.arch == rtl::Arch::Engine;
  // The engine's couplings and RNG states go into the UP5K's four SPRAM
  // blocks (elsewhere: block RAM, as far as it goes).
  const int sprams = engine && b.device == "up5k" ? rtl::engine_spram_banks(d.prog) : 0;
  if (sprams > 4)
    throw Error(fmt::format("the design does not fit the {} ({}): the engine's couplings and RNG states need {} "
                            "SPRAM blocks of 16K x 16, the device has 4; try a smaller graph",
                            b.name, b.device, sprams));
  if (d.spec.schedule == Schedule::Async && !a.features.async)
    throw Error("--schedule async needs the async hardware: add --async 1");
  const std::string tag = full ? "-" : "-" + std::string(rtl::to_string(a.arch)) + "-";
  const fs::path out = fs::absolute(a.out.empty() ? fs::path("fpga-build") / (b.name + tag + sanitize(d.graph->spec()))
                                                  : fs::path(a.out));
  nlohmann::json secs = nlohmann::json::object();

  // Clock and UART. The oscillator's frequency runs without the PLL (whose
  // output starts at 16 MHz); below it, the oscillator divided by 2..16.
  board::Pll pll;
  double mhz = a.freq_mhz > 0 ? a.freq_mhz : b.freq_mhz;
  std::string pll_mode = b.pll;
  int clk_div = 1;
  if (mhz < b.osc_mhz - 1e-9) {
    const double n = b.osc_mhz / mhz;
    clk_div = static_cast<int>(std::lround(n));
    if (clk_div < 2 || clk_div > 16 || std::abs(n - clk_div) > 1e-6 * n)
      throw Error(fmt::format("--freq {} MHz: below the oscillator's {} MHz the clock is the oscillator "
                              "divided by 2..16 (e.g. {} or {} MHz)",
                              mhz, b.osc_mhz, b.osc_mhz / 2, b.osc_mhz / 3));
    mhz = b.osc_mhz / clk_div;
    pll_mode = "none";
  } else if (b.pll == "none" || std::abs(mhz - b.osc_mhz) < 1e-9) {
    if (std::abs(mhz - b.osc_mhz) > 1e-9)
      throw Error("board " + b.name + " has no PLL: --freq must be the oscillator's " +
                  fmt::format("{}", b.osc_mhz));
    mhz = b.osc_mhz;
    pll_mode = "none";
  } else {
    pll = board::ice40_pll(b.osc_mhz, mhz);
    mhz = pll.mhz;
  }
  const double hz = mhz * 1e6;
  if (a.baud <= 0) throw Error("--baud must be > 0");
  const int clks_per_bit = static_cast<int>(std::lround(hz / a.baud));
  if (clks_per_bit < 4)
    throw Error(fmt::format("--baud {} too fast for a {} MHz clock (needs >= 4 clocks a bit)",
                            a.baud, mhz));
  const double baud_err = std::abs(hz / clks_per_bit - a.baud) / a.baud;
  if (baud_err > 0.02)
    throw Error(fmt::format("--baud {} is {:.1f} % off at {} MHz", a.baud, 100 * baud_err, mhz));
  if (a.buffer_words < 4 || a.buffer_words > 16384 || (a.buffer_words & (a.buffer_words - 1)))
    throw Error("--buffer-words must be a power of two in [4, 16384]");
  const auto timeout_clks = static_cast<std::uint64_t>(hz * 0.1);  // 100 ms without a byte
  const std::string yosys = find_tool("yosys", "yosys");
  const std::string nextpnr = find_tool("nextpnr-ice40", "nextpnr-ice40");
  const std::string icepack = find_tool("icepack", "fpga-icestorm");
  fs::create_directories(out);

  // 1. Emit.
  auto t0 = Clock::now();
  rtl::EmitOptions eo;
  eo.arch = a.arch;
  const auto em = board::emit_board(d.prog, *d.graph, (out / "design").string(), eo);
  secs["emit"] = std::chrono::duration<double>(Clock::now() - t0).count();

  // 2. Synthesis.
  const std::string define = std::string(pll_mode == "pad"    ? " -DPBIT_ICE40_PLL_PAD"
                                         : pll_mode == "core" ? " -DPBIT_ICE40_PLL"
                                                              : "") +
                             (b.device == "up5k" ? " -DPBIT_ICE40_SPRAM" : "");
  const fs::path json = out / "pbit_board.json", ylog = out / "yosys.log";
  const std::string ys = fmt::format(
      "# pbit fpga build --board {} --graph {}: iCE40 synthesis (yosys -s synth.ys)\n"
      "read_verilog -sv{}{}\n"
      "chparam {} -set ClkHz {} -set ClksPerBit {} -set TimeoutClks {} -set BufWords {} -set "
      "LedActiveLow {} "
      "-set PllDivr {} -set PllDivf {} -set PllDivq {} -set PllFilterRange {} -set ClkDiv {} pbit_board_top\n"
      "synth_ice40 -top pbit_board_top{} -json {}\n"
      "tee -o {} stat\n",
      b.name, d.graph->spec(), define, join_files(em.files), a.features.chparam(),
      static_cast<std::uint64_t>(hz), clks_per_bit, timeout_clks, a.buffer_words,
      int(b.led_active_low), pll.divr, pll.divf, pll.divq, pll.filter, clk_div,
      b.device == "up5k" ? " -dsp" : "", json.string(), (out / "yosys_stat.txt").string());
  write_text((out / "synth.ys").string(), ys);
  if (a.progress) fmt::print(stderr, "yosys synth_ice40 ({} p-bits) ...\n", em.array.num_cells);
  auto r = run_tool({yosys, "-q", "-l", ylog.string(), "-s", (out / "synth.ys").string()},
                    (out / "yosys.out").string());
  secs["yosys"] = r.seconds;
  if (r.status != 0)
    throw Error("yosys failed: " + log_error(ylog.string()) + " (log: " + ylog.string() + ")");
  // Early fit check: LUT4s alone (nextpnr packs a LUT and a flip-flop per logic cell).
  const long luts = last_cell_count(read_text((out / "yosys_stat.txt").string()), "SB_LUT4");
  if (luts > b.logic_cells)
    throw Error(fmt::format(
        "the design does not fit the {} ({}): {} LUT4 for {} logic cells; try a smaller graph, "
        "or leave --stats/--async/--lut-writable at 0{}",
        b.name, b.device, luts, b.logic_cells, full ? ", or --arch lean|engine" : ""));

  // 3. Place and route.
  const fs::path asc = out / "pbit_board.asc", report = out / "nextpnr_report.json",
                 plog = out / "nextpnr.log";
  const std::vector<std::string> pnr = {nextpnr,
                                        "--" + b.device,
                                        "--package",
                                        b.package,
                                        "--json",
                                        json.string(),
                                        "--pcf",
                                        b.pcf,
                                        "--asc",
                                        asc.string(),
                                        "--freq",
                                        fmt::format("{:.3f}", mhz),
                                        "--seed",
                                        std::to_string(a.seed),
                                        "--report",
                                        report.string(),
                                        "--timing-allow-fail",
                                        "-q",
                                        "-l",
                                        plog.string()};
  std::string sh = "#!/bin/sh\n# pbit fpga build: place and route\n";
  for (const auto& x : pnr) sh += x + " ";
  write_text((out / "pnr.sh").string(), sh + "\n");
  if (a.progress) fmt::print(stderr, "nextpnr-ice40 --{} --freq {:.2f} ...\n", b.device, mhz);
  r = run_tool(pnr, (out / "nextpnr.out").string());
  secs["nextpnr"] = r.seconds;
  if (r.status != 0) {
    const std::string why = log_error(plog.string());
    if (why.find("Unable to place") != std::string::npos ||
        why.find("too many") != std::string::npos ||
        why.find("Failed to expand region") != std::string::npos ||
        why.find("fit") != std::string::npos)
      throw Error("the design does not fit the " + b.name + " (" + b.device + "): " + why);
    throw Error("nextpnr-ice40 failed: " + why + " (log: " + plog.string() + ")");
  }
  NextpnrReport rep;
  try {
    rep = parse_nextpnr_report(read_text(report.string()));
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + " (" + report.string() + ")");
  }
  nlohmann::json util = nlohmann::json::object();
  for (const auto& [k, v] : rep.utilization)
    util[k] = {{"used", v.used}, {"available", v.available}};

  // 4. Bitstream.
  const fs::path bin = out / "pbit_board.bin";
  r = run_tool({icepack, asc.string(), bin.string()}, (out / "icepack.log").string());
  secs["icepack"] = r.seconds;
  if (r.status != 0 || !fs::exists(bin))
    throw Error("icepack failed (log: " + (out / "icepack.log").string() + ")");
  secs["total"] = std::chrono::duration<double>(Clock::now() - t_all).count();

  Ice40Result res;
  res.timing_met = rep.fmax_mhz >= mhz;
  res.out = out.string();
  // The arrays: a cycle a colour; the engine: its lane's cycles (SWEEP_CYCLES).
  const auto cps = engine ? rtl::engine_sweep_cycles(d.prog, *d.graph)
                          : static_cast<std::uint64_t>(d.spec.cycles_per_sweep(d.prog.num_colors));
  res.report = {
      {"board", b.name},
      {"device", b.device},
      {"package", b.package},
      {"graph", d.graph->spec()},
      {"pbits", d.prog.n},
      {"colors", d.prog.num_colors},
      {"spec", a.spec_json},
      {"beta", a.beta},
      {"arch", rtl::to_string(a.arch)},
      {"features", a.features.to_json()},
      {"clock_mhz", mhz},
      {"pll",
       {{"mode", pll_mode},
        {"divr", pll.divr},
        {"divf", pll.divf},
        {"divq", pll.divq},
        {"filter_range", pll.filter},
        {"divider", clk_div}}},
      {"uart", {{"baud", a.baud}, {"clks_per_bit", clks_per_bit}, {"baud_error", baud_err}}},
      {"utilization", util},
      {"yosys_lut4", luts},
      {"fmax_mhz", rep.fmax_mhz},
      {"timing_met", res.timing_met},
      {"cycles_per_sweep", cps},
      {"sweeps_per_s", hz / static_cast<double>(cps)},
      {"flips_per_s", static_cast<double>(d.prog.n) * hz / static_cast<double>(cps)},
      {"bitstream", bin.string()},
      {"program", fmt::format("openFPGALoader -b {} -f {}",
                              b.ofl_board.empty() ? "<board>" : b.ofl_board, bin.string())},
      {"seconds", secs}};
  res.markdown = ice40_markdown(res.report);
  write_text((out / "report.json").string(), res.report.dump(2) + "\n");
  write_text((out / "report.md").string(), res.markdown);
  return res;
}

}  // namespace pbit::fpga

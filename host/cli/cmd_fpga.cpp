// pbit fpga emit|build|estimate|sim|program: options of the FPGA flow, which
// lives in fpga/ (the pbit_fpga library, fpga/README.md).
#include "cli.hpp"

#include <pbit/board/board_emit.hpp>
#include <pbit/fpga/board_file.hpp>
#include <pbit/fpga/board_sim.hpp>
#include <pbit/fpga/design.hpp>
#include <pbit/fpga/ice40.hpp>
#include <pbit/fpga/program.hpp>
#include <pbit/fpga/tools.hpp>
#include <pbit/fpga/xilinx.hpp>

#include <fmt/format.h>

namespace pbit::cli {
namespace {

void add_features(CLI::App& app, fpga::Features& f, bool full_default) {
  f.lut_writable = f.stats = f.async = full_default;
  app.add_option("--lut-writable", f.lut_writable,
                 "1: LUT RAM written over the bus; 0: ROM (host uses --beta-mode fold)")
      ->capture_default_str();
  app.add_option("--stats", f.stats, "1: on-chip statistics counters per p-bit and edge")
      ->capture_default_str();
  app.add_option("--async", f.async, "1: async schedule (a timer RNG per p-bit)")
      ->capture_default_str();
}

// The lean array has none of the features, the engine no statistics and no
// async schedule: off unless asked for (then refused).
void arch_features(const std::string& arch, const CLI::App& app, fpga::Features& f) {
  if (arch == "full") return;
  if (arch == "lean" && app.count("--lut-writable") == 0) f.lut_writable = false;
  if (app.count("--stats") == 0) f.stats = false;
  if (app.count("--async") == 0) f.async = false;
}

void add_arch(CLI::App& app, std::string& arch, const std::string& what, bool engine) {
  std::vector<std::string> archs = {"full", "lean"};
  if (engine) archs.push_back("engine");
  app.add_option("--arch", arch,
                 "full: pbit_top, a cell per p-bit, with the features below | lean: the area-lean array "
                 "(rtl/lean: groups of p-bits of different colours share one datapath; ROM LUT, no "
                 "statistics, chromatic; --beta-mode fold)" +
                     std::string(engine ? " | engine: the time-multiplexed engine (rtl/engine: weights, RNG "
                                          "states and states in RAM, one update lane; no statistics, "
                                          "chromatic; pegasus:14 fits the iCEBreaker)"
                                        : "") +
                     what)
      ->capture_default_str()
      ->check(CLI::IsMember(archs));
}

struct EmitArgs {
  std::string graph, out, arch = "full";
  SpecOptions spec;
  double beta = 1.0;
  bool json = false;
};

int run_emit(const EmitArgs& a) {
  const fpga::Design d = fpga::make_design(a.graph, a.spec.spec(), a.beta);
  rtl::EmitOptions eo;
  eo.arch = rtl::parse_arch(a.arch);
  fpga::check_arch(eo.arch, {}, d.spec);
  const auto r = board::emit_board(d.prog, *d.graph, a.out, eo);
  if (a.json) {
    print_json({{"graph", d.graph->spec()},
                {"arch", a.arch},
                {"cells", r.array.num_cells},
                {"files", r.files},
                {"files_list", r.files_list}});
    return 0;
  }
  fmt::print("board design ({} array) for {} ({} p-bits, {} colours) in {}\n", a.arch, d.graph->spec(),
             r.array.num_cells, r.array.num_colors, r.array.outdir);
  fmt::print("file list  {}\n", r.files_list);
  fmt::print(
      "lint       verilator --lint-only -Wall {}/rtl/pbit.vlt -f {} --top-module pbit_board_top\n",
      fpga::source_dir(), r.files_list);
  return 0;
}

struct BuildArgs {
  fpga::Ice40Options o;
  SpecOptions spec;
  std::string arch = "full";
  bool json = false;
};

int run_build(BuildArgs& a) {
  a.o.arch = rtl::parse_arch(a.arch);
  a.o.spec = a.spec.spec();
  a.o.spec_json = a.spec.to_json(a.o.spec);
  a.o.progress = !a.json;
  const auto r = fpga::build_ice40(a.o);
  if (a.json) {
    print_json(r.report);
  } else {
    fmt::print("{}", r.markdown);
    fmt::print("program    {}\n", r.report.at("program").get<std::string>());
  }
  if (!r.timing_met)
    throw Error(fmt::format(
        "timing not met: Fmax {:.2f} MHz < {:.2f} MHz (lower --freq: a PLL clock of 16 MHz or more, or the "
        "oscillator divided by 2..16; bitstream and reports in {})",
        r.report.at("fmax_mhz").get<double>(), r.report.at("clock_mhz").get<double>(), r.out));
  return 0;
}

struct EstimateArgs {
  fpga::EstimateOptions o;
  SpecOptions spec;
  std::string arch = "lean";
  bool json = false;
};

int run_estimate(EstimateArgs& a, const CLI::App& app) {
  a.o.arch = rtl::parse_arch(a.arch);
  arch_features(a.arch, app, a.o.features);
  // The engine estimated as the lean array is: a ROM LUT (beta folded) unless asked.
  if (a.arch == "engine" && app.count("--lut-writable") == 0) a.o.features.lut_writable = false;
  a.o.spec = a.spec.spec();
  a.o.spec_json = a.spec.to_json(a.o.spec);
  a.o.progress = !a.json;
  const auto r = fpga::estimate_xilinx(a.o);
  if (a.json)
    print_json(r.report);
  else
    fmt::print("{}report     {}/estimate.md\n", r.markdown, r.out);
  return 0;
}

struct SimArgs {
  fpga::BoardSimOptions o;
  SpecOptions spec;
  std::string arch = "full";
  std::string pty_file;
  double idle_exit = 0;
  int corrupt_every = 0;
  bool build_only = false;
};

int run_sim(SimArgs& a, const CLI::App& app) {
  a.o.arch = rtl::parse_arch(a.arch);
  arch_features(a.arch, app, a.o.features);
  a.o.spec = a.spec.spec();
  const auto sim = fpga::build_board_sim(a.o);
  if (a.build_only) {
    fmt::print("{}\n", sim.exe);
    return 0;
  }
  std::vector<std::string> args;
  if (!a.pty_file.empty()) args.insert(args.end(), {"--pty-file", a.pty_file});
  if (a.idle_exit > 0) args.insert(args.end(), {"--idle-exit", std::to_string(a.idle_exit)});
  if (a.corrupt_every > 0)
    args.insert(args.end(), {"--corrupt-every", std::to_string(a.corrupt_every)});
  fpga::exec_board_sim(sim.exe, args);
}

struct ProgramArgs {
  std::string board, bitstream;
  bool sram = false, dry_run = false;
};

int run_program(const ProgramArgs& a) {
  const fpga::Board b = fpga::load_board(a.board);
  std::string line;
  for (const auto& c : fpga::program_command(b, a.bitstream, a.sram))
    line += (line.empty() ? "" : " ") + c;
  fmt::print("{}\n", line);
  if (!a.dry_run) fpga::program_board(b, a.bitstream, a.sram);
  return 0;
}

}  // namespace

Command add_fpga_command(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "fpga", "Board design, iCE40 bitstreams, Xilinx estimates, the simulated board");
  sub->require_subcommand(1);

  auto ea = std::make_shared<EmitArgs>();
  auto* emit = sub->add_subcommand(
      "emit", "Write the board design (array + UART bridge + board top) for a graph");
  emit->add_option("--graph", ea->graph, "graph spec, e.g. chimera:2")->required();
  emit->add_option("--out", ea->out, "output directory")->required();
  emit->add_option("--beta", ea->beta, "inverse temperature of the initial LUT contents")
      ->capture_default_str();
  emit->add_flag("--json", ea->json, "print one JSON document on stdout");
  add_arch(*emit, ea->arch, "", true);
  ea->spec.add_to(*emit);

  auto ba = std::make_shared<BuildArgs>();
  auto* build = sub->add_subcommand(
      "build",
      "iCE40 bitstream: yosys synth_ice40 -> nextpnr-ice40 -> icepack, with utilization, Fmax and\n"
      "flips/s in OUT/report.md and OUT/report.json. Boards: fpga/boards/*.board (icebreaker, "
      "hx8k).\n"
      "Exit 1 if the design does not fit or timing is not met.");
  build
      ->add_option("--board", ba->o.board,
                   "board: icebreaker (iCE40UP5K) | hx8k (iCE40HX8K breakout)")
      ->required();
  build->add_option("--graph", ba->o.graph, "graph spec, e.g. chimera:1")->required();
  build->add_option("--out", ba->o.out, "output directory (default fpga-build/BOARD-GRAPH)");
  build->add_option("--freq", ba->o.freq_mhz,
                    "design clock in MHz: the oscillator's (no PLL), a PLL output >= 16, or the "
                    "oscillator divided by 2..16 (default: the board file's)");
  build->add_option("--baud", ba->o.baud, "UART baud rate")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  build->add_option("--seed", ba->o.seed, "nextpnr placement seed")->capture_default_str();
  build
      ->add_option("--buffer-words", ba->o.buffer_words,
                   "bridge request buffer (words, power of two)")
      ->capture_default_str();
  build
      ->add_option("--beta", ba->o.beta,
                   "inverse temperature of the LUT contents (a ROM unless --lut-writable 1)")
      ->capture_default_str();
  build->add_flag("--json", ba->json, "print one JSON document on stdout");
  add_arch(*build, ba->arch, "", true);
  add_features(*build, ba->o.features, false);
  ba->spec.add_to(*build);

  auto xa = std::make_shared<EstimateArgs>();
  auto* est = sub->add_subcommand(
      "estimate",
      "Xilinx resource estimate: yosys synth_xilinx of the array (the lean one unless --arch full),\n"
      "LUT/FF per p-bit, a per-degree cost model, the largest Pegasus/Zephyr that fits, projected\n"
      "flips/s, the update path's LUT levels. Writes OUT/estimate.md and OUT/estimate.json.\n"
      "pegasus:14 takes several minutes (--arch full: about 25). --arch engine: one engine (one lane),\n"
      "its LUT/FF/block RAM, how many independent copies (chains) fill the part, flips/s per LUT\n"
      "(--compare lean,full puts the arrays next to it; --sizes the which-architecture table).");
  est->add_option("--part", xa->o.part, "xcvu9p | xcvu13p | xcu250 | xc7a100t | xc7a35t")
      ->capture_default_str();
  est->add_option("--graph", xa->o.graph, "graph spec")->capture_default_str();
  est->add_option("--out", xa->o.out, "output directory (default fpga-estimate/PART-GRAPH)");
  est->add_option("--clock-mhz", xa->o.clock_mhz,
                  "clock for the flips/s projection (an assumption)")
      ->capture_default_str();
  est->add_option("--max-util", xa->o.max_util, "usable fraction of LUTs/FFs for the fit")
      ->capture_default_str();
  est->add_option("--beta", xa->o.beta, "inverse temperature of the LUT contents")
      ->capture_default_str();
  est->add_flag("--json", xa->json, "print one JSON document on stdout");
  est->add_option("--compare", xa->o.compare,
                  "engine: put next to it lean and/or full (estimated here for the same graph, into OUT/vs-ARCH) "
                  "or an estimate.json of the same part and graph")
      ->delimiter(',');
  est->add_option("--sizes", xa->o.sizes,
                  "engine: pegasus:M sizes for the which-architecture table, e.g. 4,6,8 (an engine synthesized "
                  "for each; the lean array from --compare lean's cost model)")
      ->delimiter(',');
  est->add_option("--engine-ram", xa->o.engine_ram,
                  "engine: its coupling and RNG-state banks in block RAM (block) or UltraRAM (ultra, UltraScale+)")
      ->capture_default_str();
  add_arch(*est, xa->arch,
           "; the features default to 1 with --arch full; the engine's LUT is a ROM unless --lut-writable 1",
           true);
  add_features(*est, xa->o.features, true);
  xa->spec.add_to(*est);

  auto sa = std::make_shared<SimArgs>();
  auto* sim = sub->add_subcommand("sim",
                                  "Simulate the board (Verilator, built once per graph/spec) with "
                                  "its UART on a pseudo-terminal:\n"
                                  "prints the /dev/pts/N to use with `pbit sample --backend board "
                                  "--port /dev/pts/N`; runs until killed.");
  sim->add_option("--graph", sa->o.graph, "graph spec, e.g. chimera:1")->required();
  sim->add_option("--out", sa->o.out, "build directory (default fpga-sim/GRAPH)");
  sim->add_option("--clks-per-bit", sa->o.clks_per_bit,
                  "simulated UART clocks per bit (a real board: clock/baud)")
      ->capture_default_str();
  sim->add_option("--pty-file", sa->pty_file, "also write the pseudo-terminal's path to FILE");
  sim->add_option("--idle-exit", sa->idle_exit, "exit after SECONDS without traffic (0: never)")
      ->capture_default_str();
  sim->add_option("--corrupt-every", sa->corrupt_every,
                  "flip one bit in every Nth byte each way (tests CRC errors and retries)")
      ->capture_default_str();
  sim->add_flag("--build-only", sa->build_only,
                "build the simulator, print its path, do not run it");
  sim->add_option("--jobs", sa->o.jobs, "parallel compile jobs")->capture_default_str();
  sim->add_option("--beta", sa->o.beta, "inverse temperature of the LUT contents")
      ->capture_default_str();
  add_arch(*sim, sa->arch, "; the features default to 1 with --arch full", true);
  add_features(*sim, sa->o.features, true);
  sa->spec.add_to(*sim);

  auto pa = std::make_shared<ProgramArgs>();
  auto* prog = sub->add_subcommand("program",
                                   "Program a board with openFPGALoader (SPI flash; --sram: SRAM)");
  prog->add_option("--board", pa->board, "board (fpga/boards/*.board)")->required();
  prog->add_option("--bitstream", pa->bitstream, "the .bin of `pbit fpga build`")->required();
  prog->add_flag("--sram", pa->sram,
                 "load into SRAM instead of flash (board jumpers must allow it)");
  prog->add_flag("--dry-run", pa->dry_run, "print the command only");

  return {sub, [=] {
            if (emit->parsed()) return run_emit(*ea);
            if (build->parsed()) return run_build(*ba);
            if (est->parsed()) return run_estimate(*xa, *est);
            if (sim->parsed()) return run_sim(*sa, *sim);
            if (prog->parsed()) return run_program(*pa);
            return 0;
          }};
}

}  // namespace pbit::cli

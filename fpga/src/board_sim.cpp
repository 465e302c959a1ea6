// The simulated board (board_sim.hpp).
#include <pbit/board/board_emit.hpp>
#include <pbit/error.hpp>
#include <pbit/fpga/board_sim.hpp>
#include <pbit/fpga/tools.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>

#include <unistd.h>

namespace pbit::fpga {
namespace fs = std::filesystem;

BoardSim build_board_sim(const BoardSimOptions& a) {
  if (a.clks_per_bit < 4 || a.clks_per_bit > 65535)
    throw Error("--clks-per-bit must be in [4, 65535]");
  if (a.jobs < 1) throw Error("--jobs must be >= 1");
  const Design d = make_design(a.graph, a.spec, a.beta);
  check_arch(a.arch, a.features, d.spec);
  const std::string verilator = find_tool("verilator", "verilator");
  const std::string arch = a.arch == rtl::Arch::Full ? "" : std::string(rtl::to_string(a.arch)) + "-";
  const fs::path out = fs::absolute(
      a.out.empty() ? fs::path("fpga-sim") / (arch + sanitize(d.graph->spec())) : fs::path(a.out));
  fs::create_directories(out);
  rtl::EmitOptions eo;
  eo.arch = a.arch;
  const auto em = board::emit_board(d.prog, *d.graph, (out / "design").string(), eo);
  const fs::path main_cpp = fs::path(source_dir()) / "sim" / "board_uart" / "board_uart_main.cpp";
  if (!fs::exists(main_cpp)) throw Error("missing " + main_cpp.string());
  // The simulated clock: nominally 1 MHz (what a small model achieves), which
  // the host uses for its RUN timeouts.
  const std::uint64_t clk_hz = 1000000;
  const std::vector<std::string> cmd = {
      verilator,
      "--cc",
      "--exe",
      "--build",
      "-O2",
      "-Wno-fatal",
      "--top-module",
      "pbit_board_top",
      "-GClksPerBit=" + std::to_string(a.clks_per_bit),
      "-GClkHz=32'd" + std::to_string(clk_hz),
      "-GTimeoutClks=32'd" + std::to_string(2000 * a.clks_per_bit),
      "-GBufWords=64",
      "-GLutWritable=1'b" + std::to_string(int(a.features.lut_writable)),
      "-GStats=1'b" + std::to_string(int(a.features.stats)),
      "-GAsync=1'b" + std::to_string(int(a.features.async)),
      "-CFLAGS",
      "-O1 -DPBIT_CLKS_PER_BIT=" + std::to_string(a.clks_per_bit),
      "-j",
      std::to_string(a.jobs),
      "--Mdir",
      (out / "obj").string(),
      "-o",
      "pbit_board_sim",
      (fs::path(source_dir()) / "rtl" / "pbit.vlt").string(),
      "-f",
      em.files_list,
      main_cpp.string()};
  // Rebuild only when something that goes into the model changed.
  std::string key;
  for (const auto& c : cmd) key += c + "\n";
  for (const auto& f : em.files) key += read_text(f);
  key += read_text(main_cpp.string());
  const std::string stamp = std::to_string(std::hash<std::string>{}(key));
  BoardSim sim;
  sim.exe = (out / "obj" / "pbit_board_sim").string();
  const fs::path stamp_file = out / "stamp";
  if (fs::exists(sim.exe) && fs::exists(stamp_file) && read_text(stamp_file.string()) == stamp)
    return sim;
  if (a.progress)
    fmt::print(stderr, "verilating the board for {} ({} p-bits) ...\n", d.graph->spec(), d.prog.n);
  const fs::path log = out / "verilator.log";
  const auto r = run_tool(cmd, log.string());
  if (r.status != 0 || !fs::exists(sim.exe))
    throw Error("verilator build failed: " + log_error(log.string()) + " (log: " + log.string() +
                ")");
  write_text(stamp_file.string(), stamp);
  sim.built = true;
  sim.seconds = r.seconds;
  if (a.progress) fmt::print(stderr, "built {} in {:.0f} s\n", sim.exe, r.seconds);
  return sim;
}

void exec_board_sim(const std::string& exe, const std::vector<std::string>& args) {
  std::vector<std::string> all = {exe};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : all) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  ::execv(argv[0], argv.data());
  throw Error("cannot run " + exe + ": " + std::strerror(errno));
}

}  // namespace pbit::fpga

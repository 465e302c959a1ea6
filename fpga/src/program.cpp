// Programming a board (program.hpp).
#include <pbit/error.hpp>
#include <pbit/fpga/program.hpp>
#include <pbit/fpga/tools.hpp>

#include <cstdio>
#include <filesystem>

#include <unistd.h>

namespace pbit::fpga {
namespace fs = std::filesystem;

std::vector<std::string> program_command(const Board& b, const std::string& bitstream, bool sram) {
  if (!fs::is_regular_file(bitstream))
    throw Error("no bitstream " + bitstream + " (run `pbit fpga build` first)");
  if (b.ofl_board.empty())
    throw Error("board '" + b.name + "' names no openfpgaloader_board in its board file");
  return {"openFPGALoader", "-b", b.ofl_board, sram ? "-m" : "-f", bitstream};
}

void program_board(const Board& b, const std::string& bitstream, bool sram) {
  std::vector<std::string> cmd = program_command(b, bitstream, sram);
  cmd[0] = find_tool("openFPGALoader", "openfpgaloader");
  const fs::path log =
      fs::temp_directory_path() / ("pbit-openfpgaloader-" + std::to_string(::getpid()) + ".log");
  const auto r = run_tool(cmd, log.string());
  std::fputs(read_text(log.string()).c_str(), stderr);
  std::error_code ec;
  fs::remove(log, ec);
  if (r.status != 0)
    throw Error("openFPGALoader failed (exit " + std::to_string(r.status) + "): is the " + b.name +
                " connected over USB, and may this user open it?");
}

}  // namespace pbit::fpga

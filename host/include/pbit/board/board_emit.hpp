#pragma once
// The board design: the emitted p-bit array (rtl_emit.hpp) plus the board RTL
// of rtl/board/ (UART, bridge, board top) and its package pbit_board_pkg.sv,
// generated here from the frame protocol (protocol.hpp), so the RTL and the
// host driver share every constant.
#include <pbit/graphs/graph.hpp>
#include <pbit/program.hpp>
#include <pbit/rtl_emit.hpp>

#include <string>
#include <vector>

namespace pbit::board {

// The SystemVerilog package pbit_board_pkg (pure function of protocol.hpp).
std::string emit_board_pkg();

struct BoardEmitResult {
  rtl::EmitResult array;           // the array design (its files.f)
  std::vector<std::string> files;  // board_files.f: every source in compile order (absolute)
  std::string files_list;          // path of board_files.f
};

// Emits the array (pbit_pkg.sv, pbit_array.sv or, for options.arch = Lean,
// pbit_lean_array.sv, for Engine the engine's ROM files, pbit_lut.mem, files.f)
// and pbit_board_pkg.sv into outdir
// and writes board_files.f: the array's files, pbit_board_pkg.sv,
// rtl/board[/lean|/engine]/pbit_board_array.sv (the array behind pbit_board_top),
// then rtl/board/files.f. Throws pbit::Error.
BoardEmitResult emit_board(const Program& prog, const graphs::Graph& g, const std::string& outdir,
                           const rtl::EmitOptions& options = {});

// iCE40 PLL in SIMPLE feedback mode (the settings icepll computes): f_out =
// f_in (DIVF+1) / ((DIVR+1) 2^DIVQ) with f_in/(DIVR+1) in [10, 133] MHz and the
// VCO in [533, 1066] MHz; the closest f_out to the request. Throws pbit::Error
// outside [16, 275] MHz.
struct Pll {
  int divr = 0, divf = 0, divq = 0, filter = 0;
  double mhz = 0;  // achieved
};
Pll ice40_pll(double fin_mhz, double fout_mhz);

}  // namespace pbit::board

#pragma once
// The logic depth of a mapped Xilinx netlist (yosys `write_json` after
// synth_xilinx -flatten): the most LUTs on any combinational path between
// flip-flops, ports and RAM writes, i.e. the LUT levels a clock period must
// cover (fpga/README.md "timing evidence"). yosys' `ltp` counts cells on the
// longest path instead (carries, buffers and all), and without deleting the
// flip-flops first it runs through them.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace pbit::fpga {

struct LogicDepth {
  int lut_levels = 0;   // LUTs on the path (a distributed-RAM read counts as one: it is a LUT)
  int carry_cells = 0;  // CARRY4/CARRY8 on that path (a few tens of ps each, not LUT levels)
  int muxf_cells = 0;   // MUXF7/8/9 on it
  std::vector<std::string> path;  // cell types from start to end (LUTs, carries, RAMs, muxes)
};

// Cells: LUT1-6 and LUT6_2 are one level; distributed RAM (RAM16*/RAM32*/RAM64*/
// RAM128*/RAM256*/RAM512*, ROM*) one level from its read address (ADDR*, A,
// A<n>, DPRA*) only: its data and write enable end a path; CARRY*, MUXF*, INV,
// buffers zero levels; flip-flops, latches, shift registers, block RAM, UltraRAM
// and DSPs are sequential (their outputs start paths, their inputs end them).
// Among the paths with the most LUTs, the one with the most carries.
// Throws pbit::Error for a missing module, a cell without port directions, or a
// combinational loop.
LogicDepth logic_depth(const nlohmann::json& netlist, const std::string& top);

}  // namespace pbit::fpga

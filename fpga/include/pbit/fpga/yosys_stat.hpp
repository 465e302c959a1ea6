#pragma once
// Reading yosys' `stat` output and log: cells per module, instances, totals.
#include <map>
#include <string>

namespace pbit::fpga {

// FPGA resources of a netlist, by cell kind. LUT counts LUT1-LUT6 (Xilinx) or
// SB_LUT4 (iCE40); lutram counts Xilinx distributed-RAM and shift-register
// primitives; bram in RAMB18 units (a RAMB36 counts 2; an iCE40 SB_RAM40_4K 1).
struct Resources {
  long lut = 0, inv = 0, ff = 0, bram = 0, dsp = 0, carry = 0, lutram = 0, muxf = 0;
  void add(const Resources& r, long times = 1);
};

// Adds `count` cells of type `cell` (a yosys cell name, e.g. LUT6, FDRE, SB_DFFE).
void add_cell(Resources& r, const std::string& cell, long count);

// `stat` of a design: each module's own cells, the instance count of each
// module at its first appearance in the "design hierarchy" section (the p-bit
// cells appear once, under the array), and the design totals (that section's
// cells; a flat design without the section: its one module).
struct YosysStat {
  std::map<std::string, Resources> own;
  std::map<std::string, long> instances;
  Resources total;
};
// Throws pbit::Error if the text holds no module.
YosysStat parse_yosys_stat(const std::string& text);

// The count of `cell` in the last line that lists it (the design hierarchy's
// total when there is one), 0 if none.
long last_cell_count(const std::string& stat_text, const std::string& cell);

// From a yosys log: the value of parameter `param` of every derived module
// whose name contains `module` ("Parameter \Degree = 15" lines preceding
// "Generating RTLIL representation for module `$paramod...pbit_cell'").
std::map<std::string, int> derived_parameter(const std::string& log_text, const std::string& module,
                                             const std::string& param);

}  // namespace pbit::fpga

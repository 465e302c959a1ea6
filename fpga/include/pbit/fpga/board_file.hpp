#pragma once
// Board files: fpga/boards/<name>.board (key = value lines, # comments) names
// the device, package, oscillator, PLL kind, default clock, LED polarity and
// logic cells of a board; fpga/boards/<name>.pcf holds its pins.
#include <string>
#include <vector>

namespace pbit::fpga {

struct Board {
  std::string name;
  std::string device;     // nextpnr-ice40 device option without "--": up5k, hx8k, ...
  std::string package;    // nextpnr-ice40 --package
  std::string pll;        // pad (SB_PLL40_PAD), core (SB_PLL40_CORE) or none
  std::string ofl_board;  // openFPGALoader -b (may be empty)
  double osc_mhz = 12;    // the oscillator
  double freq_mhz = 24;   // the default design clock
  bool led_active_low = false;
  int logic_cells = 0;  // of the device
  std::string pcf;      // the constraints file (set by load_board)
};

// Parses a board file's text; `where` names it in errors. Throws pbit::Error
// for a missing key, a malformed line or an out-of-range value.
Board parse_board(const std::string& text, const std::string& name, const std::string& where);

// fpga_dir()/boards/<name>.board with its .pcf; an unknown name lists the boards.
Board load_board(const std::string& name);
std::vector<std::string> board_names();

}  // namespace pbit::fpga

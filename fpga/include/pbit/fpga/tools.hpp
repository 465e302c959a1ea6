#pragma once
// Running the external tools of the FPGA flow (yosys, nextpnr-ice40, icepack,
// verilator, openFPGALoader) and the files they read and write.
#include <string>
#include <vector>

namespace pbit::fpga {

// fpga/ of the source tree ($PBIT_FPGA_DIR overrides) and the source tree
// itself ($PBIT_SOURCE_DIR overrides).
std::string fpga_dir();
std::string source_dir();

// The tool's path on $PATH, or pbit::Error naming the Debian package to install.
std::string find_tool(const std::string& name, const std::string& debian_package);

// Runs argv (no shell) with stdout and stderr to the file `log`; returns the
// exit status (128 + signal if killed) and the wall time.
struct ToolRun {
  int status = 0;
  double seconds = 0;
};
ToolRun run_tool(const std::vector<std::string>& argv, const std::string& log);

// The first line of a log that reports an error (yosys "ERROR", Verilator
// "%Error", "error:"), else its last non-empty line: for one-line messages.
std::string log_error(const std::string& log);

std::string read_text(const std::string& path);  // pbit::Error if unreadable
void write_text(const std::string& path, const std::string& text);
// A name usable in a file name: every character but [A-Za-z0-9] becomes '_'.
std::string sanitize(const std::string& s);
// " f1 f2 ...": a file list for a yosys read_verilog line.
std::string join_files(const std::vector<std::string>& files);

}  // namespace pbit::fpga

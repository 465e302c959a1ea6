// Board files (board_file.hpp).
#include <pbit/error.hpp>
#include <pbit/fpga/board_file.hpp>
#include <pbit/fpga/tools.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

namespace pbit::fpga {
namespace fs = std::filesystem;
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string g(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", x);
  return b;
}

double number(const std::string& where, const std::string& key, const std::string& v, double lo,
              double hi) {
  std::size_t used = 0;
  double x = 0;
  try {
    x = std::stod(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != v.size() || !std::isfinite(x) || x < lo || x > hi)
    throw Error(where + ": " + key + " must be a number in [" + g(lo) + ", " + g(hi) + "] (got '" +
                v + "')");
  return x;
}

}  // namespace

Board parse_board(const std::string& text, const std::string& name, const std::string& where) {
  std::map<std::string, std::string> kv;
  std::istringstream in(text);
  int lineno = 0;
  for (std::string line; std::getline(in, line);) {
    ++lineno;
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos)
      throw Error(where + ":" + std::to_string(lineno) + ": expected 'key = value', got '" + line +
                  "'");
    const std::string key = trim(line.substr(0, eq));
    if (key.empty()) throw Error(where + ":" + std::to_string(lineno) + ": no key before '='");
    if (kv.count(key))
      throw Error(where + ":" + std::to_string(lineno) + ": '" + key + "' given twice");
    kv[key] = trim(line.substr(eq + 1));
  }
  auto need = [&](const char* k) {
    const auto it = kv.find(k);
    if (it == kv.end() || it->second.empty()) throw Error(where + ": missing '" + k + "'");
    return it->second;
  };
  Board b;
  b.name = name;
  b.device = need("device");
  b.package = need("package");
  b.pll = need("pll");
  if (b.pll != "pad" && b.pll != "core" && b.pll != "none")
    throw Error(where + ": pll must be pad, core or none (got '" + b.pll + "')");
  b.osc_mhz = number(where, "osc_mhz", need("osc_mhz"), 1, 1000);
  b.freq_mhz = number(where, "freq_mhz", need("freq_mhz"), 1, 1000);
  const std::string led = need("led_active_low");
  if (led != "0" && led != "1")
    throw Error(where + ": led_active_low must be 0 or 1 (got '" + led + "')");
  b.led_active_low = led == "1";
  b.logic_cells = static_cast<int>(number(where, "logic_cells", need("logic_cells"), 1, 1e7));
  if (kv.count("openfpgaloader_board")) b.ofl_board = kv["openfpgaloader_board"];
  return b;
}

std::vector<std::string> board_names() {
  std::vector<std::string> v;
  const fs::path d = fs::path(fpga_dir()) / "boards";
  std::error_code ec;
  if (fs::is_directory(d, ec))
    for (const auto& e : fs::directory_iterator(d, ec))
      if (e.path().extension() == ".board") v.push_back(e.path().stem().string());
  std::sort(v.begin(), v.end());
  return v;
}

Board load_board(const std::string& name) {
  const fs::path dir = fs::path(fpga_dir()) / "boards";
  const fs::path file = dir / (name + ".board");
  const bool plain =
      !name.empty() && name.find_first_of("/\\") == std::string::npos && name[0] != '.';
  if (!plain || !fs::is_regular_file(file)) {
    std::string list;
    for (const auto& b : board_names()) list += (list.empty() ? "" : ", ") + b;
    throw Error("unknown board '" + name + "' (boards in " + dir.string() + ": " + list + ")");
  }
  Board b = parse_board(read_text(file.string()), name, file.string());
  const fs::path pcf = dir / (name + ".pcf");
  if (!fs::is_regular_file(pcf))
    throw Error("board '" + name + "' has no constraints file " + pcf.string());
  b.pcf = pcf.string();
  return b;
}

}  // namespace pbit::fpga

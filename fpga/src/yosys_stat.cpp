// yosys `stat` and log parsing (yosys_stat.hpp).
#include <pbit/error.hpp>
#include <pbit/fpga/yosys_stat.hpp>

#include <regex>
#include <sstream>

namespace pbit::fpga {

void Resources::add(const Resources& r, long k) {
  lut += k * r.lut, inv += k * r.inv, ff += k * r.ff, bram += k * r.bram, dsp += k * r.dsp;
  carry += k * r.carry, lutram += k * r.lutram, muxf += k * r.muxf;
}

void add_cell(Resources& s, const std::string& c, long n) {
  static const std::regex lut("LUT[1-6]"), xff("FD[CPRS]E(_1)?"), iff("SB_DFF[A-Z]*");
  auto starts = [&](const char* p) { return c.rfind(p, 0) == 0; };
  if (std::regex_match(c, lut) || c == "SB_LUT4")
    s.lut += n;
  else if (c == "INV")
    s.inv += n;
  else if (std::regex_match(c, xff) || std::regex_match(c, iff))
    s.ff += n;
  else if (starts("RAMB"))
    s.bram += c.find("18") != std::string::npos ? n : 2 * n;
  else if (starts("SB_RAM40"))
    s.bram += n;
  else if (starts("DSP") || c == "SB_MAC16")
    s.dsp += n;
  else if (starts("CARRY") || c == "SB_CARRY")
    s.carry += n;
  else if (starts("RAM32") || starts("RAM64") || starts("RAM128") || starts("RAM256") ||
           starts("SRL"))
    s.lutram += n;
  else if (starts("MUXF"))
    s.muxf += n;
}

YosysStat parse_yosys_stat(const std::string& text) {
  YosysStat r;
  std::string cur;
  bool hier = false, any_hier = false;
  std::istringstream in(text);
  const std::regex head("^=== (.*) ===\\s*$"), cell("^\\s+(\\S+)\\s+(\\d+)\\s*$");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, head)) {
      cur = m[1];
      hier = cur == "design hierarchy";
      any_hier = any_hier || hier;
      if (!hier) r.own[cur];  // a module without cells still counts
      continue;
    }
    if (cur.empty() || !std::regex_match(line, m, cell)) continue;
    const std::string c = m[1];
    long n = 0;
    try {
      n = std::stol(m[2]);
    } catch (const std::exception&) {
      throw Error("yosys stat: cell count out of range in '" + line + "'");
    }
    if (hier) {
      // The hierarchy section lists module instances (first appearance: under
      // their parent) and then the design's cells.
      if (r.own.count(c)) {
        if (!r.instances.count(c)) r.instances[c] = n;
      } else {
        add_cell(r.total, c, n);
      }
      continue;
    }
    add_cell(r.own[cur], c, n);
  }
  if (r.own.empty()) throw Error("yosys stat: no module found");
  if (!any_hier) {
    if (r.own.size() != 1)
      throw Error("yosys stat: several modules but no design hierarchy section");
    r.total = r.own.begin()->second;
    r.instances[r.own.begin()->first] = 1;
  }
  return r;
}

long last_cell_count(const std::string& stat, const std::string& cell) {
  const std::regex re("(^|\\s)" + cell + "\\s+(\\d+)");
  long v = 0;
  for (auto it = std::sregex_iterator(stat.begin(), stat.end(), re); it != std::sregex_iterator();
       ++it)
    v = std::stol((*it)[2]);
  return v;
}

std::map<std::string, int> derived_parameter(const std::string& log, const std::string& module,
                                             const std::string& param) {
  std::map<std::string, int> out;
  const std::regex pline("^Parameter \\\\" + param + " = (-?\\d+)$"),
      gen("^Generating RTLIL representation for module `(.*)'\\.$");
  int last = 0;
  bool have = false;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, pline)) {
      last = std::stoi(m[1]);
      have = true;
    } else if (std::regex_match(line, m, gen)) {
      const std::string name = m[1];
      if (have && name.find(module) != std::string::npos) out[name] = last;
      have = false;
    }
  }
  return out;
}

}  // namespace pbit::fpga

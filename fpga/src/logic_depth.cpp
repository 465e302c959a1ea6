// LUT levels of a mapped Xilinx netlist (logic_depth.hpp).
#include <pbit/error.hpp>
#include <pbit/fpga/logic_depth.hpp>

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <tuple>

namespace pbit::fpga {
namespace {

enum class Kind { Lut, Ram, Carry, Muxf, Wire, Seq };

bool starts(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

Kind kind_of(const std::string& t) {
  if (starts(t, "LUT")) return Kind::Lut;
  if (starts(t, "RAMB") || starts(t, "URAM") || starts(t, "FD") || starts(t, "LD") ||
      starts(t, "SRL") || starts(t, "DSP") || starts(t, "FIFO"))
    return Kind::Seq;
  if (starts(t, "RAM") || starts(t, "ROM")) return Kind::Ram;
  if (starts(t, "CARRY")) return Kind::Carry;
  if (starts(t, "MUXF")) return Kind::Muxf;
  return Kind::Wire;  // INV (absorbed into LUTs), IBUF, OBUF, BUFG, GND, VCC
}

// A distributed RAM's read address (its data, write enable and clock end paths).
bool ram_read_input(const std::string& port) {
  if (starts(port, "ADDR") || starts(port, "DPRA") || port == "A") return true;
  return port.size() > 1 && port[0] == 'A' && std::isdigit(static_cast<unsigned char>(port[1]));
}

// (LUT levels, carries, muxes): compared lexicographically.
using Depth = std::tuple<int, int, int>;

}  // namespace

LogicDepth logic_depth(const nlohmann::json& netlist, const std::string& top) {
  if (!netlist.contains("modules") || !netlist["modules"].contains(top))
    throw Error("logic depth: no module '" + top + "' in the netlist");
  const auto& cells = netlist["modules"][top]["cells"];
  struct Cell {
    std::string type;
    Kind kind;
    std::vector<int> preds;  // combinational cells driving its combinational inputs
    std::vector<int> succs;
  };
  std::vector<Cell> v;
  std::map<long, int> driver;  // net bit -> combinational cell driving it
  std::vector<std::vector<long>> ins;
  for (const auto& [name, c] : cells.items()) {
    const std::string type = c.value("type", "");
    if (!c.contains("port_directions"))
      throw Error("logic depth: cell " + name + " (" + type + ") has no port directions");
    Cell cell{type, kind_of(type), {}, {}};
    std::vector<long> in;
    const int idx = static_cast<int>(v.size());
    for (const auto& [port, bits] : c["connections"].items()) {
      const std::string dir = c["port_directions"].value(port, "");
      for (const auto& b : bits) {
        if (!b.is_number()) continue;  // a constant
        const long bit = b.get<long>();
        if (dir == "output") {
          if (cell.kind != Kind::Seq) driver[bit] = idx;
        } else if (cell.kind != Kind::Seq && (cell.kind != Kind::Ram || ram_read_input(port))) {
          in.push_back(bit);
        }
      }
    }
    v.push_back(std::move(cell));
    ins.push_back(std::move(in));
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    for (long bit : ins[i]) {
      const auto d = driver.find(bit);
      if (d == driver.end()) continue;  // a port, a flip-flop or a constant
      v[i].preds.push_back(d->second);
    }
    std::sort(v[i].preds.begin(), v[i].preds.end());
    v[i].preds.erase(std::unique(v[i].preds.begin(), v[i].preds.end()), v[i].preds.end());
    for (int p : v[i].preds) v[static_cast<std::size_t>(p)].succs.push_back(static_cast<int>(i));
  }
  // Longest path in topological order (Kahn).
  std::vector<int> pending(v.size()), from(v.size(), -1);
  std::vector<Depth> best(v.size(), Depth{0, 0, 0});
  std::deque<int> ready;
  for (std::size_t i = 0; i < v.size(); ++i) {
    pending[i] = static_cast<int>(v[i].preds.size());
    if (pending[i] == 0) ready.push_back(static_cast<int>(i));
  }
  std::size_t done = 0;
  int end = -1;
  while (!ready.empty()) {
    const int i = ready.front();
    ready.pop_front();
    ++done;
    auto& c = v[static_cast<std::size_t>(i)];
    Depth in{0, 0, 0};
    for (int p : c.preds)
      if (best[static_cast<std::size_t>(p)] > in) {
        in = best[static_cast<std::size_t>(p)];
        from[static_cast<std::size_t>(i)] = p;
      }
    auto& [l, k, m] = in;
    if (c.kind == Kind::Lut || c.kind == Kind::Ram) ++l;
    if (c.kind == Kind::Carry) ++k;
    if (c.kind == Kind::Muxf) ++m;
    best[static_cast<std::size_t>(i)] = in;
    if (c.kind != Kind::Seq && (end < 0 || in > best[static_cast<std::size_t>(end)])) end = i;
    for (int s : c.succs)
      if (--pending[static_cast<std::size_t>(s)] == 0) ready.push_back(s);
  }
  if (done != v.size()) throw Error("logic depth: the netlist of " + top + " has a combinational loop");
  LogicDepth r;
  if (end < 0) return r;
  std::tie(r.lut_levels, r.carry_cells, r.muxf_cells) = best[static_cast<std::size_t>(end)];
  for (int i = end; i >= 0; i = from[static_cast<std::size_t>(i)]) {
    const auto& c = v[static_cast<std::size_t>(i)];
    if (c.kind != Kind::Wire && c.kind != Kind::Seq) r.path.push_back(c.type);
  }
  std::reverse(r.path.begin(), r.path.end());
  return r;
}

}  // namespace pbit::fpga

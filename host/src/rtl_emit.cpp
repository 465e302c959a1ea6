// The RTL generator (rtl_emit.hpp): package, array wiring, LUT file, file list.
#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/regmap.hpp>
#include <pbit/rtl_emit.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pbit::rtl {
namespace {

namespace fs = std::filesystem;
namespace rm = regmap;

static_assert((rm::CELL_STRIDE & (rm::CELL_STRIDE - 1)) == 0, "CELL_STRIDE must be a power of two");
// The engine tells its windows by bit fields: each base a power of two, at
// least as large as its window.
static_assert((rm::CELL_BASE & (rm::CELL_BASE - 1)) == 0, "CELL_BASE must be a power of two");
static_assert((rm::STATE_BASE & (rm::STATE_BASE - 1)) == 0, "STATE_BASE must be a power of two");
static_assert((rm::LUT_BASE & (rm::LUT_BASE - 1)) == 0, "LUT_BASE must be a power of two");
static_assert(rm::STAT_AGREE + rm::kMaxDegree <= rm::CELL_STRIDE, "cell window overflows its stride");
static_assert(rm::COUPLING + rm::kMaxDegree <= rm::STAT_AGREE, "COUPLING slots overlap STAT_AGREE");

constexpr int log2_exact(std::uint32_t x) {
  int b = 0;
  while ((std::uint32_t{1} << b) < x) ++b;
  return b;
}
constexpr int kCellRegBits = log2_exact(rm::CELL_STRIDE);
// Cells the address space holds: CELL_BASE + n * CELL_STRIDE <= 2^kAddrBits.
constexpr std::uint64_t kMaxCells =
    ((std::uint64_t{1} << rm::kAddrBits) - rm::CELL_BASE) / rm::CELL_STRIDE;
static_assert(rm::state_words(kMaxCells) <= rm::STATE_BASE, "the STATES window outgrows its base");

std::string hex(std::uint64_t v, int digits) {
  digits = std::clamp(digits, 1, 16);  // a 64-bit word
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llx", digits, static_cast<unsigned long long>(v));
  return buf;
}
std::string bits(int lsb, int width) {
  return width == 1 ? "[" + std::to_string(lsb) + "]"
                    : "[" + std::to_string(lsb + width - 1) + ":" + std::to_string(lsb) + "]";
}

// ---- The register map, described once for the package and the docs.
struct Reg {
  const char* name;  // regmap.hpp name
  const char* sv;    // pbit_pkg localparam
  std::uint32_t addr;
  const char* access;
  std::string doc;
};

std::vector<Reg> global_regs() {
  namespace f = rm::field;
  return {
      {"ID", "RegId", rm::ID, "RO", "`0x" + hex(rm::kMagic, 8) + "` (\"PBIT\")"},
      {"VERSION", "RegVersion", rm::VERSION, "RO",
       "register map version (" + std::to_string(rm::kVersion) + ")"},
      {"NUM_CELLS", "RegNumCells", rm::NUM_CELLS, "RO", "p-bits in the array"},
      {"NUM_COLORS", "RegNumColors", rm::NUM_COLORS, "RO",
       "colour classes (phases, i.e. cycles, per chromatic sweep)"},
      {"GEOMETRY", "RegGeometry", rm::GEOMETRY, "RO",
       bits(f::GEOMETRY_MAX_DEGREE, 8) + " max degree (of the graph), " + bits(f::GEOMETRY_WEIGHT_BITS, 8) +
           " weight bits, " + bits(f::GEOMETRY_SUM_BITS, 8) + " sum bits, " +
           bits(f::GEOMETRY_LUT_BITS, 8) + " lut bits"},
      {"LUT_GEOMETRY", "RegLutGeometry", rm::LUT_GEOMETRY, "RO",
       bits(f::LUT_GEOMETRY_DEPTH, 16) + " lut depth, " + bits(f::LUT_GEOMETRY_SHIFT, 8) +
           " lut shift, " + bits(f::LUT_GEOMETRY_WRITABLE, 1) + " lut writable, " +
           bits(f::LUT_GEOMETRY_ASYNC, 1) + " async supported, " + bits(f::LUT_GEOMETRY_NO_STATS, 1) +
           " no statistics counters (STAT_* read 0; the host counts from the states), " +
           bits(f::LUT_GEOMETRY_GATED, 1) + " gated sum (the host writes OFFSET; FIELD is not kept), " +
           bits(f::LUT_GEOMETRY_WRITE_ONLY, 1) +
           " write-only cells (cell registers read 0: states via STATES, the host tracks RNG states)"},
      {"CTRL", "RegCtrl", rm::CTRL, "RW",
       bits(f::CTRL_SCHEDULE, 1) + " schedule (0 chromatic, 1 async), " +
           bits(f::CTRL_STATS_ENABLE, 1) + " stats enable, " + bits(f::CTRL_RNG_KIND, 1) +
           " rng kind (RO: 0 lfsr32, 1 xorshift32)"},
      {"COMMAND", "RegCommand", rm::COMMAND, "WO", "a command (below)"},
      {"SWEEPS_TARGET", "RegSweepsTarget", rm::SWEEPS_TARGET, "RW", "sweeps run by RUN_SWEEPS"},
      {"STATUS", "RegStatus", rm::STATUS, "RO",
       bits(f::STATUS_BUSY, 1) + " busy (running, or adding the last sweep to the statistics)"},
      {"SWEEP_COUNT_LO", "RegSweepCountLo", rm::SWEEP_COUNT_LO, "RO",
       "sweeps completed since RESET_COUNTERS, bits 31:0"},
      {"SWEEP_COUNT_HI", "RegSweepCountHi", rm::SWEEP_COUNT_HI, "RO", "bits 63:32 of it"},
      {"CYCLE_COUNT_LO", "RegCycleCountLo", rm::CYCLE_COUNT_LO, "RO",
       "clock cycles spent running since RESET_COUNTERS, bits 31:0"},
      {"CYCLE_COUNT_HI", "RegCycleCountHi", rm::CYCLE_COUNT_HI, "RO", "bits 63:32 of it"},
      {"STATS_SWEEPS", "RegStatsSweeps", rm::STATS_SWEEPS, "RO",
       "sweeps accumulated into the statistics since CLEAR_STATS"},
      {"ASYNC_PERIOD", "RegAsyncPeriod", rm::ASYNC_PERIOD, "RW",
       "async: cycles per sweep (0 acts as 1); reset value from the spec"},
      {"ASYNC_THRESHOLD", "RegAsyncThreshold", rm::ASYNC_THRESHOLD, "RW",
       "async: a cell updates in a cycle iff its fresh timer word < this (unsigned); "
       "reset value from the spec"},
      {"BUS_ERRORS", "RegBusErrors", rm::BUS_ERRORS, "RO", "ignored writes and unknown commands"},
      {"SWEEP_CYCLES", "RegSweepCycles", rm::SWEEP_CYCLES, "RO",
       "clock cycles of one chromatic sweep: NUM_COLORS for the arrays, the lane's count for the graph for the "
       "engine (`--arch engine`)"},
  };
}

std::vector<Reg> cell_regs() {
  namespace f = rm::field;
  const std::string slots = "s < degree";
  return {
      {"FIELD", "CellRegField", rm::FIELD, "RW", "h (weight bits, two's complement; sign-extended on read)"},
      {"CLAMP", "CellRegClamp", rm::CLAMP, "RW",
       bits(f::CLAMP_ENABLE, 1) + " clamp enable, " + bits(f::CLAMP_VALUE, 1) +
           " clamp value (1 = +1); the state follows at once"},
      {"RNG_STATE", "CellRegRngState", rm::RNG_STATE, "RW",
       "sample RNG state (write = seed, nonzero); advances once per update"},
      {"TIMER_STATE", "CellRegTimerState", rm::TIMER_STATE, "RW",
       "async timer RNG state (nonzero); advances every async cycle (reads 0, writes ignored "
       "without async support)"},
      {"STATE", "CellRegState", rm::STATE, "RW", "[0] state (1 = +1)"},
      {"STAT_PLUS", "CellRegStatPlus", rm::STAT_PLUS, "RO",
       "sweeps (stats enabled) that ended with this p-bit at +1"},
      {"OFFSET", "CellRegOffset", rm::OFFSET, "WO",
       "gated-sum builds (LUT_GEOMETRY.gated, `--arch lean`): h - sum_s J_s of the CSR couplings "
       "(spec.hpp `gated_sum_offset`), two's complement (the array keeps the low bits it needs); "
       "other builds: unmapped (writes are bus errors)"},
      {"COUPLING + s", "CellRegCoupling", rm::COUPLING, "RW",
       "J of neighbour slot s (" + slots +
           "; slots = neighbours in ascending index order), sign-extended on read; write-only "
           "cells (the lean array): write all slots 0..degree-1 of a cell before another cell's"},
      {"STAT_AGREE + s", "CellRegStatAgree", rm::STAT_AGREE, "RO",
       "sweeps (stats enabled) that ended with m = m(neighbour s); kept only for neighbours with "
       "a greater index (each edge once), others read 0"},
  };
}

struct Cmd {
  const char* name;
  const char* sv;
  std::uint32_t value;
  const char* doc;
};
std::vector<Cmd> commands() {
  return {
      {"RUN_SWEEPS", "CmdRunSweeps", rm::RUN_SWEEPS, "run SWEEPS_TARGET sweeps (0: nothing)"},
      {"RUN_FREE", "CmdRunFree", rm::RUN_FREE, "run until STOP"},
      {"STOP", "CmdStop", rm::STOP, "stop at the end of the current sweep (idle: nothing)"},
      {"CLEAR_STATS", "CmdClearStats", rm::CLEAR_STATS,
       "zero every statistics counter and STATS_SWEEPS"},
      {"RESET_COUNTERS", "CmdResetCounters", rm::RESET_COUNTERS,
       "zero SWEEP_COUNT and CYCLE_COUNT"},
  };
}

struct Field {
  const char* sv;
  int value;
};
std::vector<Field> fields() {
  namespace f = rm::field;
  return {{"CtrlScheduleBit", f::CTRL_SCHEDULE},
          {"CtrlStatsEnableBit", f::CTRL_STATS_ENABLE},
          {"CtrlRngKindBit", f::CTRL_RNG_KIND},
          {"StatusBusyBit", f::STATUS_BUSY},
          {"GeometryMaxDegreeLsb", f::GEOMETRY_MAX_DEGREE},
          {"GeometryWeightBitsLsb", f::GEOMETRY_WEIGHT_BITS},
          {"GeometrySumBitsLsb", f::GEOMETRY_SUM_BITS},
          {"GeometryLutBitsLsb", f::GEOMETRY_LUT_BITS},
          {"LutGeometryDepthLsb", f::LUT_GEOMETRY_DEPTH},
          {"LutGeometryShiftLsb", f::LUT_GEOMETRY_SHIFT},
          {"LutGeometryWritableBit", f::LUT_GEOMETRY_WRITABLE},
          {"LutGeometryAsyncBit", f::LUT_GEOMETRY_ASYNC},
          {"LutGeometryNoStatsBit", f::LUT_GEOMETRY_NO_STATS},
          {"LutGeometryGatedBit", f::LUT_GEOMETRY_GATED},
          {"LutGeometryWriteOnlyBit", f::LUT_GEOMETRY_WRITE_ONLY},
          {"ClampEnableBit", f::CLAMP_ENABLE},
          {"ClampValueBit", f::CLAMP_VALUE}};
}

int max_degree(const Program& prog) {
  std::uint32_t d = 0;
  for (std::uint32_t i = 0; i < prog.n; ++i) d = std::max(d, prog.offsets[i + 1] - prog.offsets[i]);
  return static_cast<int>(d);
}

int cell_idx_bits(std::uint32_t n) { return n > 1 ? log2_exact(n) : 1; }

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Error("cannot write " + path.string());
  out << text;
  out.close();
  if (!out) throw Error("cannot write " + path.string());
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::string default_rtl_dir() {
  if (const char* env = std::getenv("PBIT_RTL_DIR"); env && *env) return env;
  // The source tree this library was built from (a compile definition, not
  // __FILE__, which compiler caches and relative builds rewrite).
  return (fs::path(PBIT_SOURCE_DIR) / "rtl").string();
}

std::vector<std::string> hand_written_files(const std::string& rtl_dir) {
  const fs::path dir = fs::absolute(rtl_dir);
  const fs::path list = dir / "files.f";
  std::ifstream in(list);
  if (!in)
    throw Error("hand-written RTL not found: cannot read " + list.string() +
                " (give --rtl-dir or set PBIT_RTL_DIR)");
  std::vector<std::string> files;
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line.rfind("//", 0) == 0) continue;
    const fs::path p = (dir / line).lexically_normal();
    if (!fs::is_regular_file(p)) throw Error(list.string() + " lists a missing file: " + p.string());
    files.push_back(p.string());
  }
  if (files.empty()) throw Error(list.string() + " lists no files");
  return files;
}

void check_emittable(const Program& prog, const graphs::Graph& g) {
  prog.spec.validate();
  if (prog.n == 0) throw Error("cannot emit an array without p-bits");
  if (prog.n != g.num_nodes() || prog.offsets != g.adj_offsets() || prog.nbr != g.adj())
    throw Error("the program was not compiled for graph " + g.spec());
  if (prog.n > kMaxCells)
    throw Error("graph " + g.spec() + " has " + std::to_string(prog.n) +
                " nodes; the register map addresses at most " + std::to_string(kMaxCells));
  for (std::uint32_t i = 0; i < prog.n; ++i) {
    const std::uint32_t d = prog.offsets[i + 1] - prog.offsets[i];
    if (d > static_cast<std::uint32_t>(rm::kMaxDegree))
      throw Error("node " + std::to_string(g.label(i)) + " of " + g.spec() + " has degree " +
                  std::to_string(d) + "; a cell has " + std::to_string(rm::kMaxDegree) +
                  " coupling slots (regmap::kMaxDegree)");
  }
  if (prog.num_colors < 1 || prog.num_colors > kMaxColors)
    throw Error("the colouring has " + std::to_string(prog.num_colors) + " colours; the RTL supports 1.." +
                std::to_string(kMaxColors));
  if (prog.color.size() != prog.n) throw Error("the program has no colour per node");
  for (int c : prog.color)
    if (c < 0 || c >= prog.num_colors) throw Error("colour out of range in the program");
  if (prog.lut.size() != static_cast<std::size_t>(prog.spec.lut_depth))
    throw Error("the program's LUT does not have lut_depth entries");
}

const char* to_string(Arch a) {
  switch (a) {
    case Arch::Engine: return "engine";
    case Arch::Lean: return "lean";
    case Arch::Full: break;
  }
  return "full";
}

Arch parse_arch(const std::string& s) {
  if (s == "full") return Arch::Full;
  if (s == "engine") return Arch::Engine;
  if (s == "lean") return Arch::Lean;
  throw Error("unknown architecture '" + s + "' (known: full, engine, lean)");
}

const char* top_module(Arch a) {
  switch (a) {
    case Arch::Engine: return "pbit_engine_top";
    case Arch::Lean: return "pbit_lean_top";
    case Arch::Full: break;
  }
  return "pbit_top";
}

const char* arch_dir(Arch a) {
  switch (a) {
    case Arch::Engine: return "/engine";
    case Arch::Lean: return "/lean";
    case Arch::Full: break;
  }
  return "";
}

void check_arch_spec(Arch a, const NumericSpec& spec) {
  if (a == Arch::Full) return;
  if (spec.schedule != Schedule::Chromatic)
    throw Error(std::string("the ") + to_string(a) +
                " architecture has only the chromatic schedule (--schedule chromatic)");
}

LeanGroups lean_groups(const Program& prog) {
  LeanGroups lg;
  lg.members = prog.num_colors;
  // Each colour's cells, largest degree first (so a group's members have
  // similar degrees and few slots go unused), then by index.
  std::vector<std::vector<std::int32_t>> by_color(static_cast<std::size_t>(prog.num_colors));
  for (std::uint32_t i = 0; i < prog.n; ++i)
    by_color[static_cast<std::size_t>(prog.color[i])].push_back(static_cast<std::int32_t>(i));
  std::size_t groups = 0;
  for (auto& v : by_color) {
    std::stable_sort(v.begin(), v.end(), [&](std::int32_t a, std::int32_t b) {
      return prog.offsets[a + 1] - prog.offsets[a] > prog.offsets[b + 1] - prog.offsets[b];
    });
    groups = std::max(groups, v.size());
  }
  lg.member.assign(groups, std::vector<std::int32_t>(static_cast<std::size_t>(prog.num_colors), -1));
  for (std::size_t k = 0; k < by_color.size(); ++k)
    for (std::size_t g = 0; g < by_color[k].size(); ++g) lg.member[g][k] = by_color[k][g];
  return lg;
}

EngineTables engine_tables(const Program& prog) {
  EngineTables t;
  const int dmax = max_degree(prog);
  t.slot_bits = std::max(1, log2_exact(static_cast<std::uint32_t>(std::max(dmax, 1))));
  t.deg_bits = std::max(1, log2_exact(static_cast<std::uint32_t>(dmax) + 1));
  const int ib = cell_idx_bits(prog.n);
  const int order_digits = (t.deg_bits + ib + 3) / 4, idx_digits = (ib + 3) / 4, deg_digits = (t.deg_bits + 3) / 4;
  std::vector<std::uint32_t> order(prog.n);
  for (std::uint32_t i = 0; i < prog.n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return prog.color[a] < prog.color[b]; });
  std::ostringstream o, n, d;
  for (std::uint32_t i : order) {
    const std::uint64_t deg = prog.offsets[i + 1] - prog.offsets[i];
    o << hex((deg << ib) | i, order_digits) << "\n";
  }
  const std::uint32_t slots = 1u << t.slot_bits;
  for (std::uint32_t i = 0; i < prog.n; ++i) {
    const std::uint32_t b = prog.offsets[i], deg = prog.offsets[i + 1] - b;
    for (std::uint32_t s = 0; s < slots; ++s) n << hex(s < deg ? prog.nbr[b + s] : 0, idx_digits) << "\n";
    d << hex(deg, deg_digits) << "\n";
  }
  t.order = o.str();
  t.nbr = n.str();
  t.deg = d.str();
  return t;
}

std::optional<EnginePegasus> engine_pegasus(const graphs::Graph& g) {
  if (g.family() != graphs::Family::Pegasus || g.params().empty()) return std::nullopt;
  EnginePegasus p;
  p.m = g.params().at(0);
  p.offsets0 = graphs::pegasus_offsets(0);
  p.offsets1 = graphs::pegasus_offsets(1);
  // As graphs/ (fabric_only): vertical tracks are bounded by the horizontal
  // offsets and vice versa.
  p.fabric_start0 = *std::min_element(p.offsets1.begin(), p.offsets1.end());
  p.fabric_end0 = 12 - *std::max_element(p.offsets1.begin(), p.offsets1.end());
  p.fabric_start1 = *std::min_element(p.offsets0.begin(), p.offsets0.end());
  p.fabric_end1 = 12 - *std::max_element(p.offsets0.begin(), p.offsets0.end());
  return p;
}

namespace {

// The RTL's rule (pbit_engine_pegasus.sv), step by step.
struct PegasusRule {
  const EnginePegasus& p;
  int offset(int u, int k) const { return (u ? p.offsets1 : p.offsets0)[static_cast<std::size_t>(k)]; }
  bool in_fabric(int u, int w, int k) const {
    if (w == 0 && k < (u ? p.fabric_start1 : p.fabric_start0)) return false;
    if (w == p.m - 1 && k >= 12 - (u ? p.fabric_end1 : p.fabric_end0)) return false;
    return true;
  }
  std::int64_t index(int u, int w, int k, int z) const {
    const int skip = u ? p.fabric_start0 + p.fabric_end0 + p.fabric_start1 : p.fabric_start0;
    return ((std::int64_t{u} * p.m + w) * 12 + k - skip) * (p.m - 1) + z;
  }
};

}  // namespace

std::vector<std::array<std::int32_t, kEnginePegasusCandidates>> engine_pegasus_candidates(
    const EnginePegasus& p) {
  const PegasusRule r{p};
  const int m = p.m;
  std::vector<std::array<std::int32_t, kEnginePegasusCandidates>> out;
  for (int u = 0; u < 2; ++u)
    for (int w = 0; w < m; ++w)
      for (int k = 0; k < 12; ++k) {
        if (!r.in_fabric(u, w, k)) continue;
        for (int z = 0; z + 1 < m; ++z) {
          const auto me = static_cast<std::int32_t>(r.index(u, w, k, z));
          const std::int32_t below = z > 0 ? me - 1 : -1, above = z < m - 2 ? me + 1 : -1;
          const std::array<std::int32_t, 3> own =
              k % 2 == 0 ? std::array<std::int32_t, 3>{below, above, me + (m - 1)}
                         : std::array<std::int32_t, 3>{me - (m - 1), below, above};
          std::array<std::int32_t, 12> inner{};
          const int s = r.offset(u, k);
          for (int i = 0; i < 12; ++i) {
            const int kk = (s + i) % 12;
            const int wp = z + (kk < s ? 1 : 0), zp = w - (k < r.offset(1 - u, kk) ? 1 : 0);
            const bool ok = zp >= 0 && zp <= m - 2 && r.in_fabric(1 - u, wp, kk);
            inner[static_cast<std::size_t>(i)] = ok ? static_cast<std::int32_t>(r.index(1 - u, wp, kk, zp)) : -1;
          }
          std::array<std::int32_t, kEnginePegasusCandidates> c{};
          std::size_t n = 0;
          if (u == 0)
            for (auto x : own) c[n++] = x;
          for (auto x : inner) c[n++] = x;
          if (u == 1)
            for (auto x : own) c[n++] = x;
          if (static_cast<std::size_t>(me) != out.size())
            throw Error("engine_pegasus_candidates: compact index out of order");
          out.push_back(c);
        }
      }
  return out;
}

std::vector<std::uint32_t> engine_pegasus_order(const EnginePegasus& p) {
  const PegasusRule r{p};
  std::vector<std::uint32_t> order;
  for (int color = 0; color < 4; ++color) {
    const int u = color / 2, parity = color % 2;
    for (int w = 0; w < p.m; ++w)
      for (int k = 0; k < 12; ++k) {
        if (!r.in_fabric(u, w, k)) continue;
        for (int z = (parity + k) % 2; z <= p.m - 2; z += 2)
          order.push_back(static_cast<std::uint32_t>(r.index(u, w, k, z)));
      }
  }
  return order;
}

void check_engine_pegasus(const EnginePegasus& p, const Program& prog) {
  const auto cand = engine_pegasus_candidates(p);
  if (cand.size() != prog.n)
    throw Error("engine: the Pegasus rule gives " + std::to_string(cand.size()) + " p-bits, the graph has " +
                std::to_string(prog.n));
  for (std::uint32_t c = 0; c < prog.n; ++c) {
    std::vector<std::uint32_t> got;
    for (auto x : cand[c])
      if (x >= 0) got.push_back(static_cast<std::uint32_t>(x));
    const std::vector<std::uint32_t> want(prog.nbr.begin() + prog.offsets[c], prog.nbr.begin() + prog.offsets[c + 1]);
    if (got != want)
      throw Error("engine: the Pegasus rule's neighbours of p-bit " + std::to_string(c) +
                  " differ from the graph's");
  }
  const auto order = engine_pegasus_order(p);
  std::vector<char> seen(prog.n, 0);
  int last = 0;
  for (auto c : order) {
    if (c >= prog.n || seen[c]) throw Error("engine: the Pegasus order repeats or leaves p-bit " + std::to_string(c));
    seen[c] = 1;
    if (prog.color[c] < last) throw Error("engine: the Pegasus order is not colour by colour");
    last = prog.color[c];
  }
  if (order.size() != prog.n) throw Error("engine: the Pegasus order misses p-bits");
}

std::uint64_t engine_sweep_cycles(const Program& prog, const graphs::Graph& g) {
  // pbit_engine_core's lane cycle by cycle: a candidate a cycle (stage 0),
  // then stages 1 and 2; a p-bit's tail (stages 3 and 4) after its last one.
  // The next p-bit starts (its candidate 0) once the current one's candidates
  // are all presented and the graph has its entry, not while stage 4 writes an
  // RNG state, and only into an empty pipeline unless it has the same colour
  // (the ROMs know no colours: always into an empty pipeline).
  const auto peg = engine_pegasus(g);
  struct Pos {
    int col = 0, w = 0, k = 0, z = 0;
  };
  std::optional<PegasusRule> r;
  if (peg) r.emplace(PegasusRule{*peg});
  const int m = peg ? peg->m : 0;
  const auto ok = [&](const Pos& p) { return r->in_fabric(p.col / 2, p.w, p.k) && p.z <= m - 2; };
  const auto next = [&](Pos p) {
    if (p.z + 2 <= m - 2) {
      p.z += 2;
      return p;
    }
    if (p.k == 11) {
      p.k = 0;
      if (p.w == m - 1) {
        p.w = 0;
        p.col = (p.col + 1) % 4;
      } else {
        ++p.w;
      }
    } else {
      ++p.k;
    }
    p.z = (p.col ^ p.k) & 1;
    return p;
  };
  // The graph: the entry (valid, its colour and candidates) and, for
  // Pegasus, the lookahead (pbit_engine_pegasus); the ROMs always have one.
  Pos la, at;
  bool ent = !peg, fresh = false;
  std::uint32_t rom_pos = 0;
  const auto edge = [&](bool advance) {  // one clock edge of the graph
    if (!peg) {
      if (advance) ++rom_pos;
      return;
    }
    const bool la_ok = ok(la), take = (advance || !ent) && la_ok && fresh;
    if (take) at = la;
    const bool moved = take || !la_ok;
    if (moved) la = next(la);
    fresh = !moved;  // its index is registered the cycle after it moved
    ent = (ent && !advance) || take;
  };
  std::vector<std::uint32_t> rom_order;
  if (!peg) {
    for (std::uint32_t i = 0; i < prog.n; ++i) rom_order.push_back(i);
    std::stable_sort(rom_order.begin(), rom_order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return prog.color[a] < prog.color[b]; });
  }
  const auto ent_ncand = [&]() -> std::uint32_t {
    if (peg) return kEnginePegasusCandidates;
    const std::uint32_t c = rom_order[rom_pos];
    return prog.offsets[c + 1] - prog.offsets[c];
  };
  const bool overlap = peg.has_value();
  std::uint64_t n = 1;  // Idle (start)
  std::uint32_t issued = 0, written = 0, j = 0, ncnt = 0;
  int col = 0;
  bool p1 = false, p2 = false, l1 = false, l2 = false, t3 = false, t4 = false;
  for (;;) {
    ++n;
    const bool busy = p1 || p2 || t3 || t4;
    bool present = false, last = false;
    if (j != ncnt) {
      present = true;
      last = j + 1 == ncnt;
      ++j;
    } else if (issued < prog.n && ent && !t4 && !(busy && !(overlap && at.col == col))) {
      ncnt = std::max<std::uint32_t>(ent_ncand(), 1);
      col = at.col;
      present = true;
      last = ncnt == 1;
      j = 1;
      ++issued;
    }
    bool done = false;
    if (t4) {
      if (written + 1 == prog.n) done = true;
      ++written;
    }
    t4 = t3;
    t3 = p2 && l2;
    p2 = p1;
    l2 = l1;
    p1 = present;
    l1 = last;
    edge(last);
    if (done) break;
  }
  return n;
}

int engine_spram_banks(const Program& prog) {
  constexpr std::uint64_t kBank = 16384;
  const std::uint64_t stride = static_cast<std::uint64_t>(std::max(max_degree(prog), 1));
  const std::uint64_t per_word = prog.spec.weight_bits <= 8 ? 2 : 1;
  const std::uint64_t j_words = (prog.n * stride + per_word - 1) / per_word;
  return static_cast<int>((j_words + kBank - 1) / kBank + 2 * ((prog.n + kBank - 1) / kBank));
}

std::string emit_pkg(const Program& prog, const graphs::Graph& g, const std::string& lut_file, Arch arch,
                     const std::string& mem_dir) {
  check_emittable(prog, g);
  if (lut_file.find_first_of("\"\\\n") != std::string::npos)
    throw Error("the LUT file path cannot be written into SystemVerilog: " + lut_file);
  if (mem_dir.find_first_of("\"\\\n") != std::string::npos)
    throw Error("the ROM directory path cannot be written into SystemVerilog: " + mem_dir);
  const NumericSpec& s = prog.spec;
  const int ab = rm::kAddrBits;
  std::ostringstream o;
  o << "// GENERATED by `pbit rtl emit` (host/src/rtl_emit.cpp) from graph " << g.spec()
    << " and the numeric spec; do not edit.\n"
    << "// beta " << prog.beta << " (" << to_string(s.beta_mode) << " mode), frac bits "
    << s.frac_bits << ", schedule " << to_string(s.schedule) << ", rng " << to_string(s.rng) << ".\n"
    << "`default_nettype none\n"
    << "package pbit_pkg;\n"
    << "  // ---- the design (graph and numeric spec, host/include/pbit/spec.hpp)\n"
    << "  localparam int NumCells = " << prog.n << ";\n"
    << "  localparam int CellIdxBits = " << cell_idx_bits(prog.n) << ";\n"
    << "  localparam int NumColors = " << prog.num_colors << ";\n"
    << "  localparam int MaxDegree = " << max_degree(prog) << ";\n"
    << "  localparam int WeightBits = " << s.weight_bits << ";\n"
    << "  localparam int FracBits = " << s.frac_bits << ";\n"
    << "  localparam int SumBits = " << s.sum_bits << ";\n"
    << "  localparam int LutDepth = " << s.lut_depth << ";\n"
    << "  localparam int LutShift = " << s.lut_shift << ";\n"
    << "  localparam int LutBits = " << s.lut_bits << ";\n"
    << "  localparam int RngKind = " << (s.rng == RngKind::Lfsr32 ? 0 : 1) << ";  // 0 lfsr32, 1 xorshift32\n"
    << "  localparam int StatBits = " << kStatBits << ";\n"
    << "  localparam bit ScheduleReset = 1'b" << (s.schedule == Schedule::Async ? 1 : 0)
    << ";  // CTRL.schedule after reset: 0 chromatic, 1 async\n"
    << "  localparam logic [31:0] AsyncPeriodReset = 32'd" << s.async_period << ";\n"
    << "  localparam logic [31:0] AsyncThresholdReset = 32'h" << hex(s.async_threshold(), 8) << ";\n"
    << "  localparam logic [31:0] RngResetValue = 32'h" << hex(kRngResetValue, 8) << ";\n"
    << "  localparam LutFile = \"" << lut_file << "\";\n"
    << "\n  // ---- the register map (host/include/pbit/regmap.hpp)\n"
    << "  localparam int AddrBits = " << ab << ";\n"
    << "  localparam logic [31:0] Magic = 32'h" << hex(rm::kMagic, 8) << ";\n"
    << "  localparam logic [31:0] Version = 32'd" << rm::kVersion << ";\n";
  const int ad = (ab + 3) / 4;
  for (const auto& r : global_regs())
    o << "  localparam logic [AddrBits-1:0] " << r.sv << " = " << ab << "'h" << hex(r.addr, ad)
      << ";  // " << r.access << "\n";
  o << "  localparam logic [AddrBits-1:0] LutBase = " << ab << "'h" << hex(rm::LUT_BASE, ad) << ";\n"
    << "  localparam logic [AddrBits-1:0] StateBase = " << ab << "'h" << hex(rm::STATE_BASE, ad) << ";\n"
    << "  localparam logic [AddrBits-1:0] CellBase = " << ab << "'h" << hex(rm::CELL_BASE, ad) << ";\n"
    << "  localparam int CellStride = " << rm::CELL_STRIDE << ";\n"
    << "  localparam int CellRegBits = " << kCellRegBits << ";\n"
    << "  localparam int MaxSlots = " << rm::kMaxDegree << ";\n";
  for (const auto& r : cell_regs())
    o << "  localparam logic [CellRegBits-1:0] " << r.sv << " = " << kCellRegBits << "'d" << r.addr
      << ";  // " << r.access << "\n";
  for (const auto& c : commands())
    o << "  localparam logic [31:0] " << c.sv << " = 32'd" << c.value << ";\n";
  for (const auto& f : fields()) o << "  localparam int " << f.sv << " = " << f.value << ";\n";
  if (arch == Arch::Engine) {
    const EngineTables t = engine_tables(prog);
    o << "\n  // ---- the engine (rtl/engine): coupling slots per cell 2^EngineSlotBits, ROM files\n"
      << "  localparam int EngineSlotBits = " << t.slot_bits << ";\n"
      << "  localparam int EngineDegBits = " << t.deg_bits << ";\n"
      << "  localparam EngineOrderFile = \"" << mem_dir << "/pbit_engine_order.mem\";\n"
      << "  localparam EngineNbrFile = \"" << mem_dir << "/pbit_engine_nbr.mem\";\n"
      << "  localparam EngineDegFile = \"" << mem_dir << "/pbit_engine_deg.mem\";\n";
    // The graph from the Pegasus coordinates (no order or neighbour ROM).
    const auto peg = engine_pegasus(g);
    if (peg) check_engine_pegasus(*peg, prog);
    const EnginePegasus p = peg.value_or(EnginePegasus{2, {}, {}, 0, 0, 0, 0});
    const auto offsets = [](const std::array<int, 12>& a) {
      std::uint64_t v = 0;
      for (int k = 11; k >= 0; --k) v = (v << 4) | static_cast<std::uint64_t>(a[static_cast<std::size_t>(k)] & 15);
      return "48'h" + hex(v, 12);
    };
    o << "  localparam logic [31:0] EngineSweepCycles = 32'd" << engine_sweep_cycles(prog, g)
      << ";  // SWEEP_CYCLES: clock cycles of a sweep\n";
    o << "  // pegasus:M from the coordinates (1), or the ROMs above (0); pbit_engine_pegasus\n"
      << "  localparam int EngineNbrKind = " << (peg ? 1 : 0) << ";\n"
      << "  localparam int PegasusM = " << p.m << ";\n"
      << "  localparam logic [47:0] PegasusOffsets0 = " << offsets(p.offsets0) << ";  // S0[k] at [4k +: 4]\n"
      << "  localparam logic [47:0] PegasusOffsets1 = " << offsets(p.offsets1) << ";\n"
      << "  localparam int PegasusFabricStart0 = " << p.fabric_start0 << ";\n"
      << "  localparam int PegasusFabricEnd0 = " << p.fabric_end0 << ";\n"
      << "  localparam int PegasusFabricStart1 = " << p.fabric_start1 << ";\n"
      << "  localparam int PegasusFabricEnd1 = " << p.fabric_end1 << ";\n";
  }
  o << "endpackage\n";
  return o.str();
}

std::string emit_array(const Program& prog, const graphs::Graph& g) {
  check_emittable(prog, g);
  std::ostringstream o;
  o << "// GENERATED by `pbit rtl emit` (host/src/rtl_emit.cpp) from graph " << g.spec()
    << "; do not edit.\n"
       "// One pbit_cell per node (compact index c = u_cell_c), wired to exactly its\n"
       "// neighbours in CSR slot order (nbr_i[s] = state of the s-th neighbour in\n"
       "// ascending index order, the slot of COUPLING + s), its colour's phase enable\n"
       "// and its degree. Weights are written over the register bus.\n"
       "`default_nettype none\n"
       "module pbit_array #(\n"
       "  parameter bit Stats = 1'b1,      // [0,1] statistics counters\n"
       "  parameter bit Async = 1'b1,      // [0,1] async schedule (timer RNGs)\n"
       "  parameter bit CellClocks = 1'b0  // [0,1] each cell on its own clock while running\n"
       ") (\n"
       "  input  wire logic                                         clk_i,\n"
       "  input  wire logic                                         rst_ni,\n"
       "  input  wire logic [pbit_pkg::NumCells-1:0]                cell_clk_i,\n"
       "  input  wire logic                                         run_i,\n"
       "  input  wire logic [pbit_pkg::NumColors-1:0]               phase_en_i,\n"
       "  input  wire logic                                         async_en_i,\n"
       "  input  wire logic [31:0]                                  async_threshold_i,\n"
       "  input  wire logic                                         stat_acc_i,\n"
       "  input  wire logic                                         stat_clr_i,\n"
       "  input  wire logic [pbit_pkg::LutDepth*pbit_pkg::LutBits-1:0] lut_i,\n"
       "  input  wire logic                                         cell_we_i,\n"
       "  input  wire logic [pbit_pkg::CellIdxBits-1:0]             cell_idx_i,\n"
       "  input  wire logic [pbit_pkg::CellRegBits-1:0]             cell_reg_i,\n"
       "  input  wire logic [31:0]                                  cell_wdata_i,\n"
       "  output      logic [31:0]                                  cell_rdata_o,\n"
       "  output      logic                                         cell_wok_o,\n"
       "  output      logic [pbit_pkg::NumCells-1:0]                state_o\n"
       ");\n"
       "  localparam int IdxBits = pbit_pkg::CellIdxBits;\n"
       "\n"
       "  // One state, read-data and writable net per cell (no N-bit vectors with N\n"
       "  // drivers, which simulators handle slowly). The register read passes on\n"
       "  // the selected cell's answer (a case on the index: a simulator does not\n"
       "  // visit every cell for it, as it would for an OR over all answers).\n";
  const auto decl = [&](const char* type, const char* prefix) {
    for (std::uint32_t i = 0; i < prog.n; ++i)
      o << (i % 8 == 0 ? std::string("  ") + type + " " : std::string()) << prefix << i
        << (i + 1 == prog.n || i % 8 == 7 ? ";\n" : ", ");
  };
  decl("logic", "s_");
  decl("logic", "wok_");
  decl("logic [31:0]", "rd_");
  // One statement per 32-bit word, in one process: Verilator merges continuous
  // assignments into one N-bit concatenation, which costs O(N^2 / 32) word
  // copies per cycle (pegasus:14: ~150k).
  o << "\n  always_comb begin\n";
  for (std::uint32_t w = 0; w * 32 < prog.n; ++w) {
    const std::uint32_t lo = w * 32, hi = std::min(prog.n, lo + 32) - 1;
    o << "    state_o[" << hi << ":" << lo << "] = {";
    for (std::uint32_t i = hi + 1; i-- > lo;) o << "s_" << i << (i == lo ? "};\n" : ", ");
  }
  o << "  end\n";
  o << "\n  always_comb begin\n"
       "    cell_rdata_o = '0;\n"
       "    cell_wok_o = 1'b0;\n"
       "    case (cell_idx_i)\n";
  for (std::uint32_t i = 0; i < prog.n; ++i)
    o << "      IdxBits'(" << i << "): begin cell_rdata_o = rd_" << i << "; cell_wok_o = wok_" << i
      << "; end\n";
  o << "      default: ;\n"
       "    endcase\n"
       "  end\n";
  for (std::uint32_t i = 0; i < prog.n; ++i) {
    const std::uint32_t b = prog.offsets[i], e = prog.offsets[i + 1], d = e - b;
    o << "\n  // cell " << i << " = node " << g.label(i) << ", colour " << prog.color[i];
    if (d == 0) o << ", no neighbours\n";
    else {
      o << ", neighbours";
      for (std::uint32_t k = b; k < e; ++k) o << ' ' << prog.nbr[k];
      o << "\n";
    }
    std::string mask, nbrs;
    if (d == 0) {
      mask = "1'b0";
      nbrs = "1'b0";
    } else {
      mask = std::to_string(d) + "'b";
      nbrs = "{";
      for (std::uint32_t k = e; k-- > b;) {
        mask += prog.nbr[k] > i ? '1' : '0';
        nbrs += "s_" + std::to_string(prog.nbr[k]) + (k > b ? ", " : "}");
      }
    }
    const std::string c = std::to_string(i);
    o << "  pbit_cell #(\n"
         "    .Degree(" << d << "), .WeightBits(pbit_pkg::WeightBits), .SumBits(pbit_pkg::SumBits),\n"
         "    .LutDepth(pbit_pkg::LutDepth), .LutShift(pbit_pkg::LutShift), .LutBits(pbit_pkg::LutBits),\n"
         "    .RngKind(pbit_pkg::RngKind), .StatBits(pbit_pkg::StatBits), .Stats(Stats), .Async(Async),\n"
         "    .CellClock(CellClocks), .RngResetValue(pbit_pkg::RngResetValue)\n"
         "  ) u_cell_" << c << " (\n"
         "    .clk_i, .rst_ni, .cell_clk_i(cell_clk_i[" << c << "]), .run_i,\n"
         "    .upd_phase_i(phase_en_i[" << prog.color[i] << "]), .async_en_i, .async_threshold_i,\n"
         "    .stat_acc_i, .stat_clr_i, .agree_mask_i(" << mask << "),\n"
         "    .nbr_i(" << nbrs << "),\n"
         "    .lut_i, .sel_i(cell_idx_i == IdxBits'(" << c << ")), .we_i(cell_we_i), .reg_i(cell_reg_i),\n"
         "    .wdata_i(cell_wdata_i), .rdata_o(rd_" << c << "), .wok_o(wok_" << c << "), .state_o(s_" << c << ")\n"
         "  );\n";
  }
  o << "endmodule\n";
  return o.str();
}

std::string emit_lean_array(const Program& prog, const graphs::Graph& g) {
  check_emittable(prog, g);
  check_arch_spec(Arch::Lean, prog.spec);
  const LeanGroups lg = lean_groups(prog);
  const int members = lg.members;
  std::ostringstream o;
  o << "// GENERATED by `pbit rtl emit --arch lean` (host/src/rtl_emit.cpp) from graph " << g.spec()
    << "; do not edit.\n"
       "// The p-bits in pbit_group's of " << members << " members, member k = the group's p-bit of\n"
       "// colour k (each colour's p-bits by degree, largest first, dealt one per group).\n"
       "// Neighbour slot s of a member = its s-th neighbour in ascending index order\n"
       "// (the slot of COUPLING + s); slots past its degree read 0.\n"
       "`default_nettype none\n"
       "module pbit_lean_array #(\n"
       "  parameter LutFile = pbit_pkg::LutFile  // the groups' LUT ROM\n"
       ") (\n"
       "  input  wire logic                                clk_i,\n"
       "  input  wire logic                                rst_ni,\n"
       "  input  wire logic                                upd_i,\n"
       "  input  wire logic [" << (members > 1 ? "$clog2(pbit_pkg::NumColors)" : "1") << "-1:0]  phase_i,\n"
       "  input  wire logic                                cell_we_i,\n"
       "  input  wire logic [pbit_pkg::CellIdxBits-1:0]    cell_idx_i,\n"
       "  input  wire logic [pbit_pkg::CellRegBits-1:0]    cell_reg_i,\n"
       "  input  wire logic [31:0]                         cell_wdata_i,\n"
       "  output      logic                                cell_wok_o,\n"
       "  output      logic [pbit_pkg::NumCells-1:0]       state_o\n"
       ");\n"
       "  localparam int IdxBits = pbit_pkg::CellIdxBits;\n\n";
  const auto decl = [&](const char* type, const char* prefix, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i)
      o << (i % 8 == 0 ? std::string("  ") + type + " " : std::string()) << prefix << i
        << (i + 1 == count || i % 8 == 7 ? ";\n" : ", ");
  };
  decl("logic", "s_", prog.n);
  decl("logic", "wok_", lg.member.size());
  decl("logic [pbit_pkg::NumColors-1:0]", "st_", lg.member.size());
  o << "\n  always_comb begin\n";
  for (std::uint32_t w = 0; w * 32 < prog.n; ++w) {
    const std::uint32_t lo = w * 32, hi = std::min(prog.n, lo + 32) - 1;
    o << "    state_o[" << hi << ":" << lo << "] = {";
    for (std::uint32_t i = hi + 1; i-- > lo;) o << "s_" << i << (i == lo ? "};\n" : ", ");
  }
  o << "  end\n\n  // A group answers only when one of its members is addressed.\n"
       "  always_comb begin\n    cell_wok_o = 1'b0;\n";
  for (std::size_t gi = 0; gi < lg.member.size(); ++gi) o << "    cell_wok_o = cell_wok_o | wok_" << gi << ";\n";
  o << "  end\n";
  std::string unused;  // the states of unused members
  for (std::size_t gi = 0; gi < lg.member.size(); ++gi) {
    const auto& mem = lg.member[gi];
    std::uint32_t slots = 1;
    for (std::int32_t c : mem)
      if (c >= 0) slots = std::max(slots, prog.offsets[c + 1] - prog.offsets[c]);
    const std::string gs = std::to_string(gi);
    o << "\n  // group " << gs << ":";
    for (int k = 0; k < members; ++k) {
      const std::int32_t c = mem[static_cast<std::size_t>(k)];
      if (c < 0) continue;
      o << " colour " << k << " = cell " << c << " (node " << g.label(static_cast<std::uint32_t>(c)) << ", degree "
        << prog.offsets[c + 1] - prog.offsets[c] << ")" << (k + 1 < members ? "," : "");
    }
    o << "\n";
    std::string deg = "{", nbr = "{", sel = "{";
    for (int k = members; k-- > 0;) {
      const std::int32_t c = mem[static_cast<std::size_t>(k)];
      const std::uint32_t b = c >= 0 ? prog.offsets[c] : 0, d = c >= 0 ? prog.offsets[c + 1] - b : 0;
      deg += "8'd" + std::to_string(d) + (k > 0 ? ", " : "}");
      for (std::uint32_t s = slots; s-- > 0;)
        nbr += (s < d ? "s_" + std::to_string(prog.nbr[b + s]) : std::string("1'b0")) +
               (k > 0 || s > 0 ? ", " : "}");
      sel += (c >= 0 ? "cell_idx_i == IdxBits'(" + std::to_string(c) + ")" : std::string("1'b0")) +
             (k > 0 ? ", " : "}");
      if (c < 0) unused += (unused.empty() ? "" : ", ") + std::string("st_") + gs + "[" + std::to_string(k) + "]";
    }
    o << "  pbit_group #(\n"
         "    .Members(pbit_pkg::NumColors), .Slots(" << slots << "), .WeightBits(pbit_pkg::WeightBits),\n"
         "    .SumBits(pbit_pkg::SumBits), .LutDepth(pbit_pkg::LutDepth), .LutShift(pbit_pkg::LutShift),\n"
         "    .LutBits(pbit_pkg::LutBits), .RngKind(pbit_pkg::RngKind), .LutFile(LutFile)\n"
         "  ) u_group_" << gs << " (\n"
         "    .clk_i, .rst_ni, .upd_i, .phase_i,\n"
         "    .deg_i(" << deg << "),\n"
         "    .nbr_i(" << nbr << "),\n"
         "    .sel_i(" << sel << "),\n"
         "    .we_i(cell_we_i), .reg_i(cell_reg_i), .wdata_i(cell_wdata_i), .wok_o(wok_" << gs << "), .state_o(st_" << gs << ")\n"
         "  );\n";
    for (int k = 0; k < members; ++k) {
      const std::int32_t c = mem[static_cast<std::size_t>(k)];
      if (c >= 0) o << "  assign s_" << c << " = st_" << gs << "[" << k << "];\n";
    }
  }
  if (!unused.empty()) o << "\n  logic unused_members;\n  assign unused_members = ^{" << unused << "};\n";
  o << "endmodule\n";
  return o.str();
}

std::string regmap_markdown() {
  std::ostringstream o;
  const int ad = (rm::kAddrBits + 3) / 4;
  o << "Generated from `host/include/pbit/regmap.hpp` by `pbit rtl regmap`; a test checks that\n"
       "this section matches. 32-bit words at " << rm::kAddrBits << "-bit word addresses. Reads of\n"
       "unmapped addresses return 0. Writes to read-only or unmapped addresses (including coupling\n"
       "slots at or beyond a cell's degree and cells at or beyond NUM_CELLS), unknown commands, and\n"
       "every write except COMMAND while STATUS.busy is set are ignored and counted in BUS_ERRORS;\n"
       "while busy, STOP is the only command accepted (STOP while idle does nothing). A build with\n"
       "write-only cells (LUT_GEOMETRY bit 28, the lean array) answers every cell-register read with 0.\n\n"
       "| address | name | access | contents |\n|---|---|---|---|\n";
  for (const auto& r : global_regs())
    o << "| `0x" << hex(r.addr, ad) << "` | " << r.name << " | " << r.access << " | " << r.doc << " |\n";
  o << "| `0x" << hex(rm::LUT_BASE, ad) << "` + k | LUT[k] | RW | tanh LUT entry k < lut depth "
       "(lut bits, sign-extended on read); one table shared by all cells, so a write changes every "
       "cell's lookup; a ROM build ignores writes |\n"
    << "| `0x" << hex(rm::STATE_BASE, ad) << "` + w | STATES[w] | RO | packed states: bit b = state of "
       "cell 32w + b (1 = +1), w < ceil(NUM_CELLS / 32); bits past NUM_CELLS read 0 |\n"
    << "| `0x" << hex(rm::CELL_BASE, ad) << "` + " << rm::CELL_STRIDE
    << " c + r | cell c, register r | | per-cell window (below), c < NUM_CELLS |\n\n"
    << "Cell registers (offset r in the window of cell c = compact node index; " << rm::kMaxDegree
    << " slots):\n\n| offset | name | access | contents |\n|---|---|---|---|\n";
  for (const auto& r : cell_regs()) {
    const bool slot = std::string(r.name).find("+ s") != std::string::npos;
    o << "| " << r.addr;
    if (slot) o << " + s (s < " << rm::kMaxDegree << ")";
    o << " | " << r.name << " | " << r.access << " | " << r.doc << " |\n";
  }
  o << "\nCommands (write to COMMAND):\n\n| value | name | effect |\n|---|---|---|\n";
  for (const auto& c : commands())
    o << "| " << c.value << " | " << c.name << " | " << c.doc << " |\n";
  return o.str();
}

EmitResult emit_rtl(const Program& prog, const graphs::Graph& g, const std::string& outdir,
                    const EmitOptions& options) {
  check_emittable(prog, g);
  if (outdir.empty()) throw Error("no output directory given");
  const std::string rtl_dir = options.rtl_dir.empty() ? default_rtl_dir() : options.rtl_dir;
  const bool engine = options.arch == Arch::Engine;
  check_arch_spec(options.arch, prog.spec);
  const std::vector<std::string> hand = hand_written_files(rtl_dir + arch_dir(options.arch));
  std::error_code ec;
  const fs::path dir = fs::absolute(outdir, ec).lexically_normal();
  if (ec) throw Error("bad output directory " + outdir + ": " + ec.message());
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw Error("cannot create output directory " + dir.string() +
                (ec ? ": " + ec.message() : std::string(" (not a directory)")));
  EmitResult r;
  r.outdir = dir.string();
  r.num_cells = prog.n;
  r.num_colors = prog.num_colors;
  r.max_degree = max_degree(prog);
  const fs::path pkg = dir / "pbit_pkg.sv", array = dir / "pbit_array.sv",
                 mem = dir / "pbit_lut.mem", list = dir / "files.f";
  if (engine) {
    const EngineTables t = engine_tables(prog);
    const fs::path order = dir / "pbit_engine_order.mem", nbr = dir / "pbit_engine_nbr.mem",
                   deg = dir / "pbit_engine_deg.mem";
    write_file(pkg, emit_pkg(prog, g, mem.string(), Arch::Engine, dir.string()));
    write_file(mem, lut_readmemh(prog.lut, prog.spec));
    write_file(order, t.order);
    write_file(nbr, t.nbr);
    write_file(deg, t.deg);
    r.files.push_back(pkg.string());
    for (const auto& f : hand) r.files.push_back(f);
    std::string flist;
    for (const auto& f : r.files) flist += f + "\n";
    write_file(list, flist);
    r.written = {pkg.string(), mem.string(), order.string(), nbr.string(), deg.string(), list.string()};
    return r;
  }
  if (options.arch == Arch::Lean) {
    const fs::path larray = dir / "pbit_lean_array.sv";
    write_file(pkg, emit_pkg(prog, g, mem.string(), Arch::Lean));
    write_file(larray, emit_lean_array(prog, g));
    write_file(mem, lut_readmemh(prog.lut, prog.spec));
    r.files.push_back(pkg.string());
    for (const auto& f : hand) r.files.push_back(f);
    r.files.push_back(larray.string());
    std::string flist;
    for (const auto& f : r.files) flist += f + "\n";
    write_file(list, flist);
    r.written = {pkg.string(), larray.string(), mem.string(), list.string()};
    return r;
  }
  const std::string pkg_text = emit_pkg(prog, g, mem.string());
  write_file(pkg, pkg_text);
  write_file(array, emit_array(prog, g));
  write_file(mem, lut_readmemh(prog.lut, prog.spec));
  r.files.push_back(pkg.string());
  for (const auto& f : hand) r.files.push_back(f);
  r.files.push_back(array.string());
  std::string flist;
  for (const auto& f : r.files) flist += f + "\n";
  write_file(list, flist);
  r.written = {pkg.string(), array.string(), mem.string(), list.string()};
  return r;
}

}  // namespace pbit::rtl

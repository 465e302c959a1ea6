#pragma once
// The RTL generator: writes the per-graph parts of a p-bit array design next
// to the hand-written, generic modules of rtl/ (see rtl/README.md).
//
//   pbit_pkg.sv    package: sizes, numeric spec, reset values and the whole
//                  register map (regmap.hpp), every number from C++
//   pbit_array.sv  one pbit_cell per node, wired to exactly its neighbours in
//                  CSR slot order, its colour's phase enable, its degree
//   pbit_lut.mem   $readmemh initial LUT contents (lut_readmemh of the Program)
//   files.f        the ordered file list: pbit_pkg.sv, rtl/files.f (absolute
//                  paths), pbit_array.sv; for Verilator (-f) and Yosys
//
// Weights, fields, clamps and seeds are not part of the design: the host
// writes them over the register bus. Only the wiring, the colours, the
// numeric widths and the LUT's initial contents (beta) are baked in.
#include <pbit/graphs/graph.hpp>
#include <pbit/program.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pbit::rtl {

// Every RNG register's value after reset (the host seeds each cell before a
// run; this is the spec's replacement for a zero seed, see pbit_seed).
inline constexpr std::uint32_t kRngResetValue = 0x6D2B79F5u;
// Width of the statistics counters (one bus word).
inline constexpr int kStatBits = 32;
// Colours (phases per chromatic sweep) the control block supports.
inline constexpr int kMaxColors = 255;

// The architecture of the emitted design (rtl/README.md):
enum class Arch : std::uint8_t {
  Full,    // pbit_top: a pbit_cell per p-bit, every feature (the parallel array)
  Engine,  // pbit_engine_top: weights, states, RNG states in RAM, one update lane
  Lean,    // pbit_lean_top: p-bits in groups of different colours sharing one datapath (big FPGAs)
};
const char* to_string(Arch a);
Arch parse_arch(const std::string& s);  // throws pbit::Error naming the known ones
// The top module of an architecture's design.
const char* top_module(Arch a);
// The engine and the lean array have only the chromatic schedule: throws
// pbit::Error naming the option otherwise.
void check_arch_spec(Arch a, const NumericSpec& spec);
// The subdirectory of rtl/ holding an architecture's files.f: "/engine",
// "/lean", "" (the full array).
const char* arch_dir(Arch a);

// The lean array's groups: member[g][k] = the cell of colour k in group g, or
// -1 (each colour's cells by degree, largest first, dealt one per group).
struct LeanGroups {
  int members = 0;  // = the number of colours
  std::vector<std::vector<std::int32_t>> member;
};
LeanGroups lean_groups(const Program& prog);

struct EmitOptions {
  std::string rtl_dir;  // the hand-written rtl/ folder; empty: default_rtl_dir()
  Arch arch = Arch::Full;
};

// The engine's graph ROMs ($readmemh texts, one hex word a line) and widths:
//   order: the update order, cells sorted by colour (ascending index within a
//          colour), each word (degree << CellIdxBits) | cell;
//   nbr:   word c * 2^slot_bits + s = the cell of CSR slot s of cell c (0 past
//          the degree);
//   deg:   word c = the degree of cell c.
struct EngineTables {
  int slot_bits = 1;  // max(1, ceil(log2(max degree)))
  int deg_bits = 1;   // max(1, ceil(log2(max degree + 1)))
  std::string order, nbr, deg;
};
EngineTables engine_tables(const Program& prog);

// The engine's graph from the Pegasus coordinates (NbrKind 1 of
// rtl/engine/pbit_engine_graph, emitted as EngineNbrKind = 1 for every
// pegasus:M): no order or neighbour ROM, which for pegasus:14 would not fit an
// iCE40's block RAM. The same rule as rtl/engine/pbit_engine_pegasus.sv:
struct EnginePegasus {
  int m = 0;
  std::array<int, 12> offsets0{}, offsets1{};  // graphs::pegasus_offsets(0/1)
  int fabric_start0 = 0, fabric_end0 = 0;      // tracks dropped at w = 0 / w = m-1 (u = 0)
  int fabric_start1 = 0, fabric_end1 = 0;      // (u = 1)
};
inline constexpr int kEnginePegasusCandidates = 15;
// The description when g is pegasus:M, else nullopt.
std::optional<EnginePegasus> engine_pegasus(const graphs::Graph& g);
// What the hardware computes: per compact cell its candidates in the order the
// RTL presents them (-1: not a neighbour), and the update order it walks.
std::vector<std::array<std::int32_t, kEnginePegasusCandidates>> engine_pegasus_candidates(
    const EnginePegasus& p);
std::vector<std::uint32_t> engine_pegasus_order(const EnginePegasus& p);
// Throws pbit::Error unless the candidates' valid entries are exactly the
// program's CSR neighbours in slot order and the order holds every cell once,
// colour by colour (the emitter's check before it emits EngineNbrKind = 1).
void check_engine_pegasus(const EnginePegasus& p, const Program& prog);
// Clock cycles of one engine sweep (its SWEEP_CYCLES register), modelled
// cycle by cycle as pbit_engine_core runs: with the ROMs 1 + sum of
// (max(degree, 1) + 4); from the coordinates 1 + 15 a p-bit (the next p-bit's
// candidates follow directly) + the cycles spent waiting for the Pegasus
// lookahead and, at a colour change, for the pipeline to empty. Exact
// (test_rtl_sim checks it against CYCLE_COUNT).
std::uint64_t engine_sweep_cycles(const Program& prog, const graphs::Graph& g);
// 16K x 16 single-port RAM banks the engine's couplings and RNG states take
// (rtl/engine/pbit_engine_spram: the iCE40 UP5K has 4): couplings two a word
// when weight_bits <= 8, max degree slots a p-bit; an RNG state two banks wide.
int engine_spram_banks(const Program& prog);

struct EmitResult {
  std::string outdir;               // absolute
  std::vector<std::string> files;   // files.f: every source in compile order (absolute)
  std::vector<std::string> written; // the generated files (absolute)
  std::uint32_t num_cells = 0;
  int num_colors = 0;
  int max_degree = 0;
};

// $PBIT_RTL_DIR if set, else the source tree's rtl/ (compiled in).
std::string default_rtl_dir();
// The hand-written sources listed in <rtl_dir>/files.f, in order, absolute.
// Throws pbit::Error if the list or a listed file is missing.
std::vector<std::string> hand_written_files(const std::string& rtl_dir);

// Throws pbit::Error if the program cannot be emitted: it does not belong to
// the graph, a node has more than regmap::kMaxDegree neighbours, more cells
// than the register map addresses, more than kMaxColors colours, no nodes.
void check_emittable(const Program& prog, const graphs::Graph& g);

// The generated texts (pure functions; emit_rtl writes them).
// Engine: `mem_dir` is where the ROM files go (their paths are in the package).
std::string emit_pkg(const Program& prog, const graphs::Graph& g, const std::string& lut_file,
                     Arch arch = Arch::Full, const std::string& mem_dir = "");
std::string emit_array(const Program& prog, const graphs::Graph& g);
// The lean array (pbit_lean_array.sv: one pbit_group per group of lean_groups).
std::string emit_lean_array(const Program& prog, const graphs::Graph& g);
// The register map as Markdown: the "Register map" section of rtl/README.md
// (between its <!-- regmap:begin --> and <!-- regmap:end --> markers).
std::string regmap_markdown();

// Writes pbit_pkg.sv, pbit_array.sv, pbit_lut.mem and files.f into outdir
// (created if missing); for the lean array pbit_lean_array.sv instead of
// pbit_array.sv; for the engine pbit_pkg.sv, pbit_lut.mem, the ROM files
// pbit_engine_{order,nbr,deg}.mem and files.f. Throws pbit::Error naming the problem.
EmitResult emit_rtl(const Program& prog, const graphs::Graph& g, const std::string& outdir,
                    const EmitOptions& options = {});

}  // namespace pbit::rtl

`default_nettype none
// The time-multiplexed p-bit engine behind the parallel array's register map
// and bus (pbit_top's ports and timing, rtl/README.md): pbit_engine_ctrl (bus,
// global registers, sweeps) + pbit_engine_core (RAMs, ROMs of the graph, one
// update lane). The sizes, the numeric spec and the ROM files come from the
// generated pbit_pkg (`pbit rtl emit --arch engine`).
//
// Differences from pbit_top: chromatic schedule only (no async, no per-cell
// clocks: cell_clk_i is unused), no statistics counters (the host keeps the
// statistics from the states), TIMER_STATE reads 0 and writes to it are bus
// errors, registers held in RAM (cell registers, LUT, STATES) read 0 while a
// sweep runs, and reset does not clear the RAMs (the host writes every cell
// before a run).
module pbit_engine_top #(
  parameter bit LutWritable = 1'b1,  // [0,1] 0: the LUT is a ROM (fold beta into J, h)
  parameter bit StateMirror = 1'b1,  // [0,1] 1: state_o carries the states (a flip-flop per p-bit)
  parameter int NbrKind = pbit_pkg::EngineNbrKind,  // [0,1] the graph: 0 ROMs, 1 Pegasus coordinates (pegasus:M only)
  parameter     LutFile = pbit_pkg::LutFile  // $readmemh file of the LUT's initial contents
) (
  input  wire logic                              clk_i,
  input  wire logic                              rst_ni,      // synchronous, active low
  input  wire logic [pbit_pkg::NumCells-1:0]     cell_clk_i,  // unused (pbit_top's port)
  // register bus
  input  wire logic                              req_i,
  input  wire logic                              we_i,
  input  wire logic [pbit_pkg::AddrBits-1:0]     addr_i,      // word address
  input  wire logic [31:0]                       wdata_i,
  output      logic                              rvalid_o,
  output      logic [31:0]                       rdata_o,
  output      logic                              busy_o,
  // observation
  output      logic [pbit_pkg::NumCells-1:0]     state_o      // p-bit states, 1 = +1 (StateMirror)
);
  logic                          run, done, cell_we, cell_re, lut_we, cell_wok, late;
  logic [pbit_pkg::AddrBits-1:0] addr_q;
  logic [31:0]                   wdata_q, cell_rdata, state_word, ctrl_rdata, late_rdata;
  logic [pbit_pkg::LutBits-1:0]  lut_rdata;
  // The states, internal first: a SystemC model may not read its own output port.
  logic [pbit_pkg::NumCells-1:0] states;
  assign state_o = states;

  logic unused_cell_clk;
  assign unused_cell_clk = ^cell_clk_i;

  pbit_engine_ctrl #(
    .NumCells(pbit_pkg::NumCells),
    .NumColors(pbit_pkg::NumColors),
    .MaxDegree(pbit_pkg::MaxDegree),
    .WeightBits(pbit_pkg::WeightBits),
    .SumBits(pbit_pkg::SumBits),
    .LutDepth(pbit_pkg::LutDepth),
    .LutShift(pbit_pkg::LutShift),
    .LutBits(pbit_pkg::LutBits),
    .RngKind(pbit_pkg::RngKind),
    .LutWritable(LutWritable),
    .SweepCycles(pbit_pkg::EngineSweepCycles)
  ) u_ctrl (
    .clk_i,
    .rst_ni,
    .req_i,
    .we_i,
    .addr_i,
    .wdata_i,
    .rvalid_o,
    .rdata_o(ctrl_rdata),
    .busy_o,
    .run_o(run),
    .done_i(done),
    .addr_o(addr_q),
    .wdata_o(wdata_q),
    .cell_we_o(cell_we),
    .cell_re_o(cell_re),
    .lut_we_o(lut_we),
    .cell_rdata_i(cell_rdata),
    .cell_wok_i(cell_wok),
    .lut_rdata_i(lut_rdata),
    .state_word_i(state_word)
  );

  pbit_engine_core #(
    .NumCells(pbit_pkg::NumCells),
    .IdxBits(pbit_pkg::CellIdxBits),
    .MaxDegree(pbit_pkg::MaxDegree),
    .SlotBits(pbit_pkg::EngineSlotBits),
    .DegBits(pbit_pkg::EngineDegBits),
    .WeightBits(pbit_pkg::WeightBits),
    .SumBits(pbit_pkg::SumBits),
    .LutDepth(pbit_pkg::LutDepth),
    .LutShift(pbit_pkg::LutShift),
    .LutBits(pbit_pkg::LutBits),
    .RngKind(pbit_pkg::RngKind),
    .LutWritable(LutWritable),
    .StateMirror(StateMirror),
    .NbrKind(NbrKind),
    .PegasusM(pbit_pkg::PegasusM),
    .PegasusOffsets0(pbit_pkg::PegasusOffsets0),
    .PegasusOffsets1(pbit_pkg::PegasusOffsets1),
    .PegasusFabricStart0(pbit_pkg::PegasusFabricStart0),
    .PegasusFabricEnd0(pbit_pkg::PegasusFabricEnd0),
    .PegasusFabricStart1(pbit_pkg::PegasusFabricStart1),
    .PegasusFabricEnd1(pbit_pkg::PegasusFabricEnd1),
    .LutFile(LutFile),
    .OrderFile(pbit_pkg::EngineOrderFile),
    .NbrFile(pbit_pkg::EngineNbrFile),
    .DegFile(pbit_pkg::EngineDegFile)
  ) u_core (
    .clk_i,
    .rst_ni,
    .run_i(run),
    .done_o(done),
    .la_addr_i(addr_i),
    .addr_i(addr_q),
    .wdata_i(wdata_q),
    .cell_we_i(cell_we),
    .cell_re_i(cell_re),
    .lut_we_i(lut_we),
    .cell_rdata_o(cell_rdata),
    .cell_wok_o(cell_wok),
    .lut_rdata_o(lut_rdata),
    .state_word_o(state_word),
    .late_o(late),
    .late_rdata_o(late_rdata),
    .state_o(states)
  );
  // Couplings and RNG states come from single-port RAMs read in the decode
  // cycle: their word answers in the cycle rvalid_o is high.
  assign rdata_o = late ? late_rdata : ctrl_rdata;
endmodule

`default_nettype none
// The p-bit array with its register bus: the generic top. The graph (wiring,
// colours, sizes) and the numeric spec come from the generated pbit_pkg and
// pbit_array (`pbit rtl emit`); weights, fields, seeds, clamps and the LUT are
// written over the bus (register map: rtl/README.md, host/include/pbit/regmap.hpp).
//
// Bus protocol: at most one request per cycle (req_i with we_i, addr_i, a word
// address, and wdata_i), registered on entry; a write takes effect one clock
// edge after the edge that registered it; a read's data comes with rvalid_o
// two cycles after the request (pipelined: a request every cycle is fine).
// busy_o rises the cycle after a RUN command. Write registers only while
// busy_o is low (other writes than COMMAND are ignored and counted in
// BUS_ERRORS while busy).
module pbit_top #(
  parameter bit LutWritable = 1'b1,      // [0,1] 0: the LUT is a ROM (fold beta into J, h)
  parameter bit Stats = 1'b1,            // [0,1] per-cell statistics counters
  parameter bit Async = 1'b1,            // [0,1] async schedule (a timer RNG per cell)
  parameter bit CellClocks = 1'b0,       // [0,1] simulation what-if: cell c's state and
                                         //       RNG on cell_clk_i[c] while running
  parameter     LutFile = pbit_pkg::LutFile  // $readmemh file of the LUT's initial contents
) (
  input  wire logic                              clk_i,
  input  wire logic                              rst_ni,      // synchronous, active low (hold it for >= 1 clock edge)
  input  wire logic [pbit_pkg::NumCells-1:0]     cell_clk_i,  // CellClocks = 1 only
  // register bus
  input  wire logic                              req_i,
  input  wire logic                              we_i,
  input  wire logic [pbit_pkg::AddrBits-1:0]     addr_i,      // word address
  input  wire logic [31:0]                       wdata_i,
  output      logic                              rvalid_o,
  output      logic [31:0]                       rdata_o,
  output      logic                              busy_o,      // running (or finishing a sweep's statistics)
  // observation
  output      logic [pbit_pkg::NumCells-1:0]     state_o      // p-bit states, 1 = +1
);
  localparam int LutDepth = pbit_pkg::LutDepth;
  localparam int LutBits = pbit_pkg::LutBits;

  logic                             run, async_en, stat_acc, stat_clr;
  logic [pbit_pkg::NumColors-1:0]   phase_en;
  logic [31:0]                      async_threshold;
  logic                             lut_we;
  logic [$clog2(LutDepth)-1:0]      lut_addr;
  logic [LutBits-1:0]               lut_wdata, lut_rdata;
  logic [LutDepth*LutBits-1:0]      lut_table;
  logic                             cell_we, cell_wok;
  logic [pbit_pkg::CellIdxBits-1:0] cell_idx;
  logic [pbit_pkg::CellRegBits-1:0] cell_reg;
  logic [31:0]                      cell_wdata, cell_rdata;
  // The states, internal first: a SystemC model may not read its own output port.
  logic [pbit_pkg::NumCells-1:0]    states;
  assign state_o = states;

  pbit_ctrl #(
    .NumCells(pbit_pkg::NumCells),
    .CellIdxBits(pbit_pkg::CellIdxBits),
    .NumColors(pbit_pkg::NumColors),
    .MaxDegree(pbit_pkg::MaxDegree),
    .WeightBits(pbit_pkg::WeightBits),
    .SumBits(pbit_pkg::SumBits),
    .LutDepth(LutDepth),
    .LutShift(pbit_pkg::LutShift),
    .LutBits(LutBits),
    .RngKind(pbit_pkg::RngKind),
    .LutWritable(LutWritable),
    .Async(Async),
    .Stats(Stats),
    .Gated(1'b0),
    .WriteOnly(1'b0),
    .ScheduleReset(pbit_pkg::ScheduleReset),
    .AsyncPeriodReset(pbit_pkg::AsyncPeriodReset),
    .AsyncThresholdReset(pbit_pkg::AsyncThresholdReset)
  ) u_ctrl (
    .clk_i,
    .rst_ni,
    .req_i,
    .we_i,
    .addr_i,
    .wdata_i,
    .rvalid_o,
    .rdata_o,
    .busy_o,
    .run_o(run),
    .phase_en_o(phase_en),
    .async_en_o(async_en),
    .async_threshold_o(async_threshold),
    .stat_acc_o(stat_acc),
    .stat_clr_o(stat_clr),
    .lut_we_o(lut_we),
    .lut_addr_o(lut_addr),
    .lut_wdata_o(lut_wdata),
    .lut_rdata_i(lut_rdata),
    .cell_we_o(cell_we),
    .cell_idx_o(cell_idx),
    .cell_reg_o(cell_reg),
    .cell_wdata_o(cell_wdata),
    .cell_rdata_i(cell_rdata),
    .cell_wok_i(cell_wok),
    .state_i(states)
  );

  pbit_lut #(
    .Depth(LutDepth),
    .Bits(LutBits),
    .Writable(LutWritable),
    .File(LutFile)
  ) u_lut (
    .clk_i,
    .we_i(lut_we),
    .waddr_i(lut_addr),
    .wdata_i(lut_wdata),
    .raddr_i(lut_addr),
    .rdata_o(lut_rdata),
    .table_o(lut_table)
  );

  pbit_array #(
    .Stats(Stats),
    .Async(Async),
    .CellClocks(CellClocks)
  ) u_array (
    .clk_i,
    .rst_ni,
    .cell_clk_i,
    .run_i(run),
    .phase_en_i(phase_en),
    .async_en_i(async_en),
    .async_threshold_i(async_threshold),
    .stat_acc_i(stat_acc),
    .stat_clr_i(stat_clr),
    .lut_i(lut_table),
    .cell_we_i(cell_we),
    .cell_idx_i(cell_idx),
    .cell_reg_i(cell_reg),
    .cell_wdata_i(cell_wdata),
    .cell_rdata_o(cell_rdata),
    .cell_wok_o(cell_wok),
    .state_o(states)
  );
endmodule

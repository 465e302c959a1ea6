`default_nettype none
// The lean p-bit array (`pbit rtl emit --arch lean`): pbit_top's ports, bus
// timing and register map, for big FPGAs. The generated pbit_lean_array holds
// the p-bits in pbit_group's (one shared datapath per group of p-bits of
// different colours); the control block is pbit_ctrl. Compared with pbit_top:
// chromatic schedule only (LUT_GEOMETRY.async = 0), the LUT is a ROM (fold beta
// into J and h), no statistics counters (LUT_GEOMETRY.no_stats), the gated sum
// (the host writes OFFSET = h - sum J instead of FIELD, LUT_GEOMETRY.gated),
// write-only cell registers (they read 0; the states are read from STATES and
// the host keeps the RNG states, LUT_GEOMETRY.write_only), the per-member
// RAMs are not reset. cell_clk_i is unused.
module pbit_lean_top #(
  parameter LutFile = pbit_pkg::LutFile  // $readmemh file of the LUT ROM
) (
  input  wire logic                              clk_i,
  input  wire logic                              rst_ni,      // synchronous, active low
  input  wire logic [pbit_pkg::NumCells-1:0]     cell_clk_i,  // unused (pbit_top's ports)
  input  wire logic                              req_i,
  input  wire logic                              we_i,
  input  wire logic [pbit_pkg::AddrBits-1:0]     addr_i,      // word address
  input  wire logic [31:0]                       wdata_i,
  output      logic                              rvalid_o,
  output      logic [31:0]                       rdata_o,
  output      logic                              busy_o,
  output      logic [pbit_pkg::NumCells-1:0]     state_o      // p-bit states, 1 = +1
);
  localparam int LutDepth = pbit_pkg::LutDepth;
  localparam int LutBits = pbit_pkg::LutBits;
  localparam int NumColors = pbit_pkg::NumColors;
  localparam int PhaseBits = (NumColors > 1) ? $clog2(NumColors) : 1;

  logic                             run, async_en, stat_acc, stat_clr;
  logic [NumColors-1:0]             phase_en;
  logic [31:0]                      async_threshold;
  logic                             lut_we;
  logic [$clog2(LutDepth)-1:0]      lut_addr;
  logic [LutBits-1:0]               lut_wdata, lut_rdata;
  logic [LutDepth*LutBits-1:0]      lut_table;
  logic                             cell_we, cell_wok;
  logic [pbit_pkg::CellIdxBits-1:0] cell_idx;
  logic [pbit_pkg::CellRegBits-1:0] cell_reg;
  logic [31:0]                      cell_wdata;
  logic [pbit_pkg::NumCells-1:0]    states;
  assign state_o = states;

  pbit_ctrl #(
    .NumCells(pbit_pkg::NumCells),
    .CellIdxBits(pbit_pkg::CellIdxBits),
    .NumColors(NumColors),
    .MaxDegree(pbit_pkg::MaxDegree),
    .WeightBits(pbit_pkg::WeightBits),
    .SumBits(pbit_pkg::SumBits),
    .LutDepth(LutDepth),
    .LutShift(pbit_pkg::LutShift),
    .LutBits(LutBits),
    .RngKind(pbit_pkg::RngKind),
    .LutWritable(1'b0),
    .Async(1'b0),
    .Stats(1'b0),
    .Gated(1'b1),
    .WriteOnly(1'b1),
    .ScheduleReset(1'b0),
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
    .cell_rdata_i(32'd0),  // write-only cells
    .cell_wok_i(cell_wok),
    .state_i(states)
  );

  // The bus's read-back copy of the ROM (the host checks it against its LUT).
  pbit_lut #(
    .Depth(LutDepth),
    .Bits(LutBits),
    .Writable(1'b0),
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

  // The running phase as an index (one-hot phase_en -> its colour).
  logic                 upd;
  logic [PhaseBits-1:0] phase;
  always_comb begin
    upd = |phase_en;
    phase = '0;
    for (int c = 0; c < NumColors; c++) begin
      if (phase_en[c]) phase = phase | PhaseBits'(c);
    end
  end

  pbit_lean_array #(
    .LutFile(LutFile)
  ) u_array (
    .clk_i,
    .rst_ni,
    .upd_i(upd),
    .phase_i(phase),
    .cell_we_i(cell_we),
    .cell_idx_i(cell_idx),
    .cell_reg_i(cell_reg),
    .cell_wdata_i(cell_wdata),
    .cell_wok_o(cell_wok),
    .state_o(states)
  );

  logic unused;
  assign unused = ^{cell_clk_i, run, async_en, stat_acc, stat_clr, async_threshold, lut_table};
endmodule

`default_nettype none
// Estimate probe (`pbit fpga estimate`): one p-bit cell wired as pbit_array
// wires it, with the LUT it reads, synthesized flattened once per degree. A
// ROM LUT (LutWritable = 0) is a constant here and folds into the cell's
// logic; a writable LUT is one RAM shared by the whole array, so the probe
// takes its table from the ports (each cell pays only its own read mux).
// AgreeMask: the statistics slots kept (neighbour index above the cell's);
// flattening drops the counters of the others, as in a flattened array.
module pbit_cell_probe #(
  parameter int          Degree = 1,        // [0,MaxSlots]
  parameter logic [23:0] AgreeMask = '1,    // slot s kept iff bit s
  parameter bit          LutWritable = 1'b1,
  parameter bit          Stats = 1'b1,
  parameter bit          Async = 1'b1
) (
  input  wire logic                                                  clk_i,
  input  wire logic                                                  rst_ni,
  input  wire logic                                                  run_i,
  input  wire logic                                                  upd_phase_i,
  input  wire logic                                                  async_en_i,
  input  wire logic [31:0]                                           async_threshold_i,
  input  wire logic                                                  stat_acc_i,
  input  wire logic                                                  stat_clr_i,
  input  wire logic [((Degree > 0) ? Degree : 1)-1:0]                nbr_i,
  input  wire logic [pbit_pkg::LutDepth*pbit_pkg::LutBits-1:0]       lut_i,
  input  wire logic                                                  sel_i,
  input  wire logic                                                  we_i,
  input  wire logic [pbit_pkg::CellRegBits-1:0]                      reg_i,
  input  wire logic [31:0]                                           wdata_i,
  output      logic [31:0]                                           rdata_o,
  output      logic                                                  wok_o,
  output      logic                                                  state_o
);
  localparam int Slots = (Degree > 0) ? Degree : 1;
  logic [pbit_pkg::LutDepth*pbit_pkg::LutBits-1:0] table_w;
  if (LutWritable) begin : g_ram
    assign table_w = lut_i;
  end else begin : g_rom
    logic [pbit_pkg::LutBits-1:0] unused_rdata;
    logic                         unused_lut;
    pbit_lut #(
      .Depth(pbit_pkg::LutDepth),
      .Bits(pbit_pkg::LutBits),
      .Writable(1'b0),
      .File(pbit_pkg::LutFile)
    ) u_lut (
      .clk_i,
      .we_i(1'b0),
      .waddr_i('0),
      .wdata_i('0),
      .raddr_i('0),
      .rdata_o(unused_rdata),
      .table_o(table_w)
    );
    assign unused_lut = ^lut_i;
  end

  pbit_cell #(
    .Degree(Degree), .WeightBits(pbit_pkg::WeightBits), .SumBits(pbit_pkg::SumBits),
    .LutDepth(pbit_pkg::LutDepth), .LutShift(pbit_pkg::LutShift), .LutBits(pbit_pkg::LutBits),
    .RngKind(pbit_pkg::RngKind), .StatBits(pbit_pkg::StatBits), .Stats(Stats), .Async(Async),
    .CellClock(1'b0), .RngResetValue(pbit_pkg::RngResetValue)
  ) u_cell (
    .clk_i, .rst_ni, .cell_clk_i(1'b0), .run_i, .upd_phase_i, .async_en_i, .async_threshold_i,
    .stat_acc_i, .stat_clr_i, .agree_mask_i(AgreeMask[Slots-1:0]), .nbr_i, .lut_i(table_w),
    .sel_i, .we_i, .reg_i, .wdata_i, .rdata_o, .wok_o, .state_o
  );
endmodule

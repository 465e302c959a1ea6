`default_nettype none
// Estimate probe of the lean array (`pbit fpga estimate --arch lean`): one
// pbit_group (Members = NumColors p-bits of different colours sharing one
// datapath) with Slots coupling slots, its LUT ROM from the package, wired as
// pbit_lean_array wires it; synthesized flattened once per slot count.
module pbit_group_probe #(
  parameter int Slots = 1  // [1,MaxSlots]
) (
  input  wire logic                                            clk_i,
  input  wire logic                                            rst_ni,
  input  wire logic                                            upd_i,
  input  wire logic [((pbit_pkg::NumColors > 1) ? $clog2(pbit_pkg::NumColors) : 1)-1:0] phase_i,
  input  wire logic [pbit_pkg::NumColors*8-1:0]                deg_i,
  input  wire logic [pbit_pkg::NumColors*Slots-1:0]            nbr_i,
  input  wire logic [pbit_pkg::NumColors-1:0]                  sel_i,
  input  wire logic                                            we_i,
  input  wire logic [pbit_pkg::CellRegBits-1:0]                reg_i,
  input  wire logic [31:0]                                     wdata_i,
  output      logic                                            wok_o,
  output      logic [pbit_pkg::NumColors-1:0]                  state_o
);
  pbit_group #(
    .Members(pbit_pkg::NumColors), .Slots(Slots), .WeightBits(pbit_pkg::WeightBits),
    .SumBits(pbit_pkg::SumBits), .LutDepth(pbit_pkg::LutDepth), .LutShift(pbit_pkg::LutShift),
    .LutBits(pbit_pkg::LutBits), .RngKind(pbit_pkg::RngKind), .LutFile(pbit_pkg::LutFile)
  ) u_group (
    .clk_i, .rst_ni, .upd_i, .phase_i, .deg_i, .nbr_i, .sel_i, .we_i, .reg_i, .wdata_i, .wok_o, .state_o
  );
endmodule

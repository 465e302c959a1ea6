`default_nettype none
// Timing probe of the lean array on iCE40 (fpga/ice40/group_fmax.sh): one
// pbit_group (NumColors members of different colours sharing one datapath)
// with Slots coupling slots, every input driven by a flip-flop and every output
// captured by one, as in the array (the phase comes from the control's counter,
// the neighbour states from other groups' state flip-flops). The flip-flops
// form one shift chain from si_i, and the outputs are xor-reduced into so_o,
// so the probe needs three pins on any package and nextpnr times the update
// path register to register.
module pbit_group_timing_probe #(
  parameter int Slots = 1  // [1,MaxSlots]
) (
  input  wire logic clk_i,
  input  wire logic si_i,  // the shift chain's input
  output      logic so_o   // xor of the captured outputs
);
  localparam int Members = pbit_pkg::NumColors;
  localparam int PhaseBits = (Members > 1) ? $clog2(Members) : 1;
  localparam int RegBits = pbit_pkg::CellRegBits;
  // rst, upd, phase, deg, nbr, sel, we, reg, wdata
  localparam int InBits = 2 + PhaseBits + Members * 8 + Members * Slots + Members + 1 + RegBits + 32;

  logic [InBits-1:0] in_q;
  always_ff @(posedge clk_i) in_q <= {in_q[InBits-2:0], si_i};

  logic                         rst_n, upd, we, wok;
  logic [PhaseBits-1:0]         phase;
  logic [Members*8-1:0]         deg;
  logic [Members*Slots-1:0]     nbr;
  logic [Members-1:0]           sel, state;
  logic [RegBits-1:0]           reg_a;
  logic [31:0]                  wdata;
  assign {rst_n, upd, phase, deg, nbr, sel, we, reg_a, wdata} = in_q;

  pbit_group #(
    .Members(Members), .Slots(Slots), .WeightBits(pbit_pkg::WeightBits),
    .SumBits(pbit_pkg::SumBits), .LutDepth(pbit_pkg::LutDepth), .LutShift(pbit_pkg::LutShift),
    .LutBits(pbit_pkg::LutBits), .RngKind(pbit_pkg::RngKind), .LutFile(pbit_pkg::LutFile)
  ) u_group (
    .clk_i, .rst_ni(rst_n), .upd_i(upd), .phase_i(phase), .deg_i(deg), .nbr_i(nbr), .sel_i(sel), .we_i(we),
    .reg_i(reg_a), .wdata_i(wdata), .wok_o(wok), .state_o(state)
  );

  logic [Members:0] out_q;
  logic             so_q;
  always_ff @(posedge clk_i) begin
    out_q <= {wok, state};
    so_q <= ^out_q;
  end
  assign so_o = so_q;
endmodule

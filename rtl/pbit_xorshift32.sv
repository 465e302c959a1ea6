`default_nettype none
// Marsaglia xorshift32 (13, 17, 5), as spec.hpp xorshift32_step(): one full
// step per advance. next_o is the word of the next advance; it becomes the
// state when en_i is high (a bus write, we_i, wins over an advance).
module pbit_xorshift32 #(
  parameter logic [31:0] ResetValue = 32'h1  // [1,2^32-1] zero is a fixed point
) (
  input  wire logic        clk_i,
  input  wire logic        rst_ni,
  input  wire logic        en_i,     // advance one step
  input  wire logic        we_i,     // load wdata_i (seed)
  input  wire logic [31:0] wdata_i,
  output      logic [31:0] state_o,  // current state
  output      logic [31:0] next_o    // state after one step
);
  logic [31:0] state_q;
  logic [31:0] x1, x2;

  assign x1 = state_q ^ (state_q << 13);
  assign x2 = x1 ^ (x1 >> 17);
  assign next_o = x2 ^ (x2 << 5);
  assign state_o = state_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) state_q <= ResetValue;
    else if (we_i) state_q <= wdata_i;  // a seed load wins over a step
    else if (en_i) state_q <= next_o;
  end
endmodule

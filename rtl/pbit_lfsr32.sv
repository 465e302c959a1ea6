`default_nettype none
// 32-bit Fibonacci LFSR, taps 32,22,2,1 (x^32 + x^22 + x^2 + x + 1), as
// spec.hpp lfsr32_step(): bits 1..32 are s[0]..s[31], the feedback enters at
// bit 1. next_o is the word of the next advance; it becomes the state when
// en_i is high (a bus write, we_i, wins over an advance).
module pbit_lfsr32 #(
  parameter logic [31:0] ResetValue = 32'h1  // [1,2^32-1] zero locks the LFSR
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

  assign next_o = {state_q[30:0], state_q[31] ^ state_q[21] ^ state_q[1] ^ state_q[0]};
  assign state_o = state_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) state_q <= ResetValue;
    else if (we_i) state_q <= wdata_i;  // a seed load wins over a step
    else if (en_i) state_q <= next_o;
  end
endmodule

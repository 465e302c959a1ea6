`default_nettype none
// One step of a p-bit's 32-bit RNG (spec.hpp rng_step), combinational: the
// engine keeps the RNG states in RAM and steps one of them per update.
//   Kind 0: lfsr32 (taps 32,22,2,1, one shift), Kind 1: xorshift32 (13, 17, 5).
module pbit_engine_rng #(
  parameter int Kind = 0  // [0,1] 0 = lfsr32, 1 = xorshift32
) (
  input  wire logic [31:0] state_i,
  output      logic [31:0] next_o
);
  if (Kind == 0) begin : g_lfsr32
    assign next_o = {state_i[30:0], state_i[31] ^ state_i[21] ^ state_i[1] ^ state_i[0]};
  end else begin : g_xorshift32
    logic [31:0] x1, x2;
    assign x1 = state_i ^ (state_i << 13);
    assign x2 = x1 ^ (x1 >> 17);
    assign next_o = x2 ^ (x2 << 5);
  end
endmodule

`default_nettype none
// A per-p-bit 32-bit RNG of either kind (spec.hpp RngKind): the word used by
// an update is next_o, the state after one step, which becomes the state at
// the same clock edge (en_i).
module pbit_rng #(
  parameter int          Kind = 0,          // [0,1] 0 = lfsr32, 1 = xorshift32
  parameter logic [31:0] ResetValue = 32'h1 // [1,2^32-1]
) (
  input  wire logic        clk_i,
  input  wire logic        rst_ni,
  input  wire logic        en_i,     // advance one step
  input  wire logic        we_i,     // load wdata_i (seed)
  input  wire logic [31:0] wdata_i,
  output      logic [31:0] state_o,
  output      logic [31:0] next_o
);
  if (Kind == 0) begin : g_lfsr32
    pbit_lfsr32 #(
      .ResetValue(ResetValue)
    ) u_lfsr32 (
      .clk_i,
      .rst_ni,
      .en_i,
      .we_i,
      .wdata_i,
      .state_o,
      .next_o
    );
  end else begin : g_xorshift32
    pbit_xorshift32 #(
      .ResetValue(ResetValue)
    ) u_xorshift32 (
      .clk_i,
      .rst_ni,
      .en_i,
      .we_i,
      .wdata_i,
      .state_o,
      .next_o
    );
  end
endmodule

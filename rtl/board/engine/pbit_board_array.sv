`default_nettype none
// The board's p-bit array, time-multiplexed engine (`--arch engine`,
// rtl/engine/): pbit_engine_top behind pbit_top's bus, without the state
// mirror (the bridge reads the STATES registers). The same module and ports as
// ../pbit_board_array.sv (`pbit fpga emit` lists one of them). The engine has
// no statistics counters and only the chromatic schedule (Stats, Async must be
// 0; the host refuses anything else); its LUT is a RAM or a ROM. On the iCE40
// UP5K build (PBIT_ICE40_SPRAM defined) couplings and RNG states are in the
// four SPRAM blocks.
module pbit_board_array #(
  parameter bit LutWritable = 1'b0,  // [0,1] (pbit_board_top's parameters)
  parameter bit Stats = 1'b0,        // [0,0]
  parameter bit Async = 1'b0         // [0,0]
) (
  input  wire logic                          clk_i,
  input  wire logic                          rst_ni,
  input  wire logic                          req_i,
  input  wire logic                          we_i,
  input  wire logic [pbit_pkg::AddrBits-1:0] addr_i,
  input  wire logic [31:0]                   wdata_i,
  output      logic                          rvalid_o,
  output      logic [31:0]                   rdata_o,
  output      logic                          busy_o
);
  logic [1:0] unused_features;
  assign unused_features = {Stats, Async};

  logic [pbit_pkg::NumCells-1:0] unused_state;

  pbit_engine_top #(
    .LutWritable(LutWritable),
    .StateMirror(1'b0)
  ) u_top (
    .clk_i,
    .rst_ni,
    .cell_clk_i('0),
    .req_i,
    .we_i,
    .addr_i,
    .wdata_i,
    .rvalid_o,
    .rdata_o,
    .busy_o,
    .state_o(unused_state)  // no mirror: the bridge reads the STATES registers
  );
endmodule

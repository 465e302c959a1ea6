`default_nettype none
// The board's p-bit array, full architecture (`--arch full`): pbit_top with its
// features. pbit_board_top instantiates `pbit_board_array`; `pbit fpga emit`
// puts this file or lean/pbit_board_array.sv (the same module and ports) into
// board_files.f, by the array's architecture.
module pbit_board_array #(
  parameter bit LutWritable = 1'b1,  // [0,1] pbit_top parameters
  parameter bit Stats = 1'b1,        // [0,1]
  parameter bit Async = 1'b1         // [0,1]
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
  logic [pbit_pkg::NumCells-1:0] unused_state;

  pbit_top #(
    .LutWritable(LutWritable),
    .Stats(Stats),
    .Async(Async),
    .CellClocks(1'b0)
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
    .state_o(unused_state)  // the bridge reads the STATES registers
  );
endmodule

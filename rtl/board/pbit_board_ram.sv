`default_nettype none
// The bridge's request buffer: a simple dual-port RAM, one write and one
// registered read port (the idiom block RAMs are inferred from: iCE40
// SB_RAM40_4K, Xilinx RAMB). Like pbit_lut, the memory idiom keeps the write
// in always_ff (no reset).
module pbit_board_ram #(
  parameter int Words = 256,  // [2,16384] power of two
  parameter int Bits = 32     // [1,64]
) (
  input  wire logic                     clk_i,
  input  wire logic                     we_i,
  input  wire logic [$clog2(Words)-1:0] waddr_i,
  input  wire logic [Bits-1:0]          wdata_i,
  input  wire logic [$clog2(Words)-1:0] raddr_i,
  output      logic [Bits-1:0]          rdata_o   // mem[raddr_i] of the previous cycle
);
  logic [Bits-1:0] mem_q [Words];
  logic [Bits-1:0] rdata_q;

  always_ff @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
    rdata_q <= mem_q[raddr_i];
  end
  assign rdata_o = rdata_q;
endmodule

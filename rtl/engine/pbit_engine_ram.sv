`default_nettype none
// A simple dual-port RAM of the engine (one write port, one read port, one
// clock): the read data is registered (available the cycle after raddr_i) and
// transparent, so a read in the cycle of a write to the same word returns the
// new word. Initial contents from a $readmemh file (File, "" = undefined);
// Writable = 0 is a ROM (we_i ignored).
//
// Memory idiom (like pbit_lut): no reset, `if (we) mem[a] <= d`, so tools infer
// block RAM (iCE40 EBR / SPRAM, Xilinx BRAM) or LUT ROM.
module pbit_engine_ram #(
  parameter int Depth = 2,        // [1,2^24] words
  parameter int Width = 1,        // [1,64] bits per word
  parameter int AddrBits = 1,     // [1,24] >= clog2(Depth)
  parameter bit Writable = 1'b1,  // [0,1] 0 = ROM
  parameter     File = ""         // $readmemh file of the initial contents ("" = none)
) (
  input  wire logic                clk_i,
  input  wire logic                we_i,
  input  wire logic [AddrBits-1:0] waddr_i,
  input  wire logic [Width-1:0]    wdata_i,
  input  wire logic [AddrBits-1:0] raddr_i,
  output      logic [Width-1:0]    rdata_o
);
  logic [Width-1:0] mem_q [Depth];
  logic [Width-1:0] rdata_q;

  if (File != "") begin : g_init
    initial $readmemh(File, mem_q);
  end

  if (Writable) begin : g_ram
    always_ff @(posedge clk_i) begin
      if (we_i) mem_q[waddr_i] <= wdata_i;
      rdata_q <= (we_i && waddr_i == raddr_i) ? wdata_i : mem_q[raddr_i];
    end
  end else begin : g_rom
    always_ff @(posedge clk_i) rdata_q <= mem_q[raddr_i];
    logic unused_write;
    assign unused_write = ^{we_i, waddr_i, wdata_i};
  end

  assign rdata_o = rdata_q;
endmodule

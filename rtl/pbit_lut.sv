`default_nettype none
// The tanh lookup table (spec.hpp make_lut): Depth words of Bits bits, one
// copy shared by every p-bit (table_o fans out to all cells, each reads its own
// entry), initial contents from a $readmemh file (pbit_lut.mem, generated).
//
// Writable = 1: a RAM written from the register bus (LUT_BASE + k); rewriting
// it changes beta without touching the weights (BetaMode::Lut). Reset does not
// restore the file contents. Writable = 0: a ROM (constant logic after
// synthesis), for small FPGAs; the host must then fold beta into J and h.
//
// Memory idiom (like OpenTitan's prim RAMs): no reset, `if (we) mem[a] <= d`.
module pbit_lut #(
  parameter int Depth = 32,        // [2,4096] power of two
  parameter int Bits = 16,         // [2,16] signed entry width
  parameter bit Writable = 1'b1,   // [0,1] 0 = ROM
  parameter     File = ""          // $readmemh file, Depth hex words ("" = undefined contents)
) (
  input  wire logic                     clk_i,
  input  wire logic                     we_i,
  input  wire logic [$clog2(Depth)-1:0] waddr_i,
  input  wire logic [Bits-1:0]          wdata_i,
  input  wire logic [$clog2(Depth)-1:0] raddr_i,
  output      logic [Bits-1:0]          rdata_o,  // bus read-back
  output      logic [Depth*Bits-1:0]    table_o   // entry k at [k*Bits +: Bits]
);
  logic [Bits-1:0] mem_q [Depth];

  if (File != "") begin : g_init
    initial $readmemh(File, mem_q);
  end

  if (Writable) begin : g_ram
    always_ff @(posedge clk_i) begin
      if (we_i) mem_q[waddr_i] <= wdata_i;
    end
  end else begin : g_rom
    logic unused_write;
    assign unused_write = ^{clk_i, we_i, waddr_i, wdata_i};
  end

  assign rdata_o = mem_q[raddr_i];

  // A procedural loop, not a generate loop: simulators unroll generate loops
  // (Verilator gives up above 1024 iterations; LutDepth goes to 4096).
  always_comb begin
    for (int k = 0; k < Depth; k++) table_o[k*Bits +: Bits] = mem_q[k];
  end
endmodule

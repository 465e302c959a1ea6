`default_nettype none
// One single-port RAM bank of pbit_engine_spram: 16-bit words, nibble write
// enables, one access a cycle (a read or a masked write), the read word
// registered (there the cycle after the read, held until the next read).
//
// With PBIT_ICE40_SPRAM defined (the iCE40 UP5K board build) this is the
// UP5K's SB_SPRAM256KA (16K x 16; it cannot be initialised from the
// bitstream); otherwise a model of it with Depth words (simulation, lint and
// generic synthesis), so everything around the primitive is the same RTL in
// simulation and on the board. The primitive's output is undefined after a
// write; the engine never uses a read word after a write to the same bank.
module pbit_engine_spram_bank #(
  parameter int Depth = 16384  // [1,16384] words of the model (the primitive has 16384)
) (
  input  wire logic        clk_i,
  input  wire logic        cs_i,    // access in this cycle
  input  wire logic        we_i,    // 1: masked write, 0: read
  input  wire logic [13:0] addr_i,  // < Depth
  input  wire logic [15:0] wdata_i,
  input  wire logic [3:0]  mask_i,  // nibble write enables
  output      logic [15:0] rdata_o
);
`ifdef PBIT_ICE40_SPRAM
  SB_SPRAM256KA u_spram (
    .ADDRESS(addr_i),
    .DATAIN(wdata_i),
    .MASKWREN(mask_i),
    .WREN(we_i),
    .CHIPSELECT(cs_i),
    .CLOCK(clk_i),
    .STANDBY(1'b0),
    .SLEEP(1'b0),
    .POWEROFF(1'b1),  // active low: powered
    .DATAOUT(rdata_o)
  );
`else
  localparam int AB = (Depth > 1) ? $clog2(Depth) : 1;
  logic [15:0]   mem_q [Depth];
  logic [15:0]   rdata_q;
  logic [AB-1:0] a;
  assign a = addr_i[AB-1:0];
  always_ff @(posedge clk_i) begin
    if (cs_i && we_i) begin
      for (int n = 0; n < 4; n++)
        if (mask_i[n]) mem_q[a][4*n +: 4] <= wdata_i[4*n +: 4];
    end
    if (cs_i && !we_i) rdata_q <= mem_q[a];
  end
  assign rdata_o = rdata_q;
  logic unused_addr;
  assign unused_addr = ^addr_i;
`endif
endmodule

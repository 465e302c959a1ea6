`default_nettype none
// A single-port RAM of the engine built from 16K x 16 banks
// (pbit_engine_spram_bank: the iCE40 UP5K's SPRAM on the board, a model of it
// elsewhere): Words words of 16 x Lanes bits, one access a cycle (en_i: a
// read, or with we_i a write under the nibble mask), the read word there the
// cycle after the read and held until the next read. Bank b holds words
// 16384 b .. 16384 b + 16383; a word of Lanes x 16 bits is Lanes banks side by
// side. The UP5K has 4 banks in all (the board build's fit check counts them).
module pbit_engine_spram #(
  parameter int Words = 1,     // [1,2^20]
  parameter int AddrBits = 1,  // [1,20] >= clog2(Words)
  parameter int Lanes = 1      // [1,4] 16-bit lanes a word
) (
  input  wire logic                  clk_i,
  input  wire logic                  en_i,
  input  wire logic                  we_i,
  input  wire logic [AddrBits-1:0]   addr_i,
  input  wire logic [16*Lanes-1:0]   wdata_i,
  input  wire logic [4*Lanes-1:0]    mask_i,
  output      logic [16*Lanes-1:0]   rdata_o
);
  localparam int BankWords = 16384;
  localparam int Banks = (Words + BankWords - 1) / BankWords;
  localparam int SelBits = (Banks > 1) ? $clog2(Banks) : 1;

  logic [31:0]         addr32;
  logic [13:0]         baddr;
  logic [SelBits-1:0]  sel, sel_d, sel_q;  // the bank of the access / of the last read
  logic [Banks*16*Lanes-1:0] bank_rdata;  // bank b's word at [16 Lanes b +: 16 Lanes]
  always_comb begin
    addr32 = 32'(addr_i);
    baddr = addr32[13:0];
    sel = SelBits'(addr32 >> 14);
    sel_d = (en_i && !we_i) ? sel : sel_q;
  end

  for (genvar b = 0; b < Banks; b++) begin : g_bank
    localparam int Depth = (b < Banks - 1) ? BankWords : Words - b * BankWords;
    for (genvar l = 0; l < Lanes; l++) begin : g_lane
      pbit_engine_spram_bank #(.Depth(Depth)) u_bank (
        .clk_i,
        .cs_i(en_i && 32'(sel) == b),
        .we_i,
        .addr_i(baddr),
        .wdata_i(wdata_i[16*l +: 16]),
        .mask_i(mask_i[4*l +: 4]),
        .rdata_o(bank_rdata[16*Lanes*b + 16*l +: 16])
      );
    end
  end

  assign rdata_o = bank_rdata[16*Lanes*((32'(sel_q) < Banks) ? 32'(sel_q) : 0) +: 16*Lanes];

  logic unused_addr;
  assign unused_addr = ^addr32;

  always_ff @(posedge clk_i) sel_q <= sel_d;
endmodule

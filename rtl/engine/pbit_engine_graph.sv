`default_nettype none
// The graph as the engine's lane sees it: the update order (an entry: the
// p-bit to update next and how many neighbour candidates it has) and, for a
// candidate j of the entry's p-bit, its neighbour (registered: there the
// cycle after the candidate is presented) and whether it is one.
//
//   NbrKind 0: ROMs generated per graph (any graph): the order ROM holds
//     {degree, cell} colour by colour, the neighbour ROM the cell of CSR slot
//     s of cell c at c 2^SlotBits + s; every candidate j < degree is valid.
//   NbrKind 1: pegasus:M from the coordinates (pbit_engine_pegasus): no ROMs,
//     15 candidates a p-bit, the valid ones in CSR slot order.
//
// start_i restarts the order; advance_i moves to the next p-bit; the lane
// waits for ent_valid_o (NbrKind 1 skips a few grid positions) and reads the
// entry while it holds it.
module pbit_engine_graph #(
  parameter int          NbrKind = 0,       // [0,1] 0 ROMs, 1 Pegasus coordinates
  parameter int          NumCells = 1,      // [1,2^20]
  parameter int          IdxBits = 1,       // [1,20]
  parameter int          SlotBits = 1,      // [1,5] (NbrKind 0) neighbour ROM slots a cell = 2^SlotBits
  parameter int          DegBits = 1,       // [1,5] (NbrKind 0)
  parameter              OrderFile = "",    // (NbrKind 0) $readmemh files
  parameter              NbrFile = "",
  parameter int          PegasusM = 2,      // (NbrKind 1) pbit_engine_pegasus parameters
  parameter logic [47:0] PegasusOffsets0 = '0,
  parameter logic [47:0] PegasusOffsets1 = '0,
  parameter int          PegasusFabricStart0 = 0,
  parameter int          PegasusFabricEnd0 = 0,
  parameter int          PegasusFabricStart1 = 0,
  parameter int          PegasusFabricEnd1 = 0
) (
  input  wire logic               clk_i,
  input  wire logic               rst_ni,
  input  wire logic               start_i,
  input  wire logic               advance_i,
  output      logic               ent_valid_o,
  output      logic [IdxBits-1:0] ent_idx_o,
  output      logic [4:0]         ent_ncand_o,  // candidates of the entry's p-bit
  output      logic [1:0]         ent_col_o,    // its colour (NbrKind 1; 0 for the ROMs, which do not know it)
  input  wire logic               cand_en_i,
  input  wire logic [4:0]         cand_i,
  output      logic               nbr_valid_o,
  output      logic [IdxBits-1:0] nbr_o
);
  if (NbrKind == 1) begin : g_pegasus
    pbit_engine_pegasus #(
      .M(PegasusM),
      .IdxBits(IdxBits),
      .Offsets0(PegasusOffsets0),
      .Offsets1(PegasusOffsets1),
      .FabricStart0(PegasusFabricStart0),
      .FabricEnd0(PegasusFabricEnd0),
      .FabricStart1(PegasusFabricStart1),
      .FabricEnd1(PegasusFabricEnd1)
    ) u_pegasus (
      .clk_i,
      .rst_ni,
      .start_i,
      .advance_i,
      .ent_valid_o,
      .ent_idx_o,
      .ent_col_o,
      .cand_en_i,
      .cand_i,
      .nbr_valid_o,
      .nbr_o
    );
    assign ent_ncand_o = 5'd15;
  end else begin : g_rom
    localparam int OrderBits = DegBits + IdxBits;
    logic [IdxBits-1:0]   pos_d, pos_q;
    logic [OrderBits-1:0] entry;
    logic                 nv_q;
    always_comb begin
      pos_d = pos_q;
      if (advance_i) pos_d = pos_q + IdxBits'(1);
      if (start_i) pos_d = '0;
    end
    // The ROM's read address is the next position, so its word is there the
    // cycle after a start or advance and stays while the position holds.
    pbit_engine_ram #(.Depth(NumCells), .Width(OrderBits), .AddrBits(IdxBits), .Writable(1'b0),
                      .File(OrderFile)) u_orom (
      .clk_i, .we_i(1'b0), .waddr_i('0), .wdata_i('0), .raddr_i(pos_d), .rdata_o(entry));
    pbit_engine_ram #(.Depth(NumCells * (1 << SlotBits)), .Width(IdxBits), .AddrBits(IdxBits + SlotBits),
                      .Writable(1'b0), .File(NbrFile)) u_nrom (
      .clk_i, .we_i(1'b0), .waddr_i('0), .wdata_i('0), .raddr_i({entry[IdxBits-1:0], cand_i[SlotBits-1:0]}),
      .rdata_o(nbr_o));
    assign ent_valid_o = 1'b1;
    assign ent_col_o = '0;
    assign ent_idx_o = entry[IdxBits-1:0];
    assign ent_ncand_o = 5'(entry[IdxBits +: DegBits]);
    assign nbr_valid_o = nv_q;

    logic unused_cand;
    assign unused_cand = ^cand_i;

    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        pos_q <= '0;
        nv_q <= 1'b0;
      end else begin
        pos_q <= pos_d;
        nv_q <= cand_en_i;
      end
    end
  end
endmodule

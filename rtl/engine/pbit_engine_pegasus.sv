`default_nettype none
// The graph of the engine for pegasus:M, computed from the Pegasus coordinates
// instead of read from ROMs (rtl/README.md "The engine on the iCE40"): the
// update order and each p-bit's neighbours in CSR slot order.
//
// Coordinates (u, w, k, z) as graphs/ (D-Wave's pegasus_graph(M), fabric only):
// label ((M u + w) 12 + k)(M-1) + z. The fabric drops whole tracks (u, w, k):
// k < FabricStart[u] at w = 0 and k >= 12 - FabricEnd[u] at w = M-1, all at the
// start or end of an orientation's labels, so the compact index of a p-bit is
// ((M u + w) 12 + k - Skip[u])(M-1) + z with Skip[0] = FabricStart[0],
// Skip[1] = FabricStart[0] + FabricEnd[0] + FabricStart[1].
//
// Update order: colour 2u + (k + z) mod 2 (graphs/ coloring.cpp), colour by
// colour; within a colour by w, k, then z in steps of 2. A lookahead position
// walks the (u, w, k, z) grid, skipping positions outside the fabric or the
// track (a cycle each, mostly while the lane works), and the entry (the p-bit
// being updated) takes it over when the lane asks for the next p-bit, at the
// earliest the cycle after the lookahead reached it.
//
// Candidates: 15 per p-bit, in ascending compact index (the CSR slot order),
// each valid or not:
//   own orientation: k even: (k, z-1), (k, z+1), (k+1, z); k odd: (k-1, z),
//     (k, z-1), (k, z+1) (the external couplers exist inside the track only);
//   internal, orientation u' = 1-u: for i = 0..11, kk = (S + i) mod 12 with
//     S = Offsets[u][k]: (u', w' = z + [kk < S], kk, z' = w - [k < Offsets[u'][kk]]),
//     valid when 0 <= z' <= M-2 and (u', w', kk) is in the fabric.
//   u = 0: own first (smaller labels), then internal; u = 1: internal first.
// With w' in {z, z+1} and kk rising within each, this is label order; the
// host side checks it against the graph's CSR (rtl::engine_pegasus_candidates).
// A candidate presented in one cycle has its neighbour's index and validity
// registered in the next.
module pbit_engine_pegasus #(
  parameter int          M = 2,               // [2,32] pegasus:M
  parameter int          IdxBits = 1,         // [1,20] compact index bits
  parameter logic [47:0] Offsets0 = '0,       // S0[k] = Offsets0[4k +: 4] (vertical, u = 0)
  parameter logic [47:0] Offsets1 = '0,       // S1[k] (horizontal, u = 1)
  parameter int          FabricStart0 = 0,    // [0,12] tracks k < this dropped at w = 0 (u = 0)
  parameter int          FabricEnd0 = 0,      // [0,12] tracks k >= 12 - this dropped at w = M-1
  parameter int          FabricStart1 = 0,    // [0,12] the same for u = 1
  parameter int          FabricEnd1 = 0       // [0,12]
) (
  input  wire logic               clk_i,
  input  wire logic               rst_ni,
  // order
  input  wire logic               start_i,    // restart at the first p-bit of colour 0
  input  wire logic               advance_i,  // the entry's p-bit is done: take the next
  output      logic               ent_valid_o,
  output      logic [IdxBits-1:0] ent_idx_o,
  output      logic [1:0]         ent_col_o,  // the entry's colour
  // candidates of the entry's p-bit
  input  wire logic               cand_en_i,
  input  wire logic [4:0]         cand_i,     // 0..14
  output      logic               nbr_valid_o,  // (registered) the candidate is a neighbour
  output      logic [IdxBits-1:0] nbr_o         // (registered) its compact index
);
  localparam int CBits = $clog2(M + 2);  // w, z and z + 2
  localparam int M1 = M - 1;
  localparam int Skip0 = FabricStart0;
  localparam int Skip1 = FabricStart0 + FabricEnd0 + FabricStart1;

  // x * c for a constant c as shifts and adds: yosys -dsp would map a
  // multiplier to an iCE40 DSP, whose paths nextpnr-ice40 0.4 does not time.
  function automatic logic [31:0] cmul(input logic [31:0] x, input logic [31:0] c);
    cmul = '0;
    for (int b = 0; b < 32; b++)
      if (c[b]) cmul = cmul + (x << b);
  endfunction
  function automatic logic [3:0] offset(input logic u, input logic [3:0] k);
    offset = u ? Offsets1[4*k +: 4] : Offsets0[4*k +: 4];
  endfunction
  // (u, w, k) is a track of the fabric
  function automatic logic in_fabric(input logic u, input logic [CBits-1:0] w, input logic [3:0] k);
    in_fabric = !(w == '0 && 32'(k) < (u ? FabricStart1 : FabricStart0)) &&
                !(32'(w) == M - 1 && 32'(k) >= 12 - (u ? FabricEnd1 : FabricEnd0));
  endfunction

  // ---- the lookahead position and the entry
  logic [1:0]         la_col_d, la_col_q;  // colour 2u + (k + z) mod 2
  logic [CBits-1:0]   la_w_d, la_w_q, la_z_d, la_z_q;
  logic [3:0]         la_k_d, la_k_q;
  logic               la_fresh_d, la_fresh_q;  // la_idx_q, la_base_q belong to the position
  logic [IdxBits-1:0] la_idx_d, la_idx_q, la_base_d, la_base_q;
  logic               ent_valid_d, ent_valid_q;
  logic               ent_u_d, ent_u_q;
  logic [1:0]         ent_col_d, ent_col_q;
  logic               ent_w0_d, ent_w0_q, ent_wl_d, ent_wl_q;  // w = 0, w = M-1
  logic               ent_z0_d, ent_z0_q, ent_zl_d, ent_zl_q;  // z = 0, z = M-2
  logic [3:0]         ent_k_d, ent_k_q;
  logic [IdxBits-1:0] ent_idx_d, ent_idx_q, ent_base_d, ent_base_q;
  // the next internal candidate: kk, and a = [kk < S] (kk runs S..11, then 0..S-1)
  logic [3:0]         kk_d, kk_q;
  logic               a_d, a_q;

  logic               la_u, la_ok, take, internal;
  logic [1:0]         nx_col;
  logic [CBits-1:0]   nx_w, nx_z;
  logic [3:0]         nx_k;
  always_comb begin
    la_u = la_col_q[1];
    la_ok = in_fabric(la_u, la_w_q, la_k_q) && 32'(la_z_q) <= M - 2;
    // The next position: z + 2 on the track, else the next track's first z of the colour.
    nx_col = la_col_q;
    nx_w = la_w_q;
    nx_k = la_k_q;
    nx_z = la_z_q + CBits'(2);
    if (32'(la_z_q) + 2 > M - 2) begin
      if (la_k_q == 4'd11) begin
        nx_k = '0;
        if (32'(la_w_q) == M - 1) begin
          nx_w = '0;
          nx_col = la_col_q + 2'd1;
        end else begin
          nx_w = la_w_q + CBits'(1);
        end
      end else begin
        nx_k = la_k_q + 4'd1;
      end
      nx_z = {{(CBits - 1){1'b0}}, nx_col[0] ^ nx_k[0]};  // (k + z) mod 2 = the colour's parity
    end
    // The lookahead's compact index and the base of its internal neighbours'
    // indices, ((M u' + z) 12 - Skip[u'])(M-1) + w (mod 2^IdxBits, exact in the
    // end), registered: a position is taken only the cycle after it is reached
    // (la_fresh), which keeps these multiplications out of the entry's path.
    la_idx_d = IdxBits'(cmul(cmul((la_u ? M : 0) + 32'(la_w_q), 12) + 32'(la_k_q) - (la_u ? Skip1 : Skip0), M1) +
                        32'(la_z_q));
    la_base_d = IdxBits'(cmul(cmul((la_u ? 0 : M) + 32'(la_z_q), 12) - (la_u ? Skip0 : Skip1), M1) + 32'(la_w_q));

    take = (advance_i || !ent_valid_q) && la_ok && la_fresh_q;
    la_col_d = la_col_q;
    la_w_d = la_w_q;
    la_k_d = la_k_q;
    la_z_d = la_z_q;
    la_fresh_d = 1'b1;
    if (take || !la_ok) begin
      la_col_d = nx_col;
      la_w_d = nx_w;
      la_k_d = nx_k;
      la_z_d = nx_z;
      la_fresh_d = 1'b0;
    end
    ent_valid_d = ent_valid_q && !advance_i;
    ent_u_d = ent_u_q;
    ent_col_d = ent_col_q;
    ent_w0_d = ent_w0_q;
    ent_wl_d = ent_wl_q;
    ent_z0_d = ent_z0_q;
    ent_zl_d = ent_zl_q;
    ent_k_d = ent_k_q;
    ent_idx_d = ent_idx_q;
    ent_base_d = ent_base_q;
    // The candidates: kk steps with every internal one.
    internal = ent_u_q ? (cand_i < 5'd12) : (cand_i >= 5'd3);
    kk_d = kk_q;
    a_d = a_q;
    if (cand_en_i && internal) begin
      kk_d = (kk_q == 4'd11) ? 4'd0 : kk_q + 4'd1;
      a_d = a_q || kk_q == 4'd11;
    end
    if (take) begin
      ent_valid_d = 1'b1;
      ent_u_d = la_u;
      ent_col_d = la_col_q;
      ent_w0_d = la_w_q == '0;
      ent_wl_d = 32'(la_w_q) == M - 1;
      ent_z0_d = la_z_q == '0;
      ent_zl_d = 32'(la_z_q) == M - 2;
      ent_k_d = la_k_q;
      ent_idx_d = la_idx_q;
      ent_base_d = la_base_q;
      kk_d = offset(la_u, la_k_q);
      a_d = 1'b0;
    end
    if (start_i) begin
      la_col_d = '0;
      la_w_d = '0;
      la_k_d = '0;
      la_z_d = '0;
      la_fresh_d = 1'b0;
      ent_valid_d = 1'b0;
    end
  end
  assign ent_valid_o = ent_valid_q;
  assign ent_idx_o = ent_idx_q;
  assign ent_col_o = ent_col_q;

  // ---- the candidate presented: its neighbour's index and validity
  logic               b, w_ok, f_ok, nv_d, nv_q, up;
  logic [1:0]         o;
  logic [IdxBits-1:0] nb_d, nb_q, kkm;
  always_comb begin
    up = !ent_u_q;  // the other orientation u'
    o = ent_u_q ? 2'(cand_i - 5'd12) : 2'(cand_i);
    b = ent_k_q < offset(up, kk_q);  // z' = w - b
    w_ok = !(ent_w0_q && b) && !(ent_wl_q && !b);  // 0 <= z' <= M-2
    // (u', w' = z + a, kk) in the fabric; w' = 0 iff z = 0 and !a, w' = M-1 iff z = M-2 and a
    f_ok = !(ent_z0_q && !a_q && 32'(kk_q) < (up ? FabricStart1 : FabricStart0)) &&
           !(ent_zl_q && a_q && 32'(kk_q) >= 12 - (up ? FabricEnd1 : FabricEnd0));
    kkm = IdxBits'(cmul(32'(kk_q), M1));
    nv_d = w_ok && f_ok;
    nb_d = ent_base_q + (a_q ? IdxBits'(12 * M1) : '0) + kkm - IdxBits'(b);
    if (!internal) begin
      nv_d = 1'b1;
      if (!ent_k_q[0]) begin
        unique case (o)
          2'd0: begin nv_d = !ent_z0_q; nb_d = ent_idx_q - IdxBits'(1); end
          2'd1: begin nv_d = !ent_zl_q; nb_d = ent_idx_q + IdxBits'(1); end
          default: nb_d = ent_idx_q + IdxBits'(M1);
        endcase
      end else begin
        unique case (o)
          2'd0: nb_d = ent_idx_q - IdxBits'(M1);
          2'd1: begin nv_d = !ent_z0_q; nb_d = ent_idx_q - IdxBits'(1); end
          default: begin nv_d = !ent_zl_q; nb_d = ent_idx_q + IdxBits'(1); end
        endcase
      end
    end
    nv_d = nv_d && cand_en_i;
  end
  assign nbr_valid_o = nv_q;
  assign nbr_o = nb_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      la_col_q <= '0;
      la_w_q <= '0;
      la_k_q <= '0;
      la_z_q <= '0;
      la_fresh_q <= 1'b0;
      la_idx_q <= '0;
      la_base_q <= '0;
      ent_valid_q <= 1'b0;
      ent_u_q <= 1'b0;
      ent_col_q <= '0;
      ent_w0_q <= 1'b0;
      ent_wl_q <= 1'b0;
      ent_z0_q <= 1'b0;
      ent_zl_q <= 1'b0;
      ent_k_q <= '0;
      ent_idx_q <= '0;
      ent_base_q <= '0;
      kk_q <= '0;
      a_q <= 1'b0;
      nv_q <= 1'b0;
      nb_q <= '0;
    end else begin
      la_col_q <= la_col_d;
      la_w_q <= la_w_d;
      la_k_q <= la_k_d;
      la_z_q <= la_z_d;
      la_fresh_q <= la_fresh_d;
      la_idx_q <= la_idx_d;
      la_base_q <= la_base_d;
      ent_valid_q <= ent_valid_d;
      ent_u_q <= ent_u_d;
      ent_col_q <= ent_col_d;
      ent_w0_q <= ent_w0_d;
      ent_wl_q <= ent_wl_d;
      ent_z0_q <= ent_z0_d;
      ent_zl_q <= ent_zl_d;
      ent_k_q <= ent_k_d;
      ent_idx_q <= ent_idx_d;
      ent_base_q <= ent_base_d;
      kk_q <= kk_d;
      a_q <= a_d;
      nv_q <= nv_d;
      nb_q <= nb_d;
    end
  end
endmodule

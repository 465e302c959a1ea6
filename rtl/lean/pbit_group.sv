`default_nettype none
// A group of p-bits of different colours sharing ONE update datapath (the
// lean array, `pbit rtl emit --arch lean`). Member k is the group's p-bit of
// colour k (Members = NumColors; a colour the group has no p-bit of leaves
// member k unused: never addressed, its state not wired). The chromatic
// schedule updates colour k in phase k, so the group updates member k in phase
// k through its one sum, LUT and compare: sharing costs no throughput.
//
// Kept per member in small RAMs read at the phase (distributed RAM on an
// FPGA, written only from the bus or by the member's own update):
//   the couplings J_s (one row of all slots, written from a staging row), the offset h - sum_s J_s (written by
//   the host: spec.hpp gated_sum_offset), the sample RNG state.
// Kept per member in flip-flops: the state, the clamp enable and value.
//
// One update (spec.hpp gated_sum, then pbit_decide; the same bits as pbit_cell):
//   I   = sat_SumBits(offset + 2 sum_{s: nbr_s = +1} J_s)   modulo 2^AccBits: exact
//   k   = min(|I| >> LutShift, LutDepth - 1)
//   v   = sign(I) * lut[k]                                   lut: a ROM (LutFile)
//   w   = rng_step(rng)                                      the new RNG state
//   m   = (v > (signed top LutBits of w)) ? +1 : -1; a clamped member takes its clamp value
// The RNG steps on every update, clamped or not (as pbit_cell).
//
// Registers (cell window; the array answers every read with 0): OFFSET, CLAMP,
// RNG_STATE, STATE and COUPLING + s (s < the member's degree) are writable,
// wok_o says so for the selected member; FIELD and TIMER_STATE are not kept
// (writes to them are bus errors). The RAMs have no reset: the host writes
// every member before running. Reset clears states and clamps.
module pbit_group #(
  parameter int Members = 1,      // [1,255] = NumColors; member k has colour k
  parameter int Slots = 1,        // [1,MaxSlots] coupling slots: the largest member degree (>= 1)
  parameter int WeightBits = 6,   // [2,16] J, two's complement
  parameter int SumBits = 6,      // [WeightBits,24] I after saturation
  parameter int LutDepth = 32,    // [2,4096] power of two
  parameter int LutShift = 0,     // [0,SumBits-1]
  parameter int LutBits = 16,     // [2,16]
  parameter int RngKind = 0,      // [0,1] 0 = lfsr32, 1 = xorshift32
  parameter     LutFile = "",     // $readmemh file of the LUT ROM
  parameter int PhaseBits = (Members > 1) ? $clog2(Members) : 1  // derived: do not set
) (
  input  wire logic                             clk_i,
  input  wire logic                             rst_ni,
  input  wire logic                             upd_i,    // a chromatic phase runs
  input  wire logic [PhaseBits-1:0]             phase_i,  // ... its colour (= the member it updates)
  input  wire logic [Members*8-1:0]             deg_i,    // member k's degree at [8k +: 8] (constant)
  input  wire logic [Members*Slots-1:0]         nbr_i,    // member k's slot s at k*Slots + s; 0 past its degree
  input  wire logic [Members-1:0]               sel_i,    // member k addressed (at most one)
  input  wire logic                             we_i,     // bus write strobe
  input  wire logic [pbit_pkg::CellRegBits-1:0] reg_i,
  input  wire logic [31:0]                      wdata_i,
  output      logic                             wok_o,    // a write to reg_i of the selected member is legal
  output      logic [Members-1:0]               state_o   // 1 = +1
);
  localparam int SlotBits = (Slots > 1) ? $clog2(Slots) : 1;
  localparam int AccBitsMin = WeightBits + $clog2(Slots + 1) + 1;  // spec.hpp gated_acc_bits
  localparam int AccBits = (AccBitsMin > SumBits) ? AccBitsMin : SumBits;
  localparam int IdxBits = $clog2(LutDepth);
  localparam int GBits = WeightBits + $clog2(Slots + 1);  // sum of up to Slots couplings

  // ---- the bus side: the selected member, its degree, the register decode
  logic                             wsel, we_any, in_j;
  logic [PhaseBits-1:0]             wm;
  logic [7:0]                       wdeg;
  logic [pbit_pkg::CellRegBits-1:0] slot_j;
  always_comb begin
    wsel = |sel_i;
    wm = '0;
    wdeg = '0;
    for (int k = 0; k < Members; k++) begin
      if (sel_i[k]) begin
        wm = wm | PhaseBits'(k);
        wdeg = wdeg | deg_i[k*8 +: 8];
      end
    end
  end
  assign we_any = we_i & wsel;
  assign slot_j = reg_i - pbit_pkg::CellRegCoupling;
  assign in_j = reg_i >= pbit_pkg::CellRegCoupling && 8'(slot_j) < wdeg;
  assign wok_o = wsel & (in_j || reg_i == pbit_pkg::CellRegOffset || reg_i == pbit_pkg::CellRegClamp ||
                         reg_i == pbit_pkg::CellRegRngState || reg_i == pbit_pkg::CellRegState);

  // ---- couplings: one RAM row per member (all its slots), read at the phase.
  // A COUPLING write stores its value in slot s of the group's staging row (flip-
  // flops) and, one cycle later, the whole staging row into the member's row: one
  // wide RAM instead of a RAM per slot (a slot-wise write would need a RAM per
  // slot: about twice the LUTs). So the host writes all slots 0..degree-1 of a
  // cell in one burst (slots past the degree hold whatever: their neighbours read 0).
  logic [Slots*WeightBits-1:0] stage_q, j_rd;
  logic [Slots*WeightBits-1:0] j_mem [Members];
  logic                        jwr_q;
  logic [PhaseBits-1:0]        jm_q;
  always_ff @(posedge clk_i) begin
    for (int s = 0; s < Slots; s++) begin
      if (we_any && in_j && slot_j[SlotBits-1:0] == SlotBits'(s)) stage_q[s*WeightBits +: WeightBits] <= wdata_i[WeightBits-1:0];
    end
  end
  always_ff @(posedge clk_i) begin
    if (!rst_ni) jwr_q <= 1'b0;
    else jwr_q <= we_any && in_j;
    jm_q <= wm;
  end
  always_ff @(posedge clk_i) begin
    if (jwr_q) j_mem[jm_q] <= stage_q;
  end
  assign j_rd = j_mem[phase_i];

  // ---- offsets (h - sum_s J_s, the low AccBits bits)
  logic [AccBits-1:0] off_mem [Members];
  logic [AccBits-1:0] off_rd;
  always_ff @(posedge clk_i) begin
    if (we_any && reg_i == pbit_pkg::CellRegOffset) off_mem[wm] <= wdata_i[AccBits-1:0];
  end
  assign off_rd = off_mem[phase_i];

  // ---- sample RNG states: stepped by the update, written by the bus when idle
  logic [31:0]          rng_mem [Members];
  logic [31:0]          rng_cur, rng_word, rng_wd;
  logic                 rng_we;
  logic [PhaseBits-1:0] rng_wa;
  assign rng_cur = rng_mem[phase_i];
  // (the engine's combinational RNG step: one definition of both kinds)
  pbit_engine_rng #(.Kind(RngKind)) u_rng_step (.state_i(rng_cur), .next_o(rng_word));
  always_comb begin
    if (upd_i) begin
      rng_we = 1'b1;
      rng_wa = phase_i;
      rng_wd = rng_word;
    end else begin
      rng_we = we_any && reg_i == pbit_pkg::CellRegRngState;
      rng_wa = wm;
      rng_wd = wdata_i;
    end
  end
  always_ff @(posedge clk_i) begin
    if (rng_we) rng_mem[rng_wa] <= rng_wd;
  end

  // ---- the shared datapath: gated sum, saturation, LUT, compare
  logic [Slots-1:0]     nbr_r;  // the updating member's neighbours
  logic [GBits-1:0]     gsum;
  logic [AccBits-1:0]   acc;
  logic [SumBits-1:0]   sum, mag;
  logic [31:0]          bucket;
  logic [IdxBits-1:0]   k_idx;
  logic [LutBits-1:0]   lut_v;
  logic [LutBits:0]     v, r;
  logic                 dec;
  always_comb begin
    nbr_r = '0;  // a Members:1 mux per slot (not an index arithmetic: a barrel shifter)
    for (int k = 0; k < Members; k++) begin
      if (phase_i == PhaseBits'(k)) nbr_r = nbr_i[k*Slots +: Slots];
    end
    // G = sum of the couplings of the +1 neighbours (|G| <= Slots 2^(W-1): GBits),
    // gated before the adders; then I = offset + 2 G.
    gsum = '0;
    for (int s = 0; s < Slots; s++) begin
      gsum = gsum + ({GBits{nbr_r[s]}} & GBits'(signed'(j_rd[s*WeightBits +: WeightBits])));
    end
    acc = off_rd + (AccBits'(signed'(gsum)) << 1);
    // Saturate: in range iff the bits above the sign bit of SumBits all equal it.
    if (acc[AccBits-1:SumBits-1] == '0 || acc[AccBits-1:SumBits-1] == '1) begin
      sum = acc[SumBits-1:0];
    end else begin
      sum = {acc[AccBits-1], {(SumBits - 1){~acc[AccBits-1]}}};
    end
    mag = sum[SumBits-1] ? -sum : sum;
    bucket = 32'(mag) >> LutShift;
    k_idx = (bucket > 32'(LutDepth - 1)) ? IdxBits'(LutDepth - 1) : bucket[IdxBits-1:0];
  end
  // (a block of its own: the LUT sits between k_idx and lut_v)
  always_comb begin
    v = sum[SumBits-1] ? -{lut_v[LutBits-1], lut_v} : {lut_v[LutBits-1], lut_v};
    r = {rng_word[31], rng_word[31 -: LutBits]};
    dec = $signed(v) > $signed(r);
  end

  logic [LutDepth*LutBits-1:0] unused_lut_table;
  pbit_lut #(
    .Depth(LutDepth),
    .Bits(LutBits),
    .Writable(1'b0),
    .File(LutFile)
  ) u_lut (
    .clk_i,
    .we_i(1'b0),
    .waddr_i('0),
    .wdata_i('0),
    .raddr_i(k_idx),
    .rdata_o(lut_v),
    .table_o(unused_lut_table)
  );

  // ---- per-member flip-flops: state, clamp (clamp wins, already in the
  // cycle its CLAMP register is written; then a bus STATE write; then the update)
  logic [Members-1:0] state_q, clamp_en_q, clamp_val_q;
  always_ff @(posedge clk_i) begin : p_state
    logic wr_clamp;
    if (!rst_ni) begin
      state_q <= '0;
      clamp_en_q <= '0;
      clamp_val_q <= '0;
    end else begin
      for (int k = 0; k < Members; k++) begin
        wr_clamp = we_any && sel_i[k] && reg_i == pbit_pkg::CellRegClamp;
        if (wr_clamp) begin
          clamp_en_q[k] <= wdata_i[pbit_pkg::ClampEnableBit];
          clamp_val_q[k] <= wdata_i[pbit_pkg::ClampValueBit];
        end
        if (wr_clamp ? wdata_i[pbit_pkg::ClampEnableBit] : clamp_en_q[k])
          state_q[k] <= wr_clamp ? wdata_i[pbit_pkg::ClampValueBit] : clamp_val_q[k];
        else if (we_any && sel_i[k] && reg_i == pbit_pkg::CellRegState) state_q[k] <= wdata_i[0];
        else if (upd_i && phase_i == PhaseBits'(k)) state_q[k] <= dec;
      end
    end
  end
  assign state_o = state_q;

  logic unused;
  assign unused = ^{unused_lut_table, rng_word[31-LutBits:0], wdata_i, slot_j};
endmodule

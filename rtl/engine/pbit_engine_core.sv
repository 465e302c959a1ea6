`default_nettype none
// The engine's memories and its update lane (rtl/README.md "The engine").
//
// Everything a p-bit has lives in RAM: couplings (jmem), fields (hmem), clamps
// (cmem), sample RNG states (rmem) and states (smem, 32 per word, word w =
// cells 32w..32w+31, the STATES register layout). The graph (update order and
// neighbours) comes from pbit_engine_graph: ROMs generated per graph
// (NbrKind 0) or, for pegasus:M, computed from the coordinates (NbrKind 1).
//
// Couplings and RNG states are in single-port RAMs of 16-bit words
// (pbit_engine_spram: the iCE40 UP5K's SPRAM on the board): slot s of cell c
// is slot c * Stride + s (Stride = MaxDegree), two slots a word (bytes 0 and
// 1, written under a nibble mask) when WeightBits <= 8, else one; an RNG
// state is a 32-bit word at c. The rest are two-port RAMs (block RAM).
//
// A sweep walks the update order once. The p-bits of one colour never
// neighbour each other, so updating them one after the other gives exactly the
// chromatic schedule's result; a p-bit finishes (state and RNG written) before
// the next one reads anything, so colour boundaries need no special care.
// One p-bit takes candidates + 4 cycles (candidates: the degree, or 15 for
// Pegasus coordinates):
//   Head    the order entry is there: read h, clamp, RNG state; candidate 0
//   Slots   one candidate a cycle: its neighbour (and whether it is one) from
//           the graph, then J of the next slot and the neighbour's state
//           word, then I += m ? J : -J (a 3-stage pipeline); after the last:
//           saturate, read LUT[k] and the p-bit's own state word
//   Write   v = sign(I) LUT[k], w = rng_step(state), m = v > top(w) (or the
//           clamp value); write the state word and the RNG state
//
// Bus side (only while no sweep runs; pbit_engine_ctrl refuses writes while
// busy). The two-port RAMs' read ports take the address of the request as it
// arrives (la_addr_i, the cycle before the decode), so in the decode cycle the
// words of the addressed cell, LUT entry or state word are there: reads answer
// from them (cell_rdata_o, lut_rdata_o, state_word_o) and writes modify them
// (a STATE or CLAMP write rewrites the state word with one bit changed); they
// are transparent, so back-to-back requests see each other's writes. The
// single-port RAMs are accessed in the decode cycle itself (addr_i): a write
// is one masked write, a read's word is there in the next cycle, the one the
// bus answers in (late_o, late_rdata_o). One request a cycle, one access each:
// no conflicts. While a sweep runs, the RAM-held registers read 0.
module pbit_engine_core #(
  parameter int          NumCells = 1,      // [1,2^20]
  parameter int          IdxBits = 1,       // [1,20] = max(1, clog2(NumCells))
  parameter int          MaxDegree = 0,     // [0,24]
  parameter int          SlotBits = 1,      // [1,5] neighbour ROM slots a cell = 2^SlotBits (NbrKind 0)
  parameter int          DegBits = 1,       // [1,5] = max(1, clog2(MaxDegree + 1))
  parameter int          WeightBits = 6,    // [2,16]
  parameter int          SumBits = 6,       // [WeightBits,24]
  parameter int          LutDepth = 32,     // [2,4096] power of two
  parameter int          LutShift = 0,      // [0,SumBits-1]
  parameter int          LutBits = 16,      // [2,16]
  parameter int          RngKind = 0,       // [0,1] 0 = lfsr32, 1 = xorshift32
  parameter bit          LutWritable = 1'b1,  // [0,1] 0: the LUT is a ROM
  parameter bit          StateMirror = 1'b1,  // [0,1] keep a flip-flop copy of the states on state_o
  parameter int          NbrKind = 0,       // [0,1] pbit_engine_graph: 0 ROMs, 1 Pegasus coordinates
  parameter int          PegasusM = 2,      // (NbrKind 1) pbit_engine_pegasus
  parameter logic [47:0] PegasusOffsets0 = '0,
  parameter logic [47:0] PegasusOffsets1 = '0,
  parameter int          PegasusFabricStart0 = 0,
  parameter int          PegasusFabricEnd0 = 0,
  parameter int          PegasusFabricStart1 = 0,
  parameter int          PegasusFabricEnd1 = 0,
  parameter              LutFile = "",      // $readmemh files: LUT contents,
  parameter              OrderFile = "",    //   update order {degree, cell} (NbrKind 0),
  parameter              NbrFile = "",      //   neighbour cells by slot (NbrKind 0),
  parameter              DegFile = ""       //   degree by cell
) (
  input  wire logic                     clk_i,
  input  wire logic                     rst_ni,
  // sequencer
  input  wire logic                     run_i,     // start (another) sweep when idle
  output      logic                     done_o,    // a sweep's last p-bit is written
  // bus: the request's address as it arrives, then the decode cycle
  input  wire logic [pbit_pkg::AddrBits-1:0] la_addr_i,
  input  wire logic [pbit_pkg::AddrBits-1:0] addr_i,  // registered request address
  input  wire logic [31:0]              wdata_i,
  input  wire logic                     cell_we_i,  // a write request to the cell register addr_i (unchecked)
  input  wire logic                     cell_re_i,  // read the cell register addr_i
  input  wire logic                     lut_we_i,   // write the LUT entry addr_i
  output      logic [31:0]              cell_rdata_o,
  output      logic                     cell_wok_o, // addr_i is a writable cell register
  output      logic [LutBits-1:0]       lut_rdata_o,
  output      logic [31:0]              state_word_o,
  output      logic                     late_o,       // the read of the previous cycle answers
  output      logic [31:0]              late_rdata_o, //   with this (a single-port RAM's word)
  // observation
  output      logic [NumCells-1:0]      state_o
);
  localparam int AddrBits = pbit_pkg::AddrBits;
  localparam int RegBits = pbit_pkg::CellRegBits;
  localparam int CellBaseLog = $clog2(pbit_pkg::CellBase);  // regmap.hpp: a power of two
  localparam int StateWords = (NumCells + 31) / 32;
  localparam int SwBits = (StateWords > 1) ? $clog2(StateWords) : 1;
  localparam int LutIdxBits = $clog2(LutDepth);
  localparam int AccBitsMin = WeightBits + $clog2(MaxDegree + 1) + 1;
  localparam int AccBits = (AccBitsMin > SumBits) ? AccBitsMin : SumBits;
  // couplings: slot c * Stride + s, JPerWord slots a 16-bit word
  localparam int Stride = (MaxDegree > 0) ? MaxDegree : 1;
  localparam int JSlots = NumCells * Stride;
  localparam int JPerWord = (WeightBits <= 8) ? 2 : 1;
  localparam int JWords = (JSlots + JPerWord - 1) / JPerWord;
  localparam int JAddrBits = (JSlots > 1) ? $clog2(JSlots) : 1;
  localparam int JWordBits = (JWords > 1) ? $clog2(JWords) : 1;

  // x * c for a constant c as shifts and adds: yosys -dsp would map a
  // multiplier to an iCE40 DSP, whose paths nextpnr-ice40 0.4 does not time.
  function automatic logic [31:0] cmul(input logic [31:0] x, input logic [31:0] c);
    cmul = '0;
    for (int b = 0; b < 32; b++)
      if (c[b]) cmul = cmul + (x << b);
  endfunction

  typedef enum logic [0:0] {
    StIdle = 1'b0,
    StRun  = 1'b1
  } state_e;

  // ---- the lane's registers. A candidate moves through stages 0 (presented
  // to the graph), 1 (its neighbour: read J and the neighbour's state word),
  // 2 (I += m ? J : -J); after a p-bit's last candidate its tail: 3 (saturate,
  // read the LUT and the p-bit's state word) and 4 (decide, write the state
  // bit and the RNG state).
  state_e               st_d, st_q;
  logic [IdxBits-1:0]   issued_d, issued_q;  // p-bits started in this sweep
  logic                 more_d, more_q;      // fewer than NumCells (a flag: no compare in stage 0's path)
  logic [IdxBits-1:0]   pos_d, pos_q;        // p-bits written in this sweep
  logic [IdxBits-1:0]   idx_d, idx_q;        // the p-bit whose candidates are presented
  logic [1:0]           col_d, col_q;        // its colour (NbrKind 1)
  logic [JAddrBits-1:0] jbase_d, jbase_q;    // its slot 0
  logic [4:0]           nlast_d, nlast_q;    // its last candidate (its candidates to present - 1)
  logic                 rem_d, rem_q;        // some of them are still to present
  logic [4:0]           nreal_d, nreal_q;    // of which real (the graph's count; 0 for isolated p-bits)
  logic [4:0]           j_d, j_q;            // next candidate to present (0 between p-bits)
  logic [4:0]           s_d, s_q;            // next coupling slot (valid candidates so far)
  logic                 p1_d, p1_q, p2_d, p2_q;  // a candidate in stage 1 / 2
  logic                 f1_d, f1_q, f2_d, f2_q;  // it is its p-bit's first
  logic                 l1_d, l1_q, l2_d, l2_q;  // it is its p-bit's last
  logic [IdxBits-1:0]   i1_d, i1_q, i2_d, i2_q;  // its p-bit
  logic                 v2_d, v2_q;          // stage 2 is a neighbour: J and its state bit arrive
  logic                 jl2_d, jl2_q;        // the slot's byte in its J word
  logic [AccBits-1:0]   acc_d, acc_q;        // h + sum of the slots so far (exact)
  logic [WeightBits-1:0] ph_d, ph_q;         // h, clamp and RNG state of the p-bit in stage 2
  logic [1:0]           pclamp_d, pclamp_q;  //   (from stage 1 of its first candidate on)
  logic [31:0]          prng_d, prng_q;
  logic                 t3_d, t3_q, t4_d, t4_q;  // a p-bit in stage 3 / 4
  logic [IdxBits-1:0]   tidx_d, tidx_q;      // its index, clamp, sign of I, stepped RNG state
  logic [1:0]           tclamp_d, tclamp_q;  //   and threshold r, -r
  logic                 tneg_d, tneg_q;
  logic [31:0]          trng_d, trng_q;
  logic [LutBits:0]     tthr_d, tthr_q, tnthr_d, tnthr_q;
  logic                 bus_ok_d, bus_ok_q;  // the two-port RAMs served the bus last cycle
  logic                 late_d, late_q;      // a single-port RAM read for the bus last cycle
  logic                 late_j_d, late_j_q;  // of a coupling (else an RNG state)
  logic                 late_l_d, late_l_q;  // its byte
  logic [NumCells-1:0]  mirror_d, mirror_q;

  // ---- the graph
  logic               g_start, g_adv, ent_valid, cand_en, nbr_valid;
  logic [IdxBits-1:0] ent_idx, nbr;
  logic [4:0]         ent_ncand, cand;
  logic [1:0]         ent_col;
  pbit_engine_graph #(
    .NbrKind(NbrKind),
    .NumCells(NumCells),
    .IdxBits(IdxBits),
    .SlotBits(SlotBits),
    .DegBits(DegBits),
    .OrderFile(OrderFile),
    .NbrFile(NbrFile),
    .PegasusM(PegasusM),
    .PegasusOffsets0(PegasusOffsets0),
    .PegasusOffsets1(PegasusOffsets1),
    .PegasusFabricStart0(PegasusFabricStart0),
    .PegasusFabricEnd0(PegasusFabricEnd0),
    .PegasusFabricStart1(PegasusFabricStart1),
    .PegasusFabricEnd1(PegasusFabricEnd1)
  ) u_graph (
    .clk_i,
    .rst_ni,
    .start_i(g_start),
    .advance_i(g_adv),
    .ent_valid_o(ent_valid),
    .ent_idx_o(ent_idx),
    .ent_ncand_o(ent_ncand),
    .ent_col_o(ent_col),
    .cand_en_i(cand_en),
    .cand_i(cand),
    .nbr_valid_o(nbr_valid),
    .nbr_o(nbr)
  );

  // ---- memories: addresses, write ports, outputs
  logic [IdxBits-1:0]    d_raddr;
  logic [DegBits-1:0]    d_rdata;
  logic [WeightBits-1:0] h_rdata;
  logic [IdxBits-1:0]    h_raddr, c_raddr, cell_w;
  logic [1:0]            c_rdata;
  logic [31:0]           s_wdata, s_rdata;
  logic                  b_rdata;
  logic [SwBits-1:0]     s_raddr, s_waddr;
  logic [LutIdxBits-1:0] l_raddr;
  logic [LutBits-1:0]    l_rdata;
  logic                  h_we, c_we, s_we, b_wdata;
  logic [IdxBits-1:0]    b_waddr;
  // single-port: couplings and RNG states
  logic                  j_en, j_we, r_en, r_we;
  logic [JWordBits-1:0]  j_addr;
  logic [15:0]           j_wdata, j_rdata;
  logic [3:0]            j_mask;
  logic [IdxBits-1:0]    r_addr;
  logic [31:0]           r_wdata, r_rdata;

  pbit_engine_ram #(.Depth(NumCells), .Width(DegBits), .AddrBits(IdxBits), .Writable(1'b0),
                    .File(DegFile)) u_drom (
    .clk_i, .we_i(1'b0), .waddr_i('0), .wdata_i('0), .raddr_i(d_raddr), .rdata_o(d_rdata));
  pbit_engine_ram #(.Depth(NumCells), .Width(WeightBits), .AddrBits(IdxBits)) u_hmem (
    .clk_i, .we_i(h_we), .waddr_i(cell_w), .wdata_i(wdata_i[WeightBits-1:0]), .raddr_i(h_raddr),
    .rdata_o(h_rdata));
  pbit_engine_ram #(.Depth(NumCells), .Width(2), .AddrBits(IdxBits)) u_cmem (
    .clk_i, .we_i(c_we), .waddr_i(cell_w),
    .wdata_i({wdata_i[pbit_pkg::ClampValueBit], wdata_i[pbit_pkg::ClampEnableBit]}),
    .raddr_i(c_raddr), .rdata_o(c_rdata));
  pbit_engine_ram #(.Depth(StateWords), .Width(32), .AddrBits(SwBits)) u_smem (
    .clk_i, .we_i(s_we), .waddr_i(s_waddr), .wdata_i(s_wdata), .raddr_i(s_raddr), .rdata_o(s_rdata));
  // The states again, a bit a word: the lane's neighbour reads (stage 1), so
  // the word RAM's read port is free for the bus and the lane's own word.
  pbit_engine_ram #(.Depth(NumCells), .Width(1), .AddrBits(IdxBits)) u_sbit (
    .clk_i, .we_i(s_we), .waddr_i(b_waddr), .wdata_i(b_wdata), .raddr_i(nbr), .rdata_o(b_rdata));
  pbit_engine_ram #(.Depth(LutDepth), .Width(LutBits), .AddrBits(LutIdxBits), .Writable(LutWritable),
                    .File(LutFile)) u_lut (
    .clk_i, .we_i(lut_we_i), .waddr_i(addr_i[LutIdxBits-1:0] - LutIdxBits'(pbit_pkg::LutBase)),
    .wdata_i(wdata_i[LutBits-1:0]), .raddr_i(l_raddr), .rdata_o(l_rdata));
  pbit_engine_spram #(.Words(JWords), .AddrBits(JWordBits), .Lanes(1)) u_jmem (
    .clk_i, .en_i(j_en), .we_i(j_we), .addr_i(j_addr), .wdata_i(j_wdata), .mask_i(j_mask),
    .rdata_o(j_rdata));
  pbit_engine_spram #(.Words(NumCells), .AddrBits(IdxBits), .Lanes(2)) u_rmem (
    .clk_i, .en_i(r_en), .we_i(r_we), .addr_i(r_addr), .wdata_i(r_wdata), .mask_i(8'hFF),
    .rdata_o(r_rdata));

  // ---- bus addresses: as the request arrives (la_*) and in the decode cycle
  logic [AddrBits-1:0]  la_cell_off, la_state_off, cell_off;
  logic [IdxBits-1:0]   la_idx, idx_b;
  logic [RegBits-1:0]   reg_b, slot_b;
  logic [31:0]          la_word;
  logic [JAddrBits-1:0] jslot_la, jslot_b, jslot_b_q, jslot;
  logic [RegBits-1:0]   la_slot;
  logic                 in_j;  // addr_i is a coupling slot below the cell's degree (decode cycle)
  logic                 jwin_d, jwin_q;  // addr_i is a coupling slot below Stride (from the arriving address)
  always_comb begin
    la_cell_off = la_addr_i - pbit_pkg::CellBase;
    la_state_off = la_addr_i - pbit_pkg::StateBase;
    la_idx = la_cell_off[RegBits +: IdxBits];
    la_slot = la_cell_off[RegBits-1:0] - pbit_pkg::CellRegCoupling;
    // The coupling slot of the arriving request, registered for the decode cycle.
    jslot_la = JAddrBits'(cmul(32'(la_idx), Stride) + 32'(la_slot));
    jwin_d = 32'(la_slot) < Stride;  // (registers below the coupling window wrap to large slots)
    // The state word: a STATES register's, or the addressed cell's.
    // (CellBase is a power of two, the cell window runs to the end of the
    // bus: an OR of the high bits, no carry chain in the state RAM's address path.)
    la_word = (la_addr_i[AddrBits-1:CellBaseLog] != '0) ? (32'(la_idx) >> 5) : 32'(la_state_off[SwBits-1:0]);
    cell_off = addr_i - pbit_pkg::CellBase;
    idx_b = cell_off[RegBits +: IdxBits];
    reg_b = cell_off[RegBits-1:0];
    slot_b = reg_b - pbit_pkg::CellRegCoupling;
    jslot_b = jslot_b_q;
    jslot = jbase_q + JAddrBits'(s_q);  // the lane's next slot
    in_j = reg_b >= pbit_pkg::CellRegCoupling && slot_b < RegBits'(d_rdata) && 32'(slot_b) < Stride;
  end

  // ---- J words: the word and byte of a slot, the J of a read word
  logic [JWordBits-1:0] jword, jword_b;
  logic                 jl, jl_b;
  logic [15:0]          jr, jr_late;
  always_comb begin
    jword = JWordBits'(32'(jslot) >> (JPerWord - 1));
    jword_b = JWordBits'(32'(jslot_b) >> (JPerWord - 1));
    jl = (JPerWord == 2) && jslot[0];
    jl_b = (JPerWord == 2) && jslot_b[0];
    jr = jl2_q ? {8'd0, j_rdata[15:8]} : j_rdata;
    jr_late = late_l_q ? {8'd0, j_rdata[15:8]} : j_rdata;
  end

  // ---- the RNG step (of the p-bit in stage 2) and the decision (stage 4)
  // The stepped state and the threshold r are registered for the tail, so
  // stage 4 starts from flip-flops; v > r with v = -L (I < 0) is L < -r: both
  // compares run beside each other, no negation of the LUT's word in front of
  // them (the UP5K's critical path); exact in LutBits + 1 bits.
  logic [31:0]        rng_next;
  logic [LutBits:0]   r, lw;
  logic               m_new;
  pbit_engine_rng #(.Kind(RngKind)) u_step (.state_i(prng_q), .next_o(rng_next));
  always_comb begin
    r = {rng_next[31], rng_next[31 -: LutBits]};  // the word's top LutBits, signed
    lw = {l_rdata[LutBits-1], l_rdata};
    m_new = tclamp_q[0] ? tclamp_q[1]
                        : (tneg_q ? ($signed(lw) < $signed(tnthr_q)) : ($signed(lw) > $signed(tthr_q)));
  end

  // ---- the lane
  // Overlap: with NbrKind 1 the next p-bit's candidates follow the last one's
  // directly while its tail runs (15 cycles a p-bit), unless it has another
  // colour (it may neighbour a p-bit in flight: it waits until all are
  // written). The ROMs carry no colours, so there every p-bit waits.
  localparam bit Overlap = NbrKind == 1;
  logic [SumBits-1:0]    sum, mag;
  logic [31:0]           bucket;
  logic [WeightBits-1:0] jv;
  logic [4:0]            enc;
  logic                  nbr_m, busy, present, pfirst, plast, dp, lane_j_en, lane_r_en, lane_r_we;
  always_comb begin
    st_d = st_q;
    issued_d = issued_q;
    more_d = more_q;
    pos_d = pos_q;
    idx_d = idx_q;
    col_d = col_q;
    jbase_d = jbase_q;
    nlast_d = nlast_q;
    rem_d = rem_q;
    nreal_d = nreal_q;
    j_d = j_q;
    s_d = s_q;
    jl2_d = jl2_q;
    acc_d = acc_q;
    ph_d = ph_q;
    pclamp_d = pclamp_q;
    prng_d = prng_q;
    tidx_d = tidx_q;
    tclamp_d = tclamp_q;
    tneg_d = tneg_q;
    trng_d = trng_q;
    tthr_d = tthr_q;
    tnthr_d = tnthr_q;
    v2_d = 1'b0;
    done_o = 1'b0;
    g_start = 1'b0;
    g_adv = 1'b0;
    cand_en = 1'b0;
    cand = j_q;
    present = 1'b0;
    pfirst = 1'b0;
    plast = 1'b0;

    // Saturate: in range iff the bits above the sign bit of SumBits all equal it.
    if (acc_q[AccBits-1:SumBits-1] == '0 || acc_q[AccBits-1:SumBits-1] == '1) sum = acc_q[SumBits-1:0];
    else sum = {acc_q[AccBits-1], {(SumBits - 1){~acc_q[AccBits-1]}}};
    mag = sum[SumBits-1] ? -sum : sum;
    bucket = 32'(mag) >> LutShift;
    nbr_m = b_rdata;
    jv = jr[WeightBits-1:0];
    busy = p1_q || p2_q || t3_q || t4_q;
    enc = (ent_ncand == '0) ? 5'd1 : ent_ncand;  // an isolated p-bit: one candidate, no neighbour

    // Read ports of the lane (the bus's when no sweep runs, below).
    h_raddr = idx_q;
    c_raddr = idx_q;
    s_raddr = SwBits'(32'(tidx_q) >> 5);  // stage 3: the p-bit's own word, for its write in stage 4
    l_raddr = (bucket > 32'(LutDepth - 1)) ? LutIdxBits'(LutDepth - 1) : bucket[LutIdxBits-1:0];
    d_raddr = la_idx;
    lane_j_en = 1'b0;
    j_addr = jword;
    lane_r_en = 1'b0;
    lane_r_we = 1'b0;
    r_addr = tidx_q;
    r_wdata = trng_q;

    // stage 1: a neighbour's J and state bit; the first candidate's h, clamp, RNG state
    if (nbr_valid) begin
      lane_j_en = 1'b1;
      jl2_d = jl;
      s_d = s_q + 5'd1;
      v2_d = 1'b1;
    end
    if (p1_q && f1_q) begin
      ph_d = h_rdata;
      pclamp_d = c_rdata;
      prng_d = r_rdata;
    end
    // stage 2: I += m ? J : -J (with -J = ~J + 1), from h at a p-bit's first
    // candidate; after its last, the tail takes the p-bit's clamp and RNG step.
    if (p2_q) begin
      acc_d = f2_q ? AccBits'(signed'(ph_q)) : acc_q;
      if (v2_q) acc_d = acc_d + AccBits'(signed'(jv ^ {WeightBits{~nbr_m}})) + AccBits'(!nbr_m);
      if (l2_q) begin
        tidx_d = i2_q;
        tclamp_d = pclamp_q;
        trng_d = rng_next;
        tthr_d = r;
        tnthr_d = -r;
      end
    end
    // stage 3: the saturated sum's sign; the LUT reads its bucket (l_raddr)
    if (t3_q) tneg_d = sum[SumBits-1];

    unique case (st_q)
      StIdle: begin
        if (run_i) begin
          issued_d = '0;
          more_d = 1'b1;
          pos_d = '0;
          j_d = '0;
          rem_d = 1'b0;
          g_start = 1'b1;
          st_d = StRun;
        end
      end
      StRun: begin
        // stage 0: the current p-bit's next candidate, else the next p-bit
        // (its h, clamp and RNG state are read; not while stage 4 writes an
        // RNG state: one port)
        // (the candidate presented is always j_q: no multiplexer in front of
        // the graph's candidate logic, the UP5K's critical path)
        if (rem_q) begin
          present = 1'b1;
          cand_en = j_q < nreal_q;
          plast = j_q == nlast_q;
        end else if (more_q && ent_valid && !t4_q &&
                     !(busy && !(Overlap && ent_col == col_q))) begin
          idx_d = ent_idx;
          col_d = ent_col;
          nlast_d = enc - 5'd1;
          nreal_d = ent_ncand;
          jbase_d = JAddrBits'(cmul(32'(ent_idx), Stride));
          s_d = '0;
          h_raddr = ent_idx;
          c_raddr = ent_idx;
          lane_r_en = 1'b1;
          r_addr = ent_idx;
          present = 1'b1;
          pfirst = 1'b1;
          cand_en = ent_ncand != '0;  // candidate 0 (j_q is 0 here)
          plast = enc == 5'd1;
          issued_d = issued_q + IdxBits'(1);
          more_d = 32'(issued_q) < NumCells - 1;
        end
        if (present) begin
          j_d = plast ? '0 : j_q + 5'd1;
          rem_d = !plast;
        end
        g_adv = plast;  // the graph moves on once the last candidate is presented
        // stage 4: write the state bit (below) and the stepped RNG state
        if (t4_q) begin
          lane_r_en = 1'b1;
          lane_r_we = 1'b1;
          if (32'(pos_q) == 32'(NumCells - 1)) begin
            done_o = 1'b1;
            st_d = StIdle;
          end else begin
            pos_d = pos_q + IdxBits'(1);
          end
        end
      end
      default: st_d = StIdle;
    endcase

    // The bus owns the ports whenever no sweep runs or starts: the two-port
    // RAMs' read ports with the arriving address, the single-port RAMs with
    // the decoded request.
    dp = st_q != StIdle || run_i;
    bus_ok_d = !dp;
    if (!dp) begin
      h_raddr = la_idx;
      c_raddr = la_idx;
      s_raddr = la_word[SwBits-1:0];
      l_raddr = la_addr_i[LutIdxBits-1:0] - LutIdxBits'(pbit_pkg::LutBase);
      j_addr = jword_b;
      r_addr = idx_b;
      r_wdata = wdata_i;
    end
  end
  // the pipeline's flags
  always_comb begin
    p1_d = present;
    f1_d = pfirst;
    l1_d = plast;
    i1_d = idx_d;  // the presented candidate's p-bit
    p2_d = p1_q;
    f2_d = f1_q;
    l2_d = l1_q;
    i2_d = i1_q;
    t3_d = p2_q && l2_q;
    t4_d = t3_q;
  end

  // ---- bus decode (decode cycle) and the write ports
  logic st_bit;
  logic [31:0] word_b;
  logic [7:0]  jbyte;
  always_comb begin
    cell_rdata_o = '0;
    cell_wok_o = 1'b0;
    if (bus_ok_q) begin
      if (in_j) cell_wok_o = 1'b1;  // read late
      unique case (reg_b)
        pbit_pkg::CellRegField: begin
          cell_rdata_o = 32'(signed'(h_rdata));
          cell_wok_o = 1'b1;
        end
        pbit_pkg::CellRegClamp: begin
          cell_rdata_o[pbit_pkg::ClampEnableBit] = c_rdata[0];
          cell_rdata_o[pbit_pkg::ClampValueBit] = c_rdata[1];
          cell_wok_o = 1'b1;
        end
        pbit_pkg::CellRegRngState: cell_wok_o = 1'b1;  // read late
        pbit_pkg::CellRegState: begin
          cell_rdata_o[0] = s_rdata[5'(32'(idx_b))];
          cell_wok_o = 1'b1;
        end
        default: ;
      endcase
    end
    lut_rdata_o = bus_ok_q ? l_rdata : '0;
    state_word_o = bus_ok_q ? s_rdata : '0;
    late_o = late_q;
    late_rdata_o = '0;
    if (late_q) late_rdata_o = late_j_q ? 32'(signed'(jr_late[WeightBits-1:0])) : r_rdata;
  end

  // Writes. The lane writes only in stage 4; the bus only while no sweep runs.
  // The write enables do not wait for the degree check (cell_wok_o, which
  // pbit_engine_ctrl counts errors by): a coupling write to a slot at or
  // beyond the cell's degree but below Stride lands in the cell's own unused
  // slot, which the lane never reads and the bus reads as 0. That keeps the
  // degree ROM's word off the SPRAM's enables (the UP5K's critical path).
  logic bus_j, bus_jw, bus_r, wr_ok;
  always_comb begin
    wr_ok = cell_we_i && bus_ok_q;
    // The single-port RAMs: the lane's accesses, or the bus's in the decode cycle.
    bus_jw = !dp && bus_ok_q && jwin_q && (cell_we_i || cell_re_i);
    bus_j = bus_jw && in_j;
    bus_r = !dp && bus_ok_q && reg_b == pbit_pkg::CellRegRngState && (cell_we_i || cell_re_i);
    j_en = lane_j_en || bus_jw;
    j_we = bus_jw && cell_we_i;
    r_en = lane_r_en || bus_r;
    r_we = lane_r_we || (bus_r && cell_we_i);
    late_d = cell_re_i && (bus_j || bus_r);
    late_j_d = in_j;
    late_l_d = jl_b;
    cell_w = idx_b;
    jbyte = 8'(signed'(wdata_i[WeightBits-1:0]));
    if (JPerWord == 2) begin
      j_wdata = {jbyte, jbyte};
      j_mask = jl_b ? 4'b1100 : 4'b0011;
    end else begin
      j_wdata = 16'(signed'(wdata_i[WeightBits-1:0]));
      j_mask = 4'b1111;
    end
    h_we = wr_ok && reg_b == pbit_pkg::CellRegField;
    c_we = wr_ok && reg_b == pbit_pkg::CellRegClamp;
    // A state bit changes by a STATE write (unless clamped: the clamp wins), a
    // CLAMP write that enables the clamp, or an update.
    s_we = 1'b0;
    st_bit = 1'b0;
    if (wr_ok && reg_b == pbit_pkg::CellRegState) begin
      s_we = 1'b1;
      st_bit = c_rdata[0] ? c_rdata[1] : wdata_i[0];
    end
    if (c_we && wdata_i[pbit_pkg::ClampEnableBit]) begin
      s_we = 1'b1;
      st_bit = wdata_i[pbit_pkg::ClampValueBit];
    end
    s_waddr = SwBits'(32'(idx_b) >> 5);
    word_b = s_rdata;
    word_b[5'(32'(idx_b))] = st_bit;
    s_wdata = word_b;
    b_waddr = idx_b;
    b_wdata = st_bit;
    mirror_d = mirror_q;
    if (s_we) mirror_d[idx_b] = st_bit;
    if (t4_q) begin  // the p-bit's own word was read in stage 3
      s_we = 1'b1;
      s_waddr = SwBits'(32'(tidx_q) >> 5);
      word_b = s_rdata;
      word_b[5'(32'(tidx_q))] = m_new;
      s_wdata = word_b;
      b_waddr = tidx_q;
      b_wdata = m_new;
      mirror_d[tidx_q] = m_new;
    end
  end

  if (StateMirror) begin : g_mirror
    assign state_o = mirror_q;
  end else begin : g_no_mirror
    assign state_o = '0;
    logic unused_mirror;
    assign unused_mirror = ^mirror_q;
  end

  logic unused_bits;
  assign unused_bits = ^{rng_next[31-LutBits:0], la_word, la_state_off, la_cell_off, cell_off, bucket, jr,
                         jr_late, jslot, jslot_b};

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      st_q <= StIdle;
      issued_q <= '0;
      more_q <= 1'b0;
      pos_q <= '0;
      idx_q <= '0;
      col_q <= '0;
      jbase_q <= '0;
      nlast_q <= '0;
      rem_q <= '0;
      nreal_q <= '0;
      j_q <= '0;
      s_q <= '0;
      p1_q <= '0;
      p2_q <= '0;
      f1_q <= '0;
      f2_q <= '0;
      l1_q <= '0;
      l2_q <= '0;
      i1_q <= '0;
      i2_q <= '0;
      v2_q <= '0;
      jl2_q <= '0;
      acc_q <= '0;
      ph_q <= '0;
      pclamp_q <= '0;
      prng_q <= '0;
      t3_q <= '0;
      t4_q <= '0;
      tidx_q <= '0;
      tclamp_q <= '0;
      tneg_q <= '0;
      trng_q <= '0;
      tthr_q <= '0;
      tnthr_q <= '0;
      bus_ok_q <= '0;
      late_q <= '0;
      late_j_q <= '0;
      late_l_q <= '0;
      mirror_q <= '0;
      jslot_b_q <= '0;
      jwin_q <= 1'b0;
    end else begin
      st_q <= st_d;
      issued_q <= issued_d;
      more_q <= more_d;
      pos_q <= pos_d;
      idx_q <= idx_d;
      col_q <= col_d;
      jbase_q <= jbase_d;
      nlast_q <= nlast_d;
      rem_q <= rem_d;
      nreal_q <= nreal_d;
      j_q <= j_d;
      s_q <= s_d;
      p1_q <= p1_d;
      p2_q <= p2_d;
      f1_q <= f1_d;
      f2_q <= f2_d;
      l1_q <= l1_d;
      l2_q <= l2_d;
      i1_q <= i1_d;
      i2_q <= i2_d;
      v2_q <= v2_d;
      jl2_q <= jl2_d;
      acc_q <= acc_d;
      ph_q <= ph_d;
      pclamp_q <= pclamp_d;
      prng_q <= prng_d;
      t3_q <= t3_d;
      t4_q <= t4_d;
      tidx_q <= tidx_d;
      tclamp_q <= tclamp_d;
      tneg_q <= tneg_d;
      trng_q <= trng_d;
      tthr_q <= tthr_d;
      tnthr_q <= tnthr_d;
      bus_ok_q <= bus_ok_d;
      late_q <= late_d;
      late_j_q <= late_j_d;
      late_l_q <= late_l_d;
      mirror_q <= mirror_d;
      jslot_b_q <= jslot_la;
      jwin_q <= jwin_d;
    end
  end
endmodule

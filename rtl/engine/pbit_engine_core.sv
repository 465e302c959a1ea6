`default_nettype none
// The engine's memories and its update lane (rtl/README.md "The engine").
//
// Everything a p-bit has lives in RAM: couplings (jmem, slot s of cell c at
// c * 2^SlotBits + s), fields (hmem), clamps (cmem), sample RNG states (rmem)
// and states (smem, 32 per word, word w = cells 32w..32w+31, the STATES
// register layout). Two generated ROMs describe the graph: the update order
// (orom: cells sorted by colour, each entry {degree, cell}) and the neighbours
// (nrom: the cell of slot s of cell c at c * 2^SlotBits + s, CSR slot order),
// plus the degrees by cell (drom) for the bus's slot range check.
//
// A sweep walks the update order once. The p-bits of one colour never
// neighbour each other, so updating them one after the other gives exactly the
// chromatic schedule's result; a p-bit finishes (state and RNG written) before
// the next one reads anything, so colour boundaries need no special care.
// One p-bit takes degree + 4 cycles:
//   Head    the order entry is there: read h, clamp, RNG state and slot 0
//   Slots   one slot a cycle: J and the neighbour's cell, then its state word,
//           then I += m ? J : -J (a 3-stage pipeline); after the last slot:
//           saturate, read LUT[k] and the p-bit's own state word
//   Write   v = sign(I) LUT[k], w = rng_step(state), m = v > top(w) (or the
//           clamp value); write the state word and the RNG state
//
// Bus side (only while no sweep runs; pbit_engine_ctrl refuses writes while
// busy): every RAM's read port takes the address of the request as it arrives
// (la_addr_i, the cycle before the decode), so in the decode cycle the RAM
// words of the addressed cell, LUT entry or state word are there: reads answer
// from them (cell_rdata_o, lut_rdata_o, state_word_o) and writes modify them
// (a STATE or CLAMP write rewrites the state word with one bit changed). The
// RAMs are transparent, so back-to-back requests see each other's writes.
// While a sweep runs, those outputs read 0.
module pbit_engine_core #(
  parameter int          NumCells = 1,      // [1,2^20]
  parameter int          IdxBits = 1,       // [1,20] = max(1, clog2(NumCells))
  parameter int          MaxDegree = 0,     // [0,2^SlotBits]
  parameter int          SlotBits = 1,      // [1,5] coupling slots per cell = 2^SlotBits
  parameter int          DegBits = 1,       // [1,6] = max(1, clog2(MaxDegree + 1))
  parameter int          WeightBits = 6,    // [2,16]
  parameter int          SumBits = 6,       // [WeightBits,24]
  parameter int          LutDepth = 32,     // [2,4096] power of two
  parameter int          LutShift = 0,      // [0,SumBits-1]
  parameter int          LutBits = 16,      // [2,16]
  parameter int          RngKind = 0,       // [0,1] 0 = lfsr32, 1 = xorshift32
  parameter bit          LutWritable = 1'b1,  // [0,1] 0: the LUT is a ROM
  parameter bit          StateMirror = 1'b1,  // [0,1] keep a flip-flop copy of the states on state_o
  parameter              LutFile = "",      // $readmemh files: LUT contents,
  parameter              OrderFile = "",    //   update order {degree, cell},
  parameter              NbrFile = "",      //   neighbour cells by slot,
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
  input  wire logic                     cell_we_i,  // write the cell register addr_i
  input  wire logic                     lut_we_i,   // write the LUT entry addr_i
  output      logic [31:0]              cell_rdata_o,
  output      logic                     cell_wok_o, // addr_i is a writable cell register
  output      logic [LutBits-1:0]       lut_rdata_o,
  output      logic [31:0]              state_word_o,
  // observation
  output      logic [NumCells-1:0]      state_o
);
  localparam int AddrBits = pbit_pkg::AddrBits;
  localparam int RegBits = pbit_pkg::CellRegBits;
  localparam int Slots = 1 << SlotBits;
  localparam int JAddrBits = IdxBits + SlotBits;
  localparam int StateWords = (NumCells + 31) / 32;
  localparam int SwBits = (StateWords > 1) ? $clog2(StateWords) : 1;
  localparam int LutIdxBits = $clog2(LutDepth);
  localparam int OrderBits = DegBits + IdxBits;
  localparam int AccBitsMin = WeightBits + $clog2(MaxDegree + 1) + 1;
  localparam int AccBits = (AccBitsMin > SumBits) ? AccBitsMin : SumBits;

  typedef enum logic [1:0] {
    StIdle  = 2'd0,
    StHead  = 2'd1,
    StSlots = 2'd2,
    StWrite = 2'd3
  } state_e;

  // ---- the lane's registers
  state_e             st_d, st_q;
  logic [IdxBits-1:0] pos_d, pos_q;      // position in the update order
  logic [IdxBits-1:0] idx_d, idx_q;      // the p-bit being updated
  logic [DegBits-1:0] deg_d, deg_q;      // its degree
  logic [DegBits-1:0] s_d, s_q;          // next slot to read
  logic               first_d, first_q;  // first Slots cycle: h, clamp, RNG arrive
  logic               v1_d, v1_q;        // a slot's J and neighbour arrive
  logic               v2_d, v2_q;        // that neighbour's state word arrives
  logic [WeightBits-1:0] j2_d, j2_q;     // the slot's J, waiting for the state
  logic [4:0]         b2_d, b2_q;        // the neighbour's bit in its word
  logic [AccBits-1:0] acc_d, acc_q;      // h + sum of the slots so far (exact)
  logic               neg_d, neg_q;      // I < 0 (Write)
  logic [1:0]         clamp_d, clamp_q;  // {value, enable}
  logic [31:0]        rng_d, rng_q;      // the p-bit's RNG state
  logic               bus_ok_d, bus_ok_q;  // the RAM ports served the bus last cycle
  logic [NumCells-1:0] mirror_d, mirror_q;

  // ---- memories: read addresses, write ports, outputs
  logic [IdxBits-1:0]      o_raddr;
  logic [OrderBits-1:0]    o_rdata;
  logic [JAddrBits-1:0]    n_raddr, j_raddr, j_waddr;
  logic [IdxBits-1:0]      n_rdata;
  logic [IdxBits-1:0]      d_raddr;
  logic [DegBits-1:0]      d_rdata;
  logic [WeightBits-1:0]   j_rdata, h_rdata;
  logic [IdxBits-1:0]      h_raddr, c_raddr, r_raddr, r_waddr, cell_w;
  logic [1:0]              c_rdata;
  logic [31:0]             r_rdata, r_wdata, s_wdata, s_rdata;
  logic [SwBits-1:0]       s_raddr, s_waddr;
  logic [LutIdxBits-1:0]   l_raddr;
  logic [LutBits-1:0]      l_rdata;
  logic                    j_we, h_we, c_we, r_we, s_we;

  pbit_engine_ram #(.Depth(NumCells), .Width(OrderBits), .AddrBits(IdxBits), .Writable(1'b0),
                    .File(OrderFile)) u_orom (
    .clk_i, .we_i(1'b0), .waddr_i('0), .wdata_i('0), .raddr_i(o_raddr), .rdata_o(o_rdata));
  pbit_engine_ram #(.Depth(NumCells * Slots), .Width(IdxBits), .AddrBits(JAddrBits), .Writable(1'b0),
                    .File(NbrFile)) u_nrom (
    .clk_i, .we_i(1'b0), .waddr_i('0), .wdata_i('0), .raddr_i(n_raddr), .rdata_o(n_rdata));
  pbit_engine_ram #(.Depth(NumCells), .Width(DegBits), .AddrBits(IdxBits), .Writable(1'b0),
                    .File(DegFile)) u_drom (
    .clk_i, .we_i(1'b0), .waddr_i('0), .wdata_i('0), .raddr_i(d_raddr), .rdata_o(d_rdata));
  pbit_engine_ram #(.Depth(NumCells * Slots), .Width(WeightBits), .AddrBits(JAddrBits)) u_jmem (
    .clk_i, .we_i(j_we), .waddr_i(j_waddr), .wdata_i(wdata_i[WeightBits-1:0]), .raddr_i(j_raddr),
    .rdata_o(j_rdata));
  pbit_engine_ram #(.Depth(NumCells), .Width(WeightBits), .AddrBits(IdxBits)) u_hmem (
    .clk_i, .we_i(h_we), .waddr_i(cell_w), .wdata_i(wdata_i[WeightBits-1:0]), .raddr_i(h_raddr),
    .rdata_o(h_rdata));
  pbit_engine_ram #(.Depth(NumCells), .Width(2), .AddrBits(IdxBits)) u_cmem (
    .clk_i, .we_i(c_we), .waddr_i(cell_w),
    .wdata_i({wdata_i[pbit_pkg::ClampValueBit], wdata_i[pbit_pkg::ClampEnableBit]}),
    .raddr_i(c_raddr), .rdata_o(c_rdata));
  pbit_engine_ram #(.Depth(NumCells), .Width(32), .AddrBits(IdxBits)) u_rmem (
    .clk_i, .we_i(r_we), .waddr_i(r_waddr), .wdata_i(r_wdata), .raddr_i(r_raddr), .rdata_o(r_rdata));
  pbit_engine_ram #(.Depth(StateWords), .Width(32), .AddrBits(SwBits)) u_smem (
    .clk_i, .we_i(s_we), .waddr_i(s_waddr), .wdata_i(s_wdata), .raddr_i(s_raddr), .rdata_o(s_rdata));
  pbit_engine_ram #(.Depth(LutDepth), .Width(LutBits), .AddrBits(LutIdxBits), .Writable(LutWritable),
                    .File(LutFile)) u_lut (
    .clk_i, .we_i(lut_we_i), .waddr_i(addr_i[LutIdxBits-1:0] - LutIdxBits'(pbit_pkg::LutBase)),
    .wdata_i(wdata_i[LutBits-1:0]), .raddr_i(l_raddr), .rdata_o(l_rdata));

  // ---- bus addresses: as the request arrives (la_*) and in the decode cycle
  logic [AddrBits-1:0] la_cell_off, la_state_off, cell_off;
  logic [IdxBits-1:0]  la_idx, idx_b;
  logic [RegBits-1:0]  la_reg, reg_b, la_slot, slot_b;
  logic [31:0]         la_word;
  always_comb begin
    la_cell_off = la_addr_i - pbit_pkg::CellBase;
    la_state_off = la_addr_i - pbit_pkg::StateBase;
    la_idx = la_cell_off[RegBits +: IdxBits];
    la_reg = la_cell_off[RegBits-1:0];
    la_slot = la_reg - pbit_pkg::CellRegCoupling;
    // The state word: a STATES register's, or the addressed cell's.
    la_word = (la_addr_i >= pbit_pkg::CellBase) ? (32'(la_idx) >> 5) : 32'(la_state_off);
    cell_off = addr_i - pbit_pkg::CellBase;
    idx_b = cell_off[RegBits +: IdxBits];
    reg_b = cell_off[RegBits-1:0];
    slot_b = reg_b - pbit_pkg::CellRegCoupling;
  end

  // ---- the RNG step and the decision (Write)
  logic [31:0]        rng_next;
  logic [LutBits:0]   v, r;
  logic               m_new;
  pbit_engine_rng #(.Kind(RngKind)) u_step (.state_i(rng_q), .next_o(rng_next));
  always_comb begin
    v = neg_q ? -{l_rdata[LutBits-1], l_rdata} : {l_rdata[LutBits-1], l_rdata};
    r = {rng_next[31], rng_next[31 -: LutBits]};  // the word's top LutBits, signed
    m_new = clamp_q[0] ? clamp_q[1] : ($signed(v) > $signed(r));
  end

  // ---- the lane
  logic [SumBits-1:0] sum, mag;
  logic [31:0]        bucket;
  logic               nbr_m, slots_done, dp;
  logic [OrderBits-1:0] entry;
  always_comb begin
    st_d = st_q;
    pos_d = pos_q;
    idx_d = idx_q;
    deg_d = deg_q;
    s_d = s_q;
    first_d = 1'b0;
    v1_d = 1'b0;
    v2_d = 1'b0;
    j2_d = j2_q;
    b2_d = b2_q;
    acc_d = acc_q;
    neg_d = neg_q;
    clamp_d = clamp_q;
    rng_d = rng_q;
    done_o = 1'b0;
    entry = o_rdata;

    // Saturate: in range iff the bits above the sign bit of SumBits all equal it.
    if (acc_q[AccBits-1:SumBits-1] == '0 || acc_q[AccBits-1:SumBits-1] == '1) sum = acc_q[SumBits-1:0];
    else sum = {acc_q[AccBits-1], {(SumBits - 1){~acc_q[AccBits-1]}}};
    mag = sum[SumBits-1] ? -sum : sum;
    bucket = 32'(mag) >> LutShift;
    nbr_m = s_rdata[b2_q];
    slots_done = st_q == StSlots && !first_q && !v1_q && !v2_q && s_q == deg_q;

    // Datapath read addresses (the bus's when no sweep runs, below).
    o_raddr = pos_d;
    n_raddr = {idx_q, s_q[SlotBits-1:0]};
    j_raddr = {idx_q, s_q[SlotBits-1:0]};
    h_raddr = idx_q;
    c_raddr = idx_q;
    r_raddr = idx_q;
    s_raddr = SwBits'(32'(n_rdata) >> 5);
    l_raddr = (bucket > 32'(LutDepth - 1)) ? LutIdxBits'(LutDepth - 1) : bucket[LutIdxBits-1:0];
    d_raddr = la_idx;

    unique case (st_q)
      StIdle: begin
        if (run_i) begin
          pos_d = '0;
          o_raddr = '0;
          st_d = StHead;
        end
      end
      StHead: begin
        idx_d = entry[IdxBits-1:0];
        deg_d = entry[IdxBits +: DegBits];
        h_raddr = idx_d;
        c_raddr = idx_d;
        r_raddr = idx_d;
        n_raddr = {idx_d, SlotBits'(0)};
        j_raddr = {idx_d, SlotBits'(0)};
        v1_d = deg_d != '0;
        s_d = (deg_d != '0) ? DegBits'(1) : '0;
        first_d = 1'b1;
        st_d = StSlots;
      end
      StSlots: begin
        if (first_q) begin
          acc_d = AccBits'(signed'(h_rdata));
          clamp_d = c_rdata;
          rng_d = r_rdata;
        end
        if (v2_q) begin
          // m ? +J : -J, with -J = ~J + 1
          acc_d = acc_d + AccBits'(signed'(j2_q ^ {WeightBits{~nbr_m}})) + AccBits'(!nbr_m);
        end
        if (v1_q) begin
          j2_d = j_rdata;
          b2_d = 5'(32'(n_rdata));  // its bit in the state word
          v2_d = 1'b1;
        end
        if (s_q != deg_q) begin
          s_d = s_q + DegBits'(1);
          v1_d = 1'b1;
        end
        if (slots_done) begin
          neg_d = sum[SumBits-1];
          s_raddr = SwBits'(32'(idx_q) >> 5);
          st_d = StWrite;
        end
      end
      StWrite: begin
        if (32'(pos_q) == 32'(NumCells - 1)) begin
          done_o = 1'b1;
          st_d = StIdle;
        end else begin
          pos_d = pos_q + IdxBits'(1);
          o_raddr = pos_d;
          st_d = StHead;
        end
      end
      default: st_d = StIdle;
    endcase

    // The bus owns the read ports whenever no sweep runs or starts.
    dp = st_q != StIdle || run_i;
    bus_ok_d = !dp;
    if (!dp) begin
      j_raddr = {la_idx, la_slot[SlotBits-1:0]};
      h_raddr = la_idx;
      c_raddr = la_idx;
      r_raddr = la_idx;
      s_raddr = la_word[SwBits-1:0];
      l_raddr = la_addr_i[LutIdxBits-1:0] - LutIdxBits'(pbit_pkg::LutBase);
    end
  end

  // ---- bus decode (decode cycle) and the write ports
  logic in_j, bus_ok, st_bit;
  logic [31:0] word_b;
  always_comb begin
    bus_ok = bus_ok_q;
    in_j = reg_b >= pbit_pkg::CellRegCoupling && slot_b < RegBits'(d_rdata) && slot_b < RegBits'(Slots);
    cell_rdata_o = '0;
    cell_wok_o = 1'b0;
    if (bus_ok) begin
      if (in_j) begin
        cell_rdata_o = 32'(signed'(j_rdata));
        cell_wok_o = 1'b1;
      end
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
        pbit_pkg::CellRegRngState: begin
          cell_rdata_o = r_rdata;
          cell_wok_o = 1'b1;
        end
        pbit_pkg::CellRegState: begin
          cell_rdata_o[0] = s_rdata[5'(32'(idx_b))];
          cell_wok_o = 1'b1;
        end
        default: ;
      endcase
    end
    lut_rdata_o = bus_ok ? l_rdata : '0;
    state_word_o = bus_ok ? s_rdata : '0;
  end

  // Writes (a process of their own: cell_we_i depends on cell_wok_o). The lane
  // writes only in Write; the bus only while no sweep runs.
  always_comb begin
    cell_w = idx_b;
    j_waddr = {idx_b, slot_b[SlotBits-1:0]};
    j_we = cell_we_i && in_j;
    h_we = cell_we_i && reg_b == pbit_pkg::CellRegField;
    c_we = cell_we_i && reg_b == pbit_pkg::CellRegClamp;
    r_we = cell_we_i && reg_b == pbit_pkg::CellRegRngState;
    r_waddr = idx_b;
    r_wdata = wdata_i;
    // A state bit changes by a STATE write (unless clamped: the clamp wins), a
    // CLAMP write that enables the clamp, or an update.
    s_we = 1'b0;
    st_bit = 1'b0;
    if (cell_we_i && reg_b == pbit_pkg::CellRegState) begin
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
    mirror_d = mirror_q;
    if (s_we) mirror_d[idx_b] = st_bit;
    if (st_q == StWrite) begin
      r_we = 1'b1;
      r_waddr = idx_q;
      r_wdata = rng_next;
      s_we = 1'b1;
      s_waddr = SwBits'(32'(idx_q) >> 5);
      word_b = s_rdata;
      word_b[5'(32'(idx_q))] = m_new;
      s_wdata = word_b;
      mirror_d[idx_q] = m_new;
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
  assign unused_bits = ^{rng_next[31-LutBits:0], la_word, la_state_off, la_cell_off, cell_off, bucket,
                         la_slot};

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      st_q <= StIdle;
      pos_q <= '0;
      idx_q <= '0;
      deg_q <= '0;
      s_q <= '0;
      first_q <= 1'b0;
      v1_q <= 1'b0;
      v2_q <= 1'b0;
      j2_q <= '0;
      b2_q <= '0;
      acc_q <= '0;
      neg_q <= 1'b0;
      clamp_q <= '0;
      rng_q <= '0;
      bus_ok_q <= 1'b0;
      mirror_q <= '0;
    end else begin
      st_q <= st_d;
      pos_q <= pos_d;
      idx_q <= idx_d;
      deg_q <= deg_d;
      s_q <= s_d;
      first_q <= first_d;
      v1_q <= v1_d;
      v2_q <= v2_d;
      j2_q <= j2_d;
      b2_q <= b2_d;
      acc_q <= acc_d;
      neg_q <= neg_d;
      clamp_q <= clamp_d;
      rng_q <= rng_d;
      bus_ok_q <= bus_ok_d;
      mirror_q <= mirror_d;
    end
  end
endmodule

`default_nettype none
// One p-bit (spec.hpp, "One p-bit update"):
//   I   = sat_SumBits(h + sum_s (nbr_s ? +J_s : -J_s))      exact sum, then saturate
//   k   = min(|I| >> LutShift, LutDepth - 1)
//   v   = sign(I) * lut[k]
//   w   = rng_step(rng)                                    fresh word, becomes the RNG state
//   r   = signed top LutBits of w
//   m   = (v > r) ? +1 : -1; a clamped cell takes its clamp value instead
//
// When it updates:
//   chromatic  upd_phase_i (its colour's phase, one cycle per sweep);
//   async      async_en_i and (timer word < async_threshold_i), the timer RNG
//              advancing on every async_en_i cycle (every running cycle);
//   CellClock  every edge of its own clock while run_i (what-if, see below).
// The sample RNG advances on every update, clamped or not, so clamping never
// shifts any stream. A clamped cell's state takes the clamp value every cycle
// (already in the cycle its CLAMP register is written).
//
// Registers (cell window of the register map, pbit_pkg::CellReg*): sel_i
// selects this cell, we_i is the bus write strobe and reg_i the register
// offset (all registered by pbit_ctrl); a write takes effect at the clock edge
// of a selected cycle; rdata_o/wok_o answer combinationally for reg_i (wok_o:
// writable here) and are 0 unless selected. All decoding is under sel_i, so an
// unselected cell does no decode work (a simulator evaluates every cell every
// cycle: 4,264 of them in the pegasus:14 model).
// Statistics (Stats = 1): at stat_acc_i (the cycle after a sweep's last cycle)
// STAT_PLUS += m == +1 and STAT_AGREE+s += (m == nbr_s) for the slots set in
// agree_mask_i (neighbour index > own index: each edge counted once).
//
// CellClock = 1 (simulation what-if, not for synthesis): the state and the
// sample RNG run on cell_clk_i while run_i is high and on clk_i otherwise (so
// bus writes work as usual); the cell updates on every edge of its own clock.
module pbit_cell #(
  parameter int          Degree = 1,          // [0,MaxSlots] neighbours = CSR slots
  parameter int          WeightBits = 6,      // [2,16] J and h, two's complement
  parameter int          SumBits = 6,         // [WeightBits,24] I after saturation
  parameter int          LutDepth = 32,       // [2,4096] power of two
  parameter int          LutShift = 0,        // [0,SumBits-1]
  parameter int          LutBits = 16,        // [2,16] LUT values and random number
  parameter int          RngKind = 0,         // [0,1] 0 = lfsr32, 1 = xorshift32
  parameter int          StatBits = 32,       // [1,32] statistics counter width
  parameter bit          Stats = 1'b1,        // [0,1] statistics counters
  parameter bit          Async = 1'b1,        // [0,1] async schedule (timer RNG)
  parameter bit          CellClock = 1'b0,    // [0,1] own clock for state and RNG
  parameter logic [31:0] RngResetValue = 32'h1  // [1,2^32-1] RNG state after reset
) (
  input  wire logic                                     clk_i,
  input  wire logic                                     rst_ni,
  input  wire logic                                     cell_clk_i,  // CellClock = 1 only
  // sequencer
  input  wire logic                                     run_i,
  input  wire logic                                     upd_phase_i,
  input  wire logic                                     async_en_i,
  input  wire logic [31:0]                              async_threshold_i,
  input  wire logic                                     stat_acc_i,
  input  wire logic                                     stat_clr_i,
  // wiring (slot s = s-th neighbour in ascending index order)
  input  wire logic [((Degree > 0) ? Degree : 1)-1:0]   agree_mask_i,  // constant per cell
  input  wire logic [((Degree > 0) ? Degree : 1)-1:0]   nbr_i,         // neighbour states
  input  wire logic [LutDepth*LutBits-1:0]              lut_i,
  // registers
  input  wire logic                                     sel_i,   // this cell is addressed
  input  wire logic                                     we_i,    // bus write (any cell)
  input  wire logic [pbit_pkg::CellRegBits-1:0]         reg_i,
  input  wire logic [31:0]                              wdata_i,
  output      logic [31:0]                              rdata_o, // 0 unless sel_i
  output      logic                                     wok_o,   // 0 unless sel_i
  output      logic                                     state_o  // 1 = +1
);
  localparam int Slots = (Degree > 0) ? Degree : 1;
  localparam int IdxBits = $clog2(LutDepth);
  localparam int SlotBits = (Slots > 1) ? $clog2(Slots) : 1;  // slot index width
  localparam int AccBitsMin = WeightBits + $clog2(Degree + 1) + 1;  // |sum| <= (Degree+1) 2^(W-1)
  localparam int AccBits = (AccBitsMin > SumBits) ? AccBitsMin : SumBits;

  // Coding style: registers are written directly in clocked blocks (no
  // next-state copies), the J slots are one array written with a dynamic index,
  // every statistics counter is a variable of its own, no SV functions. Together
  // with sim/model/model.vlt this lets Verilator share one set of functions
  // among all cells of one degree; a simulator still runs every cell's clocked
  // code every cycle, so that code stays short in a cycle without an update.

  // ---- registers
  logic [WeightBits-1:0]             h_q;
  // slot s = s-th neighbour; mem2reg: registers, never a RAM (all slots are read at once)
  (* mem2reg *) logic [WeightBits-1:0] j_q [Slots];
  logic                              clamp_en_q, clamp_val_q;
  logic                              state_q;

  // ---- the clock of the state and the sample RNG
  logic clk_upd;
  if (CellClock) begin : g_own_clock
    assign clk_upd = run_i ? cell_clk_i : clk_i;
  end else begin : g_shared_clock
    assign clk_upd = clk_i;
    logic unused_cell_clk;
    assign unused_cell_clk = cell_clk_i;
  end

  // ---- register writes
  // The offset decode is used only under sel_i.
  logic                             we_rng, we_timer;
  logic [pbit_pkg::CellRegBits-1:0] slot_j, slot_a;
  logic [SlotBits-1:0]              sj, sa;      // slot indexes (valid when in_j / in_a)
  logic                             in_j, in_a;  // reg_i is a coupling / agree slot here
  assign slot_j = reg_i - pbit_pkg::CellRegCoupling;
  assign slot_a = reg_i - pbit_pkg::CellRegStatAgree;
  assign sj = slot_j[SlotBits-1:0];
  assign sa = slot_a[SlotBits-1:0];
  if (Degree > 0) begin : g_slot_range
    assign in_j = reg_i >= pbit_pkg::CellRegCoupling && slot_j < pbit_pkg::CellRegBits'(Degree);
    assign in_a = reg_i >= pbit_pkg::CellRegStatAgree && slot_a < pbit_pkg::CellRegBits'(Degree);
  end else begin : g_no_slots
    assign in_j = 1'b0;
    assign in_a = 1'b0;
    logic unused_slots;
    assign unused_slots = ^{slot_j, slot_a};
  end
  assign we_rng = sel_i && we_i && reg_i == pbit_pkg::CellRegRngState;
  assign we_timer = sel_i && we_i && reg_i == pbit_pkg::CellRegTimerState;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      h_q <= '0;
      for (int s = 0; s < Slots; s++) j_q[s] <= '0;
      clamp_en_q <= 1'b0;
      clamp_val_q <= 1'b0;
    end else if (sel_i && we_i) begin
      if (reg_i == pbit_pkg::CellRegField) h_q <= wdata_i[WeightBits-1:0];
      if (reg_i == pbit_pkg::CellRegClamp) begin
        clamp_en_q <= wdata_i[pbit_pkg::ClampEnableBit];
        clamp_val_q <= wdata_i[pbit_pkg::ClampValueBit];
      end
      if (in_j) j_q[sj] <= wdata_i[WeightBits-1:0];
    end
  end

  // ---- RNGs
  logic        upd;
  logic [31:0] rng_state, rng_word, timer_state, timer_word;

  pbit_rng #(
    .Kind(RngKind),
    .ResetValue(RngResetValue)
  ) u_rng (
    .clk_i(clk_upd),
    .rst_ni,
    .en_i(upd),
    .we_i(we_rng),
    .wdata_i,
    .state_o(rng_state),
    .next_o(rng_word)
  );

  if (Async) begin : g_timer
    pbit_rng #(
      .Kind(RngKind),
      .ResetValue(RngResetValue)
    ) u_timer (
      .clk_i,
      .rst_ni,
      .en_i(async_en_i),
      .we_i(we_timer),
      .wdata_i,
      .state_o(timer_state),
      .next_o(timer_word)
    );
  end else begin : g_no_timer
    assign timer_state = '0;
    assign timer_word = '0;
    logic unused_async;
    assign unused_async = ^{async_en_i, async_threshold_i, we_timer, timer_word};
  end

  // ---- when to update
  if (CellClock) begin : g_upd_own_clock
    assign upd = run_i;
    logic unused_sched;
    assign unused_sched = ^{upd_phase_i, async_en_i, async_threshold_i, timer_word};
  end else if (Async) begin : g_upd_sched
    assign upd = upd_phase_i | (async_en_i & (timer_word < async_threshold_i));
    logic unused_run;
    assign unused_run = run_i;
  end else begin : g_upd_chromatic
    assign upd = upd_phase_i;
    logic unused_run;
    assign unused_run = run_i;
  end

  logic unused_rng_low;  // the compare uses the word's top LutBits
  assign unused_rng_low = ^rng_word[31-LutBits:0];

  if (Degree == 0) begin : g_isolated
    logic unused_nbr;
    assign unused_nbr = ^{nbr_i, agree_mask_i};
  end

  // ---- the state: update, bus write, clamp (clamp last: it always wins,
  // already in the cycle its CLAMP register is written). The update (I, LUT,
  // compare) is computed inside the clocked block, so only in a cycle that
  // updates; no functions: Verilator names inlined function temporaries per
  // call site, which would make every cell instance's code unique.
  always_ff @(posedge clk_upd) begin : p_state
    logic               wr_clamp;
    logic [AccBits-1:0] acc;
    logic [SumBits-1:0] sum, mag;
    logic [31:0]        bucket;
    logic [IdxBits-1:0] k;
    logic [LutBits-1:0] lut_v;
    logic [LutBits:0]   v, r;
    wr_clamp = sel_i && we_i && reg_i == pbit_pkg::CellRegClamp;
    if (!rst_ni) state_q <= 1'b0;
    else if (wr_clamp ? wdata_i[pbit_pkg::ClampEnableBit] : clamp_en_q)
      state_q <= wr_clamp ? wdata_i[pbit_pkg::ClampValueBit] : clamp_val_q;
    else if (sel_i && we_i && reg_i == pbit_pkg::CellRegState) state_q <= wdata_i[0];
    else if (upd) begin
      acc = AccBits'(signed'(h_q));
      for (int s = 0; s < Degree; s++) begin
        // nbr ? +J : -J, with -J = ~J + 1 (the +1 as a carry term)
        acc = acc + AccBits'(signed'(j_q[s] ^ {WeightBits{~nbr_i[s]}})) + AccBits'(!nbr_i[s]);
      end
      // Saturate: in range iff the bits above the sign bit of SumBits all equal it.
      if (acc[AccBits-1:SumBits-1] == '0 || acc[AccBits-1:SumBits-1] == '1) begin
        sum = acc[SumBits-1:0];
      end else begin
        sum = {acc[AccBits-1], {(SumBits - 1){~acc[AccBits-1]}}};
      end
      mag = sum[SumBits-1] ? -sum : sum;  // |I| (2^(SumBits-1) fits unsigned)
      bucket = 32'(mag) >> LutShift;
      k = (bucket > 32'(LutDepth - 1)) ? IdxBits'(LutDepth - 1) : bucket[IdxBits-1:0];
      lut_v = lut_i[k*LutBits +: LutBits];
      v = sum[SumBits-1] ? -{lut_v[LutBits-1], lut_v} : {lut_v[LutBits-1], lut_v};
      r = {rng_word[31], rng_word[31 -: LutBits]};  // the word's top LutBits, signed
      state_q <= $signed(v) > $signed(r);
    end
  end
  assign state_o = state_q;

  // ---- statistics (one variable per counter: whole-variable updates)
  logic [StatBits-1:0] plus_q;
  logic [Slots*StatBits-1:0] agree_rd;  // read view of the counters, slot s at s*StatBits
  if (Stats) begin : g_stats
    always_ff @(posedge clk_i) begin
      if (!rst_ni) plus_q <= '0;
      else if (stat_clr_i) plus_q <= '0;
      else if (stat_acc_i) plus_q <= plus_q + StatBits'(state_q);
    end
    for (genvar s = 0; s < Slots; s++) begin : g_slot
      if (s < Degree) begin : g_agree
        logic [StatBits-1:0] agree_q;
        always_ff @(posedge clk_i) begin
          if (!rst_ni) agree_q <= '0;
          else if (stat_clr_i) agree_q <= '0;
          else if (stat_acc_i && agree_mask_i[s]) agree_q <= agree_q + StatBits'(state_q == nbr_i[s]);
        end
        assign agree_rd[s*StatBits +: StatBits] = agree_q;
      end else begin : g_none
        assign agree_rd[s*StatBits +: StatBits] = '0;
      end
    end
  end else begin : g_no_stats
    assign plus_q = '0;
    for (genvar s = 0; s < Slots; s++) begin : g_slot
      assign agree_rd[s*StatBits +: StatBits] = '0;
    end
    logic unused_stats;
    assign unused_stats = ^{stat_acc_i, stat_clr_i, agree_mask_i};
  end

  // ---- register reads (0 unless selected, and for offsets not mapped here);
  // wok_o: the offset is writable here. Combinational, but the first thing
  // evaluated is sel_i, so an unselected cell costs a simulator two stores.
  always_comb begin
    rdata_o = '0;
    wok_o = 1'b0;
    if (sel_i) begin
      if (in_j) begin
        rdata_o = 32'(signed'(j_q[sj]));
        wok_o = 1'b1;
      end
      if (in_a && agree_mask_i[sa]) rdata_o = 32'(agree_rd[sa*StatBits +: StatBits]);
      unique case (reg_i)
        pbit_pkg::CellRegField: begin
          rdata_o = 32'(signed'(h_q));
          wok_o = 1'b1;
        end
        pbit_pkg::CellRegClamp: begin
          rdata_o[pbit_pkg::ClampEnableBit] = clamp_en_q;
          rdata_o[pbit_pkg::ClampValueBit] = clamp_val_q;
          wok_o = 1'b1;
        end
        pbit_pkg::CellRegRngState: begin
          rdata_o = rng_state;
          wok_o = 1'b1;
        end
        pbit_pkg::CellRegTimerState: begin
          rdata_o = timer_state;
          wok_o = Async;
        end
        pbit_pkg::CellRegState: begin
          rdata_o[0] = state_q;
          wok_o = 1'b1;
        end
        pbit_pkg::CellRegStatPlus: rdata_o = 32'(plus_q);
        default: ;
      endcase
    end
  end
endmodule

`default_nettype none
// The control block: register bus decode (pbit_pkg::Reg*, Cell*, LutBase,
// from host/include/pbit/regmap.hpp), the sweep sequencer, counters.
//
// Bus: one request per cycle (req_i), registered at the clock edge of its
// request cycle and decoded in the next cycle (so no logic of the array depends
// combinationally on the bus pins); a write takes effect at the end of that
// next cycle, and a read's data comes with rvalid_o two cycles after the
// request. busy_o rises in the cycle after a RUN command's request. Reads
// of unmapped addresses return 0. Writes to read-only or unmapped addresses,
// unknown commands, and any write other than COMMAND while busy_o is high are
// ignored and counted in BUS_ERRORS (the host writes registers only while the
// array is stopped).
//
// Sequencer: chromatic, phase k = 0..NumColors-1 (one cycle each) enables
// colour k; one sweep = NumColors cycles. Async: every cycle enables every
// cell's timer; one sweep = ASYNC_PERIOD cycles (0 acts as 1). A run always
// ends at a sweep boundary: RUN_SWEEPS after SWEEPS_TARGET sweeps, RUN_FREE at
// the end of the sweep in which STOP arrives (STOP also ends RUN_SWEEPS early).
// With CTRL.stats set, the cycle after each sweep's last cycle adds the
// states to the cells' statistics (stat_acc_o); busy_o covers that cycle.
module pbit_ctrl #(
  parameter int          NumCells = 1,        // [1,(2^AddrBits-CellBase)/CellStride]
  parameter int          CellIdxBits = 1,     // [1,AddrBits-CellRegBits] = max(1, clog2(NumCells))
  parameter int          NumColors = 1,       // [1,255] phases per chromatic sweep
  parameter int          MaxDegree = 0,       // [0,MaxSlots] largest cell degree (GEOMETRY)
  parameter int          WeightBits = 6,      // [2,16]
  parameter int          SumBits = 6,         // [WeightBits,24]
  parameter int          LutDepth = 32,       // [2,4096] power of two
  parameter int          LutShift = 0,        // [0,SumBits-1]
  parameter int          LutBits = 16,        // [2,16]
  parameter int          RngKind = 0,         // [0,1] 0 = lfsr32, 1 = xorshift32
  parameter bit          LutWritable = 1'b1,  // [0,1]
  parameter bit          Async = 1'b1,        // [0,1] async schedule available
  parameter bit          Stats = 1'b1,        // [0,1] the cells have statistics counters
  parameter bit          Gated = 1'b0,        // [0,1] gated sum: the host writes OFFSET (lean array)
  parameter bit          WriteOnly = 1'b0,    // [0,1] cell registers read 0 (lean array)
  parameter bit          ScheduleReset = 1'b0,            // [0,1] CTRL.schedule after reset
  parameter logic [31:0] AsyncPeriodReset = 32'd4,        // [1,65536]
  parameter logic [31:0] AsyncThresholdReset = 32'h40000000  // [0,2^32-1]
) (
  input  wire logic                              clk_i,
  input  wire logic                              rst_ni,
  // register bus
  input  wire logic                              req_i,
  input  wire logic                              we_i,
  input  wire logic [pbit_pkg::AddrBits-1:0]     addr_i,
  input  wire logic [31:0]                       wdata_i,
  output      logic                              rvalid_o,
  output      logic [31:0]                       rdata_o,
  output      logic                              busy_o,
  // sequencer
  output      logic                              run_o,
  output      logic [NumColors-1:0]              phase_en_o,
  output      logic                              async_en_o,
  output      logic [31:0]                       async_threshold_o,
  output      logic                              stat_acc_o,
  output      logic                              stat_clr_o,
  // LUT
  output      logic                              lut_we_o,
  output      logic [$clog2(LutDepth)-1:0]       lut_addr_o,
  output      logic [LutBits-1:0]                lut_wdata_o,
  input  wire logic [LutBits-1:0]                lut_rdata_i,
  // cells
  output      logic                              cell_we_o,
  output      logic [CellIdxBits-1:0]            cell_idx_o,
  output      logic [pbit_pkg::CellRegBits-1:0]  cell_reg_o,
  output      logic [31:0]                       cell_wdata_o,
  input  wire logic [31:0]                       cell_rdata_i,
  input  wire logic                              cell_wok_i,
  input  wire logic [NumCells-1:0]               state_i      // packed state readout
);
  localparam int AddrBits = pbit_pkg::AddrBits;
  localparam int CellRegBits = pbit_pkg::CellRegBits;
  localparam int CellHiBits = AddrBits - CellRegBits;
  localparam int StateWords = (NumCells + 31) / 32;

  // ---- registers
  logic        run_d, run_q;          // sweeping
  logic        free_d, free_q;        // RUN_FREE (else RUN_SWEEPS)
  logic        stop_d, stop_q;        // STOP pending
  logic        acc_d, acc_q;          // statistics accumulate this cycle
  logic [31:0] cyc_d, cyc_q;          // phase (chromatic) / cycle in sweep (async)
  logic [31:0] left_d, left_q;        // sweeps left (RUN_SWEEPS)
  logic        async_d, async_q;      // CTRL.schedule
  logic        stats_d, stats_q;      // CTRL.stats
  logic [31:0] target_d, target_q;    // SWEEPS_TARGET
  logic [31:0] period_d, period_q;    // ASYNC_PERIOD
  logic [31:0] thresh_d, thresh_q;    // ASYNC_THRESHOLD
  logic [63:0] sweeps_d, sweeps_q;    // SWEEP_COUNT
  logic [63:0] cycles_d, cycles_q;    // CYCLE_COUNT
  logic [31:0] stat_n_d, stat_n_q;    // STATS_SWEEPS
  logic [31:0] errors_d, errors_q;    // BUS_ERRORS
  logic        rvalid_d, rvalid_q;
  logic [31:0] rdata_d, rdata_q;

  // ---- the request, registered
  logic                req_q, we_q;
  logic [AddrBits-1:0] addr_q;
  logic [31:0]         wdata_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      req_q <= 1'b0;
      we_q <= 1'b0;
      addr_q <= '0;
      wdata_q <= '0;
    end else begin
      req_q <= req_i;
      we_q <= we_i;
      addr_q <= addr_i;
      wdata_q <= wdata_i;
    end
  end

  // ---- address decode
  logic                   wr, rd, busy, is_lut, is_cell, is_state;
  logic [AddrBits-1:0]    lut_off, cell_off, state_off;
  logic [CellHiBits-1:0]  cell_hi;
  always_comb begin
    wr = req_q & we_q;
    rd = req_q & ~we_q;
    busy = run_q | acc_q;
    lut_off = addr_q - pbit_pkg::LutBase;
    is_lut = addr_q >= pbit_pkg::LutBase && lut_off < AddrBits'(LutDepth);
    cell_off = addr_q - pbit_pkg::CellBase;
    cell_hi = cell_off[AddrBits-1:CellRegBits];
    is_cell = addr_q >= pbit_pkg::CellBase && cell_hi < CellHiBits'(NumCells);
    state_off = addr_q - pbit_pkg::StateBase;
    is_state = addr_q >= pbit_pkg::StateBase && state_off < AddrBits'(StateWords);
  end
  logic [StateWords*32-1:0] states_padded;
  assign states_padded = (StateWords * 32)'(state_i);
  assign lut_addr_o = lut_off[$clog2(LutDepth)-1:0];
  assign lut_wdata_o = wdata_q[LutBits-1:0];
  assign cell_idx_o = cell_hi[CellIdxBits-1:0];
  assign cell_reg_o = cell_off[CellRegBits-1:0];
  assign cell_wdata_o = wdata_q;

  // ---- writes, commands and the sequencer
  logic last, stop_req, err;
  always_comb begin
    run_d = run_q;
    free_d = free_q;
    stop_d = stop_q;
    acc_d = 1'b0;
    cyc_d = cyc_q;
    left_d = left_q;
    async_d = async_q;
    stats_d = stats_q;
    target_d = target_q;
    period_d = period_q;
    thresh_d = thresh_q;
    sweeps_d = sweeps_q;
    cycles_d = cycles_q;
    stat_n_d = stat_n_q;
    errors_d = errors_q;
    lut_we_o = 1'b0;
    cell_we_o = 1'b0;
    stat_clr_o = 1'b0;
    err = 1'b0;
    stop_req = stop_q;

    if (wr) begin
      if (addr_q == pbit_pkg::RegCommand) begin
        if (wdata_q == pbit_pkg::CmdStop) begin
          stop_req = run_q;  // idle: nothing to stop
        end else if (busy) begin
          err = 1'b1;
        end else if (wdata_q == pbit_pkg::CmdRunSweeps) begin
          run_d = target_q != '0;
          free_d = 1'b0;
          left_d = target_q;
        end else if (wdata_q == pbit_pkg::CmdRunFree) begin
          run_d = 1'b1;
          free_d = 1'b1;
        end else if (wdata_q == pbit_pkg::CmdClearStats) begin
          stat_clr_o = 1'b1;
          stat_n_d = '0;
        end else if (wdata_q == pbit_pkg::CmdResetCounters) begin
          sweeps_d = '0;
          cycles_d = '0;
        end else begin
          err = 1'b1;
        end
      end else if (busy) begin
        err = 1'b1;
      end else if (addr_q == pbit_pkg::RegCtrl) begin
        async_d = Async & wdata_q[pbit_pkg::CtrlScheduleBit];
        stats_d = wdata_q[pbit_pkg::CtrlStatsEnableBit];
      end else if (addr_q == pbit_pkg::RegSweepsTarget) begin
        target_d = wdata_q;
      end else if (addr_q == pbit_pkg::RegAsyncPeriod) begin
        period_d = wdata_q;
      end else if (addr_q == pbit_pkg::RegAsyncThreshold) begin
        thresh_d = wdata_q;
      end else if (is_lut) begin
        lut_we_o = LutWritable;
        err = ~LutWritable;
      end else if (is_cell) begin
        cell_we_o = cell_wok_i;
        err = ~cell_wok_i;
      end else begin
        err = 1'b1;  // read-only or unmapped
      end
    end
    if (err) errors_d = errors_q + 32'd1;

    // One running cycle: a phase (chromatic) or an async cycle.
    last = async_q ? (cyc_q + 32'd1 >= period_q) : (cyc_q == 32'(NumColors - 1));
    if (run_q) begin
      cycles_d = cycles_q + 64'd1;
      cyc_d = cyc_q + 32'd1;
      stop_d = stop_req;
      if (last) begin
        cyc_d = '0;
        sweeps_d = sweeps_q + 64'd1;
        acc_d = stats_q;
        if (!free_q) left_d = left_q - 32'd1;
        if (stop_req || (!free_q && left_q == 32'd1)) begin
          run_d = 1'b0;
          stop_d = 1'b0;
        end
      end
    end
    if (acc_q) stat_n_d = stat_n_q + 32'd1;
  end

  // ---- sequencer outputs
  always_comb begin
    for (int c = 0; c < NumColors; c++) begin
      phase_en_o[c] = run_q & ~async_q & (cyc_q == 32'(c));
    end
  end
  assign run_o = run_q;
  assign async_en_o = run_q & async_q;
  assign async_threshold_o = thresh_q;
  assign stat_acc_o = acc_q;
  assign busy_o = busy | (run_d & ~run_q);  // also while a RUN command is being decoded

  // ---- reads (data in the next cycle)
  always_comb begin
    rvalid_d = rd;
    rdata_d = '0;
    if (rd) begin
      if (addr_q == pbit_pkg::RegId) rdata_d = pbit_pkg::Magic;
      if (addr_q == pbit_pkg::RegVersion) rdata_d = pbit_pkg::Version;
      if (addr_q == pbit_pkg::RegNumCells) rdata_d = 32'(NumCells);
      if (addr_q == pbit_pkg::RegNumColors) rdata_d = 32'(NumColors);
      if (addr_q == pbit_pkg::RegGeometry) begin
        rdata_d[pbit_pkg::GeometryMaxDegreeLsb +: 8] = 8'(MaxDegree);
        rdata_d[pbit_pkg::GeometryWeightBitsLsb +: 8] = 8'(WeightBits);
        rdata_d[pbit_pkg::GeometrySumBitsLsb +: 8] = 8'(SumBits);
        rdata_d[pbit_pkg::GeometryLutBitsLsb +: 8] = 8'(LutBits);
      end
      if (addr_q == pbit_pkg::RegLutGeometry) begin
        rdata_d[pbit_pkg::LutGeometryDepthLsb +: 16] = 16'(LutDepth);
        rdata_d[pbit_pkg::LutGeometryShiftLsb +: 8] = 8'(LutShift);
        rdata_d[pbit_pkg::LutGeometryWritableBit] = LutWritable;
        rdata_d[pbit_pkg::LutGeometryAsyncBit] = Async;
        rdata_d[pbit_pkg::LutGeometryNoStatsBit] = ~Stats;
        rdata_d[pbit_pkg::LutGeometryGatedBit] = Gated;
        rdata_d[pbit_pkg::LutGeometryWriteOnlyBit] = WriteOnly;
      end
      if (addr_q == pbit_pkg::RegCtrl) begin
        rdata_d[pbit_pkg::CtrlScheduleBit] = async_q;
        rdata_d[pbit_pkg::CtrlStatsEnableBit] = stats_q;
        rdata_d[pbit_pkg::CtrlRngKindBit] = RngKind != 0;
      end
      if (addr_q == pbit_pkg::RegSweepsTarget) rdata_d = target_q;
      if (addr_q == pbit_pkg::RegStatus) rdata_d[pbit_pkg::StatusBusyBit] = busy;
      if (addr_q == pbit_pkg::RegSweepCountLo) rdata_d = sweeps_q[31:0];
      if (addr_q == pbit_pkg::RegSweepCountHi) rdata_d = sweeps_q[63:32];
      if (addr_q == pbit_pkg::RegCycleCountLo) rdata_d = cycles_q[31:0];
      if (addr_q == pbit_pkg::RegCycleCountHi) rdata_d = cycles_q[63:32];
      if (addr_q == pbit_pkg::RegStatsSweeps) rdata_d = stat_n_q;
      if (addr_q == pbit_pkg::RegAsyncPeriod) rdata_d = period_q;
      if (addr_q == pbit_pkg::RegAsyncThreshold) rdata_d = thresh_q;
      if (addr_q == pbit_pkg::RegBusErrors) rdata_d = errors_q;
      if (addr_q == pbit_pkg::RegSweepCycles) rdata_d = 32'(NumColors);  // a chromatic sweep
      if (is_lut) rdata_d = 32'(signed'(lut_rdata_i));
      if (is_cell) rdata_d = cell_rdata_i;
      if (is_state) rdata_d = states_padded[32*state_off[$clog2(StateWords+1)-1:0] +: 32];
    end
  end
  assign rvalid_o = rvalid_q;
  assign rdata_o = rdata_q;

  // ---- flops
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      run_q <= 1'b0;
      free_q <= 1'b0;
      stop_q <= 1'b0;
      acc_q <= 1'b0;
      cyc_q <= '0;
      left_q <= '0;
      async_q <= Async & ScheduleReset;
      stats_q <= 1'b0;
      target_q <= '0;
      period_q <= AsyncPeriodReset;
      thresh_q <= AsyncThresholdReset;
      sweeps_q <= '0;
      cycles_q <= '0;
      stat_n_q <= '0;
      errors_q <= '0;
      rvalid_q <= 1'b0;
      rdata_q <= '0;
    end else begin
      run_q <= run_d;
      free_q <= free_d;
      stop_q <= stop_d;
      acc_q <= acc_d;
      cyc_q <= cyc_d;
      left_q <= left_d;
      async_q <= async_d;
      stats_q <= stats_d;
      target_q <= target_d;
      period_q <= period_d;
      thresh_q <= thresh_d;
      sweeps_q <= sweeps_d;
      cycles_q <= cycles_d;
      stat_n_q <= stat_n_d;
      errors_q <= errors_d;
      rvalid_q <= rvalid_d;
      rdata_q <= rdata_d;
    end
  end
endmodule

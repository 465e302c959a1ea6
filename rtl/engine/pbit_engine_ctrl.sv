`default_nettype none
// The engine's control block: the register bus (the same map and timing as
// pbit_ctrl: a request is registered at the edge of its cycle and decoded in
// the next, read data comes with rvalid_o two cycles after the request), the
// global registers, the commands and the sweep sequencer.
//
// The sequencer hands whole sweeps to pbit_engine_core (run_o: start another
// sweep when idle; done_i: the sweep's last p-bit is written), so a sweep takes
// as many cycles as the lane needs (CYCLE_COUNT counts them). RUN_SWEEPS runs
// SWEEPS_TARGET sweeps, RUN_FREE until STOP; a run always ends at a sweep
// boundary. The engine has no statistics counters and only the chromatic
// schedule: CTRL.schedule reads 0, STATS_SWEEPS stays 0, LUT_GEOMETRY says so.
// Writes while busy (other than COMMAND), to read-only or unmapped addresses,
// to coupling slots beyond a cell's degree and to TIMER_STATE are ignored and
// counted in BUS_ERRORS.
module pbit_engine_ctrl #(
  parameter int NumCells = 1,        // [1,2^20]
  parameter int NumColors = 1,       // [1,255]
  parameter int MaxDegree = 0,       // [0,24]
  parameter int WeightBits = 6,      // [2,16]
  parameter int SumBits = 6,         // [WeightBits,24]
  parameter int LutDepth = 32,       // [2,4096] power of two
  parameter int LutShift = 0,        // [0,SumBits-1]
  parameter int LutBits = 16,        // [2,16]
  parameter int RngKind = 0,         // [0,1] 0 = lfsr32, 1 = xorshift32
  parameter bit LutWritable = 1'b1,  // [0,1]
  parameter logic [31:0] SweepCycles = 32'd1  // SWEEP_CYCLES: clock cycles of a sweep (pbit_pkg)
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
  // the core
  output      logic                              run_o,
  input  wire logic                              done_i,
  output      logic [pbit_pkg::AddrBits-1:0]     addr_o,   // the registered request
  output      logic [31:0]                       wdata_o,
  output      logic                              cell_we_o,  // a write request to the cell window (unchecked)
  output      logic                              cell_re_o,  // a read of a cell register (decode cycle)
  output      logic                              lut_we_o,
  input  wire logic [31:0]                       cell_rdata_i,
  input  wire logic                              cell_wok_i,
  input  wire logic [LutBits-1:0]                lut_rdata_i,
  input  wire logic [31:0]                       state_word_i
);
  localparam int AddrBits = pbit_pkg::AddrBits;
  localparam int CellHiBits = AddrBits - pbit_pkg::CellRegBits;
  localparam int StateWords = (NumCells + 31) / 32;
  localparam int LutIdxBits = $clog2(LutDepth);
  localparam int CellBaseLog = $clog2(pbit_pkg::CellBase);
  localparam int StateBaseLog = $clog2(pbit_pkg::StateBase);

  // ---- registers
  logic        run_d, run_q;          // sweeping
  logic        free_d, free_q;        // RUN_FREE (else RUN_SWEEPS)
  logic        stop_d, stop_q;        // STOP pending
  logic [31:0] left_d, left_q;        // sweeps left (RUN_SWEEPS)
  logic        stats_d, stats_q;      // CTRL.stats (kept, no counters)
  logic [31:0] target_d, target_q;    // SWEEPS_TARGET
  logic [31:0] period_d, period_q;    // ASYNC_PERIOD (kept, no async schedule)
  logic [31:0] thresh_d, thresh_q;    // ASYNC_THRESHOLD (kept)
  logic [63:0] sweeps_d, sweeps_q;    // SWEEP_COUNT
  logic [63:0] cycles_d, cycles_q;    // CYCLE_COUNT
  logic [31:0] errors_d, errors_q;    // BUS_ERRORS
  logic        rvalid_d, rvalid_q;
  logic [31:0] rdata_d, rdata_q;

  // ---- the request, registered
  logic                req_q, we_q;
  logic [AddrBits-1:0] addr_q;
  logic [31:0]         wdata_q;

  // ---- address decode: the windows from the address as it arrives, registered
  // with the request (their compares stay out of the decode cycle's paths)
  logic                   wr, rd, is_lut, is_cell, is_state;
  logic                   is_lut_q, is_cell_q, is_state_q;
  logic [AddrBits-1:0]    cell_off;
  logic [CellHiBits-1:0]  cell_hi;
  always_comb begin
    wr = req_q & we_q;
    rd = req_q & ~we_q;
    // The windows' bases are powers of two (regmap.hpp, checked by the
    // emitter), each at least as large as its window: compare bit fields, no
    // subtractions in front of the compares.
    is_lut = (addr_i >> LutIdxBits) == (pbit_pkg::LutBase >> LutIdxBits);
    cell_off = addr_i - pbit_pkg::CellBase;
    cell_hi = cell_off[AddrBits-1:pbit_pkg::CellRegBits];
    is_cell = (addr_i >> CellBaseLog) != '0 && cell_hi < CellHiBits'(NumCells);
    is_state = (addr_i >> StateBaseLog) == (pbit_pkg::StateBase >> StateBaseLog) &&
               32'(addr_i[StateBaseLog-1:0]) < StateWords;
  end
  logic unused_cell_reg;  // the core decodes the register offset
  assign unused_cell_reg = ^cell_off[pbit_pkg::CellRegBits-1:0];
  assign addr_o = addr_q;
  assign cell_re_o = rd && is_cell_q;
  assign wdata_o = wdata_q;

  // ---- writes, commands and the sequencer
  logic stop_req, err;
  always_comb begin
    run_d = run_q;
    free_d = free_q;
    stop_d = stop_q;
    left_d = left_q;
    stats_d = stats_q;
    target_d = target_q;
    period_d = period_q;
    thresh_d = thresh_q;
    sweeps_d = sweeps_q;
    cycles_d = cycles_q;
    errors_d = errors_q;
    lut_we_o = 1'b0;
    cell_we_o = 1'b0;
    err = 1'b0;
    stop_req = stop_q;

    if (wr) begin
      if (addr_q == pbit_pkg::RegCommand) begin
        if (wdata_q == pbit_pkg::CmdStop) begin
          stop_req = run_q;  // idle: nothing to stop
        end else if (run_q) begin
          err = 1'b1;
        end else if (wdata_q == pbit_pkg::CmdRunSweeps) begin
          run_d = target_q != '0;
          free_d = 1'b0;
          left_d = target_q;
        end else if (wdata_q == pbit_pkg::CmdRunFree) begin
          run_d = 1'b1;
          free_d = 1'b1;
        end else if (wdata_q == pbit_pkg::CmdClearStats) begin
          // no statistics counters: nothing to clear
        end else if (wdata_q == pbit_pkg::CmdResetCounters) begin
          sweeps_d = '0;
          cycles_d = '0;
        end else begin
          err = 1'b1;
        end
      end else if (run_q) begin
        err = 1'b1;
      end else if (addr_q == pbit_pkg::RegCtrl) begin
        stats_d = wdata_q[pbit_pkg::CtrlStatsEnableBit];
      end else if (addr_q == pbit_pkg::RegSweepsTarget) begin
        target_d = wdata_q;
      end else if (addr_q == pbit_pkg::RegAsyncPeriod) begin
        period_d = wdata_q;
      end else if (addr_q == pbit_pkg::RegAsyncThreshold) begin
        thresh_d = wdata_q;
      end else if (is_lut_q) begin
        lut_we_o = LutWritable;
        err = ~LutWritable;
      end else if (is_cell_q) begin
        // The core checks the register itself for its write enables (the
        // degree check stays off the RAMs' write-enable paths); wok counts.
        cell_we_o = 1'b1;
        err = ~cell_wok_i;
      end else begin
        err = 1'b1;  // read-only or unmapped
      end
    end
    if (err) errors_d = errors_q + 32'd1;

    if (run_q) begin
      cycles_d = cycles_q + 64'd1;
      stop_d = stop_req;
      if (done_i) begin
        sweeps_d = sweeps_q + 64'd1;
        if (!free_q) left_d = left_q - 32'd1;
        if (stop_req || (!free_q && left_q == 32'd1)) begin
          run_d = 1'b0;
          stop_d = 1'b0;
        end
      end
    end
  end

  assign run_o = run_q;
  assign busy_o = run_q | (run_d & ~run_q);  // also while a RUN command is being decoded

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
        rdata_d[pbit_pkg::LutGeometryAsyncBit] = 1'b0;
        rdata_d[pbit_pkg::LutGeometryNoStatsBit] = 1'b1;
      end
      if (addr_q == pbit_pkg::RegCtrl) begin
        rdata_d[pbit_pkg::CtrlStatsEnableBit] = stats_q;
        rdata_d[pbit_pkg::CtrlRngKindBit] = RngKind != 0;
      end
      if (addr_q == pbit_pkg::RegSweepsTarget) rdata_d = target_q;
      if (addr_q == pbit_pkg::RegStatus) rdata_d[pbit_pkg::StatusBusyBit] = run_q;
      if (addr_q == pbit_pkg::RegSweepCountLo) rdata_d = sweeps_q[31:0];
      if (addr_q == pbit_pkg::RegSweepCountHi) rdata_d = sweeps_q[63:32];
      if (addr_q == pbit_pkg::RegCycleCountLo) rdata_d = cycles_q[31:0];
      if (addr_q == pbit_pkg::RegCycleCountHi) rdata_d = cycles_q[63:32];
      if (addr_q == pbit_pkg::RegAsyncPeriod) rdata_d = period_q;
      if (addr_q == pbit_pkg::RegAsyncThreshold) rdata_d = thresh_q;
      if (addr_q == pbit_pkg::RegBusErrors) rdata_d = errors_q;
      if (addr_q == pbit_pkg::RegSweepCycles) rdata_d = SweepCycles;
      if (is_lut_q) rdata_d = 32'(signed'(lut_rdata_i));
      if (is_cell_q) rdata_d = cell_rdata_i;
      if (is_state_q) rdata_d = state_word_i;
    end
  end
  assign rvalid_o = rvalid_q;
  assign rdata_o = rdata_q;

  // ---- flops
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      req_q <= 1'b0;
      we_q <= 1'b0;
      is_lut_q <= 1'b0;
      is_cell_q <= 1'b0;
      is_state_q <= 1'b0;
      addr_q <= '0;
      wdata_q <= '0;
      run_q <= 1'b0;
      free_q <= 1'b0;
      stop_q <= 1'b0;
      left_q <= '0;
      stats_q <= 1'b0;
      target_q <= '0;
      period_q <= pbit_pkg::AsyncPeriodReset;
      thresh_q <= pbit_pkg::AsyncThresholdReset;
      sweeps_q <= '0;
      cycles_q <= '0;
      errors_q <= '0;
      rvalid_q <= 1'b0;
      rdata_q <= '0;
    end else begin
      req_q <= req_i;
      we_q <= we_i;
      is_lut_q <= is_lut;
      is_cell_q <= is_cell;
      is_state_q <= is_state;
      addr_q <= addr_i;
      wdata_q <= wdata_i;
      run_q <= run_d;
      free_q <= free_d;
      stop_q <= stop_d;
      left_q <= left_d;
      stats_q <= stats_d;
      target_q <= target_d;
      period_q <= period_d;
      thresh_q <= thresh_d;
      sweeps_q <= sweeps_d;
      cycles_q <= cycles_d;
      errors_q <= errors_d;
      rvalid_q <= rvalid_d;
      rdata_q <= rdata_d;
    end
  end
endmodule

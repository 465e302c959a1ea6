`default_nettype none
// UART-to-register bridge: receives request frames (pbit_board_pkg, generated
// from host/include/pbit/board/protocol.hpp; protocol in fpga/README.md),
// checks their CRC, executes them on the register bus of pbit_top and sends
// exactly one response frame per request (sync byte) it sees, with an error
// status when anything is wrong. A request is executed only after its CRC
// checked: the payload goes into a buffer RAM first.
//
// The host sends one request and waits for its response; bytes that arrive
// while the bridge executes or answers are dropped. After a framing error or
// a bad length the bridge drops bytes until the line has been quiet for
// QuietClks and then answers with the error; a request that stops arriving is
// answered with TIMEOUT after TimeoutClks without a byte. READ_STATES reads
// the STATES registers (every architecture has them; the engine has no state
// port).
module pbit_uart_bridge #(
  parameter int          NumCells = 1,           // [1,2^18] p-bits (READ_STATES, READ_STATS, INFO)
  parameter int          BufWords = 256,         // [4,16384] power of two: request buffer
  parameter logic [31:0] ClkHz = 32'd12000000,   // [1,2^32-1] for INFO only
  parameter int          ClksPerBit = 208,       // [4,65535] for INFO and the quiet time
  parameter logic [31:0] TimeoutClks = 32'd1000000,  // [1,2^32-1] inter-byte timeout
  parameter logic [31:0] Flags = 32'd0           // INFO.flags ([0] stats, [1] LUT writable, [2] async)
) (
  input  wire logic                          clk_i,
  input  wire logic                          rst_ni,   // synchronous, active low
  // UART receiver / transmitter
  input  wire logic                          rx_valid_i,
  input  wire logic [7:0]                    rx_data_i,
  input  wire logic                          rx_err_i,
  output      logic                          tx_valid_o,
  output      logic [7:0]                    tx_data_o,
  input  wire logic                          tx_ready_i,
  // register bus master (pbit_top)
  output      logic                          req_o,
  output      logic                          we_o,
  output      logic [pbit_pkg::AddrBits-1:0] addr_o,
  output      logic [31:0]                   wdata_o,
  input  wire logic                          rvalid_i,
  input  wire logic [31:0]                   rdata_i,
  input  wire logic                          busy_i,
  // activity (LED): receiving, executing or answering a request
  output      logic                          active_o
);
  localparam int AddrBits = pbit_pkg::AddrBits;
  localparam int BufBits = $clog2(BufWords);
  localparam int StateBytes = (NumCells + 7) / 8;
  localparam int StateWords = (NumCells + 31) / 32;
  // READ_STATES: the STATES words, all 4 bytes of each but the last's first ones
  localparam logic [1:0] LastLane = 2'(4 * StateWords - StateBytes);
  localparam int MaxLen = 4 * BufWords;                  // request payload bytes
  localparam logic [31:0] QuietClks = 32'(20 * ClksPerBit);  // two byte times
  localparam logic [31:0] IdleMax = (TimeoutClks > QuietClks) ? TimeoutClks : QuietClks;
  localparam int IdleBits = $clog2(IdleMax + 2);                 // saturates above both limits
  localparam int SlotBits = $clog2(pbit_pkg::MaxSlots + 1);
  localparam int CellBits = $clog2(NumCells + 1);
  localparam int SpanBits = 15;                                  // counts <= 16384 words
  localparam int CellHi = pbit_pkg::CellRegBits;                 // the cell window's low bits

  typedef enum logic [4:0] {
    Idle, RxCmd, RxSeq, RxLenL, RxLenH, RxPay, RxCrcH, RxCrcL, Discard,
    Decode, WrRead, WrWrite, RunTarget, RunCmd, RunStart, RunWait,
    TxSync, TxStatus, TxSeq, TxLenL, TxLenH, TxFetch, TxBusWait, TxPay, TxCrcH, TxCrcL
  } state_e;

  function automatic logic [15:0] crc_step(logic [15:0] crc, logic [7:0] b);
    logic [15:0] c;
    c = crc ^ {b, 8'h00};
    for (int i = 0; i < 8; i++) c = c[15] ? ((c << 1) ^ pbit_board_pkg::CrcPoly) : (c << 1);
    crc_step = c;
  endfunction

  // ---- registers
  state_e             state_d, state_q;
  logic [7:0]         cmd_d, cmd_q, seq_d, seq_q, status_d, status_q;
  logic [15:0]        len_d, len_q;          // request: payload bytes; response: payload bytes
  logic [15:0]        cnt_d, cnt_q;          // request bytes left / response payload units left
  logic [15:0]        crc_d, crc_q, rcrc_d, rcrc_q;
  logic [31:0]        word_d, word_q;        // assembling (rx) / sending (tx) word
  logic [1:0]         lane_d, lane_q;        // byte within a word
  logic [BufBits:0]   widx_d, widx_q;        // words stored in the buffer
  logic [31:0]        arg0_d, arg0_q, arg1_d, arg1_q, arg2_d, arg2_q;
  logic [IdleBits-1:0] idle_d, idle_q;      // cycles without an rx byte (saturating)
  logic [AddrBits-1:0] addr_d, addr_q;      // bus address (words) / cell window (stats) / state byte
  logic [SlotBits:0]  off_d, off_q;          // stats: word within a cell (0 = STAT_PLUS)
  logic [BufBits:0]   ridx_d, ridx_q;        // write burst: buffer index
  logic [31:0]        cycles_d, cycles_q;    // RUN: cycles until idle
  logic [7:0]         run_seq_d, run_seq_q;  // last executed RUN (replayed on a repeat)
  logic               run_ok_d, run_ok_q;
  logic [15:0]        errors_d, errors_q;    // error responses (saturating)

  // ---- buffer RAM
  logic               buf_we;
  logic [BufBits-1:0] buf_raddr;
  logic [31:0]        buf_rdata;
  pbit_board_ram #(
    .Words(BufWords),
    .Bits(32)
  ) u_buf (
    .clk_i,
    .we_i(buf_we),
    .waddr_i(widx_q[BufBits-1:0]),
    .wdata_i({rx_data_i, word_q[31:8]}),
    .raddr_i(buf_raddr),
    .rdata_o(buf_rdata)
  );

  // ---- helpers
  logic [SpanBits-1:0] n_words;   // request payload words
  logic [19:0] stat_words;         // READ_STATS response words (n < 2^14, slots <= MaxSlots)
  logic [31:0] info_word;
  logic [AddrBits-1:0] stat_addr;
  logic        a0_out, a1_big, span_ok, cells_ok;
  logic [SpanBits-1:0] span;       // words a READ/WRITE burst covers
  // The checks of a request's arguments, registered: the arguments are stable
  // for at least two byte times (the CRC) before Decode uses them, and the
  // adders, compares and the multiplier stay out of Decode's path (the board's
  // clock); some take two register stages (span_q, cell_end_q, stat_words_q).
  logic [SpanBits-1:0] span_q;
  logic [19:0]         stat_words_q;
  logic                a1_big_q, a2_big_q, sw_big_q, span_ok_q, cells_ok_q;
  logic [AddrBits:0]   span_end;   // arg0 + span: must not pass the end of the bus
  logic [CellBits+SpanBits-1:0] cell_end, cell_end_q;
  always_comb begin
    n_words = SpanBits'(len_q[15:2]);
    stat_words = 20'(arg1_q[13:0]) * (20'(arg2_q[SlotBits-1:0]) + 20'd1);
    a0_out = arg0_q[31:AddrBits] != '0;
    a1_big = arg1_q[31:14] != '0;  // > MaxReadWords
    span = (cmd_q == pbit_board_pkg::CmdWrite || cmd_q == pbit_board_pkg::CmdWriteBurst) ? n_words - 1'b1
         : (cmd_q == pbit_board_pkg::CmdRead) ? SpanBits'(1) : SpanBits'(arg1_q[13:0]);
    // from span_q: one more register stage (the arguments are stable long enough)
    span_end = {1'b0, arg0_q[AddrBits-1:0]} + (AddrBits+1)'(span_q);
    span_ok = !a0_out && (!span_end[AddrBits] || span_end[AddrBits-1:0] == '0);
    cell_end = (CellBits+SpanBits)'(arg0_q[CellBits-1:0]) + (CellBits+SpanBits)'(arg1_q[13:0]);
    cells_ok = arg0_q[31:CellBits] == '0 && arg0_q[CellBits-1:0] < CellBits'(NumCells) &&
               cell_end_q <= (CellBits+SpanBits)'(NumCells);  // registered: its adder out of this path
    unique case (cnt_q[3:0])  // INFO words go out in order; cnt counts down
      4'(pbit_board_pkg::InfoWords - pbit_board_pkg::InfoMagic):      info_word = pbit_board_pkg::InfoMagicValue;
      4'(pbit_board_pkg::InfoWords - pbit_board_pkg::InfoVersion):    info_word = pbit_board_pkg::ProtocolVersion;
      4'(pbit_board_pkg::InfoWords - pbit_board_pkg::InfoClockHz):    info_word = ClkHz;
      4'(pbit_board_pkg::InfoWords - pbit_board_pkg::InfoClksPerBit): info_word = 32'(ClksPerBit);
      4'(pbit_board_pkg::InfoWords - pbit_board_pkg::InfoBufferWords):info_word = 32'(BufWords);
      4'(pbit_board_pkg::InfoWords - pbit_board_pkg::InfoFlags):      info_word = Flags;
      4'(pbit_board_pkg::InfoWords - pbit_board_pkg::InfoNumCells):   info_word = 32'(NumCells);
      4'(pbit_board_pkg::InfoWords - pbit_board_pkg::InfoErrors):     info_word = 32'(errors_q);
      4'(pbit_board_pkg::InfoWords - pbit_board_pkg::InfoTimeoutClks):info_word = TimeoutClks;
      default: info_word = '0;
    endcase
    // addr_q is a cell window (its low CellHi bits 0): the register offset goes there
    stat_addr = {addr_q[AddrBits-1:CellHi], (off_q == '0) ? pbit_pkg::CellRegStatPlus
                 : CellHi'(pbit_pkg::CellRegStatAgree + CellHi'(off_q) - CellHi'(1))};
  end

  // ---- the state machine
  logic [7:0] tx_byte;
  always_comb begin
    tx_byte = '0;
    state_d = state_q;
    cmd_d = cmd_q;
    seq_d = seq_q;
    status_d = status_q;
    len_d = len_q;
    cnt_d = cnt_q;
    crc_d = crc_q;
    rcrc_d = rcrc_q;
    word_d = word_q;
    lane_d = lane_q;
    widx_d = widx_q;
    arg0_d = arg0_q;
    arg1_d = arg1_q;
    arg2_d = arg2_q;
    idle_d = (rx_valid_i || rx_err_i) ? '0 : idle_q + IdleBits'(idle_q != '1);
    addr_d = addr_q;
    off_d = off_q;
    ridx_d = ridx_q;
    cycles_d = cycles_q;
    run_seq_d = run_seq_q;
    run_ok_d = run_ok_q;
    errors_d = errors_q;
    buf_we = 1'b0;
    buf_raddr = ridx_q[BufBits-1:0];
    req_o = 1'b0;
    we_o = 1'b0;
    addr_o = addr_q;
    wdata_o = buf_rdata;
    tx_valid_o = 1'b0;
    tx_data_o = '0;

    unique case (state_q)
      // ---------------- receive a request
      Idle: begin
        if (rx_valid_i && rx_data_i == pbit_board_pkg::ReqSync) begin
          state_d = RxCmd;
          crc_d = pbit_board_pkg::CrcInit;
          seq_d = '0;
          status_d = pbit_board_pkg::StOk;
          widx_d = '0;
          lane_d = '0;
        end
      end
      RxCmd, RxSeq, RxLenL, RxLenH, RxPay, RxCrcH, RxCrcL: begin
        if (rx_err_i) begin
          state_d = Discard;
          status_d = pbit_board_pkg::StFraming;
        end else if (rx_valid_i) begin
          if (state_q != RxCrcH && state_q != RxCrcL) crc_d = crc_step(crc_q, rx_data_i);
          unique case (state_q)
            RxCmd: begin
              cmd_d = rx_data_i;
              state_d = RxSeq;
            end
            RxSeq: begin
              seq_d = rx_data_i;
              state_d = RxLenL;
            end
            RxLenL: begin
              len_d[7:0] = rx_data_i;
              state_d = RxLenH;
            end
            RxLenH: begin
              len_d[15:8] = rx_data_i;
              cnt_d = {rx_data_i, len_q[7:0]};
              if ({rx_data_i, len_q[7:0]} > 16'(MaxLen) || len_q[1:0] != 2'b00) begin
                state_d = Discard;
                status_d = pbit_board_pkg::StBadLen;
              end else begin
                state_d = ({rx_data_i, len_q[7:0]} == '0) ? RxCrcH : RxPay;
              end
            end
            RxPay: begin
              word_d = {rx_data_i, word_q[31:8]};
              lane_d = lane_q + 2'd1;
              cnt_d = cnt_q - 16'd1;
              if (lane_q == 2'd3) begin
                buf_we = 1'b1;
                widx_d = widx_q + 1'b1;
                if (widx_q == '0) arg0_d = word_d;
                if (widx_q == (BufBits+1)'(1)) arg1_d = word_d;
                if (widx_q == (BufBits+1)'(2)) arg2_d = word_d;
              end
              if (cnt_q == 16'd1) state_d = RxCrcH;
            end
            RxCrcH: begin
              rcrc_d[15:8] = rx_data_i;
              state_d = RxCrcL;
            end
            default: begin  // RxCrcL
              rcrc_d[7:0] = rx_data_i;
              state_d = Decode;
            end
          endcase
        end else if (32'(idle_q) >= TimeoutClks) begin
          status_d = pbit_board_pkg::StTimeout;
          len_d = '0;
          state_d = TxSync;
        end
      end
      Discard: begin  // drop bytes until the line is quiet, then answer with the error
        if (!rx_valid_i && !rx_err_i && 32'(idle_q) >= QuietClks) begin
          len_d = '0;
          state_d = TxSync;
        end
      end

      // ---------------- check and execute
      Decode: begin
        len_d = '0;
        cnt_d = '0;
        off_d = '0;
        addr_d = arg0_q[AddrBits-1:0];
        ridx_d = (BufBits+1)'(1);
        state_d = TxSync;
        if (rcrc_q != crc_q) begin
          status_d = pbit_board_pkg::StBadCrc;
        end else begin
          if (cmd_q != pbit_board_pkg::CmdRun) run_ok_d = 1'b0;
          unique case (cmd_q)
            pbit_board_pkg::CmdInfo: begin
              if (n_words != '0) status_d = pbit_board_pkg::StBadLen;
              else begin
                len_d = 16'(4 * pbit_board_pkg::InfoWords);
                cnt_d = 16'(pbit_board_pkg::InfoWords);
              end
            end
            pbit_board_pkg::CmdRead, pbit_board_pkg::CmdReadBurst: begin
              if (n_words != ((cmd_q == pbit_board_pkg::CmdRead) ? SpanBits'(1) : SpanBits'(2))) begin
                status_d = pbit_board_pkg::StBadLen;
              end else if (span_q == '0 || (cmd_q == pbit_board_pkg::CmdReadBurst && a1_big_q) || !span_ok_q) begin
                status_d = pbit_board_pkg::StBadArg;  // span: 1 (READ) or arg1 (READ_BURST)
              end else begin
                len_d = 16'(span_q) << 2;
                cnt_d = 16'(span_q);
              end
            end
            pbit_board_pkg::CmdWrite, pbit_board_pkg::CmdWriteBurst: begin
              if ((cmd_q == pbit_board_pkg::CmdWrite) ? (n_words != SpanBits'(2)) : (n_words < SpanBits'(2))) begin
                status_d = pbit_board_pkg::StBadLen;
              end else if (!span_ok_q) begin
                status_d = pbit_board_pkg::StBadArg;
              end else begin
                cnt_d = 16'(span_q);
                state_d = WrRead;
              end
            end
            pbit_board_pkg::CmdRun: begin
              if (n_words != SpanBits'(1)) begin
                status_d = pbit_board_pkg::StBadLen;
              end else if (run_ok_q && seq_q == run_seq_q) begin
                len_d = 16'd4;  // a repeat of the last RUN: answer again
                cnt_d = 16'd1;
              end else if (busy_i) begin
                status_d = pbit_board_pkg::StBusy;
              end else begin
                run_ok_d = 1'b0;
                state_d = RunTarget;
              end
            end
            pbit_board_pkg::CmdReadStats: begin
              if (n_words != SpanBits'(3)) begin
                status_d = pbit_board_pkg::StBadLen;
              end else if (arg1_q == '0 || a1_big_q || !cells_ok_q || a2_big_q ||
                           sw_big_q) begin
                status_d = pbit_board_pkg::StBadArg;
              end else begin
                addr_d = pbit_pkg::CellBase | (AddrBits'(arg0_q[CellBits-1:0]) << CellHi);
                len_d = 16'(stat_words_q << 2);
                cnt_d = 16'(stat_words_q);
              end
            end
            pbit_board_pkg::CmdReadStates: begin  // the STATES words, read over the bus
              if (n_words != '0) status_d = pbit_board_pkg::StBadLen;
              else begin
                addr_d = pbit_pkg::StateBase;
                len_d = 16'(StateBytes);
                cnt_d = 16'(StateWords);
              end
            end
            default: status_d = pbit_board_pkg::StBadCmd;
          endcase
        end
      end
      WrRead: begin  // buffer word ridx -> buf_rdata next cycle
        state_d = WrWrite;
      end
      WrWrite: begin
        req_o = 1'b1;
        we_o = 1'b1;
        addr_d = addr_q + 1'b1;
        ridx_d = ridx_q + 1'b1;
        buf_raddr = ridx_d[BufBits-1:0];
        cnt_d = cnt_q - 16'd1;
        if (cnt_q == 16'd1) state_d = TxSync;
      end
      RunTarget: begin
        req_o = 1'b1;
        we_o = 1'b1;
        addr_o = AddrBits'(pbit_pkg::RegSweepsTarget);
        wdata_o = arg0_q;
        state_d = RunCmd;
      end
      RunCmd: begin
        req_o = 1'b1;
        we_o = 1'b1;
        addr_o = AddrBits'(pbit_pkg::RegCommand);
        wdata_o = 32'(pbit_pkg::CmdRunSweeps);
        state_d = RunStart;
      end
      RunStart: begin  // busy is high from this cycle on (unless 0 sweeps)
        cycles_d = 32'(busy_i);
        state_d = RunWait;
      end
      RunWait: begin
        if (busy_i) begin
          cycles_d = cycles_q + 32'(cycles_q != '1);
        end else begin
          run_seq_d = seq_q;
          run_ok_d = 1'b1;
          len_d = 16'd4;
          cnt_d = 16'd1;
          state_d = TxSync;
        end
      end

      // ---------------- send the response
      TxSync, TxStatus, TxSeq, TxLenL, TxLenH, TxCrcH, TxCrcL: begin
        tx_valid_o = 1'b1;
        unique case (state_q)
          TxSync: tx_byte = pbit_board_pkg::RspSync;
          TxStatus: tx_byte = status_q;
          TxSeq: tx_byte = seq_q;
          TxLenL: tx_byte = len_q[7:0];
          TxLenH: tx_byte = len_q[15:8];
          TxCrcH: tx_byte = crc_q[15:8];
          default: tx_byte = crc_q[7:0];
        endcase
        tx_data_o = tx_byte;
        if (tx_ready_i) begin
          if (state_q != TxCrcH && state_q != TxCrcL) crc_d = crc_step(crc_q, tx_byte);
          unique case (state_q)
            TxSync: begin
              state_d = TxStatus;
              crc_d = pbit_board_pkg::CrcInit;
              if (status_q != pbit_board_pkg::StOk) errors_d = errors_q + 16'(errors_q != '1);
            end
            TxStatus: state_d = TxSeq;
            TxSeq: state_d = TxLenL;
            TxLenL: state_d = TxLenH;
            TxLenH: state_d = (len_q == '0) ? TxCrcH : TxFetch;
            TxCrcH: state_d = TxCrcL;
            default: state_d = Idle;
          endcase
        end
      end
      TxFetch: begin  // the next payload word
        lane_d = '0;
        state_d = TxPay;
        unique case (cmd_q)
          pbit_board_pkg::CmdInfo: word_d = info_word;
          pbit_board_pkg::CmdRun: word_d = cycles_q;
          default: begin  // READ, READ_BURST, READ_STATS, READ_STATES: a bus read
            req_o = 1'b1;
            addr_o = (cmd_q == pbit_board_pkg::CmdReadStats) ? stat_addr : addr_q;
            if (cmd_q == pbit_board_pkg::CmdReadStats) begin
              if (off_q == (SlotBits+1)'(arg2_q)) begin
                off_d = '0;
                addr_d = {addr_q[AddrBits-1:CellHi] + 1'b1, CellHi'(0)};
              end else begin
                off_d = off_q + 1'b1;
              end
            end else begin
              addr_d = addr_q + 1'b1;
            end
            state_d = TxBusWait;
          end
        endcase
      end
      TxBusWait: begin
        if (rvalid_i) begin
          word_d = rdata_i;
          // READ_STATES sends StateBytes bytes: the last word's low bytes only
          // (starting at a later lane ends the word early).
          lane_d = (cmd_q == pbit_board_pkg::CmdReadStates && cnt_q == 16'd1) ? LastLane : '0;
          state_d = TxPay;
        end
      end
      TxPay: begin
        tx_valid_o = 1'b1;
        tx_data_o = word_q[7:0];
        if (tx_ready_i) begin
          crc_d = crc_step(crc_q, word_q[7:0]);
          word_d = {8'd0, word_q[31:8]};
          lane_d = lane_q + 2'd1;
          if (lane_q == 2'd3) begin
            cnt_d = cnt_q - 16'd1;
            state_d = (cnt_q == 16'd1) ? TxCrcH : TxFetch;
          end
        end
      end
      default: state_d = Idle;
    endcase
  end

  assign active_o = state_q != Idle;

  logic unused_args;
  assign unused_args = ^arg2_q[31:SlotBits];

  // ---- flops
  always_ff @(posedge clk_i) begin
    span_q <= span;
    stat_words_q <= stat_words;
    a1_big_q <= a1_big;
    a2_big_q <= arg2_q > 32'(pbit_pkg::MaxSlots);
    sw_big_q <= stat_words_q > 20'(pbit_board_pkg::MaxReadWords);
    span_ok_q <= span_ok;
    cells_ok_q <= cells_ok;
    cell_end_q <= cell_end;
  end
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q <= Idle;
      cmd_q <= '0;
      seq_q <= '0;
      status_q <= '0;
      len_q <= '0;
      cnt_q <= '0;
      crc_q <= '0;
      rcrc_q <= '0;
      word_q <= '0;
      lane_q <= '0;
      widx_q <= '0;
      arg0_q <= '0;
      arg1_q <= '0;
      arg2_q <= '0;
      idle_q <= '0;
      addr_q <= '0;
      off_q <= '0;
      ridx_q <= '0;
      cycles_q <= '0;
      run_seq_q <= '0;
      run_ok_q <= 1'b0;
      errors_q <= '0;
    end else begin
      state_q <= state_d;
      cmd_q <= cmd_d;
      seq_q <= seq_d;
      status_q <= status_d;
      len_q <= len_d;
      cnt_q <= cnt_d;
      crc_q <= crc_d;
      rcrc_q <= rcrc_d;
      word_q <= word_d;
      lane_q <= lane_d;
      widx_q <= widx_d;
      arg0_q <= arg0_d;
      arg1_q <= arg1_d;
      arg2_q <= arg2_d;
      idle_q <= idle_d;
      addr_q <= addr_d;
      off_q <= off_d;
      ridx_q <= ridx_d;
      cycles_q <= cycles_d;
      run_seq_q <= run_seq_d;
      run_ok_q <= run_ok_d;
      errors_q <= errors_d;
    end
  end
endmodule

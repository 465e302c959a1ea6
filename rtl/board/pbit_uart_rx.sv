`default_nettype none
// UART receiver, 8N1, LSB first. The line is synchronized (two flops), a start
// bit is a falling edge confirmed at its middle, data bits are sampled at the
// middle of each bit (ClksPerBit clocks per bit), and the stop bit must be 1:
// otherwise the byte is dropped and err_o pulses (framing error, or a break).
// The receiver then waits for the line to return high before the next start.
module pbit_uart_rx #(
  parameter int ClksPerBit = 208   // [4,65535] clock cycles per bit (clk / baud)
) (
  input  wire logic       clk_i,
  input  wire logic       rst_ni,    // synchronous, active low
  input  wire logic       rx_i,      // the serial line (idle high)
  output      logic       valid_o,   // one-cycle pulse: data_o holds a received byte
  output      logic [7:0] data_o,
  output      logic       err_o,     // one-cycle pulse: framing error (stop bit 0)
  output      logic       active_o   // a byte is being received
);
  localparam int CntBits = $clog2(ClksPerBit + 1);
  localparam logic [CntBits-1:0] Full = CntBits'(ClksPerBit - 1);
  localparam logic [CntBits-1:0] Half = CntBits'((ClksPerBit - 1) / 2);

  typedef enum logic [1:0] {Idle, Start, Data, Stop} state_e;

  logic [1:0]         sync_q;      // synchronizer, sync_q[1] is the line
  state_e             state_d, state_q;
  logic [CntBits-1:0] cnt_d, cnt_q;
  logic [2:0]         bit_d, bit_q;
  logic [7:0]         shift_d, shift_q;
  logic               valid_d, valid_q, err_d, err_q;
  logic               line;
  assign line = sync_q[1];

  always_comb begin
    state_d = state_q;
    cnt_d = cnt_q;
    bit_d = bit_q;
    shift_d = shift_q;
    valid_d = 1'b0;
    err_d = 1'b0;
    unique case (state_q)
      Idle: begin
        if (!line) begin
          state_d = Start;
          cnt_d = Half;
        end
      end
      Start: begin  // wait to the middle of the start bit, confirm it
        if (cnt_q != '0) begin
          cnt_d = cnt_q - 1'b1;
        end else if (line) begin
          state_d = Idle;  // a glitch, not a start bit
        end else begin
          state_d = Data;
          cnt_d = Full;
          bit_d = '0;
        end
      end
      Data: begin
        if (cnt_q != '0) begin
          cnt_d = cnt_q - 1'b1;
        end else begin
          shift_d = {line, shift_q[7:1]};
          cnt_d = Full;
          bit_d = bit_q + 1'b1;
          if (bit_q == 3'd7) state_d = Stop;
        end
      end
      Stop: begin
        if (cnt_q != '0) begin
          cnt_d = cnt_q - 1'b1;
        end else if (line) begin
          state_d = Idle;
          valid_d = 1'b1;
        end else if (!err_q) begin
          err_d = 1'b1;  // once, then wait for the line to go high
        end
      end
      default: state_d = Idle;
    endcase
  end

  assign valid_o = valid_q;
  assign data_o = shift_q;
  assign err_o = err_q;
  assign active_o = state_q != Idle;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      sync_q <= 2'b11;
      state_q <= Idle;
      cnt_q <= '0;
      bit_q <= '0;
      shift_q <= '0;
      valid_q <= 1'b0;
      err_q <= 1'b0;
    end else begin
      sync_q <= {sync_q[0], rx_i};
      state_q <= state_d;
      cnt_q <= cnt_d;
      bit_q <= bit_d;
      shift_q <= shift_d;
      valid_q <= valid_d;
      err_q <= err_d;
    end
  end
endmodule

`default_nettype none
// UART transmitter, 8N1, LSB first: a byte is taken when valid_i and ready_o
// are both high, then sent as start bit, 8 data bits, stop bit, ClksPerBit
// clock cycles each. The line idles high.
module pbit_uart_tx #(
  parameter int ClksPerBit = 208   // [4,65535] clock cycles per bit (clk / baud)
) (
  input  wire logic       clk_i,
  input  wire logic       rst_ni,    // synchronous, active low
  input  wire logic       valid_i,
  input  wire logic [7:0] data_i,
  output      logic       ready_o,
  output      logic       tx_o
);
  localparam int CntBits = $clog2(ClksPerBit + 1);
  localparam logic [CntBits-1:0] Full = CntBits'(ClksPerBit - 1);

  logic [9:0]         frame_d, frame_q;  // bits still to send, LSB next (stop bit = 1 at the top)
  logic [3:0]         left_d, left_q;    // bits left in the frame, 0 = idle
  logic [CntBits-1:0] cnt_d, cnt_q;
  logic               tx_d, tx_q;

  always_comb begin
    frame_d = frame_q;
    left_d = left_q;
    cnt_d = cnt_q;
    tx_d = tx_q;
    if (left_q == '0) begin
      if (cnt_q != '0) begin
        cnt_d = cnt_q - 1'b1;  // the stop bit is still on the line
      end else if (valid_i) begin
        frame_d = {1'b1, data_i, 1'b0};
        left_d = 4'd10;
      end
    end else if (cnt_q != '0) begin
      cnt_d = cnt_q - 1'b1;
    end else begin
      tx_d = frame_q[0];
      frame_d = {1'b1, frame_q[9:1]};
      left_d = left_q - 1'b1;
      cnt_d = Full;
    end
  end

  // The last bit (stop) still needs its time on the line: ready once it has had it.
  assign ready_o = left_q == '0 && cnt_q == '0;
  assign tx_o = tx_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      frame_q <= '1;
      left_q <= '0;
      cnt_q <= '0;
      tx_q <= 1'b1;
    end else begin
      frame_q <= frame_d;
      left_q <= left_d;
      cnt_q <= cnt_d;
      tx_q <= tx_d;
    end
  end
endmodule

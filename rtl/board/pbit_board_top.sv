`default_nettype none
// A p-bit board: the p-bit array with its register block (pbit_board_array:
// pbit_top, or pbit_lean_top for `--arch lean`) driven by the UART-to-register
// bridge (pbit_uart_bridge; frame protocol in
// fpga/README.md), clocked from the board oscillator through a PLL on iCE40
// (define PBIT_ICE40_PLL: SB_PLL40_CORE, or PBIT_ICE40_PLL_PAD: SB_PLL40_PAD
// for a clock pin that is the PLL's pad), or directly (simulation, lint); or,
// for clocks below the iCE40 PLL's 16 MHz, the oscillator divided by ClkDiv (a
// fabric clock from a flip-flop, which nextpnr puts on a global net).
//
// Reset: there is no reset pin. A power-on counter (its flops start at 0 after
// configuration, the FPGA idiom: no reset of its own) holds the design in
// reset for 15 cycles after the PLL has locked.
// LEDs: led_run_o while the array runs, led_link_o while the bridge receives,
// executes or answers a request.
module pbit_board_top #(
  parameter logic [31:0] ClkHz = 32'd12000000,  // [1,2^32-1] the design clock (PLL output)
  parameter int          ClksPerBit = 104,      // [4,65535] UART: ClkHz / baud
  parameter logic [31:0] TimeoutClks = 32'd1200000,  // [1,2^32-1] request inter-byte timeout
  parameter int          BufWords = 256,        // [4,16384] power of two: bridge request buffer
  parameter bit          LutWritable = 1'b1,    // [0,1] pbit_top parameters (all 0 for the lean array)
  parameter bit          Stats = 1'b1,          // [0,1]
  parameter bit          Async = 1'b1,          // [0,1]
  parameter bit          LedActiveLow = 1'b0,   // [0,1] LEDs on at 0
  parameter int          PllDivr = 0,           // [0,15] iCE40 PLL (icepll): f = 12 MHz (DIVF+1) / ((DIVR+1) 2^DIVQ)
  parameter int          PllDivf = 63,          // [0,127]
  parameter int          PllDivq = 5,           // [1,6]
  parameter int          PllFilterRange = 1,    // [0,7]
  parameter int          ClkDiv = 1             // [1,16] the design clock = the PLL's (or oscillator's) / ClkDiv
) (
  input  wire logic clk_i,       // board oscillator
  input  wire logic uart_rx_i,   // from the host
  output      logic uart_tx_o,   // to the host
  output      logic led_run_o,
  output      logic led_link_o
);
  // ---- clock
  logic clk_src, clk, pll_lock;
`ifdef PBIT_ICE40_PLL_PAD
  SB_PLL40_PAD #(
    .FEEDBACK_PATH("SIMPLE"),
    .DIVR(4'(PllDivr)),
    .DIVF(7'(PllDivf)),
    .DIVQ(3'(PllDivq)),
    .FILTER_RANGE(3'(PllFilterRange))
  ) u_pll (
    .PACKAGEPIN(clk_i),
    .PLLOUTGLOBAL(clk_src),
    .LOCK(pll_lock),
    .RESETB(1'b1),
    .BYPASS(1'b0)
  );
`elsif PBIT_ICE40_PLL
  SB_PLL40_CORE #(
    .FEEDBACK_PATH("SIMPLE"),
    .DIVR(4'(PllDivr)),
    .DIVF(7'(PllDivf)),
    .DIVQ(3'(PllDivq)),
    .FILTER_RANGE(3'(PllFilterRange))
  ) u_pll (
    .REFERENCECLK(clk_i),
    .PLLOUTGLOBAL(clk_src),
    .LOCK(pll_lock),
    .RESETB(1'b1),
    .BYPASS(1'b0)
  );
`else
  assign clk_src = clk_i;
  assign pll_lock = 1'b1;
  logic [18:0] unused_pll;
  assign unused_pll = {4'(PllDivr), 7'(PllDivf), 3'(PllDivq), 3'(PllFilterRange), 2'b0};
`endif
  if (ClkDiv > 1) begin : g_clk_div
    // high for the first ClkDiv/2 of every ClkDiv source cycles; flops start at 0
    logic [4:0] div_q = '0;
    logic [4:0] div_d;
    logic       clk_q = 1'b0;
    logic       clk_d;
    always_comb begin
      div_d = (div_q == 5'(ClkDiv - 1)) ? 5'd0 : div_q + 5'd1;
      clk_d = div_d < 5'(ClkDiv / 2);
    end
    always_ff @(posedge clk_src) begin
      div_q <= div_d;
      clk_q <= clk_d;
    end
    assign clk = clk_q;
  end else begin : g_clk
    assign clk = clk_src;
  end

  // ---- power-on reset
  logic [3:0] por_q = '0;
  logic [3:0] por_d;
  logic       rst_n;
  always_comb begin
    por_d = por_q;
    if (!pll_lock) por_d = '0;
    else if (por_q != '1) por_d = por_q + 4'd1;
  end
  always_ff @(posedge clk) por_q <= por_d;
  assign rst_n = por_q == '1;

  // ---- UART
  logic       rx_valid, rx_err, rx_active, tx_valid, tx_ready;
  logic [7:0] rx_data, tx_data;
  pbit_uart_rx #(.ClksPerBit(ClksPerBit)) u_rx (
    .clk_i(clk),
    .rst_ni(rst_n),
    .rx_i(uart_rx_i),
    .valid_o(rx_valid),
    .data_o(rx_data),
    .err_o(rx_err),
    .active_o(rx_active)
  );
  pbit_uart_tx #(.ClksPerBit(ClksPerBit)) u_tx (
    .clk_i(clk),
    .rst_ni(rst_n),
    .valid_i(tx_valid),
    .data_i(tx_data),
    .ready_o(tx_ready),
    .tx_o(uart_tx_o)
  );

  // ---- bridge and array
  logic                              req, we, rvalid, busy, link_active;
  logic [pbit_pkg::AddrBits-1:0]     addr;
  logic [31:0]                       wdata, rdata;
  pbit_uart_bridge #(
    .NumCells(pbit_pkg::NumCells),
    .BufWords(BufWords),
    .ClkHz(ClkHz),
    .ClksPerBit(ClksPerBit),
    .TimeoutClks(TimeoutClks),
    .Flags((32'(Stats) << pbit_board_pkg::FlagStats) | (32'(LutWritable) << pbit_board_pkg::FlagLutWritable) |
           (32'(Async) << pbit_board_pkg::FlagAsync))
  ) u_bridge (
    .clk_i(clk),
    .rst_ni(rst_n),
    .rx_valid_i(rx_valid),
    .rx_data_i(rx_data),
    .rx_err_i(rx_err),
    .tx_valid_o(tx_valid),
    .tx_data_o(tx_data),
    .tx_ready_i(tx_ready),
    .req_o(req),
    .we_o(we),
    .addr_o(addr),
    .wdata_o(wdata),
    .rvalid_i(rvalid),
    .rdata_i(rdata),
    .busy_i(busy),
    .active_o(link_active)
  );

  pbit_board_array #(
    .LutWritable(LutWritable),
    .Stats(Stats),
    .Async(Async)
  ) u_top (
    .clk_i(clk),
    .rst_ni(rst_n),
    .req_i(req),
    .we_i(we),
    .addr_i(addr),
    .wdata_i(wdata),
    .rvalid_o(rvalid),
    .rdata_o(rdata),
    .busy_o(busy)
  );

  assign led_run_o = busy ^ LedActiveLow;
  assign led_link_o = (link_active | rx_active | ~tx_ready) ^ LedActiveLow;
endmodule

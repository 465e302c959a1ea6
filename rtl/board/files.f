// The board design's hand-written RTL in compile order, paths relative to
// this folder; read after the array's files (pbit_pkg.sv, ../files.f,
// pbit_array.sv) and the generated pbit_board_pkg.sv, and the array's wrapper
// pbit_board_array.sv or, for --arch lean, lean/pbit_board_array.sv (not
// listed here). `pbit fpga` writes the complete list (board_files.f) into its output
// directory.
pbit_board_ram.sv
pbit_uart_rx.sv
pbit_uart_tx.sv
pbit_uart_bridge.sv
pbit_board_top.sv

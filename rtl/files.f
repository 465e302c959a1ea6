// Hand-written RTL in compile order, paths relative to this folder. Used by
// `pbit rtl emit` (its files.f: generated pbit_pkg.sv, these by absolute path,
// generated pbit_array.sv), the lint/synthesis tests and CMake. Lines starting
// with // are comments. The time-multiplexed engine (`--arch engine`) has its
// own list, engine/files.f, read after its generated pbit_pkg.sv.
pbit_lfsr32.sv
pbit_xorshift32.sv
pbit_rng.sv
pbit_lut.sv
pbit_cell.sv
pbit_ctrl.sv
pbit_top.sv

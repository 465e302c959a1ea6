// The lean array's hand-written RTL in compile order, paths relative to this
// folder; read after the generated pbit_pkg.sv (`pbit rtl emit --arch lean`
// writes the complete files.f, the generated pbit_lean_array.sv last). Top:
// pbit_lean_top.
../pbit_lut.sv
../pbit_ctrl.sv
../engine/pbit_engine_rng.sv
pbit_group.sv
pbit_lean_top.sv

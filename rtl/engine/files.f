// The time-multiplexed engine's hand-written RTL in compile order, paths
// relative to this folder; read after the generated pbit_pkg.sv (`pbit rtl
// emit --arch engine` writes the complete files.f). Top: pbit_engine_top.
pbit_engine_ram.sv
pbit_engine_spram_bank.sv
pbit_engine_spram.sv
pbit_engine_rng.sv
pbit_engine_pegasus.sv
pbit_engine_graph.sv
pbit_engine_core.sv
pbit_engine_ctrl.sv
pbit_engine_top.sv

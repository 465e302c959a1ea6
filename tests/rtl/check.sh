#!/usr/bin/env bash
# Lint and synthesis check of one emitted p-bit array design (ctest label `rtl`).
#
#   check.sh PBIT_EXE OUTDIR GRAPH [lean|lint|engine|lean-array] -- [pbit rtl emit options...]
#
# 1. pbit rtl emit --graph GRAPH --out OUTDIR <options>
# 2. verilator --lint-only -Wall rtl/pbit.vlt -f OUTDIR/files.f: no warnings
#    (waivers only in rtl/pbit.vlt), for the default top parameters and for the
#    variants (ROM LUT, no stats, no async, per-cell clocks);
# 3. yosys: read_verilog -sv <files>; synth -top pbit_top; stat: no errors,
#    no warnings, no latches, no unsynthesizable leftovers (processes, memories).
#    With `lean`, synthesizes LutWritable=0 Stats=0 Async=0 instead; with
#    `lint`, stops after step 2 (designs too big to synthesize in a test).
#    With `engine`, the time-multiplexed engine (--arch engine, top
#    pbit_engine_top; variants ROM LUT and no state mirror). With `lean-array`,
#    the area-lean array (--arch lean, top pbit_lean_top; no variants).
# Exit 77 (ctest: skipped) when verilator or yosys is missing.
set -euo pipefail
pbit=$1 out=$2 graph=$3
shift 3
lean=0 lint_only=0 engine=0 lean_array=0 top=pbit_top
if [[ ${1:-} == lean ]]; then lean=1; shift; fi
if [[ ${1:-} == lint ]]; then lint_only=1; shift; fi
if [[ ${1:-} == engine ]]; then engine=1; top=pbit_engine_top; shift; fi
if [[ ${1:-} == lean-array ]]; then lean_array=1; top=pbit_lean_top; shift; fi
[[ ${1:-} == -- ]] && shift
here=$(cd "$(dirname "$0")" && pwd)
rtl=$(cd "$here/../../rtl" && pwd)
for tool in verilator yosys; do
  command -v $tool > /dev/null || { echo "SKIP: $tool not found"; exit 77; }
done
fail() { echo "FAIL: $*"; exit 1; }

rm -rf "$out"
mkdir -p "$(dirname "$out")"
arch=full
[[ $engine == 1 ]] && arch=engine
[[ $lean_array == 1 ]] && arch=lean
"$pbit" rtl emit --graph "$graph" --out "$out" --rtl-dir "$rtl" --arch $arch "$@" > "$out.emit.log" 2>&1 ||
  { cat "$out.emit.log"; fail "pbit rtl emit"; }
echo "emitted $graph $*"

variants=("" "-GLutWritable=1'b0" "-GStats=1'b0" "-GAsync=1'b0" "-GCellClocks=1'b1")
[[ $engine == 1 ]] && variants=("" "-GLutWritable=1'b0" "-GStateMirror=1'b0")
[[ $lean_array == 1 ]] && variants=("")
for v in "${variants[@]}"; do
  log="$out/lint${v//[^A-Za-z0-9=]/_}.log"
  # shellcheck disable=SC2086
  if ! verilator --lint-only -Wall $v "$rtl/pbit.vlt" -f "$out/files.f" --top-module $top > "$log" 2>&1 ||
     grep -q '^%' "$log"; then
    cat "$log"
    fail "verilator lint ${v:-(default parameters)}"
  fi
  echo "lint clean ${v:-(default parameters)}"
done

[[ $lint_only == 1 ]] && exit 0

files=$(tr '\n' ' ' < "$out/files.f")
params=""
[[ $lean == 1 ]] && params="chparam -set LutWritable 0 -set Stats 0 -set Async 0 pbit_top;"
ylog="$out/yosys.log"
yosys -q -l "$ylog" -p "read_verilog -sv $files; $params synth -top $top; tee -o $out/stat.txt stat" \
  > /dev/null 2>&1 || { tail -20 "$ylog"; fail "yosys synth"; }
grep -E '^(ERROR|Warning)' "$ylog" && fail "yosys reported warnings/errors (see $ylog)"
grep -E '^Latch inferred' "$ylog" && fail "latch inferred"
grep -qE '\$_?(DLATCH|dlatch|SR_|sr)' "$out/stat.txt" && fail "latch/SR cells in the netlist"
awk '/=== design hierarchy ===/{h=1} h && /Number of (processes|memories):/ && $NF != 0 {bad=1} END{exit bad}' \
  "$out/stat.txt" || fail "processes or memories left after synth"
cells=$(awk '/=== design hierarchy ===/{h=1} h && /Number of cells:/{print $NF; exit}' "$out/stat.txt")
echo "yosys synth clean${params:+ (lean)}: $cells cells"

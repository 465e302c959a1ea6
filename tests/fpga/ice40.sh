#!/usr/bin/env bash
# The iCE40 flow on the small board design (ctest label `fpga`):
#
#   ice40.sh PBIT_EXE WORKDIR [BOARD [GRAPH [ARCH [FREQ]]]]   (default icebreaker, chimera:1, full,
#                                                             the board's clock)
#   ice40.sh PBIT_EXE WORKDIR too-big            chimera:1,2 on the UP5K: a clear "does not fit"
#   ice40.sh PBIT_EXE WORKDIR engine             the whole pegasus:14 on the iCEBreaker (--arch engine)
#
# 1. the board design (array + UART bridge + board top) lints clean with
#    verilator -Wall (rtl/board/ and the generated pbit_board_pkg.sv), with the
#    clock divider too;
# 2. pbit fpga build (yosys synth_ice40 -> nextpnr-ice40 -> icepack) writes a
#    bitstream of the device's size, the JSON report says timing is met and the
#    design fits; the flip rate is p-bits x clock / cycles per sweep;
# 3. pbit fpga program --dry-run prints the openFPGALoader command;
# too-big: chimera:1,2 does not fit the UP5K: one clear error line, exit 1,
# after synthesis and before place and route.
# engine: `pbit fpga build --board icebreaker --graph pegasus:14 --arch engine
# --json` (issue 16): the board RTL of the engine lints clean, the bitstream is
# written with timing met at the board's 12 MHz, the four SPRAM blocks hold the
# couplings and RNG states, cycles per sweep = the emitted SWEEP_CYCLES.
# Exit 77 (skipped) when a tool is missing.
set -euo pipefail
pbit=$1 work=$2 board=${3:-icebreaker} graph=${4:-chimera:1} arch=${5:-full} freq=${6:-}
for tool in verilator yosys nextpnr-ice40 icepack; do
  command -v $tool > /dev/null || { echo "SKIP: $tool not found"; exit 77; }
done
fail() { echo "FAIL: $*"; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
rtl=${PBIT_RTL_DIR:-$(cd "$here/../../rtl" && pwd)}
rm -rf "$work"
mkdir -p "$work"
start=$(date +%s)

if [[ $board == engine ]]; then
  "$pbit" fpga emit --graph pegasus:14 --arch engine --out "$work/lint" > /dev/null
  log="$work/lint.log"
  verilator --lint-only -Wall "$rtl/pbit.vlt" -f "$work/lint/board_files.f" --top-module pbit_board_top \
    -GLutWritable=1\'b0 -GStats=1\'b0 -GAsync=1\'b0 > "$log" 2>&1 || { cat "$log"; fail "verilator lint of the engine board"; }
  echo "engine board RTL lint clean"
  sweep=$(sed -n "s/.*EngineSweepCycles = 32'd\([0-9]*\);.*/\1/p" "$work/lint/pbit_pkg.sv")
  "$pbit" fpga build --board icebreaker --graph pegasus:14 --arch engine --out "$work/build" --json \
    > "$work/report.json" 2> "$work/build.log" || { cat "$work/build.log"; fail "pbit fpga build --arch engine"; }
  python3 - "$work/report.json" "$sweep" <<'PY' || fail "engine report"
import json, os, sys
r = json.load(open(sys.argv[1]))
assert os.path.getsize(r["bitstream"]) == 104090, os.path.getsize(r["bitstream"])
assert r["arch"] == "engine" and r["pbits"] == 4264, (r["arch"], r["pbits"])
assert r["timing_met"] and r["fmax_mhz"] >= r["clock_mhz"] == 12.0, (r["fmax_mhz"], r["clock_mhz"])
u = r["utilization"]
assert u["ICESTORM_SPRAM"]["used"] == 4 and u["ICESTORM_LC"]["used"] <= u["ICESTORM_LC"]["available"], u
assert r["cycles_per_sweep"] == int(sys.argv[2]), (r["cycles_per_sweep"], sys.argv[2])
assert abs(r["flips_per_s"] - 4264 * 12e6 / r["cycles_per_sweep"]) < 1
print(f"pegasus:14 engine on the icebreaker: {u['ICESTORM_LC']['used']}/{u['ICESTORM_LC']['available']} LCs, "
      f"{u['ICESTORM_RAM']['used']} EBR, 4 SPRAM, Fmax {r['fmax_mhz']:.2f} MHz at 12 MHz, "
      f"{r['sweeps_per_s']:.0f} sweeps/s, {r['flips_per_s']:.3g} flips/s, {r['seconds']['total']:.0f} s")
PY
  echo "PASS ($(( $(date +%s) - start )) s)"
  exit 0
fi

if [[ $board == too-big ]]; then
  if "$pbit" fpga build --board icebreaker --graph chimera:1,2 --beta-mode fold --out "$work/too_big" \
       > /dev/null 2> "$work/too_big.txt"; then
    fail "chimera:1,2 fitted the UP5K?"
  fi
  grep -q '^pbit: error: the design does not fit the icebreaker (up5k): ' "$work/too_big.txt" ||
    { cat "$work/too_big.txt"; fail "does-not-fit message"; }
  echo "chimera:1,2 on the UP5K: $(cat "$work/too_big.txt")"
  echo "PASS ($(( $(date +%s) - start )) s)"
  exit 0
fi

"$pbit" fpga emit --graph "$graph" --arch "$arch" --out "$work/lint" --beta-mode fold > /dev/null
log="$work/lint.log"
for div in 1 2; do
  verilator --lint-only -Wall "$rtl/pbit.vlt" -f "$work/lint/board_files.f" --top-module pbit_board_top \
    -GLutWritable=1\'b0 -GStats=1\'b0 -GAsync=1\'b0 -GClkDiv=$div > "$log" 2>&1 || true
  if grep -E '^%(Warning|Error)' "$log" | grep -qE 'rtl/board/|pbit_board_pkg'; then
    cat "$log"
    fail "verilator lint of the board RTL (ClkDiv=$div)"
  fi
done
echo "board RTL lint clean ($arch array)"

"$pbit" fpga build --board "$board" --graph "$graph" --arch "$arch" ${freq:+--freq "$freq"} --beta-mode fold \
  --out "$work/build" --json > "$work/report.json" 2> "$work/build.log" || { cat "$work/build.log"; fail "pbit fpga build"; }
python3 - "$work/report.json" "$arch" "$freq" <<'PY' || fail "report"
import json, os, sys
r = json.load(open(sys.argv[1]))
assert r["arch"] == sys.argv[2], r["arch"]
if sys.argv[3]:
    assert abs(r["clock_mhz"] - float(sys.argv[3])) < 1e-9, r["clock_mhz"]
size = os.path.getsize(r["bitstream"])
expect = {"up5k": 104090, "hx8k": 135100}[r["device"]]
assert size == expect, f"bitstream of {size} bytes, expected {expect} for the {r['device']}"
assert r["timing_met"] and r["fmax_mhz"] >= r["clock_mhz"], (r["fmax_mhz"], r["clock_mhz"])
lc = r["utilization"]["ICESTORM_LC"]
assert 0 < lc["used"] <= lc["available"], lc
assert abs(r["flips_per_s"] - r["pbits"] * r["clock_mhz"] * 1e6 / r["cycles_per_sweep"]) < 1
print(f"{r['graph']} ({r['arch']}) on {r['board']}: {lc['used']}/{lc['available']} LCs, Fmax {r['fmax_mhz']:.2f} MHz "
      f"at {r['clock_mhz']} MHz, {r['flips_per_s']:.3g} flips/s, bitstream {size} bytes, "
      f"yosys {r['seconds']['yosys']:.0f} s, nextpnr {r['seconds']['nextpnr']:.0f} s")
PY
"$pbit" fpga program --board "$board" --bitstream "$work/build/pbit_board.bin" --dry-run > "$work/program.txt"
grep -q "^openFPGALoader -b .* -f $work/build/pbit_board.bin$" "$work/program.txt" || fail "program command"
echo "PASS ($(( $(date +%s) - start )) s)"

#!/usr/bin/env bash
# End to end: the board top (array + register block + UART bridge) verilated
# and bridged to a pseudo-terminal (`pbit fpga sim`), driven by the `board`
# backend through the same termios driver a real board uses; its states must
# equal the `ref` backend's bit for bit (ctest label `board-sim`).
#
#   board_sim.sh PBIT_EXE WORKDIR
#
# 1. build the simulated board for chimera:1 (full features: writable LUT,
#    statistics counters, async), UART at 4 clocks a bit;
# 2. pbit compare ref,board: chromatic with 3 chains, clamps and random
#    fields (context switches over the link); async; identical sweep by sweep;
# 3. pbit sample --json on both: identical moments (on-chip statistics
#    harvested with READ_STATS); pbit anneal on both (a LUT rewrite per
#    step): identical final energies, best state and trace;
# 4. the same with a damaged byte every 211 bytes each way: CRC errors,
#    retries and RUN replays, still identical;
# 5. the same board with a wrong spec: a clear error, exit 1;
# 6. the lean board (ROM LUT, no statistics, chromatic) as built for iCE40:
#    identical states and moments with --beta-mode fold (statistics kept by
#    the host), identical anneals (folded weights rewritten every step), a
#    clear error for a beta its ROM was not built for;
# 7. the lean array (`--arch lean`: groups of p-bits of different colours
#    sharing one datapath, write-only cells, the gated sum) behind the same
#    bridge, on pegasus:2 (4 colours, degrees 5-13): identical states with 3
#    chains, clamps and context switches (the host follows the RNG states),
#    identical sample moments and anneals, no --arch on the host side (it reads
#    the array's traits from LUT_GEOMETRY);
# 8. the time-multiplexed engine (`--arch engine`: weights, RNG states and
#    states in RAM, one update lane; pegasus:M from its coordinates) behind
#    the same bridge, on pegasus:2 with a ROM LUT: identical states with 3
#    chains, clamps and context switches (READ_STATES reads its STATES
#    registers: it has no state port), identical sample moments and anneals;
# 0. first, raw frames (protocol_errors.py): every malformed request gets an
#    error response (BAD_CRC, BAD_CMD, BAD_LEN, BAD_ARG, TIMEOUT), a repeated
#    RUN is answered without running again.
# Exit 77 (skipped) when verilator is missing.
set -euo pipefail
pbit=$1 work=$2
source "$(dirname "$0")/board_lib.sh"

start=$(date +%s)
"$pbit" fpga sim --graph chimera:1 --out "$work/sim" --build-only > "$work/build.log" 2>&1 ||
  { cat "$work/build.log"; fail "building the simulated board"; }
echo "simulated board built ($(( $(date +%s) - start )) s)"

run_sim() { start_sim "$work/sim/obj/pbit_board_sim" "$work/sim.log" 300 "$@"; }  # run_sim [sim options...]

run_sim
python3 "$(dirname "$0")/protocol_errors.py" "$(cat "$work/pty")" 8 || fail "protocol errors"
run_sim
common=(--graph chimera:1 --port "$pty")
"$pbit" compare "${common[@]}" --backends ref,board --couplings gauss:0.8 --fields gauss:0.3 --sweeps 100 \
  --chains 3 --seed 9 --clamp-every 3 --link-timeout-ms 500 | tee "$work/compare1.txt"
grep -q '^identical: 100 sweeps x 3 chains of 8 p-bits' "$work/compare1.txt" || fail "chromatic compare"
"$pbit" compare "${common[@]}" --backends ref,board --sweeps 100 --chains 2 --seed 4 --schedule async \
  --async-period 6 | tee "$work/compare2.txt"
grep -q '^identical: 100 sweeps x 2 chains of 8 p-bits (async' "$work/compare2.txt" || fail "async compare"
for b in ref board; do
  "$pbit" sample "${common[@]}" --backend $b --couplings gauss:0.8 --sweeps 2000 --burn-in 10 --chains 2 \
    --seed 3 --json > "$work/sample_$b.json" || fail "pbit sample --backend $b"
done
python3 - "$work/sample_ref.json" "$work/sample_board.json" <<'PY' || fail "sample moments differ"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
assert a["samples"] == b["samples"] == 4000, (a["samples"], b["samples"])
assert a["means"] == b["means"], "means"
assert a["correlations"] == b["correlations"], "correlations"
assert any(abs(v) > 0.05 for v in a["means"].values()), "a trivial sample"
print("sample: identical means and correlations over", a["samples"], "samples")
PY
# Annealing: a new beta every step is one LUT rewrite over the link.
for b in ref board; do
  "$pbit" anneal "${common[@]}" --backend $b --couplings gauss:0.8 --fields gauss:0.3 --betas linear:0.1,3,25 \
    --sweeps-per-beta 2 --chains 2 --seed 6 --json > "$work/anneal_$b.json" || fail "pbit anneal --backend $b"
done
python3 - "$work/anneal_ref.json" "$work/anneal_board.json" <<'PY' || fail "anneal results differ"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for k in ("final_energies", "best_state", "best_energy", "trace"):
    assert a[k] == b[k], k
print("anneal: identical final energies, best state and trace")
PY
if "$pbit" sample "${common[@]}" --backend board --rng lfsr32 --sweeps 1 > /dev/null 2> "$work/wrong.txt"; then
  fail "a board of another spec was accepted"
fi
grep -q 'built for another graph or numeric spec' "$work/wrong.txt" || { cat "$work/wrong.txt"; fail "wrong-spec message"; }

run_sim --corrupt-every 211
common=(--graph chimera:1 --port "$pty")
"$pbit" compare "${common[@]}" --link-timeout-ms 100 --backends ref,board --sweeps 60 --chains 1 --seed 5 \
  | tee "$work/compare3.txt"
grep -q '^identical: 60 sweeps' "$work/compare3.txt" || fail "compare over a noisy line"
cleanup
wait "$sim_pid" 2> /dev/null || true
sim_pid=
cat "$work/sim.log"
grep -qE 'bytes in \([1-9][0-9]* damaged\), [0-9]+ bytes out \([1-9][0-9]* damaged\)' "$work/sim.log" ||
  fail "the noisy line damaged nothing"
# The lean board of the iCE40 builds: ROM LUT (beta folded into the weights),
# no statistics counters (the backend reads the states after every sweep),
# chromatic only.
"$pbit" fpga sim --graph chimera:1 --out "$work/sim_lean" --lut-writable 0 --stats 0 --async 0 --beta-mode fold \
  --build-only > "$work/build_lean.log" 2>&1 || { cat "$work/build_lean.log"; fail "building the lean board"; }
start_sim "$work/sim_lean/obj/pbit_board_sim" "$work/sim_lean.log" 300
common=(--graph chimera:1 --port "$pty" --beta-mode fold)
"$pbit" compare "${common[@]}" --backends ref,board --couplings gauss:0.8 --sweeps 50 --chains 2 --clamp-every 3 \
  | tee "$work/compare_lean.txt"
grep -q '^identical: 50 sweeps x 2 chains' "$work/compare_lean.txt" || fail "lean compare"
for b in ref board; do
  "$pbit" sample "${common[@]}" --backend $b --couplings gauss:0.8 --fields gauss:0.4 --beta 0.7 --sweeps 500 \
    --burn-in 10 --chains 2 --seed 3 --json > "$work/lean_$b.json" || fail "lean sample --backend $b"
done
python3 - "$work/lean_ref.json" "$work/lean_board.json" <<'PY' || fail "lean sample moments differ"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
assert a["samples"] == b["samples"] == 1000 and a["means"] == b["means"] and a["correlations"] == b["correlations"]
print("lean sample: identical means and correlations (statistics kept by the host)")
PY
# Annealing with a ROM LUT: every new beta rewrites the folded weights.
for b in ref board; do
  "$pbit" anneal "${common[@]}" --backend $b --couplings gauss:0.8 --betas linear:0.3,3,15 --chains 2 --seed 2 \
    --json > "$work/lean_anneal_$b.json" || fail "lean anneal --backend $b"
done
python3 - "$work/lean_anneal_ref.json" "$work/lean_anneal_board.json" <<'PY' || fail "lean anneal results differ"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
assert a["final_energies"] == b["final_energies"] and a["best_state"] == b["best_state"] and a["trace"] == b["trace"]
print("lean anneal (folded weights rewritten every step): identical")
PY
if "$pbit" sample --graph chimera:1 --port "$(cat "$work/pty")" --backend board --beta 0.5 --sweeps 1 \
     > /dev/null 2> "$work/rom.txt"; then
  fail "a ROM LUT of another beta was accepted"
fi
grep -q 'the LUT is a ROM built for another beta' "$work/rom.txt" || { cat "$work/rom.txt"; fail "ROM message"; }
# Another architecture behind the same bridge (rtl/board/ARCH/pbit_board_array.sv):
# states, sample moments and anneals identical to ref on pegasus:2.
#   arch_on_board NAME WHAT [pbit fpga sim options...]   (NAME: file prefix)
arch_on_board() {
  local name=$1 what=$2 t0
  shift 2
  cleanup
  wait "$sim_pid" 2> /dev/null || true
  sim_pid=
  t0=$(date +%s)
  "$pbit" fpga sim --graph pegasus:2 "$@" --out "$work/sim_$name" --beta-mode fold --build-only \
    > "$work/build_$name.log" 2>&1 || { cat "$work/build_$name.log"; fail "building the $what board"; }
  start_sim "$work/sim_$name/obj/pbit_board_sim" "$work/sim_$name.log" 300
  common=(--graph pegasus:2 --port "$pty" --beta-mode fold)
  "$pbit" compare "${common[@]}" --backends ref,board --couplings gauss:0.8 --fields gauss:0.3 --sweeps 30 --chains 3 \
    --clamp-every 3 --seed 9 | tee "$work/compare_$name.txt"
  grep -q '^identical: 30 sweeps x 3 chains of 40 p-bits' "$work/compare_$name.txt" || fail "$what compare"
  for b in ref board; do
    "$pbit" sample "${common[@]}" --backend $b --couplings gauss:0.8 --fields gauss:0.4 --beta 0.7 --sweeps 40 \
      --burn-in 5 --chains 2 --seed 3 --json > "$work/${name}_$b.json" || fail "$what sample --backend $b"
    "$pbit" anneal "${common[@]}" --backend $b --couplings gauss:0.8 --betas linear:0.3,3,5 --chains 2 --seed 2 \
      --json > "$work/${name}_anneal_$b.json" || fail "$what anneal --backend $b"
  done
  python3 - "$work" "$name" "$what" <<'PY' || fail "$what sample or anneal differs"
import json, sys
w, name, what = sys.argv[1:4]
a, b = (json.load(open(f"{w}/{name}_{k}.json")) for k in ("ref", "board"))
assert a["samples"] == b["samples"] == 80 and a["means"] == b["means"] and a["correlations"] == b["correlations"]
a, b = (json.load(open(f"{w}/{name}_anneal_{k}.json")) for k in ("ref", "board"))
assert a["final_energies"] == b["final_energies"] and a["best_state"] == b["best_state"] and a["trace"] == b["trace"]
print(f"{what}: identical sample moments and anneal")
PY
  echo "$what on the board: $(( $(date +%s) - t0 )) s"
}
arch_on_board arch_lean "lean array" --arch lean
arch_on_board engine engine --arch engine --lut-writable 0
echo "PASS ($(( $(date +%s) - start )) s)"

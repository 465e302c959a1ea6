# Sourced by board_sim.sh and board_eval.sh (with $work set): skips without
# verilator (exit 77), fail(), and the simulated board behind a
# pseudo-terminal, stopped on exit.
command -v verilator > /dev/null || { echo "SKIP: verilator not found"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$work"
sim_pid=
cleanup() { [[ -n $sim_pid ]] && kill "$sim_pid" 2> /dev/null || true; }
trap cleanup EXIT

# start_sim EXE LOG IDLE_S [simulator options...]: stops the running
# simulator, starts EXE (it exits after IDLE_S idle seconds), sets $pty.
start_sim() {
  local exe=$1 log=$2 idle=$3
  shift 3
  cleanup
  rm -f "$work/pty"
  "$exe" --pty-file "$work/pty" --idle-exit "$idle" "$@" > "$log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 100); do [[ -s $work/pty ]] && break; sleep 0.05; done
  pty=$(cat "$work/pty")
  [[ -c $pty ]] || fail "the simulator did not open a pseudo-terminal"
}

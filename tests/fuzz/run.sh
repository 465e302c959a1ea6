#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS on its seed corpus (tests/fuzz/corpus/
# <target>, copied into the build so that new inputs stay out of the
# repository) and prints one line per target: executions, executions per
# second, coverage (edges, features), corpus size. Any crash, sanitizer
# report, leak, timeout (-timeout, 30 s per input) or memory beyond
# -rss_limit_mb (2 GB resident) fails the run, as does one allocation over
# 4 GB (-malloc_limit_mb: libmatio callocs what a .mat header declares, up to
# 4 GB, before it finds the data missing; untouched, that costs no resident
# memory: `pbit model import` of such a 774-byte file stays at 18 MB and
# exits 1 in 0.1 s); the input that did it is kept in
# <build>/fuzz/artifacts/<target>/ and the log in <build>/fuzz/logs/.
#
#   tests/fuzz/run.sh SECONDS [TARGET...]      (default: every target)
#
# env PBIT_FUZZ_BUILD: the build directory (default build-asan; configured
# with clang, -DPBIT_SANITIZE=address,undefined -DPBIT_FUZZ=ON if missing).
# env PBIT_FUZZ_SEED: libFuzzer's -seed (default: a random one). CI fixes it,
# so that a CI run explores the same inputs every time and is reproducible.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:?usage: tests/fuzz/run.sh SECONDS [TARGET...]}
shift
build=${PBIT_FUZZ_BUILD:-build-asan}
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DPBIT_SANITIZE=address,undefined -DPBIT_FUZZ=ON -DPBIT_MPI=OFF -DPBIT_BUILD_PYTHON=OFF >&2
fi
cmake --build "$build" -j"$(nproc)" --target fuzz >&2
targets=("$@")
if ((${#targets[@]} == 0)); then
  for f in tests/fuzz/fuzz_*.cpp; do t=$(basename "$f" .cpp); targets+=("${t#fuzz_}"); done
fi
failed=0
printf '%-16s %8s %12s %10s %8s %8s %8s  %s\n' target seconds execs exec/s cov ft corpus result
for t in "${targets[@]}"; do
  exe="$build/fuzz/fuzz_$t"
  [ -x "$exe" ] || { echo "run.sh: no fuzz target $t ($exe)" >&2; exit 2; }
  [ -d "tests/fuzz/corpus/$t" ] || { echo "run.sh: no seed corpus tests/fuzz/corpus/$t" >&2; exit 2; }
  work="$build/fuzz/corpus/$t" art="$build/fuzz/artifacts/$t" log="$build/fuzz/logs/$t.log"
  mkdir -p "$work" "$art" "$(dirname "$log")"
  rc=0
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$exe" ${PBIT_FUZZ_SEED:+-seed="$PBIT_FUZZ_SEED"} -max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 -malloc_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$art/" "$work" "tests/fuzz/corpus/$t" > "$log" 2>&1 || rc=$?
  stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1 || true; }
  # (no match is not an error: a target that stopped at once prints no coverage)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  result=ok
  if ((rc != 0)); then
    result="FAILED (exit $rc; $(grep -m1 -oE 'ERROR: [A-Za-z]+: [^ ]+|SUMMARY: .*|ALARM: .*|out-of-memory.*' "$log" || echo see log); log $log)"
    failed=1
  fi
  printf '%-16s %8s %12s %10s %8s %8s %8s  %s\n' "$t" "$secs" "$(stat number_of_executed_units)" \
    "$(stat average_exec_per_sec)" "${cov:--}" "${ft:--}" "$(ls "$work" | wc -l)" "$result"
done
exit $failed

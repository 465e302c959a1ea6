#!/usr/bin/env bash
# The Xilinx resource estimate of the published DBM array (ctest label `long`,
# about 25 minutes on one core):
#
#   xilinx_estimate.sh PBIT_EXE WORKDIR [PART [GRAPH]]   (default xcvu9p, pegasus:14)
#
# yosys synth_xilinx of the full-featured array (hierarchical); checks the
# report: every p-bit found, per-p-bit resources, a cost model per degree,
# the largest Pegasus and Zephyr that fit, the projected flips/s.
# Reports: WORKDIR/estimate.md, WORKDIR/estimate.json. Exit 77 without yosys.
set -euo pipefail
pbit=$1 work=$2 part=${3:-xcvu9p} graph=${4:-pegasus:14}
command -v yosys > /dev/null || { echo "SKIP: yosys not found"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
start=$(date +%s)
"$pbit" fpga estimate --part "$part" --graph "$graph" --out "$work" --json > "$work.json" 2> "$work.log" ||
  { cat "$work.log"; fail "pbit fpga estimate"; }
python3 - "$work.json" <<'PY' || fail "estimate report"
import json, sys
r = json.load(open(sys.argv[1]))
n = r["pbits"]
assert sum(c["cells"] for c in r["cells_by_degree"]) == n
assert r["total"]["lut"] > 100 * n and r["total"]["ff"] > 50 * n, r["total"]
assert abs(r["per_pbit"]["lut"] * n - r["total"]["lut"]) < 1
m = r["model"]
assert m["lut_per_edge_slot"] > 0 and m["ff_per_edge_slot"] > 0, m
assert r["largest_pegasus"]["m"] >= 2 and r["largest_zephyr_t4"]["m"] >= 1
f = r["flattened"]
assert 0 < f["lut"] <= r["total"]["lut"] and f["lut_per_pbit"] > 10, f  # flattening only removes logic
assert all(c["flat_lut"] > 0 for c in r["cells_by_degree"])
assert r["largest_pegasus"]["m"] >= r["largest_pegasus_hierarchical"]["m"]
assert abs(r["flips_per_s"] - n * r["clock_mhz"] * 1e6 / r["cycles_per_sweep"]) < 1
print(f"{r['graph']} on {r['part']}: {r['per_pbit']['lut']:.0f} LUT, {r['per_pbit']['ff']:.0f} FF per p-bit "
      f"hierarchical, {f['lut_per_pbit']:.0f} LUT flattened; largest Pegasus P({r['largest_pegasus']['m']}) "
      f"= {r['largest_pegasus']['pbits']} p-bits; yosys {r['yosys_seconds']:.0f} s")
PY
echo "PASS ($(( $(date +%s) - start )) s); report $work/estimate.md"

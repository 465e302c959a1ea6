#!/usr/bin/env bash
# The Xilinx resource estimate of the published DBM network (ctest label `long`):
#
#   xilinx_estimate.sh PBIT_EXE WORKDIR [PART [GRAPH [ARCH]]]   (default xcvu9p, pegasus:14, lean)
#
# ARCH lean (the default of `pbit fpga estimate`, several minutes): the issue-13
# report keys (lut_utilization, ff_utilization, lut_per_pbit, largest_pegasus,
# flips_per_s), every p-bit in a group, a per-degree cost model, the update
# path's LUT levels; on pegasus:14 at most 50 % of the part's LUTs and FFs.
# ARCH full (about 30 minutes): the full-featured array (hierarchical + flattened
# cell probes): every p-bit found, per-p-bit resources, the cost model, the
# largest Pegasus and Zephyr that fit, the projected flips/s.
# Reports: WORKDIR/estimate.md, WORKDIR/estimate.json. Exit 77 without yosys.
set -euo pipefail
pbit=$1 work=$2 part=${3:-xcvu9p} graph=${4:-pegasus:14} arch=${5:-lean}
command -v yosys > /dev/null || { echo "SKIP: yosys not found"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
start=$(date +%s)
"$pbit" fpga estimate --part "$part" --graph "$graph" --arch "$arch" --out "$work" --json \
  > "$work.json" 2> "$work.log" || { cat "$work.log"; fail "pbit fpga estimate"; }
if [[ $arch == lean ]]; then
  python3 - "$work.json" <<'PY' || fail "lean estimate report"
import json, sys
r = json.load(open(sys.argv[1]))
n = r["pbits"]
assert r["arch"] == "lean"
assert sum(g["pbits"] for g in r["group_shapes"]) == n
for k in ("lut_utilization", "ff_utilization"):
    assert 0 < r[k] < 1, (k, r[k])
assert abs(r["lut_per_pbit"] * n / r["part_capacity"]["lut"] - r["lut_utilization"]) < 1e-9
m = r["model"]
assert m["lut_per_pbit"] > 0 and (m["lut_per_degree"] > 0 or len(r["group_shapes"]) == 1), m
assert r["largest_pegasus"]["m"] >= 2 and r["largest_zephyr_t4"]["m"] >= 1
assert abs(r["flips_per_s"] - n * r["clock_mhz"] * 1e6 / r["cycles_per_sweep"]) < 1
d = r["logic_depth"]
assert 5 <= d["lut_levels"] <= 40 and r["logic_levels"] == d["lut_levels"], d
if r["graph"].split(",")[0] == "pegasus:14":
    assert r["lut_utilization"] <= 0.5 and r["ff_utilization"] <= 0.5, (r["lut_utilization"], r["ff_utilization"])
print(f"{r['graph']} on {r['part']} (lean): {100 * r['lut_utilization']:.1f} % LUT, {100 * r['ff_utilization']:.1f} % FF, "
      f"{r['lut_per_pbit']:.1f} LUT per p-bit; largest Pegasus P({r['largest_pegasus']['m']}); "
      f"{r['flips_per_s']:.3g} flips/s at {r['clock_mhz']} MHz; {d['lut_levels']} LUT levels + "
      f"{d['carry_on_path']} CARRY4; {r['seconds']:.0f} s")
PY
  echo "PASS ($(( $(date +%s) - start )) s); report $work/estimate.md"
  exit 0
fi
python3 - "$work.json" <<'PY' || fail "estimate report"
import json, sys
r = json.load(open(sys.argv[1]))
n = r["pbits"]
assert sum(c["cells"] for c in r["cells_by_degree"]) == n
assert r["total"]["lut"] > 100 * n and r["total"]["ff"] > 50 * n, r["total"]
assert abs(r["per_pbit"]["lut"] * n - r["total"]["lut"]) < 1
m = r["model"]
assert (m["lut_per_edge_slot"] > 0 and m["ff_per_edge_slot"] > 0) or len(r["cells_by_degree"]) == 1, m
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

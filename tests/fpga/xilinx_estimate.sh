#!/usr/bin/env bash
# The Xilinx resource estimate of the published DBM network (ctest label `long`):
#
#   xilinx_estimate.sh PBIT_EXE WORKDIR [PART [GRAPH [ARCH [EXTRA...]]]]   (default xcvu9p, pegasus:14, lean)
#
# ARCH lean (the default of `pbit fpga estimate`, several minutes): the issue-13
# report keys (lut_utilization, ff_utilization, lut_per_pbit, largest_pegasus,
# flips_per_s), every p-bit in a group, a per-degree cost model, the update
# path's LUT levels; on pegasus:14 at most 50 % of the part's LUTs and FFs.
# ARCH full (about 30 minutes): the full-featured array (hierarchical + flattened
# cell probes): every p-bit found, per-p-bit resources, the cost model, the
# largest Pegasus and Zephyr that fit, the projected flips/s.
# ARCH engine (tens of seconds for a small graph; EXTRA: more estimate options,
# e.g. --compare lean --sizes 2,3): one engine's LUT/FF/block RAM, the copies
# that fill the part (within --max-util, the limit named), cycles per sweep =
# the emitted EngineSweepCycles, flips/s and flips/s per LUT, the comparison
# and size-table keys.
# Reports: WORKDIR/estimate.md, WORKDIR/estimate.json. Exit 77 without yosys.
set -euo pipefail
pbit=$1 work=$2 part=${3:-xcvu9p} graph=${4:-pegasus:14} arch=${5:-lean}
extra=("${@:6}")
command -v yosys > /dev/null || { echo "SKIP: yosys not found"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
start=$(date +%s)
"$pbit" fpga estimate --part "$part" --graph "$graph" --arch "$arch" --out "$work" --json "${extra[@]}" \
  > "$work.json" 2> "$work.log" || { cat "$work.log"; fail "pbit fpga estimate"; }
if [[ $arch == engine ]]; then
  cps=$(grep -o "EngineSweepCycles = 32'd[0-9]*" "$work/design/pbit_pkg.sv" | sed 's/.*d//' || true)
  [[ -n $cps ]] || fail "no EngineSweepCycles in $work/design/pbit_pkg.sv"
  python3 - "$work.json" "$cps" <<'PY' || fail "engine estimate report"
import json, sys
r = json.load(open(sys.argv[1]))
cps = int(sys.argv[2])
n, t, cap = r["pbits"], r["total"], r["part_capacity"]
assert r["arch"] == "engine" and r["lanes"] == 1
assert t["lut"] > 100 and t["ff"] > 100 and t["bram36"] > 0, t
assert abs(t["bram36"] - t["bram18"] / 2) < 1e-9
for k, c in (("lut_utilization", "lut"), ("ff_utilization", "ff")):
    assert abs(r[k] - t[c] / cap[c]) < 1e-12, k
assert abs(r["bram_utilization"] - t["bram36"] / cap["bram36"]) < 1e-12
assert abs(r["lut_per_pbit"] * n - t["lut"]) < 1e-6
# Copies: the most that stay within max_util of every resource; one more breaks the named one.
k, u, mu = r["copies"], r["copies_utilization"], r["max_util"]
assert k >= 1 and r["copies_limited_by"] in ("lut", "ff", "bram", "uram", "dsp"), (k, r["copies_limited_by"])
per = {"lut": t["lut"], "ff": t["ff"], "bram": t["bram36"], "uram": t["uram"], "dsp": t["dsp"]}
have = {"lut": cap["lut"], "ff": cap["ff"], "bram": cap["bram36"], "uram": cap["uram"], "dsp": cap["dsp"]}
assert all(k * per[x] <= mu * have[x] + 1e-6 for x in per if per[x] > 0)
lim = r["copies_limited_by"]
assert (k + 1) * per[lim] > mu * have[lim]
assert abs(u["lut"] - k * t["lut"] / cap["lut"]) < 1e-9 and abs(u["bram36"] - k * t["bram36"] / cap["bram36"]) < 1e-9
# Throughput: the emitted SWEEP_CYCLES at the assumed clock.
assert r["cycles_per_sweep"] == cps, (r["cycles_per_sweep"], cps)
f = n * r["clock_mhz"] * 1e6 / cps
assert abs(r["flips_per_s"] - f) < 1 and abs(r["sweeps_per_s"] - f / n) < 1e-6
assert abs(r["flips_per_s_all_copies"] - k * f) < 1 and abs(r["flips_per_s_per_lut"] - f / t["lut"]) < 1e-6
for c in r["compare"]:
    assert c["arch"] in ("lean", "full") and c["lut"] > 0 and c["flips_per_s"] > 0, c
    assert abs(c["flips_per_s_per_lut"] - c["flips_per_s"] / c["lut"]) < 1e-6
for s in r["sizes"]:
    for key in ("graph", "pbits", "engine_lut", "engine_bram36", "engine_copies", "engine_copies_limited_by",
                "engine_flips_per_s", "engine_flips_per_s_all_copies", "engine_flips_per_s_per_lut", "choice"):
        assert key in s, (key, s)
    if any(c["arch"] == "lean" for c in r["compare"]):
        assert "lean_lut" in s and "lean_fits" in s and s["choice"] in ("lean", "engine", "none"), s
print(f"{r['graph']} on {r['part']} (engine): {t['lut']:.0f} LUT, {t['ff']:.0f} FF, {t['bram36']} RAMB36 an engine; "
      f"{k} copies (limit {lim}); {cps} cycles a sweep, {r['flips_per_s']:.3g} flips/s an engine at "
      f"{r['clock_mhz']} MHz, {r['flips_per_s_per_lut']:.4g} per LUT; "
      + "; ".join(f"{c['arch']} {c['flips_per_s_per_lut']:.4g} per LUT" for c in r["compare"])
      + f"; {len(r['sizes'])} sizes; {r['seconds']:.0f} s")
PY
  echo "PASS ($(( $(date +%s) - start )) s); report $work/estimate.md"
  exit 0
fi
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
assert r["largest_pegasus"] >= 2 and r["largest_zephyr_t4"] >= 1 and r["largest_pegasus_pbits"] > 0
assert abs(r["flips_per_s"] - n * r["clock_mhz"] * 1e6 / r["cycles_per_sweep"]) < 1
d = r["logic_depth"]
assert 5 <= d["lut_levels"] <= 40 and r["logic_levels"] == d["lut_levels"], d
if r["graph"].split(",")[0] == "pegasus:14":
    assert r["lut_utilization"] <= 0.5 and r["ff_utilization"] <= 0.5, (r["lut_utilization"], r["ff_utilization"])
print(f"{r['graph']} on {r['part']} (lean): {100 * r['lut_utilization']:.1f} % LUT, {100 * r['ff_utilization']:.1f} % FF, "
      f"{r['lut_per_pbit']:.1f} LUT per p-bit; largest Pegasus P({r['largest_pegasus']}); "
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
assert r["largest_pegasus"] >= 2 and r["largest_zephyr_t4"] >= 1
f = r["flattened"]
assert 0 < f["lut"] <= r["total"]["lut"] and f["lut_per_pbit"] > 10, f  # flattening only removes logic
assert all(c["flat_lut"] > 0 for c in r["cells_by_degree"])
assert r["largest_pegasus"] >= r["largest_pegasus_hierarchical"]
assert abs(r["flips_per_s"] - n * r["clock_mhz"] * 1e6 / r["cycles_per_sweep"]) < 1
print(f"{r['graph']} on {r['part']}: {r['per_pbit']['lut']:.0f} LUT, {r['per_pbit']['ff']:.0f} FF per p-bit "
      f"hierarchical, {f['lut_per_pbit']:.0f} LUT flattened; largest Pegasus P({r['largest_pegasus']}) "
      f"= {r['largest_pegasus_pbits']} p-bits; yosys {r['yosys_seconds']:.0f} s")
PY
echo "PASS ($(( $(date +%s) - start )) s); report $work/estimate.md"

#!/usr/bin/env bash
# The iCE40 Fmax of one group of the lean array (fpga/README.md, timing
# evidence): the group of SLOTS coupling slots of GRAPH's lean design (its
# NumColors members, spec and LUT), registered on every side
# (pbit_group_timing_probe.sv), synthesized with synth_ice40 and placed and
# routed by nextpnr-ice40 on DEVICE; prints nextpnr's Fmax and the logic cells.
#
#   group_fmax.sh PBIT_EXE GRAPH SLOTS up5k|hx8k OUTDIR [spec options for pbit rtl emit]
#
# e.g. fpga/ice40/group_fmax.sh build/pbit pegasus:14 15 hx8k /tmp/g15 --beta-mode fold
set -euo pipefail
(($# >= 5)) || { sed -n '2,12p' "$0"; exit 2; }
pbit=$1 graph=$2 slots=$3 device=$4 out=$5
shift 5
case $device in
  up5k) package=sg48 dsp=-dsp ;;
  hx8k) package=ct256 dsp= ;;
  *) echo "group_fmax.sh: unknown device '$device' (up5k, hx8k)" >&2; exit 2 ;;
esac
for tool in yosys nextpnr-ice40; do
  command -v $tool > /dev/null || { echo "group_fmax.sh: $tool not found" >&2; exit 1; }
done
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
"$pbit" rtl emit --arch lean --graph "$graph" --out "$out/design" "$@" > /dev/null
files=$(grep -v -e pbit_lean_top.sv -e pbit_lean_array.sv -e pbit_ctrl.sv "$out/design/files.f" | tr '\n' ' ')
cat > "$out/synth.ys" <<YS
read_verilog -sv $files $here/pbit_group_timing_probe.sv
chparam -set Slots $slots pbit_group_timing_probe
synth_ice40 -top pbit_group_timing_probe $dsp -json $out/probe.json
tee -o $out/stat.txt stat
YS
start=$(date +%s)
yosys -q -l "$out/yosys.log" -s "$out/synth.ys" > /dev/null
nextpnr-ice40 --$device --package $package --json "$out/probe.json" --pcf-allow-unconstrained --freq 12 \
  --report "$out/report.json" --timing-allow-fail -q -l "$out/nextpnr.log" > /dev/null 2>&1
python3 - "$out/report.json" "$graph" "$slots" "$device" "$(( $(date +%s) - start ))" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
fmax = min(v["achieved"] for v in r["fmax"].values())
lc = r["utilization"]["ICESTORM_LC"]
print(f"lean group of {sys.argv[3]} slots ({sys.argv[2]}) on the {sys.argv[4]}: Fmax {fmax:.2f} MHz, "
      f"{lc['used']} logic cells (with the probe's shift chain), {sys.argv[5]} s")
PY

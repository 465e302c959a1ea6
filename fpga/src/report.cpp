// Markdown reports (report.hpp).
#include <pbit/fpga/report.hpp>

#include <fmt/format.h>

namespace pbit::fpga {

std::string ice40_markdown(const nlohmann::json& r) {
  const auto& pll = r.at("pll");
  const double fmax = r.at("fmax_mhz"), mhz = r.at("clock_mhz");
  std::string md = fmt::format(
      "# pbit board build: {} on {} ({} {})\n\n"
      "| | |\n|---|---|\n| p-bits | {} ({} colours, {} array, {} cycles/sweep) |\n"
      "| clock | {:.3f} MHz (PLL {} DIVR={} DIVF={} DIVQ={}{}) |\n"
      "| Fmax (nextpnr) | {:.2f} MHz: timing {} |\n| UART | {} baud ({} clocks/bit) |\n"
      "| sweeps/s | {:.4g} (clock / cycles per sweep) |\n"
      "| flips/s | {:.3g} (p-bits x clock / cycles per sweep) |\n| bitstream | {} |\n\n",
      r.at("graph").get<std::string>(), r.at("board").get<std::string>(),
      r.at("device").get<std::string>(), r.at("package").get<std::string>(),
      r.at("pbits").get<long>(), r.at("colors").get<int>(), r.value("arch", std::string("full")),
      r.at("cycles_per_sweep").get<long>(),
      mhz, pll.at("mode").get<std::string>(), pll.at("divr").get<int>(), pll.at("divf").get<int>(),
      pll.at("divq").get<int>(),
      pll.value("divider", 1) > 1 ? fmt::format("; oscillator / {}", pll.value("divider", 1)) : std::string(), fmax, r.at("timing_met").get<bool>() ? "met" : "NOT met",
      r.at("uart").at("baud").get<int>(), r.at("uart").at("clks_per_bit").get<int>(),
      r.value("sweeps_per_s", mhz * 1e6 / r.at("cycles_per_sweep").get<double>()),
      r.at("flips_per_s").get<double>(), r.at("bitstream").get<std::string>());
  md += "| resource | used | available |\n|---|---|---|\n";
  for (const auto& [k, v] : r.at("utilization").items())
    md += fmt::format("| {} | {} | {} |\n", k, v.at("used").get<long>(),
                      v.at("available").get<long>());
  md += "\n| step | seconds |\n|---|---|\n";
  for (const auto& [k, v] : r.at("seconds").items())
    md += fmt::format("| {} | {:.1f} |\n", k, v.get<double>());
  return md;
}

std::string estimate_markdown(const nlohmann::json& r) {
  const auto& total = r.at("total");
  const auto& cap = r.at("part_capacity");
  const auto& f = r.at("features");
  const auto& flat = r.at("flattened");
  const auto& m = r.at("model");
  const auto& mh = r.at("model_hierarchical");
  const double n = r.at("pbits").get<double>();
  const std::string part = r.at("part");
  auto pct = [](double x, double of) { return 100.0 * x / of; };
  const double lut = total.at("lut"), ff = total.at("ff"), bram = total.at("bram18"),
               dsp = total.at("dsp");
  std::string md = fmt::format(
      "# Xilinx resource estimate: {} on {} (yosys synth_xilinx -family {})\n\n"
      "{} p-bits, {} colours; features: LUT writable {}, statistics {}, async {}.\n\n"
      "## The whole array, hierarchical synthesis (an upper bound)\n\n"
      "Every distinct cell synthesized once as a module: each keeps a generic LUT read mux (a ROM "
      "LUT does not\n"
      "fold into it) and all its statistics counters.\n\n"
      "| resource | total | per p-bit | {} capacity | utilization |\n|---|---|---|---|---|\n"
      "| LUT | {} | {:.1f} | {} | {:.1f} % |\n| FF | {} | {:.1f} | {} | {:.1f} % |\n"
      "| BRAM (RAMB18 units) | {} | {:.3f} | {} RAMB36 | {:.1f} % |\n| DSP | {} | {:.3f} | {} | "
      "{:.1f} % |\n"
      "| CARRY | {} | {:.2f} | | |\n| LUTRAM/SRL | {} | | | |\n| INV | {} | {:.1f} | | |\n\n"
      "LUT counts LUT1-LUT6. INV: the inverters yosys puts on the flip-flops' reset pins (rst_ni "
      "is active low,\n"
      "the Xilinx flip-flops' resets active high); a vendor flow shares one per reset net or folds "
      "them into the\n"
      "flip-flops (IS_R_INVERTED / IS_CLR_INVERTED).\n\n"
      "## Flattened cells (the best estimate)\n\n"
      "Each degree once more as fpga/xilinx/pbit_cell_probe.sv, flattened with its LUT (a ROM "
      "folds into the\n"
      "cell) and only the statistics slots it keeps; plus the array glue and the control from "
      "above.\n\n"
      "| degree | cells | LUT hierarchical | LUT flattened | FF hierarchical | FF flattened |\n"
      "|---|---|---|---|---|---|\n",
      r.at("graph").get<std::string>(), part, r.at("family").get<std::string>(),
      r.at("pbits").get<long>(), r.at("colors").get<int>(), f.at("lut_writable").get<bool>(),
      f.at("stats").get<bool>(), f.at("async").get<bool>(), part, total.at("lut").get<long>(),
      lut / n, cap.at("lut").get<long>(), pct(lut, cap.at("lut")), total.at("ff").get<long>(),
      ff / n, cap.at("ff").get<long>(), pct(ff, cap.at("ff")), total.at("bram18").get<long>(),
      bram / n, cap.at("bram36").get<long>(), pct(bram / 2, cap.at("bram36")),
      total.at("dsp").get<long>(), dsp / n, cap.at("dsp").get<long>(), pct(dsp, cap.at("dsp")),
      total.at("carry").get<long>(), total.at("carry").get<double>() / n,
      total.at("lutram_srl").get<long>(), total.at("inv").get<long>(),
      total.at("inv").get<double>() / n);
  for (const auto& c : r.at("cells_by_degree"))
    md += fmt::format("| {} | {} | {} | {} | {} | {} |\n", c.at("degree").get<int>(),
                      c.at("cells").get<long>(), c.at("hier_lut").get<long>(),
                      c.at("flat_lut").get<long>(), c.at("hier_ff").get<long>(),
                      c.at("flat_ff").get<long>());
  md += fmt::format(
      "\nWhole array, flattened cells: {:.0f} LUT ({:.0f} per p-bit, {:.1f} % of the {}), {:.0f} "
      "FF ({:.0f} per "
      "p-bit, {:.1f} %).\n\n"
      "Cost model per p-bit (glue and RNG included): LUT = {:.1f} + {:.1f} x degree, FF = {:.1f} + "
      "{:.1f} x degree "
      "(hierarchical: LUT = {:.1f} + {:.1f} x degree), plus {} LUT / {} FF of control and LUT.\n\n"
      "Largest graphs within {:.0f} % of the {}'s LUTs and FFs: pegasus:{} ({} p-bits), "
      "zephyr:{},4 ({} p-bits); "
      "by the hierarchical upper bound: pegasus:{} ({} p-bits), zephyr:{},4 ({} p-bits).\n\n"
      "Projected at {} MHz (p-bits x clock / cycles per sweep): {:.3g} flips/s for {} ({} p-bits, "
      "{} cycles per "
      "sweep) if it fitted, {:.3g} flips/s for pegasus:{}; the published P(14) DBM: 50-64e9 "
      "flips/s. The clock is "
      "an assumption, not a timing result (no Xilinx place and route here).\n\nyosys: {:.0f} s for "
      "the array, "
      "{:.0f} s for the cell probes.\n",
      flat.at("lut").get<double>(), flat.at("lut").get<double>() / n,
      100 * flat.at("lut_utilization").get<double>(), part, flat.at("ff").get<double>(),
      flat.at("ff").get<double>() / n, 100 * flat.at("ff_utilization").get<double>(),
      m.at("lut_per_pbit").get<double>(), m.at("lut_per_edge_slot").get<double>(),
      m.at("ff_per_pbit").get<double>(), m.at("ff_per_edge_slot").get<double>(),
      mh.at("lut_per_pbit").get<double>(), mh.at("lut_per_edge_slot").get<double>(),
      m.at("fixed_lut").get<long>(), m.at("fixed_ff").get<long>(),
      100 * r.at("max_util").get<double>(), part, r.at("largest_pegasus").get<int>(),
      r.at("largest_pegasus_pbits").get<long>(), r.at("largest_zephyr_t4").get<int>(),
      r.at("largest_zephyr_t4_pbits").get<long>(), r.at("largest_pegasus_hierarchical").get<int>(),
      r.at("largest_pegasus_hierarchical_pbits").get<long>(), r.at("largest_zephyr_t4_hierarchical").get<int>(),
      r.at("largest_zephyr_t4_hierarchical_pbits").get<long>(),
      r.at("clock_mhz").get<double>(), r.at("flips_per_s").get<double>(),
      r.at("graph").get<std::string>(), r.at("pbits").get<long>(),
      r.at("cycles_per_sweep").get<int>(), r.at("largest_pegasus_flips_per_s").get<double>(),
      r.at("largest_pegasus").get<int>(), r.at("yosys_seconds").get<double>(),
      r.at("probe_seconds").get<double>());
  return md;
}

}  // namespace pbit::fpga

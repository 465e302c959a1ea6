// nextpnr report parsing (nextpnr.hpp).
#include <pbit/error.hpp>
#include <pbit/fpga/nextpnr.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace pbit::fpga {

NextpnrReport parse_nextpnr_report(const std::string& text) {
  nlohmann::json rep;
  try {
    rep = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    throw Error(std::string("nextpnr report: not JSON: ") + e.what());
  }
  NextpnrReport r;
  try {
    if (!rep.is_object()) throw Error("nextpnr report: not a JSON object");
    if (rep.contains("fmax")) {
      for (const auto& [clk, v] : rep.at("fmax").items()) {
        const double f = v.at("achieved").get<double>();
        if (!std::isfinite(f) || f < 0)
          throw Error("nextpnr report: bad achieved frequency of clock " + clk);
        if (r.fmax_mhz == 0 || f < r.fmax_mhz) r.fmax_mhz = f;
      }
    }
    if (!rep.contains("utilization")) throw Error("nextpnr report: no \"utilization\"");
    for (const auto& [k, v] : rep.at("utilization").items()) {
      const long used = v.at("used").get<long>(), avail = v.at("available").get<long>();
      if (used < 0 || avail < 0) throw Error("nextpnr report: negative count for " + k);
      if (used > 0) r.utilization[k] = {used, avail};
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("nextpnr report: unexpected layout: ") + e.what());
  }
  return r;
}

}  // namespace pbit::fpga

#pragma once
// nextpnr's JSON report (--report FILE): achieved clock frequencies and
// utilization per resource.
#include <map>
#include <string>

namespace pbit::fpga {

struct NextpnrReport {
  double fmax_mhz = 0;  // the slowest clock's achieved frequency (0: no clock)
  struct Use {
    long used = 0, available = 0;
  };
  std::map<std::string, Use> utilization;  // resources with used > 0 (ICESTORM_LC, ...)
};

// Throws pbit::Error naming what is wrong with the text.
NextpnrReport parse_nextpnr_report(const std::string& json_text);

}  // namespace pbit::fpga

#pragma once
// Markdown reports of the flows, rendered from their JSON documents (the JSON
// is the complete record; the Markdown is for people).
#include <nlohmann/json.hpp>

#include <string>

namespace pbit::fpga {

std::string ice40_markdown(const nlohmann::json& report);     // build_ice40's report
std::string estimate_markdown(const nlohmann::json& report);  // estimate_xilinx's report

}  // namespace pbit::fpga

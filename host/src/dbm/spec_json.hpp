#pragma once
// The numeric spec as JSON, shared by the checkpoint and the model files
// (internal to pbit_host: nlohmann_json is a private dependency).
#include <pbit/spec.hpp>

#include <nlohmann/json.hpp>

namespace pbit::dbm {

nlohmann::json spec_json(const NumericSpec& s);
// Throws nlohmann::json exceptions for missing or mistyped keys and
// pbit::Error for values out of range.
NumericSpec spec_from(const nlohmann::json& j);

}  // namespace pbit::dbm

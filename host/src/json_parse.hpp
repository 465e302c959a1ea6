#pragma once
// JSON from files (internal to pbit_host): parsing with a nesting limit. A
// deeper document is a pbit::Error while it is parsed, before any deep value
// exists: nlohmann's dump(), copies and comparisons recurse once per level,
// and a file nested 100,000 levels deep would overflow the stack.
#include <pbit/error.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <utility>

namespace pbit {

inline nlohmann::json::parser_callback_t json_depth_limit(const std::string& name, int max_depth) {
  return [name, max_depth](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > max_depth)
      throw Error(name + ": JSON nested deeper than " + std::to_string(max_depth) + " levels");
    return true;
  };
}

// nlohmann::json::parse(in) / parse(begin, end) with the limit; other parse
// errors are nlohmann exceptions as usual.
template <class Input>
nlohmann::json parse_json_limited(Input&& in, const std::string& name, int max_depth) {
  return nlohmann::json::parse(std::forward<Input>(in), json_depth_limit(name, max_depth));
}
template <class It>
nlohmann::json parse_json_limited(It begin, It end, const std::string& name, int max_depth) {
  return nlohmann::json::parse(begin, end, json_depth_limit(name, max_depth));
}

}  // namespace pbit

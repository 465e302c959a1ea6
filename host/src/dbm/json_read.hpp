#pragma once
// Typed reads of JSON documents written by this project (checkpoint headers,
// model files), internal to pbit_host. A missing key, a value of another type
// or an integer outside its field's range is a pbit::Error naming the key,
// never a narrowing conversion (a chain count of 2^32 + 5 is not read as 5,
// and 1e300 never reaches an int).
#include <pbit/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace pbit::dbm::json_read {

template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};
template <class T>
struct IsPair : std::false_type {};
template <class A, class B>
struct IsPair<std::pair<A, B>> : std::true_type {};

template <class T>
T as(const nlohmann::json& v, const std::string& key) {
  auto bad = [&](const std::string& why) { return Error("'" + key + "' " + why); };
  if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) throw bad("is not true or false");
    return v.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    const std::string range = "is out of range [" + std::to_string(std::numeric_limits<T>::min()) + ", " +
                              std::to_string(std::numeric_limits<T>::max()) + "]";
    if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
        throw bad("= " + std::to_string(u) + " " + range);
      return static_cast<T>(u);
    }
    if (v.is_number_integer()) {
      const auto i = v.get<std::int64_t>();
      if constexpr (std::is_signed_v<T>) {
        if (i < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
            i > static_cast<std::int64_t>(std::numeric_limits<T>::max()))
          throw bad("= " + std::to_string(i) + " " + range);
      } else {
        if (i < 0) throw bad("= " + std::to_string(i) + " " + range);
      }
      return static_cast<T>(i);
    }
    throw bad("is not an integer");
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_number()) throw bad("is not a number");
    return v.get<T>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) throw bad("is not a string");
    return v.get<std::string>();
  } else if constexpr (IsPair<T>::value) {
    if (!v.is_array() || v.size() != 2) throw bad("is not a pair [a, b]");
    return {as<typename T::first_type>(v[0], key), as<typename T::second_type>(v[1], key)};
  } else {
    static_assert(IsVector<T>::value, "unsupported field type");
    if (!v.is_array()) throw bad("is not an array");
    T out;
    out.reserve(v.size());
    for (const auto& x : v) out.push_back(as<typename T::value_type>(x, key + "[]"));
    return out;
  }
}

template <class T>
T get(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) throw Error(std::string("expected an object holding '") + key + "'");
  const auto it = j.find(key);
  if (it == j.end()) throw Error(std::string("missing key '") + key + "'");
  return as<T>(*it, key);
}
template <class T>
T get_or(const nlohmann::json& j, const char* key, const T& fallback) {
  if (!j.is_object()) throw Error(std::string("expected an object holding '") + key + "'");
  const auto it = j.find(key);
  return it == j.end() ? fallback : as<T>(*it, key);
}
// j[key] into `field` (its type decides the check); _or: the field keeps its
// value when the key is absent.
template <class T>
void read(const nlohmann::json& j, const char* key, T& field) {
  field = get<T>(j, key);
}
template <class T>
void read_or(const nlohmann::json& j, const char* key, T& field) {
  field = get_or<T>(j, key, field);
}

}  // namespace pbit::dbm::json_read

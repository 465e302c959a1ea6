#pragma once
// Shared by the libFuzzer targets (tests/fuzz/README.md). A target feeds one
// input to one parser: a pbit::Error is the expected answer to bad input;
// anything else escaping (another exception, a crash, a sanitizer report, a
// hang, unbounded memory) is a finding.
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace pbit::fuzz {

// A scratch file of this process (for parsers that take a path), rewritten
// for every input: in $TMPDIR (RAM-backed /dev/shm when it exists).
inline std::string scratch_path(const std::string& name) {
  static const std::string dir = [] {
    const char* t = std::getenv("TMPDIR");
    std::string d = t && *t ? t : (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    return d + "/pbit_fuzz_" + std::to_string(getpid());
  }();
  static const bool made = [] {
    const std::string cmd_dir = dir;
    return std::system(("mkdir -p '" + cmd_dir + "'").c_str()) == 0;
  }();
  (void)made;
  return dir + "/" + name;
}

inline void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
}

// A generator spec's size from the generators' closed forms (nodes, edges),
// roughly; {0, 0} for anything else. Specs are judged by what they build, so
// that "pegasus:0120" is caught as well as "er:60000,0,1".
struct SpecSize {
  double nodes = 0, edges = 0;
};
inline SpecSize spec_size(const std::string& spec) {
  const auto colon = spec.find(':');
  if (colon == std::string::npos) return {};
  const std::string family = spec.substr(0, colon);
  std::vector<double> f;  // the fields after the colon, split at ',' and 'x'
  std::string field;
  for (std::size_t i = colon + 1; i <= spec.size(); ++i) {
    const char c = i < spec.size() ? spec[i] : ',';
    if (c == ',' || c == 'x') {
      const double v = std::strtod(field.c_str(), nullptr);
      f.push_back(std::isfinite(v) ? std::fabs(v) : 1e18);
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  auto at = [&](std::size_t k, double d) { return k < f.size() && f[k] > 0 ? f[k] : d; };
  const double m = at(0, 0);
  if (family == "chimera") {
    const double n = 2 * m * at(1, m) * at(2, 4);
    return {n, n * (at(2, 4) + 2) / 2};
  }
  if (family == "pegasus") return {24 * m * m, 24 * m * m * 7.5};
  if (family == "zephyr") return {8 * m * m * at(1, 4), 8 * m * m * at(1, 4) * 10};
  if (family == "lattice") return {m * at(1, 0), m * at(1, 0) * 2};
  if (family == "king") return {m * at(1, 0), m * at(1, 0) * 4};
  if (family == "regular") return {m, m * at(1, 0) / 2};
  if (family == "er") return {m, m * m * std::min(at(1, 0), 1.0) / 2};
  return {};
}

// Graphs worth generating while fuzzing: up to 50,000 nodes and 200,000
// edges. Larger ones within the limits are legal but take seconds each under
// the sanitizers, which would starve the search (the limits themselves are
// tested in tests/test_graphs.cpp); sizes beyond the limits are cheap errors
// and still get through. Files (file:) are fuzz_edge_list's.
inline bool graph_spec_too_slow(const std::string& spec) {
  const SpecSize s = spec_size(spec);
  const bool beyond = s.nodes > 2.1e6 || s.edges > 8.4e6;  // cheap errors
  return spec.find("file:") != std::string::npos || (!beyond && (s.nodes >= 50000 || s.edges >= 200000));
}

// The same for a JSON document's "graph" entry (problem and model files).
inline bool json_graph_too_slow(const std::string& text) {
  // Values nested deeper than 16 levels are dropped while parsing (a deep
  // document would overflow the stack when destroyed).
  const auto doc = nlohmann::json::parse(
      text, [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) { return depth <= 16; }, false);
  if (!doc.is_object()) return false;
  const auto it = doc.find("graph");
  return it != doc.end() && it->is_string() && graph_spec_too_slow(it->get<std::string>());
}

}  // namespace pbit::fuzz

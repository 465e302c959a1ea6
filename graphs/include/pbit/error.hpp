#pragma once
// The one exception type for user-facing errors (bad specs, files, arguments).
// The CLI prints what() on one stderr line and exits non-zero.
#include <stdexcept>
#include <string>

namespace pbit {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace pbit

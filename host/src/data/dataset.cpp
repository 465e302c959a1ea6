// Datasets, IDX loading, deterministic subsets, binarization; see pbit/data/dataset.hpp.
#include <pbit/data/dataset.hpp>
#include <pbit/data/idx.hpp>
#include <pbit/error.hpp>
#include <pbit/random.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>

namespace pbit::data {

void Dataset::validate() const {
  const std::string who = name.empty() ? std::string("dataset") : name;
  if (rows <= 0 || cols <= 0)
    throw Error(who + ": bad image size " + std::to_string(rows) + "x" + std::to_string(cols));
  if (pixels.size() != size() * image_size())
    throw Error(who + ": " + std::to_string(pixels.size()) + " pixels for " +
                std::to_string(size()) + " images of " + std::to_string(rows) + "x" +
                std::to_string(cols));
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] >= kNumClasses)
      throw Error(who + ": label " + std::to_string(labels[i]) + " at index " + std::to_string(i) +
                  " is outside 0.." + std::to_string(kNumClasses - 1));
}

Dataset load_idx(const std::string& images_path, const std::string& labels_path,
                 const std::string& name) {
  IdxImages images = read_idx_images(images_path);
  std::vector<std::uint8_t> labels = read_idx_labels(labels_path);
  if (images.count != labels.size())
    throw Error(images_path + ": " + std::to_string(images.count) + " images but " + labels_path +
                " has " + std::to_string(labels.size()) + " labels");
  Dataset d;
  d.rows = images.rows;
  d.cols = images.cols;
  d.pixels = std::move(images.pixels);
  d.labels = std::move(labels);
  d.name = name;
  return d;
}

Split load_idx_files(const std::string& train_images, const std::string& train_labels,
                     const std::string& test_images, const std::string& test_labels) {
  Split s;
  s.train = load_idx(train_images, train_labels, train_images);
  s.test = load_idx(test_images, test_labels, test_images);
  if (s.train.rows != s.test.rows || s.train.cols != s.test.cols)
    throw Error(test_images + ": images are " + std::to_string(s.test.rows) + "x" +
                std::to_string(s.test.cols) + " but the training images " + train_images + " are " +
                std::to_string(s.train.rows) + "x" + std::to_string(s.train.cols));
  return s;
}

std::string find_idx_file(const std::string& dir, const std::string& base) {
  namespace fs = std::filesystem;
  // "train-images-idx3-ubyte" -> also "train-images.idx3-ubyte" (a common re-packaging).
  std::string dotted = base;
  if (const auto k = dotted.rfind("-idx"); k != std::string::npos) dotted[k] = '.';
  for (const std::string& name : {base, base + ".gz", dotted, dotted + ".gz"}) {
    const fs::path p = fs::path(dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return "";
}

Split load_idx_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir, ec)) throw Error(dir + ": no such directory");
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": not a directory");
  const char* bases[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                          "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
  std::string paths[4];
  for (int i = 0; i < 4; ++i) {
    paths[i] = find_idx_file(dir, bases[i]);
    if (paths[i].empty())
      throw Error(dir + ": no " + bases[i] + "[.gz] (an IDX dataset directory holds " +
                  "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, " +
                  "t10k-labels-idx1-ubyte, each optionally .gz)");
  }
  Split s = load_idx_files(paths[0], paths[1], paths[2], paths[3]);
  s.train.name = dir + " train";
  s.test.name = dir + " test";
  return s;
}

std::array<std::size_t, kNumClasses> class_counts(const Dataset& d) {
  std::array<std::size_t, kNumClasses> counts{};
  for (const std::uint8_t l : d.labels)
    if (l < kNumClasses) ++counts[l];
  return counts;
}

std::vector<std::size_t> shuffled_indices(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> idx(n);
  for (std::size_t i = 0; i < n; ++i) idx[i] = i;
  Rng rng(seed);
  for (std::size_t i = n; i > 1; --i) {
    const auto j = static_cast<std::size_t>(rng.below(i));
    std::swap(idx[i - 1], idx[j]);
  }
  return idx;
}

std::vector<std::size_t> random_indices(std::size_t n, std::size_t k, std::uint64_t seed) {
  if (k > n)
    throw Error("random subset: " + std::to_string(k) + " requested from " + std::to_string(n));
  std::vector<std::size_t> idx = shuffled_indices(n, seed);
  idx.resize(k);
  return idx;
}

namespace {

// Picks `per_class` of each class visiting images in `order`; class-major result.
std::vector<std::size_t> pick_per_class(const Dataset& d, std::size_t per_class,
                                        const std::vector<std::size_t>& order) {
  std::array<std::vector<std::size_t>, kNumClasses> picks;
  for (const std::size_t i : order) {
    const std::uint8_t l = d.labels[i];
    if (l < kNumClasses && picks[l].size() < per_class) picks[l].push_back(i);
  }
  std::vector<std::size_t> out;
  out.reserve(per_class * kNumClasses);
  for (int c = 0; c < kNumClasses; ++c) {
    if (picks[c].size() < per_class)
      throw Error((d.name.empty() ? std::string("dataset") : d.name) + ": class " +
                  std::to_string(c) + " has only " + std::to_string(picks[c].size()) + " images, " +
                  std::to_string(per_class) + " requested per class");
    out.insert(out.end(), picks[c].begin(), picks[c].end());
  }
  return out;
}

}  // namespace

std::vector<std::size_t> balanced_indices(const Dataset& d, std::size_t per_class,
                                          std::uint64_t seed) {
  return pick_per_class(d, per_class, shuffled_indices(d.size(), seed));
}

std::vector<std::size_t> first_per_class(const Dataset& d, std::size_t per_class) {
  std::vector<std::size_t> order(d.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  return pick_per_class(d, per_class, order);
}

Dataset subset(const Dataset& d, const std::vector<std::size_t>& indices) {
  Dataset out;
  out.rows = d.rows;
  out.cols = d.cols;
  out.name = d.name;
  const std::size_t n = d.image_size();
  out.pixels.resize(indices.size() * n);
  out.labels.resize(indices.size());
  for (std::size_t k = 0; k < indices.size(); ++k) {
    const std::size_t i = indices[k];
    if (i >= d.size())
      throw Error((d.name.empty() ? std::string("dataset") : d.name) + ": index " +
                  std::to_string(i) + " out of range (" + std::to_string(d.size()) + " images)");
    std::copy(d.image(i), d.image(i) + n, out.pixels.begin() + static_cast<std::ptrdiff_t>(k * n));
    out.labels[k] = d.labels[i];
  }
  return out;
}

Dataset shuffled(const Dataset& d, std::uint64_t seed) {
  return subset(d, shuffled_indices(d.size(), seed));
}

Dataset random_subset(const Dataset& d, std::size_t k, std::uint64_t seed) {
  return subset(d, random_indices(d.size(), k, seed));
}

Dataset balanced_subset(const Dataset& d, std::size_t per_class, std::uint64_t seed) {
  return subset(d, balanced_indices(d, per_class, seed));
}

std::vector<std::uint8_t> binarize(const std::vector<std::uint8_t>& pixels, int threshold) {
  if (threshold < 0 || threshold > 255)
    throw Error("binarize: threshold " + std::to_string(threshold) + " is outside 0..255");
  std::vector<std::uint8_t> out(pixels.size());
  for (std::size_t i = 0; i < pixels.size(); ++i) out[i] = pixels[i] > threshold ? 1 : 0;
  return out;
}

std::vector<std::uint8_t> binarize(const Dataset& d, int threshold) {
  return binarize(d.pixels, threshold);
}

}  // namespace pbit::data

#pragma once
// Labelled image datasets (MNIST-like: 10 classes, 8-bit grayscale), their
// train/test splits, deterministic subsets, and binarization for p-bits.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pbit::data {

inline constexpr int kNumClasses = 10;

struct Dataset {
  int rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;  // size() * rows * cols, image-major then row-major,
                                     // 0 = background .. 255 = full ink
  std::vector<std::uint8_t> labels;  // size() entries, 0..kNumClasses-1
  std::string name;                  // for messages, e.g. "fashion-mnist train"

  std::size_t size() const { return labels.size(); }
  std::size_t image_size() const { return std::size_t(rows) * std::size_t(cols); }
  const std::uint8_t* image(std::size_t i) const { return pixels.data() + i * image_size(); }
  // Throws pbit::Error ("<name>: ...") unless the shape, pixel count and labels agree.
  void validate() const;
};

struct Split {
  Dataset train, test;
};

// One dataset from an IDX image file and an IDX label file (plain or .gz).
// Errors: everything read_idx_* rejects, and image/label counts that differ.
Dataset load_idx(const std::string& images_path, const std::string& labels_path,
                 const std::string& name);

// A split from four explicit IDX files. Train and test must have equal image sizes.
Split load_idx_files(const std::string& train_images, const std::string& train_labels,
                     const std::string& test_images, const std::string& test_labels);

// A split from a directory holding the four standard names
//   train-images-idx3-ubyte  train-labels-idx1-ubyte
//   t10k-images-idx3-ubyte   t10k-labels-idx1-ubyte
// each uncompressed or with ".gz" (the uncompressed one wins when both exist;
// the dotted variants "train-images.idx3-ubyte" etc. are accepted too).
Split load_idx_dir(const std::string& dir);
// The path load_idx_dir would use for one standard base name
// (e.g. "t10k-images-idx3-ubyte"), or "" if none exists.
std::string find_idx_file(const std::string& dir, const std::string& base);

// Images per class (index = label).
std::array<std::size_t, kNumClasses> class_counts(const Dataset& d);

// ---- Deterministic selection (pbit::Rng, xoshiro256** seeded with `seed`) ----

// A permutation of 0..n-1: Fisher-Yates from the back, j = rng.below(i + 1).
std::vector<std::size_t> shuffled_indices(std::size_t n, std::uint64_t seed);
// The first k entries of shuffled_indices(n, seed) (k <= n).
std::vector<std::size_t> random_indices(std::size_t n, std::size_t k, std::uint64_t seed);
// k images of every class, class-major (all of class 0, then class 1, ...),
// each class's picks in the order of shuffled_indices(d.size(), seed).
// Error if a class has fewer than k images.
std::vector<std::size_t> balanced_indices(const Dataset& d, std::size_t per_class,
                                          std::uint64_t seed);
// The first k images of every class in dataset order, class-major.
std::vector<std::size_t> first_per_class(const Dataset& d, std::size_t per_class);

// The images at `indices` (in that order; repeats allowed; range-checked).
Dataset subset(const Dataset& d, const std::vector<std::size_t>& indices);
Dataset shuffled(const Dataset& d, std::uint64_t seed);
Dataset random_subset(const Dataset& d, std::size_t k, std::uint64_t seed);
Dataset balanced_subset(const Dataset& d, std::size_t per_class, std::uint64_t seed);

// ---- Binarization (pixel -> p-bit value) ----
// A pixel is on when pixel > threshold. The default 0 (any ink at all is on)
// is the rule of the published p-bit DBM work; 127 gives the usual 50 % cut.
inline constexpr int kDefaultBinarizeThreshold = 0;

inline std::uint8_t binarize(std::uint8_t pixel, int threshold = kDefaultBinarizeThreshold) {
  return pixel > threshold ? 1 : 0;
}
// 0/1 per pixel; threshold must be in 0..255 (pbit::Error otherwise).
std::vector<std::uint8_t> binarize(const std::vector<std::uint8_t>& pixels,
                                   int threshold = kDefaultBinarizeThreshold);
// All pixels of a dataset, 0/1, same layout as d.pixels.
std::vector<std::uint8_t> binarize(const Dataset& d, int threshold = kDefaultBinarizeThreshold);

}  // namespace pbit::data

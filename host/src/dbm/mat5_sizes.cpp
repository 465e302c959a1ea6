// Checks that every size a MAT v5 file declares is backed by bytes in the file
// (mat5_sizes.hpp). libmatio allocates, and zero-fills, what a data element's
// tag declares before it finds the data missing: a 2 KB file declaring 4 GB
// made `pbit model import` touch 4 GB for 20 s. This walk reads the tags only
// (inflating compressed variables in fixed-size chunks, never holding them),
// so its memory is constant and its time is that of reading the file once.
#include "mat5_sizes.hpp"

#include <pbit/error.hpp>

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>

namespace pbit::dbm {
namespace {

constexpr std::uint32_t kMiMatrix = 14, kMiCompressed = 15;
constexpr int kMaxDepth = 16;  // cells and structs nest matrices

// A 32-bit integer of the file, little- or big-endian (v5 and v4 alike).
std::uint32_t u32_at(const unsigned char* p, bool big) {
  return big ? (std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3])
             : (std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0]);
}

// Bytes of the file, or of one compressed element's inflated stream.
class Source {
 public:
  virtual ~Source() = default;
  // Reads exactly n bytes into out (nullptr: discards them); false at the end.
  virtual bool read(unsigned char* out, std::uint64_t n) = 0;
};

class FileSource : public Source {
 public:
  explicit FileSource(std::ifstream& in) : in_(in) {}
  bool read(unsigned char* out, std::uint64_t n) override {
    if (out) return static_cast<bool>(in_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n)));
    const auto start = in_.tellg();
    in_.seekg(static_cast<std::streamoff>(n), std::ios::cur);
    if (!in_ || start < 0) return false;
    // seekg past the end succeeds; compare with the size
    const auto here = in_.tellg();
    in_.seekg(0, std::ios::end);
    const auto end = in_.tellg();
    in_.seekg(here);
    return here <= end;
  }

 private:
  std::ifstream& in_;
};

// What one walk inflates at most: far beyond any model (a dense float64 J of
// pegasus:14 is 145 MB), and it keeps a small file of zlib bombs to seconds.
constexpr std::uint64_t kMaxInflated = std::uint64_t{4} << 30;

class InflateSource : public Source {
 public:
  InflateSource(std::ifstream& in, std::uint64_t compressed, std::uint64_t& inflated)
      : in_(in), compressed_(compressed), left_(compressed), inflated_(inflated) {
    std::memset(&z_, 0, sizeof z_);
    if (inflateInit(&z_) != Z_OK) throw Error("zlib: cannot start inflating");
  }
  ~InflateSource() override { inflateEnd(&z_); }
  bool read(unsigned char* out, std::uint64_t n) override {
    std::array<unsigned char, 4096> sink{};
    while (n > 0) {
      const auto chunk = static_cast<uInt>(std::min<std::uint64_t>(n, out ? 1u << 30 : sink.size()));
      z_.next_out = out ? out : sink.data();
      z_.avail_out = chunk;
      while (z_.avail_out > 0) {
        if (z_.avail_in == 0) {
          if (left_ == 0 || done_) return false;
          const auto take = std::min<std::uint64_t>(left_, in_buf_.size());
          if (!in_.read(reinterpret_cast<char*>(in_buf_.data()), static_cast<std::streamsize>(take)))
            throw Error("a compressed variable declares " + std::to_string(compressed_) + " bytes that the file does not hold");
          left_ -= take;
          z_.next_in = in_buf_.data();
          z_.avail_in = static_cast<uInt>(take);
        }
        const int rc = inflate(&z_, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
          done_ = true;
          if (z_.avail_out > 0) return false;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
          return false;
        }
      }
      if (out) out += chunk;
      n -= chunk;
      inflated_ += chunk;
      if (inflated_ > kMaxInflated) throw Error("more than 4 GiB of compressed data");
    }
    return true;
  }

 private:
  std::ifstream& in_;
  const std::uint64_t compressed_;
  std::uint64_t left_;
  std::uint64_t& inflated_;
  z_stream z_;
  bool done_ = false;
  std::array<unsigned char, 16384> in_buf_{};
};

struct Walker {
  std::string file;
  bool swap = false;

  std::uint32_t u32(const unsigned char* p) const { return u32_at(p, swap); }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(file + ": not a valid .mat file (" + what + ")");
  }

  // The subelements of a matrix whose content is `len` bytes: each one's
  // declared size (padded to 8) must fit what is left of its matrix, and the
  // bytes must be there.
  void matrix(Source& src, std::uint64_t len, int depth) const {
    if (depth > kMaxDepth) fail("matrices nested more than " + std::to_string(kMaxDepth) + " deep");
    while (len > 0) {
      if (len < 8) fail("a matrix ends inside a tag");
      unsigned char tag[8];
      if (!src.read(tag, 8)) fail("the data ends inside a matrix");
      len -= 8;
      const std::uint32_t type = u32(tag);
      if (type >> 16) {  // small data element: type and size in 4 bytes, data in the next 4
        if ((type >> 16) > 4) fail("a small data element of " + std::to_string(type >> 16) + " bytes");
        continue;
      }
      const std::uint64_t n = u32(tag + 4), padded = (n + 7) / 8 * 8;
      if (type == kMiMatrix) {
        if (n > len) fail("a nested matrix declares " + std::to_string(n) + " bytes, its parent has " + std::to_string(len) + " left");
        matrix(src, n, depth + 1);
        len -= n;
        continue;
      }
      // The last element's padding may be missing from a file's end.
      if (n > len) fail("a data element declares " + std::to_string(n) + " bytes, its matrix has " + std::to_string(len) + " left");
      if (!src.read(nullptr, n)) fail("a data element declares " + std::to_string(n) + " bytes that the file does not hold");
      const std::uint64_t pad = std::min(padded, len) - n;
      if (pad && !src.read(nullptr, pad)) fail("the data ends inside a matrix");
      len -= n + pad;
    }
  }
};

// A MAT v4 file is a run of matrices, each a 20-byte header (type, rows,
// columns, imaginary flag, name length: 32-bit integers in the file's byte
// order), the name, then rows x columns elements (twice with an imaginary
// part). libmatio allocates what the header declares; check it is there.
// A start that is not a v4 header in either byte order is left to libmatio.
void check_mat4_sizes(const std::string& path, std::ifstream& in) {
  in.clear();
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  std::uint64_t at = 0;
  for (int k = 0;; ++k) {
    unsigned char h[20];
    if (at == size && k > 0) return;
    if (!in.read(reinterpret_cast<char*>(h), 20)) {
      if (k == 0) return;
      throw Error(path + ": a MAT v4 matrix header is cut short at byte " + std::to_string(at));
    }
    // type = 1000 M + 100 O + 10 P + T: O 0, P 0..5, T 0..2. The byte order is
    // the one in which the type is valid (as libmatio decides it, whatever M says).
    auto valid = [](std::uint32_t t) { return t < 5000 && (t / 100) % 10 == 0 && (t / 10) % 10 <= 5 && t % 10 <= 2; };
    bool big;
    if (valid(u32_at(h, false)))
      big = false;
    else if (valid(u32_at(h, true)))
      big = true;
    else if (k == 0)
      return;
    else
      throw Error(path + ": MAT v4 matrix " + std::to_string(k + 1) + " has an invalid type");
    auto u = [&](int i) { return u32_at(h + i, big); };
    static constexpr std::uint64_t kElement[6] = {8, 4, 4, 2, 2, 1};
    const std::uint64_t elem = kElement[(u(0) / 10) % 10];
    const std::uint64_t parts = u(12) != 0 ? 2 : 1;  // real, imaginary
    const std::uint64_t elements = std::uint64_t{u(4)} * u(8), name = u(16);  // (< 2^64)
    at += 20;
    const std::uint64_t left = size - at;
    if (name > left || elements > (left - name) / elem / parts)
      throw Error(path + ": MAT v4 matrix " + std::to_string(k + 1) + " declares " + std::to_string(u(4)) + " x " +
                  std::to_string(u(8)) + " elements and a " + std::to_string(name) +
                  "-byte name that the file does not hold");
    at += name + elements * elem * parts;  // (checked to fit: no overflow)
    in.seekg(static_cast<std::streamoff>(at));
  }
}

}  // namespace

void check_mat5_sizes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open");
  unsigned char header[128];
  const bool v5_header = static_cast<bool>(in.read(reinterpret_cast<char*>(header), sizeof header));
  Walker w{path};
  if (v5_header && header[126] == 'I' && header[127] == 'M') {
    w.swap = false;
  } else if (v5_header && header[126] == 'M' && header[127] == 'I') {
    w.swap = true;
  } else {
    check_mat4_sizes(path, in);  // a v4 file has no 128-byte header (or not a .mat: matio decides)
    return;
  }
  const std::uint32_t version = w.swap ? (std::uint32_t{header[124]} << 8 | header[125]) : (std::uint32_t{header[125]} << 8 | header[124]);
  if (version != 0x0100) return;  // v7.3 is HDF5, read by the HDF5 library
  FileSource file(in);
  std::uint64_t inflated = 0;
  for (;;) {
    unsigned char tag[8];
    if (!in.read(reinterpret_cast<char*>(tag), 8)) {
      if (in.gcount() == 0) return;
      w.fail("the file ends inside a tag");
    }
    const std::uint32_t type = w.u32(tag);
    const std::uint64_t n = w.u32(tag + 4);
    if (type == kMiCompressed) {
      const auto start = in.tellg();
      {
        InflateSource z(in, n, inflated);
        unsigned char inner[8];
        try {
          if (!z.read(inner, 8)) w.fail("a compressed variable that does not inflate");
          if (w.u32(inner) == kMiMatrix) w.matrix(z, w.u32(inner + 4), 0);
        } catch (const Error& e) {
          if (std::string(e.what()).rfind(path, 0) == 0) throw;
          w.fail(e.what());
        }
      }
      in.clear();
      in.seekg(start + static_cast<std::streamoff>(n));
      continue;
    }
    if (type == kMiMatrix) {
      w.matrix(file, n, 0);
      continue;
    }
    if (!file.read(nullptr, n)) w.fail("an element declares " + std::to_string(n) + " bytes that the file does not hold");
    file.read(nullptr, (n + 7) / 8 * 8 - n);  // padding (may be missing at the end)
  }
}

}  // namespace pbit::dbm

#pragma once
// The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/),
// plain or gzip-compressed (detected by the gzip magic). All integers big endian.
//   images: magic 0x00000803, count, rows, cols (u32 each), then count*rows*cols
//           bytes, row-major, one byte per pixel (0 = background, 255 = ink)
//   labels: magic 0x00000801, count (u32), then count bytes
// The readers reject (pbit::Error, "<path>: <problem>"): missing files, bad or
// truncated gzip, a wrong magic (naming what the file is instead), a header or
// data shorter than declared, trailing bytes after the data, zero dimensions or
// counts, absurd image sizes (rows or cols > kIdxMaxSide), labels > 9.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pbit::data {

inline constexpr std::uint32_t kIdxImagesMagic = 0x00000803;
inline constexpr std::uint32_t kIdxLabelsMagic = 0x00000801;
inline constexpr int kIdxMaxSide = 4096;  // largest accepted rows or cols
inline constexpr int kIdxMaxLabel = 9;    // MNIST-format labels are digits / classes 0..9

struct IdxImages {
  std::size_t count = 0;
  int rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;  // count * rows * cols
};

// Parse decoded (already decompressed) bytes; `name` prefixes error messages.
IdxImages parse_idx_images(const std::vector<std::uint8_t>& bytes, const std::string& name);
std::vector<std::uint8_t> parse_idx_labels(const std::vector<std::uint8_t>& bytes,
                                           const std::string& name);

// The bytes of a whole file (gzip or plain) in memory; gzip data is
// decompressed no further than its header declares.
IdxImages decode_idx_images(const std::vector<std::uint8_t>& file, const std::string& name);
std::vector<std::uint8_t> decode_idx_labels(const std::vector<std::uint8_t>& file, const std::string& name);

// Read a file (gzip or plain); only as many bytes as the header declares are
// read or decompressed.
IdxImages read_idx_images(const std::string& path);
std::vector<std::uint8_t> read_idx_labels(const std::string& path);

// Encode to IDX bytes; write (atomically; gzip-compressed when the path ends
// in ".gz"). Used for fixtures and for exporting subsets.
std::vector<std::uint8_t> encode_idx_images(std::size_t count, int rows, int cols,
                                            const std::vector<std::uint8_t>& pixels);
std::vector<std::uint8_t> encode_idx_labels(const std::vector<std::uint8_t>& labels);
void write_idx_images(const std::string& path, std::size_t count, int rows, int cols,
                      const std::vector<std::uint8_t>& pixels);
void write_idx_labels(const std::string& path, const std::vector<std::uint8_t>& labels);

}  // namespace pbit::data

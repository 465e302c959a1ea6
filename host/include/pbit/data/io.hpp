#pragma once
// Whole-file I/O shared by the data and image layer: reading files (gzip
// decompressed transparently), gzip in memory (zlib), and atomic writes.
// Every failure is a pbit::Error whose one-line message starts with the path.
// Reads are bounded: a file larger than the caller's limit (a device such as
// /dev/zero never ends) and gzip data that inflates beyond what the caller
// expects are errors, found before the memory is spent.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace pbit::data {

// Default read limit (the largest input file any reader here expects).
inline constexpr std::size_t kMaxReadBytes = std::size_t{1} << 30;

// The raw bytes of a file. Errors: missing, unreadable, a directory, more than
// `max_bytes` bytes.
std::vector<std::uint8_t> read_file(const std::string& path, std::size_t max_bytes = kMaxReadBytes);

// True when bytes start with the gzip magic 1f 8b.
bool is_gzip(const std::vector<std::uint8_t>& bytes);

// Decompresses a gzip stream (several concatenated members are allowed, as in
// gzip(1)). `name` prefixes error messages: not gzip, corrupt data or CRC,
// truncated stream, trailing bytes that are not another gzip member.
// More than `max_bytes` of output is an error.
std::vector<std::uint8_t> gunzip(const std::vector<std::uint8_t>& gz, const std::string& name,
                                 std::size_t max_bytes = std::numeric_limits<std::size_t>::max() - 1);

// Incremental gunzip of gzip data in memory, for readers that learn from the
// first bytes (a header) how much data should follow and decompress no more.
class GzipReader {
 public:
  // `gz` must outlive the reader; throws unless it starts with the gzip magic.
  GzipReader(const std::vector<std::uint8_t>& gz, std::string name);
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;
  // Decompresses until `out` holds `size` bytes or the data ends (fewer bytes).
  // Errors as gunzip.
  void fill(std::vector<std::uint8_t>& out, std::size_t size);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// Compresses to one gzip member (deflate level 0..9).
std::vector<std::uint8_t> gzip(const std::vector<std::uint8_t>& raw, int level = 6);

// read_file, then gunzip when the file starts with the gzip magic; a name
// ending in ".gz" must hold gzip data.
std::vector<std::uint8_t> read_file_maybe_gzip(const std::string& path);

// The same for a format whose first `header` bytes declare the length of the
// rest: `declared(first bytes)` returns that length, or kInvalidHeader when
// the first bytes are not a valid header (only they are returned, and the
// format's parser names the problem). Never reads or decompresses more than
// header + declared bytes: more data is an error "<path>: N bytes of trailing
// garbage after <describe(first bytes)>" (e.g. "4 images of 28x28").
inline constexpr std::uint64_t kInvalidHeader = std::numeric_limits<std::uint64_t>::max();
std::vector<std::uint8_t> read_file_declared(
    const std::string& path, std::size_t header,
    const std::function<std::uint64_t(const std::vector<std::uint8_t>&)>& declared,
    const std::function<std::string(const std::vector<std::uint8_t>&)>& describe);

// The gzip half of read_file_declared, on compressed bytes in memory.
std::vector<std::uint8_t> gunzip_declared(
    const std::vector<std::uint8_t>& gz, const std::string& name, std::size_t header,
    const std::function<std::uint64_t(const std::vector<std::uint8_t>&)>& declared,
    const std::function<std::string(const std::vector<std::uint8_t>&)>& describe);

// Writes atomically: a temporary file in the same directory (created with
// O_EXCL, mode 0666 & ~umask), then rename() over `path`, so readers never see
// a partial file. Only a regular file (or a new name) is ever replaced: a
// symbolic link is followed (the file it names is replaced, the link stays), a
// character device or FIFO (/dev/null, a pipe) is written through, anything
// else (a directory, a block device, a socket) is refused. Temporary files of
// earlier writers of the same path that died (their process is gone) are
// removed. Errors name `path` and the reason (missing directory, no
// permission, path is a directory, disk full, ...).
void write_file_atomic(const std::string& path, const void* data, std::size_t size);
inline void write_file_atomic(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  write_file_atomic(path, bytes.data(), bytes.size());
}

}  // namespace pbit::data

#pragma once
// Whole-file I/O shared by the data and image layer: reading files (gzip
// decompressed transparently), gzip in memory (zlib), and atomic writes.
// Every failure is a pbit::Error whose one-line message starts with the path.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pbit::data {

// The raw bytes of a file. Errors: missing, unreadable, a directory.
std::vector<std::uint8_t> read_file(const std::string& path);

// True when bytes start with the gzip magic 1f 8b.
bool is_gzip(const std::vector<std::uint8_t>& bytes);

// Decompresses a gzip stream (several concatenated members are allowed, as in
// gzip(1)). `name` prefixes error messages: not gzip, corrupt data or CRC,
// truncated stream, trailing bytes that are not another gzip member.
std::vector<std::uint8_t> gunzip(const std::vector<std::uint8_t>& gz, const std::string& name);

// Compresses to one gzip member (deflate level 0..9).
std::vector<std::uint8_t> gzip(const std::vector<std::uint8_t>& raw, int level = 6);

// read_file, then gunzip when the file starts with the gzip magic; a name
// ending in ".gz" must hold gzip data.
std::vector<std::uint8_t> read_file_maybe_gzip(const std::string& path);

// Writes atomically: a temporary file in the same directory (created with
// O_EXCL, mode 0666 & ~umask), then rename() over `path`, so readers never see
// a partial file. Errors name `path` and the reason (missing directory, no
// permission, path is a directory, disk full, ...).
void write_file_atomic(const std::string& path, const void* data, std::size_t size);
inline void write_file_atomic(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  write_file_atomic(path, bytes.data(), bytes.size());
}

}  // namespace pbit::data

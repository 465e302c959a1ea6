// Whole-file reading, gzip via zlib, atomic writes (see pbit/data/io.hpp).
#include <pbit/data/io.hpp>
#include <pbit/error.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

namespace pbit::data {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports close()'s errno (0 on success).
  int close() {
    const int r = ::close(fd_);
    fd_ = -1;
    return r == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<std::uint8_t> read_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw Error(path + ": cannot open: " + errno_text(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw Error(path + ": cannot stat: " + errno_text(errno));
  if (S_ISDIR(st.st_mode)) throw Error(path + ": is a directory, not a file");
  std::vector<std::uint8_t> bytes;
  bytes.reserve(st.st_size > 0 ? static_cast<std::size_t>(st.st_size) : 0);
  std::uint8_t buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(path + ": read error: " + errno_text(errno));
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buf, buf + n);
  }
  return bytes;
}

bool is_gzip(const std::vector<std::uint8_t>& bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

std::vector<std::uint8_t> gunzip(const std::vector<std::uint8_t>& gz, const std::string& name) {
  if (!is_gzip(gz)) throw Error(name + ": not gzip data (no 1f 8b magic)");
  // ISIZE (last 4 bytes, little endian) is the uncompressed size mod 2^32 of
  // the last member: a good first guess for the output size. In a damaged
  // file those bytes are arbitrary, so the guess is capped by deflate's
  // maximum ratio (1032:1) and by 256 MiB; the buffer grows as needed.
  std::size_t guess = gz.size() * 4;
  if (gz.size() >= 18) {
    const std::size_t n = gz.size();
    const std::uint32_t isize = std::uint32_t(gz[n - 4]) | std::uint32_t(gz[n - 3]) << 8 |
                                std::uint32_t(gz[n - 2]) << 16 | std::uint32_t(gz[n - 1]) << 24;
    if (isize > 0) guess = isize;
  }
  guess = std::min({guess, gz.size() * 1032 + 1024, std::size_t(256) << 20});
  std::vector<std::uint8_t> out(guess + 1);  // +1: the end of the stream is seen without a regrow

  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) throw Error(name + ": zlib initialisation failed");
  struct Guard {
    z_stream* z;
    ~Guard() { inflateEnd(z); }
  } guard{&zs};

  zs.next_in = const_cast<Bytef*>(gz.data());
  std::size_t in_left = gz.size();
  std::size_t produced = 0;
  constexpr std::size_t kChunk = std::size_t(1) << 30;  // uInt limits one call
  for (;;) {
    if (produced == out.size()) out.resize(out.size() * 2);
    const std::size_t in_now = std::min(in_left, kChunk);
    const std::size_t out_now = std::min(out.size() - produced, kChunk);
    zs.avail_in = static_cast<uInt>(in_now);
    zs.next_out = out.data() + produced;
    zs.avail_out = static_cast<uInt>(out_now);
    const int ret = inflate(&zs, Z_NO_FLUSH);
    in_left -= in_now - zs.avail_in;
    produced += out_now - zs.avail_out;
    if (ret == Z_STREAM_END) {
      if (in_left == 0) break;
      // Another member may follow (gzip -c a b > ab.gz); anything else is garbage.
      if (in_left >= 2 && zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b) {
        inflateReset(&zs);
        continue;
      }
      throw Error(name + ": " + std::to_string(in_left) +
                  " bytes of trailing garbage after the gzip data");
    }
    if (ret == Z_OK) continue;
    if (ret == Z_BUF_ERROR) {
      if (in_left == 0) throw Error(name + ": truncated gzip data (unexpected end of file)");
      continue;  // output full: grown at the top of the loop
    }
    const std::string why = zs.msg ? zs.msg : "error " + std::to_string(ret);
    throw Error(name + ": corrupt gzip data (" + why + ")");
  }
  out.resize(produced);
  return out;
}

std::vector<std::uint8_t> gzip(const std::vector<std::uint8_t>& raw, int level) {
  if (level < 0 || level > 9) throw Error("gzip: level " + std::to_string(level) + " not in 0..9");
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error("gzip: zlib initialisation failed");
  struct Guard {
    z_stream* z;
    ~Guard() { deflateEnd(z); }
  } guard{&zs};
  if (raw.size() > (std::size_t(1) << 31)) throw Error("gzip: input larger than 2 GiB");
  std::vector<std::uint8_t> out(deflateBound(&zs, static_cast<uLong>(raw.size())));
  zs.next_in = const_cast<Bytef*>(raw.data());
  zs.avail_in = static_cast<uInt>(raw.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw Error("gzip: deflate failed");
  out.resize(zs.total_out);
  return out;
}

std::vector<std::uint8_t> read_file_maybe_gzip(const std::string& path) {
  std::vector<std::uint8_t> bytes = read_file(path);
  if (is_gzip(bytes)) return gunzip(bytes, path);
  if (ends_with(path, ".gz")) throw Error(path + ": not a gzip file (no 1f 8b magic)");
  return bytes;
}

void write_file_atomic(const std::string& path, const void* data, std::size_t size) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const std::string base = target.filename().string();
  if (base.empty() || base == "." || base == "..")
    throw Error(path + ": cannot write: not a file name");
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");

  std::random_device rd;
  std::string tmp;
  int fd_raw = -1;
  for (int attempt = 0; attempt < 100 && fd_raw < 0; ++attempt) {
    char suffix[64];
    std::snprintf(suffix, sizeof suffix, ".tmp.%ld.%08x%08x", static_cast<long>(::getpid()),
                  static_cast<unsigned>(rd()), static_cast<unsigned>(rd()));
    tmp = (dir / ("." + base + suffix)).string();
    fd_raw = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_raw < 0 && errno != EEXIST) throw Error(path + ": cannot write: " + errno_text(errno));
  }
  if (fd_raw < 0) throw Error(path + ": cannot write: no free temporary file name");
  Fd fd(fd_raw);
  auto fail = [&](int err) {
    fd.close();
    ::unlink(tmp.c_str());
    throw Error(path + ": cannot write: " + errno_text(err));
  };
  const auto* p = static_cast<const std::uint8_t*>(data);
  std::size_t left = size;
  while (left > 0) {
    const ssize_t n = ::write(fd.get(), p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (const int err = fd.close()) {
    ::unlink(tmp.c_str());
    throw Error(path + ": cannot write: " + errno_text(err));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw Error(path + ": cannot write: " + errno_text(err));
  }
}

}  // namespace pbit::data

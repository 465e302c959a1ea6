// Whole-file reading, gzip via zlib, atomic writes (see pbit/data/io.hpp).
#include <pbit/data/io.hpp>
#include <pbit/error.hpp>
#include <pbit/resources.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
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

// An open file for reading: not a directory.
struct OpenFile {
  Fd fd;
  struct stat st {};
  OpenFile(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd.get() < 0) throw Error(path + ": cannot open: " + errno_text(errno));
    if (::fstat(fd.get(), &st) != 0) throw Error(path + ": cannot stat: " + errno_text(errno));
    if (S_ISDIR(st.st_mode)) throw Error(path + ": is a directory, not a file");
  }
  bool regular() const { return S_ISREG(st.st_mode); }
};

// Appends up to `n` bytes read from fd to `out`; returns how many (fewer only at the end).
std::size_t read_some(int fd, std::vector<std::uint8_t>& out, std::size_t n, const std::string& path) {
  std::size_t got = 0;
  std::uint8_t buf[1 << 16];
  while (got < n) {
    const ssize_t r = ::read(fd, buf, std::min(sizeof buf, n - got));
    if (r < 0) {
      if (errno == EINTR) continue;
      throw Error(path + ": read error: " + errno_text(errno));
    }
    if (r == 0) break;
    out.insert(out.end(), buf, buf + r);
    got += static_cast<std::size_t>(r);
  }
  return got;
}

// Everything left in the file, at most max_total bytes in `out` altogether.
void read_rest(OpenFile& f, std::vector<std::uint8_t>& out, std::size_t max_total, const std::string& path) {
  if (f.regular() && static_cast<std::uint64_t>(f.st.st_size) > max_total)
    throw Error(path + ": " + format_bytes(static_cast<std::uint64_t>(f.st.st_size)) + ", more than the " +
                format_bytes(max_total) + " this reader accepts");
  if (f.regular()) {
    check_memory(static_cast<std::uint64_t>(f.st.st_size), path + ": reading it would need", "");
    out.reserve(static_cast<std::size_t>(f.st.st_size));
  }
  read_some(f.fd.get(), out, max_total - std::min(max_total, out.size()), path);
  std::vector<std::uint8_t> probe;
  if (read_some(f.fd.get(), probe, 1, path) > 0)
    throw Error(path + ": more than the " + format_bytes(max_total) + " this reader accepts" +
                (f.regular() ? std::string() : std::string(" (not a regular file: a device or pipe that does not end?)")));
}

}  // namespace

std::vector<std::uint8_t> read_file(const std::string& path, std::size_t max_bytes) {
  OpenFile f(path);
  std::vector<std::uint8_t> bytes;
  read_rest(f, bytes, max_bytes, path);
  return bytes;
}

bool is_gzip(const std::vector<std::uint8_t>& bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

// ---- gunzip

struct GzipReader::State {
  const std::vector<std::uint8_t>& gz;
  std::string name;
  z_stream zs{};
  std::size_t in_pos = 0;
  bool ended = false;      // the last member ended with the input
  std::size_t hint = 0;    // first guess of the output size (ISIZE)
  explicit State(const std::vector<std::uint8_t>& g, std::string n) : gz(g), name(std::move(n)) {}
};

GzipReader::GzipReader(const std::vector<std::uint8_t>& gz, std::string name)
    : s_(std::make_unique<State>(gz, std::move(name))) {
  if (!is_gzip(gz)) throw Error(s_->name + ": not gzip data (no 1f 8b magic)");
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
  s_->hint = std::min({guess, gz.size() * 1032 + 1024, std::size_t(256) << 20});
  if (inflateInit2(&s_->zs, 15 + 16) != Z_OK) throw Error(s_->name + ": zlib initialisation failed");
}

GzipReader::~GzipReader() { inflateEnd(&s_->zs); }

void GzipReader::fill(std::vector<std::uint8_t>& out, std::size_t size) {
  State& s = *s_;
  z_stream& zs = s.zs;
  if (out.capacity() < std::min(size, s.hint)) out.reserve(std::min(size, s.hint) + 1);
  constexpr std::size_t kChunk = std::size_t(1) << 30;  // uInt limits one call
  while (out.size() < size && !s.ended) {
    const std::size_t old = out.size();
    // Grow by doubling (at least 64 KiB), never past `size`.
    const std::size_t room = std::min({size - old, std::max(old, std::size_t(1) << 16), kChunk});
    out.resize(old + std::max(room, std::min(size - old, out.capacity() - old)));
    const std::size_t out_now = std::min(out.size() - old, kChunk);
    const std::size_t in_now = std::min(s.gz.size() - s.in_pos, kChunk);
    zs.next_in = const_cast<Bytef*>(s.gz.data() + s.in_pos);
    zs.avail_in = static_cast<uInt>(in_now);
    zs.next_out = out.data() + old;
    zs.avail_out = static_cast<uInt>(out_now);
    const int ret = inflate(&zs, Z_NO_FLUSH);
    const std::size_t consumed = in_now - zs.avail_in;
    const std::size_t produced = out_now - zs.avail_out;
    s.in_pos += consumed;
    out.resize(old + produced);
    if (ret == Z_STREAM_END) {
      const std::size_t left = s.gz.size() - s.in_pos;
      if (left == 0) {
        s.ended = true;
        break;
      }
      // Another member may follow (gzip -c a b > ab.gz); anything else is garbage.
      if (left >= 2 && s.gz[s.in_pos] == 0x1f && s.gz[s.in_pos + 1] == 0x8b) {
        inflateReset(&zs);
        continue;
      }
      throw Error(s.name + ": " + std::to_string(left) + " bytes of trailing garbage after the gzip data");
    }
    if (ret == Z_OK) continue;
    if (ret == Z_BUF_ERROR) {
      if (s.in_pos == s.gz.size()) throw Error(s.name + ": truncated gzip data (unexpected end of file)");
      if (consumed == 0 && produced == 0) throw Error(s.name + ": corrupt gzip data (no progress)");
      continue;
    }
    const std::string why = zs.msg ? zs.msg : "error " + std::to_string(ret);
    throw Error(s.name + ": corrupt gzip data (" + why + ")");
  }
}

std::vector<std::uint8_t> gunzip(const std::vector<std::uint8_t>& gz, const std::string& name,
                                 std::size_t max_bytes) {
  GzipReader r(gz, name);
  std::vector<std::uint8_t> out;
  r.fill(out, max_bytes + 1);
  if (out.size() > max_bytes)
    throw Error(name + ": gzip data inflates to more than " + format_bytes(max_bytes) +
                " (the most this reader expects)");
  out.shrink_to_fit();
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
  if (is_gzip(bytes)) return gunzip(bytes, path, kMaxReadBytes);
  if (ends_with(path, ".gz")) throw Error(path + ": not a gzip file (no 1f 8b magic)");
  return bytes;
}

std::vector<std::uint8_t> gunzip_declared(
    const std::vector<std::uint8_t>& gz, const std::string& path, std::size_t header,
    const std::function<std::uint64_t(const std::vector<std::uint8_t>&)>& declared,
    const std::function<std::string(const std::vector<std::uint8_t>&)>& describe) {
  GzipReader z(gz, path);
  std::vector<std::uint8_t> out;
  z.fill(out, header);
  if (out.size() < header) return out;  // the parser reports the short header
  const std::uint64_t payload = declared(out);
  if (payload == kInvalidHeader) return out;
  // Deflate cannot expand more than 1032:1 (plus a member's header): a header
  // declaring more than the compressed bytes could hold is truncated data,
  // reported without inflating any of it.
  const std::uint64_t most = mul_sat(gz.size(), 1032) + 1024;
  const std::uint64_t total = add_sat(header, payload);
  if (total > most)
    throw Error(path + ": truncated data: header declares " + describe(out) + " (" + std::to_string(total) +
                " bytes), more than " + std::to_string(gz.size()) + " bytes of gzip data can hold");
  check_memory(total, path + ": the header declares " + describe(out) + ", which need", "");
  out.reserve(static_cast<std::size_t>(total) + 1);
  z.fill(out, static_cast<std::size_t>(total) + 1);
  if (out.size() > total)
    throw Error(path + ": trailing garbage after " + describe(out) + " (more data than the header declares)");
  return out;
}

std::vector<std::uint8_t> read_file_declared(
    const std::string& path, std::size_t header,
    const std::function<std::uint64_t(const std::vector<std::uint8_t>&)>& declared,
    const std::function<std::string(const std::vector<std::uint8_t>&)>& describe) {
  OpenFile f(path);
  std::vector<std::uint8_t> first;
  read_some(f.fd.get(), first, 2, path);
  auto too_much = [&](const std::vector<std::uint8_t>& head, const std::string& count) {
    return Error(path + ": " + count + "trailing garbage after " + describe(head) +
                 " (more data than the header declares)");
  };

  if (is_gzip(first)) {
    // The compressed bytes are bounded by the file; the output by the header.
    read_rest(f, first, kMaxReadBytes, path);
    return gunzip_declared(first, path, header, declared, describe);
  }

  if (ends_with(path, ".gz")) throw Error(path + ": not a gzip file (no 1f 8b magic)");
  if (first.size() == 2) read_some(f.fd.get(), first, header - std::min(header, first.size()), path);
  if (first.size() < header) return first;
  const std::uint64_t payload = declared(first);
  if (payload == kInvalidHeader) return first;
  const std::uint64_t total = header + payload;
  if (f.regular()) {
    const auto size = static_cast<std::uint64_t>(f.st.st_size);
    if (size > total) throw too_much(first, std::to_string(size - total) + " bytes of ");
    check_memory(size, path + ": reading it would need", "");
    first.reserve(static_cast<std::size_t>(size));
  } else if (total > kMaxReadBytes) {
    throw Error(path + ": the header declares " + describe(first) + ", more than the " +
                format_bytes(kMaxReadBytes) + " read from a device or pipe");
  }
  if (total > std::numeric_limits<std::size_t>::max() - 1) return first;
  read_some(f.fd.get(), first, static_cast<std::size_t>(total) + 1 - first.size(), path);
  if (first.size() > total) throw too_much(first, "");
  return first;
}

// ---- writes

namespace {

// Removes ".<base>.tmp.<pid>.<random>" files in `dir` left by writers of the
// same target whose process no longer exists (killed before they could clean up).
void remove_stale_temporaries(const std::string& dir, const std::string& base) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  const std::string prefix = "." + base + ".tmp.";
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string rest = name.substr(prefix.size());
    const auto dot = rest.find('.');
    if (dot == std::string::npos || dot == 0 || dot > 10) continue;
    char* end = nullptr;
    const long pid = std::strtol(rest.c_str(), &end, 10);
    if (end != rest.c_str() + dot || pid <= 0 || pid > INT_MAX) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    ::unlink((dir + "/" + name).c_str());
  }
  ::closedir(d);
}

// Writes all bytes to an open descriptor; returns 0 or errno.
int write_all(int fd, const void* data, std::size_t size) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  std::size_t left = size;
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

void write_file_atomic(const std::string& path, const void* data, std::size_t size) {
  namespace fs = std::filesystem;
  std::string target = path;
  // Follow symbolic links to the file they name (a link stays a link).
  for (int hops = 0;; ++hops) {
    struct stat st {};
    if (::lstat(target.c_str(), &st) != 0) break;  // a new name (or an error found by open below)
    if (S_ISLNK(st.st_mode)) {
      if (hops >= 40) throw Error(path + ": cannot write: too many levels of symbolic links");
      std::vector<char> buf(static_cast<std::size_t>(std::max<off_t>(st.st_size, 255)) + 1);
      const ssize_t n = ::readlink(target.c_str(), buf.data(), buf.size() - 1);
      if (n < 0) throw Error(path + ": cannot write: " + errno_text(errno));
      const fs::path link(std::string(buf.data(), static_cast<std::size_t>(n)));
      target = link.is_absolute() ? link.string() : (fs::path(target).parent_path() / link).string();
      continue;
    }
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
      // A device or pipe (/dev/null, /dev/stdout): written through, never replaced.
      Fd fd(::open(target.c_str(), O_WRONLY | O_CLOEXEC));
      if (fd.get() < 0) throw Error(path + ": cannot write: " + errno_text(errno));
      if (const int err = write_all(fd.get(), data, size)) throw Error(path + ": cannot write: " + errno_text(err));
      if (const int err = fd.close()) throw Error(path + ": cannot write: " + errno_text(err));
      return;
    }
    if (S_ISDIR(st.st_mode)) throw Error(path + ": cannot write: Is a directory");
    if (!S_ISREG(st.st_mode))
      throw Error(path + ": cannot write: not a regular file (a " +
                  (S_ISBLK(st.st_mode) ? std::string("block device") : std::string("socket")) +
                  "); refusing to replace it");
    break;
  }

  const fs::path tpath(target);
  const std::string base = tpath.filename().string();
  if (base.empty() || base == "." || base == "..")
    throw Error(path + ": cannot write: not a file name");
  const fs::path dir = tpath.has_parent_path() ? tpath.parent_path() : fs::path(".");
  remove_stale_temporaries(dir.string(), base);

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
  if (const int err = write_all(fd.get(), data, size)) {
    fd.close();
    ::unlink(tmp.c_str());
    throw Error(path + ": cannot write: " + errno_text(err));
  }
  if (const int err = fd.close()) {
    ::unlink(tmp.c_str());
    throw Error(path + ": cannot write: " + errno_text(err));
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw Error(path + ": cannot write: " + errno_text(err));
  }
}

}  // namespace pbit::data

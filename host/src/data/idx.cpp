// IDX (MNIST format) reading and writing; see pbit/data/idx.hpp.
#include <pbit/data/idx.hpp>
#include <pbit/data/io.hpp>
#include <pbit/error.hpp>

#include <cstdio>
#include <string>

namespace pbit::data {
namespace {

std::uint32_t be32(const std::uint8_t* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 |
         std::uint32_t(p[3]);
}

void put_be32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 24));
  out.push_back(static_cast<std::uint8_t>(v >> 16));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// What a magic number means, for error messages.
std::string describe_magic(std::uint32_t magic) {
  if (magic == kIdxImagesMagic) return "an IDX image file";
  if (magic == kIdxLabelsMagic) return "an IDX label file";
  if ((magic & 0xffff0000u) == 0 && ((magic >> 8) & 0xff) >= 0x08 && ((magic >> 8) & 0xff) <= 0x0e)
    return "an IDX file of another type or rank";
  if ((magic >> 16) == 0x1f8b) return "gzip data inside gzip data";
  return "not an IDX file";
}

// Throws unless the file starts with the magic `want`.
void check_magic(const std::vector<std::uint8_t>& bytes, std::uint32_t want,
                 const std::string& name, const char* what) {
  if (bytes.size() < 4)
    throw Error(name + ": truncated IDX header (" + std::to_string(bytes.size()) +
                " bytes; expected an IDX " + what + " file)");
  const std::uint32_t magic = be32(bytes.data());
  if (magic != want)
    throw Error(name + ": wrong magic " + hex32(magic) + " (" + describe_magic(magic) +
                "); expected " + hex32(want) + " for IDX " + what);
}

void check_length(const std::vector<std::uint8_t>& bytes, std::size_t header, std::uint64_t payload,
                  const std::string& name, const std::string& what) {
  const std::uint64_t have = bytes.size() - header;
  if (have < payload)
    throw Error(name + ": truncated data: header declares " + what + " (" +
                std::to_string(payload) + " bytes) but only " + std::to_string(have) +
                " bytes follow");
  if (have > payload)
    throw Error(name + ": " + std::to_string(have - payload) + " bytes of trailing garbage after " +
                what);
}

std::vector<std::uint8_t> maybe_gzip(const std::string& path, std::vector<std::uint8_t> bytes) {
  const bool gz = path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  return gz ? gzip(bytes) : bytes;
}

}  // namespace

namespace {

struct ImagesHeader {
  std::uint32_t count, rows, cols;
  std::uint64_t payload() const { return std::uint64_t(count) * rows * cols; }
  std::string what() const {
    return std::to_string(count) + " images of " + std::to_string(rows) + "x" + std::to_string(cols);
  }
};

// The 16-byte header of an image file; throws naming the problem.
ImagesHeader images_header(const std::vector<std::uint8_t>& bytes, const std::string& name) {
  check_magic(bytes, kIdxImagesMagic, name, "images");
  if (bytes.size() < 16)
    throw Error(name + ": truncated IDX header (" + std::to_string(bytes.size()) +
                " bytes, images need 16)");
  const ImagesHeader h{be32(bytes.data() + 4), be32(bytes.data() + 8), be32(bytes.data() + 12)};
  if (h.count == 0) throw Error(name + ": holds zero images");
  if (h.rows == 0 || h.cols == 0)
    throw Error(name + ": image size " + std::to_string(h.rows) + "x" + std::to_string(h.cols) +
                " has a zero dimension");
  if (h.rows > std::uint32_t(kIdxMaxSide) || h.cols > std::uint32_t(kIdxMaxSide))
    throw Error(name + ": absurd image size " + std::to_string(h.rows) + "x" + std::to_string(h.cols) +
                " (at most " + std::to_string(kIdxMaxSide) + " per side)");
  return h;
}

// The 8-byte header of a label file: the count.
std::uint32_t labels_header(const std::vector<std::uint8_t>& bytes, const std::string& name) {
  check_magic(bytes, kIdxLabelsMagic, name, "labels");
  if (bytes.size() < 8)
    throw Error(name + ": truncated IDX header (" + std::to_string(bytes.size()) +
                " bytes, labels need 8)");
  const std::uint32_t count = be32(bytes.data() + 4);
  if (count == 0) throw Error(name + ": holds zero labels");
  return count;
}

}  // namespace

IdxImages parse_idx_images(const std::vector<std::uint8_t>& bytes, const std::string& name) {
  const ImagesHeader h = images_header(bytes, name);
  check_length(bytes, 16, h.payload(), name, h.what());
  IdxImages out;
  out.count = h.count;
  out.rows = static_cast<int>(h.rows);
  out.cols = static_cast<int>(h.cols);
  out.pixels.assign(bytes.begin() + 16, bytes.end());
  return out;
}

std::vector<std::uint8_t> parse_idx_labels(const std::vector<std::uint8_t>& bytes,
                                           const std::string& name) {
  const std::uint32_t count = labels_header(bytes, name);
  check_length(bytes, 8, count, name, std::to_string(count) + " labels");
  std::vector<std::uint8_t> labels(bytes.begin() + 8, bytes.end());
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] > kIdxMaxLabel)
      throw Error(name + ": label " + std::to_string(labels[i]) + " at index " + std::to_string(i) +
                  " is outside 0.." + std::to_string(kIdxMaxLabel));
  return labels;
}

namespace {

std::uint64_t images_declared(const std::vector<std::uint8_t>& h) {
  try {
    return images_header(h, "").payload();
  } catch (const Error&) {
    return kInvalidHeader;
  }
}
std::string images_what(const std::vector<std::uint8_t>& h) { return images_header(h, "").what(); }
std::uint64_t labels_declared(const std::vector<std::uint8_t>& h) {
  try {
    return labels_header(h, "");
  } catch (const Error&) {
    return kInvalidHeader;
  }
}
std::string labels_what(const std::vector<std::uint8_t>& h) { return std::to_string(labels_header(h, "")) + " labels"; }

}  // namespace

IdxImages decode_idx_images(const std::vector<std::uint8_t>& file, const std::string& name) {
  if (!is_gzip(file)) return parse_idx_images(file, name);
  return parse_idx_images(gunzip_declared(file, name, 16, images_declared, images_what), name);
}

std::vector<std::uint8_t> decode_idx_labels(const std::vector<std::uint8_t>& file, const std::string& name) {
  if (!is_gzip(file)) return parse_idx_labels(file, name);
  return parse_idx_labels(gunzip_declared(file, name, 8, labels_declared, labels_what), name);
}

// Only as many bytes as the header declares are read or decompressed.
IdxImages read_idx_images(const std::string& path) {
  return parse_idx_images(read_file_declared(path, 16, images_declared, images_what), path);
}

std::vector<std::uint8_t> read_idx_labels(const std::string& path) {
  return parse_idx_labels(read_file_declared(path, 8, labels_declared, labels_what), path);
}

std::vector<std::uint8_t> encode_idx_images(std::size_t count, int rows, int cols,
                                            const std::vector<std::uint8_t>& pixels) {
  if (rows <= 0 || cols <= 0 || count > 0xffffffffu)
    throw Error("encode_idx_images: bad shape " + std::to_string(count) + " x " +
                std::to_string(rows) + "x" + std::to_string(cols));
  if (pixels.size() != count * std::size_t(rows) * std::size_t(cols))
    throw Error("encode_idx_images: " + std::to_string(pixels.size()) + " pixels for " +
                std::to_string(count) + " images of " + std::to_string(rows) + "x" +
                std::to_string(cols));
  std::vector<std::uint8_t> out;
  out.reserve(16 + pixels.size());
  put_be32(out, kIdxImagesMagic);
  put_be32(out, static_cast<std::uint32_t>(count));
  put_be32(out, static_cast<std::uint32_t>(rows));
  put_be32(out, static_cast<std::uint32_t>(cols));
  out.insert(out.end(), pixels.begin(), pixels.end());
  return out;
}

std::vector<std::uint8_t> encode_idx_labels(const std::vector<std::uint8_t>& labels) {
  if (labels.size() > 0xffffffffu) throw Error("encode_idx_labels: too many labels");
  std::vector<std::uint8_t> out;
  out.reserve(8 + labels.size());
  put_be32(out, kIdxLabelsMagic);
  put_be32(out, static_cast<std::uint32_t>(labels.size()));
  out.insert(out.end(), labels.begin(), labels.end());
  return out;
}

void write_idx_images(const std::string& path, std::size_t count, int rows, int cols,
                      const std::vector<std::uint8_t>& pixels) {
  write_file_atomic(path, maybe_gzip(path, encode_idx_images(count, rows, cols, pixels)));
}

void write_idx_labels(const std::string& path, const std::vector<std::uint8_t>& labels) {
  write_file_atomic(path, maybe_gzip(path, encode_idx_labels(labels)));
}

}  // namespace pbit::data

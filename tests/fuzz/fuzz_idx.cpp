// IDX files (MNIST format), plain and gzip: the first byte chooses images or
// labels; the rest is the file. Gzip data is decompressed only as far as the
// header declares.
#include "fuzz_util.hpp"

#include <pbit/data/idx.hpp>
#include <pbit/data/io.hpp>
#include <pbit/error.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::vector<std::uint8_t> file(data + 1, data + size);
  try {
    if (data[0] & 1) {
      const auto im = pbit::data::decode_idx_images(file, "fuzz-images");
      if (im.pixels.size() != im.count * static_cast<std::size_t>(im.rows) * static_cast<std::size_t>(im.cols))
        __builtin_trap();
    } else {
      const auto labels = pbit::data::decode_idx_labels(file, "fuzz-labels");
      for (auto l : labels)
        if (l > pbit::data::kIdxMaxLabel) __builtin_trap();
    }
  } catch (const pbit::Error&) {
  }
  return 0;
}

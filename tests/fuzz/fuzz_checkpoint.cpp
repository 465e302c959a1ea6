// DBM checkpoints (magic, version, JSON header, arrays). The input is the
// file without its final FNV-1a checksum, which the harness appends: the
// search reaches the header and arrays instead of stopping at the checksum.
#include "fuzz_util.hpp"

#include <pbit/dbm/model.hpp>
#include <pbit/dbm/trainer.hpp>
#include <pbit/error.hpp>

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> file(data, data + size);
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a (trainer.hpp)
  for (std::uint8_t b : file) h = (h ^ b) * 0x100000001b3ull;
  const auto* p = reinterpret_cast<const std::uint8_t*>(&h);
  file.insert(file.end(), p, p + 8);
  const std::string path = pbit::fuzz::scratch_path("checkpoint.pbit");
  pbit::fuzz::write_file(path, file.data(), file.size());
  try {
    const pbit::dbm::Checkpoint ck = pbit::dbm::load_checkpoint(path);
    if (!pbit::fuzz::graph_spec_too_slow(ck.arch.graph)) (void)pbit::dbm::model_from_checkpoint(ck);
  } catch (const pbit::Error&) {
  }
  return 0;
}

// Model files, JSON ("pbit-model" version 1): read, then turned into a
// checkpoint (which validates graph, couplings, placement and colouring).
#include "fuzz_util.hpp"

#include <pbit/dbm/model_file.hpp>
#include <pbit/error.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (pbit::fuzz::json_graph_too_slow(text)) return -1;  // a big graph: legal but slow (fuzz_graph_spec covers specs)
  const std::string path = pbit::fuzz::scratch_path("model.json");
  pbit::fuzz::write_file(path, data, size);
  try {
    const pbit::dbm::ModelFile m = pbit::dbm::read_model_json(path);
    (void)pbit::dbm::checkpoint_from(m, pbit::NumericSpec{});
  } catch (const pbit::Error&) {
  }
  return 0;
}

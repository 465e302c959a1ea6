// Model files, MATLAB .mat (read with libmatio): the input is the .mat file;
// the default variable names (J, h, index_visible, index_sticker1..5) are read
// and the model turned into a checkpoint.
#include "fuzz_util.hpp"

#include <pbit/dbm/model_file.hpp>
#include <pbit/error.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = pbit::fuzz::scratch_path("model.mat");
  pbit::fuzz::write_file(path, data, size);
  pbit::dbm::MatNames names;
  names.file = path;
  names.labels = pbit::dbm::default_label_names(5);
  names.rows = names.cols = 4;
  try {
    const pbit::dbm::ModelFile m = pbit::dbm::read_model_mat(names);
    (void)pbit::dbm::checkpoint_from(m, pbit::NumericSpec{});
  } catch (const pbit::Error&) {
  }
  return 0;
}

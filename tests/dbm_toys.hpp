#pragma once
// Toys and helpers shared by the DBM test binaries (test_dbm, test_model_file):
// small architectures with a precise spec, the labelled "columns" toy, and
// running the `pbit` CLI as a user does. PBIT_BINARY_DIR comes from CMake.
#include <pbit/data/idx.hpp>
#include <pbit/data/io.hpp>
#include <pbit/dbm/model.hpp>
#include <pbit/dbm/trainer.hpp>
#include <pbit/spec.hpp>

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>  // getpid: parallel test processes need their own stderr files

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

namespace pbit::test {

// A precise spec: the toys test the algorithm, not the 6-bit default.
inline NumericSpec fine_spec() {
  NumericSpec s;
  s.weight_bits = 12;
  s.frac_bits = 8;
  s.sum_bits = 14;
  s.lut_depth = 4096;
  s.lut_shift = NumericSpec::covering_shift(s.sum_bits, s.lut_depth);
  return s;
}

inline dbm::Architecture bas_arch(const std::string& graph, int classes = 0) {
  dbm::Architecture a;
  a.graph = graph;
  a.rows = a.cols = 3;
  a.classes = classes;
  a.label_copies = classes ? 2 : 0;
  a.placement_seed = 3;
  return a;
}

inline dbm::TrainConfig bas_config() {
  dbm::TrainConfig c;
  c.epochs = 100;
  c.batch = 7;
  c.chains = 7 * 32;
  c.lr = 0.1;
  c.momentum = 0.5;
  c.init_std = 0.1;
  c.pos_burn_in = 5;
  c.pos_sweeps = 5;
  c.neg_burn_in = 0;
  c.neg_sweeps = 10;
  c.seed = 5;
  c.threads = 1;
  return c;
}

inline void run_epochs(dbm::Trainer& t, int epochs) {
  for (int e = 0; e < epochs && !t.done(); ++e) {
    while (!t.at_epoch_end()) t.step();
    t.add_record(t.finish_epoch());
  }
}

// 3x3 images with the left column full (class 0) or the right column full
// (class 1), not both: 112 images.
inline data::Dataset columns_toy() {
  data::Dataset d;
  d.rows = d.cols = 3;
  d.name = "columns";
  for (unsigned code = 0; code < 512; ++code) {
    auto px = [&](int r, int c) { return (code >> (r * 3 + c)) & 1u; };
    const bool left = px(0, 0) && px(1, 0) && px(2, 0), right = px(0, 2) && px(1, 2) && px(2, 2);
    if (left == right) continue;
    for (int p = 0; p < 9; ++p) d.pixels.push_back(((code >> p) & 1u) ? 255 : 0);
    d.labels.push_back(left ? 0 : 1);
  }
  return d;
}

inline std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("pbit_test_dbm_" + name)).string();
}



struct CliResult {
  int code;
  std::string out, err;
};

// `pbit args`, after `launcher` (e.g. "mpirun -np 2 ") when given.
inline CliResult pbit_cli_with(const std::string& launcher, const std::string& args) {
  const std::string err_file = std::string(PBIT_BINARY_DIR) + "/tests/dbm_cli_stderr." + std::to_string(::getpid()) + ".txt";
  const std::string cmd = launcher + std::string(PBIT_BINARY_DIR) + "/pbit " + args + " 2>" + err_file;
  CliResult r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  std::size_t got;
  while ((got = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, got);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const auto e = data::read_file(err_file);
  r.err.assign(e.begin(), e.end());
  return r;
}

inline CliResult pbit_cli(const std::string& args) { return pbit_cli_with("", args); }

// The labelled "columns" toy as an IDX directory (train = test).
inline std::string columns_idx_dir() {
  const std::string dir = std::string(PBIT_BINARY_DIR) + "/tests/dbm_columns_idx";
  std::filesystem::create_directories(dir);
  const data::Dataset d = columns_toy();
  for (const char* set : {"train", "t10k"}) {
    data::write_idx_images(dir + "/" + set + "-images-idx3-ubyte", d.size(), 3, 3, d.pixels);
    data::write_idx_labels(dir + "/" + set + "-labels-idx1-ubyte", d.labels);
  }
  return dir;
}

inline std::size_t count_lines(const std::string& path) {
  const auto b = data::read_file(path);
  return static_cast<std::size_t>(std::count(b.begin(), b.end(), '\n'));
}


}  // namespace pbit::test

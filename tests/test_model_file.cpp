// Model files (host/include/pbit/dbm/model_file.hpp): JSON and MATLAB .mat
// round trips, a MATLAB-style model written by matio itself, and bad files.
#include <pbit/dbm/evaluate.hpp>
#include <pbit/dbm/model_file.hpp>
#include <pbit/error.hpp>
#include <pbit/graphs/coloring.hpp>
#include <pbit/samplers/ref.hpp>

#include <catch2/catch.hpp>
#include <matio.h>
#include <nlohmann/json.hpp>

#include "dbm_toys.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

using namespace pbit;
using namespace pbit::test;
using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// A trained labelled toy: the columns toy on chimera:2, a few epochs.
dbm::Checkpoint trained_toy() {
  const data::Dataset d = columns_toy();
  auto cfg = bas_config();
  cfg.batch = 8;
  cfg.chains = 8 * 8;
  cfg.lr = 0.05;
  cfg.epochs = 3;
  cfg.cond_weight = 1.0;
  auto sampler = make_ref_sampler();
  dbm::Trainer t(dbm::Model(bas_arch("chimera:2", 2), fine_spec(), 1.0), cfg, *sampler, d);
  t.set_dataset_name("idx:columns");
  t.set_data_description("columns toy: 112 images");
  run_epochs(t, 3);
  return t.checkpoint();
}

double accuracy_of(const dbm::Checkpoint& ck) {
  const dbm::Model m = dbm::model_from_checkpoint(ck);
  auto sampler = make_ref_sampler();
  dbm::ClassifyConfig cc;
  cc.burn_in = 10;
  cc.reads = 10;
  cc.replicas = 2;
  cc.threads = 1;
  cc.readout = dbm::Readout::Field;
  return dbm::classify(m, *sampler, columns_toy(), cc).accuracy;
}

// The same model in every respect the samplers see.
void check_same_model(const dbm::Checkpoint& a, const dbm::Checkpoint& b) {
  const dbm::Model ma = dbm::model_from_checkpoint(a), mb = dbm::model_from_checkpoint(b);
  REQUIRE(ma.num_nodes() == mb.num_nodes());
  REQUIRE(ma.num_edges() == mb.num_edges());
  CHECK(ma.weights().J == mb.weights().J);
  CHECK(ma.weights().h == mb.weights().h);
  CHECK(ma.placement().pixels == mb.placement().pixels);
  CHECK(ma.placement().labels == mb.placement().labels);
  CHECK(ma.beta() == mb.beta());
  CHECK(graphs::best_coloring(ma.graph()).color == graphs::best_coloring(mb.graph()).color);
}

std::string scratch(const std::string& name) {
  const fs::path dir = fs::path(PBIT_BINARY_DIR) / "tests" / ("model_file." + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / name).string();
}

// Writes MATLAB variables with matio directly (as MATLAB's own save would),
// independent of the project's writer.
struct MatWriter {
  mat_t* f;
  explicit MatWriter(const std::string& path) : f(Mat_CreateVer(path.c_str(), nullptr, MAT_FT_MAT5)) { REQUIRE(f); }
  ~MatWriter() { Mat_Close(f); }
  void dense(const std::string& name, std::size_t rows, std::size_t cols, std::vector<double> colmajor) {
    std::size_t dims[2] = {rows, cols};
    matvar_t* v = Mat_VarCreate(name.c_str(), MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, colmajor.data(), 0);
    REQUIRE(v);
    REQUIRE(Mat_VarWrite(f, v, MAT_COMPRESSION_NONE) == 0);
    Mat_VarFree(v);
  }
  void int32_row(const std::string& name, std::vector<std::int32_t> values) {
    std::size_t dims[2] = {1, values.size()};
    matvar_t* v = Mat_VarCreate(name.c_str(), MAT_C_INT32, MAT_T_INT32, 2, dims, values.data(), 0);
    REQUIRE(v);
    REQUIRE(Mat_VarWrite(f, v, MAT_COMPRESSION_ZLIB) == 0);
    Mat_VarFree(v);
  }
};

// A hand-made MATLAB-style model of the columns toy on 13 nodes: pixel nodes
// 1..9 (column-major image order), label copy 1 = nodes 10 (class 0) and 11
// (class 1), label copy 2 = nodes 12, 13. Each label node is coupled to the
// three pixels of its class's column, so the class is readable from the
// image by construction.
struct HandModel {
  std::size_t n = 13;
  std::vector<double> J = std::vector<double>(13 * 13, 0.0);
  std::vector<double> h = std::vector<double>(13, 0.0);
  void couple(std::size_t i, std::size_t j, double v) {  // 1-based
    J[(j - 1) * n + (i - 1)] = v;
    J[(i - 1) * n + (j - 1)] = v;
  }
  HandModel() {
    // Column-major pixel k (1-based) is image (row (k-1)%3, col (k-1)/3):
    // nodes 1..3 = column 0, 7..9 = column 2.
    for (std::size_t copy : {0u, 2u}) {
      for (std::size_t k : {1u, 2u, 3u}) couple(10 + copy, k, 1.5), couple(11 + copy, k, -1.5);
      for (std::size_t k : {7u, 8u, 9u}) couple(11 + copy, k, 1.5), couple(10 + copy, k, -1.5);
    }
  }
  void write(const std::string& path) const {
    MatWriter w(path);
    w.dense("Jout", n, n, J);
    w.dense("hout", 1, n, h);
    w.int32_row("index_visible", {1, 2, 3, 4, 5, 6, 7, 8, 9});
    w.int32_row("index_sticker1", {10, 11});
    w.int32_row("index_sticker2", {12, 13});
  }
  dbm::MatNames names(const std::string& path) const {
    dbm::MatNames m;
    m.file = path;
    m.J = "Jout";
    m.h = "hout";
    m.labels = {"index_sticker1", "index_sticker2"};
    m.rows = m.cols = 3;
    return m;
  }
};

}  // namespace

TEST_CASE("model files: JSON round trip of a trained model", "[model]") {
  const dbm::Checkpoint ck = trained_toy();
  const dbm::ModelFile m = dbm::model_file_from(ck);
  CHECK(m.graph == "chimera:2,2,4");
  CHECK(m.method == "boltzmann");
  CHECK(m.data == "columns toy: 112 images");
  CHECK(m.couplings.size() == 80);  // every edge of chimera:2
  const std::string path = scratch("toy.json");
  dbm::write_model_json(path, m);
  const dbm::Checkpoint back = dbm::checkpoint_from(dbm::read_model_json(path), NumericSpec{});
  check_same_model(ck, back);
  CHECK(back.spec.weight_bits == ck.spec.weight_bits);
  CHECK(back.spec.lut_depth == ck.spec.lut_depth);
  CHECK(dbm::checkpoint_method(back) == "boltzmann");
  CHECK(back.dataset == "idx:columns");
  // The file is the documented format.
  std::ifstream in(path);
  const auto j = nlohmann::json::parse(in);
  CHECK(j["format"] == "pbit-model");
  CHECK(j["pixels"].size() == 9);
  CHECK(j["labels"].size() == 4);
  CHECK(accuracy_of(back) == accuracy_of(ck));
}

TEST_CASE("model files: .mat round trip, as the same graph and as a coupling pattern", "[model]") {
  const dbm::Checkpoint ck = trained_toy();
  const dbm::ModelFile m = dbm::model_file_from(ck);
  const std::string path = scratch("toy.mat");
  dbm::MatNames names;
  names.file = path;
  names.rows = names.cols = 3;
  names.colors = "colors";
  names.beta = "beta";
  names.labels = dbm::default_label_names(2);
  dbm::write_model_mat(m, names);

  // Nodes read as chimera:2's compact indices: the same model, bit for bit.
  dbm::MatNames as_graph = names;
  as_graph.graph = "chimera:2";
  dbm::ModelFile mg = dbm::read_model_mat(as_graph);
  mg.spec = ck.spec;
  const dbm::Checkpoint back = dbm::checkpoint_from(mg, NumericSpec{});
  check_same_model(ck, back);
  CHECK(dbm::checkpoint_method(back) == "unknown");  // a .mat file does not say
  CHECK(accuracy_of(back) == accuracy_of(ck));

  // Only the coupling pattern (a file: graph, labels 0..N-1) with the exported
  // colouring: the edges with non-zero couplings, the same phases.
  dbm::ModelFile mf = dbm::read_model_mat(names);
  mf.spec = ck.spec;
  CHECK(mf.graph == "file:toy.mat");
  const dbm::Checkpoint pat = dbm::checkpoint_from(mf, NumericSpec{});
  const dbm::Model pm = dbm::model_from_checkpoint(pat), om = dbm::model_from_checkpoint(ck);
  std::size_t nonzero = 0;
  for (double j : ck.J) nonzero += j != 0;
  CHECK(pm.num_edges() == nonzero);
  CHECK(graphs::best_coloring(pm.graph()).method == "given");
  CHECK(graphs::best_coloring(pm.graph()).color == graphs::best_coloring(om.graph()).color);
  CHECK(pm.placement().pixels == om.placement().pixels);
  CHECK(accuracy_of(pat) == accuracy_of(ck));  // zero couplings change nothing the sampler computes

  // Exported again from the imported checkpoint: the same file content.
  const std::string again = scratch("again.mat");
  names.file = again;
  dbm::MatNames names2 = names;
  dbm::write_model_mat(dbm::model_file_from(back), names2);
  dbm::MatNames read2 = as_graph;
  read2.file = again;
  const dbm::ModelFile m2 = dbm::read_model_mat(read2);
  CHECK(m2.couplings == mg.couplings);
  CHECK(m2.h == mg.h);
  CHECK(m2.pixels == mg.pixels);
  CHECK(m2.labels == mg.labels);
}

TEST_CASE("model files: a MATLAB-style model written by matio imports and classifies", "[model]") {
  const HandModel hm;
  const std::string path = scratch("hand.mat");
  hm.write(path);
  // Colours as the published code reads them: a CSV column, 1-based.
  const std::string csv = scratch("colors.csv");
  {
    std::ofstream c(csv);
    for (int i = 0; i < 9; ++i) c << "1\n";
    for (int i = 0; i < 4; ++i) c << "2\n";
  }
  dbm::MatNames names = hm.names(path);
  names.colors = csv;
  dbm::ModelFile m = dbm::read_model_mat(names);
  CHECK(m.nodes.size() == 13);
  CHECK(m.couplings.size() == 24);
  CHECK(m.classes == 2);
  CHECK(m.label_copies == 2);
  // Pixel (row 0, col 2) is column-major entry 7 -> node 7 -> label 6.
  CHECK(m.pixels[0 * 3 + 2] == 6);
  CHECK(m.pixels[2 * 3 + 0] == 2);
  // Label bit class * copies + copy: class 1 copy 1 is node 13 -> label 12.
  CHECK(m.labels[1 * 2 + 1] == 12);
  m.dataset = "idx:columns";
  const dbm::Checkpoint ck = dbm::checkpoint_from(m, fine_spec());
  const dbm::Model model = dbm::model_from_checkpoint(ck);
  CHECK(graphs::best_coloring(model.graph()).num_colors == 2);
  CHECK(accuracy_of(ck) == 1.0);
}

TEST_CASE("model files: bad .mat files are clear errors", "[model]") {
  const HandModel good;
  const std::string path = scratch("bad.mat");
  auto import_with = [&](const std::function<void(HandModel&, MatWriter&)>& edit, dbm::MatNames names) {
    fs::remove(path);
    {
      HandModel hm = good;
      MatWriter w(path);
      edit(hm, w);
    }
    names.file = path;
    return error_of([&] { (void)dbm::checkpoint_from(dbm::read_model_mat(names), fine_spec()); });
  };
  const dbm::MatNames names = good.names(path);
  auto all_but = [&](const std::string& skip) {
    return [skip](HandModel& hm, MatWriter& w) {
      if (skip != "J") w.dense("Jout", hm.n, hm.n, hm.J);
      if (skip != "h") w.dense("hout", 1, hm.n, hm.h);
      if (skip != "pixels") w.int32_row("index_visible", {1, 2, 3, 4, 5, 6, 7, 8, 9});
      w.int32_row("index_sticker1", {10, 11});
      w.int32_row("index_sticker2", {12, 13});
    };
  };
  CHECK_THAT(import_with(all_but("h"), names), Contains("hout: no such variable"));
  CHECK_THAT(import_with(all_but("J"), names), Contains("Jout: no such variable"));
  CHECK_THAT(import_with(
                 [&](HandModel& hm, MatWriter& w) {
                   hm.J[1 * hm.n + 0] = 0.75;  // (1,2) but not (2,1)
                   all_but("")(hm, w);
                 },
                 names),
             Contains("is not symmetric"));
  CHECK_THAT(import_with(
                 [&](HandModel& hm, MatWriter& w) {
                   hm.J[0] = 1;
                   all_but("")(hm, w);
                 },
                 names),
             Contains("diagonal must be zero"));
  CHECK_THAT(import_with(
                 [&](HandModel& hm, MatWriter& w) {
                   hm.J[2 * hm.n + 3] = hm.J[3 * hm.n + 2] = std::nan("");
                   all_but("")(hm, w);
                 },
                 names),
             Contains("is not finite"));
  CHECK_THAT(import_with(
                 [&](HandModel& hm, MatWriter& w) {
                   hm.h[4] = std::nan("");
                   all_but("")(hm, w);
                 },
                 names),
             Contains("hout(5) is not finite"));
  CHECK_THAT(import_with(
                 [&](HandModel& hm, MatWriter& w) {
                   w.dense("Jout", hm.n, hm.n - 1, std::vector<double>(hm.n * (hm.n - 1), 0.0));
                   all_but("J")(hm, w);
                 },
                 names),
             Contains("expected a square coupling matrix"));
  CHECK_THAT(import_with(
                 [&](HandModel& hm, MatWriter& w) {
                   w.dense("hout", 1, hm.n - 2, std::vector<double>(hm.n - 2, 0.0));
                   all_but("h")(hm, w);
                 },
                 names),
             Contains("11 fields for the 13 nodes"));
  CHECK_THAT(import_with(
                 [&](HandModel& hm, MatWriter& w) {
                   w.int32_row("index_visible", {1, 2, 3, 4, 5, 6, 7, 8, 14});
                   all_but("pixels")(hm, w);
                 },
                 names),
             Contains("entry 9 is 14, not a node index in 1..13"));
  CHECK_THAT(import_with(
                 [&](HandModel& hm, MatWriter& w) {
                   w.int32_row("index_visible", {1, 2, 3, 4, 5, 6, 7, 8});
                   all_but("pixels")(hm, w);
                 },
                 names),
             Contains("8 pixel nodes for a 3 x 3 image"));
  CHECK_THAT(import_with(
                 [&](HandModel& hm, MatWriter& w) {
                   w.int32_row("index_visible", {1, 2, 3, 4, 5, 6, 7, 8, 10});
                   all_but("pixels")(hm, w);
                 },
                 names),
             Contains("used twice"));
  // Colours that are not a proper colouring of the coupling pattern.
  dbm::MatNames colored = names;
  colored.colors = scratch("flat.csv");
  {
    std::ofstream c(colored.colors);
    for (int i = 0; i < 13; ++i) c << "1,";
  }
  CHECK_THAT(import_with(all_but(""), colored), Contains("not proper"));
  // Sizes a file declares but does not hold: libmatio would allocate and
  // zero them (4 GB for a 2 KB file) before finding the data missing.
  {
    auto patched = [&](bool grow_matrix) {
      fs::remove(path);
      {
        HandModel hm = good;
        MatWriter w(path);
        all_but("")(hm, w);
      }
      std::string bytes;
      {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
      }
      auto u32 = [](std::uint32_t x) { return std::string(reinterpret_cast<const char*>(&x), 4); };
      // Jout is written first and uncompressed: its data element is miDOUBLE (9), 13 x 13 x 8 bytes.
      const auto at = bytes.find(u32(9) + u32(13 * 13 * 8));
      REQUIRE(at != std::string::npos);
      bytes.replace(at + 4, 4, u32(0xF0000000u));
      if (grow_matrix) bytes.replace(128 + 4, 4, u32(0xF8000000u));  // Jout's miMATRIX tag
      std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
      dbm::MatNames n = names;
      n.file = path;
      return error_of([&] { (void)dbm::read_model_mat(n); });
    };
    CHECK_THAT(patched(false), Contains("not a valid .mat file (a data element declares 4026531840 bytes, its matrix has"));
    CHECK_THAT(patched(true), Contains("not a valid .mat file (a data element declares 4026531840 bytes that the file does not hold)"));
    // A MAT v4 file (no 128-byte header) declaring a 65536 x 4096 double
    // matrix in 40 bytes: libmatio allocated its 2 GB (found by fuzzing).
    fs::remove(path);
    {
      auto u32 = [](std::uint32_t x) { return std::string(reinterpret_cast<const char*>(&x), 4); };
      std::ofstream(path, std::ios::binary) << u32(0) + u32(65536) + u32(4096) + u32(0) + u32(5) + std::string("Jout\0", 5) +
                                                    std::string(15, '\0');
    }
    dbm::MatNames n = names;
    n.file = path;
    CHECK_THAT(error_of([&] { (void)dbm::read_model_mat(n); }),
               Contains("MAT v4 matrix 1 declares 65536 x 4096 elements and a 5-byte name that the file does not hold"));
  }
  // Not a .mat file at all, and a missing one.
  {
    std::ofstream junk(path);
    junk << "this is not a MAT-file";
  }
  dbm::MatNames junk_names = names;
  CHECK_THAT(error_of([&] { (void)dbm::read_model_mat(junk_names); }), Contains("not a MATLAB .mat file"));
  junk_names.file = scratch("missing.mat");
  CHECK_THAT(error_of([&] { (void)dbm::read_model_mat(junk_names); }), Contains("no such file"));
}

TEST_CASE("model files: bad JSON models are clear errors", "[model]") {
  const dbm::ModelFile good = dbm::model_file_from(trained_toy());
  const std::string path = scratch("bad.json");
  auto import_with = [&](const std::function<void(nlohmann::json&)>& edit) {
    dbm::write_model_json(path, good);
    nlohmann::json j;
    {
      std::ifstream in(path);
      j = nlohmann::json::parse(in);
    }
    edit(j);
    std::ofstream(path) << j.dump();
    return error_of([&] { (void)dbm::checkpoint_from(dbm::read_model_json(path), NumericSpec{}); });
  };
  CHECK_THAT(import_with([](nlohmann::json& j) { j["format"] = "other"; }), Contains("not a pbit model file"));
  CHECK_THAT(import_with([](nlohmann::json& j) { j.erase("fields"); }), Contains("fields"));
  CHECK_THAT(import_with([](nlohmann::json& j) { j["couplings"][0][2] = "x"; }), Contains("coupling must be a number"));
  CHECK_THAT(import_with([](nlohmann::json& j) { j["couplings"].push_back(j["couplings"][0]); }), Contains("given twice"));
  CHECK_THAT(import_with([](nlohmann::json& j) { j["couplings"][0][1] = 1000; }), Contains("is not a node"));
  CHECK_THAT(import_with([](nlohmann::json& j) { j["pixels"][0] = 18446744073709551615ull; }), Contains("out of range"));
  CHECK_THAT(import_with([](nlohmann::json& j) { j["pixels"].erase(0); }), Contains("8 pixel nodes given"));
  CHECK_THAT(import_with([](nlohmann::json& j) { j["beta"] = -1; }), Contains("beta must be finite and > 0"));
  CHECK_THAT(import_with([](nlohmann::json& j) { j["training"]["method"] = "magic"; }), Contains("expected boltzmann"));
  CHECK_THAT(import_with([](nlohmann::json& j) {
               // The two ends of the first coupling get one colour (nodes are chimera's labels 0..31).
               const auto u = j["couplings"][0][0].get<std::size_t>(), v = j["couplings"][0][1].get<std::size_t>();
               j["colors"][v] = j["colors"][u];
             }),
             Contains("not proper"));
  CHECK_THAT(import_with([](nlohmann::json& j) { j["spec"]["weight_bits"] = 40; }), Contains("weight"));
}

TEST_CASE("cli: model export, import and eval agree, bad imports exit 1", "[model][cli]") {
  const std::string dir = scratch("cli");
  fs::remove_all(dir);
  const std::string idx = columns_idx_dir();
  auto r = pbit_cli("train --dataset idx:" + idx + " --graph chimera:2 --classes 2 --label-copies 2 --recipe published"
                    " --batch 8 --chains 64 --lr 0.05 --init-std 0.1 --threads 1 --weight-bits 12 --frac-bits 8"
                    " --sum-bits 14 --lut-depth 4096 --monitor-images 0 --samples-per-class 0 --epochs 2 --out " + dir +
                    "/trained");
  INFO(r.err);
  REQUIRE(r.code == 0);
  const std::string eval = " --threads 1 --replicas 2 --json";
  r = pbit_cli("eval --model " + dir + "/trained" + eval);
  REQUIRE(r.code == 0);
  const auto base = nlohmann::json::parse(r.out);
  CHECK(base["method"] == "boltzmann");

  REQUIRE(pbit_cli("model export --model " + dir + "/trained --out " + dir + "/m.json").code == 0);
  REQUIRE(pbit_cli("model export --model " + dir + "/trained --out " + dir + "/m.mat --colors colors").code == 0);
  r = pbit_cli("model import " + dir + "/m.json --out " + dir + "/from_json --json");
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["method"] == "boltzmann");
  r = pbit_cli("model import --mat " + dir + "/m.mat --J J --h h --labels index_sticker1,index_sticker2 --rows 3 --cols 3"
               " --graph chimera:2 --weight-bits 12 --frac-bits 8 --sum-bits 14 --lut-depth 4096 --method boltzmann"
               " --dataset idx:" + idx + " --out " + dir + "/from_mat --json");
  INFO(r.err);
  REQUIRE(r.code == 0);
  for (const char* m : {"from_json", "from_mat"}) {
    r = pbit_cli("eval --model " + dir + "/" + m + eval);
    INFO(m << ": " << r.err);
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["accuracy"] == base["accuracy"]);
    CHECK(j["confusion"] == base["confusion"]);
    CHECK(j["method"] == "boltzmann");
  }
  // Bad input: one error line naming the problem, exit status 1.
  r = pbit_cli("model import --mat " + dir + "/m.mat --J nosuch --out " + dir + "/bad");
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("nosuch: no such variable"));
  r = pbit_cli("model import " + dir + "/missing.json --out " + dir + "/bad");
  CHECK(r.code == 1);
  r = pbit_cli("model export --model " + dir + "/trained --out " + dir + "/m.txt");
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("give --format json|mat"));
  r = pbit_cli("eval --model " + dir + "/trained --protocol nonsense");
  CHECK(r.code == 1);
}

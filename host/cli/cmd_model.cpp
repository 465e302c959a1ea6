// `pbit model export|import|info`: DBM models in open formats (JSON, MATLAB
// .mat) in and out of the project (host/include/pbit/dbm/model_file.hpp).
#include "cli.hpp"

#include <pbit/data/io.hpp>
#include <pbit/dbm/model_file.hpp>
#include <pbit/dbm/trainer.hpp>
#include <pbit/error.hpp>
#include <pbit/graphs/coloring.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace pbit::cli {
namespace {

namespace fs = std::filesystem;

std::string format_of(const std::string& path, const std::string& given) {
  if (!given.empty()) {
    if (given != "json" && given != "mat" && given != "problem")
      throw Error("--format must be json, mat or problem (got '" + given + "')");
    return given;
  }
  const std::string ext = fs::path(path).extension().string();
  if (ext == ".mat") return "mat";
  if (ext == ".json") return "json";
  throw Error(path + ": give --format json|mat (the file name ends in neither .json nor .mat)");
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (const auto& x : out)
    if (x.empty()) throw Error("empty name in the list '" + s + "'");
  return out;
}

// Variable-name options shared by export and import (.mat).
struct MatOptions {
  dbm::MatNames names;
  std::string labels;
  void add_to(CLI::App& sub, bool reading) {
    const std::string where = reading ? " ([FILE:]NAME)" : "";
    sub.add_option("--J", names.J, "couplings: N x N symmetric matrix" + where)->capture_default_str();
    sub.add_option("--h", names.h, "fields: 1 x N vector" + where)->capture_default_str();
    sub.add_option("--pixels", names.pixels, "pixel node indices, 1-based, column-major (MATLAB xx(:))" + where)
        ->capture_default_str();
    sub.add_option("--labels", labels,
                   "label copies: comma-separated variables, one per copy, each the class nodes (1-based) in class "
                   "order" + where + " (default index_sticker1..K)");
    sub.add_option("--colors", names.colors,
                   reading ? "colour per node: a variable ([FILE:]NAME) or a .csv file (checked to be proper)"
                           : "also write the colouring (1-based) as this variable");
    sub.add_option("--beta-var", names.beta, reading ? "beta: a scalar variable ([FILE:]NAME)" : "also write beta as this variable");
    sub.add_flag("--row-major-pixels", names.row_major_pixels, "the pixel vector is in row-major order (default: column-major)");
  }
  dbm::MatNames resolved(const std::string& file, int copies) const {
    dbm::MatNames n = names;
    n.file = file;
    n.labels = labels.empty() ? dbm::default_label_names(copies) : split_commas(labels);
    return n;
  }
};

// ---- export ----
struct ExportArgs {
  std::string model, out, format;
  MatOptions mat;
  bool json = false;
};

int run_export(ExportArgs& a) {
  const std::string path = checkpoint_path(a.model);
  const dbm::Checkpoint ck = dbm::load_checkpoint(path);
  const dbm::ModelFile m = dbm::model_file_from(ck);
  const std::string format = format_of(a.out, a.format);
  if (format == "json") {
    dbm::write_model_json(a.out, m);
  } else if (format == "problem") {
    // The model as a plain Ising problem for `pbit sample --problem`; a graph
    // that is only a coupling pattern is rebuilt from the couplings there.
    const dbm::Model model = dbm::model_from_checkpoint(ck);
    auto doc = nlohmann::json::parse(problem_to_json(model.weights()));
    if (model.graph().family() == graphs::Family::File) doc.erase("graph");
    const std::string text = doc.dump() + "\n";
    data::write_file_atomic(a.out, text.data(), text.size());
  } else {
    dbm::MatNames names = a.mat.resolved(a.out, m.label_copies);
    dbm::write_model_mat(m, names);
  }
  if (a.json) {
    print_json({{"model", path}, {"out", a.out}, {"format", format}, {"nodes", m.nodes.size()},
                {"couplings", m.couplings.size()}, {"method", m.method}, {"data", m.data}});
  } else {
    std::fprintf(stderr, "wrote %s (%s): %zu nodes, %zu couplings, %d x %d pixels, %d classes x %d copies; %s-trained\n",
                 a.out.c_str(), format.c_str(), m.nodes.size(), m.couplings.size(), m.rows, m.cols, m.classes,
                 m.label_copies, m.method.c_str());
  }
  return 0;
}

// ---- import ----
struct ImportArgs {
  std::string file, mat_file, format, out, graph, dataset, method, data;
  double beta = 0;
  int rows = 28, cols = 28;
  MatOptions mat;
  SpecOptions spec;
  bool json = false;
  CLI::App* sub = nullptr;
};

int run_import(ImportArgs& a) {
  if (a.file.empty() == a.mat_file.empty()) throw Error("give a model file (JSON) or --mat FILE, not both");
  dbm::ModelFile m;
  std::string source;
  if (!a.file.empty()) {
    source = a.file;
    if (format_of(a.file, a.format) == "mat") {
      a.mat_file = a.file;
    } else {
      m = dbm::read_model_json(a.file);
    }
  }
  if (!a.mat_file.empty()) {
    source = a.mat_file;
    dbm::MatNames names = a.mat.resolved(a.mat_file, 5);
    names.rows = a.rows;
    names.cols = a.cols;
    names.graph = a.graph;
    m = dbm::read_model_mat(names);
  } else if (!a.graph.empty()) {
    throw Error("--graph is for .mat imports (a JSON model names its graph)");
  }
  auto given = [&](const char* name) { return a.sub->get_option(name)->count() > 0; };
  if (given("--beta")) {
    if (!std::isfinite(a.beta) || a.beta <= 0) throw Error("--beta must be finite and > 0");
    m.beta = a.beta;
  }
  if (given("--dataset")) m.dataset = a.dataset;
  if (given("--method")) m.method = a.method;
  if (given("--data")) m.data = a.data;
  m.spec = a.spec.override_given(m.spec ? *m.spec : dbm::import_default_spec(), *a.sub);
  dbm::Checkpoint ck = dbm::checkpoint_from(m, dbm::import_default_spec());
  ck.source = fs::absolute(source).lexically_normal().string();

  std::error_code ec;
  fs::create_directories(a.out, ec);
  if (ec) throw Error(a.out + ": cannot create the model directory: " + ec.message());
  const std::string ck_file = (fs::path(a.out) / "checkpoint.pbit").string();
  dbm::save_checkpoint(ck_file, ck);

  const dbm::Model model = dbm::model_from_checkpoint(ck);
  const auto& g = model.graph();
  std::size_t nonzero = 0;
  for (double j : ck.J) nonzero += j != 0;
  const int colours = graphs::best_coloring(g).num_colors;
  if (a.json) {
    print_json({{"out", ck_file}, {"source", source}, {"graph", g.spec()}, {"nodes", g.num_nodes()},
                {"edges", g.num_edges()}, {"nonzero_couplings", nonzero}, {"pixels", model.arch().num_pixels()},
                {"classes", model.arch().classes}, {"label_copies", model.arch().label_copies},
                {"hidden", model.placement().hidden.size()}, {"beta", model.beta()},
                {"spec", a.spec.to_json(model.spec())}, {"method", dbm::checkpoint_method(ck)}, {"data", ck.data},
                {"given_colors", !m.colors.empty()}, {"colors", colours}});
  } else {
    std::fprintf(stderr,
                 "imported %s -> %s\n  graph %s: %zu nodes, %zu edges (%zu non-zero couplings), %d colours%s\n"
                 "  %d pixels, %d classes x %d label copies, %zu hidden; beta %g\n"
                 "  spec: %d-bit weights, %d fraction bits, %d-bit sums, LUT %d x %d bits\n  method: %s%s%s\n",
                 source.c_str(), ck_file.c_str(), g.spec().c_str(), g.num_nodes(), g.num_edges(), nonzero, colours,
                 m.colors.empty() ? "" : " (the given colouring is proper)", model.arch().num_pixels(),
                 model.arch().classes, model.arch().label_copies, model.placement().hidden.size(), model.beta(),
                 model.spec().weight_bits, model.spec().frac_bits, model.spec().sum_bits, model.spec().lut_depth,
                 model.spec().lut_bits, dbm::checkpoint_method(ck).c_str(), ck.data.empty() ? "" : "; data: ",
                 ck.data.c_str());
  }
  return 0;
}

}  // namespace

Command add_model_command(CLI::App& app) {
  auto* sub = app.add_subcommand("model", "DBM models in open formats: export to / import from JSON and MATLAB .mat");
  sub->require_subcommand(1);

  auto ex = std::make_shared<ExportArgs>();
  auto* e = sub->add_subcommand("export", "Write a trained or imported model as JSON or MATLAB .mat (v5)");
  e->add_option("--model", ex->model, "checkpoint file or run directory")->required();
  e->add_option("--out", ex->out, "output file (.json or .mat)")->required();
  e->add_option("--format", ex->format,
                 "json | mat | problem (the Ising problem for `pbit sample --problem`; give --beta and the spec there) "
                 "(default: from the file name)");
  ex->mat.add_to(*e, false);
  e->add_flag("--json", ex->json, "print one JSON document on stdout");
  e->footer("The .mat layout is the published p-bit DBM code's: J (sparse N x N, symmetric), h (1 x N), the pixels'\n"
            "node indices (1-based, column-major), one index vector per label copy; MATLAB node n is the model's\n"
            "node of compact index n - 1 (ascending node label).");

  auto im = std::make_shared<ImportArgs>();
  auto* i = sub->add_subcommand("import", "Read a model (JSON, or MATLAB .mat variables) into a model directory");
  im->sub = i;
  i->add_option("file", im->file, "model file: .json (pbit-model) or .mat");
  i->add_option("--mat", im->mat_file, "default .mat file of the variables (each may also be FILE:NAME)");
  i->add_option("--out", im->out, "model directory to write (checkpoint.pbit)")->required();
  i->add_option("--format", im->format, "json | mat (default: from the file name)");
  i->add_option("--graph", im->graph,
                ".mat: the nodes are this graph's, in compact-index order (default: the coupling pattern, a file: graph)");
  i->add_option("--rows", im->rows, ".mat: image rows")->capture_default_str()->check(CLI::Range(1, 4096));
  i->add_option("--cols", im->cols, ".mat: image columns")->capture_default_str()->check(CLI::Range(1, 4096));
  i->add_option("--dataset", im->dataset, "dataset to evaluate on by default (mnist, fashion, idx:DIR)");
  i->add_option("--method", im->method, "how the weights were trained: boltzmann | hybrid | unknown");
  i->add_option("--data", im->data, "the training data in words");
  i->add_option("--beta", im->beta, "inverse temperature (default: the file's, else 1)");
  im->mat.add_to(*i, true);
  im->spec.add_to(*i);
  i->add_flag("--json", im->json, "print one JSON document on stdout");
  i->footer("Without a spec in the file or on the command line, imports use 12-bit weights with 7 fraction bits,\n"
            "14-bit sums and a 1,024-entry LUT (weights trained in double precision need more than 6 bits).");

  auto run = [sub, e, i, ex, im]() -> int {
    if (e->parsed()) return run_export(*ex);
    if (i->parsed()) return run_import(*im);
    throw Error("give a model subcommand: export or import");
  };
  return {sub, run};
}

}  // namespace pbit::cli

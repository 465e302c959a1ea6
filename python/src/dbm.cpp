// pbit.Model (trained DBMs: checkpoints), classification, generation, datasets.
#include "common.hpp"

#include <pbit/data/mnist.hpp>
#include <pbit/dbm/evaluate.hpp>
#include <pbit/dbm/model_file.hpp>
#include <pbit/dbm/trainer.hpp>

#include <filesystem>

namespace pbit::python {

namespace {

namespace fs = std::filesystem;

template <class T>
void set_if(py::kwargs& kw, const char* name, T& field) {
  if (!kw.contains(name)) return;
  const py::object v = kw[name];
  PyDict_DelItemString(kw.ptr(), name);
  if (!v.is_none()) field = cast_arg<T>(v, name);
}

py::object pop(py::kwargs& kw, const char* name) {
  if (!kw.contains(name)) return py::none();
  py::object v = kw[name];
  PyDict_DelItemString(kw.ptr(), name);
  return v;
}

// ---------------------------------------------------------------- datasets

py::array_t<std::uint8_t> images_array(const data::Dataset& d) {
  return to_array(d.pixels, {static_cast<py::ssize_t>(d.size()), d.rows, d.cols});
}

// Images [N, rows, cols] or [N, rows * cols] of 0..255 (0/1 and booleans
// work with the default threshold 0), labels [N] or None.
data::Dataset make_dataset(const py::object& images, const py::object& labels, int rows, int cols,
                           int classes) {
  py::array a = py::module_::import("numpy").attr("asarray")(images);
  const auto pixels = static_cast<py::ssize_t>(rows) * cols;
  if (!((a.ndim() == 3 && a.shape(1) == rows && a.shape(2) == cols) ||
        (a.ndim() == 2 && a.shape(1) == pixels)))
    throw Error("images: expected [N, " + std::to_string(rows) + ", " + std::to_string(cols) +
                "] or [N, " + std::to_string(pixels) + "] for this model");
  const auto v = as_int64_vector(a, "images");
  data::Dataset d;
  d.rows = rows;
  d.cols = cols;
  d.name = "images";
  d.pixels.resize(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (v[k] < 0 || v[k] > 255)
      throw Error("images: pixel values are 0..255 (got " + std::to_string(v[k]) + ")");
    d.pixels[k] = static_cast<std::uint8_t>(v[k]);
  }
  const auto n = static_cast<std::size_t>(a.shape(0));
  if (labels.is_none()) {
    d.labels.assign(n, 0);
  } else {
    const auto l = as_int64_vector(labels, "labels");
    if (l.size() != n)
      throw Error("labels: " + std::to_string(l.size()) + " entries for " + std::to_string(n) +
                  " images");
    d.labels.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
      if (l[k] < 0 || l[k] >= classes)
        throw Error("labels: class " + std::to_string(l[k]) + " out of range [0, " +
                    std::to_string(classes) + ")");
      d.labels[k] = static_cast<std::uint8_t>(l[k]);
    }
  }
  return d;
}

// ---------------------------------------------------------------- Model

struct PyModel {
  std::string path;
  dbm::Checkpoint ck;
  std::shared_ptr<const dbm::Model> model;

  // The model with another spec and/or beta (the CLI's --weight-bits ... and --beta).
  std::shared_ptr<const dbm::Model> variant(const py::object& spec, const py::object& beta) const {
    if (spec.is_none() && beta.is_none()) return model;
    dbm::Checkpoint c = ck;
    if (!spec.is_none()) c.spec = spec_or_default(spec);
    if (!beta.is_none()) {
      c.beta = cast_arg<double>(beta, "beta");
      if (!(c.beta > 0) || !std::isfinite(c.beta)) throw Error("beta must be finite and > 0");
    }
    py::gil_scoped_release release;
    return std::make_shared<const dbm::Model>(dbm::model_from_checkpoint(c));
  }
};

std::string extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// MATLAB variable names from keyword arguments (those of `pbit model
// import|export`), defaults from MatNames; label copies default to
// index_sticker1..`copies`.
dbm::MatNames mat_names(const std::string& file, py::kwargs& kw, int copies) {
  dbm::MatNames n;
  n.file = file;
  set_if(kw, "J", n.J);
  set_if(kw, "h", n.h);
  set_if(kw, "pixels", n.pixels);
  set_if(kw, "colors", n.colors);
  set_if(kw, "beta_var", n.beta);
  set_if(kw, "row_major_pixels", n.row_major_pixels);
  set_if(kw, "rows", n.rows);
  set_if(kw, "cols", n.cols);
  set_if(kw, "graph", n.graph);
  if (const py::object l = pop(kw, "labels"); !l.is_none()) {
    n.labels = py::isinstance<py::str>(l)
                   ? std::vector<std::string>{cast_arg<std::string>(l, "labels")}
                   : cast_arg<std::vector<std::string>>(l, "labels");
  } else {
    n.labels = dbm::default_label_names(copies);
  }
  return n;
}

void reject_leftovers(const char* what, const py::kwargs& kw) {
  for (const auto& item : kw)
    throw py::type_error(std::string(what) + ": no option '" + item.first.cast<std::string>() +
                         "'");
}

std::string format_of(const std::string& path, const py::object& format, const char* fallback) {
  if (!format.is_none()) return cast_arg<std::string>(format, "format");
  const std::string ext = extension(path);
  return ext == ".json" ? "json" : ext == ".mat" ? "mat" : fallback;
}

// A checkpoint (file or run directory) as is; a model file (.json, .mat) as
// `pbit model import` reads it, with its options as keywords.
PyModel load_model(const std::string& path, const py::object& format, py::kwargs kw) {
  kw = py::kwargs(py::dict(kw));
  const std::string fmt = format_of(path, format, "checkpoint");
  PyModel m;
  if (fmt == "checkpoint") {
    reject_leftovers("load_model (a checkpoint)", kw);
    std::error_code ec;
    m.path = fs::is_directory(path, ec) ? (fs::path(path) / "checkpoint.pbit").string() : path;
    py::gil_scoped_release release;
    m.ck = dbm::load_checkpoint(m.path);
  } else if (fmt == "json" || fmt == "mat") {
    const py::object spec = pop(kw, "spec"), beta = pop(kw, "beta");
    const py::object dataset = pop(kw, "dataset"), method = pop(kw, "method"),
                     data = pop(kw, "data");
    dbm::ModelFile mf;
    if (fmt == "json") {
      reject_leftovers("load_model (a JSON model)", kw);
      py::gil_scoped_release release;
      mf = dbm::read_model_json(path);
    } else {
      // As `pbit model import`: five label copies unless named.
      const dbm::MatNames names = mat_names(path, kw, 5);
      reject_leftovers("load_model (a .mat model)", kw);
      py::gil_scoped_release release;
      mf = dbm::read_model_mat(names);
    }
    if (!beta.is_none()) {
      mf.beta = cast_arg<double>(beta, "beta");
      if (!std::isfinite(mf.beta) || mf.beta <= 0) throw Error("beta must be finite and > 0");
    }
    if (!dataset.is_none()) mf.dataset = cast_arg<std::string>(dataset, "dataset");
    if (!method.is_none()) mf.method = cast_arg<std::string>(method, "method");
    if (!data.is_none()) mf.data = cast_arg<std::string>(data, "data");
    if (!spec.is_none()) mf.spec = spec_or_default(spec);
    if (!mf.spec) mf.spec = dbm::import_default_spec();
    m.path = path;
    py::gil_scoped_release release;
    m.ck = dbm::checkpoint_from(mf, dbm::import_default_spec());
    m.ck.source = fs::absolute(path).lexically_normal().string();
  } else {
    throw Error("format must be 'checkpoint', 'json' or 'mat' (got '" + fmt + "')");
  }
  py::gil_scoped_release release;
  m.model = std::make_shared<const dbm::Model>(dbm::model_from_checkpoint(m.ck));
  return m;
}

// `pbit model export`: JSON or MATLAB .mat (variable names as keywords).
void export_model(const PyModel& pm, const std::string& path, const py::object& format,
                  py::kwargs kw) {
  kw = py::kwargs(py::dict(kw));
  const std::string fmt = format_of(path, format, "");
  const dbm::ModelFile mf = dbm::model_file_from(pm.ck);
  if (fmt == "json") {
    reject_leftovers("export (JSON)", kw);
    py::gil_scoped_release release;
    dbm::write_model_json(path, mf);
  } else if (fmt == "mat") {
    const dbm::MatNames names = mat_names(path, kw, mf.label_copies);
    reject_leftovers("export (.mat)", kw);
    py::gil_scoped_release release;
    dbm::write_model_mat(mf, names);
  } else {
    throw Error(path +
                ": give format='json' or 'mat' (the file name ends in neither .json nor .mat; "
                "model.problem.write() gives the Ising problem)");
  }
}

struct ClassifyOut {
  std::size_t images = 0;
  py::object accuracy = py::none();
  py::array predictions, sweeps;
  py::object confusion, accuracy_by_reads;  // None without labels
  double seconds = 0;
};

// Pops the classification options from kw into cfg (eval's defaults for the rest).
dbm::ClassifyConfig classify_config(py::kwargs& kw, const dbm::Checkpoint& ck) {
  // protocol="published": the published readout fills what is not given (pbit eval --protocol).
  std::string protocol = "default";
  set_if(kw, "protocol", protocol);
  if (protocol != "default" && protocol != "published")
    throw Error("protocol must be 'default' or 'published' (got '" + protocol + "')");
  dbm::ClassifyConfig cfg =
      protocol == "published" ? dbm::published_readout() : dbm::eval_defaults();
  cfg.binarize_threshold = ck.config.binarize_threshold;
  set_if(kw, "replicas", cfg.replicas);
  set_if(kw, "burn_in", cfg.burn_in);
  set_if(kw, "reads", cfg.reads);
  set_if(kw, "read_every", cfg.read_every);
  set_if(kw, "chunk", cfg.chunk);
  set_if(kw, "seed", cfg.seed);
  set_if(kw, "threads", cfg.threads);
  set_if(kw, "binarize_threshold", cfg.binarize_threshold);
  std::string readout = dbm::to_string(cfg.readout);
  set_if(kw, "readout", readout);
  cfg.readout = dbm::parse_readout(readout);
  if (kw.contains("anneal")) {
    const py::object a = kw["anneal"];
    PyDict_DelItemString(kw.ptr(), "anneal");
    if (py::isinstance<py::str>(a))
      cfg.anneal = dbm::parse_beta_schedule(cast_arg<std::string>(a, "anneal"));
    else if (!a.is_none())
      cfg.anneal = as_finite_vector(a, "anneal");
  }
  cfg.validate();
  return cfg;
}

ClassifyOut classify(const PyModel& pm, const data::Dataset& d, bool labelled, py::kwargs kw) {
  kw = py::kwargs(py::dict(kw));
  const auto model = pm.variant(pop(kw, "spec"), pop(kw, "beta"));
  if (model->arch().classes == 0)
    throw Error(pm.path + ": the model has no label units: nothing to classify");
  const dbm::ClassifyConfig cfg = classify_config(kw, pm.ck);
  const py::object backend = pop(kw, "backend");
  auto sampler =
      make_backend_for(backend.is_none() ? "ref" : cast_arg<std::string>(backend, "backend"), kw);
  bool interrupted = false;
  dbm::ClassifyResult res;
  {
    py::gil_scoped_release release;
    res = dbm::classify(*model, *sampler, d, cfg, [&](std::size_t, std::size_t) {
      py::gil_scoped_acquire acquire;
      interrupted = PyErr_CheckSignals() != 0;
      return !interrupted;
    });
  }
  if (interrupted) throw py::error_already_set();
  ClassifyOut out;
  out.images = res.images;
  if (labelled) out.accuracy = py::float_(res.accuracy);
  out.predictions = to_array(res.predictions);
  const auto K = res.confusion.size();
  std::vector<int> conf;
  for (const auto& row : res.confusion) conf.insert(conf.end(), row.begin(), row.end());
  out.confusion =
      labelled
          ? py::object(to_array(conf, {static_cast<py::ssize_t>(K), static_cast<py::ssize_t>(K)}))
          : py::none();
  out.accuracy_by_reads = labelled ? py::object(to_array(res.accuracy_by_reads)) : py::none();
  std::vector<int> sweeps;
  for (int r = 1; r <= cfg.reads; ++r) sweeps.push_back(cfg.burn_in + r * cfg.read_every);
  out.sweeps = to_array(sweeps);
  out.seconds = res.seconds;
  return out;
}

struct GenerateOut {
  dbm::GenerateResult res;
  py::array images, last, classes;
};

GenerateOut generate(const PyModel& pm, py::kwargs kw) {
  kw = py::kwargs(py::dict(kw));
  const auto model = pm.variant(pop(kw, "spec"), pop(kw, "beta"));
  dbm::GenerateConfig cfg = dbm::generate_defaults();
  set_if(kw, "per_class", cfg.per_class);
  set_if(kw, "sweeps_per_beta", cfg.sweeps_per_beta);
  set_if(kw, "average_last", cfg.average_last);
  set_if(kw, "seed", cfg.seed);
  set_if(kw, "threads", cfg.threads);
  set_if(kw, "label_gain", cfg.label_gain);
  if (const py::object c = pop(kw, "classes"); !c.is_none()) {
    const auto v = as_int64_vector(c, "classes");
    cfg.classes.assign(v.begin(), v.end());
  }
  if (const py::object s = pop(kw, "schedule"); !s.is_none())
    cfg.betas = py::isinstance<py::str>(s)
                    ? dbm::parse_beta_schedule(cast_arg<std::string>(s, "schedule"))
                    : as_finite_vector(s, "schedule");
  if (const py::object mf = pop(kw, "mean_from"); !mf.is_none()) {
    const auto v = cast_arg<std::string>(mf, "mean_from");
    if (v != "conditional" && v != "states")
      throw Error("mean_from must be 'conditional' or 'states'");
    cfg.conditional_mean = v == "conditional";
  }
  cfg.validate();
  const py::object backend = pop(kw, "backend");
  auto sampler =
      make_backend_for(backend.is_none() ? "ref" : cast_arg<std::string>(backend, "backend"), kw);
  GenerateOut out;
  {
    py::gil_scoped_release release;
    out.res = dbm::generate(*model, *sampler, cfg);
  }
  const auto& r = out.res;
  const auto S = static_cast<py::ssize_t>(r.sample_class.size());
  out.images = to_array(r.mean, {S, r.rows, r.cols});
  out.last = to_array(r.last, {S, r.rows, r.cols});
  out.classes = to_array(r.sample_class);
  return out;
}

py::dict arch_dict(const dbm::Architecture& a) {
  py::dict d;
  d["graph"] = a.graph;
  d["rows"] = a.rows;
  d["cols"] = a.cols;
  d["classes"] = a.classes;
  d["label_copies"] = a.label_copies;
  d["placement"] = dbm::to_string(a.placement);
  d["placement_seed"] = a.placement_seed;
  return d;
}

}  // namespace

void bind_dbm(py::module_& m) {
  py::class_<data::Dataset>(m, "Dataset", "labelled 8-bit images (MNIST-like)")
      .def_property_readonly("images", &images_array, "uint8 [N, rows, cols], 0 = background")
      .def_property_readonly("labels", [](const data::Dataset& d) { return to_array(d.labels); })
      .def_readonly("name", &data::Dataset::name)
      .def("__len__", &data::Dataset::size)
      .def("__repr__", [](const data::Dataset& d) {
        return "pbit.Dataset('" + d.name + "', images=" + std::to_string(d.size()) + ", " +
               std::to_string(d.rows) + "x" + std::to_string(d.cols) + ")";
      });
  m.def(
      "load_dataset",
      [](const std::string& spec) {
        data::Split s;
        {
          py::gil_scoped_release release;
          s = dbm::load_split(spec);
        }
        return py::make_tuple(s.train, s.test);
      },
      py::arg("spec"),
      "(train, test) Datasets: 'mnist', 'fashion', 'idx:DIR', 'bas:N' (Bars and stripes), as the "
      "CLI's --dataset");

  py::class_<ClassifyOut>(m, "ClassifyResult")
      .def_readonly("images", &ClassifyOut::images)
      .def_readonly("accuracy", &ClassifyOut::accuracy, "fraction right (None without labels)")
      .def_readonly("predictions", &ClassifyOut::predictions, "predicted class per image")
      .def_readonly("confusion", &ClassifyOut::confusion,
                    "[true, predicted] counts (None without labels)")
      .def_readonly("accuracy_by_reads", &ClassifyOut::accuracy_by_reads,
                    "accuracy after 1, 2, ... reads")
      .def_readonly("sweeps", &ClassifyOut::sweeps, "sweeps per image at each read")
      .def_readonly("seconds", &ClassifyOut::seconds);

  py::class_<GenerateOut>(m, "GenerateResult")
      .def_readonly("images", &GenerateOut::images, "P(pixel on), float64 [samples, rows, cols]")
      .def_readonly("last", &GenerateOut::last,
                    "the final states' pixels, uint8 0/1 [samples, rows, cols]")
      .def_readonly("classes", &GenerateOut::classes, "clamped class per sample (-1 unlabelled)")
      .def_property_readonly("seconds", [](const GenerateOut& g) { return g.res.seconds; });

  py::class_<dbm::JudgeResult>(m, "JudgeResult")
      .def_readonly("k", &dbm::JudgeResult::k)
      .def_readonly("samples", &dbm::JudgeResult::samples)
      .def_readonly("agreement", &dbm::JudgeResult::agreement,
                    "fraction of samples voted their clamped class")
      .def_property_readonly("confusion",
                             [](const dbm::JudgeResult& j) {
                               std::vector<int> conf;
                               for (const auto& row : j.confusion)
                                 conf.insert(conf.end(), row.begin(), row.end());
                               const auto K = static_cast<py::ssize_t>(j.confusion.size());
                               return to_array(conf, {K, K});
                             })
      .def_readonly("nn_distance", &dbm::JudgeResult::nn_distance)
      .def_readonly("reference_images", &dbm::JudgeResult::reference_images)
      .def_readonly("reference_agreement", &dbm::JudgeResult::reference_agreement)
      .def_readonly("reference_nn_distance", &dbm::JudgeResult::reference_nn_distance);

  py::class_<PyModel>(m, "Model", R"(A trained sparse DBM (a checkpoint of `pbit train`).

pbit.load_model(path): a checkpoint file or a run directory. classify(),
eval(), generate() take the options of `pbit eval` / `pbit generate` as
keywords (defaults: theirs): backend (and its options, as for Sampler),
spec, beta, seed, threads, ...)")
      .def_readonly("path", &PyModel::path)
      .def_property_readonly("graph",
                             [](const PyModel& p) { return mutable_graph(p.model->graph_ptr()); })
      .def_property_readonly("spec", [](const PyModel& p) { return p.model->spec(); })
      .def_property_readonly("beta", [](const PyModel& p) { return p.model->beta(); })
      .def_property_readonly("arch", [](const PyModel& p) { return arch_dict(p.model->arch()); })
      .def_property_readonly("epoch", [](const PyModel& p) { return p.ck.epoch; })
      .def_property_readonly("dataset", [](const PyModel& p) { return p.ck.dataset; })
      .def_property_readonly(
          "problem", [](const PyModel& p) { return p.model->weights(); },
          "the float master weights as a Problem (a copy)")
      .def_property_readonly(
          "pixel_nodes", [](const PyModel& p) { return to_array(p.model->placement().pixels); },
          "node position of every pixel (row-major)")
      .def_property_readonly(
          "label_nodes",
          [](const PyModel& p) {
            const auto& a = p.model->arch();
            return to_array(p.model->placement().labels, {a.classes, a.label_copies});
          },
          "node position of every label bit, [classes, copies]")
      .def_property_readonly("hidden_nodes",
                             [](const PyModel& p) { return to_array(p.model->placement().hidden); })
      .def(
          "classify",
          [](const PyModel& p, const py::object& images, const py::object& labels,
             const py::kwargs& kw) {
            const auto& a = p.model->arch();
            return classify(p, make_dataset(images, labels, a.rows, a.cols, std::max(1, a.classes)),
                            !labels.is_none(), kw);
          },
          py::arg("images"), py::arg("labels") = py::none(),
          "classify images ([N, rows, cols] or [N, rows*cols], 0..255; binarized as the model was "
          "trained)")
      .def(
          "eval",
          [](const PyModel& p, const py::object& dataset, const std::string& split,
             const py::kwargs& kw) {
            const std::string ds =
                dataset.is_none() ? p.ck.dataset : cast_arg<std::string>(dataset, "dataset");
            if (ds.empty()) throw Error("give dataset= (the checkpoint does not name one)");
            if (split != "test" && split != "train") throw Error("split must be 'test' or 'train'");
            data::Split s;
            {
              py::gil_scoped_release release;
              s = dbm::load_split(ds);
            }
            return classify(p, split == "test" ? s.test : s.train, true, kw);
          },
          py::arg("dataset") = py::none(), py::arg("split") = "test",
          "classify a whole dataset split (default: the checkpoint's dataset), as `pbit eval "
          "--images 0`")
      .def_property_readonly(
          "method", [](const PyModel& p) { return dbm::checkpoint_method(p.ck); },
          "how the weights were trained: boltzmann | hybrid (or what an imported file says)")
      .def_property_readonly(
          "data", [](const PyModel& p) { return p.ck.data; }, "the training data in words")
      .def_property_readonly(
          "source", [](const PyModel& p) { return p.ck.source; },
          "an imported model's file ('' = trained here)")
      .def("export", &export_model, py::arg("path"), py::arg("format") = py::none(),
           "write the model as `pbit model export` does: .json, or .mat (variable names as "
           "keywords)")
      .def(
          "save",
          [](const PyModel& p, const std::string& dir) {
            py::gil_scoped_release release;
            std::error_code ec;
            fs::create_directories(dir, ec);
            if (ec) throw Error(dir + ": cannot create the model directory: " + ec.message());
            dbm::save_checkpoint((fs::path(dir) / "checkpoint.pbit").string(), p.ck);
          },
          py::arg("dir"), "write DIR/checkpoint.pbit (what `pbit eval --model DIR` reads)")
      .def("generate", &generate,
           "clamp classes, anneal beta and return the images (as `pbit generate`): per_class, "
           "classes, schedule "
           "(text or factors of beta), sweeps_per_beta, average_last, label_gain, mean_from, seed, "
           "backend, ...")
      .def(
          "judge",
          [](const PyModel& p, const GenerateOut& g, const py::object& dataset) {
            const std::string ds =
                dataset.is_none() ? p.ck.dataset : cast_arg<std::string>(dataset, "dataset");
            if (ds.empty()) throw Error("give dataset= (the checkpoint does not name one)");
            py::gil_scoped_release release;
            const auto s = dbm::load_split(ds);
            return dbm::judge_generated(g.res, s.train, s.test, p.ck.config.binarize_threshold);
          },
          py::arg("generated"), py::arg("dataset") = py::none(),
          "judge generated images by their nearest training images (as `pbit generate`)")
      .def("__repr__", [](const PyModel& p) {
        return "pbit.Model('" + p.path + "', graph='" + p.model->graph().spec() +
               "', epoch=" + std::to_string(p.ck.epoch) + ")";
      });
  m.def("load_model", &load_model, py::arg("path"), py::arg("format") = py::none(),
        R"(A DBM: a checkpoint (file or `pbit train` run directory) or a model file as
`pbit model import` reads it: .json (pbit-model), or MATLAB .mat with the
variable names as keywords (J, h, pixels, labels, colors, beta_var,
row_major_pixels, rows, cols, graph). For model files: spec (default: the
file's, else the import default), beta, dataset, method, data.)");
  m.def("bars_and_stripes", &dbm::bars_and_stripes, py::arg("size"),
        "every size x size bars-and-stripes image");
}

}  // namespace pbit::python

// pbit train / eval / generate: sparse deep Boltzmann machines on the p-bit
// array (host/include/pbit/dbm/*.hpp).
#include "cli.hpp"

#include <pbit/data/io.hpp>
#include <pbit/data/mnist.hpp>
#include <pbit/dbm/evaluate.hpp>
#include <pbit/dbm/trainer.hpp>
#include <pbit/image.hpp>
#include <pbit/plot.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>

namespace pbit::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// ---- interruption (SIGINT / SIGTERM): finish the batch, checkpoint, exit.
volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_signal(int sig) { g_signal = sig; }

struct SignalGuard {
  using Handler = void (*)(int);
  Handler old_int, old_term;
  SignalGuard() {
    g_signal = 0;
    old_int = std::signal(SIGINT, on_signal);
    old_term = std::signal(SIGTERM, on_signal);
  }
  ~SignalGuard() {
    std::signal(SIGINT, old_int);
    std::signal(SIGTERM, old_term);
  }
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;
};

std::string hms(double s) {
  if (!std::isfinite(s) || s < 0) return "--:--";
  const auto t = static_cast<long long>(s + 0.5);
  if (t >= 3600) return fmt::format("{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60);
  return fmt::format("{}:{:02}", t / 60, t % 60);
}

// Live one-line progress on a terminal (stderr), nothing otherwise.
class Progress {
 public:
  explicit Progress(bool enabled) : on_(enabled && ::isatty(::fileno(stderr))) {}
  bool interactive() const { return on_; }
  void update(const std::string& line, bool force = false) {
    if (!on_) return;
    const auto now = Clock::now();
    if (!force && std::chrono::duration<double>(now - last_).count() < 0.2) return;
    last_ = now;
    std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
    std::fflush(stderr);
    shown_ = true;
  }
  void clear() {
    if (on_ && shown_) std::fprintf(stderr, "\r\x1b[K");
    shown_ = false;
  }

 private:
  bool on_;
  bool shown_ = false;
  Clock::time_point last_{};
};

// The judge's one-line summary and its JSON (pbit train and pbit generate).
std::string judge_line(const dbm::JudgeResult& j) {
  std::string s = fmt::format("judged against the training digits ({}-NN, Hamming): {:.1f}% of the samples are "
                              "voted their clamped class, {:.1f} pixels from the nearest training digit",
                              j.k, 100 * j.agreement, j.nn_distance);
  if (j.reference_images > 0)
    s += fmt::format(" (held-out real digits: {:.1f}%, {:.1f} pixels)", 100 * j.reference_agreement,
                     j.reference_nn_distance);
  s += fmt::format("; samples of one class differ by {:.1f} pixels on average (real digits of a class: {:.1f})",
                   j.diversity, j.reference_diversity);
  return s;
}

nlohmann::json judge_json(const dbm::JudgeResult& j) {
  return {{"k", j.k},
          {"samples", j.samples},
          {"agreement", j.agreement},
          {"nn_distance", j.nn_distance},
          {"confusion", j.confusion},
          {"reference_images", j.reference_images},
          {"reference_agreement", j.reference_agreement},
          {"reference_nn_distance", j.reference_nn_distance},
          {"diversity", j.diversity},
          {"reference_diversity", j.reference_diversity}};
}

data::Dataset take(const data::Dataset& d, std::size_t k, std::uint64_t seed) {
  if (k == 0 || k >= d.size()) return d;
  return data::random_subset(d, k, seed);
}

void write_curves(const std::string& path, const std::vector<dbm::EpochRecord>& hist) {
  if (hist.empty()) return;
  Series train, monitor, ll, gap, mgap;
  train.name = "train (batches: readout or conditional phase)";
  monitor.name = "held-out";
  ll.name = "exact log-likelihood";
  gap.name = "|<mm>data - <mm>model| (edges)";
  mgap.name = "|<m>data - <m>model| (pixels)";
  bool has_train = false, has_mon = false, has_ll = false;
  // Rounded: values equal but for the last bits make pbit::nice_ticks loop
  // (its tick index stops advancing when lo / step > 2^53).
  auto r6 = [](double v) { return std::isfinite(v) ? std::round(v * 1e6) / 1e6 : v; };
  for (const auto& r : hist) {
    const double x = r.epoch;
    train.x.push_back(x);
    monitor.x.push_back(x);
    ll.x.push_back(x);
    gap.x.push_back(x);
    mgap.x.push_back(x);
    train.y.push_back(r.train_accuracy >= 0 ? r6(100 * r.train_accuracy) : NAN);
    monitor.y.push_back(r.monitor_accuracy >= 0 ? r6(100 * r.monitor_accuracy) : NAN);
    ll.y.push_back(r.log_likelihood != 0 ? r6(r.log_likelihood) : NAN);
    gap.y.push_back(r6(r.corr_gap));
    mgap.y.push_back(r6(r.mean_gap));
    has_train |= r.train_accuracy >= 0;
    has_mon |= r.monitor_accuracy >= 0;
    has_ll |= r.log_likelihood != 0;
  }
  std::vector<Chart> charts;
  if (has_train || has_mon) {
    Chart c;
    c.title = "Classification accuracy";
    c.x_label = "epoch";
    c.y_label = "accuracy (%)";
    if (has_train) c.series.push_back(train);
    if (has_mon) c.series.push_back(monitor);
    charts.push_back(c);
  }
  if (has_ll) {
    Chart c;
    c.title = "Exact log-likelihood per image";
    c.x_label = "epoch";
    c.y_label = "nats";
    c.series.push_back(ll);
    charts.push_back(c);
  }
  Chart g;
  g.title = "Positive - negative phase moments";
  g.x_label = "epoch";
  g.y_label = "mean absolute difference";
  g.series = {gap, mgap};
  charts.push_back(g);
  write_charts_png(path, charts);
}

void write_metrics(const std::string& path, const dbm::Trainer& trainer) {
  std::string text;
  const std::string method = dbm::training_method(trainer.config());
  for (const auto& r : trainer.history()) text += dbm::to_json_line(r, method, trainer.data_description()) + "\n";
  data::write_file_atomic(path, text.data(), text.size());
}

Image samples_image(const dbm::GenerateResult& g, bool binary, int per_class) {
  GridOptions o;
  o.cols = per_class;
  o.scale = 2;
  o.gap = 2;
  o.gap_color = {90, 90, 90};
  const int count = static_cast<int>(g.sample_class.size());
  o.rows = (count + per_class - 1) / per_class;
  if (!g.sample_class.empty() && g.sample_class.front() >= 0)
    for (int r = 0; r < o.rows; ++r) o.row_labels.push_back(std::to_string(g.sample_class[static_cast<std::size_t>(r * per_class)]));
  if (binary) {
    std::vector<std::uint8_t> px(g.last.size());
    for (std::size_t i = 0; i < px.size(); ++i) px[i] = g.last[i] ? 255 : 0;
    return image_grid(px, g.cols, g.rows, o);
  }
  return probability_grid(g.mean, g.cols, g.rows, o);
}

// The pixels of the first persistent (negative-phase) chains: what the model
// believes images look like, as seen by the trainer.
void write_chains_png(const std::string& path, const dbm::Trainer& t) {
  const auto& m = t.model();
  const int count = std::min<int>(40, static_cast<int>(t.chains().size()));
  const auto np = static_cast<std::size_t>(m.arch().num_pixels());
  std::vector<std::uint8_t> px(static_cast<std::size_t>(count) * np);
  for (int c = 0; c < count; ++c)
    for (std::size_t p = 0; p < np; ++p)
      px[static_cast<std::size_t>(c) * np + p] = t.chains()[static_cast<std::size_t>(c)][m.pixel_node(static_cast<int>(p))] > 0 ? 255 : 0;
  GridOptions o;
  o.cols = 10;
  o.scale = 2;
  o.gap = 2;
  o.gap_color = {90, 90, 90};
  write_png(path, image_grid(px, m.arch().cols, m.arch().rows, o));
}

nlohmann::json times_json(const dbm::TimeBreakdown& t) {
  return {{"negative_phase", t.neg}, {"conditional_phase", t.cond}, {"positive_phase", t.pos},
          {"chain_state_io", t.chains_io}, {"clamps", t.clamps}, {"weight_update", t.update},
          {"epoch_setup", t.epoch_setup}, {"mean_field", t.mean_field}, {"total", t.total()}};
}

// ============================== train ==============================

struct TrainArgs {
  std::string dataset = "mnist";
  std::size_t train_images = 0;
  int classes = -1;
  dbm::Architecture arch;
  std::string placement = "random";
  SpecOptions spec;
  double beta = 1.0;
  std::string backend = "ref";
  BackendOptions backends;
  dbm::TrainConfig cfg;
  std::string recipe = "fast";
  std::string optimizer = "sgd";
  std::string lr_decay = "epoch";
  std::string cond_anneal;
  std::string out;
  std::string resume;
  std::size_t monitor_images = 1000;
  int monitor_burn_in = dbm::eval_defaults().burn_in, monitor_reads = dbm::eval_defaults().reads;
  int samples_per_class = 8;
  bool exact_ll = false;
  bool quiet = false;
  bool json = false;
  CLI::App* sub = nullptr;
};

// A recipe's values for the options not given on the command line; returns
// the names of the options a recipe fills.
std::vector<const char*> apply_recipe_values(TrainArgs& a, const dbm::Recipe& r, bool fast) {
  std::vector<const char*> names;
  auto given = [&](const char* name) { return a.sub->get_option(name)->count() > 0; };
  auto set = [&](const char* name, auto& field, auto value) {
    names.push_back(name);
    if (!given(name)) field = value;
  };
  auto& c = a.cfg;
  const auto& f = r.config;
  set("--epochs", c.epochs, f.epochs);
  set("--batch", c.batch, f.batch);
  set("--chains", c.chains, f.chains);
  set("--lr", c.lr, f.lr);
  set("--lr-final", c.lr_final, f.lr_final);
  set("--label-lr-scale", c.label_lr_scale, f.label_lr_scale);
  set("--momentum", c.momentum, f.momentum);
  set("--optimizer", a.optimizer, std::string(dbm::to_string(f.optimizer)));
  set("--beta", a.beta, r.beta);
  set("--init-std", c.init_std, f.init_std);
  set("--placement", a.placement, std::string(dbm::to_string(r.placement)));
  set("--label-copies", a.arch.label_copies, r.label_copies);
  set("--persistent", c.persistent, f.persistent);
  // The fast recipe's mean-field epochs follow --epochs.
  set("--mf-epochs", c.mf_epochs, fast ? dbm::fast_recipe(c.epochs).config.mf_epochs : f.mf_epochs);
  set("--mf-steps", c.mf_steps, f.mf_steps);
  set("--mf-lr", c.mf_lr, f.mf_lr);
  set("--shift", c.shift, f.shift);
  set("--average", c.average, f.average);
  set("--disc-weight", c.disc_weight, f.disc_weight);
  set("--disc-depth", c.disc_depth, f.disc_depth);
  set("--gen-weight", c.gen_weight, f.gen_weight);
  set("--cond-weight", c.cond_weight, f.cond_weight);
  set("--cond-cold", c.cond_cold, f.cond_cold);
  set("--cond-burn-in", c.cond_burn_in, f.cond_burn_in);
  set("--cond-sweeps", c.cond_sweeps, f.cond_sweeps);
  set("--pos-burn-in", c.pos_burn_in, f.pos_burn_in);
  set("--pos-sweeps", c.pos_sweeps, f.pos_sweeps);
  set("--neg-burn-in", c.neg_burn_in, f.neg_burn_in);
  set("--neg-sweeps", c.neg_sweeps, f.neg_sweeps);
  return names;
}

// The values of --recipe none: the library's defaults (dbm::TrainConfig).
dbm::Recipe library_defaults() {
  dbm::Recipe r;
  r.config = dbm::TrainConfig{};
  r.beta = 1.0;
  r.placement = graphs::PlacementMethod::Random;
  r.label_copies = dbm::Architecture{}.label_copies;
  return r;
}

// Named recipes: values for the options not given on the command line.
void apply_recipe(TrainArgs& a) {
  if (a.recipe == "fast")
    apply_recipe_values(a, dbm::fast_recipe(), true);
  else if (a.recipe == "boltzmann")
    apply_recipe_values(a, dbm::boltzmann_recipe(), false);
  else if (a.recipe == "published")
    apply_recipe_values(a, dbm::published_recipe(), false);
  else if (a.recipe == "none")
    apply_recipe_values(a, library_defaults(), false);
  else
    throw Error("unknown recipe '" + a.recipe + "' (known: fast, boltzmann, published, none)");
}

// Under MPI every process trains (data parallel, bit-identical to one
// process); rank 0 alone talks and writes the run's files.
int run_train(TrainArgs& a, const parallel::Communicator& comm) {
  const bool lead = comm.rank() == 0;
  const auto t_run = Clock::now();
  dbm::Checkpoint resumed;
  const bool resuming = !a.resume.empty();
  std::string out = a.out;
  if (resuming) {
    const std::string ck_path = checkpoint_path(a.resume);
    resumed = dbm::load_checkpoint(ck_path);
    if (a.sub->get_option("--epochs")->count()) resumed.config.epochs = a.cfg.epochs;
    if (a.sub->get_option("--threads")->count()) resumed.config.threads = a.cfg.threads;
    if (out.empty()) out = fs::path(ck_path).parent_path().string();
    if (out.empty()) out = ".";
    a.dataset = resumed.dataset;
    if (a.sub->get_option("--train-images")->count() && a.train_images != resumed.train_images)
      throw Error(ck_path + ": the run trained on " +
                  (resumed.train_images ? std::to_string(resumed.train_images) + " images" : std::string("all images")) +
                  "; --train-images cannot change on --resume");
    a.train_images = static_cast<std::size_t>(resumed.train_images);
    if (resumed.epoch >= resumed.config.epochs)
      throw Error(ck_path + ": the run is complete (" + std::to_string(resumed.epoch) +
                  " epochs); give --epochs N > " + std::to_string(resumed.epoch) + " to train further");
  } else {
    apply_recipe(a);
    a.cfg.optimizer = dbm::parse_optimizer(a.optimizer);
    a.cfg.lr_per_update = a.lr_decay == "update";
    if (!a.cond_anneal.empty()) a.cfg.cond_anneal = dbm::parse_beta_schedule(a.cond_anneal);
    a.cfg.validate();
    if (!std::isfinite(a.beta) || !(a.beta > 0)) throw Error("--beta must be finite and > 0");
    if (out.empty()) {
      char stamp[32];
      const std::time_t now = std::time(nullptr);
      std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
      std::string ds = a.dataset;
      for (auto& ch : ds)
        if (ch == '/' || ch == ':' || ch == ',') ch = '_';
      out = "out/" + ds + "-" + stamp;
    }
  }

  // Data first: a missing dataset is the most likely user error.
  const data::Split split = dbm::load_split(a.dataset);
  const data::Dataset train = take(split.train, a.train_images, 7);
  const data::Dataset monitor = take(split.test, a.monitor_images, 11);

  std::error_code ec;
  if (lead) fs::create_directories(out, ec);
  if (ec) throw Error(out + ": cannot create the output directory: " + ec.message());
  const std::string ck_file = (fs::path(out) / "checkpoint.pbit").string();
  const std::string metrics_file = (fs::path(out) / "metrics.jsonl").string();
  const std::string curves_file = (fs::path(out) / "curves.png").string();
  const std::string samples_file = (fs::path(out) / "samples.png").string();
  const std::string chains_file = (fs::path(out) / "chains.png").string();

  auto sampler = a.backends.make(a.backend, comm);
  std::unique_ptr<dbm::Trainer> trainer;
  if (resuming) {
    trainer = std::make_unique<dbm::Trainer>(resumed, *sampler, train);
  } else {
    a.arch.placement = dbm::parse_placement(a.placement);
    a.arch.rows = train.rows;
    a.arch.cols = train.cols;
    a.arch.classes = a.classes >= 0 ? a.classes : (a.dataset.rfind("bas:", 0) == 0 ? 0 : data::kNumClasses);
    // An unlabelled model (bas:N) has no classifier: the recipes' conditional
    // and readout terms and mean-field epochs are off and the generative term
    // is whole (explicit options are checked by the trainer).
    if (a.arch.classes == 0) {
      auto given = [&](const char* name) { return a.sub->get_option(name)->count() > 0; };
      if (!given("--cond-weight")) a.cfg.cond_weight = 0;
      if (!given("--disc-weight")) a.cfg.disc_weight = 0;
      if (!given("--mf-epochs")) a.cfg.mf_epochs = 0;
      if (!given("--gen-weight")) a.cfg.gen_weight = 1;
    }
    dbm::Model model(a.arch, a.spec.spec(), a.beta);
    trainer = std::make_unique<dbm::Trainer>(std::move(model), a.cfg, *sampler, train);
    trainer->set_dataset_name(a.dataset);
    trainer->set_data_description(data::describe_training_data(a.dataset, train.size(), split.train.size()));
    trainer->set_train_images(a.train_images < split.train.size() ? a.train_images : 0);
  }
  const auto& model = trainer->model();
  const auto& cfg = trainer->config();
  const auto& g = model.graph();
  const bool talk = !a.quiet && lead;
  const std::string method = dbm::training_method(cfg);
  if (talk) {
    std::fprintf(stderr, "%s %s: %zu training images, %s\n", resuming ? "resuming" : "training", a.dataset.c_str(),
                 train.size(), resuming ? fmt::format("at epoch {} batch {}", trainer->epoch(), trainer->batch()).c_str() : "");
    std::fprintf(stderr, "model: %s (%zu p-bits, %zu couplers), %d pixels + %d label bits (%s placement), %zu hidden\n",
                 g.spec().c_str(), g.num_nodes(), g.num_edges(), model.arch().num_pixels(), model.arch().num_labels(),
                 dbm::to_string(model.arch().placement), model.placement().hidden.size());
    std::fprintf(stderr, "spec: %d-bit weights, %d fraction bits, %d-bit sums, LUT %d x %d bits; beta %g; backend %s\n",
                 model.spec().weight_bits, model.spec().frac_bits, model.spec().sum_bits, model.spec().lut_depth,
                 model.spec().lut_bits, model.beta(), sampler->name().c_str());
    const std::string decay = cfg.lr_final < 0 ? std::string()
                              : fmt::format(" -> {:g} (per {})", cfg.lr_final, cfg.lr_per_update ? "update" : "epoch");
    std::fprintf(stderr,
                 "training: %d epochs (%d mean-field) x %d batches of %d, %d chains, %s lr %g%s, momentum %g; terms: "
                 "generative %g, conditional %g, readout %g; sweeps: +%d/%d -%d/%d cond %d/%d%s\n",
                 cfg.epochs, cfg.mf_epochs, trainer->batches_per_epoch(), cfg.batch, cfg.chains,
                 dbm::to_string(cfg.optimizer), cfg.lr, decay.c_str(), cfg.momentum, cfg.gen_weight, cfg.cond_weight,
                 cfg.disc_weight, cfg.pos_burn_in, cfg.pos_sweeps, cfg.neg_burn_in, cfg.neg_sweeps, cfg.cond_burn_in,
                 cfg.cond_sweeps, cfg.cond_cold ? " (cold)" : "");
    if (cfg.average > 0)
      std::fprintf(stderr, "weights averaged: the model is their moving average (decay %g per update)\n", cfg.average);
    std::fprintf(stderr, "method: %s (%s); data: %s\n", method.c_str(),
                 method == dbm::kBoltzmann ? "every gradient term from the sampler's statistics"
                                           : "mean-field or back-propagated terms besides the sampler's statistics",
                 trainer->data_description().c_str());
    std::fprintf(stderr, "output: %s\n", out.c_str());
    if (comm.size() > 1)
      std::fprintf(stderr, "processes: %d (MPI; chains and host-side image groups divided, results as one process)\n",
                   comm.size());
  }

  SignalGuard signals;
  Progress progress(talk);
  double monitor_seconds = 0;
  dbm::ClassifyConfig mon = dbm::eval_defaults();
  mon.burn_in = a.monitor_burn_in;
  mon.reads = a.monitor_reads;
  // A model trained for a longer readout is monitored with it (as eval does).
  const dbm::ReadoutLengths trained = dbm::trained_readout(cfg);
  if (trained.reads > 0) {
    if (!a.sub->get_option("--monitor-burn-in")->count()) mon.burn_in = trained.burn_in;
    if (!a.sub->get_option("--monitor-reads")->count()) mon.reads = trained.reads;
  }
  mon.seed = dbm::derive_seed(cfg.seed, 30);
  mon.threads = cfg.threads;
  mon.binarize_threshold = cfg.binarize_threshold;
  const auto t_loop = Clock::now();
  const int start_epoch = trainer->epoch(), start_batch = trainer->batch();
  double running_acc = -1, running_gap = 0;
  // A signal stops every process after the same batch (batch systems signal
  // all of them, perhaps not at the same moment).
  auto signalled = [&] { return comm.size() > 1 ? comm.max(static_cast<int>(g_signal)) : static_cast<int>(g_signal); };
  // With --epochs 0 no epoch ends: the initial model is written after the loop
  // (the "wrote" line below must be true).
  bool written = false;
  auto write_run = [&] {
    dbm::save_checkpoint(ck_file, trainer->checkpoint());
    write_metrics(metrics_file, *trainer);
    write_curves(curves_file, trainer->history());
    write_chains_png(chains_file, *trainer);
    written = true;
  };
  while (!trainer->done() && signalled() == 0) {
    const dbm::BatchReport rep = trainer->step();
    running_acc = rep.train_accuracy < 0 ? -1
                  : running_acc < 0      ? rep.train_accuracy
                                         : 0.98 * running_acc + 0.02 * rep.train_accuracy;
    running_gap = running_gap == 0 ? rep.corr_gap : 0.98 * running_gap + 0.02 * rep.corr_gap;
    if (progress.interactive()) {
      const double el = std::chrono::duration<double>(Clock::now() - t_loop).count();
      const double done_b = (trainer->epoch() - start_epoch) * static_cast<double>(trainer->batches_per_epoch()) +
                            trainer->batch() - start_batch;
      const double total_b =
          (cfg.epochs - start_epoch) * static_cast<double>(trainer->batches_per_epoch()) - start_batch;
      const double rate = el > 0 ? done_b / el : 0;
      progress.update(fmt::format("epoch {}/{}  batch {}/{}  {:.1f} batch/s  ETA {}{}  gap {:.4f}", rep.epoch + 1,
                                  cfg.epochs, rep.batch + 1, rep.batches, rate,
                                  hms(rate > 0 ? (total_b - done_b) / rate : NAN),
                                  running_acc >= 0 ? fmt::format("  train acc {:.1f}%", 100 * running_acc) : "",
                                  running_gap));
    }
    if (!trainer->at_epoch_end()) continue;
    dbm::EpochRecord rec = trainer->finish_epoch();
    if (!monitor.labels.empty() && model.arch().classes > 0 && a.monitor_images > 0) {
      const auto tm = Clock::now();
      progress.update(fmt::format("epoch {}/{}  evaluating {} held-out images", rec.epoch, cfg.epochs, monitor.size()),
                      true);
      rec.monitor_accuracy = dbm::classify(trainer->eval_model(), *sampler, monitor, mon).accuracy;
      trainer->sampler_used_elsewhere();
      monitor_seconds += std::chrono::duration<double>(Clock::now() - tm).count();
    }
    if (a.exact_ll) rec.log_likelihood = dbm::exact_log_likelihood(trainer->eval_model(), train, Arithmetic::Quantized, cfg.binarize_threshold);
    trainer->add_record(rec);
    if (lead) write_run();
    progress.clear();
    if (talk)
      std::fprintf(stderr, "epoch %d/%d%s  %.1f s  %.3g flips%s%s%s  gap %.4f  |J| %.4f (%.0f%% non-zero)%s\n", rec.epoch,
                   cfg.epochs, rec.epoch <= cfg.mf_epochs ? " (mean field)" : "", rec.seconds, rec.flips,
                   rec.train_accuracy >= 0 ? fmt::format("  train acc {:.2f}%", 100 * rec.train_accuracy).c_str() : "",
                   rec.monitor_accuracy >= 0 ? fmt::format("  held-out acc {:.2f}% ({})", 100 * rec.monitor_accuracy, method).c_str() : "",
                   rec.log_likelihood != 0 ? fmt::format("  ln p(v) {:.4f}", rec.log_likelihood).c_str() : "",
                   rec.corr_gap, rec.mean_abs_j, 100 * rec.nonzero_j,
                   rec.frozen_hidden >= 0 ? fmt::format("  frozen {:.0f}%", 100 * rec.frozen_hidden).c_str() : "");
  }
  progress.clear();
  const int sig = signalled();
  if (sig != 0 && !lead) return 128 + sig;
  if (sig != 0) {
    dbm::save_checkpoint(ck_file, trainer->checkpoint());
    write_metrics(metrics_file, *trainer);
    write_curves(curves_file, trainer->history());
    std::fprintf(stderr, "pbit: interrupted (%s) at epoch %d, batch %d/%d; checkpoint written to %s\n"
                 "resume with: pbit train --resume %s\n",
                 sig == SIGINT ? "SIGINT" : "SIGTERM", trainer->epoch() + 1, trainer->batch(),
                 trainer->batches_per_epoch(), ck_file.c_str(), out.c_str());
  }

  if (sig == 0 && lead && !written) write_run();

  std::string samples_written;
  std::optional<dbm::JudgeResult> judge;
  if (sig == 0 && a.samples_per_class > 0) {
    dbm::GenerateConfig gc = dbm::generate_defaults();
    gc.per_class = a.samples_per_class;
    gc.seed = cfg.seed;
    gc.threads = cfg.threads;
    const auto gen = dbm::generate(trainer->eval_model(), *sampler, gc);
    if (!lead) return 0;
    write_png(samples_file, samples_image(gen, false, gc.per_class));
    samples_written = samples_file;
    if (model.arch().classes > 0 && split.train.rows == model.arch().rows && split.train.cols == model.arch().cols)
      judge = dbm::judge_generated(gen, split.train, split.test, cfg.binarize_threshold);
  }
  if (!lead) return 0;
  const double wall = std::chrono::duration<double>(Clock::now() - t_run).count();
  const auto& t = trainer->times();
  const double last_mon = trainer->history().empty() ? -1 : trainer->history().back().monitor_accuracy;
  if (talk) {
    std::fprintf(stderr, "sampling: %.3g flips (p-bit updates) in training\n", trainer->flips());
    std::fprintf(stderr, "time: %.1f s wall (training %.1f s: mean-field %.1f, negative %.1f, conditional %.1f, "
                 "positive %.1f, chain I/O %.1f, clamps %.1f, update %.1f, setup %.1f; held-out evaluation %.1f s)\n",
                 wall, t.total(), t.mean_field, t.neg, t.cond, t.pos, t.chains_io, t.clamps, t.update, t.epoch_setup,
                 monitor_seconds);
    // (curves.png needs an epoch to draw)
    std::fprintf(stderr, "wrote %s, %s%s%s%s%s\n", ck_file.c_str(), metrics_file.c_str(),
                 trainer->history().empty() ? "" : ", ", trainer->history().empty() ? "" : curves_file.c_str(),
                 samples_written.empty() ? "" : ", ", samples_written.c_str());
    if (judge) std::fprintf(stderr, "samples.png %s\n", judge_line(*judge).c_str());
  }
  if (a.json) {
    nlohmann::json j = {{"out", out},
                        {"checkpoint", ck_file},
                        {"metrics", metrics_file},
                        {"curves", trainer->history().empty() ? nlohmann::json() : nlohmann::json(curves_file)},
                        {"samples", samples_written.empty() ? nlohmann::json() : nlohmann::json(samples_written)},
                        {"dataset", a.dataset},
                        {"method", method},
                        {"data", trainer->data_description()},
                        {"train_images", train.size()},
                        {"graph", g.spec()},
                        {"backend", sampler->name()},
                        {"processes", comm.size()},
                        {"spec", a.spec.to_json(model.spec())},
                        {"beta", model.beta()},
                        {"config", nlohmann::json::parse(dbm::config_json(cfg))},
                        {"epochs_done", trainer->epoch()},
                        {"interrupted", sig != 0},
                        {"held_out_accuracy", last_mon >= 0 ? nlohmann::json(last_mon) : nlohmann::json()},
                        {"held_out_images", monitor.size()},
                        {"seconds", wall},
                        {"flips", trainer->flips()},
                        {"monitor_seconds", monitor_seconds},
                        {"time", times_json(t)}};
    j["samples_judge"] = judge ? judge_json(*judge) : nlohmann::json();
    print_json(j);
  }
  if (sig != 0) return 128 + sig;
  return 0;
}

// ============================== eval ==============================

struct EvalArgs {
  std::string model;
  std::string dataset;
  std::string split = "test";
  std::size_t images = 0;
  dbm::ClassifyConfig cfg = dbm::eval_defaults();
  std::string readout = dbm::to_string(dbm::eval_defaults().readout);
  std::string protocol = "default";
  std::string anneal;
  SpecOptions spec;
  double beta = 0;
  std::string backend = "ref";
  BackendOptions backends;
  std::string curve;
  bool json = false;
  bool quiet = false;
  CLI::App* sub = nullptr;
};

// Under MPI every process classifies its share of the images; rank 0 prints.
int run_eval(EvalArgs& a, const parallel::Communicator& comm) {
  const std::string path = checkpoint_path(a.model);
  const dbm::Checkpoint ck = dbm::load_checkpoint(path);
  dbm::Checkpoint ck2 = ck;
  ck2.spec = a.spec.override_given(ck.spec, *a.sub);
  if (a.beta != 0) {
    if (!(a.beta > 0) || !std::isfinite(a.beta)) throw Error("--beta must be finite and > 0");
    ck2.beta = a.beta;
  }
  const dbm::Model model = dbm::model_from_checkpoint(ck2);
  if (model.arch().classes == 0) throw Error(path + ": the model has no label units: nothing to classify");
  const std::string ds = a.dataset.empty() ? ck.dataset : a.dataset;
  if (ds.empty()) throw Error("give --dataset (the checkpoint does not name one)");
  if (a.split != "test" && a.split != "train") throw Error("--split must be test or train");
  const data::Split split = dbm::load_split(ds);
  const data::Dataset test = take(a.split == "test" ? split.test : split.train, a.images, 11);
  if (a.protocol == "published") {
    // The preset fills what the command line does not give.
    const dbm::ClassifyConfig p = dbm::published_readout();
    auto given = [&](const char* name) { return a.sub->get_option(name)->count() > 0; };
    if (!given("--burn-in")) a.cfg.burn_in = p.burn_in;
    if (!given("--reads")) a.cfg.reads = p.reads;
    if (!given("--read-every")) a.cfg.read_every = p.read_every;
    if (!given("--replicas")) a.cfg.replicas = p.replicas;
    if (!given("--readout")) a.readout = dbm::to_string(p.readout);
  } else if (a.protocol != "default") {
    throw Error("--protocol must be default or published (got '" + a.protocol + "')");
  } else if (const dbm::ReadoutLengths trained = dbm::trained_readout(ck.config); trained.reads > 0) {
    // The readout the model was trained for (its conditional phase).
    auto given = [&](const char* name) { return a.sub->get_option(name)->count() > 0; };
    if (!given("--burn-in")) a.cfg.burn_in = trained.burn_in;
    if (!given("--reads")) a.cfg.reads = trained.reads;
  }
  a.cfg.readout = dbm::parse_readout(a.readout);
  if (!a.anneal.empty()) a.cfg.anneal = dbm::parse_beta_schedule(a.anneal);
  if (!a.sub->get_option("--binarize-threshold")->count()) a.cfg.binarize_threshold = ck.config.binarize_threshold;
  auto sampler = a.backends.make(a.backend, comm);
  Progress progress(!a.quiet && comm.rank() == 0);
  const auto res = dbm::classify(model, *sampler, test, a.cfg, [&](std::size_t done, std::size_t total) {
    progress.update(fmt::format("classifying: {}/{} images", done, total));
    return true;
  });
  progress.clear();
  if (comm.rank() != 0) return 0;
  const int K = model.arch().classes;
  std::vector<int> sweeps;
  for (int r = 1; r <= a.cfg.reads; ++r) sweeps.push_back(a.cfg.burn_in + r * a.cfg.read_every);
  if (!a.curve.empty()) {
    Chart c;
    c.title = fmt::format("Accuracy vs sweeps ({} images, {} readout)", res.images, a.readout);
    c.x_label = "sweeps per image";
    c.y_label = "accuracy (%)";
    Series s;
    s.name = "";
    for (std::size_t r = 0; r < sweeps.size(); ++r) {
      s.x.push_back(sweeps[r]);
      s.y.push_back(100 * res.accuracy_by_reads[r]);
    }
    c.series.push_back(s);
    c.legend = false;
    write_chart_png(a.curve, c);
  }
  const double flips = static_cast<double>(res.images) * a.cfg.replicas * (a.cfg.burn_in + a.cfg.reads * a.cfg.read_every) *
                       static_cast<double>(model.num_nodes());
  if (a.json) {
    nlohmann::json by = nlohmann::json::array();
    for (std::size_t r = 0; r < sweeps.size(); ++r) by.push_back({{"sweeps", sweeps[r]}, {"accuracy", res.accuracy_by_reads[r]}});
    print_json({{"model", path},
                {"method", dbm::checkpoint_method(ck)},
                {"data", ck.data},
                {"protocol", a.protocol},
                {"dataset", ds},
                {"split", a.split},
                {"images", res.images},
                {"accuracy", res.accuracy},
                {"correct", static_cast<std::size_t>(std::lround(res.accuracy * static_cast<double>(res.images)))},
                {"confusion", res.confusion},
                {"predictions", res.predictions},  // per image, in the order classified (-1: not reached)
                {"burn_in", a.cfg.burn_in},
                {"reads", a.cfg.reads},
                {"read_every", a.cfg.read_every},
                {"replicas", a.cfg.replicas},
                {"readout", a.readout},
                {"backend", sampler->name()},
                {"processes", comm.size()},
                {"spec", a.spec.to_json(model.spec())},
                {"beta", model.beta()},
                {"accuracy_by_sweeps", by},
                {"seconds", res.seconds},
                {"sample_seconds", res.sample_seconds},
                {"read_seconds", res.read_seconds}});
    return 0;
  }
  auto& o = std::cout;
  o << fmt::format("model      {} (epoch {}, {} on {})\n", path, ck.epoch, model.graph().spec(), ck.dataset);
  o << fmt::format("trained    {}{}{}\n", dbm::checkpoint_method(ck), ck.data.empty() ? "" : ", ", ck.data);
  o << fmt::format("data       {} {} split, {} images\n", ds, a.split, res.images);
  o << fmt::format("sampling   {} chain{} per image, {} burn-in + {} reads x {} sweeps, {} readout, backend {}\n",
                   a.cfg.replicas, a.cfg.replicas > 1 ? "s" : "", a.cfg.burn_in,
                   a.cfg.reads, a.cfg.read_every, a.readout, sampler->name());
  o << fmt::format("accuracy   {:.2f}% ({} / {}), {}-trained model\n", 100 * res.accuracy,
                   std::lround(res.accuracy * static_cast<double>(res.images)), res.images, dbm::checkpoint_method(ck));
  o << fmt::format("time       {:.2f} s ({:.1f} flips/ns sampling, reads {:.2f} s)\n", res.seconds,
                   res.sample_seconds > 0 ? flips / res.sample_seconds * 1e-9 : 0.0, res.read_seconds);
  o << "accuracy vs sweeps per image:";
  for (std::size_t r = 0; r < sweeps.size(); ++r)
    if (r + 1 == sweeps.size() || (r + 1) % std::max<std::size_t>(1, sweeps.size() / 8) == 0)
      o << fmt::format("  {}: {:.2f}%", sweeps[r], 100 * res.accuracy_by_reads[r]);
  o << "\nconfusion matrix (rows: true class, columns: predicted)\n      ";
  for (int k = 0; k < K; ++k) o << fmt::format("{:>6}", k);
  o << "\n";
  for (int t = 0; t < K; ++t) {
    o << fmt::format("{:>6}", t);
    for (int p = 0; p < K; ++p) o << fmt::format("{:>6}", res.confusion[static_cast<std::size_t>(t)][static_cast<std::size_t>(p)]);
    o << "\n";
  }
  return 0;
}

// ============================== generate ==============================

struct GenArgs {
  std::string model;
  std::string out = "samples.png";
  std::string binary_out;
  dbm::GenerateConfig cfg = dbm::generate_defaults();
  std::string schedule = dbm::kGenerateSchedule;
  std::string classes;
  SpecOptions spec;
  std::string backend = "ref";
  BackendOptions backends;
  std::string mean_from = "conditional";
  bool judge = true;
  std::string judge_dataset;  // empty: the checkpoint's
  bool json = false;
  CLI::App* sub = nullptr;
};

int run_generate(GenArgs& a) {
  const std::string path = checkpoint_path(a.model);
  dbm::Checkpoint ck = dbm::load_checkpoint(path);
  ck.spec = a.spec.override_given(ck.spec, *a.sub);
  const dbm::Model model = dbm::model_from_checkpoint(ck);
  a.cfg.betas = dbm::parse_beta_schedule(a.schedule);
  a.cfg.conditional_mean = a.mean_from == "conditional";
  if (!a.classes.empty()) {
    std::size_t pos = 0;
    while (pos <= a.classes.size()) {
      const auto comma = a.classes.find(',', pos);
      const std::string item = a.classes.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      try {
        std::size_t used = 0;
        const int k = std::stoi(item, &used);
        if (used != item.size()) throw std::invalid_argument(item);
        a.cfg.classes.push_back(k);
      } catch (const std::exception&) {
        throw Error("--classes: '" + item + "' is not a class number");
      }
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  // The judge's dataset first: a bad one fails before any sampling.
  std::optional<data::Split> judge_data;
  if (a.judge && model.arch().classes > 0) {
    const std::string ds = a.judge_dataset.empty() ? ck.dataset : a.judge_dataset;
    if (ds.empty()) throw Error("give --judge-dataset or --no-judge (the checkpoint does not name a dataset)");
    judge_data = dbm::load_split(ds);
  }
  auto sampler = a.backends.make(a.backend);
  const auto res = dbm::generate(model, *sampler, a.cfg);
  write_png(a.out, samples_image(res, false, a.cfg.per_class));
  if (!a.binary_out.empty()) write_png(a.binary_out, samples_image(res, true, a.cfg.per_class));
  std::optional<dbm::JudgeResult> judge;
  if (judge_data) judge = dbm::judge_generated(res, judge_data->train, judge_data->test, ck.config.binarize_threshold);
  if (a.json) {
    print_json({{"model", path},
                {"out", a.out},
                {"binary_out", a.binary_out.empty() ? nlohmann::json() : nlohmann::json(a.binary_out)},
                {"samples", res.sample_class.size()},
                {"per_class", a.cfg.per_class},
                {"betas", a.cfg.betas},
                {"sweeps_per_beta", a.cfg.sweeps_per_beta},
                {"average_last", a.cfg.average_last},
                {"backend", sampler->name()},
                {"judge", judge ? judge_json(*judge) : nlohmann::json()},
                {"seconds", res.seconds}});
    return 0;
  }
  std::cout << fmt::format("generated {} samples ({} per class) in {:.2f} s: beta {} -> {} x the model's over {} steps x {} sweeps, "
                           "pixel means over the last {} sweeps\n",
                           res.sample_class.size(), a.cfg.per_class, res.seconds, a.cfg.betas.front(),
                           a.cfg.betas.back(), a.cfg.betas.size(), a.cfg.sweeps_per_beta, a.cfg.average_last);
  std::cout << "wrote " << a.out << (a.binary_out.empty() ? "" : " and " + a.binary_out) << "\n";
  if (judge) std::cout << judge_line(*judge) << "\n";
  return 0;
}

}  // namespace

Command add_train_command(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  auto* sub = app.add_subcommand("train", "Train a sparse deep Boltzmann machine (persistent contrastive divergence)");
  a->sub = sub;
  sub->footer(
      "Outputs in --out: checkpoint.pbit (every epoch), metrics.jsonl, curves.png, samples.png.\n"
      "Ctrl-C / SIGTERM: finishes the current batch, writes the checkpoint and exits (status 130 / 143);\n"
      "continue with --resume DIR. Recipes fill in the options not given: 'fast' (default; 60 epochs, the\n"
      "first 2/5 mean-field pre-training, then the readout term on the sampler's mean states plus a\n"
      "generative term of weight 0.3; 20 label copies per class, beta 0.25, init std 0.5, Adam lr 0.003 ->\n"
      "0.0003, 200 chains, spread placement, shifts of 1 pixel; method hybrid), 'boltzmann' (the sampler\n"
      "alone: the conditional term, a cold pixels-clamped phase of 400 + 200 sweeps then 5 + 5 with the\n"
      "label clamped too; 50 label copies, beta 0.25, init std 0.75, SGD lr 0.1 -> 0.005 (label units 0.3x),\n"
      "400 chains, 10 epochs; eval and the monitor read such a model as it was trained: 400 + 200 sweeps),\n"
      "'published' (Niazi et al. 2024: 5 label copies, SGD lr 0.003, beta 1, 500 persistent chains, 200\n"
      "sweeps, random placement, 100 epochs),\n"
      "'none' (the library's defaults, dbm::TrainConfig). The defaults shown are the fast recipe's.");
  sub->add_option("--dataset", a->dataset, "mnist | fashion | idx:DIR | bas:N (Bars-and-Stripes toy)")->capture_default_str();
  sub->add_option("--train-images", a->train_images, "use a random subset of N training images (0 = all)")
      ->check(NonNegative);
  sub->add_option("--graph", a->arch.graph, "hardware graph spec")->capture_default_str();
  sub->add_option("--classes", a->classes, "label classes (default 10; 0 for bas:N, an unlabelled model)")
      ->check(CLI::Range(0, 10));
  sub->add_option("--label-copies", a->arch.label_copies, "label p-bits per class (recipes: fast 20, published 5)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  sub->add_option("--placement", a->placement, "random | spread: where pixels and labels go on the graph")->capture_default_str();
  sub->add_option("--placement-seed", a->arch.placement_seed, "seed of the placement")->capture_default_str()->check(NonNegative);
  sub->add_option("--beta", a->beta, "inverse temperature of training")->capture_default_str();
  sub->add_option("--backend", a->backend, "ref | rtl | float")->capture_default_str();
  sub->add_option("--recipe", a->recipe, "fast | boltzmann | published | none (fills options not given)")->capture_default_str();
  auto& c = a->cfg;
  sub->add_option("--epochs", c.epochs, "epochs")->capture_default_str()->check(CLI::Range(0, 1000000));
  sub->add_option("--batch", c.batch, "images per update")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  sub->add_option("--chains", c.chains, "chains: chains/batch positive chains per image, all persistent negative")
      ->capture_default_str()->check(CLI::Range(1, 1 << 22));
  sub->add_option("--lr", c.lr, "learning rate")->capture_default_str();
  sub->add_option("--lr-final", c.lr_final, "linear decay to this learning rate at the last epoch (< 0: constant)")
      ->capture_default_str();
  sub->add_option("--lr-decay", a->lr_decay,
                  "with --lr-final: epoch (one learning rate per epoch) | update (a smaller one every update, reaching "
                  "--lr-final at the last)")
      ->capture_default_str()->check(CLI::IsMember({"epoch", "update"}));
  sub->add_option("--label-lr-scale", c.label_lr_scale, "learning rate of the label fields and couplings, relative to --lr")
      ->capture_default_str();
  sub->add_option("--momentum", c.momentum, "momentum (Adam: beta1)")->capture_default_str();
  sub->add_option("--optimizer", a->optimizer, "sgd (with momentum) | adam")->capture_default_str();
  sub->add_option("--adam-beta2", c.adam_beta2, "Adam: decay of the squared-gradient average")->capture_default_str();
  sub->add_option("--adam-eps", c.adam_eps,
                  "Adam: added to the root of the squared-gradient average (a larger value damps the steps of "
                  "couplings whose gradient is mostly sampling noise)")
      ->capture_default_str();
  sub->add_option("--weight-decay", c.weight_decay, "L2 decay of the couplings")->capture_default_str();
  sub->add_option("--init-std", c.init_std, "initial couplings ~ N(0, std^2)")->capture_default_str();
  sub->add_option("--pos-burn-in", c.pos_burn_in, "positive phase: sweeps before statistics")->capture_default_str()->check(CLI::Range(0, 1 << 30));
  sub->add_option("--pos-sweeps", c.pos_sweeps, "positive phase: sweeps accumulated")->capture_default_str()->check(CLI::Range(1, 1 << 30));
  sub->add_option("--neg-burn-in", c.neg_burn_in, "negative phase: sweeps before statistics")->capture_default_str()->check(CLI::Range(0, 1 << 30));
  sub->add_option("--neg-sweeps", c.neg_sweeps, "negative phase: sweeps accumulated")->capture_default_str()->check(CLI::Range(1, 1 << 30));
  sub->add_option("--cond-weight", c.cond_weight, "weight of the conditional (discriminative) term, 0 = off")->capture_default_str();
  sub->add_option("--gen-weight", c.gen_weight,
                  "weight of the generative term <.>data - <.>model (0: no negative phase, p(label|pixels) only)")
      ->capture_default_str();
  sub->add_option("--disc-weight", c.disc_weight,
                  "weight of the readout term: cross-entropy of the field readout of the conditional phase's "
                  "mean states, back-propagated by a mean-field adjoint (0 = off)")
      ->capture_default_str();
  sub->add_option("--disc-depth", c.disc_depth, "readout term: terms of the mean-field adjoint")
      ->capture_default_str()->check(CLI::Range(0, 1000));
  sub->add_option("--cond-cold", c.cond_cold,
                  "conditional phase starts with labels and hidden units at -1 (as pbit eval) instead of the negative states")
      ->capture_default_str();
  sub->add_option("--mf-epochs", c.mf_epochs,
                  "mean-field pre-training epochs on the host (part of --epochs; the readout's cross-entropy)")
      ->capture_default_str()->check(CLI::Range(0, 1000000));
  sub->add_option("--mf-steps", c.mf_steps, "mean-field pre-training: Jacobi steps")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  sub->add_option("--mf-lr", c.mf_lr, "mean-field pre-training: learning rate")->capture_default_str();
  sub->add_option("--shift", c.shift, "augmentation: shift every training image by up to this many pixels")
      ->capture_default_str()->check(CLI::Range(0, 8));
  sub->add_option("--average", c.average,
                  "weight averaging: the model is an exponential moving average of the weights after every update "
                  "with this decay, e.g. 0.999 (0 = off; training continues from the unaveraged weights)")
      ->capture_default_str();
  sub->add_option("--cond-burn-in", c.cond_burn_in, "conditional phase: sweeps before statistics")->capture_default_str()->check(CLI::Range(0, 1 << 30));
  sub->add_option("--cond-sweeps", c.cond_sweeps, "conditional phase: sweeps accumulated")->capture_default_str()->check(CLI::Range(1, 1 << 30));
  sub->add_option("--cond-anneal", a->cond_anneal,
                  "conditional phase: anneal its burn-in over these factors of beta, e.g. linear:0.3,1,4")
      ->capture_default_str();
  sub->add_option("--cond-from-data", c.cond_from_data,
                  "conditional phase after the positive one, from its states (labels released): CD-k for p(label|pixels)")
      ->capture_default_str();
  sub->add_option("--coupled", c.coupled,
                  "the positive phase reruns the conditional phase with the labels clamped, from its start states and "
                  "with its random numbers (needs --cond-weight > 0)")
      ->capture_default_str();
  sub->add_option("--persistent", c.persistent,
                  "negative phase: true = persistent chains (PCD), false = CD-k from the clamped phases' states")
      ->capture_default_str();
  sub->add_option("--balanced", c.balanced, "class-balanced batches (labelled data)")->capture_default_str();
  sub->add_option("--binarize-threshold", c.binarize_threshold, "pixel > threshold is on")->capture_default_str()->check(CLI::Range(0, 255));
  sub->add_option("--seed", c.seed, "master seed (weights, data order, p-bit RNGs)")->capture_default_str()->check(NonNegative);
  sub->add_option("--threads", c.threads, "sampler threads (0 = all)")->capture_default_str()->check(CLI::Range(0, 1024));
  sub->add_option("--out", a->out, "output directory (default out/<dataset>-<time>; with --resume the run's)");
  sub->add_option("--resume", a->resume, "continue the run in DIR (or a checkpoint file)");
  sub->add_option("--monitor-images", a->monitor_images, "held-out test images classified after every epoch (0 = none)")
      ->capture_default_str()->check(NonNegative);
  sub->add_option("--monitor-burn-in", a->monitor_burn_in, "held-out evaluation: burn-in sweeps (a model trained by the conditional term alone: its --cond-burn-in)")->capture_default_str()->check(CLI::Range(0, 1 << 30));
  sub->add_option("--monitor-reads", a->monitor_reads, "held-out evaluation: reads (one sweep apart; conditional-term models: --cond-sweeps)")->capture_default_str()->check(CLI::Range(1, 1 << 30));
  sub->add_option("--samples-per-class", a->samples_per_class, "generated digits per class in samples.png (0 = none)")
      ->capture_default_str()->check(CLI::Range(0, 1000));
  sub->add_flag("--exact-ll", a->exact_ll, "log the exact log-likelihood every epoch (graphs of <= 24 p-bits)");
  sub->add_flag("--quiet", a->quiet, "no progress or summaries on stderr");
  sub->add_flag("--json", a->json, "print one JSON summary on stdout");
  a->spec.add_to(*sub);
  a->backends.add_to(*sub);
  // --help shows the default recipe's values (fast), not the library's.
  for (const char* name : apply_recipe_values(*a, dbm::fast_recipe(), true)) sub->get_option(name)->capture_default_str();
  return {sub, {}, [a](const parallel::Communicator& comm) { return run_train(*a, comm); }};
}

Command add_eval_command(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  auto* sub = app.add_subcommand("eval", "Classify test images with a trained DBM; accuracy and confusion matrix");
  a->sub = sub;
  sub->footer("Each image runs --replicas chains: pixels clamped, labels and hidden units sampled from -1; the\n"
              "label copies of each class (their fields, bits or probabilities) are summed over the chains and\n"
              "reads and the largest sum wins. Numeric-spec options override the\n"
              "model's spec (a what-if: the same weights at another precision).");
  sub->add_option("--model", a->model, "checkpoint file or run directory")->required();
  sub->add_option("--dataset", a->dataset, "dataset (default: the one trained on)");
  sub->add_option("--split", a->split, "test | train")->capture_default_str();
  sub->add_option("--images", a->images, "a random subset of N images (0 = all)")->check(NonNegative);
  sub->add_option("--burn-in", a->cfg.burn_in, "sweeps before the first read (a model trained by the conditional term alone: its conditional phase's burn-in)")->capture_default_str()->check(CLI::Range(0, 1 << 30));
  sub->add_option("--reads", a->cfg.reads, "label reads (conditional-term models: their conditional phase's reads)")->capture_default_str()->check(CLI::Range(1, 1 << 30));
  sub->add_option("--read-every", a->cfg.read_every, "sweeps between reads")->capture_default_str()->check(CLI::Range(1, 1 << 30));
  sub->add_option("--anneal", a->anneal, "burn-in anneal, factors of the model's beta (as generate --anneal), e.g. linear:0.3,1,10")
      ->capture_default_str();
  sub->add_option("--readout", a->readout, "bits (sampled label bits) | prob (their conditional probabilities) | field (their local fields: log-odds)")
      ->capture_default_str();
  sub->add_option("--protocol", a->protocol,
                  "default | published: the published test code's readout (1 chain per image, label bits read 500 "
                  "times 200 sweeps apart, averaged over copies) for the options not given")
      ->capture_default_str();
  sub->add_option("--replicas", a->cfg.replicas, "chains per image (their reads are added)")
      ->capture_default_str()->check(CLI::Range(1, 4096));
  sub->add_option("--chunk", a->cfg.chunk, "images sampled at once (x replicas chains)")->capture_default_str()->check(CLI::Range(1, 1 << 22));
  sub->add_option("--beta", a->beta, "inverse temperature (default: the model's)");
  sub->add_option("--binarize-threshold", a->cfg.binarize_threshold, "pixel > threshold is on (default: as trained)")
      ->check(CLI::Range(0, 255));
  sub->add_option("--seed", a->cfg.seed, "seed of the p-bit RNGs")->capture_default_str()->check(NonNegative);
  sub->add_option("--threads", a->cfg.threads, "threads (0 = all)")->capture_default_str()->check(CLI::Range(0, 1024));
  sub->add_option("--backend", a->backend, "ref | rtl | board (--port: a board or `pbit fpga sim`) | float")->capture_default_str();
  sub->add_option("--curve", a->curve, "write accuracy vs sweeps as a PNG chart");
  sub->add_flag("--quiet", a->quiet, "no progress on stderr");
  sub->add_flag("--json", a->json, "print one JSON document on stdout");
  a->spec.add_to(*sub);
  a->backends.add_to(*sub);
  return {sub, {}, [a](const parallel::Communicator& comm) { return run_eval(*a, comm); }, "--chunk or --replicas"};
}

Command add_generate_command(CLI::App& app) {
  auto a = std::make_shared<GenArgs>();
  auto* sub = app.add_subcommand("generate", "Generate images with a trained DBM: clamp a class, anneal beta");
  a->sub = sub;
  sub->footer("One chain per sample: the label bits of its class clamped (one-hot), their couplings times\n"
              "--label-gain, pixels and hidden units free, beta annealed along --anneal, then pixel means over\n"
              "the last sweeps. The PNG shows one row per class.");
  sub->add_option("--model", a->model, "checkpoint file or run directory")->required();
  sub->add_option("--out", a->out, "PNG of pixel probabilities (rows: classes)")->capture_default_str();
  sub->add_option("--binary-out", a->binary_out, "also a PNG of the final binary states");
  sub->add_option("--per-class", a->cfg.per_class, "samples per class")->capture_default_str()->check(CLI::Range(1, 10000));
  sub->add_option("--classes", a->classes, "comma list of classes (default: all)");
  sub->add_option("--anneal", a->schedule, "beta schedule as factors of the model's beta: F | F0,F1,... | linear:F0,F1,STEPS | geometric:F0,F1,STEPS")
      ->capture_default_str();
  sub->add_option("--sweeps-per-beta", a->cfg.sweeps_per_beta, "sweeps at each beta")->capture_default_str()->check(CLI::Range(1, 1 << 30));
  sub->add_option("--label-gain", a->cfg.label_gain,
                  "label guidance: multiply the label bits' couplings by this while generating")
      ->capture_default_str();
  sub->add_option("--average-last", a->cfg.average_last, "final sweeps averaged (at the last beta)")->capture_default_str()->check(CLI::Range(1, 1 << 30));
  sub->add_option("--seed", a->cfg.seed, "seed of the p-bit RNGs")->capture_default_str()->check(NonNegative);
  sub->add_option("--threads", a->cfg.threads, "threads (0 = all)")->capture_default_str()->check(CLI::Range(0, 1024));
  sub->add_option("--backend", a->backend, "ref | rtl | float")->capture_default_str();
  sub->add_option("--mean-from", a->mean_from,
                  "probability image from: conditional (each pixel's P(on | neighbours), less noise) | states")
      ->capture_default_str()
      ->check(CLI::IsMember({"conditional", "states"}));
  sub->add_flag("--judge,!--no-judge", a->judge,
                "judge the samples by their nearest training digits (default on for labelled models)");
  sub->add_option("--judge-dataset", a->judge_dataset, "dataset to judge against (default: the one trained on)");
  sub->add_flag("--json", a->json, "print one JSON document on stdout");
  a->spec.add_to(*sub);
  a->backends.add_to(*sub);
  return {sub, [a] { return run_generate(*a); }, {}, "--per-class or --classes"};
}

}  // namespace pbit::cli

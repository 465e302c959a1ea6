#include <pbit/dbm/trainer.hpp>
#include <pbit/error.hpp>
#include <pbit/random.hpp>

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace pbit::dbm {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Seed streams (derive_seed(seed, stream, ...)).
constexpr std::uint64_t kStreamInit = 1, kStreamOrder = 2, kStreamSampler = 3;

}  // namespace

void run_annealed(Sampler& sampler, std::uint64_t sweeps, const std::vector<double>& factors, double beta) {
  if (factors.empty()) {
    if (sweeps > 0) sampler.run(sweeps, false);
    return;
  }
  const std::size_t steps = factors.size();
  for (std::size_t k = 0; k < steps; ++k) {
    // an even split of the sweeps, the first steps get the remainder
    const std::uint64_t sw = sweeps / steps + (k < sweeps % steps ? 1 : 0);
    if (sw == 0) continue;
    sampler.set_beta(factors[k] * beta);
    sampler.run(sw, false);
  }
  sampler.set_beta(beta);
}

void read_states(const Sampler& sampler, int chains, std::vector<std::vector<std::int8_t>>& out, int threads) {
  out.resize(static_cast<std::size_t>(chains));
  // The ref backend's state() is a const read of plain memory: safe to call
  // from several threads (it is the trainer's largest cost after sampling).
  // Other backends (a simulated board answers over its bus) are read in order.
  const int nt = threads > 0 ? threads : omp_get_max_threads();
  const bool parallel = sampler.name() == "ref" && chains >= 64 && nt > 1;
#pragma omp parallel for schedule(static) num_threads(nt) if (parallel)
  for (int c = 0; c < chains; ++c) out[static_cast<std::size_t>(c)] = sampler.state(c);
}

namespace {

}  // namespace

const char* to_string(Optimizer o) { return o == Optimizer::Adam ? "adam" : "sgd"; }
Optimizer parse_optimizer(const std::string& s) {
  if (s == "sgd") return Optimizer::Sgd;
  if (s == "adam") return Optimizer::Adam;
  throw Error("unknown optimizer '" + s + "' (known: sgd, adam)");
}

void TrainConfig::validate() const {
  auto bad = [](const std::string& what) { throw Error(what); };
  if (epochs < 0) bad("epochs must be >= 0");
  if (batch < 1) bad("batch must be >= 1");
  if (chains < batch) bad("chains (" + std::to_string(chains) + ") must be >= batch (" + std::to_string(batch) + ")");
  if (chains % batch != 0)
    bad("chains (" + std::to_string(chains) + ") must be a multiple of the batch size (" +
        std::to_string(batch) + "): every image of a batch gets chains/batch positive chains");
  if (!(lr > 0) || !std::isfinite(lr)) bad("the learning rate must be > 0");
  if (!(label_lr_scale > 0) || !std::isfinite(label_lr_scale)) bad("the label learning-rate scale must be > 0");
  if (!std::isfinite(lr_final)) bad("the final learning rate must be finite");
  if (!(momentum >= 0 && momentum < 1)) bad("momentum must be in [0, 1)");
  if (!(adam_beta2 >= 0 && adam_beta2 < 1)) bad("adam beta2 must be in [0, 1)");
  if (!(adam_eps > 0) || !std::isfinite(adam_eps)) bad("adam epsilon must be > 0");
  if (!(weight_decay >= 0) || !std::isfinite(weight_decay)) bad("weight decay must be >= 0");
  if (!(init_std >= 0) || !std::isfinite(init_std)) bad("the initial weight std must be >= 0");
  if (pos_burn_in < 0 || neg_burn_in < 0 || cond_burn_in < 0) bad("burn-in sweeps must be >= 0");
  if (pos_sweeps < 1 || neg_sweeps < 1 || cond_sweeps < 1) bad("sweeps per phase must be >= 1");
  if (!(cond_weight >= 0) || !std::isfinite(cond_weight)) bad("the conditional weight must be >= 0");
  if (threads < 0) bad("threads must be >= 0");
  for (double f : cond_anneal)
    if (!(f > 0) || !std::isfinite(f)) bad("conditional-phase anneal factors must be finite and > 0");
  if (binarize_threshold < 0 || binarize_threshold > 255) bad("the binarization threshold must be in 0..255");
}

double TrainConfig::lr_at(int epoch) const {
  if (lr_final < 0 || epochs <= 1) return lr;
  const double t = std::clamp(static_cast<double>(epoch) / (epochs - 1), 0.0, 1.0);
  return lr + (lr_final - lr) * t;
}

Trainer::Trainer(Model model, const TrainConfig& config, Sampler& sampler, const data::Dataset& train)
    : model_(std::move(model)), cfg_(config), sampler_(sampler) {
  cfg_.validate();
  set_data(train);
  std::vector<double> p(static_cast<std::size_t>(model_.arch().num_pixels()), 0.0);
  const std::size_t np = p.size();
  for (std::size_t k = 0; k < num_images_; ++k)
    for (std::size_t q = 0; q < np; ++q) p[q] += pixels01_[k * np + q];
  for (auto& x : p) x /= static_cast<double>(num_images_);
  model_.init(cfg_.init_std, p, derive_seed(cfg_.seed, kStreamInit));
  vJ_.assign(model_.num_edges(), 0.0);
  vh_.assign(model_.num_nodes(), 0.0);
  if (cfg_.optimizer == Optimizer::Adam) {
    sJ_.assign(model_.num_edges(), 0.0);
    sh_.assign(model_.num_nodes(), 0.0);
  }
  chains_.assign(static_cast<std::size_t>(cfg_.chains), std::vector<std::int8_t>(model_.num_nodes(), -1));
}

Trainer::Trainer(const Checkpoint& ck, Sampler& sampler, const data::Dataset& train)
    : model_(model_from_checkpoint(ck)), cfg_(ck.config), sampler_(sampler), dataset_(ck.dataset),
      train_images_(ck.train_images) {
  cfg_.validate();
  set_data(train);
  if (ck.vJ.size() != model_.num_edges() || ck.vh.size() != model_.num_nodes())
    throw Error("checkpoint: momentum does not match the graph");
  if (ck.chains.size() != static_cast<std::size_t>(cfg_.chains))
    throw Error("checkpoint: " + std::to_string(ck.chains.size()) + " persistent chains, config says " +
                std::to_string(cfg_.chains));
  vJ_ = ck.vJ;
  vh_ = ck.vh;
  sJ_ = ck.sJ;
  sh_ = ck.sh;
  steps_ = ck.steps;
  if (cfg_.optimizer == Optimizer::Adam && (sJ_.size() != vJ_.size() || sh_.size() != vh_.size()))
    throw Error("checkpoint: Adam's second moments are missing or do not match the graph");
  chains_ = ck.chains;
  epoch_ = ck.epoch;
  batch_ = ck.batch;
  if (batch_ < 0 || batch_ > batches_) throw Error("checkpoint: batch position out of range for this dataset");
  if (batch_ == batches_) {  // interrupted between the last batch and the epoch's end
    batch_ = 0;
    ++epoch_;
  }
  history_ = ck.history;
  total_seconds_ = ck.total_seconds;
}

void Trainer::set_data(const data::Dataset& train) {
  train.validate();
  const auto& a = model_.arch();
  if (train.rows != a.rows || train.cols != a.cols)
    throw Error(train.name + ": images are " + std::to_string(train.rows) + "x" + std::to_string(train.cols) +
                ", the model's pixel grid is " + std::to_string(a.rows) + "x" + std::to_string(a.cols));
  if (a.classes > 0)
    for (auto l : train.labels)
      if (l >= a.classes) throw Error(train.name + ": label " + std::to_string(l) + " >= the model's classes");
  if (cfg_.cond_weight > 0 && a.classes == 0) throw Error("the conditional term needs a labelled model");
  pixels01_ = data::binarize(train, cfg_.binarize_threshold);
  labels_ = train.labels;
  num_images_ = train.size();
  batches_ = static_cast<int>(num_images_ / static_cast<std::size_t>(cfg_.batch));
  if (batches_ == 0)
    throw Error("batch size " + std::to_string(cfg_.batch) + " is larger than the " +
                std::to_string(num_images_) + " training images");
  mask_none_.assign(model_.num_nodes(), 0);
  is_label_ = model_.clamp_mask(false, true);
  mask_pixels_ = model_.clamp_mask(true, false);
  mask_visible_ = model_.clamp_mask(true, true);
}

void Trainer::setup_sampler() {
  const auto t0 = Clock::now();
  sampler_.load(model_.weights(), model_.spec(), model_.beta());
  sampler_.configure({cfg_.chains, derive_seed(cfg_.seed, kStreamSampler, static_cast<std::uint64_t>(epoch_),
                                               static_cast<std::uint64_t>(batch_)),
                      cfg_.threads});
  order_ = data::shuffled_indices(num_images_, derive_seed(cfg_.seed, kStreamOrder, static_cast<std::uint64_t>(epoch_)));
  if (cfg_.balanced && model_.arch().classes > 0) {
    // Class-balanced batches: deal the shuffled images round-robin by class
    // (the class order of every round shuffled too), so a batch's label
    // frequencies do not jitter around 1/classes.
    const int K = model_.arch().classes;
    std::vector<std::vector<std::size_t>> by_class(static_cast<std::size_t>(K));
    for (auto i : order_) by_class[labels_[i]].push_back(i);
    Rng rng(derive_seed(cfg_.seed, kStreamOrder, static_cast<std::uint64_t>(epoch_), 1));
    std::vector<std::size_t> cursor(static_cast<std::size_t>(K), 0), classes(static_cast<std::size_t>(K));
    for (int k = 0; k < K; ++k) classes[static_cast<std::size_t>(k)] = static_cast<std::size_t>(k);
    order_.clear();
    while (order_.size() < num_images_) {
      for (std::size_t k = classes.size(); k > 1; --k) std::swap(classes[k - 1], classes[rng.below(k)]);
      for (auto k : classes)
        if (cursor[k] < by_class[k].size()) order_.push_back(by_class[k][cursor[k]++]);
    }
  }
  // CD keeps its chains in the sampler between updates: put back the host copy
  // (refreshed at every epoch end; PCD writes it before every negative phase).
  if (!cfg_.persistent)
    for (int c = 0; c < cfg_.chains; ++c) sampler_.set_state(c, chains_[static_cast<std::size_t>(c)]);
  need_setup_ = false;
  times_.epoch_setup += since(t0);
}

BatchReport Trainer::step() {
  if (done()) throw Error("training is already complete");
  const auto t_start = Clock::now();
  if (need_setup_) setup_sampler();
  const int C = cfg_.chains, B = cfg_.batch, per = C / B;
  const std::size_t n = model_.num_nodes(), ne = model_.num_edges();
  const std::size_t base = static_cast<std::size_t>(batch_) * static_cast<std::size_t>(B);
  const auto np = static_cast<std::size_t>(model_.arch().num_pixels());

  // Negative phase: nothing clamped. Persistent: the chains kept on the host
  // are written back first and read after; CD: it continues from the states
  // the clamped phases left (no chain I/O).
  Stats neg;
  auto negative_phase = [&] {
    auto t0 = Clock::now();
    sampler_.set_clamp_mask(mask_none_);
    times_.clamps += since(t0);
    if (cfg_.persistent) {
      t0 = Clock::now();
      for (int c = 0; c < C; ++c) sampler_.set_state(c, chains_[static_cast<std::size_t>(c)]);
      times_.chains_io += since(t0);
    }
    t0 = Clock::now();
    if (cfg_.neg_burn_in > 0) sampler_.run(static_cast<std::uint64_t>(cfg_.neg_burn_in), false);
    sampler_.reset_stats();
    sampler_.run(static_cast<std::uint64_t>(cfg_.neg_sweeps), true);
    neg = sampler_.stats();
    times_.neg += since(t0);
    // CD keeps its states in the sampler; the host copy (checkpoints, the
    // frozen-unit metric, the restore at an epoch start) is refreshed at the
    // end of every epoch.
    if (cfg_.persistent || batch_ + 1 == batches_) {
      t0 = Clock::now();
      read_states(sampler_, C, chains_, cfg_.threads);
      times_.chains_io += since(t0);
    }
  };
  if (cfg_.persistent) negative_phase();
  auto t0 = Clock::now();

  // Clamp values: chain c shows image c / per of the batch (pixels and label;
  // which of them act is decided by the mask of the phase).
  const bool cond_on = cfg_.cond_weight > 0;
  const bool labelled = model_.arch().classes > 0;
  t0 = Clock::now();
  {
    std::vector<std::int8_t> m(n, -1);
    for (int c = 0; c < C; ++c) {
      const std::size_t img = order_[base + static_cast<std::size_t>(c / per)];
      model_.encode(m, pixels01_.data() + img * np, labelled ? labels_[img] : -1);
      sampler_.set_clamp_values(c, m);
    }
  }
  times_.clamps += since(t0);

  BatchReport rep;
  rep.epoch = epoch_;
  rep.batch = batch_;
  rep.batches = batches_;

  // Conditional phase: pixels clamped, labels free.
  Stats cond;
  auto conditional_phase = [&] {
    if (cond_on) {
      t0 = Clock::now();
      sampler_.set_clamp_mask(mask_pixels_);
      run_annealed(sampler_, static_cast<std::uint64_t>(cfg_.cond_burn_in), cfg_.cond_anneal, model_.beta());
      sampler_.reset_stats();
      sampler_.run(static_cast<std::uint64_t>(cfg_.cond_sweeps), true);
      cond = sampler_.stats();
      times_.cond += since(t0);
      // Running training accuracy from the last states: label copies of the
      // image's chains summed, argmax (ties to the lower class).
      t0 = Clock::now();
      const int K = model_.arch().classes, copies = model_.arch().label_copies;
      // (the first chain of every image: reading all would cost as much as sampling)
      std::vector<int> votes(static_cast<std::size_t>(B * K), 0);
      for (int b = 0; b < B; ++b) {
        const auto s = sampler_.state(b * per);
        for (int k = 0; k < K; ++k)
          for (int q = 0; q < copies; ++q) votes[static_cast<std::size_t>(b * K + k)] += s[model_.label_node(k, q)];
      }
      int correct = 0;
      for (int b = 0; b < B; ++b) {
        const auto* v = votes.data() + b * K;
        const int pred = static_cast<int>(std::max_element(v, v + K) - v);
        correct += pred == labels_[order_[base + static_cast<std::size_t>(b)]];
      }
      rep.train_accuracy = static_cast<double>(correct) / B;
      ep_acc_sum_ += rep.train_accuracy;
      ++ep_acc_n_;
      times_.chains_io += since(t0);
    }
  };
  // Positive phase: pixels and labels clamped.
  Stats pos;
  auto positive_phase = [&] {
    t0 = Clock::now();
    sampler_.set_clamp_mask(mask_visible_);
    times_.clamps += since(t0);
    t0 = Clock::now();
    if (cfg_.pos_burn_in > 0) sampler_.run(static_cast<std::uint64_t>(cfg_.pos_burn_in), false);
    sampler_.reset_stats();
    sampler_.run(static_cast<std::uint64_t>(cfg_.pos_sweeps), true);
    pos = sampler_.stats();
    times_.pos += since(t0);
  };
  if (cfg_.cond_from_data) {
    positive_phase();
    conditional_phase();
  } else {
    conditional_phase();
    positive_phase();
  }
  if (!cfg_.persistent) negative_phase();

  // Update.
  t0 = Clock::now();
  const double lr = cfg_.lr_at(epoch_), mom = cfg_.momentum, wd = cfg_.weight_decay, lam = cfg_.cond_weight;
  auto& W = model_.weights();
  double gap = 0;
  ++steps_;
  const bool adam = cfg_.optimizer == Optimizer::Adam;
  const double b2 = cfg_.adam_beta2, eps = cfg_.adam_eps;
  const double c1 = adam ? 1.0 - std::pow(mom, static_cast<double>(steps_)) : 1.0;
  const double c2 = adam ? 1.0 - std::pow(b2, static_cast<double>(steps_)) : 1.0;
  // One parameter's step from its gradient g and its moments v (first), s (second).
  auto step_of = [&](double g, double& v, double* s, double rate) {
    if (!adam) {
      v = mom * v + rate * g;
      return v;
    }
    v = mom * v + (1 - mom) * g;
    *s = b2 * *s + (1 - b2) * g * g;
    return rate * (v / c1) / (std::sqrt(*s / c2) + eps);
  };
  const double lr_label = lr * cfg_.label_lr_scale;
  const auto& edges = model_.graph().edges();
  for (std::size_t e = 0; e < ne; ++e) {
    double g = pos.corr[e] - neg.corr[e];
    gap += std::abs(g);
    if (cond_on) g += lam * (pos.corr[e] - cond.corr[e]);
    g -= wd * W.J[e];
    const bool readout = is_label_[edges[e].u] || is_label_[edges[e].v];
    W.J[e] += step_of(g, vJ_[e], adam ? &sJ_[e] : nullptr, readout ? lr_label : lr);
  }
  for (std::size_t i = 0; i < n; ++i) {
    double g = pos.mean[i] - neg.mean[i];
    if (cond_on) g += lam * (pos.mean[i] - cond.mean[i]);
    W.h[i] += step_of(g, vh_[i], adam ? &sh_[i] : nullptr, is_label_[i] ? lr_label : lr);
  }
  double mgap = 0;
  for (auto i : model_.placement().pixels) mgap += std::abs(pos.mean[i] - neg.mean[i]);
  model_.clip_weights();
  sampler_.update_weights(W);
  times_.update += since(t0);

  rep.corr_gap = ne ? gap / static_cast<double>(ne) : 0.0;
  rep.mean_gap = np ? mgap / static_cast<double>(np) : 0.0;
  ep_corr_gap_ += rep.corr_gap;
  ep_mean_gap_ += rep.mean_gap;
  ++ep_batches_;
  ++batch_;
  const double dt = since(t_start);
  ep_seconds_ += dt;
  total_seconds_ += dt;
  return rep;
}

EpochRecord Trainer::finish_epoch() {
  if (!at_epoch_end()) throw Error("finish_epoch: the epoch is not complete");
  EpochRecord r;
  r.epoch = epoch_ + 1;
  r.seconds = ep_seconds_;
  r.total_seconds = total_seconds_;
  r.lr = cfg_.lr_at(epoch_);
  r.train_accuracy = ep_acc_n_ ? ep_acc_sum_ / ep_acc_n_ : -1.0;
  r.corr_gap = ep_batches_ ? ep_corr_gap_ / ep_batches_ : 0.0;
  r.mean_gap = ep_batches_ ? ep_mean_gap_ / ep_batches_ : 0.0;
  const auto& W = model_.weights();
  double s = 0;
  std::size_t nz = 0;
  const bool fold = model_.spec().beta_mode == BetaMode::Fold;
  for (double j : W.J) {
    s += std::abs(j);
    nz += quantize_weight(fold ? model_.beta() * j : j, model_.spec()) != 0;
  }
  r.mean_abs_j = W.J.empty() ? 0.0 : s / static_cast<double>(W.J.size());
  r.nonzero_j = W.J.empty() ? 0.0 : static_cast<double>(nz) / static_cast<double>(W.J.size());
  // Hidden units stuck at one value in (nearly) every persistent chain: a
  // sign of a glassy hidden layer (couplings grown too strong to mix).
  std::size_t frozen = 0;
  for (auto i : model_.placement().hidden) {
    double sum = 0;
    for (const auto& c : chains_) sum += c[i];
    frozen += std::abs(sum) > 0.9 * static_cast<double>(chains_.size());
  }
  r.frozen_hidden = model_.placement().hidden.empty()
                        ? 0.0
                        : static_cast<double>(frozen) / static_cast<double>(model_.placement().hidden.size());
  ++epoch_;
  batch_ = 0;
  need_setup_ = true;
  ep_seconds_ = ep_acc_sum_ = ep_corr_gap_ = ep_mean_gap_ = 0;
  ep_acc_n_ = ep_batches_ = 0;
  return r;
}

Checkpoint Trainer::checkpoint() const {
  Checkpoint ck;
  ck.arch = model_.arch();
  ck.spec = model_.spec();
  ck.beta = model_.beta();
  ck.config = cfg_;
  ck.dataset = dataset_;
  ck.train_images = train_images_;
  ck.epoch = epoch_;
  ck.batch = batch_;
  ck.J = model_.weights().J;
  ck.h = model_.weights().h;
  ck.vJ = vJ_;
  ck.vh = vh_;
  ck.sJ = sJ_;
  ck.sh = sh_;
  ck.steps = steps_;
  ck.chains = chains_;
  ck.history = history_;
  ck.total_seconds = total_seconds_;
  return ck;
}

}  // namespace pbit::dbm

#include <pbit/dbm/trainer.hpp>
#include <pbit/error.hpp>
#include <pbit/parallel/distributed_sampler.hpp>
#include <pbit/random.hpp>
#include <pbit/resources.hpp>

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
constexpr std::uint64_t kStreamInit = 1, kStreamOrder = 2, kStreamSampler = 3, kStreamShift = 4, kStreamCoupled = 5;

// The edge id of every entry of g.adj() (the graph's CSR neighbour lists).
std::vector<std::uint32_t> adjacency_edge_ids(const graphs::Graph& g) {
  const auto& off = g.adj_offsets();
  const auto& adj = g.adj();
  std::vector<std::uint32_t> ids(adj.size(), 0);
  for (std::size_t e = 0; e < g.edges().size(); ++e) {
    const auto u = g.edges()[e].u, v = g.edges()[e].v;
    for (auto k = off[u]; k < off[u + 1]; ++k)
      if (adj[k] == v) ids[k] = static_cast<std::uint32_t>(e);
    for (auto k = off[v]; k < off[v + 1]; ++k)
      if (adj[k] == u) ids[k] = static_cast<std::uint32_t>(e);
  }
  return ids;
}

// The field readout of states m on the master weights (what `pbit eval` reads
// and both the readout term and mean-field pre-training train):
// z_k = beta * sum over class k's copies of (h + sum J m), with its softmax.
struct FieldReadout {
  std::vector<double> z;
  double zmax = 0, zs = 0;  // max z and sum exp(z - zmax)
  bool predicts(int y) const {
    return static_cast<int>(std::max_element(z.begin(), z.end()) - z.begin()) == y;
  }
  double loss(int y) const { return std::log(zs) - (z[static_cast<std::size_t>(y)] - zmax); }
  // d loss / d field of each copy of class k (cross-entropy against class y).
  double delta(int k, int y, double beta) const {
    return beta * (std::exp(z[static_cast<std::size_t>(k)] - zmax) / zs - (k == y ? 1.0 : 0.0));
  }
};

FieldReadout field_readout(const Model& model, const std::vector<std::uint32_t>& adj_edge, const double* m) {
  const auto& off = model.graph().adj_offsets();
  const auto& adj = model.graph().adj();
  const auto& W = model.weights();
  const int K = model.arch().classes, copies = model.arch().label_copies;
  FieldReadout r;
  r.z.assign(static_cast<std::size_t>(K), 0.0);
  for (int k = 0; k < K; ++k)
    for (int q = 0; q < copies; ++q) {
      const std::uint32_t l = model.label_node(k, q);
      double f = W.h[l];
      for (auto e = off[l]; e < off[l + 1]; ++e) f += W.J[adj_edge[e]] * m[adj[e]];
      r.z[static_cast<std::size_t>(k)] += model.beta() * f;
    }
  r.zmax = *std::max_element(r.z.begin(), r.z.end());
  for (double v : r.z) r.zs += std::exp(v - r.zmax);
  return r;
}

// Host-side gradients over a batch's images go in kGroups fixed groups (image
// b in group b % kGroups), each summed into its own buffer, the buffers then
// in group order: the result does not depend on the thread count. With more
// than one process, each computes its share of the groups; this gives every
// process all groups' buffers and per-image results, so the sums that follow
// are the one-process sums.
void gather_group_results(const parallel::Communicator& comm, int groups, std::vector<std::vector<double>>& gJ,
                          std::vector<std::vector<double>>& gh, std::vector<int>& per_image,
                          std::vector<double>* per_image2) {
  if (comm.size() == 1) return;
  parallel::gather_groups(comm, {&gJ, &gh});
  auto owner = [&](std::size_t b) { return parallel::owner(static_cast<int>(b % static_cast<std::size_t>(groups)), groups, comm.size()); };
  parallel::gather_owned(comm, per_image, owner);
  if (per_image2) parallel::gather_owned(comm, *per_image2, owner);
}

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


Recipe fast_recipe(int epochs) {
  Recipe r;
  r.beta = 0.25;
  r.placement = graphs::PlacementMethod::Spread;
  // 20 copies (200 label p-bits) reach most hidden units directly; with the
  // published 5, clamping a class barely shapes the pixels (README).
  r.label_copies = 20;
  auto& c = r.config;
  c.epochs = epochs;
  c.batch = 50;
  c.chains = 200;
  c.lr = 0.003;
  c.lr_final = 0.0003;
  c.momentum = 0.9;
  c.optimizer = Optimizer::Adam;
  c.init_std = 0.5;
  c.persistent = true;
  c.mf_epochs = (2 * epochs + 2) / 5;
  c.mf_steps = 8;
  c.mf_lr = 0.01;
  c.shift = 1;
  c.disc_weight = 1.0;
  c.disc_depth = 4;
  c.gen_weight = 0.3;
  c.cond_weight = 0.0;
  c.cond_cold = true;
  c.cond_burn_in = 20;
  c.cond_sweeps = 10;
  c.pos_burn_in = 3;
  c.pos_sweeps = 3;
  c.neg_burn_in = 0;
  c.neg_sweeps = 20;
  return r;
}

Recipe published_recipe() {
  Recipe r;
  r.beta = 1.0;
  r.placement = graphs::PlacementMethod::Random;
  r.label_copies = 5;
  auto& c = r.config;
  c.epochs = 100;
  c.batch = 50;
  c.chains = 500;
  c.lr = 0.003;
  c.momentum = 0.6;
  c.optimizer = Optimizer::Sgd;
  c.init_std = 0.01;
  c.persistent = true;
  c.pos_burn_in = 3;
  c.pos_sweeps = 1;
  c.neg_burn_in = 199;
  c.neg_sweeps = 1;
  c.cond_weight = 0.0;
  return r;
}

Recipe boltzmann_recipe(int epochs) {
  Recipe r;
  r.beta = 0.25;
  r.placement = graphs::PlacementMethod::Spread;
  // 50 copies: a label bit has few neighbours on the sparse graph; more
  // copies reach more hidden units (README, "Boltzmann learning").
  r.label_copies = 50;
  auto& c = r.config;
  c.epochs = epochs;
  c.batch = 50;
  c.chains = 400;
  // SGD rather than Adam: Adam gives every coupling the same step, SGD lets
  // those with a consistent gradient move most (+0.3 points alone, +1 point
  // with the longer conditional phase below; README, "Boltzmann learning").
  c.lr = 0.1;
  c.lr_final = 0.005;
  // The label couplings learn at 0.3 x lr, and the initial couplings are
  // broad: +1.1 points on the test set together (README, "Boltzmann learning").
  c.label_lr_scale = 0.3;
  c.momentum = 0.9;
  c.optimizer = Optimizer::Sgd;
  c.init_std = 0.75;
  c.persistent = true;
  // Only the conditional term: <.>(pixels, label clamped) - <.>(pixels
  // clamped), both sampled. The free phase starts cold and runs as long as
  // the readout that classifies with the model (`pbit eval` defaults to it).
  c.gen_weight = 0.0;
  c.cond_weight = 1.0;
  c.disc_weight = 0.0;
  c.mf_epochs = 0;
  c.shift = 0;
  c.cond_cold = true;
  // Twice as long as 200 + 100: +0.55 points read alike, +0.74 read as long
  // (README, "Boltzmann learning").
  c.cond_burn_in = 400;
  c.cond_sweeps = 200;
  c.pos_burn_in = 5;
  c.pos_sweeps = 5;
  return r;
}

ReadoutLengths trained_readout(const TrainConfig& c) {
  if (c.cond_weight > 0 && c.disc_weight == 0 && c.mf_epochs == 0 && c.cond_cold)
    return {c.cond_burn_in, c.cond_sweeps};
  return {};
}

const char* to_string(Optimizer o) { return o == Optimizer::Adam ? "adam" : "sgd"; }
Optimizer parse_optimizer(const std::string& s) {
  if (s == "sgd") return Optimizer::Sgd;
  if (s == "adam") return Optimizer::Adam;
  throw Error("unknown optimizer '" + s + "' (known: sgd, adam)");
}

const char* training_method(const TrainConfig& c) {
  return c.mf_epochs > 0 || c.disc_weight > 0 ? kHybrid : kBoltzmann;
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
  if (!(average >= 0 && average < 1)) bad("the weight-averaging decay must be in [0, 1)");
  if (!(init_std >= 0) || !std::isfinite(init_std)) bad("the initial weight std must be >= 0");
  if (pos_burn_in < 0 || neg_burn_in < 0 || cond_burn_in < 0) bad("burn-in sweeps must be >= 0");
  if (pos_sweeps < 1 || neg_sweeps < 1 || cond_sweeps < 1) bad("sweeps per phase must be >= 1");
  if (!(cond_weight >= 0) || !std::isfinite(cond_weight)) bad("the conditional weight must be >= 0");
  if (!(gen_weight >= 0) || !std::isfinite(gen_weight)) bad("the generative weight must be >= 0");
  if (!(disc_weight >= 0) || !std::isfinite(disc_weight)) bad("the readout weight must be >= 0");
  if (disc_depth < 0 || disc_depth > 1000) bad("the readout term's depth must be in 0..1000");
  if (mf_epochs < 0) bad("mean-field epochs must be >= 0");
  if (mf_steps < 1 || mf_steps > 1000) bad("mean-field steps must be in 1..1000");
  if (!(mf_lr > 0) || !std::isfinite(mf_lr)) bad("the mean-field learning rate must be > 0");
  if (shift < 0 || shift > 8) bad("the augmentation shift must be in 0..8 pixels");
  if (gen_weight == 0 && cond_weight == 0 && disc_weight == 0)
    bad("the generative, conditional and readout weights are all 0: nothing to learn");
  if (coupled && cond_weight == 0) bad("coupled phases need the conditional term (cond_weight > 0)");
  if (threads < 0) bad("threads must be >= 0");
  for (double f : cond_anneal)
    if (!(f > 0) || !std::isfinite(f)) bad("conditional-phase anneal factors must be finite and > 0");
  if (binarize_threshold < 0 || binarize_threshold > 255) bad("the binarization threshold must be in 0..255");
}

double TrainConfig::lr_at(int epoch, int update, int updates) const {
  if (epoch < mf_epochs) return mf_lr;
  const int sampler_epochs = epochs - mf_epochs;
  if (lr_final < 0) return lr;
  double t;
  if (lr_per_update) {
    const double last = static_cast<double>(sampler_epochs) * updates - 1;  // the last update's index
    if (last <= 0) return lr;
    t = (static_cast<double>(epoch - mf_epochs) * updates + update) / last;
  } else {
    if (sampler_epochs <= 1) return lr;
    t = static_cast<double>(epoch - mf_epochs) / (sampler_epochs - 1);
  }
  return lr + (lr_final - lr) * std::clamp(t, 0.0, 1.0);
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
  check_memory(mul_sat(static_cast<std::uint64_t>(cfg_.chains), std::uint64_t{model_.num_nodes()} + 40),
               "train: " + std::to_string(cfg_.chains) + " persistent chains of " + model_.graph().spec() + " need",
               "lower the number of chains");
  chains_.assign(static_cast<std::size_t>(cfg_.chains), std::vector<std::int8_t>(model_.num_nodes(), -1));
}

Trainer::Trainer(const Checkpoint& ck, Sampler& sampler, const data::Dataset& train)
    : model_(model_from_checkpoint(ck)), cfg_(ck.config), sampler_(sampler), dataset_(ck.dataset),
      data_description_(ck.data), train_images_(ck.train_images) {
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
  gvJ_ = ck.gvJ;
  gvh_ = ck.gvh;
  gsJ_ = ck.gsJ;
  gsh_ = ck.gsh;
  // (model_from_checkpoint gave the averaged weights: training goes on from the iterates)
  model_.weights().J = ck.J;
  model_.weights().h = ck.h;
  aJ_ = ck.aJ;
  ah_ = ck.ah;
  epoch_ = ck.epoch;
  batch_ = ck.batch;
  if (batch_ < 0 || batch_ > batches_) throw Error("checkpoint: batch position out of range for this dataset");
  if (batch_ == batches_) {  // interrupted between the last batch and the epoch's end
    batch_ = 0;
    ++epoch_;
  }
  history_ = ck.history;
  total_seconds_ = ck.total_seconds;
  flips_ = ck.flips;
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
  if (cfg_.disc_weight > 0 && a.classes == 0) throw Error("the readout term needs a labelled model");
  if (cfg_.mf_epochs > 0 && a.classes == 0) throw Error("mean-field pre-training needs a labelled model");
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
  if (cfg_.cond_cold) cold_.assign(static_cast<std::size_t>(cfg_.chains), std::vector<std::int8_t>(model_.num_nodes(), -1));
}

double readout_gradient(const Model& model, const std::vector<double>& mean, const std::vector<int>& labels,
                        int depth, std::vector<double>& dJ, std::vector<double>& dh, int threads, double* loss,
                        const parallel::Communicator& comm) {
  const auto& g = model.graph();
  const auto& off = g.adj_offsets();
  const auto& adj = g.adj();
  const std::size_t n = model.num_nodes(), ne = model.num_edges();
  const int B = static_cast<int>(labels.size()), K = model.arch().classes, copies = model.arch().label_copies;
  if (K == 0) throw Error("the readout term needs a labelled model");
  if (mean.size() != static_cast<std::size_t>(B) * n) throw Error("readout gradient: mean states do not match the batch");
  const auto adj_edge = adjacency_edge_ids(g);
  const auto clamped = model.clamp_mask(true, false);
  for (int y : labels)
    if (y < 0 || y >= K) throw Error("readout gradient: label " + std::to_string(y) + " out of range");
  const auto& W = model.weights();
  const double beta = model.beta();
  // Images are summed in a fixed number of groups, each into its own buffer,
  // and the groups in order: the result does not depend on the thread count.
  constexpr int kGroups = 8;
  std::vector<std::vector<double>> gJ(kGroups, std::vector<double>(ne, 0.0)), gh(kGroups, std::vector<double>(n, 0.0));
  std::vector<int> correct(static_cast<std::size_t>(B), 0);
  std::vector<double> losses(static_cast<std::size_t>(B), 0.0);
  const int nt = threads > 0 ? threads : omp_get_max_threads();
  // This process's groups (all of them alone); the others' arrive below.
  const parallel::Range own = comm.share(kGroups);
#pragma omp parallel for schedule(static, 1) num_threads(std::max(1, std::min(nt, own.count)))
  for (int grp = own.first; grp < own.end(); ++grp) {
    std::vector<double> a(n), lam(n), lam2(n), gm(n);
    auto& GJ = gJ[static_cast<std::size_t>(grp)];
    auto& GH = gh[static_cast<std::size_t>(grp)];
    for (int b = grp; b < B; b += kGroups) {
      const double* m = mean.data() + static_cast<std::size_t>(b) * n;
      const int y = labels[static_cast<std::size_t>(b)];
      // Forward: the field readout of the mean states.
      const FieldReadout ro = field_readout(model, adj_edge, m);
      correct[static_cast<std::size_t>(b)] = ro.predicts(y);
      losses[static_cast<std::size_t>(b)] = ro.loss(y);
      // Backward: readout -> label fields and couplings, and d loss / d m.
      for (std::size_t i = 0; i < n; ++i) {
        a[i] = clamped[i] ? 0.0 : beta * (1.0 - m[i] * m[i]);
        gm[i] = 0.0;
      }
      for (int k = 0; k < K; ++k) {
        const double delta = ro.delta(k, y, beta);
        for (int q = 0; q < copies; ++q) {
          const std::uint32_t l = model.label_node(k, q);
          GH[l] += delta;
          for (auto e = off[l]; e < off[l + 1]; ++e) {
            GJ[adj_edge[e]] += delta * m[adj[e]];
            gm[adj[e]] += delta * W.J[adj_edge[e]];
          }
        }
      }
      // Adjoint of the mean-field linear response: lam = gm + J (a lam), truncated.
      lam = gm;
      for (int t = 0; t < depth; ++t) {
        for (std::size_t i = 0; i < n; ++i) {
          if (a[i] == 0.0) {
            lam2[i] = 0.0;
            continue;
          }
          double s = gm[i];
          for (auto e = off[i]; e < off[i + 1]; ++e) s += W.J[adj_edge[e]] * a[adj[e]] * lam[adj[e]];
          lam2[i] = s;
        }
        lam.swap(lam2);
      }
      for (std::size_t i = 0; i < n; ++i) {
        const double v = a[i] * lam[i];
        if (v == 0.0) continue;
        GH[i] += v;
        for (auto e = off[i]; e < off[i + 1]; ++e) GJ[adj_edge[e]] += v * m[adj[e]];
      }
    }
  }
  gather_group_results(comm, kGroups, gJ, gh, correct, &losses);
  dJ.assign(ne, 0.0);
  dh.assign(n, 0.0);
  for (int grp = 0; grp < kGroups; ++grp) {
    for (std::size_t e = 0; e < ne; ++e) dJ[e] += gJ[static_cast<std::size_t>(grp)][e];
    for (std::size_t i = 0; i < n; ++i) dh[i] += gh[static_cast<std::size_t>(grp)][i];
  }
  for (auto& v : dJ) v /= B;
  for (auto& v : dh) v /= B;
  int ok = 0;
  double lsum = 0;
  for (int b = 0; b < B; ++b) {
    ok += correct[static_cast<std::size_t>(b)];
    lsum += losses[static_cast<std::size_t>(b)];
  }
  if (loss) *loss = B ? lsum / B : 0.0;
  return B ? static_cast<double>(ok) / B : 0.0;
}

std::vector<std::size_t> stratified_order(const std::vector<std::size_t>& order, const std::vector<std::uint8_t>& labels,
                                          int classes, std::uint64_t seed) {
  // Image j (0-based, in `order`) of class k's n_k images gets the key
  // (j + u_k) / n_k, u_k uniform per class; the result is sorted by key.
  std::vector<std::vector<std::size_t>> by_class(static_cast<std::size_t>(classes));
  for (auto i : order) {
    if (i >= labels.size() || labels[i] >= classes) throw Error("stratified_order: image or label out of range");
    by_class[labels[i]].push_back(i);
  }
  Rng rng(seed);
  std::vector<std::pair<double, std::size_t>> keyed;
  keyed.reserve(order.size());
  for (const auto& members : by_class) {
    const double u = rng.uniform();
    for (std::size_t j = 0; j < members.size(); ++j)
      keyed.emplace_back((static_cast<double>(j) + u) / static_cast<double>(members.size()), members[j]);
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::size_t> out;
  out.reserve(keyed.size());
  for (const auto& kv : keyed) out.push_back(kv.second);
  return out;
}

void Trainer::begin_epoch_order() {
  if (order_epoch_ == epoch_) return;
  order_ = data::shuffled_indices(num_images_, derive_seed(cfg_.seed, kStreamOrder, static_cast<std::uint64_t>(epoch_)));
  if (cfg_.balanced && model_.arch().classes > 0)
    order_ = stratified_order(order_, labels_, model_.arch().classes,
                              derive_seed(cfg_.seed, kStreamOrder, static_cast<std::uint64_t>(epoch_), 1));
  order_epoch_ = epoch_;
}

void Trainer::setup_sampler() {
  const auto t0 = Clock::now();
  sampler_.load(model_.weights(), model_.spec(), model_.beta());
  sampler_.configure({cfg_.chains, derive_seed(cfg_.seed, kStreamSampler, static_cast<std::uint64_t>(epoch_),
                                               static_cast<std::uint64_t>(batch_)),
                      cfg_.threads});
  begin_epoch_order();
  // CD keeps its chains in the sampler between updates: put back the host copy
  // (refreshed at every epoch end; PCD writes it before every negative phase).
  if (!cfg_.persistent)
    sampler_.set_states(0, chains_);
  need_setup_ = false;
  times_.epoch_setup += since(t0);
}

BatchReport Trainer::step() {
  if (done()) throw Error("training is already complete");
  if (epoch_ < cfg_.mf_epochs) return mean_field_step();
  if (epoch_ == cfg_.mf_epochs && cfg_.mf_epochs > 0 && batch_ == 0) {
    // First sampler update after the mean-field epochs: fresh optimizer moments.
    std::fill(vJ_.begin(), vJ_.end(), 0.0);
    std::fill(vh_.begin(), vh_.end(), 0.0);
    std::fill(sJ_.begin(), sJ_.end(), 0.0);
    std::fill(sh_.begin(), sh_.end(), 0.0);
    gvJ_.clear();
    gvh_.clear();
    gsJ_.clear();
    gsh_.clear();
    steps_ = 0;
  }
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
      sampler_.set_states(0, chains_);
      times_.chains_io += since(t0);
    }
    t0 = Clock::now();
    run_sampler(static_cast<std::uint64_t>(cfg_.neg_burn_in), false);
    sampler_.reset_stats();
    run_sampler(static_cast<std::uint64_t>(cfg_.neg_sweeps), true);
    neg = sampler_.stats();
    times_.neg += since(t0);
    // CD keeps its states in the sampler; the host copy (checkpoints, the
    // frozen-unit metric, the restore at an epoch start) is refreshed at the
    // end of every epoch.
    if (cfg_.persistent || batch_ + 1 == batches_) {
      t0 = Clock::now();
      sampler_.states(0, C, chains_);
      times_.chains_io += since(t0);
    }
  };
  const bool gen_on = cfg_.gen_weight > 0;
  if (gen_on && cfg_.persistent) negative_phase();

  // Clamp values: chain c shows image c / per of the batch (pixels and label;
  // which of them act is decided by the mask of the phase).
  const bool cond_on = cfg_.cond_weight > 0;
  const bool labelled = model_.arch().classes > 0;
  auto write_clamps = [&] {
    const auto tc = Clock::now();
    // Writing clamp values applies them at once to the nodes the current mask
    // clamps: release everything first, or the true labels of the new batch
    // would leak into the chains' label bits before the conditional phase
    // (with no negative phase in between, the previous positive phase's mask
    // clamps the labels).
    sampler_.set_clamp_mask(mask_none_);
    std::vector<std::int8_t> m(n, -1);
    std::vector<std::uint8_t> px;
    // (the chains this process holds: all of them alone)
    const parallel::Range held = parallel::local_part(sampler_).chains;
    for (int c = held.first; c < held.end(); ++c) {
      const std::size_t img = order_[base + static_cast<std::size_t>(c / per)];
      if (c % per == 0 || c == held.first) batch_pixels(c / per, px);
      model_.encode(m, px.data(), labelled ? labels_[img] : -1);
      sampler_.set_clamp_values(c, m);
    }
    times_.clamps += since(tc);
  };
  // Coupled clamped phases: both run from the same states with the same
  // random numbers (the sampler reseeded with one seed per update), so they
  // differ only where clamping the labels changes a decision.
  const bool coupled = cfg_.coupled;  // (validate: only with the conditional term)
  const std::uint64_t coupled_seed = derive_seed(cfg_.seed, kStreamCoupled, static_cast<std::uint64_t>(epoch_),
                                                 static_cast<std::uint64_t>(batch_));
  std::vector<std::vector<std::int8_t>> coupled_start;
  auto couple = [&] {
    const auto tc = Clock::now();
    sampler_.configure({C, coupled_seed, cfg_.threads});
    times_.epoch_setup += since(tc);
    write_clamps();
  };
  if (coupled) {
    if (!cfg_.cond_cold) {
      const auto tc = Clock::now();
      sampler_.states(0, C, coupled_start);
      times_.chains_io += since(tc);
    }
    couple();
  } else {
    write_clamps();
  }
  auto t0 = Clock::now();
  auto set_start = [&] {
    if (coupled && !cfg_.cond_cold)
      sampler_.set_states(0, coupled_start);
    else if (cfg_.cond_cold)
      sampler_.set_states(0, cold_);
  };

  BatchReport rep;
  rep.epoch = epoch_;
  rep.batch = batch_;
  rep.batches = batches_;

  // Conditional phase: pixels clamped, labels free.
  Stats cond;
  const bool disc_on = cfg_.disc_weight > 0 && labelled;
  std::vector<double> dJ, dh;  // the readout term's gradient
  auto conditional_phase = [&] {
    if (!cond_on && !disc_on) return;
    t0 = Clock::now();
    sampler_.set_clamp_mask(mask_pixels_);
    set_start();
    run_annealed(sampler_, static_cast<std::uint64_t>(cfg_.cond_burn_in), cfg_.cond_anneal, model_.beta());
    count_flips(static_cast<std::uint64_t>(cfg_.cond_burn_in));
    sampler_.reset_stats();
    std::vector<double> mean;
    double read_seconds = 0;
    if (!disc_on) {
      run_sampler(static_cast<std::uint64_t>(cfg_.cond_sweeps), true);
    } else {
      // Every sweep is read: each image's mean states over its chains and
      // sweeps. Each process reads the chains it holds (all of them alone);
      // the integer sums are added over the processes once.
      const parallel::LocalPart part = parallel::local_part(sampler_);
      std::vector<std::int32_t> sum(static_cast<std::size_t>(B) * n, 0);
      for (int s = 0; s < cfg_.cond_sweeps; ++s) {
        run_sampler(1, cond_on);
        const auto tr = Clock::now();
        part.sampler.states(0, part.chains.count, reads_);
        for (int c = part.chains.first; c < part.chains.end(); ++c) {
          std::int32_t* sb = sum.data() + static_cast<std::size_t>(c / per) * n;
          const std::int8_t* st = reads_[static_cast<std::size_t>(c - part.chains.first)].data();
          for (std::size_t i = 0; i < n; ++i) sb[i] += st[i];
        }
        read_seconds += since(tr);
      }
      const auto tr = Clock::now();
      part.comm.sum(sum);
      read_seconds += since(tr);
      const double norm = 1.0 / (static_cast<double>(per) * cfg_.cond_sweeps);
      mean.resize(sum.size());
      for (std::size_t k = 0; k < sum.size(); ++k) mean[k] = sum[k] * norm;
    }
    if (cond_on) cond = sampler_.stats();
    times_.cond += since(t0) - read_seconds;
    times_.chains_io += read_seconds;
    if (disc_on) {
      t0 = Clock::now();
      std::vector<int> batch_labels(static_cast<std::size_t>(B));
      for (int b = 0; b < B; ++b) batch_labels[static_cast<std::size_t>(b)] = labels_[order_[base + static_cast<std::size_t>(b)]];
      rep.train_accuracy = readout_gradient(model_, mean, batch_labels, cfg_.disc_depth, dJ, dh, cfg_.threads, nullptr,
                                            parallel::communicator_of(sampler_));
      ep_acc_sum_ += rep.train_accuracy;
      ++ep_acc_n_;
      times_.update += since(t0);
      return;
    }
    // Running training accuracy from the last states: label copies of the
    // image's chains summed, argmax (ties to the lower class).
    t0 = Clock::now();
    const int K = model_.arch().classes, copies = model_.arch().label_copies;
    // (the first chain of every image: reading all would cost as much as
    // sampling; each process reads the ones it holds)
    const parallel::LocalPart part = parallel::local_part(sampler_);
    std::vector<int> pred(static_cast<std::size_t>(B), 0);
    std::vector<int> votes(static_cast<std::size_t>(K));
    for (int b = 0; b < B; ++b) {
      if (!part.chains.contains(b * per)) continue;
      const auto s = part.sampler.state(b * per - part.chains.first);
      std::fill(votes.begin(), votes.end(), 0);
      for (int k = 0; k < K; ++k)
        for (int q = 0; q < copies; ++q) votes[static_cast<std::size_t>(k)] += s[model_.label_node(k, q)];
      pred[static_cast<std::size_t>(b)] = static_cast<int>(std::max_element(votes.begin(), votes.end()) - votes.begin());
    }
    parallel::gather_owned(part.comm, pred, [&](std::size_t b) { return part.owner_of_chain(static_cast<int>(b) * per, C); });
    int correct = 0;
    for (int b = 0; b < B; ++b) correct += pred[static_cast<std::size_t>(b)] == labels_[order_[base + static_cast<std::size_t>(b)]];
    rep.train_accuracy = static_cast<double>(correct) / B;
    ep_acc_sum_ += rep.train_accuracy;
    ++ep_acc_n_;
    times_.chains_io += since(t0);
  };
  // Positive phase: pixels and labels clamped.
  Stats pos;
  const bool pos_on = gen_on || cond_on;  // the readout term alone needs no positive phase
  auto positive_phase = [&] {
    if (!pos_on) return;
    if (coupled) {
      // The conditional phase again, from its start and with its random
      // numbers, with the labels clamped too.
      couple();
      t0 = Clock::now();
      sampler_.set_clamp_mask(mask_visible_);
      set_start();
      run_annealed(sampler_, static_cast<std::uint64_t>(cfg_.cond_burn_in), cfg_.cond_anneal, model_.beta());
      count_flips(static_cast<std::uint64_t>(cfg_.cond_burn_in));
      sampler_.reset_stats();
      run_sampler(static_cast<std::uint64_t>(cfg_.cond_sweeps), true);
      pos = sampler_.stats();
      times_.pos += since(t0);
      return;
    }
    t0 = Clock::now();
    sampler_.set_clamp_mask(mask_visible_);
    times_.clamps += since(t0);
    t0 = Clock::now();
    run_sampler(static_cast<std::uint64_t>(cfg_.pos_burn_in), false);
    sampler_.reset_stats();
    run_sampler(static_cast<std::uint64_t>(cfg_.pos_sweeps), true);
    pos = sampler_.stats();
    times_.pos += since(t0);
  };
  if (cfg_.cond_from_data && !coupled) {
    positive_phase();
    conditional_phase();
  } else {
    conditional_phase();
    positive_phase();
  }
  if (gen_on && !cfg_.persistent) negative_phase();

  // Update.
  t0 = Clock::now();
  const double lr = cfg_.lr_at(epoch_, batch_, batches_), wd = cfg_.weight_decay, lam = cfg_.cond_weight, gw = cfg_.gen_weight;
  // The moment gap is measured against the free phase: the negative one, or
  // the conditional one when there is no generative term (none without either).
  const Stats& free = gen_on ? neg : cond;
  const bool gap_on = pos_on;
  const auto& W = model_.weights();
  double gap = 0;
  // With Adam and the readout term, the generative term gets its own moments
  // and a step gen_weight times the readout's: Adam normalizes every
  // parameter's step, so in one sum a small generative term would still set
  // the direction of every coupling the readout barely moves.
  const bool split = gen_on && disc_on && cfg_.optimizer == Optimizer::Adam;
  std::vector<double> gJ(ne), gh(n), genJ(split ? ne : 0), genh(split ? n : 0);
  for (std::size_t e = 0; e < ne; ++e) {
    if (gap_on) gap += std::abs(pos.corr[e] - free.corr[e]);
    double g = 0.0;
    if (split)
      genJ[e] = pos.corr[e] - neg.corr[e];
    else if (gen_on)
      g = gw * (pos.corr[e] - neg.corr[e]);
    if (cond_on) g += lam * (pos.corr[e] - cond.corr[e]);
    if (disc_on) g -= cfg_.disc_weight * dJ[e];
    gJ[e] = g - wd * W.J[e];
  }
  for (std::size_t i = 0; i < n; ++i) {
    double g = 0.0;
    if (split)
      genh[i] = pos.mean[i] - neg.mean[i];
    else if (gen_on)
      g = gw * (pos.mean[i] - neg.mean[i]);
    if (cond_on) g += lam * (pos.mean[i] - cond.mean[i]);
    if (disc_on) g -= cfg_.disc_weight * dh[i];
    gh[i] = g;
  }
  ++steps_;
  apply_update(gJ, gh, lr, vJ_, vh_, sJ_, sh_);
  if (split) {
    if (gvJ_.size() != ne) {  // first use
      gvJ_.assign(ne, 0.0);
      gsJ_.assign(ne, 0.0);
      gvh_.assign(n, 0.0);
      gsh_.assign(n, 0.0);
    }
    apply_update(genJ, genh, lr * gw, gvJ_, gvh_, gsJ_, gsh_);
  }
  model_.clip_weights();
  average_weights();
  double mgap = 0;
  if (gap_on)
    for (auto i : model_.placement().pixels) mgap += std::abs(pos.mean[i] - free.mean[i]);
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

void Trainer::count_flips(std::uint64_t sweeps) {
  flips_ += static_cast<double>(sweeps) * cfg_.chains * static_cast<double>(model_.num_nodes());
}

void Trainer::run_sampler(std::uint64_t sweeps, bool accumulate) {
  if (sweeps == 0) return;
  sampler_.run(sweeps, accumulate);
  count_flips(sweeps);
}

void Trainer::apply_update(const std::vector<double>& gJ, const std::vector<double>& gh, double lr,
                           std::vector<double>& vJ, std::vector<double>& vh, std::vector<double>& sJ,
                           std::vector<double>& sh) {
  const double mom = cfg_.momentum;
  auto& W = model_.weights();
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
  for (std::size_t e = 0; e < gJ.size(); ++e) {
    const bool readout = is_label_[edges[e].u] || is_label_[edges[e].v];
    W.J[e] += step_of(gJ[e], vJ[e], adam ? &sJ[e] : nullptr, readout ? lr_label : lr);
  }
  for (std::size_t i = 0; i < gh.size(); ++i)
    W.h[i] += step_of(gh[i], vh[i], adam ? &sh[i] : nullptr, is_label_[i] ? lr_label : lr);
}

void Trainer::average_weights() {
  if (cfg_.average <= 0) return;
  const auto& W = model_.weights();
  if (aJ_.size() != W.J.size() || ah_.size() != W.h.size()) {  // the first averaged update
    aJ_ = W.J;
    ah_ = W.h;
    return;
  }
  const double d = cfg_.average;
  for (std::size_t e = 0; e < aJ_.size(); ++e) aJ_[e] = d * aJ_[e] + (1 - d) * W.J[e];
  for (std::size_t i = 0; i < ah_.size(); ++i) ah_[i] = d * ah_[i] + (1 - d) * W.h[i];
}

Model Trainer::eval_model() const {
  Model m = model_;
  if (!aJ_.empty()) {
    m.weights().J = aJ_;
    m.weights().h = ah_;
  }
  return m;
}

void Trainer::batch_pixels(int b, std::vector<std::uint8_t>& out) const {
  const auto& a = model_.arch();
  const std::size_t np = static_cast<std::size_t>(a.num_pixels());
  const std::size_t img = order_[static_cast<std::size_t>(batch_) * static_cast<std::size_t>(cfg_.batch) +
                                 static_cast<std::size_t>(b)];
  const std::uint8_t* src = pixels01_.data() + img * np;
  out.assign(src, src + np);
  if (cfg_.shift == 0) return;
  Rng rng(derive_seed(cfg_.seed, kStreamShift, static_cast<std::uint64_t>(epoch_),
                      static_cast<std::uint64_t>(batch_) * 65536u + static_cast<std::uint64_t>(b)));
  const int span = 2 * cfg_.shift + 1;
  const int dx = static_cast<int>(rng.below(static_cast<std::uint64_t>(span))) - cfg_.shift;
  const int dy = static_cast<int>(rng.below(static_cast<std::uint64_t>(span))) - cfg_.shift;
  for (int r = 0; r < a.rows; ++r)
    for (int c = 0; c < a.cols; ++c) {
      const int sr = r - dy, sc = c - dx;
      out[static_cast<std::size_t>(r * a.cols + c)] =
          sr >= 0 && sr < a.rows && sc >= 0 && sc < a.cols ? src[static_cast<std::size_t>(sr * a.cols + sc)] : 0;
    }
}

BatchReport Trainer::mean_field_step() {
  const auto t_start = Clock::now();
  begin_epoch_order();
  const auto& g = model_.graph();
  const auto& off = g.adj_offsets();
  const auto& adj = g.adj();
  const auto& W = model_.weights();
  const std::size_t n = model_.num_nodes(), ne = model_.num_edges();
  const int B = cfg_.batch, K = model_.arch().classes, copies = model_.arch().label_copies, T = cfg_.mf_steps;
  const double beta = model_.beta();
  const std::size_t base = static_cast<std::size_t>(batch_) * static_cast<std::size_t>(B);
  if (adj_edge_.empty()) adj_edge_ = adjacency_edge_ids(g);
  // As readout_gradient: a fixed number of groups, summed in order.
  constexpr int kGroups = 8;
  std::vector<std::vector<double>> gJ(kGroups, std::vector<double>(ne, 0.0)), gh(kGroups, std::vector<double>(n, 0.0));
  std::vector<int> correct(static_cast<std::size_t>(B), 0);
  std::vector<std::vector<std::uint8_t>> px(static_cast<std::size_t>(B));
  for (int b = 0; b < B; ++b) batch_pixels(b, px[static_cast<std::size_t>(b)]);
  const int nt = cfg_.threads > 0 ? cfg_.threads : omp_get_max_threads();
  const parallel::Communicator& comm = parallel::communicator_of(sampler_);
  const parallel::Range own = comm.share(kGroups);
#pragma omp parallel for schedule(static, 1) num_threads(std::max(1, std::min(nt, own.count)))
  for (int grp = own.first; grp < own.end(); ++grp) {
    // x[t]: states after t Jacobi steps (x[0]: pixels +-1, the rest 0).
    std::vector<std::vector<double>> x(static_cast<std::size_t>(T) + 1, std::vector<double>(n, 0.0));
    std::vector<double> da(n), dx(n);
    auto& GJ = gJ[static_cast<std::size_t>(grp)];
    auto& GH = gh[static_cast<std::size_t>(grp)];
    for (int b = grp; b < B; b += kGroups) {
      const int y = labels_[order_[base + static_cast<std::size_t>(b)]];
      std::fill(x[0].begin(), x[0].end(), 0.0);
      const auto& p = px[static_cast<std::size_t>(b)];
      for (std::size_t q = 0; q < p.size(); ++q) x[0][model_.pixel_node(static_cast<int>(q))] = p[q] ? 1.0 : -1.0;
      for (int t = 1; t <= T; ++t) {
        const auto& prev = x[static_cast<std::size_t>(t - 1)];
        auto& cur = x[static_cast<std::size_t>(t)];
        for (std::size_t i = 0; i < n; ++i) {
          if (mask_pixels_[i]) {
            cur[i] = prev[i];
            continue;
          }
          double f = W.h[i];
          for (auto e = off[i]; e < off[i + 1]; ++e) f += W.J[adj_edge_[e]] * prev[adj[e]];
          cur[i] = std::tanh(beta * f);
        }
      }
      // Readout: the label fields after T steps (from x[T-1]).
      const FieldReadout ro = field_readout(model_, adj_edge_, x[static_cast<std::size_t>(T - 1)].data());
      correct[static_cast<std::size_t>(b)] = ro.predicts(y);
      // Back-propagation through the steps: da = d loss / d field at step t.
      std::fill(da.begin(), da.end(), 0.0);
      for (int k = 0; k < K; ++k) {
        const double delta = ro.delta(k, y, beta);
        for (int q = 0; q < copies; ++q) da[model_.label_node(k, q)] = delta;
      }
      for (int t = T; t >= 1; --t) {
        const auto& prev = x[static_cast<std::size_t>(t - 1)];
        std::fill(dx.begin(), dx.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i) {
          const double d = da[i];
          if (d == 0.0 || mask_pixels_[i]) continue;
          GH[i] += d;
          for (auto e = off[i]; e < off[i + 1]; ++e) {
            GJ[adj_edge_[e]] += d * prev[adj[e]];
            dx[adj[e]] += d * W.J[adj_edge_[e]];
          }
        }
        if (t == 1) break;
        for (std::size_t i = 0; i < n; ++i)
          da[i] = mask_pixels_[i] ? 0.0 : dx[i] * beta * (1.0 - prev[i] * prev[i]);
      }
    }
  }
  gather_group_results(comm, kGroups, gJ, gh, correct, nullptr);
  std::vector<double> dJ(ne, 0.0), dh(n, 0.0);
  for (int grp = 0; grp < kGroups; ++grp) {
    for (std::size_t e = 0; e < ne; ++e) dJ[e] -= gJ[static_cast<std::size_t>(grp)][e] / B;
    for (std::size_t i = 0; i < n; ++i) dh[i] -= gh[static_cast<std::size_t>(grp)][i] / B;
  }
  for (std::size_t e = 0; e < ne; ++e) dJ[e] -= cfg_.weight_decay * W.J[e];
  ++steps_;
  apply_update(dJ, dh, cfg_.lr_at(epoch_, batch_, batches_), vJ_, vh_, sJ_, sh_);
  model_.clip_weights();
  average_weights();
  need_setup_ = true;  // the sampler does not hold these weights

  BatchReport rep;
  rep.epoch = epoch_;
  rep.batch = batch_;
  rep.batches = batches_;
  int ok = 0;
  for (int c : correct) ok += c;
  rep.train_accuracy = static_cast<double>(ok) / B;
  ep_acc_sum_ += rep.train_accuracy;
  ++ep_acc_n_;
  ++ep_batches_;
  ++batch_;
  const double dt = since(t_start);
  times_.mean_field += dt;
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
  r.flips = flips_;
  r.lr = cfg_.lr_at(epoch_, batches_ - 1, batches_);  // the epoch's last update
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
  // (no persistent chains without the generative term or in mean-field epochs: n/a)
  const bool chains_used = cfg_.gen_weight > 0 && epoch_ >= cfg_.mf_epochs;
  r.frozen_hidden = !chains_used ? -1.0
                    : model_.placement().hidden.empty()
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
  ck.data = data_description_;
  ck.train_images = train_images_;
  ck.epoch = epoch_;
  ck.batch = batch_;
  ck.J = model_.weights().J;
  ck.h = model_.weights().h;
  ck.vJ = vJ_;
  ck.vh = vh_;
  ck.sJ = sJ_;
  ck.gvJ = gvJ_;
  ck.gvh = gvh_;
  ck.gsJ = gsJ_;
  ck.gsh = gsh_;
  ck.sh = sh_;
  ck.aJ = aJ_;
  ck.ah = ah_;
  ck.steps = steps_;
  ck.chains = chains_;
  ck.history = history_;
  ck.total_seconds = total_seconds_;
  ck.flips = flips_;
  return ck;
}

}  // namespace pbit::dbm

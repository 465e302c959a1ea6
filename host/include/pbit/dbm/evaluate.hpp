#pragma once
// Using a trained DBM: classification (pixels clamped, label bits sampled),
// generation (one class clamped, beta annealed), exact log-likelihood of toy
// models by enumeration, and the Bars-and-Stripes toy dataset.
#include <pbit/data/dataset.hpp>
#include <pbit/dbm/model.hpp>
#include <pbit/sampler.hpp>
#include <pbit/samplers/exact.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pbit::dbm {

// ---- Classification ----
// Each test image is one chain (pixels clamped; labels and hidden start at -1
// and run free). After burn_in sweeps (optionally annealed), `reads` reads `read_every` sweeps
// apart; a read adds every label bit's state (bits) or its conditional
// probability given its neighbours in the hardware's quantized weights
// (prob: Rao-Blackwellized, fewer reads for the same accuracy), or its local
// field I = h + sum J m in the hardware's quantized weights, summed exactly by
// the host (not saturated like the p-bit's adder) (field: 2 beta I is the bit's log-odds, so the sum over a
// class's copies is the log-likelihood of that class's one-hot label code
// given the neighbours, up to a constant: the readout that matches what the
// conditional term of training optimizes). The class with the largest sum
// over its copies wins (ties: lowest class). Images run `chunk` at a time,
// `replicas` chains each.
enum class Readout { Bits, Prob, Field };
const char* to_string(Readout r);
Readout parse_readout(const std::string& s);

struct ClassifyConfig {
  // Burn-in anneal: the burn-in sweeps are split evenly over these betas,
  // given as factors of the model's beta (in order), before the reads at the
  // model's beta; empty = all at the model's beta. Starting hotter lets the
  // label bits and hidden units leave the all -1 start and mix.
  std::vector<double> anneal;
  int burn_in = 20;
  int reads = 20;
  int read_every = 1;
  Readout readout = Readout::Bits;
  int replicas = 1;   // chains per image; a read adds all of them
  int chunk = 2048;   // images sampled at once (chunk * replicas chains)
  std::uint64_t seed = 1;
  int threads = 0;
  int binarize_threshold = 0;
  void validate() const;
};

// What `pbit eval` (and the training monitor) use, measured on MNIST
// (README): the field readout of 16 chains per image, 20 + 10 sweeps (more
// sweeps add nothing there).
ClassifyConfig eval_defaults();
// The readout of the published work's test code: one chain per image, label
// bits sampled, 500 reads 200 sweeps apart, averaged over the copies (bits
// readout). There one chain continues from image to image; here every image's
// chain starts from -1 (labels and hidden), so images are independent.
ClassifyConfig published_readout();

struct ClassifyResult {
  std::size_t images = 0;
  double accuracy = 0;
  std::vector<std::vector<int>> confusion;  // [true][predicted]
  std::vector<int> predictions;
  // accuracy after r reads, r = 1..reads (sweeps = burn_in + r * read_every)
  std::vector<double> accuracy_by_reads;
  double seconds = 0, sample_seconds = 0, read_seconds = 0;
};

// Loads the model into `sampler` (replacing whatever it held). progress(done,
// total) after every chunk; returning false stops early (result covers the
// images done so far). With a parallel::DistributedSampler every process
// classifies its share of each chunk and gets the whole, one-process result.
ClassifyResult classify(const Model& model, Sampler& sampler, const data::Dataset& test,
                        const ClassifyConfig& config,
                        const std::function<bool(std::size_t, std::size_t)>& progress = {});

// ---- Generation ----
// Beta schedule text: "B" (constant), "linear:B0,B1,STEPS", "geometric:B0,B1,STEPS",
// or a comma list "B0,B1,...". Values finite and > 0. Classification and
// generation read them as factors of the model's beta (1 = the model's beta).
std::vector<double> parse_beta_schedule(const std::string& s);

struct GenerateConfig {
  int per_class = 8;                    // samples per class (or in total when unlabelled)
  std::vector<double> betas{0.2, 0.4, 0.6, 0.8, 1.0};  // annealing schedule (factors of the model's beta)
  int sweeps_per_beta = 100;
  int average_last = 50;                // final sweeps averaged into the probability image
  std::uint64_t seed = 1;
  int threads = 0;
  std::vector<int> classes;             // empty: all classes 0..K-1
  // Label guidance: the couplings of the label bits are multiplied by this
  // while generating (the clamped class pushes harder on its neighbours);
  // 1 = the model as trained.
  double label_gain = 1.0;
  // Probability image from each pixel's conditional probability given its
  // neighbours (true) or from its sampled states (false).
  bool conditional_mean = true;
  void validate() const;
};

struct GenerateResult {
  int rows = 0, cols = 0;
  std::vector<int> sample_class;        // per sample (-1 unlabelled)
  std::vector<std::uint8_t> last;       // 0/1 pixels of the final state, sample-major
  std::vector<double> mean;             // P(pixel on) over the last average_last sweeps
  double seconds = 0;
};

// What `pbit generate` (and train's samples.png) use, measured on MNIST
// (README): beta annealed along kGenerateSchedule (0.2 to 2 times the model's,
// 20 steps of 100 sweeps), pixel means over the last 50, label gain 3.
inline constexpr const char* kGenerateSchedule = "linear:0.2,2,20";
GenerateConfig generate_defaults();

GenerateResult generate(const Model& model, Sampler& sampler, const GenerateConfig& config);

// ---- Judging generated images against real ones ----
// An independent check of "recognizably of its class": every generated image
// (its pixel means > 0.5) is compared with every training image (binarized)
// by Hamming distance; its k nearest vote (majority, else the nearest) and
// the vote is compared with the clamped class. The same is measured for
// held-out real images, which is what a perfect generator would score; the
// mean distance to the nearest training image says how far from any real
// digit the samples are (the held-out images give its scale).
struct JudgeResult {
  int k = 3;
  std::size_t samples = 0;
  double agreement = 0;                     // fraction whose vote is the clamped class
  std::vector<std::vector<int>> confusion;  // [clamped][voted]
  double nn_distance = 0;                   // mean pixels differing from the nearest training image
  std::size_t reference_images = 0;         // held-out images judged the same way
  double reference_agreement = 0, reference_nn_distance = 0;
  // Variety within a class: the mean pairwise Hamming distance between the
  // (cut at 0.5) samples of one class, averaged over the classes; the same
  // for real digits (the first kDiversityReference training images of every
  // class). 0 = every sample of a class alike.
  double diversity = 0, reference_diversity = 0;
};
inline constexpr std::size_t kDiversityReference = 100;
// Needs a labelled model whose image size is the dataset's. `held_out` may be
// empty (no reference). reference_limit caps the held-out images used.
JudgeResult judge_generated(const GenerateResult& generated, const data::Dataset& train,
                            const data::Dataset& held_out, int binarize_threshold = 0, int k = 3,
                            std::size_t reference_limit = 500);

// ---- Exact likelihood (toy models) ----
// Mean over the images of ln p(visible), the model's marginal with hidden
// units summed out (labels are visible when the model has classes: ln p(pixels,
// label)). Arithmetic::Quantized uses the weights the hardware holds.
// Throws pbit::Error if the model has more than kExactMaxNodes p-bits.
double exact_log_likelihood(const Model& model, const data::Dataset& images, Arithmetic arithmetic,
                            int binarize_threshold = 0);
// ln p(visible) of every image.
std::vector<double> exact_log_probs(const Model& model, const data::Dataset& images, Arithmetic arithmetic,
                                    int binarize_threshold = 0);

// ---- Bars and stripes ----
// All size x size images whose rows are all equal (stripes) or whose columns
// are all equal (bars): 2^(size+1) - 2 distinct patterns (all-on and all-off
// once), pixels 0/255, label 0 = bars (columns), 1 = stripes, all-on/off 0.
data::Dataset bars_and_stripes(int size);

// A dataset by name, as `pbit train|eval|generate --dataset` and Python take
// it: "bas:N" (Bars and stripes, N in 2..8, every pattern as both the training
// and the test set) or any spec of data::load_dataset.
data::Split load_split(const std::string& spec);

}  // namespace pbit::dbm

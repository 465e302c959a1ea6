#include <pbit/dbm/evaluate.hpp>
#include <pbit/data/mnist.hpp>
#include <pbit/dbm/trainer.hpp>
#include <pbit/error.hpp>
#include <pbit/parallel/distributed_sampler.hpp>
#include <pbit/program.hpp>

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <sstream>

namespace pbit::dbm {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

constexpr std::uint64_t kStreamClassify = 10, kStreamGenerate = 20;

// P(m_i = +1 | its neighbours' states s) in the hardware's arithmetic:
// (v + 2^(L-1)) / 2^L with v the LUT value of the saturated sum (spec.hpp).
double prob_on(const Program& prog, std::uint32_t i, const std::int8_t* s) {
  const std::int32_t I = saturate_sum(prog.raw_sum(i, s), prog.spec);
  const std::int32_t ai = I < 0 ? -I : I;
  const std::int32_t idx = std::min(ai >> prog.spec.lut_shift, prog.spec.lut_depth - 1);
  const std::int32_t v = I < 0 ? -prog.lut[static_cast<std::size_t>(idx)] : prog.lut[static_cast<std::size_t>(idx)];
  return (static_cast<double>(v) + static_cast<double>(1 << (prog.spec.lut_bits - 1))) /
         static_cast<double>(1 << prog.spec.lut_bits);
}

double parse_positive(const std::string& s, const std::string& what) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s.size() || !std::isfinite(v) || !(v > 0))
    throw Error("beta schedule: '" + s + "' is not a positive number (" + what + ")");
  return v;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep)) out.push_back(item);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

}  // namespace

const char* to_string(Readout r) {
  return r == Readout::Prob ? "prob" : r == Readout::Field ? "field" : "bits";
}
Readout parse_readout(const std::string& s) {
  if (s == "bits") return Readout::Bits;
  if (s == "prob") return Readout::Prob;
  if (s == "field") return Readout::Field;
  throw Error("unknown readout '" + s + "' (known: bits, prob, field)");
}

void ClassifyConfig::validate() const {
  if (burn_in < 0) throw Error("burn-in sweeps must be >= 0");
  if (reads < 1) throw Error("reads must be >= 1");
  if (read_every < 1) throw Error("sweeps between reads must be >= 1");
  if (chunk < 1) throw Error("chunk must be >= 1");
  if (replicas < 1 || replicas > 4096) throw Error("replicas (chains per image) must be in 1..4096");
  if (threads < 0) throw Error("threads must be >= 0");
  if (binarize_threshold < 0 || binarize_threshold > 255) throw Error("the binarization threshold must be in 0..255");
  for (double b : anneal)
    if (!(b > 0) || !std::isfinite(b)) throw Error("anneal betas must be finite and > 0");
}

ClassifyConfig eval_defaults() {
  ClassifyConfig c;
  c.burn_in = 20;
  c.reads = 10;
  c.readout = Readout::Field;
  c.replicas = 16;
  return c;
}

ClassifyConfig published_readout() {
  ClassifyConfig c;
  c.burn_in = 0;
  c.reads = 500;
  c.read_every = 200;
  c.readout = Readout::Bits;
  c.replicas = 1;
  return c;
}

ClassifyResult classify(const Model& model, Sampler& sampler, const data::Dataset& test,
                        const ClassifyConfig& cfg,
                        const std::function<bool(std::size_t, std::size_t)>& progress) {
  cfg.validate();
  test.validate();
  const auto& a = model.arch();
  if (a.classes == 0) throw Error("the model has no label units: nothing to classify");
  if (test.rows != a.rows || test.cols != a.cols)
    throw Error(test.name + ": images are " + std::to_string(test.rows) + "x" + std::to_string(test.cols) +
                ", the model's pixel grid is " + std::to_string(a.rows) + "x" + std::to_string(a.cols));
  const auto t_start = Clock::now();
  const int K = a.classes, copies = a.label_copies;
  const std::size_t N = test.size(), n = model.num_nodes(), np = static_cast<std::size_t>(a.num_pixels());
  const auto pix = data::binarize(test, cfg.binarize_threshold);

  ClassifyResult res;
  res.confusion.assign(static_cast<std::size_t>(K), std::vector<int>(static_cast<std::size_t>(K), 0));
  res.predictions.assign(N, -1);
  std::vector<std::size_t> correct_by_reads(static_cast<std::size_t>(cfg.reads), 0);

  // Under MPI every process classifies its share of each chunk's images with
  // its own backend (the chains of an image seeded by their index in the
  // chunk, as in one process) and the predictions are gathered: the result is
  // the one-process result. Shares are whole images and, where possible,
  // whole words of the backend's chains (ref: 32).
  const auto part = parallel::local_part(sampler);
  Sampler& local = part.sampler;
  const parallel::Communicator& comm = part.comm;
  const int R = cfg.replicas;
  const int image_unit = std::lcm(R, part.unit) / R;
  local.load(model.weights(), model.spec(), model.beta());
  Program prog;
  if (cfg.readout != Readout::Bits) prog = compile(model.weights(), model.spec(), model.beta());
  const auto mask = model.clamp_mask(true, false);
  std::vector<std::uint32_t> label_nodes;
  for (int k = 0; k < K; ++k)
    for (int q = 0; q < copies; ++q) label_nodes.push_back(model.label_node(k, q));

  std::size_t done = 0;
  std::vector<std::int8_t> m(n, -1);
  std::vector<std::vector<std::int8_t>> states;
  const int nt = cfg.threads > 0 ? cfg.threads : omp_get_max_threads();
  for (std::size_t start = 0; start < N; start += static_cast<std::size_t>(cfg.chunk)) {
    const int cn = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(cfg.chunk), N - start));
    // This process's images of the chunk: [mine.first, mine.end()), R chains
    // each; chain c of the chunk shows image c / R.
    const parallel::Range mine = comm.share(cn, image_unit);
    const int lc = mine.count * R;
    auto t0 = Clock::now();
    if (lc > 0) {
      local.configure({lc, derive_seed(cfg.seed, kStreamClassify, start), cfg.threads, mine.first * R});
      local.set_clamp_mask(mask);
      for (int c = 0; c < lc; ++c) {
        model.encode(m, pix.data() + (start + static_cast<std::size_t>(mine.first + c / R)) * np, -1);
        local.set_clamp_values(c, m);
      }
      run_annealed(local, static_cast<std::uint64_t>(cfg.burn_in), cfg.anneal, model.beta());
    }
    res.sample_seconds += since(t0);
    std::vector<double> score(static_cast<std::size_t>(cn) * static_cast<std::size_t>(K), 0.0);
    for (int r = 0; r < cfg.reads; ++r) {
      t0 = Clock::now();
      if (lc > 0) local.run(static_cast<std::uint64_t>(cfg.read_every), false);
      res.sample_seconds += since(t0);
      t0 = Clock::now();
      if (lc > 0) local.states(0, lc, states);
      std::vector<int> pred_of(static_cast<std::size_t>(cn), -1);
#pragma omp parallel for schedule(static) num_threads(nt)
      for (int c = mine.first; c < mine.end(); ++c) {
        double* sc = score.data() + static_cast<std::size_t>(c) * K;
        for (int rr = 0; rr < R; ++rr) {
          const auto& s = states[static_cast<std::size_t>((c - mine.first) * R + rr)];
          for (int k = 0; k < K; ++k)
            for (int q = 0; q < copies; ++q) {
              const std::uint32_t i = label_nodes[static_cast<std::size_t>(k * copies + q)];
              if (cfg.readout == Readout::Bits) {
                sc[k] += s[i];
              } else if (cfg.readout == Readout::Field) {
                // the exact sum of the quantized weights: the host adds it up
                // from the states, without the p-bit adder's saturation (which
                // would flatten the confident fields the readout compares)
                sc[k] += static_cast<double>(prog.raw_sum(i, s.data()));
              } else {
                sc[k] += prob_on(prog, i, s.data());
              }
            }
        }
        pred_of[static_cast<std::size_t>(c)] = static_cast<int>(std::max_element(sc, sc + K) - sc);
      }
      parallel::gather_owned(comm, pred_of, [&](std::size_t c) {
        return parallel::owner(static_cast<int>(c), cn, comm.size(), image_unit);
      });
      for (int c = 0; c < cn; ++c) {
        const int pred = pred_of[static_cast<std::size_t>(c)];
        const int truth = test.labels[start + static_cast<std::size_t>(c)];
        correct_by_reads[static_cast<std::size_t>(r)] += pred == truth;
        if (r == cfg.reads - 1) {
          res.predictions[start + static_cast<std::size_t>(c)] = pred;
          ++res.confusion[static_cast<std::size_t>(truth)][static_cast<std::size_t>(pred)];
        }
      }
      res.read_seconds += since(t0);
    }
    done += static_cast<std::size_t>(cn);
    // Every process stops after the same chunk.
    int stop = progress && !progress(done, N) ? 1 : 0;
    if (comm.size() > 1) stop = comm.max(stop);
    if (stop) break;
  }
  res.images = done;
  for (auto c : correct_by_reads)
    res.accuracy_by_reads.push_back(done ? static_cast<double>(c) / static_cast<double>(done) : 0.0);
  res.accuracy = res.accuracy_by_reads.empty() ? 0.0 : res.accuracy_by_reads.back();
  res.seconds = since(t_start);
  return res;
}

std::vector<double> parse_beta_schedule(const std::string& s) {
  if (s.empty()) throw Error("beta schedule: empty");
  std::vector<double> out;
  const auto colon = s.find(':');
  if (colon != std::string::npos) {
    const std::string kind = s.substr(0, colon);
    const auto parts = split(s.substr(colon + 1), ',');
    if ((kind != "linear" && kind != "geometric") || parts.size() != 3)
      throw Error("beta schedule: '" + s + "' (use B, B0,B1,..., linear:B0,B1,STEPS or geometric:B0,B1,STEPS)");
    const double b0 = parse_positive(parts[0], "first beta"), b1 = parse_positive(parts[1], "last beta");
    int steps = 0;
    try {
      std::size_t used = 0;
      steps = std::stoi(parts[2], &used);
      if (used != parts[2].size()) steps = 0;
    } catch (const std::exception&) {
      steps = 0;
    }
    if (steps < 1 || steps > 1000000) throw Error("beta schedule: steps must be an integer in 1..1000000");
    // Weighted sums of the end points (of their logs for geometric): every
    // value lies between them, the last is B1 exactly. (b0 + (b1 - b0) t
    // cancels to 0 when B0 dwarfs B1; b1 / b0 can under- or overflow.)
    for (int k = 0; k < steps; ++k) {
      const double t = steps == 1 ? 1.0 : static_cast<double>(k) / (steps - 1);
      out.push_back(kind == "linear" ? (1 - t) * b0 + t * b1 : std::exp((1 - t) * std::log(b0) + t * std::log(b1)));
    }
    out.back() = b1;
    for (double b : out)
      if (!(b > 0) || !std::isfinite(b)) throw Error("beta schedule: '" + s + "' gives a beta that is not finite and > 0");
    return out;
  }
  for (const auto& p : split(s, ',')) out.push_back(parse_positive(p, "schedule entry"));
  return out;
}

void GenerateConfig::validate() const {
  if (per_class < 1) throw Error("samples per class must be >= 1");
  if (betas.empty()) throw Error("the beta schedule is empty");
  for (double b : betas)
    if (!(b > 0) || !std::isfinite(b)) throw Error("beta schedule values must be finite and > 0");
  // 0 would skip the anneal and average the first sweeps from the start state.
  if (sweeps_per_beta < 1) throw Error("sweeps per beta must be >= 1");
  if (average_last < 1) throw Error("averaged sweeps must be >= 1");
  if (threads < 0) throw Error("threads must be >= 0");
  if (!(label_gain > 0) || !std::isfinite(label_gain)) throw Error("the label gain must be finite and > 0");
}

GenerateConfig generate_defaults() {
  GenerateConfig c;
  c.betas = parse_beta_schedule(kGenerateSchedule);
  c.sweeps_per_beta = 100;
  c.average_last = 50;
  c.label_gain = 3.0;
  return c;
}

GenerateResult generate(const Model& model, Sampler& sampler, const GenerateConfig& cfg) {
  cfg.validate();
  const auto t_start = Clock::now();
  const auto& a = model.arch();
  std::vector<int> classes = cfg.classes;
  if (a.classes > 0 && classes.empty())
    for (int k = 0; k < a.classes; ++k) classes.push_back(k);
  for (int k : classes)
    if (k < 0 || k >= a.classes) throw Error("class " + std::to_string(k) + " is not a class of the model");
  GenerateResult res;
  res.rows = a.rows;
  res.cols = a.cols;
  if (classes.empty())
    res.sample_class.assign(static_cast<std::size_t>(cfg.per_class), -1);
  else
    for (int k : classes)
      for (int s = 0; s < cfg.per_class; ++s) res.sample_class.push_back(k);
  const int count = static_cast<int>(res.sample_class.size());
  const std::size_t n = model.num_nodes(), np = static_cast<std::size_t>(a.num_pixels());

  Problem weights = model.weights();
  if (cfg.label_gain != 1.0 && a.classes > 0) {
    const auto is_label = model.clamp_mask(false, true);
    const auto& edges = model.graph().edges();
    for (std::size_t e = 0; e < edges.size(); ++e)
      if (is_label[edges[e].u] || is_label[edges[e].v]) weights.J[e] *= cfg.label_gain;
  }
  sampler.load(weights, model.spec(), cfg.betas.front() * model.beta());
  sampler.configure({count, derive_seed(cfg.seed, kStreamGenerate), cfg.threads});
  if (a.classes > 0) {
    sampler.set_clamp_mask(model.clamp_mask(false, true));
    std::vector<std::int8_t> m(n, -1);
    for (int c = 0; c < count; ++c) {
      model.encode(m, nullptr, res.sample_class[static_cast<std::size_t>(c)]);
      sampler.set_clamp_values(c, m);
    }
  }
  for (double b : cfg.betas) {
    sampler.set_beta(b * model.beta());
    if (cfg.sweeps_per_beta > 0) sampler.run(static_cast<std::uint64_t>(cfg.sweeps_per_beta), false);
  }
  res.mean.assign(static_cast<std::size_t>(count) * np, 0.0);
  res.last.assign(static_cast<std::size_t>(count) * np, 0);
  // The probability image: each pixel's probability of being on given its
  // neighbours (at the last beta, as the hardware computes it), averaged over
  // the last sweeps: the same expectation as the states' mean with far less
  // sampling noise (Rao-Blackwellized); or the states themselves.
  Program prog;
  if (cfg.conditional_mean) prog = compile(weights, model.spec(), cfg.betas.back() * model.beta());
  std::vector<std::vector<std::int8_t>> states;
  for (int t = 0; t < cfg.average_last; ++t) {
    sampler.run(1, false);
    sampler.states(0, count, states);
    for (int c = 0; c < count; ++c) {
      const auto& s = states[static_cast<std::size_t>(c)];
      for (std::size_t p = 0; p < np; ++p) {
        const std::uint32_t i = model.pixel_node(static_cast<int>(p));
        const bool on = s[i] > 0;
        res.mean[static_cast<std::size_t>(c) * np + p] +=
            cfg.conditional_mean ? prob_on(prog, i, s.data()) : (on ? 1.0 : 0.0);
        if (t == cfg.average_last - 1) res.last[static_cast<std::size_t>(c) * np + p] = on ? 1 : 0;
      }
    }
  }
  for (auto& v : res.mean) v /= cfg.average_last;
  res.seconds = since(t_start);
  return res;
}

namespace {

// Binary images packed 64 pixels to a word, for Hamming distances by popcount.
struct PackedImages {
  std::size_t words = 0;
  std::vector<std::uint64_t> bits;
  const std::uint64_t* operator[](std::size_t i) const { return bits.data() + i * words; }
};

PackedImages pack(const std::uint8_t* on, std::size_t count, std::size_t pixels) {
  PackedImages p;
  p.words = (pixels + 63) / 64;
  p.bits.assign(count * p.words, 0);
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t q = 0; q < pixels; ++q)
      if (on[i * pixels + q]) p.bits[i * p.words + q / 64] |= std::uint64_t{1} << (q % 64);
  return p;
}

// The k-NN vote (majority; no majority: the nearest) and the nearest distance.
std::pair<int, int> nearest_vote(const std::uint64_t* img, const PackedImages& train,
                                 const std::vector<std::uint8_t>& labels, int k) {
  std::vector<std::pair<int, int>> best;  // (distance, label), sorted, at most k
  for (std::size_t t = 0; t < labels.size(); ++t) {
    int d = 0;
    const std::uint64_t* row = train[t];
    for (std::size_t w = 0; w < train.words; ++w) d += __builtin_popcountll(img[w] ^ row[w]);
    if (static_cast<int>(best.size()) == k && d >= best.back().first) continue;
    const std::pair<int, int> item{d, labels[t]};
    best.insert(std::upper_bound(best.begin(), best.end(), item), item);
    if (static_cast<int>(best.size()) > k) best.pop_back();
  }
  std::vector<int> votes(data::kNumClasses, 0);
  int vote = best.front().second;
  for (const auto& b : best)
    if (2 * ++votes[static_cast<std::size_t>(b.second)] > k) vote = b.second;
  return {vote, best.front().first};
}

// Mean pairwise Hamming distance within each class (classes with >= 2
// images), averaged over those classes; 0 when there is none.
double within_class_distance(const PackedImages& img, const std::vector<int>& cls) {
  double total = 0;
  int classes = 0;
  for (int c = 0; c < data::kNumClasses; ++c) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < cls.size(); ++i)
      if (cls[i] == c) members.push_back(i);
    if (members.size() < 2) continue;
    double sum = 0;
    std::size_t pairs = 0;
    for (std::size_t a = 0; a < members.size(); ++a)
      for (std::size_t b = a + 1; b < members.size(); ++b, ++pairs)
        for (std::size_t w = 0; w < img.words; ++w) sum += __builtin_popcountll(img[members[a]][w] ^ img[members[b]][w]);
    total += sum / static_cast<double>(pairs);
    ++classes;
  }
  return classes ? total / classes : 0.0;
}

}  // namespace

JudgeResult judge_generated(const GenerateResult& gen, const data::Dataset& train, const data::Dataset& held_out,
                            int binarize_threshold, int k, std::size_t reference_limit) {
  if (k < 1) throw Error("judge: k must be >= 1");
  train.validate();
  if (train.size() < static_cast<std::size_t>(k)) throw Error("judge: fewer training images than k");
  if (train.rows != gen.rows || train.cols != gen.cols)
    throw Error("judge: the generated images are " + std::to_string(gen.rows) + "x" + std::to_string(gen.cols) +
                ", the dataset's " + std::to_string(train.rows) + "x" + std::to_string(train.cols));
  for (int c : gen.sample_class)
    if (c < 0 || c >= data::kNumClasses) throw Error("judge: the samples are not of a class (unlabelled model)");
  const std::size_t np = train.image_size();
  const auto train_bits = pack(data::binarize(train, binarize_threshold).data(), train.size(), np);
  JudgeResult r;
  r.k = k;
  r.samples = gen.sample_class.size();
  r.confusion.assign(data::kNumClasses, std::vector<int>(data::kNumClasses, 0));
  std::vector<std::uint8_t> on(r.samples * np);
  for (std::size_t i = 0; i < on.size(); ++i) on[i] = gen.mean[i] > 0.5 ? 1 : 0;
  const auto gen_bits = pack(on.data(), r.samples, np);
  std::size_t agree = 0;
  double dist = 0;
  for (std::size_t i = 0; i < r.samples; ++i) {
    const auto [vote, d] = nearest_vote(gen_bits[i], train_bits, train.labels, k);
    const int c = gen.sample_class[i];
    ++r.confusion[static_cast<std::size_t>(c)][static_cast<std::size_t>(vote)];
    agree += vote == c;
    dist += d;
  }
  if (r.samples > 0) {
    r.agreement = static_cast<double>(agree) / static_cast<double>(r.samples);
    r.nn_distance = dist / static_cast<double>(r.samples);
  }
  r.diversity = within_class_distance(gen_bits, gen.sample_class);
  {
    // The same for real digits: the first kDiversityReference training images of every class.
    std::vector<std::uint8_t> picked;
    std::vector<int> picked_class;
    std::vector<std::size_t> taken(data::kNumClasses, 0);
    const auto train01 = data::binarize(train, binarize_threshold);
    for (std::size_t i = 0; i < train.size(); ++i) {
      const int c = train.labels[i];
      if (c >= data::kNumClasses || taken[static_cast<std::size_t>(c)] >= kDiversityReference) continue;
      ++taken[static_cast<std::size_t>(c)];
      picked.insert(picked.end(), train01.begin() + static_cast<std::ptrdiff_t>(i * np),
                    train01.begin() + static_cast<std::ptrdiff_t>((i + 1) * np));
      picked_class.push_back(c);
    }
    r.reference_diversity = within_class_distance(pack(picked.data(), picked_class.size(), np), picked_class);
  }
  if (held_out.size() > 0) {
    held_out.validate();
    if (held_out.rows != train.rows || held_out.cols != train.cols) throw Error("judge: held-out image size differs");
    r.reference_images = std::min(held_out.size(), reference_limit);
    const auto ref_bits = pack(data::binarize(held_out, binarize_threshold).data(), r.reference_images, np);
    std::size_t ok = 0;
    double rd = 0;
    for (std::size_t i = 0; i < r.reference_images; ++i) {
      const auto [vote, d] = nearest_vote(ref_bits[i], train_bits, train.labels, k);
      ok += vote == held_out.labels[i];
      rd += d;
    }
    r.reference_agreement = static_cast<double>(ok) / static_cast<double>(r.reference_images);
    r.reference_nn_distance = rd / static_cast<double>(r.reference_images);
  }
  return r;
}

std::vector<double> exact_log_probs(const Model& model, const data::Dataset& images, Arithmetic arithmetic,
                                    int binarize_threshold) {
  if (model.num_nodes() > static_cast<std::size_t>(kExactMaxNodes))
    throw Error("exact likelihood: the model has " + std::to_string(model.num_nodes()) + " p-bits, at most " +
                std::to_string(kExactMaxNodes) + " can be enumerated");
  images.validate();
  const auto& a = model.arch();
  if (images.rows != a.rows || images.cols != a.cols) throw Error("exact likelihood: image size mismatch");
  const Problem p = arithmetic == Arithmetic::Quantized
                        ? dequantized_problem(compile(model.weights(), model.spec(), model.beta()), model.weights())
                        : model.weights();
  const double log_z = enumerate_exact(p, model.beta(), false).log_z;
  const auto pix = data::binarize(images, binarize_threshold);
  const auto mask = model.clamp_mask(true, a.classes > 0);
  const std::size_t np = static_cast<std::size_t>(a.num_pixels());
  std::vector<std::int8_t> m(model.num_nodes(), -1);
  std::vector<double> out;
  for (std::size_t k = 0; k < images.size(); ++k) {
    model.encode(m, pix.data() + k * np, a.classes > 0 ? images.labels[k] : -1);
    out.push_back(enumerate_exact(p, model.beta(), false, mask, m).log_z - log_z);
  }
  return out;
}

double exact_log_likelihood(const Model& model, const data::Dataset& images, Arithmetic arithmetic,
                            int binarize_threshold) {
  const auto lp = exact_log_probs(model, images, arithmetic, binarize_threshold);
  double sum = 0;
  for (double v : lp) sum += v;
  return lp.empty() ? 0.0 : sum / static_cast<double>(lp.size());
}

data::Dataset bars_and_stripes(int size) {
  if (size < 1 || size > 8) throw Error("bars and stripes: size must be in 1..8");
  data::Dataset d;
  d.rows = d.cols = size;
  d.name = "bars-and-stripes " + std::to_string(size) + "x" + std::to_string(size);
  const std::size_t ns = static_cast<std::size_t>(size) * static_cast<std::size_t>(size);
  auto add = [&](bool stripes, unsigned code) {
    for (int r = 0; r < size; ++r)
      for (int c = 0; c < size; ++c) {
        const bool on = (code >> (stripes ? r : c)) & 1u;
        d.pixels.push_back(on ? 255 : 0);
      }
    d.labels.push_back(stripes ? 1 : 0);
  };
  const unsigned full = (1u << size) - 1u;
  for (unsigned code = 0; code <= full; ++code) add(false, code);           // bars (incl. all off / all on)
  for (unsigned code = 1; code < full; ++code) add(true, code);             // stripes, without the two shared
  (void)ns;
  return d;
}

data::Split load_split(const std::string& spec) {
  if (spec.rfind("bas:", 0) == 0) {
    int size = 0;
    try {
      std::size_t used = 0;
      size = std::stoi(spec.substr(4), &used);
      if (used != spec.size() - 4) size = 0;
    } catch (const std::exception&) {
      size = 0;
    }
    if (size < 2 || size > 8) throw Error("dataset '" + spec + "': use bas:N with N in 2..8");
    data::Split s;
    s.train = s.test = bars_and_stripes(size);
    return s;
  }
  return data::load_dataset(spec);
}

}  // namespace pbit::dbm

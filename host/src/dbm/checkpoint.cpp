// Checkpoint files of DBM training (trainer.hpp).
#include <pbit/data/io.hpp>
#include <pbit/dbm/trainer.hpp>
#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/resources.hpp>

#include "json_parse.hpp"
#include "json_read.hpp"
#include "spec_json.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <limits>

namespace pbit::dbm {

using json_read::get;
using json_read::get_or;
using json_read::read;
using json_read::read_or;
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "checkpoints are written little endian");

constexpr char kMagic[8] = {'P', 'B', 'I', 'T', 'D', 'B', 'M', '\n'};
constexpr std::uint32_t kVersion = 1;

std::uint64_t fnv1a(const std::uint8_t* p, std::size_t n) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

template <class T>
void put(std::vector<std::uint8_t>& out, const T& v) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}
void put_doubles(std::vector<std::uint8_t>& out, const std::vector<double>& v) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(v.data());
  out.insert(out.end(), p, p + v.size() * sizeof(double));
}

}  // namespace

nlohmann::json spec_json(const NumericSpec& s) {
  return {{"weight_bits", s.weight_bits}, {"frac_bits", s.frac_bits},     {"sum_bits", s.sum_bits},
          {"lut_depth", s.lut_depth},     {"lut_shift", s.lut_shift},     {"lut_bits", s.lut_bits},
          {"rng", to_string(s.rng)},      {"schedule", to_string(s.schedule)},
          {"async_period", s.async_period}, {"beta_mode", to_string(s.beta_mode)}};
}
NumericSpec spec_from(const nlohmann::json& j) {
  NumericSpec s;
  read(j, "weight_bits", s.weight_bits);
  read(j, "frac_bits", s.frac_bits);
  read(j, "sum_bits", s.sum_bits);
  read(j, "lut_depth", s.lut_depth);
  read(j, "lut_shift", s.lut_shift);
  read(j, "lut_bits", s.lut_bits);
  s.rng = parse_rng_kind(get<std::string>(j, "rng"));
  s.schedule = parse_schedule(get<std::string>(j, "schedule"));
  read(j, "async_period", s.async_period);
  s.beta_mode = parse_beta_mode(get<std::string>(j, "beta_mode"));
  s.validate();
  return s;
}

namespace {

nlohmann::json config_to(const TrainConfig& c) {
  return {{"epochs", c.epochs},           {"batch", c.batch},
          {"chains", c.chains},           {"lr", c.lr},
          {"lr_final", c.lr_final},       {"lr_per_update", c.lr_per_update}, {"momentum", c.momentum}, {"label_lr_scale", c.label_lr_scale},
          {"optimizer", to_string(c.optimizer)}, {"adam_beta2", c.adam_beta2}, {"adam_eps", c.adam_eps},
          {"weight_decay", c.weight_decay}, {"init_std", c.init_std},
          {"pos_burn_in", c.pos_burn_in}, {"pos_sweeps", c.pos_sweeps},
          {"neg_burn_in", c.neg_burn_in}, {"neg_sweeps", c.neg_sweeps},
          {"cond_weight", c.cond_weight}, {"cond_burn_in", c.cond_burn_in},
          {"cond_sweeps", c.cond_sweeps}, {"seed", c.seed},
          {"threads", c.threads},         {"binarize_threshold", c.binarize_threshold},
          {"balanced", c.balanced}, {"cond_anneal", c.cond_anneal},
          {"cond_from_data", c.cond_from_data}, {"persistent", c.persistent},
          {"gen_weight", c.gen_weight}, {"disc_weight", c.disc_weight},
          {"disc_depth", c.disc_depth}, {"cond_cold", c.cond_cold},
          {"mf_epochs", c.mf_epochs}, {"mf_steps", c.mf_steps}, {"mf_lr", c.mf_lr}, {"shift", c.shift},
          {"coupled", c.coupled}, {"average", c.average}};
}
TrainConfig config_from(const nlohmann::json& j) {
  TrainConfig c;
  read(j, "epochs", c.epochs);
  read(j, "batch", c.batch);
  read(j, "chains", c.chains);
  read(j, "lr", c.lr);
  read(j, "lr_final", c.lr_final);
  read_or(j, "lr_per_update", c.lr_per_update);
  read(j, "momentum", c.momentum);
  read_or(j, "label_lr_scale", c.label_lr_scale);
  c.optimizer = parse_optimizer(get_or(j, "optimizer", std::string("sgd")));
  read_or(j, "adam_beta2", c.adam_beta2);
  read_or(j, "adam_eps", c.adam_eps);
  read(j, "weight_decay", c.weight_decay);
  read(j, "init_std", c.init_std);
  read(j, "pos_burn_in", c.pos_burn_in);
  read(j, "pos_sweeps", c.pos_sweeps);
  read(j, "neg_burn_in", c.neg_burn_in);
  read(j, "neg_sweeps", c.neg_sweeps);
  read(j, "cond_weight", c.cond_weight);
  read(j, "cond_burn_in", c.cond_burn_in);
  read(j, "cond_sweeps", c.cond_sweeps);
  read(j, "seed", c.seed);
  read(j, "threads", c.threads);
  read(j, "binarize_threshold", c.binarize_threshold);
  c.balanced = get_or(j, "balanced", false);  // absent: a checkpoint from before balanced batches
  read_or(j, "cond_anneal", c.cond_anneal);
  read_or(j, "cond_from_data", c.cond_from_data);
  read_or(j, "persistent", c.persistent);
  read_or(j, "gen_weight", c.gen_weight);
  read_or(j, "disc_weight", c.disc_weight);
  read_or(j, "disc_depth", c.disc_depth);
  read_or(j, "cond_cold", c.cond_cold);
  read_or(j, "mf_epochs", c.mf_epochs);
  read_or(j, "mf_steps", c.mf_steps);
  read_or(j, "mf_lr", c.mf_lr);
  read_or(j, "shift", c.shift);
  read_or(j, "coupled", c.coupled);
  read_or(j, "average", c.average);
  return c;
}

nlohmann::json record_to(const EpochRecord& r) {
  nlohmann::json j = {{"epoch", r.epoch},         {"seconds", r.seconds},
                      {"total_seconds", r.total_seconds}, {"lr", r.lr},
                      {"corr_gap", r.corr_gap},   {"mean_gap", r.mean_gap},
                      {"mean_abs_j", r.mean_abs_j}, {"nonzero_j", r.nonzero_j},
                      {"frozen_hidden", r.frozen_hidden}, {"flips", r.flips}};
  if (r.train_accuracy >= 0) j["train_accuracy"] = r.train_accuracy;
  if (r.monitor_accuracy >= 0) j["monitor_accuracy"] = r.monitor_accuracy;
  if (r.log_likelihood != 0) j["log_likelihood"] = r.log_likelihood;
  return j;
}
EpochRecord record_from(const nlohmann::json& j) {
  EpochRecord r;
  read(j, "epoch", r.epoch);
  read(j, "seconds", r.seconds);
  read(j, "total_seconds", r.total_seconds);
  read(j, "lr", r.lr);
  read(j, "corr_gap", r.corr_gap);
  read(j, "mean_gap", r.mean_gap);
  read(j, "mean_abs_j", r.mean_abs_j);
  read(j, "nonzero_j", r.nonzero_j);
  read_or(j, "frozen_hidden", r.frozen_hidden);
  read_or(j, "train_accuracy", r.train_accuracy);
  read_or(j, "monitor_accuracy", r.monitor_accuracy);
  read_or(j, "log_likelihood", r.log_likelihood);
  read_or(j, "flips", r.flips);
  return r;
}

}  // namespace

std::string to_json_line(const EpochRecord& r) { return record_to(r).dump(); }
std::string to_json_line(const EpochRecord& r, const std::string& method, const std::string& data) {
  nlohmann::json j = record_to(r);
  j["method"] = method;
  j["data"] = data;
  return j.dump();
}
std::string config_json(const TrainConfig& c) { return config_to(c).dump(); }

void save_checkpoint(const std::string& path, const Checkpoint& ck) {
  const std::size_t n = ck.h.size();
  for (const auto& c : ck.chains)
    if (c.size() != n) throw Error(path + ": cannot write: a chain state has the wrong size");
  nlohmann::json hdr = {
      {"format", "pbit-dbm-checkpoint"},
      {"arch",
       {{"graph", ck.arch.graph},
        {"rows", ck.arch.rows},
        {"cols", ck.arch.cols},
        {"classes", ck.arch.classes},
        {"label_copies", ck.arch.label_copies},
        {"placement", to_string(ck.arch.placement)},
        {"placement_seed", ck.arch.placement_seed}}},
      {"method", checkpoint_method(ck)},
      {"data", ck.data},
      {"source", ck.source},
      {"spec", spec_json(ck.spec)},
      {"beta", ck.beta},
      {"config", config_to(ck.config)},
      {"dataset", ck.dataset},
      {"train_images", ck.train_images},
      {"epoch", ck.epoch},
      {"batch", ck.batch},
      {"total_seconds", ck.total_seconds},
      {"flips", ck.flips},
      {"steps", ck.steps},
      {"second_moments", !ck.sJ.empty()},
      {"generative_moments", !ck.gvJ.empty()},
      {"averaged_weights", !ck.aJ.empty()},
      {"nodes", n},
      {"edges", ck.J.size()},
      {"chains", ck.chains.size()},
      {"history", nlohmann::json::array()}};
  for (const auto& r : ck.history) hdr["history"].push_back(record_to(r));
  if (ck.arch.embedded_graph()) {
    hdr["arch"]["graph_nodes"] = ck.arch.graph_nodes;
    hdr["arch"]["graph_edges"] = ck.arch.graph_edges;
    if (!ck.arch.graph_colors.empty()) hdr["arch"]["graph_colors"] = ck.arch.graph_colors;
  }
  if (ck.arch.explicit_placement()) {
    hdr["arch"]["pixel_nodes"] = ck.arch.pixel_nodes;
    hdr["arch"]["label_nodes"] = ck.arch.label_nodes;
  }
  const std::string text = hdr.dump();

  std::vector<std::uint8_t> out(kMagic, kMagic + sizeof kMagic);
  put(out, kVersion);
  put(out, static_cast<std::uint64_t>(text.size()));
  out.insert(out.end(), text.begin(), text.end());
  put_doubles(out, ck.J);
  put_doubles(out, ck.h);
  put_doubles(out, ck.vJ);
  put_doubles(out, ck.vh);
  if (!ck.sJ.empty()) {
    if (ck.sJ.size() != ck.J.size() || ck.sh.size() != n) throw Error(path + ": cannot write: moments of the wrong size");
    put_doubles(out, ck.sJ);
    put_doubles(out, ck.sh);
  }
  if (!ck.gvJ.empty()) {
    if (ck.gvJ.size() != ck.J.size() || ck.gsJ.size() != ck.J.size() || ck.gvh.size() != n || ck.gsh.size() != n)
      throw Error(path + ": cannot write: generative moments of the wrong size");
    put_doubles(out, ck.gvJ);
    put_doubles(out, ck.gvh);
    put_doubles(out, ck.gsJ);
    put_doubles(out, ck.gsh);
  }
  if (!ck.aJ.empty()) {
    if (ck.aJ.size() != ck.J.size() || ck.ah.size() != n) throw Error(path + ": cannot write: averaged weights of the wrong size");
    put_doubles(out, ck.aJ);
    put_doubles(out, ck.ah);
  }
  for (const auto& c : ck.chains) {
    std::vector<std::uint8_t> bits((n + 7) / 8, 0);
    for (std::size_t i = 0; i < n; ++i)
      if (c[i] > 0) bits[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
    out.insert(out.end(), bits.begin(), bits.end());
  }
  put(out, fnv1a(out.data(), out.size()));
  data::write_file_atomic(path, out);
}

Checkpoint load_checkpoint(const std::string& path) {
  // Large runs (many chains) make large checkpoints; read_file checks the memory.
  const auto bytes = data::read_file(path, std::numeric_limits<std::size_t>::max() - 1);
  auto fail = [&](const std::string& why) -> Error { return Error(path + ": " + why); };
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    throw fail("not a pbit DBM checkpoint (bad magic)");
  std::size_t pos = sizeof kMagic;
  auto need = [&](std::size_t k) {
    if (bytes.size() < pos + k) throw fail("truncated checkpoint");
  };
  auto get_u32 = [&] {
    need(4);
    std::uint32_t v;
    std::memcpy(&v, bytes.data() + pos, 4);
    pos += 4;
    return v;
  };
  auto get_u64 = [&] {
    need(8);
    std::uint64_t v;
    std::memcpy(&v, bytes.data() + pos, 8);
    pos += 8;
    return v;
  };
  const std::uint32_t version = get_u32();
  if (version != kVersion)
    throw fail("checkpoint version " + std::to_string(version) + ", this pbit reads version " +
               std::to_string(kVersion));
  if (bytes.size() < 8 + pos) throw fail("truncated checkpoint");
  std::uint64_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
  if (stored != fnv1a(bytes.data(), bytes.size() - 8)) throw fail("checksum mismatch (corrupt or truncated checkpoint)");
  const std::size_t end = bytes.size() - 8;
  const std::uint64_t hlen = get_u64();
  // The length field may overlap the checksum (pos > end): end - pos would wrap.
  if (pos > end || hlen > end - pos) throw fail("truncated checkpoint");
  Checkpoint ck;
  std::size_t n = 0, ne = 0, nc = 0;
  bool second = false, gen_moments = false, averaged = false;
  try {
    const auto hdr = parse_json_limited(bytes.begin() + static_cast<std::ptrdiff_t>(pos),
                                        bytes.begin() + static_cast<std::ptrdiff_t>(pos + hlen), "header", 8);
    pos += hlen;
    if (get<std::string>(hdr, "format") != "pbit-dbm-checkpoint") throw fail("not a pbit DBM checkpoint");
    const auto& a = hdr.at("arch");
    read(a, "graph", ck.arch.graph);
    read(a, "rows", ck.arch.rows);
    read(a, "cols", ck.arch.cols);
    read(a, "classes", ck.arch.classes);
    read(a, "label_copies", ck.arch.label_copies);
    ck.arch.placement = parse_placement(get<std::string>(a, "placement"));
    read(a, "placement_seed", ck.arch.placement_seed);
    read_or(a, "graph_nodes", ck.arch.graph_nodes);
    read_or(a, "graph_edges", ck.arch.graph_edges);
    read_or(a, "graph_colors", ck.arch.graph_colors);
    read_or(a, "pixel_nodes", ck.arch.pixel_nodes);
    read_or(a, "label_nodes", ck.arch.label_nodes);
    read_or(hdr, "method", ck.method);
    read_or(hdr, "data", ck.data);
    read_or(hdr, "source", ck.source);
    ck.spec = spec_from(hdr.at("spec"));
    read(hdr, "beta", ck.beta);
    ck.config = config_from(hdr.at("config"));
    read(hdr, "dataset", ck.dataset);
    read_or(hdr, "train_images", ck.train_images);
    read(hdr, "epoch", ck.epoch);
    read(hdr, "batch", ck.batch);
    read(hdr, "total_seconds", ck.total_seconds);
    read_or(hdr, "flips", ck.flips);
    read_or(hdr, "steps", ck.steps);
    second = get_or(hdr, "second_moments", false);
    gen_moments = get_or(hdr, "generative_moments", false);
    averaged = get_or(hdr, "averaged_weights", false);
    read(hdr, "nodes", n);
    read(hdr, "edges", ne);
    read(hdr, "chains", nc);
    const auto& history = hdr.at("history");
    if (!history.is_array()) throw Error("'history' is not an array");
    for (const auto& r : history) ck.history.push_back(record_from(r));
  } catch (const nlohmann::json::exception& e) {
    throw fail(std::string("malformed checkpoint header: ") + e.what());
  } catch (const Error& e) {
    const std::string what = e.what();
    if (what.rfind(path + ": ", 0) == 0) throw;
    throw fail("malformed checkpoint header: " + what);
  }
  if (n > graphs::kMaxNodes || ne > graphs::kMaxEdges)
    throw fail("malformed checkpoint header: " + std::to_string(n) + " nodes, " + std::to_string(ne) +
               " edges (a graph has at most " + std::to_string(graphs::kMaxNodes) + " and " +
               std::to_string(graphs::kMaxEdges) + ")");
  const std::size_t row = (n + 7) / 8;
  // Sizes in 64 bits, saturating: a huge chain count cannot wrap around to a match.
  const std::uint64_t arrays = ((second ? 3 : 2) + (gen_moments ? 2 : 0) + (averaged ? 1 : 0)) * (std::uint64_t{ne} + n) * sizeof(double);
  if (std::uint64_t{end - pos} != add_sat(arrays, mul_sat(nc, row)) || (nc > 0 && n == 0))
    throw fail("array sizes do not match the header");
  // Unpacked, every chain takes a byte per p-bit (plus a vector's overhead).
  check_memory(add_sat(arrays, mul_sat(nc, std::uint64_t{n} + 40)),
               path + ": " + std::to_string(nc) + " chains of " + std::to_string(n) + " p-bits need", "");
  auto get_doubles = [&](std::size_t k) {
    std::vector<double> v(k);
    std::memcpy(v.data(), bytes.data() + pos, k * sizeof(double));
    pos += k * sizeof(double);
    for (double x : v)
      if (!std::isfinite(x)) throw fail("non-finite weight");
    return v;
  };
  ck.J = get_doubles(ne);
  ck.h = get_doubles(n);
  ck.vJ = get_doubles(ne);
  ck.vh = get_doubles(n);
  if (second) {
    ck.sJ = get_doubles(ne);
    ck.sh = get_doubles(n);
  }
  if (gen_moments) {
    ck.gvJ = get_doubles(ne);
    ck.gvh = get_doubles(n);
    ck.gsJ = get_doubles(ne);
    ck.gsh = get_doubles(n);
  }
  if (averaged) {
    ck.aJ = get_doubles(ne);
    ck.ah = get_doubles(n);
  }
  ck.chains.assign(nc, std::vector<std::int8_t>(n, -1));
  for (std::size_t c = 0; c < nc; ++c, pos += row)
    for (std::size_t i = 0; i < n; ++i) ck.chains[c][i] = (bytes[pos + i / 8] >> (i % 8)) & 1u ? 1 : -1;
  return ck;
}

std::string checkpoint_method(const Checkpoint& ck) {
  return ck.method.empty() ? training_method(ck.config) : ck.method;
}

Model model_from_checkpoint(const Checkpoint& ck) {
  Model m(ck.arch, ck.spec, ck.beta);
  if (ck.J.size() != m.num_edges() || ck.h.size() != m.num_nodes())
    throw Error("checkpoint: " + std::to_string(ck.h.size()) + " nodes / " + std::to_string(ck.J.size()) +
                " edges do not match the graph " + m.graph().spec());
  // With weight averaging, the averaged weights are the model.
  const bool avg = !ck.aJ.empty();
  if (avg && (ck.aJ.size() != ck.J.size() || ck.ah.size() != ck.h.size()))
    throw Error("checkpoint: averaged weights do not match the graph");
  m.weights().J = avg ? ck.aJ : ck.J;
  m.weights().h = avg ? ck.ah : ck.h;
  return m;
}

}  // namespace pbit::dbm

// Checkpoint files of DBM training (trainer.hpp).
#include <pbit/data/io.hpp>
#include <pbit/dbm/trainer.hpp>
#include <pbit/error.hpp>

#include "spec_json.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>

namespace pbit::dbm {
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
  s.weight_bits = j.at("weight_bits");
  s.frac_bits = j.at("frac_bits");
  s.sum_bits = j.at("sum_bits");
  s.lut_depth = j.at("lut_depth");
  s.lut_shift = j.at("lut_shift");
  s.lut_bits = j.at("lut_bits");
  s.rng = parse_rng_kind(j.at("rng"));
  s.schedule = parse_schedule(j.at("schedule"));
  s.async_period = j.at("async_period");
  s.beta_mode = parse_beta_mode(j.at("beta_mode"));
  s.validate();
  return s;
}

namespace {

nlohmann::json config_to(const TrainConfig& c) {
  return {{"epochs", c.epochs},           {"batch", c.batch},
          {"chains", c.chains},           {"lr", c.lr},
          {"lr_final", c.lr_final},       {"momentum", c.momentum}, {"label_lr_scale", c.label_lr_scale},
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
          {"coupled", c.coupled}};
}
TrainConfig config_from(const nlohmann::json& j) {
  TrainConfig c;
  c.epochs = j.at("epochs");
  c.batch = j.at("batch");
  c.chains = j.at("chains");
  c.lr = j.at("lr");
  c.lr_final = j.at("lr_final");
  c.momentum = j.at("momentum");
  c.label_lr_scale = j.value("label_lr_scale", 1.0);
  c.optimizer = parse_optimizer(j.value("optimizer", std::string("sgd")));
  c.adam_beta2 = j.value("adam_beta2", c.adam_beta2);
  c.adam_eps = j.value("adam_eps", c.adam_eps);
  c.weight_decay = j.at("weight_decay");
  c.init_std = j.at("init_std");
  c.pos_burn_in = j.at("pos_burn_in");
  c.pos_sweeps = j.at("pos_sweeps");
  c.neg_burn_in = j.at("neg_burn_in");
  c.neg_sweeps = j.at("neg_sweeps");
  c.cond_weight = j.at("cond_weight");
  c.cond_burn_in = j.at("cond_burn_in");
  c.cond_sweeps = j.at("cond_sweeps");
  c.seed = j.at("seed");
  c.threads = j.at("threads");
  c.binarize_threshold = j.at("binarize_threshold");
  c.balanced = j.value("balanced", false);
  c.cond_anneal = j.value("cond_anneal", std::vector<double>{});
  c.cond_from_data = j.value("cond_from_data", false);
  c.persistent = j.value("persistent", true);
  c.gen_weight = j.value("gen_weight", 1.0);
  c.disc_weight = j.value("disc_weight", 0.0);
  c.disc_depth = j.value("disc_depth", 8);
  c.cond_cold = j.value("cond_cold", false);
  c.mf_epochs = j.value("mf_epochs", 0);
  c.mf_steps = j.value("mf_steps", 8);
  c.mf_lr = j.value("mf_lr", 0.01);
  c.shift = j.value("shift", 0);
  c.coupled = j.value("coupled", false);
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
  r.epoch = j.at("epoch");
  r.seconds = j.at("seconds");
  r.total_seconds = j.at("total_seconds");
  r.lr = j.at("lr");
  r.corr_gap = j.at("corr_gap");
  r.mean_gap = j.at("mean_gap");
  r.mean_abs_j = j.at("mean_abs_j");
  r.nonzero_j = j.at("nonzero_j");
  r.frozen_hidden = j.value("frozen_hidden", 0.0);
  r.train_accuracy = j.value("train_accuracy", -1.0);
  r.monitor_accuracy = j.value("monitor_accuracy", -1.0);
  r.log_likelihood = j.value("log_likelihood", 0.0);
  r.flips = j.value("flips", 0.0);
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
  const auto bytes = data::read_file(path);
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
  if (hlen > end - pos) throw fail("truncated checkpoint");
  Checkpoint ck;
  std::size_t n = 0, ne = 0, nc = 0;
  bool second = false, gen_moments = false;
  try {
    const auto hdr = nlohmann::json::parse(bytes.begin() + static_cast<std::ptrdiff_t>(pos),
                                           bytes.begin() + static_cast<std::ptrdiff_t>(pos + hlen));
    pos += hlen;
    if (hdr.at("format") != "pbit-dbm-checkpoint") throw fail("not a pbit DBM checkpoint");
    const auto& a = hdr.at("arch");
    ck.arch.graph = a.at("graph");
    ck.arch.rows = a.at("rows");
    ck.arch.cols = a.at("cols");
    ck.arch.classes = a.at("classes");
    ck.arch.label_copies = a.at("label_copies");
    ck.arch.placement = parse_placement(a.at("placement"));
    ck.arch.placement_seed = a.at("placement_seed");
    ck.arch.graph_nodes = a.value("graph_nodes", std::vector<graphs::Label>{});
    ck.arch.graph_edges = a.value("graph_edges", std::vector<std::pair<graphs::Label, graphs::Label>>{});
    ck.arch.graph_colors = a.value("graph_colors", std::vector<int>{});
    ck.arch.pixel_nodes = a.value("pixel_nodes", std::vector<std::uint32_t>{});
    ck.arch.label_nodes = a.value("label_nodes", std::vector<std::uint32_t>{});
    ck.method = hdr.value("method", "");
    ck.data = hdr.value("data", "");
    ck.source = hdr.value("source", "");
    ck.spec = spec_from(hdr.at("spec"));
    ck.beta = hdr.at("beta");
    ck.config = config_from(hdr.at("config"));
    ck.dataset = hdr.at("dataset");
    ck.train_images = hdr.value("train_images", std::uint64_t{0});
    ck.epoch = hdr.at("epoch");
    ck.batch = hdr.at("batch");
    ck.total_seconds = hdr.at("total_seconds");
    ck.flips = hdr.value("flips", 0.0);
    ck.steps = hdr.value("steps", std::uint64_t{0});
    second = hdr.value("second_moments", false);
    gen_moments = hdr.value("generative_moments", false);
    n = hdr.at("nodes");
    ne = hdr.at("edges");
    nc = hdr.at("chains");
    for (const auto& r : hdr.at("history")) ck.history.push_back(record_from(r));
  } catch (const nlohmann::json::exception& e) {
    throw fail(std::string("malformed checkpoint header: ") + e.what());
  } catch (const Error& e) {
    throw fail(e.what());
  }
  const std::size_t row = (n + 7) / 8;
  if (end - pos != ((second ? 3 : 2) + (gen_moments ? 2 : 0)) * (ne + n) * sizeof(double) + nc * row)
    throw fail("array sizes do not match the header");
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
  m.weights().J = ck.J;
  m.weights().h = ck.h;
  return m;
}

}  // namespace pbit::dbm

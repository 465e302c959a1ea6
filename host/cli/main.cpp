// pbit: the command line tool. Human text goes to stdout (or, with --json,
// one JSON document to stdout and everything human to stderr). Exit codes:
// 0 success, 1 error in the input or the run, 2 bad command line.
#include "cli.hpp"
#include "numbers.hpp"

#include <pbit/error.hpp>
#include <pbit/graphs/generators.hpp>
#include <pbit/parallel/session.hpp>
#include <pbit/resources.hpp>
#include <pbit/sim/rtl_sampler.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#ifndef PBIT_VERSION
#error "PBIT_VERSION must be defined (host/CMakeLists.txt)"
#endif

namespace pbit::cli {

std::shared_ptr<const graphs::Graph> load_graph(const std::string& spec) {
  return std::make_shared<const graphs::Graph>(graphs::make_graph(spec));
}

void ProblemOptions::add_to(CLI::App& app, bool allow_file) {
  if (allow_file) {
    app.add_option("--problem", problem_file, "problem file (text 'i j J' / 'i i h' lines, .json, or rudy/G-set Max-Cut)");
    app.add_option("--format", format, "of --problem: auto | text | json | rudy")->capture_default_str();
  }
  app.add_option("--graph", graph_spec, "graph spec (random problem, or checks --problem)");
  app.add_option("--couplings", couplings, "random J: pm1 | uniform:A | gauss:S | const:C | zero")
      ->capture_default_str();
  app.add_option("--fields", fields, "random h: same choices")->capture_default_str();
  app.add_option("--problem-seed", problem_seed, "seed of the random problem")->capture_default_str()->check(NonNegative);
}

Problem ProblemOptions::make() const { return load().problem; }

LoadedProblem ProblemOptions::load() const {
  const ProblemFormat f = parse_problem_format(format);
  std::shared_ptr<const graphs::Graph> g;
  if (!graph_spec.empty()) g = load_graph(graph_spec);
  if (!problem_file.empty()) return read_problem_file(problem_file, g, f);
  if (!g) throw Error("give --graph SPEC (random problem) or --problem FILE");
  return {random_problem(g, WeightDist::parse(couplings), WeightDist::parse(fields), problem_seed), std::nullopt};
}

void print_json(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

void SpecOptions::add_to(CLI::App& app) {
  app.add_option("--weight-bits", weight_bits, "total bits of J and h [2,16]")->capture_default_str();
  app.add_option("--frac-bits", frac_bits, "fraction bits of J, h and I")->capture_default_str();
  app.add_option("--sum-bits", sum_bits, "total bits of the synaptic sum I [weight-bits,24]")
      ->capture_default_str();
  app.add_option("--lut-depth", lut_depth, "tanh LUT entries (power of two)")->capture_default_str();
  app.add_option("--lut-shift", lut_shift, "LUT index = |I| >> shift (default: cover the I range)");
  app.add_option("--lut-bits", lut_bits, "signed LUT/random-number width [2,16]")->capture_default_str();
  app.add_option("--rng", rng, "per-p-bit RNG: lfsr32 | xorshift32")->capture_default_str();
  app.add_option("--schedule", schedule, "chromatic | async")->capture_default_str();
  app.add_option("--async-period", async_period, "async: update probability 1/period per cycle")
      ->capture_default_str();
  app.add_option("--beta-mode", beta_mode, "lut (beta in the LUT) | fold (beta in the weights)")
      ->capture_default_str();
}

namespace {
// A LUT whose entries each span many field units reads almost every field as
// its first entry: the sampler then runs near p = 1/2 whatever the couplings
// (e.g. --sum-bits 12 with the default 32 entries: a step of 32 field units).
// Legal, and bit-exact on every backend, so a warning, once per process.
void warn_coarse_lut(const NumericSpec& s) {
  static bool warned = false;
  const double step = std::ldexp(1.0, s.lut_shift - s.frac_bits);  // field units per LUT entry
  if (warned || step <= 2) return;
  warned = true;
  const long deep = std::min<long>(4096, 1L << (s.sum_bits - 1));
  std::fprintf(stderr,
               "pbit: warning: numeric spec: the %d-entry LUT covers %d-bit sums in steps of %g field units, so the "
               "sampler barely sees fields smaller than that; --lut-depth %ld or narrower --sum-bits resolve them\n",
               s.lut_depth, s.sum_bits, step, deep);
}
}  // namespace

NumericSpec SpecOptions::spec() const {
  NumericSpec s;
  s.weight_bits = weight_bits;
  s.frac_bits = frac_bits;
  s.sum_bits = sum_bits;
  s.lut_depth = lut_depth;
  s.lut_bits = lut_bits;
  s.async_period = async_period;
  s.rng = parse_rng_kind(rng);
  s.schedule = parse_schedule(schedule);
  s.beta_mode = parse_beta_mode(beta_mode);
  // Every field but the shift first, so a bad width or depth is named as such.
  s.lut_shift = 0;
  s.validate();
  s.lut_shift = lut_shift >= 0 ? lut_shift : NumericSpec::covering_shift(sum_bits, lut_depth);
  s.validate();
  warn_coarse_lut(s);
  return s;
}

nlohmann::json SpecOptions::to_json(const NumericSpec& s) const {
  return {{"weight_bits", s.weight_bits}, {"frac_bits", s.frac_bits},   {"sum_bits", s.sum_bits},
          {"lut_depth", s.lut_depth},     {"lut_shift", s.lut_shift},   {"lut_bits", s.lut_bits},
          {"rng", to_string(s.rng)},      {"schedule", to_string(s.schedule)},
          {"async_period", s.async_period}, {"beta_mode", to_string(s.beta_mode)}};
}

NumericSpec SpecOptions::override_given(NumericSpec s, const CLI::App& sub) const {
  const SpecOptions& o = *this;
  auto given = [&](const char* name) { return sub.get_option(name)->count() > 0; };
  if (given("--weight-bits")) s.weight_bits = o.weight_bits;
  if (given("--frac-bits")) s.frac_bits = o.frac_bits;
  if (given("--sum-bits")) s.sum_bits = o.sum_bits;
  if (given("--lut-depth")) s.lut_depth = o.lut_depth;
  if (given("--lut-bits")) s.lut_bits = o.lut_bits;
  if (given("--rng")) s.rng = parse_rng_kind(o.rng);
  if (given("--schedule")) s.schedule = parse_schedule(o.schedule);
  if (given("--async-period")) s.async_period = o.async_period;
  if (given("--beta-mode")) s.beta_mode = parse_beta_mode(o.beta_mode);
  if (given("--lut-shift"))
    s.lut_shift = o.lut_shift;
  else if (given("--sum-bits") || given("--lut-depth")) {
    // Every field but the shift first, so a bad width or depth is named as such.
    s.lut_shift = 0;
    s.validate();
    s.lut_shift = NumericSpec::covering_shift(s.sum_bits, s.lut_depth);
  }
  s.validate();
  warn_coarse_lut(s);
  return s;
}

std::string checkpoint_path(const std::string& p) {
  std::error_code ec;
  if (std::filesystem::is_directory(p, ec)) return (std::filesystem::path(p) / "checkpoint.pbit").string();
  return p;
}

namespace {

void strict_numbers(CLI::App& app) {
  for (CLI::Option* opt : app.get_options()) {
    const std::string full = opt->get_type_name();
    const std::string type = full.substr(0, full.find(':'));
    if (type != "INT" && type != "UINT" && type != "FLOAT") continue;
    opt->transform(CLI::Validator([type](std::string& v) { return check_decimal(v, type); }, ""));
  }
  for (CLI::App* sub : app.get_subcommands({})) strict_numbers(*sub);
}

}  // namespace

}  // namespace pbit::cli

namespace {

// An error under MPI: one process failing leaves the others waiting in their
// next exchange, so it ends the whole run. When every process fails alike
// (bad input), rank 0's abort usually ends the others before they print: they
// wait a moment first, so the message appears once.
[[noreturn]] void fail_run(const pbit::parallel::Communicator& world, const char* kind, const char* what) {
  if (world.rank() > 0) std::this_thread::sleep_for(std::chrono::seconds(1));
  std::fprintf(stderr, "pbit: %s: %s%s\n", kind, what,
               world.rank() > 0 ? (" (process " + std::to_string(world.rank()) + " of " + std::to_string(world.size()) + ")").c_str() : "");
  std::fflush(stderr);
  world.abort(1);
  std::exit(1);  // (abort does not return)
}

}  // namespace

int main(int argc, char** argv) {
  pbit::parallel::Session session(argc, argv);
  const auto& world = session.world();
  pbit::sim::register_rtl_backend();
  CLI::App app{"pbit: a p-bit sparse Ising machine (graphs, samplers, RTL, training)", "pbit"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for all subcommands");
  app.set_version_flag("--version", std::string("pbit ") + PBIT_VERSION);
  const std::vector<pbit::cli::Command> commands = {
      pbit::cli::add_graph_command(app),
      pbit::cli::add_sample_command(app),
      pbit::cli::add_bench_command(app),
      pbit::cli::add_rtl_command(app),
      pbit::cli::add_quality_command(app),
      pbit::cli::add_compare_command(app),
      pbit::cli::add_train_command(app),
      pbit::cli::add_eval_command(app),
      pbit::cli::add_generate_command(app),
      pbit::cli::add_fpga_command(app),
      pbit::cli::add_model_command(app),
      pbit::cli::add_anneal_command(app),
  };
  // Every process parses the same command line; only rank 0 talks about it.
  const bool talk = world.rank() == 0;
  pbit::cli::strict_numbers(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return talk ? app.exit(e) : 0;
  } catch (const CLI::CallForAllHelp& e) {
    return talk ? app.exit(e) : 0;
  } catch (const CLI::CallForVersion& e) {
    return talk ? app.exit(e) : 0;
  } catch (const CLI::ParseError& e) {
    if (talk) std::fprintf(stderr, "pbit: error: %s (see --help)\n", e.what());
    return 2;
  }
  const pbit::cli::Command* chosen = nullptr;
  for (const auto& c : commands)
    if (c.sub->parsed()) chosen = &c;
  if (!chosen) return 0;
  if (!chosen->run_parallel && world.size() > 1) {
    if (talk)
      std::fprintf(stderr, "pbit: error: '%s' runs as one process (under MPI: train, sample, anneal, eval)\n",
                   chosen->sub->get_name().c_str());
    return 1;
  }
  try {
    return chosen->run_parallel ? chosen->run_parallel(world) : chosen->run();
  } catch (const pbit::MemoryError& e) {
    // Name the option that lowers the figure.
    const std::string what = std::string(e.what()) + " (" + chosen->chains_option + ")";
    if (world.size() > 1) fail_run(world, "error", what.c_str());
    std::fprintf(stderr, "pbit: error: %s\n", what.c_str());
    return 1;
  } catch (const pbit::Error& e) {
    if (world.size() > 1) fail_run(world, "error", e.what());
    std::fprintf(stderr, "pbit: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    if (world.size() > 1) fail_run(world, "internal error", e.what());
    std::fprintf(stderr, "pbit: internal error: %s\n", e.what());
    return 1;
  }
}

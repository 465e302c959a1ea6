#pragma once
// Shared pieces of the `pbit` subcommands.
#include <pbit/graphs/graph.hpp>
#include <pbit/parallel/communicator.hpp>
#include <pbit/problem.hpp>
#include <pbit/problem_rudy.hpp>
#include <pbit/sampler.hpp>
#include <pbit/spec.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>

namespace pbit::cli {

// Each subcommand registers itself on the app and returns itself with the
// function that runs it after parsing (which throws pbit::Error for user errors).
// Commands that run under MPI (every process runs them; rank 0 prints and
// writes) give run_parallel instead; the others run as one process only.
struct Command {
  CLI::App* sub;
  std::function<int()> run;
  std::function<int(const parallel::Communicator&)> run_parallel = {};
  // The option that lowers the number of chains, named when they do not fit in memory.
  const char* chains_option = "--chains";
};
Command add_graph_command(CLI::App& app);
Command add_sample_command(CLI::App& app);
Command add_bench_command(CLI::App& app);
Command add_rtl_command(CLI::App& app);
Command add_quality_command(CLI::App& app);
Command add_compare_command(CLI::App& app);
Command add_train_command(CLI::App& app);
Command add_eval_command(CLI::App& app);
Command add_generate_command(CLI::App& app);
Command add_fpga_command(CLI::App& app);
Command add_model_command(CLI::App& app);
Command add_anneal_command(CLI::App& app);

// Rejects negative values for unsigned options (CLI11 would wrap "-3" around).
inline const CLI::Validator NonNegative(
    [](std::string& v) {
      return (!v.empty() && v[0] == '-') ? std::string("must be a non-negative integer (got " + v + ")")
                                         : std::string();
    },
    "UINT");

// Numeric-spec options shared by every command that programs p-bits.
struct SpecOptions {
  int weight_bits = NumericSpec{}.weight_bits;
  int frac_bits = NumericSpec{}.frac_bits;
  int sum_bits = NumericSpec{}.sum_bits;
  int lut_depth = NumericSpec{}.lut_depth;
  int lut_shift = -1;  // -1: smallest shift covering the |I| range
  int lut_bits = NumericSpec{}.lut_bits;
  int async_period = NumericSpec{}.async_period;
  std::string rng = to_string(NumericSpec{}.rng);
  std::string schedule = "chromatic";
  std::string beta_mode = "lut";
  void add_to(CLI::App& app);
  NumericSpec spec() const;  // validated
  nlohmann::json to_json(const NumericSpec& s) const;
  // `s` with the options given on `sub`'s command line applied (a model's
  // spec overridden: the same weights at another precision). Validated.
  NumericSpec override_given(NumericSpec s, const CLI::App& sub) const;
};

// A model path: a checkpoint file, or a run directory holding checkpoint.pbit.
std::string checkpoint_path(const std::string& path);

// Where the Ising problem comes from: a problem file (optionally checked
// against --graph) or a graph with random couplings and fields.
struct ProblemOptions {
  std::string problem_file;
  std::string format = "auto";  // of problem_file: auto | text | json | rudy
  std::string graph_spec;
  std::string couplings = "pm1";
  std::string fields = "zero";
  std::uint64_t problem_seed = 1;
  void add_to(CLI::App& app, bool allow_file);
  Problem make() const;
  LoadedProblem load() const;  // make(), and the Max-Cut data of a rudy file
};

// Which backend and its knobs: the ref kernel, the exact arithmetic, the
// simulated board (clocking what-ifs, tracing, Verilator threads).
struct BackendOptions {
  std::string simd = "auto";
  std::string ref_layout = "auto";
  std::string arithmetic = "quantized";
  std::string clocking = "enables";
  double clock_ns = 10.0;
  double ratio_spread = 0.1;
  double jitter = 0.05;
  std::uint64_t clock_seed = 1;
  std::string trace;
  int verilator_threads = 1;
  std::string arch = "full";  // rtl: full | engine | lean
  std::string port;          // board: serial device
  int baud = 115200;         // board
  int link_timeout_ms = 1000;  // board
  int link_retries = 3;      // board
  void add_to(CLI::App& app);
  std::unique_ptr<Sampler> make(const std::string& backend) const;
  // The same, its chains divided among the processes of `comm` when there is
  // more than one (parallel::DistributedSampler; backends ref and float).
  std::unique_ptr<Sampler> make(const std::string& backend, const parallel::Communicator& comm) const;
  // Whether `backend` reproduces the hardware bit for bit (ref, board, rtl with the
  // system clock and enables).
  bool bit_exact(const std::string& backend) const;
};

std::shared_ptr<const graphs::Graph> load_graph(const std::string& spec);
// Print a JSON document on stdout (the only thing on stdout with --json).
void print_json(const nlohmann::json& j);

}  // namespace pbit::cli

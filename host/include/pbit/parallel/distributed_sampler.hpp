#pragma once
// A Sampler whose chains are divided among processes: every process holds a
// local backend with its share of the chains (contiguous, in rank order,
// whole units of `unit` chains), each chain seeded by its global index
// (SamplerConfig::first_chain), so the bits of every chain are those of one
// process running them all. Every process makes the same sequence of calls
// (SPMD); the trainer, the evaluator and the CLI drive it as any Sampler.
//
// Local (no communication): load, configure, set_beta, update_weights, clamps,
// set_state(s) (each process keeps the chains it holds), run, reset_stats.
// Collective (every process calls them alike and gets the same answer):
//   stats()   the backends' integer sums added over the processes (exact),
//             then the moments from them: the one-process result, bit for bit;
//   state(c)  from the process holding chain c;
//   states()  every process's part, one bit per p-bit on the wire.
// Backends that keep no integer sums (exact) are refused by stats().
#include <pbit/parallel/communicator.hpp>
#include <pbit/sampler.hpp>

#include <memory>

namespace pbit::parallel {

class DistributedSampler final : public Sampler {
 public:
  // unit: chains per share unit (32 for ref, whose kernels run 32 chains per word).
  DistributedSampler(std::unique_ptr<Sampler> local, const Communicator& comm, int unit = 1);

  std::string name() const override { return local_->name(); }
  void load(const Problem& problem, const NumericSpec& spec, double beta) override;
  void configure(const SamplerConfig& config) override;
  void set_beta(double beta) override { local_->set_beta(beta); }
  void update_weights(const Problem& problem) override;
  void set_clamp_mask(const std::vector<std::uint8_t>& clamped) override {
    local_->set_clamp_mask(clamped);
  }
  void set_clamp_values(int chain, const std::vector<std::int8_t>& m) override;
  void clear_clamps() override { local_->clear_clamps(); }
  void run(std::uint64_t sweeps, bool accumulate) override;
  std::vector<std::int8_t> state(int chain) const override;
  void set_state(int chain, const std::vector<std::int8_t>& m) override;
  void states(int first, int count, std::vector<std::vector<std::int8_t>>& out) const override;
  void set_states(int first, const std::vector<std::vector<std::int8_t>>& m) override;
  void reset_stats() override;
  Stats stats() const override;
  int chains() const override { return config_.chains; }
  std::uint64_t sweeps_done() const override { return sweeps_; }

  // This process's chains (global indices) and its backend.
  Range local_chains() const { return mine_; }
  Sampler& local() { return *local_; }
  const Communicator& comm() const { return comm_; }
  int unit() const { return unit_; }

 private:
  void require_loaded() const;
  void require_chain(int chain) const;
  void require_range(int first, int count) const;

  std::unique_ptr<Sampler> local_;
  const Communicator& comm_;
  int unit_;
  Problem problem_;
  bool loaded_ = false;
  SamplerConfig config_;
  Range mine_;
  std::uint64_t sweeps_ = 0;
};

// The sampler this process drives and the processes sharing the work: for a
// DistributedSampler its local backend and communicator, for any other
// sampler itself, alone (serial()). Algorithms that divide work themselves
// (classification divides images) or read only their own chains use this.
struct LocalPart {
  Sampler& sampler;
  const Communicator& comm;
  int unit;      // chains per share unit the backend prefers
  Range chains;  // the chains of the current configuration `sampler` holds (global indices)
  // The process holding chain c of the current configuration.
  int owner_of_chain(int c, int chains_total) const {
    return owner(c, chains_total, comm.size(), unit);
  }
};
LocalPart local_part(Sampler& sampler);
// The communicator of local_part(sampler).
const Communicator& communicator_of(const Sampler& sampler);

}  // namespace pbit::parallel

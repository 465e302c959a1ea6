// The committed golden streams replay identically on the `ref` sampler.
// Regenerate (only after an intended change of the spec) with
//   PBIT_UPDATE_GOLDEN=1 build/tests/test_golden
#include "golden.hpp"

#include <pbit/samplers/ref.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace pbit;

TEST_CASE("golden streams replay bit for bit on ref", "[gibbs][golden]") {
  const bool update = std::getenv("PBIT_UPDATE_GOLDEN") != nullptr;
  for (const auto& c : golden::cases()) {
    const Problem prob = c.problem();
    for (auto path : available_simd_paths()) {
      auto s = make_ref_sampler(path);
      s->load(prob, c.spec(), c.beta);
      s->configure({1, c.seed, 1});
      s->set_clamp_mask(c.clamp_mask(prob.num_nodes()));
      s->set_clamp_values(0, std::vector<std::int8_t>(prob.num_nodes(), 1));
      std::vector<std::string> lines;
      for (int k = 0; k < c.sweeps; ++k) {
        s->run(1, false);
        lines.push_back(golden::encode(s->state(0)));
      }
      if (update) {
        golden::write(c, lines);
        break;
      }
      const auto want = golden::read(c);
      INFO(c.name << " on " << to_string(path));
      REQUIRE(want.size() == static_cast<std::size_t>(c.sweeps));
      for (int k = 0; k < c.sweeps; ++k) {
        INFO("sweep " << k + 1);
        REQUIRE(lines[static_cast<std::size_t>(k)] == want[static_cast<std::size_t>(k)]);
      }
    }
  }
}

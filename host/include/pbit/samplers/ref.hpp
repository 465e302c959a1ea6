#pragma once
// The `ref` backend: the bit-exact software model of the p-bit hardware (see
// spec.hpp). Chains run 32 to a block as SIMD lanes over bit planes; blocks
// run on threads. Scalar, AVX2 and AVX-512 kernels give identical bits.
#include <pbit/sampler.hpp>

#include <memory>
#include <string>
#include <vector>

namespace pbit {

enum class SimdPath { Auto, Scalar, Avx2, Avx512 };
std::vector<SimdPath> available_simd_paths();  // on this CPU, best last
const char* to_string(SimdPath p);
SimdPath parse_simd_path(const std::string& s);  // throws pbit::Error

// How chains are held (same bits either way):
// - Planes: 32 chains per block, one bit per chain in a word per p-bit; a
//   node's 32 sums are computed together (the SIMD kernels' layout).
// - Chains: each chain on its own; every p-bit keeps its exact synaptic sum
//   and a flip updates its neighbours' sums, and one colour's p-bits are
//   decided together in SIMD registers. Fast for one or a few chains, and
//   the portable path's fast layout.
// - Auto: Chains for few chains (or the portable path), else Planes.
enum class RefLayout { Auto, Planes, Chains };
const char* to_string(RefLayout l);
RefLayout parse_ref_layout(const std::string& s);  // throws pbit::Error

std::unique_ptr<Sampler> make_ref_sampler(SimdPath path = SimdPath::Auto,
                                          RefLayout layout = RefLayout::Auto);

// The kernel a ref sampler runs with its current configuration (for reports);
// nullopt-like {Auto, Auto} for other samplers.
struct RefKernelInfo {
  SimdPath path = SimdPath::Auto;
  RefLayout layout = RefLayout::Auto;
};
RefKernelInfo ref_kernel_info(const Sampler& s);

}  // namespace pbit

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

std::unique_ptr<Sampler> make_ref_sampler(SimdPath path = SimdPath::Auto);

}  // namespace pbit

// A MAT v5 file's declared element sizes, checked against the bytes it holds,
// before libmatio allocates them (mat5_sizes.cpp).
#pragma once

#include <string>

namespace pbit::dbm {

// Throws pbit::Error naming the file when an element of a MAT v5 file (or of
// a compressed variable's inflated stream) declares more bytes than it holds.
// A MAT v4 file (no v5 header) gets the same check of its matrix headers;
// v7.3/HDF5 files and files that are not .mat at all are left to libmatio.
void check_mat5_sizes(const std::string& path);

}  // namespace pbit::dbm

#pragma once
// Numbers on the command line: what the `pbit` options accept before CLI11
// converts them (a separate file so that the fuzzer checks it too).
#include <string>

namespace pbit::cli {

// For an option of CLI11 type "INT", "UINT" or "FLOAT": "" if `v` is a plain
// decimal in range (leading zeros of an integer are removed from `v`: CLI11
// would read "010" as octal), else the message. Rejects "", hex, octal,
// inf/nan and integers beyond 64 bits.
std::string check_decimal(std::string& v, const std::string& type);

}  // namespace pbit::cli

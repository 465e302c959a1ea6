// Memory limits and the up-front check (pbit/resources.hpp).
#include <pbit/error.hpp>
#include <pbit/resources.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>

namespace pbit {
namespace {

constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

// "123", "64K", "2G" -> bytes; kUnlimited if unparsable.
std::uint64_t parse_size(const std::string& text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return kUnlimited;
  std::size_t i = 0;
  std::uint64_t v = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    v = add_sat(mul_sat(v, 10), static_cast<std::uint64_t>(text[i] - '0'));
    ++i;
  }
  if (i == text.size()) return v;
  if (i + 1 != text.size()) return kUnlimited;
  switch (std::toupper(static_cast<unsigned char>(text[i]))) {
    case 'K': return mul_sat(v, std::uint64_t{1} << 10);
    case 'M': return mul_sat(v, std::uint64_t{1} << 20);
    case 'G': return mul_sat(v, std::uint64_t{1} << 30);
    case 'T': return mul_sat(v, std::uint64_t{1} << 40);
    default: return kUnlimited;
  }
}

std::uint64_t cgroup_limit() {
  std::ifstream f("/sys/fs/cgroup/memory.max");  // cgroup v2 ("max" when unlimited)
  std::string s;
  if (f >> s) return parse_size(s);
  std::ifstream f1("/sys/fs/cgroup/memory/memory.limit_in_bytes");  // cgroup v1
  if (f1 >> s) return parse_size(s);
  return kUnlimited;
}

std::uint64_t rlimit_of(int resource) {
  struct rlimit r {};
  if (::getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return kUnlimited;
  return static_cast<std::uint64_t>(r.rlim_cur);
}

}  // namespace

std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? kUnlimited : r;
}
std::uint64_t add_sat(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? kUnlimited : r;
}

std::uint64_t memory_limit_bytes() {
  std::uint64_t limit = kUnlimited;
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page > 0) limit = mul_sat(static_cast<std::uint64_t>(pages), static_cast<std::uint64_t>(page));
  limit = std::min({limit, cgroup_limit(), rlimit_of(RLIMIT_AS), rlimit_of(RLIMIT_DATA)});
  if (const char* env = std::getenv("PBIT_MEMORY_LIMIT"); env && *env) limit = std::min(limit, parse_size(env));
  return limit;
}

std::string format_bytes(std::uint64_t n) {
  char buf[64];
  if (n == kUnlimited) return "more than 16 EiB";
  if (n >= (std::uint64_t{1} << 40))
    std::snprintf(buf, sizeof buf, "%.1f TiB", static_cast<double>(n) / static_cast<double>(std::uint64_t{1} << 40));
  else if (n >= (std::uint64_t{1} << 30))
    std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(n) / (1 << 30));
  else if (n >= (std::uint64_t{1} << 20))
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(n) / (1 << 20));
  else
    std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(n));
  return buf;
}

void check_memory(std::uint64_t bytes, const std::string& what, const std::string& advice) {
  const std::uint64_t limit = memory_limit_bytes();
  if (bytes <= limit) return;
  throw MemoryError(what + " about " + format_bytes(bytes) + ", more than the " + format_bytes(limit) +
              " of memory available" + (advice.empty() ? std::string() : "; " + advice));
}

}  // namespace pbit

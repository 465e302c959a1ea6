#include <pbit/parallel/communicator.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>

namespace pbit::parallel {

Range share(int items, int rank, int size, int unit) {
  if (size < 1 || rank < 0 || rank >= size)
    throw Error("share: rank " + std::to_string(rank) + " of " + std::to_string(size));
  if (items < 0 || unit < 1)
    throw Error("share: " + std::to_string(items) + " items in units of " + std::to_string(unit));
  const long long units = (static_cast<long long>(items) + unit - 1) / unit;
  const long long base = units / size, rest = units % size;
  const long long u0 = rank * base + std::min<long long>(rank, rest);
  const long long u1 = u0 + base + (rank < rest ? 1 : 0);
  const long long first = std::min<long long>(items, u0 * unit),
                  end = std::min<long long>(items, u1 * unit);
  return {static_cast<int>(first), static_cast<int>(end - first)};
}

int owner(int item, int items, int size, int unit) {
  if (item < 0 || item >= items)
    throw Error("owner: item " + std::to_string(item) + " of " + std::to_string(items));
  // The shares are contiguous and in rank order: the first rank whose share ends past item.
  int lo = 0, hi = size - 1;
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (share(items, mid, size, unit).end() > item)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

void SerialCommunicator::abort(int status) const {
  std::exit(status);
}

const Communicator& serial() {
  static const SerialCommunicator s;
  return s;
}

}  // namespace pbit::parallel

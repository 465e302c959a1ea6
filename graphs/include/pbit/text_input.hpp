#pragma once
// Line-oriented text input shared by every text parser (edge lists, problem
// files): lines of bounded length, a UTF-8 byte-order mark skipped at the start,
// and tokens quoted in messages with invisible bytes made visible.
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

namespace pbit {

// Longest line a text parser accepts (a device such as /dev/zero has no end of line).
inline constexpr std::size_t kMaxLineBytes = std::size_t{1} << 16;

class LineReader {
 public:
  // `where` prefixes errors: "<where>, line N: ...".
  LineReader(std::istream& in, std::string where, std::size_t max_bytes = kMaxLineBytes)
      : in_(in), where_(std::move(where)), max_(max_bytes) {}
  // The next line without its '\n' (and without a BOM on line 1); false at the
  // end. Throws pbit::Error for a line longer than the limit or a read error.
  bool next(std::string& line);
  std::size_t line_no() const { return line_no_; }

 private:
  std::istream& in_;
  std::string where_;
  std::size_t max_;
  std::size_t line_no_ = 0;
};

// `text` for a message: printable ASCII kept, anything else as \xHH, at most
// `max_bytes` of input shown ("..." after).
std::string visible(std::string_view text, std::size_t max_bytes = 64);

}  // namespace pbit

// Bounded line reads and visible tokens (pbit/text_input.hpp).
#include <pbit/error.hpp>
#include <pbit/text_input.hpp>

#include <algorithm>
#include <cstdio>

namespace pbit {

bool LineReader::next(std::string& line) {
  line.clear();
  std::streambuf* sb = in_.rdbuf();
  if (!sb || !in_.good()) return false;
  using Traits = std::char_traits<char>;
  bool any = false;
  for (;;) {
    const Traits::int_type c = sb->sbumpc();
    if (Traits::eq_int_type(c, Traits::eof())) {
      in_.setstate(std::ios::eofbit);
      if (!any) return false;
      break;
    }
    any = true;
    if (c == '\n') break;
    if (line.size() >= max_)
      throw Error(where_ + ", line " + std::to_string(line_no_ + 1) + ": longer than " +
                  std::to_string(max_) + " bytes (not a text file?)");
    line.push_back(Traits::to_char_type(c));
  }
  ++line_no_;
  if (line_no_ == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
  return true;
}

std::string visible(std::string_view text, std::size_t max_bytes) {
  std::string out;
  const std::size_t n = std::min(text.size(), max_bytes);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (text.size() > n) out += "...";
  return out;
}

}  // namespace pbit

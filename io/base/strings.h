// Splitting text at a separator, joining pieces with one, and testing its
// start and end.
//
// Thread safety: pure functions.
#ifndef MNIST_IO_BASE_STRINGS_H_
#define MNIST_IO_BASE_STRINGS_H_

#include <string>
#include <type_traits>
#include <vector>

namespace mnist {

// The pieces of `text` between `separator`s, empty ones kept: "a,,b" ->
// {"a", "", "b"}, "" -> {""}. StrJoin(StrSplit(t, c), c) == t.
std::vector<std::string> StrSplit(const std::string& text, char separator);

// `parts` with `separator` between them: {"a", "b"}, ", " -> "a, b"; {} -> "".
std::string StrJoin(const std::vector<std::string>& parts, const std::string& separator);

// Whether `text` begins with `prefix` / ends with `suffix` (an empty one always).
bool StartsWith(const std::string& text, const std::string& prefix);
bool EndsWith(const std::string& text, const std::string& suffix);

// When `text` is a non-empty stem followed by `suffix`, sets *stem to it and
// returns true: "a.index", ".index" -> "a"; ".index" alone is no match.
bool StripSuffix(const std::string& text, const std::string& suffix, std::string* stem);

// `numbers` in decimal with `separator` between them: {784, 64, 10}, "-" ->
// "784-64-10"; {} -> "".
template <typename Number, typename = std::enable_if_t<std::is_arithmetic_v<Number>>>
std::string StrJoin(const std::vector<Number>& numbers, const std::string& separator) {
  std::vector<std::string> parts;
  for (Number n : numbers) parts.push_back(std::to_string(n));
  return StrJoin(parts, separator);
}

}  // namespace mnist

#endif  // MNIST_IO_BASE_STRINGS_H_

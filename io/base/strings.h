// Splitting text at a separator and joining pieces with one.
//
// Thread safety: pure functions.
#ifndef MNIST_IO_BASE_STRINGS_H_
#define MNIST_IO_BASE_STRINGS_H_

#include <string>
#include <vector>

namespace mnist {

// The pieces of `text` between `separator`s, empty ones kept: "a,,b" ->
// {"a", "", "b"}, "" -> {""}. StrJoin(StrSplit(t, c), c) == t.
std::vector<std::string> StrSplit(const std::string& text, char separator);

// `parts` with `separator` between them: {"a", "b"}, ", " -> "a, b"; {} -> "".
std::string StrJoin(const std::vector<std::string>& parts, const std::string& separator);

}  // namespace mnist

#endif  // MNIST_IO_BASE_STRINGS_H_

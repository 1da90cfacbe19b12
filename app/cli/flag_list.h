// The value of a list flag (--hidden, --var-map, --output of --predict),
// parsed from its text as typed. Errors name the flag and quote the text, e.g.
//   --hidden "1024,,512": expected comma-separated positive widths, e.g. 1024,512
#ifndef MNIST_APP_CLI_FLAG_LIST_H_
#define MNIST_APP_CLI_FLAG_LIST_H_

#include <map>
#include <string>
#include <vector>

#include "io/base/status.h"

namespace mnist {

// The largest hidden width --hidden takes.
inline constexpr int kMaxWidth = 1 << 20;

// --hidden "1024,512" -> {1024, 512}; InvalidArgument for anything but
// widths from 1 to kMaxWidth.
StatusOr<std::vector<int>> ParseWidths(const std::string& text);

// --var-map "old=new,old2=new2" -> {old: new, old2: new2} (checkpoint name ->
// model name); InvalidArgument otherwise.
StatusOr<std::map<std::string, std::string>> ParseVarMap(const std::string& text);

// "a,b" -> {"a", "b"}; empty items are dropped.
std::vector<std::string> SplitNames(const std::string& text);

}  // namespace mnist

#endif  // MNIST_APP_CLI_FLAG_LIST_H_

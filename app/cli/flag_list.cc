#include "app/cli/flag_list.h"

#include <exception>
#include <utility>

#include "io/base/strings.h"

namespace mnist {

StatusOr<std::vector<int>> ParseWidths(const std::string& text) {
  std::vector<int> widths;
  for (const std::string& item : StrSplit(text, ',')) {
    size_t used = 0;
    long value = 0;
    try {
      value = std::stol(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || value < 1 || value > kMaxWidth) {
      return Status::InvalidArgument("--hidden \"" + text +
                                     "\": expected comma-separated positive widths, e.g. 1024,512");
    }
    widths.push_back(static_cast<int>(value));
  }
  return widths;
}

StatusOr<std::map<std::string, std::string>> ParseVarMap(const std::string& text) {
  std::map<std::string, std::string> map;
  for (const std::string& item : StrSplit(text, ',')) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
      return Status::InvalidArgument("--var-map \"" + text +
                                     "\": expected checkpoint_name=model_name[,...]");
    }
    map[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return map;
}

std::vector<std::string> SplitNames(const std::string& text) {
  std::vector<std::string> names;
  for (std::string& name : StrSplit(text, ',')) {
    if (!name.empty()) names.push_back(std::move(name));
  }
  return names;
}

}  // namespace mnist

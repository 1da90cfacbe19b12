#include "app/cli/flag_list.h"

namespace mnist {

StatusOr<std::vector<int>> ParseWidths(const std::string& text) {
  std::vector<int> widths;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos
                                                                        : comma - start);
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
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return widths;
}

StatusOr<std::map<std::string, std::string>> ParseVarMap(const std::string& text) {
  std::map<std::string, std::string> map;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
      return Status::InvalidArgument("--var-map \"" + text +
                                     "\": expected checkpoint_name=model_name[,...]");
    }
    map[item.substr(0, eq)] = item.substr(eq + 1);
    start = comma + 1;
  }
  return map;
}

std::vector<std::string> SplitNames(const std::string& text) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) names.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

}  // namespace mnist

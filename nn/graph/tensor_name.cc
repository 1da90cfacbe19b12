#include "nn/graph/tensor_name.h"

#include <algorithm>

namespace mnist {

std::optional<TensorName> ParseTensorName(const std::string& text) {
  TensorName name;
  name.control = !text.empty() && text[0] == '^';
  name.node = name.control ? text.substr(1) : text;
  const size_t colon = name.node.rfind(':');
  if (!name.control && colon != std::string::npos) {
    const std::string digits = name.node.substr(colon + 1);
    if (digits.empty() || digits.size() > 6 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    name.output = std::stoi(digits);
    name.node.resize(colon);
  }
  if (name.node.empty()) return std::nullopt;
  return name;
}

}  // namespace mnist

#include "nn/network/dense_layers.h"

#include <algorithm>

namespace mnist {

DenseLayer NamedDenseLayer(int index) {
  DenseLayer layer;
  layer.name = index == 0 ? "dense" : "dense_" + std::to_string(index);
  layer.kernel = layer.name + "/kernel";
  layer.bias = layer.name + "/bias";
  return layer;
}

bool IsDenseVariableName(const std::string& name) {
  const size_t slash = name.rfind('/');
  if (slash == std::string::npos) return false;
  const std::string layer = name.substr(0, slash);
  const std::string first = NamedDenseLayer(0).name;
  int index = 0;
  if (layer != first) {
    const std::string prefix = first + "_";
    const std::string digits = layer.substr(std::min(layer.size(), prefix.size()));
    if (layer.compare(0, prefix.size(), prefix) != 0 || digits.empty() || digits.size() > 6 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    index = std::stoi(digits);
  }
  const DenseLayer named = NamedDenseLayer(index);
  return named.name == layer && (name == named.kernel || name == named.bias);
}

std::vector<DenseLayer> DenseLayers(const std::vector<int>& sizes) {
  std::vector<DenseLayer> layers;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    DenseLayer layer = NamedDenseLayer(static_cast<int>(l));
    layer.in = sizes[l];
    layer.out = sizes[l + 1];
    layer.last = l + 2 == sizes.size();
    layers.push_back(std::move(layer));
  }
  return layers;
}

}  // namespace mnist

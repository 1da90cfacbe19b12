#include "nn/network/dense_layers.h"

namespace mnist {

DenseLayer NamedDenseLayer(int index) {
  DenseLayer layer;
  layer.name = index == 0 ? "dense" : "dense_" + std::to_string(index);
  layer.kernel = layer.name + "/kernel";
  layer.bias = layer.name + "/bias";
  return layer;
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

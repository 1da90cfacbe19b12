// The network's layers as TensorFlow names them: the one place that knows the
// dense chain. Layer l of a network with sizes {784, 1024, 512, 10} is
// tf.layers.dense's `dense`, `dense_1`, `dense_2`, ... with variables
// `<layer>/kernel` [in, out] and `<layer>/bias` [out]; layer l's in is layer
// l-1's out; hidden layers end in `<layer>/Relu`, the last layer's output is
// the logits. The trainer (nn/network/mlp.h), the checkpoint's .meta and
// frozen graphs (checkpoints/meta_graph/), the readers that find a
// checkpoint's network (checkpoints/saver/checkpoint_layers.h) and the ONNX
// export all take names and shapes from here.
//
// Thread safety: free functions and plain values.
#ifndef MNIST_NN_NETWORK_DENSE_LAYERS_H_
#define MNIST_NN_NETWORK_DENSE_LAYERS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

struct DenseLayer {
  std::string name;    // "dense", "dense_1", ...
  std::string kernel;  // "<name>/kernel", shape [in, out]
  std::string bias;    // "<name>/bias", shape [out]
  int in = 0;          // width of the layer's input (0 while unknown)
  int out = 0;         // width of its output
  bool last = false;   // the output layer: no ReLU, its output is the logits

  // The name of the layer's node `op`, e.g. Op("MatMul") = "dense_1/MatMul".
  std::string Op(const std::string& op) const { return name + "/" + op; }
  std::vector<int64_t> kernel_shape() const { return {in, out}; }
  std::vector<int64_t> bias_shape() const { return {out}; }
};

// Layer `index` by name only (in and out 0): for readers that discover the
// chain one layer at a time.
DenseLayer NamedDenseLayer(int index);

// True when `name` is a variable of layer `index` for some index, as
// NamedDenseLayer names them: "dense/kernel", "dense_3/bias", ... (an index
// of at most six digits, written without leading zeros).
bool IsDenseVariableName(const std::string& name);

// The layers of a network of `sizes` (input width, hidden widths...,
// classes). REQUIRES: sizes.size() >= 2.
std::vector<DenseLayer> DenseLayers(const std::vector<int>& sizes);

}  // namespace mnist

#endif  // MNIST_NN_NETWORK_DENSE_LAYERS_H_

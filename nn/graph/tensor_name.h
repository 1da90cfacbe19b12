// Tensor names as GraphDef node inputs and the --input / --output flags give
// them: "node" or "node:k" (output k of the node; "node" is "node:0"), and
// "^node" (a control input: run after the node, read nothing of it).
//
// Thread safety: pure functions.
#ifndef MNIST_NN_GRAPH_TENSOR_NAME_H_
#define MNIST_NN_GRAPH_TENSOR_NAME_H_

#include <optional>
#include <string>

namespace mnist {

struct TensorName {
  std::string node;      // the node's name, without "^" or ":k"
  int output = 0;        // k
  bool control = false;  // "^node"
};

// Parses `text`. Empty when the node part is empty, or when the text after
// the last ':' is not a decimal number of 1 to 6 digits (TensorFlow node
// names hold no ':'). A control input takes no ":k".
std::optional<TensorName> ParseTensorName(const std::string& text);

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_TENSOR_NAME_H_

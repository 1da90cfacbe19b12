// A value fed to a graph from the command line (`mnist --run ... --feed
// NAME=VALUE`), as Python gives one to Session.run's feed_dict: a scalar
// (`4.`, `4`, `true`), a nested list (`[[1,2],[3,4]]`), or an array read
// from a .npy file (nn/graph/npy_file.h), then converted to the dtype of the
// node it feeds, as numpy's asarray(value, dtype) would, refusing what would
// change a value (1.5 for an int, 3e9 for an int32, a number for a bool).
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_NN_GRAPH_FEED_VALUE_H_
#define MNIST_NN_GRAPH_FEED_VALUE_H_

#include <string>
#include <vector>

#include "nn/graph/graph_tensor.h"

namespace mnist {

// A literal's structure: its shape and its elements as written, row-major.
struct Literal {
  std::vector<int64_t> shape;
  std::vector<std::string> elements;
};

// Parses a scalar or a nested list of numbers and bools (true/false, also
// True/False). InvalidArgument saying what is wrong and where (the
// character offset) for bad syntax, ragged lists, or more than
// kMaxTensorElements elements.
StatusOr<Literal> ParseLiteral(const std::string& text);

// The literal as a tensor of `dtype` (float, int32, int64, bool);
// InvalidArgument naming the first element that is no such value.
StatusOr<Tensor> LiteralToTensor(const Literal& literal, tensorflow::DataType dtype);

// `tensor` converted to `dtype`: any to float, integers to integers in range,
// bool to bool or numbers (0, 1). InvalidArgument otherwise.
StatusOr<Tensor> ConvertTensor(const Tensor& tensor, tensorflow::DataType dtype);

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_FEED_VALUE_H_

// Printing a tensor as numpy prints the array Session.run returns: `str(a)`
// with numpy's default print options (numpy >= 1.14: precision 8, line width
// 75, more than 1000 elements summarised to 3 at each edge with "...").
//
//   float32 [3]        [2.5 3.  4.5]           shortest digits that read back
//   float32 [2, 1]     [[7.]                   as the same float32, padded to
//                       [8.]]                  a common width
//   float32 [2]        [1.e-05 1.e+00]         scientific when the smallest
//                                              |x| < 1e-4, the largest >= 1e8
//                                              or their ratio > 1000
//   int32 [3]          [ 1 -2 10]              right-aligned
//   bool [3]           [False False  True]     " True" as wide as "False"
//   scalar float32     2.5 (and 3.0: numpy's scalar str), int 4, bool True
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_NN_GRAPH_NUMPY_PRINT_H_
#define MNIST_NN_GRAPH_NUMPY_PRINT_H_

#include <string>
#include <vector>

#include "nn/graph/graph_tensor.h"

namespace mnist {

// numpy's name of `dtype`: "float32", "int32", "int64", "bool".
std::string NumpyDtypeName(tensorflow::DataType dtype);

// A shape as a Python tuple: "()", "(3,)", "(2, 1)".
std::string NumpyShape(const std::vector<int64_t>& shape);

// str(array) of `tensor` as numpy prints it (no trailing newline).
// REQUIRES: the tensor's values fill its shape.
std::string FormatLikeNumpy(const Tensor& tensor);

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_NUMPY_PRINT_H_

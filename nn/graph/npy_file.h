// Reading an array from a .npy file, numpy's np.save format (format
// versions 1.0, 2.0 and 3.0): the magic "\x93NUMPY", a version byte pair, the
// header's length (uint16 little-endian in 1.0, uint32 in 2.0 and 3.0), the
// header (a Python dict literal: 'descr', 'fortran_order', 'shape'), then
// the elements, row-major. Arrays of '<f4', '<f8' (read as float32), '<i4',
// '<i8' and '|b1' in C order are read; any other is refused by name.
//
// Thread safety: a free function with no shared state.
#ifndef MNIST_NN_GRAPH_NPY_FILE_H_
#define MNIST_NN_GRAPH_NPY_FILE_H_

#include <string>

#include "nn/graph/graph_tensor.h"

namespace mnist {

// The array in `path`. Errors name the file: NotFound or IOError reading
// it; InvalidArgument for what it is not (no .npy magic, a dtype or order
// not read here, a header without a field, data of the wrong size).
StatusOr<Tensor> ReadNpy(const std::string& path);

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_NPY_FILE_H_

// A named tensor the network trains, laid out exactly as TensorFlow stores it.
//
// Layout convention for all of nn/ (dimension letters: B batch, I layer input
// width, O layer output width):
//   * data batches are column-major I x B (one example per column), which are
//     the same bytes as TensorFlow's row-major [B, I] array;
//   * a dense kernel is TensorFlow's row-major [I, O] `dense/kernel`, which
//     read column-major is the O x I matrix W with z = W x + b;
//   * so an Eigen::Map over file or checkpoint bytes needs no transpose.
// `value` and `grad` are flat buffers in TensorFlow's element order.
#ifndef MNIST_NN_NETWORK_VARIABLE_H_
#define MNIST_NN_NETWORK_VARIABLE_H_

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
using Vector = Eigen::VectorXf;
using MatrixMap = Eigen::Map<Matrix>;
using ConstMatrixMap = Eigen::Map<const Matrix>;

struct Variable {
  std::string name;            // TensorFlow name, e.g. "dense_1/kernel"
  std::vector<int64_t> shape;  // TensorFlow shape, outermost first: kernel [I, O]
  bool is_kernel = false;      // L2 regularisation applies to kernels only
  Vector value;                // flat, TensorFlow (row-major) element order
  Vector grad;                 // same size; written by backward passes

  int64_t num_elements() const { return value.size(); }
};

}  // namespace mnist

#endif  // MNIST_NN_NETWORK_VARIABLE_H_

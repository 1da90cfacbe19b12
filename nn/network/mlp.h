// The dense ReLU network: sizes {784, 1024, 512, 10} by default.
//
// Layer l computes z = W_l h_{l-1} + b_l; hidden layers apply ReLU, the last
// layer's z are the logits. Variables are named as tf.layers.dense names them
// (nn/network/dense_layers.h): `dense/kernel`, `dense/bias`, `dense_1/kernel`,
// ... (see nn/network/variable.h for the layout). Activation and gradient buffers are allocated for the largest
// batch seen and reused, so steps do no allocation of their own.
//
// The matrix products go through nn/network/gemm.h, which picks the library
// per shape. Thread safety: one Mlp per thread. The products use the OpenMP pool.
#ifndef MNIST_NN_NETWORK_MLP_H_
#define MNIST_NN_NETWORK_MLP_H_

#include <functional>
#include <string>
#include <vector>

#include "nn/network/dense_layers.h"
#include "nn/network/gemm.h"
#include "nn/network/rng.h"
#include "nn/network/variable.h"

namespace mnist {

// The kernels' standard deviation of a training run (tf.layers.dense with a
// truncated_normal_initializer(stddev=0.01)), as the .meta's initializers say.
constexpr float kDefaultInitStddev = 0.01f;

class Mlp {
 public:
  // `sizes` = input width, hidden widths..., number of classes.
  // REQUIRES: sizes.size() >= 2 and every size > 0.
  explicit Mlp(std::vector<int> sizes);

  const std::vector<int>& sizes() const { return sizes_; }
  int num_layers() const { return static_cast<int>(sizes_.size()) - 1; }
  int input_size() const { return sizes_.front(); }
  int num_classes() const { return sizes_.back(); }
  // Names and shapes of the layers, DenseLayers(sizes()).
  const std::vector<DenseLayer>& layers() const { return layers_; }

  // Variables in layer order: kernel, bias, kernel, bias, ...
  std::vector<Variable>& variables() { return vars_; }
  const std::vector<Variable>& variables() const { return vars_; }
  Variable& kernel(int layer) { return vars_[2 * layer]; }
  Variable& bias(int layer) { return vars_[2 * layer + 1]; }

  // Kernels truncated normal with `stddev`, biases zero. A large network
  // takes seconds: `stop` (when given) is asked every million values, and
  // when it says so Init returns false at once, the values part drawn.
  bool Init(Rng* rng, float stddev, const std::function<bool()>& stop = nullptr);

  // Runs the batch x (input_size x batch, column-major) and returns the
  // logits (num_classes x batch). Keeps the activations for Backward.
  ConstMatrixMap Forward(const float* x, int batch);

  // Given dL/dlogits of the last Forward, writes every variable's grad.
  // The first layer's input gradient is never needed, so it is not computed.
  void Backward(const float* dlogits);

 private:
  void Reserve(int batch);

  std::vector<int> sizes_;
  std::vector<DenseLayer> layers_;
  std::vector<Variable> vars_;
  const float* input_ = nullptr;  // the last Forward's x (not owned)
  int batch_ = 0;                 // columns of the last Forward
  int capacity_ = 0;              // columns the buffers hold
  std::vector<Vector> act_;       // act_[l]: sizes_[l+1] x capacity_, post-ReLU for hidden
  std::vector<Vector> delta_;     // delta_[l]: dL/dz of hidden layer l, same shape as act_[l]
                                  // (the last layer's is Backward's dlogits)
  GemmCache gemms_;               // the products, each prepared once per shape (nn/network/gemm.h)
};

}  // namespace mnist

#endif  // MNIST_NN_NETWORK_MLP_H_

// L2 regularisation of the kernels, as TensorFlow's l2_loss counts it:
// loss = scale * sum over kernels of sum(w^2) / 2, gradient scale * w.
// Biases are not regularised.
#ifndef MNIST_TESTS_SUPPORT_L2_H_
#define MNIST_TESTS_SUPPORT_L2_H_

#include <vector>

#include "nn/network/variable.h"

namespace mnist {

// Returns the L2 loss of every kernel in `vars` and adds its gradient to the
// kernels' grad. scale == 0 returns 0 and leaves the gradients alone.
float ApplyL2(std::vector<Variable>* vars, float scale);

}  // namespace mnist

#endif  // MNIST_TESTS_SUPPORT_L2_H_

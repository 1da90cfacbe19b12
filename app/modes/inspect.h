// `mnist --inspect PREFIX [--tensor NAME]`: what a checkpoint holds, as
// TensorFlow's inspect_checkpoint tool shows it. Works on any V2 bundle,
// ours or TensorFlow's.
#ifndef MNIST_APP_MODES_INSPECT_H_
#define MNIST_APP_MODES_INSPECT_H_

#include <cstdio>
#include <string>

#include "io/base/status.h"

namespace mnist {

// Without `tensor`: one line per tensor (name, dtype, shape, bytes) and a
// total, "N tensors, B bytes: " and what the checkpoint table makes of them
// ("6 model variables, 12 Adam slots, ..., K not ours" for keys outside it).
// With it: that tensor's statistics and its first values.
Status RunInspect(const std::string& prefix, const std::string& tensor, FILE* out);

}  // namespace mnist

#endif  // MNIST_APP_MODES_INSPECT_H_

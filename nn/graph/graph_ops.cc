#include "nn/graph/graph_ops.h"

#include <map>

#include "nn/graph/op_kernels.h"

namespace mnist {

const OpKernel* FindOpKernel(const std::string& op) {
  static const std::map<std::string, const OpKernel*> kKernels = {
      {"Identity", &ops::kIdentity}, {"MatMul", &ops::kMatMul},   {"Add", &ops::kAdd},
      {"AddV2", &ops::kAdd},         {"Mul", &ops::kMul},         {"BiasAdd", &ops::kBiasAdd},
      {"Relu", &ops::kRelu},         {"Softmax", &ops::kSoftmax}, {"ArgMax", &ops::kArgMax},
      {"Reshape", &ops::kReshape},   {"Sub", &ops::kSub},         {"RealDiv", &ops::kRealDiv},
      {"Sigmoid", &ops::kSigmoid},   {"Tanh", &ops::kTanh},       {"Greater", &ops::kGreater},
      {"Less", &ops::kLess},         {"Equal", &ops::kEqual},     {"Cast", &ops::kCast},
  };
  auto it = kKernels.find(op);
  return it == kKernels.end() ? nullptr : it->second;
}

}  // namespace mnist

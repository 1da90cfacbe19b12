#include "nn/network/mlp.h"

#include <cassert>

namespace mnist {

Mlp::Mlp(std::vector<int> sizes) : sizes_(std::move(sizes)) {
  assert(sizes_.size() >= 2);
  layers_ = DenseLayers(sizes_);
  for (const DenseLayer& layer : layers_) {
    const int in = layer.in;
    const int out = layer.out;
    Variable kernel;
    kernel.name = layer.kernel;
    kernel.shape = layer.kernel_shape();
    kernel.is_kernel = true;
    kernel.value = Vector::Zero(int64_t{in} * out);
    kernel.grad = Vector::Zero(int64_t{in} * out);
    Variable bias;
    bias.name = layer.bias;
    bias.shape = layer.bias_shape();
    bias.value = Vector::Zero(out);
    bias.grad = Vector::Zero(out);
    vars_.push_back(std::move(kernel));
    vars_.push_back(std::move(bias));
  }
  act_.resize(num_layers());
  delta_.resize(num_layers());
}

bool Mlp::Init(Rng* rng, float stddev, const std::function<bool()>& stop) {
  constexpr int64_t kAskEvery = int64_t{1} << 20;
  for (Variable& v : vars_) {
    if (v.is_kernel) {
      for (int64_t i = 0; i < v.num_elements(); ++i) {
        if (i % kAskEvery == 0 && stop && stop()) return false;
        v.value[i] = rng->TruncatedNormal(stddev);
      }
    } else {
      v.value.setZero();
    }
  }
  return true;
}

void Mlp::Reserve(int batch) {
  if (batch <= capacity_) return;
  for (int l = 0; l < num_layers(); ++l) {
    act_[l].resize(int64_t{sizes_[l + 1]} * batch);
    if (l + 1 < num_layers()) delta_[l].resize(int64_t{sizes_[l + 1]} * batch);
  }
  capacity_ = batch;
}

ConstMatrixMap Mlp::Forward(const float* x, int batch) {
  Reserve(batch);
  input_ = x;
  batch_ = batch;
  const float* in = x;
  for (int l = 0; l < num_layers(); ++l) {
    // z = W h + b, then ReLU for hidden layers: inside the product where the
    // library can (oneDNN's post-ops, the same bits as a pass after it).
    gemms_.Get(ForwardShape(sizes_[l], sizes_[l + 1], batch))
        .RunBias(kernel(l).value.data(), in, bias(l).value.data(), /*relu=*/l + 1 < num_layers(), act_[l].data());
    in = act_[l].data();
  }
  return ConstMatrixMap(act_.back().data(), num_classes(), batch);
}

void Mlp::Backward(const float* dlogits) {
  const int last = num_layers() - 1;
  for (int l = last; l >= 0; --l) {
    ConstMatrixMap dz(l == last ? dlogits : delta_[l].data(), sizes_[l + 1], batch_);
    ConstMatrixMap h(l == 0 ? input_ : act_[l - 1].data(), sizes_[l], batch_);
    gemms_.Get(WeightGradShape(sizes_[l], sizes_[l + 1], batch_)).Run(dz.data(), h.data(), kernel(l).grad.data());
    bias(l).grad = dz.rowwise().sum();
    if (l == 0) break;
    // dL/dh_{l-1} = W^T dz, then through the ReLU: h > 0 exactly where z > 0.
    MatrixMap dprev(delta_[l - 1].data(), sizes_[l], batch_);
    gemms_.Get(InputGradShape(sizes_[l], sizes_[l + 1], batch_)).Run(kernel(l).value.data(), dz.data(), dprev.data());
    dprev = (h.array() > 0.0f).select(dprev, 0.0f);
  }
}

}  // namespace mnist

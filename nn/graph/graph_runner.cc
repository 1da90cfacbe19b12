#include "nn/graph/graph_runner.h"

#include <algorithm>

#include "io/base/strings.h"

namespace mnist {

StatusOr<BatchRunner> BatchRunner::Create(const ImportedGraph* graph, int64_t example_size,
                                          int batch_size, int default_batch) {
  const std::vector<std::string>& names = graph->input_names();
  if (names.size() != 1) {
    return Status::InvalidArgument("the graph takes " + std::to_string(names.size()) + " inputs (" +
                                   StrJoin(names, ", ") + ")");
  }
  const TensorSpec& spec = graph->input_specs()[0];
  if (spec.dtype != tensorflow::DT_FLOAT) {
    return Status::InvalidArgument("input '" + names[0] + "' takes " + DtypeName(spec.dtype) +
                                   ", not the float pixels of an image");
  }
  BatchRunner runner;
  runner.graph_ = graph;
  runner.example_size_ = example_size;
  runner.example_shape_ = {example_size};
  if (!spec.unknown_rank) {
    const std::vector<int64_t> dims(spec.shape.begin() + std::min(spec.rank(), 1), spec.shape.end());
    StatusOr<int64_t> product = ElementCount(dims);  // an unknown (-1) dim does not fit either
    if (spec.rank() < 2 || !product.ok() || *product != example_size) {
      const std::string size = std::to_string(example_size);
      return Status::InvalidArgument("input '" + names[0] + "' takes " + ShapeString(spec.shape) +
                                     ", not images of " + size + " values ([?," + size + "])");
    }
    runner.example_shape_ = dims;
  }
  runner.fixed_batch_ = !spec.unknown_rank && spec.rank() >= 1 && spec.shape[0] > 0;
  if (runner.fixed_batch_ && batch_size != 0 && batch_size != spec.shape[0]) {
    return Status::InvalidArgument("batches of " + std::to_string(batch_size) + ": input '" +
                                   names[0] + "' takes batches of exactly " +
                                   std::to_string(spec.shape[0]));
  }
  const int64_t batch = runner.fixed_batch_ ? spec.shape[0]
                        : batch_size != 0   ? batch_size
                                            : default_batch;
  if (batch > kMaxTensorElements / std::max<int64_t>(example_size, 1)) {
    return Status::InvalidArgument("input '" + names[0] + "': batches of " + std::to_string(batch) +
                                   " examples of " + std::to_string(example_size) +
                                   " values exceed the " + std::to_string(kMaxTensorElements) +
                                   " elements a tensor may hold");
  }
  runner.batch_size_ = static_cast<int>(batch);
  return runner;
}

StatusOr<std::vector<TensorPtr>> BatchRunner::Run(const float* x, int n) const {
  const int rows = fixed_batch_ ? batch_size_ : n;
  auto input = std::make_shared<Tensor>();
  input->shape = {rows};
  input->shape.insert(input->shape.end(), example_shape_.begin(), example_shape_.end());
  input->floats.assign(static_cast<size_t>(rows * example_size_), 0.0f);  // padding stays zero
  std::copy(x, x + n * example_size_, input->floats.begin());
  StatusOr<std::vector<TensorPtr>> outputs = graph_->Run({input});
  if (!outputs.ok() || rows == n) return outputs;
  for (TensorPtr& out : *outputs) {
    if (out->shape.empty() || out->shape[0] != rows) continue;
    auto cut = std::make_shared<Tensor>(*out);
    const int64_t per_row = out->num_elements() / rows;
    cut->shape[0] = n;
    cut->floats.resize(cut->is_float() ? static_cast<size_t>(n * per_row) : 0);
    cut->ints.resize(cut->is_float() ? 0 : static_cast<size_t>(n * per_row));
    out = cut;
  }
  return outputs;
}

}  // namespace mnist

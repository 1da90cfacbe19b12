// ImportedGraph::Run: evaluating the imported part of the graph in
// topological order (nn/graph/graph_import.h).
#include "nn/graph/graph_import.h"

#include "nn/graph/graph_ops.h"

namespace mnist {

StatusOr<std::vector<TensorPtr>> ImportedGraph::Run(const std::vector<TensorPtr>& inputs) const {
  if (inputs.size() != input_names_.size()) {
    return Status::InvalidArgument(where_ + ": " + std::to_string(inputs.size()) +
                                   " inputs fed, the graph takes " +
                                   std::to_string(input_names_.size()));
  }
  std::vector<TensorPtr> values(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& node = nodes_[i];
    if (node.feed >= 0) {
      const TensorPtr& fed = inputs[node.feed];
      const TensorSpec& want = node.spec;
      if (fed->dtype != want.dtype || !want.Accepts(fed->shape)) {
        return Error(node, "fed " + DtypeName(fed->dtype) + " " + ShapeString(fed->shape) +
                               ", but it takes " + DtypeName(want.dtype) + " " +
                               ShapeString(want.shape, want.unknown_rank));
      }
      values[i] = fed;
    } else if (node.kernel == nullptr) {
      values[i] = node.spec.value;  // a Const (or an unused NoOp: null)
    } else {
      std::vector<TensorSpec> specs;
      for (int j : node.inputs) specs.push_back(TensorSpec::Of(values[j]));
      StatusOr<TensorSpec> out = node.kernel->infer(node.def, specs);
      if (!out.ok()) return Error(node, out.status().message());
      StatusOr<int64_t> count = ElementCount(out->shape);
      if (!count.ok()) return Error(node, "output " + count.status().message());
      std::vector<TensorPtr> args;
      for (int j : node.inputs) args.push_back(values[j]);
      values[i] = node.kernel->compute(node.def, args, *out);
    }
  }
  std::vector<TensorPtr> outputs;
  for (int i : output_nodes_) outputs.push_back(values[i]);
  return outputs;
}

}  // namespace mnist

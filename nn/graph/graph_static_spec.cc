#include "nn/graph/graph_static_spec.h"

#include "nn/graph/graph_ops.h"

namespace mnist {
namespace {

const TensorSpec kUnknown{tensorflow::DT_INVALID, {}, true, nullptr};

// The spec of `node` from its inputs' specs; kUnknown where it cannot tell.
TensorSpec NodeSpec(const tensorflow::NodeDef& node, const std::vector<TensorSpec>& inputs,
                    int producer) {
  if (node.op() == "Placeholder") return PlaceholderSpec(node, producer);
  if (node.op() == "Const") {
    auto value = node.attr().find("value");
    if (value == node.attr().end()) return kUnknown;
    StatusOr<Tensor> tensor = TensorFromProto(value->second.tensor());
    if (!tensor.ok()) return kUnknown;
    return TensorSpec::Of(std::make_shared<const Tensor>(std::move(*tensor)));
  }
  const OpKernel* kernel = FindOpKernel(node.op());
  if (kernel == nullptr || kernel->num_inputs != static_cast<int>(inputs.size())) return kUnknown;
  for (const TensorSpec& input : inputs) {
    if (input.dtype == tensorflow::DT_INVALID) return kUnknown;
  }
  StatusOr<TensorSpec> spec = kernel->infer(node, inputs);
  return spec.ok() ? *spec : kUnknown;
}

}  // namespace

TensorSpec PlaceholderSpec(const tensorflow::NodeDef& node, int producer) {
  auto dtype = node.attr().find("dtype");
  if (dtype == node.attr().end()) return kUnknown;
  auto shape = node.attr().find("shape");
  TensorSpec spec = shape == node.attr().end()
                        ? TensorSpec{dtype->second.type(), {}, true, nullptr}
                        : SpecFromShapeProto(dtype->second.type(), shape->second.shape());
  if (producer <= 21 && spec.rank() == 0) spec.unknown_rank = true;
  return spec;
}

TensorSpec StaticSpec(const tensorflow::GraphDef& graph,
                      const std::vector<std::vector<int>>& inputs, const std::vector<int>& order,
                      int target) {
  std::vector<bool> upstream(graph.node_size(), false);
  std::vector<int> stack = {target};
  while (!stack.empty()) {
    const int i = stack.back();
    stack.pop_back();
    if (upstream[i]) continue;
    upstream[i] = true;
    stack.insert(stack.end(), inputs[i].begin(), inputs[i].end());
  }
  std::vector<TensorSpec> specs(graph.node_size());
  for (int i : order) {
    if (!upstream[i]) continue;
    std::vector<TensorSpec> in;
    for (int j : inputs[i]) in.push_back(specs[j]);
    specs[i] = NodeSpec(graph.node(i), in, graph.versions().producer());
  }
  return specs[target];
}

}  // namespace mnist

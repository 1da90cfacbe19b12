#include "nn/graph/graph_edges.h"

#include "nn/graph/graph_limits.h"
#include "nn/graph/tensor_name.h"

namespace mnist {

std::string NodeMessage(const std::string& where, const tensorflow::NodeDef& node,
                        const std::string& what) {
  return where + ": node '" + node.name() + "' (" + node.op() + "): " + what;
}

Status CheckGraphSize(const tensorflow::GraphDef& graph, const std::string& where) {
  if (graph.node_size() <= kMaxGraphNodes) return Status::Ok();
  return Status::DataLoss(where + ": " + std::to_string(graph.node_size()) + " nodes, more than the " +
                          std::to_string(kMaxGraphNodes) + " a graph may have");
}

StatusOr<GraphEdges> ReadGraphEdges(const tensorflow::GraphDef& graph, const std::string& where) {
  MNIST_RETURN_IF_ERROR(CheckGraphSize(graph, where));
  const int n = graph.node_size();
  GraphEdges edges;
  for (int i = 0; i < n; ++i) {
    const tensorflow::NodeDef& node = graph.node(i);
    if (node.name().empty())
      return Status::DataLoss(where + ": node #" + std::to_string(i) + " has no name");
    if (!edges.index.emplace(node.name(), i).second) {
      return Status::DataLoss(NodeMessage(
          where, node, "a second node has this name (#" +
                           std::to_string(edges.index[node.name()]) + " and #" + std::to_string(i) + ")"));
    }
  }
  edges.inputs.resize(n);
  for (int i = 0; i < n; ++i) {
    const tensorflow::NodeDef& node = graph.node(i);
    for (const std::string& input : node.input()) {
      const std::optional<TensorName> name = ParseTensorName(input);
      if (!name) {
        return Status::DataLoss(NodeMessage(
            where, node, "input '" + input + "' is not \"node\", \"node:k\" or \"^node\""));
      }
      auto it = edges.index.find(name->node);
      if (it == edges.index.end())
        return Status::DataLoss(NodeMessage(where, node, "input '" + input + "' names no node (dangling)"));
      if (!name->control) edges.inputs[i].push_back(it->second);
    }
  }
  return edges;
}

std::vector<bool> Upstream(const std::vector<std::vector<int>>& inputs, const std::vector<int>& from,
                           const std::vector<bool>& stop) {
  std::vector<bool> reached(inputs.size(), false);
  std::vector<int> stack = from;
  while (!stack.empty()) {
    const int i = stack.back();
    stack.pop_back();
    if (reached[i]) continue;
    reached[i] = true;
    if (stop.empty() || !stop[i]) stack.insert(stack.end(), inputs[i].begin(), inputs[i].end());
  }
  return reached;
}

}  // namespace mnist

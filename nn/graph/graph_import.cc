#include "nn/graph/graph_import.h"

#include <optional>
#include <unordered_map>

#include "nn/graph/graph_edges.h"
#include "nn/graph/graph_ops.h"
#include "nn/graph/graph_order.h"
#include "nn/graph/graph_static_spec.h"
#include "nn/graph/tensor_name.h"

namespace mnist {
namespace {

using tensorflow::GraphDef;
using tensorflow::NodeDef;

Status NodeError(const std::string& where, const NodeDef& node, const std::string& what) {
  return Status::FailedPrecondition(NodeMessage(where, node, what));
}

// Every op here has one output: a data input of a node that runs asking for
// another is refused.
Status CheckSingleOutput(const NodeDef& node, const std::string& where) {
  for (const std::string& input : node.input()) {
    const std::optional<TensorName> name = ParseTensorName(input);  // ReadGraphEdges parsed it
    if (name && !name->control && name->output != 0) {
      return NodeError(where, node,
                       "input '" + input + "' asks for output " + std::to_string(name->output) +
                           " of '" + name->node + "', which has only output 0");
    }
  }
  return Status::Ok();
}

// A node that runs must be an op the executor has.
Status CheckSupported(const NodeDef& node, const std::string& where) {
  const std::string& op = node.op();
  if (op == "Placeholder" || op == "Const" || op == "NoOp" || FindOpKernel(op) != nullptr)
    return Status::Ok();
  return NodeError(where, node, "op " + op + " is not supported (supported: " + kSupportedOps + ")");
}

// The nodes fed or returned tensors name (`role`: "input" or "output"); output 0 only.
StatusOr<std::vector<int>> FindTensors(const std::unordered_map<std::string, int>& index,
                                       const std::vector<std::string>& texts,
                                       const std::string& where, const std::string& role) {
  std::vector<int> nodes;
  for (const std::string& text : texts) {
    const std::optional<TensorName> name = ParseTensorName(text);
    auto it = name && !name->control ? index.find(name->node) : index.end();
    if (it == index.end())
      return Status::InvalidArgument(where + ": " + role + " '" + text + "' names no node");
    if (name->output != 0) {
      return Status::InvalidArgument(where + ": " + role + " '" + text + "': node '" + name->node +
                             "' has only output 0");
    }
    nodes.push_back(it->second);
  }
  return nodes;
}

// The graph's sinks: nodes no data input reads, NoOps excepted, in graph order.
std::vector<int> Sinks(const GraphDef& graph, const std::vector<std::vector<int>>& inputs) {
  std::vector<bool> read(inputs.size(), false);
  for (const std::vector<int>& reads : inputs) {
    for (int j : reads) read[j] = true;
  }
  std::vector<int> sinks;
  for (int i = 0; i < graph.node_size(); ++i) {
    if (!read[i] && graph.node(i).op() != "NoOp") sinks.push_back(i);
  }
  return sinks;
}

}  // namespace

StatusOr<ImportedGraph> ImportedGraph::Import(const GraphDef& graph, const ImportOptions& options) {
  const std::string& where = options.where;
  StatusOr<GraphEdges> edges = ReadGraphEdges(graph, where);
  if (!edges.ok()) return edges.status();
  StatusOr<std::vector<int>> order = TopologicalOrder(graph, edges->inputs, where);
  if (!order.ok()) return order.status();
  StatusOr<std::vector<int>> outputs = FindTensors(edges->index, options.outputs, where, "output");
  if (!outputs.ok()) return outputs.status();
  if (outputs->empty()) {
    *outputs = Sinks(graph, edges->inputs);
    if (outputs->empty())
      return Status::FailedPrecondition(where + ": the graph has no node to return");
  }
  StatusOr<std::vector<int>> feeds = FindTensors(edges->index, options.inputs, where, "input");
  if (!feeds.ok()) return feeds.status();
  ImportedGraph imported;
  imported.where_ = where;
  imported.producer_ = graph.versions().producer();
  MNIST_RETURN_IF_ERROR(
      imported.Select(graph, edges->inputs, *order, *feeds, *outputs, options.only_inputs));
  return imported;
}

Status ImportedGraph::Select(const GraphDef& graph, const std::vector<std::vector<int>>& inputs,
                             const std::vector<int>& order, const std::vector<int>& feeds,
                             const std::vector<int>& outputs, bool only_inputs) {
  const int n = graph.node_size();
  std::vector<int> feed_of(n, -1);
  for (size_t k = 0; k < feeds.size(); ++k) feed_of[feeds[k]] = static_cast<int>(k);
  // What the outputs need: everything upstream, stopping at fed nodes.
  std::vector<bool> fed_node(n, false);
  for (int i : feeds) fed_node[i] = true;
  const std::vector<bool> needed = Upstream(inputs, outputs, fed_node);
  for (size_t k = 0; k < feeds.size(); ++k) {
    const NodeDef& node = graph.node(feeds[k]);
    if (feed_of[feeds[k]] != static_cast<int>(k)) return Status::InvalidArgument(NodeError(where_, node, "fed twice").message());
    if (!needed[feeds[k]]) return Status::InvalidArgument(NodeError(where_, node, "fed, but the outputs do not read it").message());
  }
  std::vector<int> fed = feeds;
  if (fed.empty() && !only_inputs) {  // default: every placeholder needed, in graph order
    for (int i = 0; i < n; ++i) {
      if (needed[i] && graph.node(i).op() == "Placeholder")
        feed_of[i] = static_cast<int>(fed.size()), fed.push_back(i);
    }
  }
  for (int i : fed) input_names_.push_back(graph.node(i).name());
  // What cannot run at all comes first, before a missing feed or a shape.
  for (int i : order) {
    if (needed[i] && feed_of[i] < 0) {
      MNIST_RETURN_IF_ERROR(CheckSupported(graph.node(i), where_));
      MNIST_RETURN_IF_ERROR(CheckSingleOutput(graph.node(i), where_));
    }
  }
  std::vector<int> position(n, -1);
  for (int i : order) {
    if (!needed[i]) continue;
    position[i] = static_cast<int>(nodes_.size());
    Node node;
    node.def = graph.node(i);
    node.feed = feed_of[i];
    if (node.feed < 0) {  // a fed node's inputs are cut off
      for (int j : inputs[i]) node.inputs.push_back(position[j]);
    }
    nodes_.push_back(std::move(node));
    Node& added = nodes_.back();
    MNIST_RETURN_IF_ERROR(Prepare(&added));
    // A fed node that is not a placeholder takes what it would have produced
    // (before the nodes reading it are prepared).
    if (added.feed >= 0 && added.def.op() != "Placeholder") {
      TensorSpec produced = StaticSpec(graph, inputs, order, i);
      if (produced.dtype == tensorflow::DT_INVALID) produced.dtype = added.spec.dtype;
      produced.value = nullptr;  // a fed value replaces a constant's
      added.spec = std::move(produced);
    }
  }
  input_specs_.resize(fed.size());
  for (int i : fed) {
    input_specs_[feed_of[i]] = nodes_[position[i]].spec;
  }
  for (int i : outputs) {
    if (graph.node(i).op() == "NoOp")
      return Error(nodes_[position[i]], "a NoOp has no output to return");
    output_nodes_.push_back(position[i]);
    output_names_.push_back(graph.node(i).name());
    output_specs_.push_back(nodes_[position[i]].spec);
  }
  return Status::Ok();
}

Status ImportedGraph::Error(const Node& node, const std::string& what) const {
  return NodeError(where_, node.def, what);
}

}  // namespace mnist

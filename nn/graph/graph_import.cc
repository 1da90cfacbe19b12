#include "nn/graph/graph_import.h"

#include <algorithm>
#include <unordered_map>

#include "nn/graph/graph_ops.h"
#include "nn/graph/graph_order.h"
#include "nn/graph/graph_static_spec.h"

namespace mnist {
namespace {

using tensorflow::GraphDef;
using tensorflow::NodeDef;

Status NodeError(const std::string& where, const NodeDef& node, const std::string& what) {
  return Status::FailedPrecondition(where + ": node '" + node.name() + "' (" + node.op() +
                                 "): " + what);
}

// "node", "node:k" or "^node". False when k is not a small decimal number.
bool ParseInputRef(const std::string& text, std::string* node, int* output, bool* control) {
  *control = !text.empty() && text[0] == '^';
  *node = *control ? text.substr(1) : text;
  *output = 0;
  const size_t colon = node->rfind(':');
  if (*control || colon == std::string::npos) return !node->empty();
  const std::string digits = node->substr(colon + 1);
  if (digits.empty() || digits.size() > 6 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  *output = std::stoi(digits);
  node->resize(colon);
  return !node->empty();
}

// The index of the node a fed or returned tensor names; output 0 only.
StatusOr<int> FindTensor(const std::unordered_map<std::string, int>& index, const std::string& text,
                         const std::string& where, const std::string& role) {
  std::string name;
  int output = 0;
  bool control = false;
  auto it = index.end();
  if (ParseInputRef(text, &name, &output, &control) && !control) it = index.find(name);
  if (it == index.end())
    return Status::InvalidArgument(where + ": " + role + " '" + text + "' names no node");
  if (output != 0) {
    return Status::InvalidArgument(where + ": " + role + " '" + text + "': node '" + name +
                                   "' has only output 0");
  }
  return it->second;
}

}  // namespace

StatusOr<ImportedGraph> ImportedGraph::Import(const GraphDef& graph, const ImportOptions& options) {
  const std::string& where = options.where;
  const int n = graph.node_size();
  MNIST_RETURN_IF_ERROR(CheckGraphSize(graph, where));
  std::unordered_map<std::string, int> index;
  for (int i = 0; i < n; ++i) {
    const NodeDef& node = graph.node(i);
    if (node.name().empty())
      return Status::FailedPrecondition(where + ": node #" + std::to_string(i) + " has no name");
    if (!index.emplace(node.name(), i).second) {
      return NodeError(where, node,
                       "a second node has this name (#" + std::to_string(index[node.name()]) +
                           " and #" + std::to_string(i) + ")");
    }
  }
  std::vector<std::vector<int>> inputs(n);
  for (int i = 0; i < n; ++i) {
    const NodeDef& node = graph.node(i);
    for (const std::string& input : node.input()) {
      std::string name;
      int output = 0;
      bool control = false;
      if (!ParseInputRef(input, &name, &output, &control)) {
        return NodeError(where, node,
                         "input '" + input + "' is not \"node\", \"node:k\" or \"^node\"");
      }
      auto it = index.find(name);
      if (it == index.end())
        return NodeError(where, node, "input '" + input + "' names no node (dangling)");
      if (control) continue;
      if (output != 0) {
        return NodeError(where, node,
                         "input '" + input + "' asks for output " + std::to_string(output) +
                             " of '" + name + "', which has only output 0");
      }
      inputs[i].push_back(it->second);
    }
  }
  StatusOr<std::vector<int>> order = TopologicalOrder(graph, inputs, where);
  if (!order.ok()) return order.status();

  std::vector<int> feeds, outputs;
  for (const std::string& name : options.outputs) {
    StatusOr<int> node = FindTensor(index, name, where, "output");
    if (!node.ok()) return node.status();
    outputs.push_back(*node);
  }
  if (outputs.empty()) {
    std::vector<bool> read(n, false);
    for (int i = 0; i < n; ++i) {
      for (int j : inputs[i]) read[j] = true;
    }
    for (int i = 0; i < n; ++i) {
      if (!read[i] && graph.node(i).op() != "NoOp") outputs.push_back(i);
    }
    if (outputs.empty())
      return Status::FailedPrecondition(where + ": the graph has no node to return");
  }
  for (const std::string& name : options.inputs) {
    StatusOr<int> node = FindTensor(index, name, where, "input");
    if (!node.ok()) return node.status();
    feeds.push_back(*node);
  }
  ImportedGraph imported;
  imported.where_ = where;
  imported.producer_ = graph.versions().producer();
  MNIST_RETURN_IF_ERROR(imported.Select(graph, inputs, *order, feeds, outputs));
  return imported;
}

Status ImportedGraph::Select(const GraphDef& graph, const std::vector<std::vector<int>>& inputs,
                             const std::vector<int>& order, const std::vector<int>& feeds,
                             const std::vector<int>& outputs) {
  const int n = graph.node_size();
  std::vector<int> feed_of(n, -1);
  for (size_t k = 0; k < feeds.size(); ++k) feed_of[feeds[k]] = static_cast<int>(k);
  // What the outputs need: everything upstream, stopping at fed nodes.
  std::vector<bool> needed(n, false);
  std::vector<int> stack = outputs;
  while (!stack.empty()) {
    const int i = stack.back();
    stack.pop_back();
    if (needed[i]) continue;
    needed[i] = true;
    if (feed_of[i] < 0) stack.insert(stack.end(), inputs[i].begin(), inputs[i].end());
  }
  for (size_t k = 0; k < feeds.size(); ++k) {
    const NodeDef& node = graph.node(feeds[k]);
    if (feed_of[feeds[k]] != static_cast<int>(k)) return Status::InvalidArgument(NodeError(where_, node, "fed twice").message());
    if (!needed[feeds[k]]) return Status::InvalidArgument(NodeError(where_, node, "fed, but the outputs do not read it").message());
  }
  std::vector<int> fed = feeds;
  if (fed.empty()) {  // default: every placeholder needed, in graph order
    for (int i = 0; i < n; ++i) {
      if (needed[i] && graph.node(i).op() == "Placeholder")
        feed_of[i] = static_cast<int>(fed.size()), fed.push_back(i);
    }
  }
  for (int i : fed) input_names_.push_back(graph.node(i).name());
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

Status ImportedGraph::Prepare(Node* node) {
  const NodeDef& def = node->def;
  auto attr = [&](const char* name) {
    return def.attr().count(name) ? &def.attr().at(name) : nullptr;
  };
  if (node->feed >= 0 || def.op() == "Placeholder") {
    if (node->feed < 0) {
      std::string fed;
      for (const std::string& name : input_names_) fed += (fed.empty() ? "" : ", ") + name;
      return Status::InvalidArgument(
          Error(*node, "a placeholder the outputs need, but not fed (fed: " + fed + ")").message());
    }
    const auto* dtype = attr(def.op() == "Placeholder" || def.op() == "Const" ? "dtype" : "T");
    if (dtype == nullptr || !IsSupportedDtype(dtype->type())) {
      return Error(*node, "fed, but its dtype is " +
                              (dtype ? DtypeName(dtype->type()) : "not given") +
                              " (DT_FLOAT, DT_INT32 or DT_INT64 can be fed)");
    }
    // Another fed node takes what it would produce: Select sets that.
    node->spec = def.op() == "Placeholder" ? PlaceholderSpec(def, producer_)
                                           : TensorSpec{dtype->type(), {}, true, nullptr};
    return Status::Ok();
  }
  if (def.op() == "Const") {
    const auto* value = attr("value");
    if (value == nullptr) return Error(*node, "a Const without a value");
    StatusOr<Tensor> tensor = TensorFromProto(value->tensor());
    if (!tensor.ok()) return Error(*node, tensor.status().message());
    node->spec = TensorSpec::Of(std::make_shared<const Tensor>(std::move(*tensor)));
    node->def.mutable_attr()->erase("value");  // the bytes live in spec.value now
    return Status::Ok();
  }
  std::vector<TensorSpec> specs;
  for (int j : node->inputs) {
    if (nodes_[j].def.op() == "NoOp")
      return Error(*node, "reads '" + nodes_[j].def.name() + "', a NoOp, which has no output");
    specs.push_back(nodes_[j].spec);
  }
  if (def.op() == "NoOp") return Status::Ok();
  node->kernel = FindOpKernel(def.op());
  if (node->kernel == nullptr) {
    return Error(*node, "op " + def.op() + " is not supported (supported: " + kSupportedOps + ")");
  }
  if (static_cast<int>(specs.size()) != node->kernel->num_inputs) {
    return Error(*node, "has " + std::to_string(specs.size()) + " data inputs, the op takes " +
                            std::to_string(node->kernel->num_inputs));
  }
  StatusOr<TensorSpec> spec = node->kernel->infer(def, specs);
  if (!spec.ok()) return Error(*node, spec.status().message());
  node->spec = std::move(*spec);
  const bool known =
      !node->spec.unknown_rank && std::all_of(node->spec.shape.begin(), node->spec.shape.end(),
                                              [](int64_t d) { return d >= 0; });
  if (known && !ElementCount(node->spec.shape).ok()) {
    return Error(*node, "output " + ElementCount(node->spec.shape).status().message());
  }
  return Status::Ok();
}

Status ImportedGraph::Error(const Node& node, const std::string& what) const {
  return NodeError(where_, node.def, what);
}

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
      bool fits =
          fed->dtype == want.dtype && (want.unknown_rank || fed->shape.size() == want.shape.size());
      for (size_t d = 0; fits && !want.unknown_rank && d < want.shape.size(); ++d) {
        fits = want.shape[d] < 0 || want.shape[d] == fed->shape[d];
      }
      if (!fits) {
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

Status CheckGraphSize(const GraphDef& graph, const std::string& where) {
  if (graph.node_size() <= kMaxGraphNodes) return Status::Ok();
  return Status::FailedPrecondition(where + ": " + std::to_string(graph.node_size()) +
                                 " nodes, more than the " + std::to_string(kMaxGraphNodes) +
                                 " a graph may have");
}

}  // namespace mnist

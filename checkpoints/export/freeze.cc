#include "checkpoints/export/freeze.h"

#include <google/protobuf/text_format.h>

#include <optional>

#include "nn/graph/graph_edges.h"
#include "nn/graph/graph_tensor.h"
#include "nn/graph/tensor_name.h"
#include "checkpoints/meta_graph/meta_graph_file.h"
#include "checkpoints/meta_graph/model_graph.h"
#include "checkpoints/state/naming.h"
#include "checkpoints/saver/saver.h"
#include "io/base/file.h"
#include "io/bundle/proto_serialize.h"
#include "nn/optimizer/ema.h"

namespace mnist {
namespace {

using tensorflow::NodeDef;

bool IsVariable(const std::string& op) {
  return op == "VariableV2" || op == "Variable" || op == "VarHandleOp";
}

// The Const that replaces variable `node`, its value read from `reader`.
StatusOr<NodeDef> VariableToConst(const NodeDef& node, const BundleReader& reader, bool use_ema,
                                  const std::string& where) {
  const std::string key = node.name() + (use_ema ? kEmaSuffix : "");
  const std::string at = where + ": node '" + node.name() + "' (" + node.op() + "): ";
  StatusOr<BundleReader::Entry> entry = reader.Lookup(key);
  if (!entry.ok())
    return Status::NotFound(at + "checkpoint " + reader.prefix() + " has no tensor " + key);
  auto dtype = node.attr().find("dtype");
  if (entry->dtype == tensorflow::DT_STRING ||
      (dtype != node.attr().end() && dtype->second.type() != entry->dtype)) {
    return Status::FailedPrecondition(
        at + "tensor " + key + " is " + DtypeName(entry->dtype) + ", the variable " +
        (dtype == node.attr().end() ? "a number" : DtypeName(dtype->second.type())));
  }
  auto shape = node.attr().find("shape");
  if (shape != node.attr().end() && !shape->second.shape().unknown_rank()) {
    std::vector<int64_t> dims;
    for (const auto& d : shape->second.shape().dim()) dims.push_back(d.size());
    if (dims != entry->shape) {
      return Status::FailedPrecondition(at + "tensor " + key + " has shape " +
                                     ShapeString(entry->shape) + ", the variable " +
                                     ShapeString(dims));
    }
  }
  StatusOr<std::string> bytes = reader.ReadBytes(key);
  if (!bytes.ok()) return bytes.status();
  NodeDef c;
  MakeConstNode(node.name(), entry->dtype, entry->shape, std::move(*bytes), &c);
  return c;
}

}  // namespace

FrozenGraph FreezeModel(const Mlp& model) {
  FrozenGraph frozen;
  frozen.graph = BuildFrozenGraph(model);
  frozen.converted_variables = static_cast<int>(model.variables().size());
  return frozen;
}

StatusOr<FrozenGraph> ConvertVariablesToConstants(const tensorflow::GraphDef& graph,
                                                  const BundleReader& reader,
                                                  const std::vector<std::string>& outputs,
                                                  bool use_ema, const std::string& where) {
  const int n = graph.node_size();
  StatusOr<GraphEdges> edges = ReadGraphEdges(graph, where);
  if (!edges.ok()) return edges.status();
  if (use_ema) MNIST_RETURN_IF_ERROR(CheckHasEmaShadows(reader));
  std::vector<int> wanted;
  for (const std::string& output : outputs) {
    const std::optional<TensorName> name = ParseTensorName(output);
    auto it = name && !name->control ? edges->index.find(name->node) : edges->index.end();
    if (it == edges->index.end())
      return Status::InvalidArgument(where + ": output '" + output + "' names no node");
    wanted.push_back(it->second);
  }
  const std::vector<bool> needed = Upstream(edges->inputs, wanted);
  FrozenGraph frozen;
  *frozen.graph.mutable_versions() = graph.versions();
  for (int i = 0; i < n; ++i) {
    if (!needed[i]) continue;
    const NodeDef& node = graph.node(i);
    if (IsVariable(node.op())) {
      StatusOr<NodeDef> c = VariableToConst(node, reader, use_ema, where);
      if (!c.ok()) return c.status();
      *frozen.graph.add_node() = std::move(*c);
      ++frozen.converted_variables;
      continue;
    }
    NodeDef* copy = frozen.graph.add_node();
    *copy = node;
    copy->clear_input();
    for (const std::string& input : node.input()) {
      if (input.empty() || input[0] != '^') copy->add_input(input);
    }
    if (node.op() == "ReadVariableOp") {  // reads the resource variable, now a Const
      copy->set_op("Identity");
      (*copy->mutable_attr())["T"] =
          node.attr().count("dtype") ? node.attr().at("dtype") : tensorflow::AttrValue();
      copy->mutable_attr()->erase("dtype");
    }
  }
  return frozen;
}

StatusOr<FrozenGraph> FreezeCheckpointGraph(const std::string& prefix,
                                            const std::vector<std::string>& outputs, bool use_ema,
                                            const std::string& meta_file) {
  const std::string where = meta_file.empty() ? MetaFilename(prefix) : meta_file;
  StatusOr<tensorflow::MetaGraphDef> meta = ReadMetaGraphFile(where);
  if (!meta.ok()) return meta.status();
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return reader.status();
  return ConvertVariablesToConstants(meta->graph_def(), **reader, outputs, use_ema, where);
}

Status WriteGraph(const tensorflow::GraphDef& graph, const std::string& path, bool as_text,
                  int64_t* file_bytes) {
  std::string bytes;
  bool ok = false;
  if (as_text) {
    ok = google::protobuf::TextFormat::PrintToString(graph, &bytes);
  } else {
    ok = SerializeDeterministically(graph, &bytes);  // attr maps sorted by key, as TF writes them
  }
  if (!ok) return Status::InvalidArgument(path + ": cannot serialize the GraphDef");
  MNIST_RETURN_IF_ERROR(CreateParentDirectories(path));
  MNIST_RETURN_IF_ERROR(WriteFileAtomically(path, bytes));
  if (file_bytes != nullptr) *file_bytes = static_cast<int64_t>(bytes.size());
  return Status::Ok();
}

int64_t ConstTensorBytes(const tensorflow::GraphDef& graph) {
  int64_t total = 0;
  for (const tensorflow::NodeDef& node : graph.node()) {
    if (node.op() != "Const") continue;
    auto value = node.attr().find("value");
    if (value != node.attr().end()) {
      total += static_cast<int64_t>(value->second.tensor().tensor_content().size());
    }
  }
  return total;
}

}  // namespace mnist

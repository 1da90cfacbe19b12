#include "checkpoints/meta_graph/model_graph.h"

#include <map>

#include "nn/graph/graph_edges.h"

namespace mnist {
namespace {

using tensorflow::AttrValue;
using tensorflow::DataType;
using tensorflow::GraphDef;
using tensorflow::NodeDef;

// GraphDef producer version written: that of TF 1.15, whose ops we use.
constexpr int kGraphProducer = 134;

NodeDef* AddNode(GraphDef* g, const std::string& name, const std::string& op,
                 std::vector<std::string> inputs = {}) {
  NodeDef* n = g->add_node();
  n->set_name(name);
  n->set_op(op);
  for (std::string& in : inputs) n->add_input(std::move(in));
  return n;
}

void SetType(NodeDef* n, const std::string& attr, DataType t) {
  (*n->mutable_attr())[attr].set_type(t);
}

void SetShape(tensorflow::TensorShapeProto* shape, const std::vector<int64_t>& dims) {
  for (int64_t d : dims) shape->add_dim()->set_size(d);
}

void SetShapeAttr(NodeDef* n, const std::string& attr, const std::vector<int64_t>& dims) {
  SetShape((*n->mutable_attr())[attr].mutable_shape(), dims);
}

NodeDef* AddConst(GraphDef* g, const std::string& name, DataType dtype,
                  const std::vector<int64_t>& shape, const void* bytes, size_t n) {
  NodeDef* node = g->add_node();
  MakeConstNode(name, dtype, shape, std::string(static_cast<const char*>(bytes), n), node);
  return node;
}

NodeDef* AddStringConst(GraphDef* g, const std::string& name, const std::vector<std::string>& values,
                        bool scalar) {
  NodeDef* node = AddNode(g, name, "Const");
  SetType(node, "dtype", tensorflow::DT_STRING);
  tensorflow::TensorProto* t = (*node->mutable_attr())["value"].mutable_tensor();
  t->set_dtype(tensorflow::DT_STRING);
  t->mutable_tensor_shape();
  if (!scalar) SetShape(t->mutable_tensor_shape(), {static_cast<int64_t>(values.size())});
  for (const std::string& v : values) t->add_string_val(v);
  return node;
}

void AddVariable(GraphDef* g, const std::string& name, DataType dtype,
                 const std::vector<int64_t>& shape) {
  NodeDef* v = AddNode(g, name, "VariableV2");
  SetType(v, "dtype", dtype);
  SetShapeAttr(v, "shape", shape);
  (*v->mutable_attr())["container"].set_s("");
  (*v->mutable_attr())["shared_name"].set_s("");
}

// Everything after the weights: MatMul / BiasAdd / Relu per layer, then the
// three named outputs. `weight_input(v)` names what reads variable v.
template <typename WeightInput>
void AddLayers(GraphDef* g, const Mlp& model, WeightInput weight_input) {
  std::string previous = kInputNode;
  for (int l = 0; l < model.num_layers(); ++l) {
    const std::string layer = Mlp::LayerName(l);
    NodeDef* mm = AddNode(g, layer + "/MatMul", "MatMul", {previous, weight_input(2 * l)});
    SetType(mm, "T", tensorflow::DT_FLOAT);
    (*mm->mutable_attr())["transpose_a"].set_b(false);
    (*mm->mutable_attr())["transpose_b"].set_b(false);
    NodeDef* ba = AddNode(g, layer + "/BiasAdd", "BiasAdd", {layer + "/MatMul", weight_input(2 * l + 1)});
    SetType(ba, "T", tensorflow::DT_FLOAT);
    (*ba->mutable_attr())["data_format"].set_s("NHWC");
    previous = layer + "/BiasAdd";
    if (l + 1 < model.num_layers()) {
      NodeDef* relu = AddNode(g, layer + "/Relu", "Relu", {previous});
      SetType(relu, "T", tensorflow::DT_FLOAT);
      previous = layer + "/Relu";
    }
  }
  SetType(AddNode(g, kLogitsNode, "Identity", {previous}), "T", tensorflow::DT_FLOAT);
  SetType(AddNode(g, kProbabilitiesNode, "Softmax", {kLogitsNode}), "T", tensorflow::DT_FLOAT);
  const int32_t axis = 1;
  AddConst(g, std::string(kPredictionsNode) + "/dimension", tensorflow::DT_INT32, {}, &axis,
           sizeof(axis));
  NodeDef* argmax = AddNode(g, kPredictionsNode, "ArgMax",
                            {kLogitsNode, std::string(kPredictionsNode) + "/dimension"});
  SetType(argmax, "T", tensorflow::DT_FLOAT);
  SetType(argmax, "Tidx", tensorflow::DT_INT32);
  SetType(argmax, "output_type", tensorflow::DT_INT64);
}

void AddInput(GraphDef* g, const Mlp& model) {
  NodeDef* input = AddNode(g, kInputNode, "Placeholder");
  SetType(input, "dtype", tensorflow::DT_FLOAT);
  SetShapeAttr(input, "shape", {-1, model.input_size()});
  g->mutable_versions()->set_producer(kGraphProducer);
}

// TF1 Saver's subgraph over `saved` (sorted by name, as Saver sorts).
void AddSaverNodes(GraphDef* g, const std::vector<SavedTensorSpec>& saved) {
  std::vector<std::string> names;
  for (const SavedTensorSpec& s : saved) names.push_back(s.name);
  const std::vector<std::string> slices(saved.size(), "");
  AddStringConst(g, "save/Const", {"model"}, /*scalar=*/true);
  AddStringConst(g, "save/SaveV2/tensor_names", names, false);
  AddStringConst(g, "save/SaveV2/shape_and_slices", slices, false);
  std::vector<std::string> save_inputs = {"save/Const", "save/SaveV2/tensor_names",
                                          "save/SaveV2/shape_and_slices"};
  save_inputs.insert(save_inputs.end(), names.begin(), names.end());
  NodeDef* save = AddNode(g, "save/SaveV2", "SaveV2", save_inputs);
  AttrValue::ListValue* dtypes = (*save->mutable_attr())["dtypes"].mutable_list();
  for (const SavedTensorSpec& s : saved) dtypes->add_type(s.dtype);
  NodeDef* dep = AddNode(g, "save/control_dependency", "Identity", {"save/Const", "^save/SaveV2"});
  SetType(dep, "T", tensorflow::DT_STRING);

  AddStringConst(g, "save/RestoreV2/tensor_names", names, false);
  AddStringConst(g, "save/RestoreV2/shape_and_slices", slices, false);
  NodeDef* restore = AddNode(g, "save/RestoreV2", "RestoreV2",
                             {"save/Const", "save/RestoreV2/tensor_names",
                              "save/RestoreV2/shape_and_slices"});
  restore->set_device("/device:CPU:0");
  AttrValue::ListValue* rtypes = (*restore->mutable_attr())["dtypes"].mutable_list();
  for (const SavedTensorSpec& s : saved) rtypes->add_type(s.dtype);
  std::vector<std::string> assigns;
  for (size_t i = 0; i < saved.size(); ++i) {
    const std::string name = i == 0 ? "save/Assign" : "save/Assign_" + std::to_string(i);
    NodeDef* a = AddNode(g, name, "Assign",
                         {saved[i].name, "save/RestoreV2" + (i == 0 ? "" : ":" + std::to_string(i))});
    SetType(a, "T", saved[i].dtype);
    (*a->mutable_attr())["use_locking"].set_b(true);
    (*a->mutable_attr())["validate_shape"].set_b(true);
    assigns.push_back("^" + name);
  }
  AddNode(g, "save/restore_all", "NoOp", assigns);
}

// Layer `layer` computes BiasAdd(MatMul(x, kernel), bias), the kernel read
// directly or through an Identity `<kernel>/read` (tf.layers.dense's graph).
Status CheckLayerOps(const std::map<std::string, const NodeDef*>& nodes, const std::string& layer,
                     const std::string& where) {
  auto reads = [&](const std::string& op_name, int input, const std::vector<std::string>& from) {
    auto it = nodes.find(op_name);
    if (it == nodes.end() || it->second->input_size() <= input) return false;
    for (const std::string& f : from) {
      if (it->second->input(input) == f) return true;
    }
    return false;
  };
  const std::string kernel = layer + "/kernel";
  const std::string bias = layer + "/bias";
  if (!reads(layer + "/MatMul", 1, {kernel, kernel + "/read"}) ||
      !reads(layer + "/BiasAdd", 0, {layer + "/MatMul"}) ||
      !reads(layer + "/BiasAdd", 1, {bias, bias + "/read"})) {
    return Status::DataLoss(where + ": layer " + layer + " is not " + layer +
                            "/BiasAdd(" + layer + "/MatMul(x, " + kernel + "), " + bias + ")");
  }
  return Status::Ok();
}

// The shape of a weight node: a VariableV2's `shape` attr, or a Const's
// `value` tensor shape, whose float bytes must then all be there.
Status WeightShape(const NodeDef& n, const std::string& where, std::vector<int64_t>* shape) {
  const bool frozen = n.op() == "Const";
  auto attr = n.attr().find(frozen ? "value" : "shape");
  if (attr == n.attr().end()) {
    return Status::DataLoss(where + ": node " + n.name() + " (" + n.op() + ") has no " +
                            (frozen ? "value" : "shape"));
  }
  const tensorflow::TensorShapeProto& proto =
      frozen ? attr->second.tensor().tensor_shape() : attr->second.shape();
  uint64_t count = 1;
  for (const auto& dim : proto.dim()) {
    if (dim.size() < 0 || dim.size() > (int64_t{1} << 31) ||
        __builtin_mul_overflow(count, static_cast<uint64_t>(dim.size()), &count)) {
      return Status::DataLoss(where + ": node " + n.name() + " has a bad dimension " +
                              std::to_string(dim.size()));
    }
    shape->push_back(dim.size());
  }
  if (frozen) {
    const tensorflow::TensorProto& t = attr->second.tensor();
    const bool complete = t.dtype() == tensorflow::DT_FLOAT &&
                          (t.tensor_content().size() == count * sizeof(float) ||
                           static_cast<uint64_t>(t.float_val_size()) == count);
    if (!complete) {
      return Status::DataLoss(where + ": Const node " + n.name() + " does not hold " +
                              std::to_string(count) + " floats");
    }
  }
  return Status::Ok();
}

}  // namespace

void MakeConstNode(const std::string& name, DataType dtype, const std::vector<int64_t>& shape,
                   std::string bytes, NodeDef* node) {
  node->set_name(name);
  node->set_op("Const");
  SetType(node, "dtype", dtype);
  tensorflow::TensorProto* t = (*node->mutable_attr())["value"].mutable_tensor();
  t->set_dtype(dtype);
  SetShape(t->mutable_tensor_shape(), shape);
  t->set_tensor_content(std::move(bytes));
}

GraphDef BuildFrozenGraph(const Mlp& model) {
  GraphDef g;
  AddInput(&g, model);
  for (const Variable& v : model.variables()) {
    AddConst(&g, v.name, tensorflow::DT_FLOAT, v.shape, v.value.data(),
             sizeof(float) * static_cast<size_t>(v.value.size()));
  }
  AddLayers(&g, model, [&](int v) { return model.variables()[v].name; });
  return g;
}

tensorflow::MetaGraphDef BuildMetaGraph(const Mlp& model, const std::vector<SavedTensorSpec>& saved) {
  tensorflow::MetaGraphDef meta;
  meta.mutable_meta_info_def()->set_tensorflow_version("1.15.0");
  meta.mutable_meta_info_def()->set_tensorflow_git_version("mnist");
  GraphDef* g = meta.mutable_graph_def();
  AddInput(g, model);
  std::map<std::string, const SavedTensorSpec*> by_name;
  for (const SavedTensorSpec& s : saved) by_name[s.name] = &s;
  for (const Variable& v : model.variables()) {
    AddVariable(g, v.name, tensorflow::DT_FLOAT, v.shape);
    NodeDef* read = AddNode(g, v.name + "/read", "Identity", {v.name});
    SetType(read, "T", tensorflow::DT_FLOAT);
    by_name.erase(v.name);
  }
  AddLayers(g, model, [&](int v) { return model.variables()[v].name + "/read"; });
  for (const auto& [name, spec] : by_name) AddVariable(g, name, spec->dtype, spec->shape);
  std::vector<SavedTensorSpec> sorted = saved;
  std::sort(sorted.begin(), sorted.end(),
            [](const SavedTensorSpec& a, const SavedTensorSpec& b) { return a.name < b.name; });
  AddSaverNodes(g, sorted);

  tensorflow::SaverDef* saver = meta.mutable_saver_def();
  saver->set_filename_tensor_name("save/Const:0");
  saver->set_save_tensor_name("save/control_dependency:0");
  saver->set_restore_op_name("save/restore_all");
  saver->set_max_to_keep(5);
  saver->set_keep_checkpoint_every_n_hours(10000.0f);
  saver->set_version(tensorflow::SaverDef::V2);
  return meta;
}

StatusOr<std::vector<int>> LayerSizesFromGraph(const GraphDef& graph, const std::string& where) {
  if (graph.node_size() > kMaxGraphNodes) {
    return Status::DataLoss(where + ": " + std::to_string(graph.node_size()) +
                            " nodes, more than the limit of " + std::to_string(kMaxGraphNodes));
  }
  std::map<std::string, const NodeDef*> nodes;
  for (const NodeDef& n : graph.node()) nodes[n.name()] = &n;
  MNIST_RETURN_IF_ERROR(ReadGraphEdges(graph, where).status());  // names, inputs: no dangling one
  std::vector<int> sizes;
  for (int l = 0;; ++l) {
    const std::string layer = Mlp::LayerName(l);
    auto kernel = nodes.find(layer + "/kernel");
    if (kernel == nodes.end()) break;
    std::vector<int64_t> shape;
    MNIST_RETURN_IF_ERROR(WeightShape(*kernel->second, where, &shape));
    if (shape.size() != 2 || shape[0] < 1 || shape[1] < 1 ||
        static_cast<uint64_t>(shape[0]) * static_cast<uint64_t>(shape[1]) >
            kMaxKernelBytes / sizeof(float)) {
      return Status::DataLoss(where + ": node " + kernel->first +
                              " has no 2-D [in, out] shape of at most " +
                              std::to_string(kMaxKernelBytes) + " bytes");
    }
    const int in = static_cast<int>(shape[0]);
    const int out = static_cast<int>(shape[1]);
    if (l == 0) sizes.push_back(in);
    if (sizes.back() != in) {
      return Status::DataLoss(where + ": node " + kernel->first + " takes " + std::to_string(in) +
                              " inputs but the layer before gives " + std::to_string(sizes.back()));
    }
    auto bias = nodes.find(layer + "/bias");
    std::vector<int64_t> bias_shape;
    if (bias != nodes.end()) MNIST_RETURN_IF_ERROR(WeightShape(*bias->second, where, &bias_shape));
    if (bias_shape != std::vector<int64_t>{out}) {
      return Status::DataLoss(where + ": no node " + layer + "/bias of shape [" +
                              std::to_string(out) + "] beside " + kernel->first);
    }
    MNIST_RETURN_IF_ERROR(CheckLayerOps(nodes, layer, where));
    sizes.push_back(out);
  }
  if (sizes.size() < 2) {
    return Status::DataLoss(where + ": no dense/kernel node, so no network to rebuild (a TensorFlow "
                            "graph? name its logits node with --output)");
  }
  // The output layer has no ReLU: one after the last kernel found means a
  // layer is missing.
  const std::string last = Mlp::LayerName(static_cast<int>(sizes.size()) - 2);
  if (nodes.count(last + "/Relu") != 0) {
    return Status::DataLoss(where + ": " + last + "/Relu feeds a next layer, but there is no " +
                            Mlp::LayerName(static_cast<int>(sizes.size()) - 1) + "/kernel");
  }
  return sizes;
}

}  // namespace mnist

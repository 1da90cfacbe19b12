#include "checkpoints/meta_graph/model_graph.h"

#include <algorithm>
#include <map>

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
  int l = 0;
  for (const DenseLayer& layer : model.layers()) {
    NodeDef* mm = AddNode(g, layer.Op("MatMul"), "MatMul", {previous, weight_input(2 * l)});
    SetType(mm, "T", tensorflow::DT_FLOAT);
    (*mm->mutable_attr())["transpose_a"].set_b(false);
    (*mm->mutable_attr())["transpose_b"].set_b(false);
    NodeDef* ba = AddNode(g, layer.Op("BiasAdd"), "BiasAdd", {layer.Op("MatMul"), weight_input(2 * l + 1)});
    SetType(ba, "T", tensorflow::DT_FLOAT);
    (*ba->mutable_attr())["data_format"].set_s("NHWC");
    previous = layer.Op("BiasAdd");
    if (!layer.last) {
      NodeDef* relu = AddNode(g, layer.Op("Relu"), "Relu", {previous});
      SetType(relu, "T", tensorflow::DT_FLOAT);
      previous = layer.Op("Relu");
    }
    ++l;
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

}  // namespace mnist

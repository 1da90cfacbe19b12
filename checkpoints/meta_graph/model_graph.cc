#include "checkpoints/meta_graph/model_graph.h"

#include <algorithm>
#include <map>

#include "checkpoints/meta_graph/op_defs.h"
#include "io/base/strings.h"
#include "io/proto/variable.pb.h"
#include "nn/optimizer/adam.h"
#include "nn/optimizer/ema.h"

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

// A scalar or filled Const of `dtype`: `value` in every element (TensorFlow
// writes one typed value that a longer tensor repeats). DT_STRING: "".
void AddFilledConst(GraphDef* g, const std::string& name, DataType dtype,
                    const std::vector<int64_t>& shape, double value) {
  NodeDef* node = AddNode(g, name, "Const");
  SetType(node, "dtype", dtype);
  tensorflow::TensorProto* t = (*node->mutable_attr())["value"].mutable_tensor();
  t->set_dtype(dtype);
  SetShape(t->mutable_tensor_shape(), shape);
  switch (dtype) {
    case tensorflow::DT_FLOAT: t->add_float_val(static_cast<float>(value)); break;
    case tensorflow::DT_DOUBLE: t->add_double_val(value); break;
    case tensorflow::DT_INT64: t->add_int64_val(static_cast<int64_t>(value)); break;
    case tensorflow::DT_STRING: t->add_string_val(""); break;
    default: t->add_int_val(static_cast<int32_t>(value)); break;
  }
}

// tf.truncated_normal_initializer(stddev)'s nodes for a kernel of `shape`
// under `scope` (`<kernel>/Initializer/truncated_normal`); returns the value.
std::string AddTruncatedNormal(GraphDef* g, const std::string& scope,
                               const std::vector<int64_t>& shape, float stddev) {
  const std::vector<int32_t> dims(shape.begin(), shape.end());
  AddConst(g, scope + "/shape", tensorflow::DT_INT32, {static_cast<int64_t>(dims.size())},
           dims.data(), sizeof(int32_t) * dims.size());
  AddFilledConst(g, scope + "/mean", tensorflow::DT_FLOAT, {}, 0.0);
  AddFilledConst(g, scope + "/stddev", tensorflow::DT_FLOAT, {}, stddev);
  NodeDef* normal = AddNode(g, scope + "/TruncatedNormal", "TruncatedNormal", {scope + "/shape"});
  SetType(normal, "T", tensorflow::DT_INT32);
  SetType(normal, "dtype", tensorflow::DT_FLOAT);
  (*normal->mutable_attr())["seed"].set_i(0);
  (*normal->mutable_attr())["seed2"].set_i(0);
  SetType(AddNode(g, scope + "/mul", "Mul", {scope + "/TruncatedNormal", scope + "/stddev"}), "T",
          tensorflow::DT_FLOAT);
  SetType(AddNode(g, scope, "Add", {scope + "/mul", scope + "/mean"}), "T", tensorflow::DT_FLOAT);
  return scope;
}

// The nodes of the initial value of variable `v`, as TensorFlow names them;
// returns its node. Kernels (trainable, 2-D) are truncated normal, as
// Mlp::Init draws them; Adam's powers start at beta1 and beta2; an EMA shadow
// starts as its variable (`initial` holds the model variables' values); all
// else starts at zero.
std::string AddInitialValue(GraphDef* g, const SavedTensorSpec& v,
                            const std::map<std::string, std::string>& initial) {
  if (v.trainable && v.shape.size() == 2) {
    return AddTruncatedNormal(g, v.name + "/Initializer/truncated_normal", v.shape,
                              kDefaultInitStddev);
  }
  if (v.name == kBeta1PowerName || v.name == kBeta2PowerName) {
    const AdamOptions adam;
    AddFilledConst(g, v.name + "/initial_value", v.dtype, v.shape,
                   v.name == kBeta1PowerName ? adam.beta1 : adam.beta2);
    return v.name + "/initial_value";
  }
  if (EndsWith(v.name, kEmaSuffix)) {
    auto of = initial.find(v.name.substr(0, v.name.size() - std::string(kEmaSuffix).size()));
    if (of != initial.end()) {
      const std::string name = v.name + "/Initializer/Identity";
      SetType(AddNode(g, name, "Identity", {of->second}), "T", v.dtype);
      return name;
    }
  }
  AddFilledConst(g, v.name + "/Initializer/zeros", v.dtype, v.shape, 0.0);
  return v.name + "/Initializer/zeros";
}

// Variable `v` as TF1's RefVariable builds it: its initial value, the
// VariableV2, `<v>/Assign` of the initial value and the `<v>/read` snapshot.
// Returns its VariableDef, and records its initial value in `initial`.
tensorflow::VariableDef AddVariable(GraphDef* g, const SavedTensorSpec& v,
                                    std::map<std::string, std::string>* initial) {
  const std::string initial_value = AddInitialValue(g, v, *initial);
  (*initial)[v.name] = initial_value;
  NodeDef* var = AddNode(g, v.name, "VariableV2");
  SetType(var, "dtype", v.dtype);
  SetShapeAttr(var, "shape", v.shape);
  (*var->mutable_attr())["container"].set_s("");
  (*var->mutable_attr())["shared_name"].set_s("");
  NodeDef* assign = AddNode(g, v.name + "/Assign", "Assign", {v.name, initial_value});
  SetType(assign, "T", v.dtype);
  (*assign->mutable_attr())["use_locking"].set_b(true);
  (*assign->mutable_attr())["validate_shape"].set_b(true);
  SetType(AddNode(g, v.name + "/read", "Identity", {v.name}), "T", v.dtype);

  tensorflow::VariableDef def;
  def.set_variable_name(v.name + ":0");
  def.set_initial_value_name(initial_value + ":0");
  def.set_initializer_name(v.name + "/Assign");
  def.set_snapshot_name(v.name + "/read:0");
  def.set_trainable(v.trainable);
  return def;
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

tensorflow::MetaGraphDef BuildMetaGraph(const Mlp& model, const std::vector<SavedTensorSpec>& saved,
                                        int max_to_keep) {
  tensorflow::MetaGraphDef meta;
  meta.mutable_meta_info_def()->set_tensorflow_version("1.15.0");
  meta.mutable_meta_info_def()->set_tensorflow_git_version("mnist");
  GraphDef* g = meta.mutable_graph_def();
  AddInput(g, model);
  std::map<std::string, const SavedTensorSpec*> by_name;
  for (const SavedTensorSpec& s : saved) by_name[s.name] = &s;
  std::map<std::string, std::string> initial;  // variable -> its initial value's node
  std::vector<tensorflow::VariableDef> variables;
  for (const Variable& v : model.variables()) {
    auto spec = by_name.find(v.name);
    const SavedTensorSpec own{v.name, tensorflow::DT_FLOAT, v.shape, /*trainable=*/true};
    variables.push_back(AddVariable(g, spec == by_name.end() ? own : *spec->second, &initial));
    if (spec != by_name.end()) by_name.erase(spec);
  }
  AddLayers(g, model, [&](int v) { return model.variables()[v].name + "/read"; });
  for (const auto& [name, spec] : by_name) variables.push_back(AddVariable(g, *spec, &initial));
  std::vector<SavedTensorSpec> sorted = saved;
  std::sort(sorted.begin(), sorted.end(),
            [](const SavedTensorSpec& a, const SavedTensorSpec& b) { return a.name < b.name; });
  AddSaverNodes(g, sorted);

  // What tf.global_variables() and tf.trainable_variables() give after
  // import_meta_graph, in the order the graph creates them.
  auto& collections = *meta.mutable_collection_def();
  for (const tensorflow::VariableDef& def : variables) {
    const std::string bytes = def.SerializeAsString();
    collections["variables"].mutable_bytes_list()->add_value(bytes);
    if (def.trainable()) collections["trainable_variables"].mutable_bytes_list()->add_value(bytes);
  }
  *meta.mutable_meta_info_def()->mutable_stripped_op_list() = StrippedOpList(*g);

  tensorflow::SaverDef* saver = meta.mutable_saver_def();
  saver->set_filename_tensor_name("save/Const:0");
  saver->set_save_tensor_name("save/control_dependency:0");
  saver->set_restore_op_name("save/restore_all");
  saver->set_max_to_keep(max_to_keep);
  saver->set_keep_checkpoint_every_n_hours(10000.0f);
  saver->set_version(tensorflow::SaverDef::V2);
  return meta;
}

}  // namespace mnist

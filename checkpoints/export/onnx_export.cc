#include "checkpoints/export/onnx_export.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include "checkpoints/meta_graph/model_graph.h"
#include "io/base/file.h"

namespace mnist {
namespace {

constexpr char kBatchDim[] = "N";

// A float (or int64) tensor value_info with dims; a negative dim is the batch.
void SetTensorType(onnx::ValueInfoProto* info, const std::string& name, int elem_type,
                   const std::vector<int64_t>& dims) {
  info->set_name(name);
  onnx::TypeProto::Tensor* t = info->mutable_type()->mutable_tensor_type();
  t->set_elem_type(elem_type);
  for (int64_t d : dims) {
    onnx::TensorShapeProto::Dimension* dim = t->mutable_shape()->add_dim();
    if (d < 0) {
      dim->set_dim_param(kBatchDim);
    } else {
      dim->set_dim_value(d);
    }
  }
}

onnx::NodeProto* AddNode(onnx::GraphProto* g, const std::string& name, const std::string& op,
                         const std::vector<std::string>& inputs, const std::string& output) {
  onnx::NodeProto* n = g->add_node();
  n->set_name(name);
  n->set_op_type(op);
  for (const std::string& in : inputs) n->add_input(in);
  n->add_output(output);
  return n;
}

void AddIntAttribute(onnx::NodeProto* node, const std::string& name, int64_t value) {
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

onnx::ModelProto BuildModel(const Mlp& model) {
  onnx::ModelProto m;
  m.set_ir_version(onnx::IR_VERSION);
  m.set_producer_name("mnist");
  m.set_producer_version("0.1.0");
  m.set_doc_string("Dense ReLU classifier, sizes as the initializers say; input pixels / 255.");
  onnx::OperatorSetIdProto* opset = m.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);

  onnx::GraphProto* g = m.mutable_graph();
  g->set_name("mnist");
  SetTensorType(g->add_input(), kInputNode, onnx::TensorProto::FLOAT, {-1, model.input_size()});
  for (const Variable& v : model.variables()) {
    onnx::TensorProto* t = g->add_initializer();
    t->set_name(v.name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : v.shape) t->add_dims(d);
    t->set_raw_data(v.value.data(), sizeof(float) * static_cast<size_t>(v.value.size()));
  }
  std::string previous = kInputNode;
  for (const DenseLayer& layer : model.layers()) {
    const std::string gemm = layer.last ? kLogitsNode : layer.Op("Gemm");
    AddNode(g, layer.Op("Gemm"), "Gemm", {previous, layer.kernel, layer.bias}, gemm);
    previous = gemm;
    if (!layer.last) {
      AddNode(g, layer.Op("Relu"), "Relu", {gemm}, layer.Op("Relu"));
      previous = layer.Op("Relu");
    }
  }
  AddIntAttribute(AddNode(g, kProbabilitiesNode, "Softmax", {kLogitsNode}, kProbabilitiesNode),
                  "axis", -1);
  onnx::NodeProto* argmax = AddNode(g, kPredictionsNode, "ArgMax", {kLogitsNode}, kPredictionsNode);
  AddIntAttribute(argmax, "axis", 1);
  AddIntAttribute(argmax, "keepdims", 0);
  SetTensorType(g->add_output(), kLogitsNode, onnx::TensorProto::FLOAT, {-1, model.num_classes()});
  SetTensorType(g->add_output(), kProbabilitiesNode, onnx::TensorProto::FLOAT,
                {-1, model.num_classes()});
  SetTensorType(g->add_output(), kPredictionsNode, onnx::TensorProto::INT64, {-1});
  return m;
}

}  // namespace

Status ExportOnnx(const Mlp& model, const std::string& path, OnnxExportInfo* info) {
  const onnx::ModelProto m = BuildModel(model);
  try {
    onnx::checker::check_model(m);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(path + ": the ONNX checker rejects the model: " + e.what());
  }
  std::string bytes;
  if (!m.SerializeToString(&bytes))
    return Status::InvalidArgument(path + ": cannot serialize the ModelProto");
  MNIST_RETURN_IF_ERROR(CreateParentDirectories(path));
  MNIST_RETURN_IF_ERROR(WriteFileAtomically(path, bytes));
  if (info != nullptr) {
    info->file_bytes = static_cast<int64_t>(bytes.size());
    info->weight_bytes = 0;
    for (const onnx::TensorProto& t : m.graph().initializer())
      info->weight_bytes += t.raw_data().size();
    info->nodes = m.graph().node_size();
    info->ir_version = m.ir_version();
  }
  return Status::Ok();
}

}  // namespace mnist

#include "checkpoints/meta_graph/op_defs.h"

#include <google/protobuf/text_format.h>

#include <cstdlib>
#include <set>
#include <string>

namespace mnist {
namespace {

// From TensorFlow 1.15's tensorflow/core/ops/ops.pbtxt (Apache-2.0), sorted by
// name, the docs left out as TensorFlow's stripped_op_list leaves them.
constexpr char kOpDefs[] = R"pb(
op {
  name: "Add"
  input_arg { name: "x" type_attr: "T" }
  input_arg { name: "y" type_attr: "T" }
  output_arg { name: "z" type_attr: "T" }
  attr {
    name: "T" type: "type"
    allowed_values { list { type: [DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, DT_UINT8, DT_INT8,
                                   DT_INT16, DT_INT32, DT_INT64, DT_COMPLEX64, DT_COMPLEX128,
                                   DT_STRING] } }
  }
}
op {
  name: "ArgMax"
  input_arg { name: "input" type_attr: "T" }
  input_arg { name: "dimension" type_attr: "Tidx" }
  output_arg { name: "output" type_attr: "output_type" }
  attr {
    name: "T" type: "type"
    allowed_values { list { type: [DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8,
                                   DT_COMPLEX64, DT_INT64, DT_QINT8, DT_QUINT8, DT_QINT32,
                                   DT_BFLOAT16, DT_UINT16, DT_COMPLEX128, DT_HALF, DT_UINT32,
                                   DT_UINT64] } }
  }
  attr {
    name: "Tidx" type: "type" default_value { type: DT_INT32 }
    allowed_values { list { type: [DT_INT32, DT_INT64] } }
  }
  attr {
    name: "output_type" type: "type" default_value { type: DT_INT64 }
    allowed_values { list { type: [DT_INT32, DT_INT64] } }
  }
}
op {
  name: "Assign"
  input_arg { name: "ref" type_attr: "T" is_ref: true }
  input_arg { name: "value" type_attr: "T" }
  output_arg { name: "output_ref" type_attr: "T" is_ref: true }
  attr { name: "T" type: "type" }
  attr { name: "validate_shape" type: "bool" default_value { b: true } }
  attr { name: "use_locking" type: "bool" default_value { b: true } }
  allows_uninitialized_input: true
}
op {
  name: "BiasAdd"
  input_arg { name: "value" type_attr: "T" }
  input_arg { name: "bias" type_attr: "T" }
  output_arg { name: "output" type_attr: "T" }
  attr {
    name: "T" type: "type"
    allowed_values { list { type: [DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8,
                                   DT_COMPLEX64, DT_INT64, DT_QINT8, DT_QUINT8, DT_QINT32,
                                   DT_BFLOAT16, DT_UINT16, DT_COMPLEX128, DT_HALF, DT_UINT32,
                                   DT_UINT64] } }
  }
  attr {
    name: "data_format" type: "string" default_value { s: "NHWC" }
    allowed_values { list { s: ["NHWC", "NCHW"] } }
  }
}
op {
  name: "Const"
  output_arg { name: "output" type_attr: "dtype" }
  attr { name: "value" type: "tensor" }
  attr { name: "dtype" type: "type" }
}
op {
  name: "Identity"
  input_arg { name: "input" type_attr: "T" }
  output_arg { name: "output" type_attr: "T" }
  attr { name: "T" type: "type" }
}
op {
  name: "MatMul"
  input_arg { name: "a" type_attr: "T" }
  input_arg { name: "b" type_attr: "T" }
  output_arg { name: "product" type_attr: "T" }
  attr { name: "transpose_a" type: "bool" default_value { b: false } }
  attr { name: "transpose_b" type: "bool" default_value { b: false } }
  attr {
    name: "T" type: "type"
    allowed_values { list { type: [DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, DT_INT32,
                                   DT_COMPLEX64, DT_COMPLEX128] } }
  }
}
op {
  name: "Mul"
  input_arg { name: "x" type_attr: "T" }
  input_arg { name: "y" type_attr: "T" }
  output_arg { name: "z" type_attr: "T" }
  attr {
    name: "T" type: "type"
    allowed_values { list { type: [DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, DT_UINT8, DT_INT8,
                                   DT_UINT16, DT_INT16, DT_INT32, DT_INT64, DT_COMPLEX64,
                                   DT_COMPLEX128] } }
  }
  is_commutative: true
}
op { name: "NoOp" }
op {
  name: "Placeholder"
  output_arg { name: "output" type_attr: "dtype" }
  attr { name: "dtype" type: "type" }
  attr { name: "shape" type: "shape" default_value { shape { unknown_rank: true } } }
}
op {
  name: "Relu"
  input_arg { name: "features" type_attr: "T" }
  output_arg { name: "activations" type_attr: "T" }
  attr {
    name: "T" type: "type"
    allowed_values { list { type: [DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8,
                                   DT_INT64, DT_BFLOAT16, DT_UINT16, DT_HALF, DT_UINT32,
                                   DT_UINT64, DT_QINT8] } }
  }
}
op {
  name: "RestoreV2"
  input_arg { name: "prefix" type: DT_STRING }
  input_arg { name: "tensor_names" type: DT_STRING }
  input_arg { name: "shape_and_slices" type: DT_STRING }
  output_arg { name: "tensors" type_list_attr: "dtypes" }
  attr { name: "dtypes" type: "list(type)" has_minimum: true minimum: 1 }
  is_stateful: true
}
op {
  name: "SaveV2"
  input_arg { name: "prefix" type: DT_STRING }
  input_arg { name: "tensor_names" type: DT_STRING }
  input_arg { name: "shape_and_slices" type: DT_STRING }
  input_arg { name: "tensors" type_list_attr: "dtypes" }
  attr { name: "dtypes" type: "list(type)" has_minimum: true minimum: 1 }
  is_stateful: true
}
op {
  name: "Softmax"
  input_arg { name: "logits" type_attr: "T" }
  output_arg { name: "softmax" type_attr: "T" }
  attr {
    name: "T" type: "type"
    allowed_values { list { type: [DT_HALF, DT_BFLOAT16, DT_FLOAT, DT_DOUBLE] } }
  }
}
op {
  name: "TruncatedNormal"
  input_arg { name: "shape" type_attr: "T" }
  output_arg { name: "output" type_attr: "dtype" }
  attr { name: "seed" type: "int" default_value { i: 0 } }
  attr { name: "seed2" type: "int" default_value { i: 0 } }
  attr {
    name: "dtype" type: "type"
    allowed_values { list { type: [DT_HALF, DT_BFLOAT16, DT_FLOAT, DT_DOUBLE] } }
  }
  attr {
    name: "T" type: "type"
    allowed_values { list { type: [DT_INT32, DT_INT64] } }
  }
  is_stateful: true
}
op {
  name: "VariableV2"
  output_arg { name: "ref" type_attr: "dtype" is_ref: true }
  attr { name: "shape" type: "shape" }
  attr { name: "dtype" type: "type" }
  attr { name: "container" type: "string" default_value { s: "" } }
  attr { name: "shared_name" type: "string" default_value { s: "" } }
  is_stateful: true
}
)pb";

// Every OpDef of the table above, sorted by name.
const tensorflow::OpList& KnownOpDefs() {
  static const tensorflow::OpList* const kList = [] {
    auto* list = new tensorflow::OpList;
    // The text above is part of the program: a parse failure is a bug in it.
    if (!google::protobuf::TextFormat::ParseFromString(kOpDefs, list)) std::abort();
    return list;
  }();
  return *kList;
}

}  // namespace

tensorflow::OpList StrippedOpList(const tensorflow::GraphDef& graph) {
  std::set<std::string> used;
  for (const tensorflow::NodeDef& node : graph.node()) used.insert(node.op());
  tensorflow::OpList stripped;
  for (const tensorflow::OpDef& op : KnownOpDefs().op()) {
    if (used.count(op.name()) != 0) *stripped.add_op() = op;
  }
  return stripped;
}

}  // namespace mnist

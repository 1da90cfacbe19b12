#include "nn/graph/op_kernels.h"

#include <algorithm>

#include "nn/graph/graph_broadcast.h"

#include "io/base/strings.h"

namespace mnist {
namespace ops {

using tensorflow::DataType;

const std::vector<DataType> kFloat = {tensorflow::DT_FLOAT};
const std::vector<DataType> kAny = {tensorflow::DT_FLOAT, tensorflow::DT_INT32,
                                    tensorflow::DT_INT64};
const std::vector<DataType> kIndex = {tensorflow::DT_INT32, tensorflow::DT_INT64};
const std::vector<DataType> kAll = {tensorflow::DT_FLOAT, tensorflow::DT_INT32,
                                    tensorflow::DT_INT64, tensorflow::DT_BOOL};

Status Invalid(const std::string& what) { return Status::FailedPrecondition(what); }

std::string Describe(const TensorSpec& s) {
  return DtypeName(s.dtype) + " " + ShapeString(s.shape, s.unknown_rank);
}

Status CheckDtype(const tensorflow::NodeDef& node, const Specs& in, size_t i,
                  std::vector<DataType> allowed) {
  if (std::find(allowed.begin(), allowed.end(), in[i].dtype) == allowed.end()) {
    std::vector<std::string> names;
    for (DataType t : allowed) names.push_back(DtypeName(t));
    return Invalid("input " + std::to_string(i) + " is " + Describe(in[i]) + ", expected " +
                   StrJoin(names, " or "));
  }
  auto t = node.attr().find("T");
  if (i == 0 && t != node.attr().end() && t->second.type() != in[0].dtype) {
    return Invalid("attr T is " + DtypeName(t->second.type()) + " but input 0 is " +
                   DtypeName(in[0].dtype));
  }
  return Status::Ok();
}

bool AttrBool(const tensorflow::NodeDef& node, const std::string& name) {
  auto it = node.attr().find(name);
  return it != node.attr().end() && it->second.b();
}

DataType AttrType(const tensorflow::NodeDef& node, const std::string& name, DataType absent) {
  auto it = node.attr().find(name);
  if (it == node.attr().end()) return absent;
  if (it->second.value_case() != tensorflow::AttrValue::kType) return tensorflow::DT_INVALID;
  return it->second.type();
}

tensorflow::DataType OutputDtypeT(const tensorflow::NodeDef& node) { return AttrType(node, "T"); }

StatusOr<TensorSpec> InferBroadcast(const tensorflow::NodeDef& node, const Specs& in,
                                    DataType dtype) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 1, {in[0].dtype}));
  TensorSpec out{dtype, {}, in[0].unknown_rank || in[1].unknown_rank, nullptr};
  if (out.unknown_rank) return out;
  StatusOr<std::vector<int64_t>> shape = BroadcastShape(in[0].shape, in[1].shape);
  if (!shape.ok()) return shape.status();
  out.shape = std::move(*shape);
  return out;
}

StatusOr<TensorSpec> Like(const TensorSpec& in) {
  TensorSpec out = in;
  out.value.reset();
  return out;
}

std::shared_ptr<Tensor> NewTensor(const TensorSpec& spec) {
  auto t = std::make_shared<Tensor>();
  t->dtype = spec.dtype;
  t->shape = spec.shape;
  t->Allocate();
  return t;
}

}  // namespace ops
}  // namespace mnist

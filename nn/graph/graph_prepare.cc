// ImportedGraph::Prepare: what import knows of each node's output before the
// graph runs (nn/graph/graph_import.h).
#include "nn/graph/graph_import.h"

#include <algorithm>

#include "nn/graph/graph_ops.h"
#include "nn/graph/graph_static_spec.h"
#include "nn/graph/op_kernels.h"
#include "io/base/strings.h"

namespace mnist {

using tensorflow::NodeDef;

Status ImportedGraph::Prepare(Node* node) {
  const NodeDef& def = node->def;
  auto attr = [&](const char* name) {
    return def.attr().count(name) ? &def.attr().at(name) : nullptr;
  };
  if (node->feed >= 0 || def.op() == "Placeholder") {
    if (node->feed < 0) {
      // The feeds chosen leave it out: a wrong --input, not a broken graph.
      return Status::InvalidArgument(
          Error(*node, "a placeholder the outputs need, but not fed (" +
                           (input_names_.empty() ? std::string("nothing is fed")
                                                 : "fed: " + StrJoin(input_names_, ", ")) +
                           ")")
              .message());
    }
    // The output dtype the node's attrs declare: a placeholder's or
    // constant's dtype, what an op we run declares (OpKernel::output_dtype),
    // else DstT or T; Select replaces it with what the graph infers when it can.
    const OpKernel* kernel = FindOpKernel(def.op());
    const tensorflow::DataType dtype =
        def.op() == "Placeholder" || def.op() == "Const" ? ops::AttrType(def, "dtype")
        : kernel != nullptr                               ? kernel->output_dtype(def)
                                                          : ops::AttrType(def, "DstT", ops::AttrType(def, "T"));
    if (!IsSupportedDtype(dtype)) {
      return Error(*node, "fed, but its dtype is " +
                              (dtype != tensorflow::DT_INVALID ? DtypeName(dtype) : "not given") +
                              " (DT_FLOAT, DT_INT32, DT_INT64 or DT_BOOL can be fed)");
    }
    // Another fed node takes what it would produce: Select sets that.
    node->spec = def.op() == "Placeholder" ? PlaceholderSpec(def, producer_)
                                           : TensorSpec{dtype, {}, true, nullptr};
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
  node->kernel = FindOpKernel(def.op());  // Select checked every op it prepares is supported
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

}  // namespace mnist

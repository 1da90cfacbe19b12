#include "checkpoints/meta_graph/graph_layer_sizes.h"

#include <map>

#include "nn/graph/graph_edges.h"
#include "nn/network/dense_layers.h"

namespace mnist {
namespace {

using tensorflow::GraphDef;
using tensorflow::NodeDef;

// Layer `layer` computes BiasAdd(MatMul(x, kernel), bias), the kernel read
// directly or through an Identity `<kernel>/read` (tf.layers.dense's graph).
Status CheckLayerOps(const std::map<std::string, const NodeDef*>& nodes, const DenseLayer& layer,
                     const std::string& where) {
  auto reads = [&](const std::string& op_name, int input, const std::vector<std::string>& from) {
    auto it = nodes.find(op_name);
    if (it == nodes.end() || it->second->input_size() <= input) return false;
    for (const std::string& f : from) {
      if (it->second->input(input) == f) return true;
    }
    return false;
  };
  const std::string& kernel = layer.kernel;
  const std::string& bias = layer.bias;
  if (!reads(layer.Op("MatMul"), 1, {kernel, kernel + "/read"}) ||
      !reads(layer.Op("BiasAdd"), 0, {layer.Op("MatMul")}) ||
      !reads(layer.Op("BiasAdd"), 1, {bias, bias + "/read"})) {
    return Status::DataLoss(where + ": layer " + layer.name + " is not " + layer.Op("BiasAdd") +
                            "(" + layer.Op("MatMul") + "(x, " + kernel + "), " + bias + ")");
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

StatusOr<std::vector<int>> LayerSizesFromGraph(const GraphDef& graph, const std::string& where) {
  // Size first (CheckGraphSize), then names and inputs: no dangling one.
  MNIST_RETURN_IF_ERROR(ReadGraphEdges(graph, where).status());
  std::map<std::string, const NodeDef*> nodes;
  for (const NodeDef& n : graph.node()) nodes[n.name()] = &n;
  std::vector<int> sizes;
  for (int l = 0;; ++l) {
    const DenseLayer layer = NamedDenseLayer(l);
    auto kernel = nodes.find(layer.kernel);
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
    auto bias = nodes.find(layer.bias);
    std::vector<int64_t> bias_shape;
    if (bias != nodes.end()) MNIST_RETURN_IF_ERROR(WeightShape(*bias->second, where, &bias_shape));
    if (bias_shape != std::vector<int64_t>{out}) {
      return Status::DataLoss(where + ": no node " + layer.bias + " of shape [" +
                              std::to_string(out) + "] beside " + kernel->first);
    }
    MNIST_RETURN_IF_ERROR(CheckLayerOps(nodes, layer, where));
    sizes.push_back(out);
  }
  if (sizes.size() < 2) {
    return Status::DataLoss(where + ": no " + NamedDenseLayer(0).kernel + " node, so no network to rebuild (a TensorFlow "
                            "graph?)");
  }
  // The output layer has no ReLU: one after the last kernel found means a
  // layer is missing.
  const DenseLayer last = NamedDenseLayer(static_cast<int>(sizes.size()) - 2);
  if (nodes.count(last.Op("Relu")) != 0) {
    return Status::DataLoss(where + ": " + last.Op("Relu") + " feeds a next layer, but there is no " +
                            NamedDenseLayer(static_cast<int>(sizes.size()) - 1).kernel);
  }
  return sizes;
}

}  // namespace mnist

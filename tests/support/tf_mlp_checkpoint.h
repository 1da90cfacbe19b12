// A checkpoint as TensorFlow 1's MNIST MLP tutorial (mnist.py inference() and
// training(), saved by fully_connected_feed.py's tf.train.Saver) leaves it:
// a training graph in `<prefix>.meta` and the variables in the bundle.
//
//   Placeholder [batch, 784] float, Placeholder_1 [batch] int32 (labels)
//   hidden1/weights, hidden1/biases      VariableV2 (+ Assign, /read Identity)
//   hidden1/MatMul = MatMul(Placeholder, hidden1/weights/read)
//   hidden1/add    = Add(hidden1/MatMul, hidden1/biases/read), hidden1/Relu
//   hidden2/..., softmax_linear/weights, softmax_linear/biases, softmax_linear/add
//   loss, gradients, GradientDescent, global_step and the saver's nodes,
//   including ops the executor does not run (TruncatedNormal, Mean, ...)
// The weights are `model`'s, under those names; so `softmax_linear/add` gives
// exactly the logits of `model`, through Add instead of BiasAdd.
#ifndef MNIST_TESTS_SUPPORT_TF_MLP_CHECKPOINT_H_
#define MNIST_TESTS_SUPPORT_TF_MLP_CHECKPOINT_H_

#include <gtest/gtest.h>

#include <string>

#include "checkpoints/state/naming.h"
#include "io/bundle/bundle_writer.h"
#include "io/base/file.h"
#include "io/proto/meta_graph.pb.h"
#include "nn/network/mlp.h"
#include "tests/support/graph_builder.h"

namespace mnist {
namespace testing {

// "hidden1", "hidden2", ..., "softmax_linear" for the last of `layers`.
inline std::string TfLayerName(int layer, int layers) {
  return layer + 1 == layers ? "softmax_linear" : "hidden" + std::to_string(layer + 1);
}

inline tensorflow::NodeDef* AddTfNode(tensorflow::GraphDef* g, const std::string& name, const std::string& op,
                                      std::vector<std::string> inputs = {}) {
  tensorflow::NodeDef* n = AddNode(g, name, op, std::move(inputs));
  SetType(n, "T", tensorflow::DT_FLOAT);
  return n;
}

inline void AddTfVariable(tensorflow::GraphDef* g, const std::string& name, const std::vector<int64_t>& shape,
                          const std::string& initial_value) {
  tensorflow::NodeDef* v = AddTfNode(g, name, "VariableV2");
  v->mutable_attr()->erase("T");
  (*v->mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
  for (int64_t d : shape) (*v->mutable_attr())["shape"].mutable_shape()->add_dim()->set_size(d);
  AddTfNode(g, name + "/Assign", "Assign", {name, initial_value});
  AddTfNode(g, name + "/read", "Identity", {name})->add_input("^" + name + "/Assign");
}

// Writes `<prefix>.meta` and the bundle. `batch` is the placeholders' first
// dim (-1 for any, as tf.placeholder(shape=(None, 784)); the tutorial fixes it).
inline void WriteTensorFlowMlpCheckpoint(const Mlp& model, const std::string& prefix, int64_t batch) {
  tensorflow::MetaGraphDef meta;
  meta.mutable_meta_info_def()->set_tensorflow_version("1.4.0");
  tensorflow::GraphDef* g = meta.mutable_graph_def();
  g->mutable_versions()->set_producer(24);
  tensorflow::NodeDef* x = AddTfNode(g, "Placeholder", "Placeholder");
  x->mutable_attr()->erase("T");
  (*x->mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
  (*x->mutable_attr())["shape"].mutable_shape()->add_dim()->set_size(batch);
  (*x->mutable_attr())["shape"].mutable_shape()->add_dim()->set_size(model.input_size());
  tensorflow::NodeDef* y = AddTfNode(g, "Placeholder_1", "Placeholder");
  (*y->mutable_attr())["dtype"].set_type(tensorflow::DT_INT32);
  (*y->mutable_attr())["shape"].mutable_shape()->add_dim()->set_size(batch);

  ASSERT_TRUE(CreateDirectories(prefix.substr(0, prefix.rfind('/'))).ok());
  BundleWriter writer(prefix);
  std::string previous = "Placeholder";
  const int layers = model.num_layers();
  for (int l = 0; l < layers; ++l) {
    const std::string scope = TfLayerName(l, layers);
    const Variable& kernel = model.variables()[2 * l];
    const Variable& bias = model.variables()[2 * l + 1];
    AddTfNode(g, scope + "/truncated_normal/TruncatedNormal", "TruncatedNormal");
    AddTfVariable(g, scope + "/weights", kernel.shape, scope + "/truncated_normal/TruncatedNormal");
    AddTfNode(g, scope + "/zeros", "Const");
    AddTfVariable(g, scope + "/biases", bias.shape, scope + "/zeros");
    AddTfNode(g, scope + "/MatMul", "MatMul", {previous, scope + "/weights/read"});
    AddTfNode(g, scope + "/add", "Add", {scope + "/MatMul", scope + "/biases/read"});
    previous = scope + "/add";
    if (l + 1 < layers) {
      AddTfNode(g, scope + "/Relu", "Relu", {previous});
      previous = scope + "/Relu";
    }
    ASSERT_TRUE(writer.Add(scope + "/weights", tensorflow::DT_FLOAT, kernel.shape, kernel.value.data(),
                           sizeof(float) * kernel.value.size()).ok());
    ASSERT_TRUE(writer.Add(scope + "/biases", tensorflow::DT_FLOAT, bias.shape, bias.value.data(),
                           sizeof(float) * bias.value.size()).ok());
  }
  // The training half: loss, gradients (which read the activations too), the
  // optimizer, the step counter and the saver.
  AddTfNode(g, "ToInt64", "Cast", {"Placeholder_1"});
  AddTfNode(g, "xentropy", "SparseSoftmaxCrossEntropyWithLogits", {previous, "ToInt64"});
  AddTfNode(g, "xentropy_mean", "Mean", {"xentropy"});
  AddTfNode(g, "gradients/softmax_linear/MatMul_grad/MatMul_1", "MatMul", {"hidden1/Relu", "xentropy:1"});
  AddTfNode(g, "global_step", "VariableV2");
  AddTfNode(g, "GradientDescent/update", "ApplyGradientDescent",
            {"softmax_linear/weights", "gradients/softmax_linear/MatMul_grad/MatMul_1"});
  AddTfNode(g, "GradientDescent", "AssignAdd", {"global_step", "^GradientDescent/update"});
  AddTfNode(g, "save/SaveV2", "SaveV2", {"hidden1/weights", "softmax_linear/biases"});
  AddTfNode(g, "save/restore_all", "NoOp", {"^save/SaveV2"});
  const int64_t step = 1999;
  ASSERT_TRUE(writer.Add("global_step", tensorflow::DT_INT64, {}, &step, sizeof(step)).ok());
  ASSERT_TRUE(writer.Finish().ok());
  ASSERT_TRUE(WriteFileAtomically(MetaFilename(prefix), meta.SerializeAsString()).ok());
}

}  // namespace testing
}  // namespace mnist

#endif  // MNIST_TESTS_SUPPORT_TF_MLP_CHECKPOINT_H_

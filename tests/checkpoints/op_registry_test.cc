// Our graphs against TensorFlow's op registry rules, and our .meta as
// TensorFlow's Saver writes one (checkpoints/meta_graph/model_graph.h).
//
// The table below holds the OpDefs of the ops we emit (from TensorFlow 1.15's
// tensorflow/core/ops/ops.pbtxt): their attrs with their types, and their
// input and output args. Every node of a trained run's .meta and of its
// frozen graph must pass what TensorFlow checks when it imports a graph
// (ValidateNodeDef, and the input types of the graph it builds): each attr of
// the OpDef present with a value of its type and no unknown one, as many data
// inputs as the args say, each of the dtype the arg wants. Then the .meta's
// collections are decoded: every name in them resolves to a node of the
// graph, and stripped_op_list is exactly the ops used.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checkpoints/meta_graph/meta_graph_file.h"
#include "checkpoints/state/naming.h"
#include "io/bundle/bundle_reader.h"
#include "io/proto/graph.pb.h"
#include "io/proto/meta_graph.pb.h"
#include "io/proto/variable.pb.h"
#include "nn/graph/tensor_name.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::RunMnist;
using testing::TempDir;
using tensorflow::DataType;

// One input or output arg: a tensor of a fixed type, a tensor typed by the
// type attr `type_attr`, or one tensor per type of the list(type) attr
// `list_attr`.
struct Arg {
  DataType type = tensorflow::DT_INVALID;
  const char* type_attr = nullptr;
  const char* list_attr = nullptr;
};
Arg Fixed(DataType t) { return {t, nullptr, nullptr}; }
Arg Typed(const char* attr) { return {tensorflow::DT_INVALID, attr, nullptr}; }
Arg Listed(const char* attr) { return {tensorflow::DT_INVALID, nullptr, attr}; }

struct OpSpec {
  std::map<std::string, std::string> attrs;  // name -> type, as the OpDef says
  std::vector<Arg> inputs;
  std::vector<Arg> outputs;
};

const std::map<std::string, OpSpec>& OpTable() {
  static const auto* table = new std::map<std::string, OpSpec>{
      {"Add", {{{"T", "type"}}, {Typed("T"), Typed("T")}, {Typed("T")}}},
      {"ArgMax",
       {{{"T", "type"}, {"Tidx", "type"}, {"output_type", "type"}},
        {Typed("T"), Typed("Tidx")},
        {Typed("output_type")}}},
      {"Assign",
       {{{"T", "type"}, {"validate_shape", "bool"}, {"use_locking", "bool"}},
        {Typed("T"), Typed("T")},
        {Typed("T")}}},
      {"BiasAdd", {{{"T", "type"}, {"data_format", "string"}}, {Typed("T"), Typed("T")}, {Typed("T")}}},
      {"Const", {{{"value", "tensor"}, {"dtype", "type"}}, {}, {Typed("dtype")}}},
      {"Identity", {{{"T", "type"}}, {Typed("T")}, {Typed("T")}}},
      {"MatMul",
       {{{"T", "type"}, {"transpose_a", "bool"}, {"transpose_b", "bool"}},
        {Typed("T"), Typed("T")},
        {Typed("T")}}},
      {"Mul", {{{"T", "type"}}, {Typed("T"), Typed("T")}, {Typed("T")}}},
      {"NoOp", {{}, {}, {}}},
      {"Placeholder", {{{"dtype", "type"}, {"shape", "shape"}}, {}, {Typed("dtype")}}},
      {"Relu", {{{"T", "type"}}, {Typed("T")}, {Typed("T")}}},
      {"RestoreV2",
       {{{"dtypes", "list(type)"}},
        {Fixed(tensorflow::DT_STRING), Fixed(tensorflow::DT_STRING), Fixed(tensorflow::DT_STRING)},
        {Listed("dtypes")}}},
      {"SaveV2",
       {{{"dtypes", "list(type)"}},
        {Fixed(tensorflow::DT_STRING), Fixed(tensorflow::DT_STRING), Fixed(tensorflow::DT_STRING),
         Listed("dtypes")},
        {}}},
      {"Softmax", {{{"T", "type"}}, {Typed("T")}, {Typed("T")}}},
      {"TruncatedNormal",
       {{{"seed", "int"}, {"seed2", "int"}, {"dtype", "type"}, {"T", "type"}},
        {Typed("T")},
        {Typed("dtype")}}},
      {"VariableV2",
       {{{"shape", "shape"}, {"dtype", "type"}, {"container", "string"}, {"shared_name", "string"}},
        {},
        {Typed("dtype")}}},
  };
  return *table;
}

// Whether `value` holds a value of OpDef attr type `type`.
bool HasType(const tensorflow::AttrValue& value, const std::string& type) {
  using V = tensorflow::AttrValue;
  if (type == "type") return value.value_case() == V::kType;
  if (type == "bool") return value.value_case() == V::kB;
  if (type == "int") return value.value_case() == V::kI;
  if (type == "string") return value.value_case() == V::kS;
  if (type == "shape") return value.value_case() == V::kShape;
  if (type == "tensor") return value.value_case() == V::kTensor;
  if (type == "list(type)") return value.value_case() == V::kList;
  return false;
}

// The dtypes of the tensors `args` stand for on `node` (a list arg: each of
// its attr's types).
std::vector<DataType> ArgTypes(const tensorflow::NodeDef& node, const std::vector<Arg>& args) {
  std::vector<DataType> types;
  for (const Arg& arg : args) {
    if (arg.list_attr != nullptr) {
      for (int t : node.attr().at(arg.list_attr).list().type()) types.push_back(static_cast<DataType>(t));
    } else if (arg.type_attr != nullptr) {
      types.push_back(node.attr().at(arg.type_attr).type());
    } else {
      types.push_back(arg.type);
    }
  }
  return types;
}

// Checks every node of `graph` against the table; `what` names the graph.
void CheckGraphAgainstOpTable(const tensorflow::GraphDef& graph, const std::string& what) {
  std::map<std::string, const tensorflow::NodeDef*> nodes;
  for (const tensorflow::NodeDef& n : graph.node()) nodes[n.name()] = &n;
  for (const tensorflow::NodeDef& node : graph.node()) {
    SCOPED_TRACE(what + ": node " + node.name() + " (" + node.op() + ")");
    auto op = OpTable().find(node.op());
    ASSERT_NE(op, OpTable().end()) << "an op the table lacks";
    const OpSpec& spec = op->second;
    bool typed = true;
    for (const auto& [name, type] : spec.attrs) {
      auto attr = node.attr().find(name);
      const bool ok = attr != node.attr().end() && HasType(attr->second, type);
      EXPECT_TRUE(ok) << (attr == node.attr().end() ? "no attr " : "a bad attr ") << name;
      typed = typed && ok;
    }
    if (!typed) continue;
    for (const auto& [name, value] : node.attr()) {
      EXPECT_TRUE(spec.attrs.count(name) != 0 || name[0] == '_') << "attr " << name << " not in the OpDef";
    }
    std::vector<std::string> data;      // as written, for messages
    std::vector<TensorName> data_names;  // parsed
    bool control_seen = false;
    for (const std::string& input : node.input()) {
      const std::optional<TensorName> name = ParseTensorName(input);
      ASSERT_TRUE(name.has_value()) << "input " << input << " is no tensor name";
      if (name->control) {
        control_seen = true;
        continue;
      }
      EXPECT_FALSE(control_seen) << "data input " << input << " after a control input";
      data.push_back(input);
      data_names.push_back(*name);
    }
    const std::vector<DataType> wanted = ArgTypes(node, spec.inputs);
    EXPECT_EQ(data.size(), wanted.size()) << "input count";
    if (data.size() != wanted.size()) continue;
    for (size_t i = 0; i < data.size(); ++i) {
      const TensorName* name = &data_names[i];
      const size_t index = static_cast<size_t>(name->output);
      ASSERT_EQ(nodes.count(name->node), 1u) << "input " << data[i] << " names no node";
      const tensorflow::NodeDef& producer = *nodes.at(name->node);
      const std::vector<DataType> given = ArgTypes(producer, OpTable().at(producer.op()).outputs);
      ASSERT_LT(index, given.size()) << "input " << data[i] << ": no such output";
      EXPECT_EQ(given[index], wanted[i]) << "input " << i << " (" << data[i] << ") dtype";
    }
  }
}

// Strips ":0" off a tensor name; fails on another output.
std::string NodeOfOutput0(const std::string& tensor) {
  EXPECT_GE(tensor.size(), 2u);
  EXPECT_EQ(tensor.substr(tensor.size() - 2), ":0") << tensor;
  return tensor.substr(0, tensor.size() - 2);
}

// A trained run (with EMA shadows and --max-to-keep 2), its .meta and its
// frozen graph.
class OpRegistryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    testing::WriteSyntheticMnist(*dir_ / "data", 200, 50, false);
    std::string out;
    ASSERT_EQ(RunMnist(TrainFlags("ckpt"), &out), 0) << out;
    ASSERT_EQ(RunMnist("--freeze --ckpt-dir " + (*dir_ / "ckpt") + " --output " + (*dir_ / "m.pb"), &out), 0)
        << out;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string TrainFlags(const std::string& ckpt) {
    return "--train --epochs 1 --hidden 8 --threads 2 --validation-size 0 --max-to-keep 2 "
           "--ema-decay 0.9 --data-dir " + (*dir_ / "data") + " --ckpt-dir " + (*dir_ / ckpt);
  }
  static std::string Prefix(const std::string& ckpt) {
    for (const auto& entry : std::filesystem::directory_iterator(*dir_ / ckpt)) {
      const std::string name = entry.path().filename();
      if (name.rfind(kBestBasename, 0) == 0 && entry.path().extension() == ".meta") {
        return entry.path().parent_path() / entry.path().stem();
      }
    }
    ADD_FAILURE() << "no " << kBestBasename << "-N.meta in " << (*dir_ / ckpt);
    return "";
  }
  static tensorflow::MetaGraphDef Meta() {
    StatusOr<tensorflow::MetaGraphDef> meta = ReadMetaGraphFile(MetaFilename(Prefix("ckpt")));
    EXPECT_TRUE(meta.ok()) << meta.status().ToString();
    return meta.ok() ? *meta : tensorflow::MetaGraphDef();
  }
  static std::map<std::string, const tensorflow::NodeDef*> Nodes(const tensorflow::GraphDef& g) {
    std::map<std::string, const tensorflow::NodeDef*> nodes;
    for (const tensorflow::NodeDef& n : g.node()) nodes[n.name()] = &n;
    return nodes;
  }
  static std::vector<tensorflow::VariableDef> Collection(const tensorflow::MetaGraphDef& meta,
                                                         const std::string& key) {
    std::vector<tensorflow::VariableDef> defs;
    auto it = meta.collection_def().find(key);
    EXPECT_NE(it, meta.collection_def().end()) << "no collection " << key;
    if (it == meta.collection_def().end()) return defs;
    for (const std::string& bytes : it->second.bytes_list().value()) {
      defs.emplace_back();
      EXPECT_TRUE(defs.back().ParseFromString(bytes));
    }
    return defs;
  }
  static TempDir* dir_;
};
TempDir* OpRegistryTest::dir_ = nullptr;

TEST_F(OpRegistryTest, MetaGraphPassesTheOpRegistryRules) {
  CheckGraphAgainstOpTable(Meta().graph_def(), "the .meta");
}

TEST_F(OpRegistryTest, FrozenGraphPassesTheOpRegistryRules) {
  tensorflow::GraphDef frozen;
  ASSERT_TRUE(frozen.ParseFromString(testing::ReadFileOrDie(*dir_ / "m.pb")));
  CheckGraphAgainstOpTable(frozen, "the frozen graph");
}

// The table catches what TensorFlow's import rejects.
TEST_F(OpRegistryTest, TheCheckFailsOnABrokenNode) {
  tensorflow::GraphDef bad = Meta().graph_def();
  for (tensorflow::NodeDef& n : *bad.mutable_node()) {
    if (n.name() == "dense/MatMul") n.mutable_attr()->erase("transpose_b");
  }
  EXPECT_NONFATAL_FAILURE(CheckGraphAgainstOpTable(bad, "broken"), "no attr transpose_b");
  bad = Meta().graph_def();
  for (tensorflow::NodeDef& n : *bad.mutable_node()) {
    if (n.name() == "save/SaveV2") n.mutable_attr()->at("dtypes").mutable_list()->add_type(tensorflow::DT_FLOAT);
  }
  EXPECT_NONFATAL_FAILURE(CheckGraphAgainstOpTable(bad, "broken"), "input count");
}

TEST_F(OpRegistryTest, StrippedOpListIsExactlyTheOpsUsedWithTheirDefs) {
  const tensorflow::MetaGraphDef meta = Meta();
  std::set<std::string> used;
  for (const tensorflow::NodeDef& n : meta.graph_def().node()) used.insert(n.op());
  std::vector<std::string> listed;
  for (const tensorflow::OpDef& op : meta.meta_info_def().stripped_op_list().op()) {
    listed.push_back(op.name());
    SCOPED_TRACE("OpDef " + op.name());
    ASSERT_EQ(OpTable().count(op.name()), 1u);
    const OpSpec& spec = OpTable().at(op.name());
    std::map<std::string, std::string> attrs;
    for (const tensorflow::OpDef::AttrDef& a : op.attr()) attrs[a.name()] = a.type();
    EXPECT_EQ(attrs, spec.attrs);
    EXPECT_EQ(op.input_arg_size(), static_cast<int>(spec.inputs.size()));
    EXPECT_EQ(op.output_arg_size(), static_cast<int>(spec.outputs.size()));
  }
  EXPECT_EQ(listed, std::vector<std::string>(used.begin(), used.end()));  // sorted, one each
}

TEST_F(OpRegistryTest, CollectionsNameTheVariablesTheirInitializersAndSnapshots) {
  const tensorflow::MetaGraphDef meta = Meta();
  const auto nodes = Nodes(meta.graph_def());
  auto node = [&](const std::string& name) -> const tensorflow::NodeDef& {
    static const tensorflow::NodeDef kNone;
    auto it = nodes.find(name);
    EXPECT_NE(it, nodes.end()) << name << " names no node";
    return it == nodes.end() ? kNone : *it->second;
  };
  std::set<std::string> variables;
  for (const tensorflow::VariableDef& def : Collection(meta, "variables")) {
    const std::string var = NodeOfOutput0(def.variable_name());
    SCOPED_TRACE("variable " + var);
    EXPECT_EQ(node(var).op(), "VariableV2");
    EXPECT_FALSE(def.is_resource());
    const tensorflow::NodeDef& read = node(NodeOfOutput0(def.snapshot_name()));
    EXPECT_EQ(read.op(), "Identity");
    EXPECT_EQ(read.input(0), var);
    const tensorflow::NodeDef& assign = node(def.initializer_name());
    EXPECT_EQ(assign.op(), "Assign");
    ASSERT_EQ(assign.input_size(), 2);
    EXPECT_EQ(assign.input(0), var);
    EXPECT_EQ(assign.input(1), NodeOfOutput0(def.initial_value_name()));
    node(assign.input(1));
    variables.insert(var);
  }
  // Every variable of the graph, which is every tensor of the checkpoint.
  std::set<std::string> graph_variables;
  for (const tensorflow::NodeDef& n : meta.graph_def().node()) {
    if (n.op() == "VariableV2") graph_variables.insert(n.name());
  }
  EXPECT_EQ(variables, graph_variables);
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(Prefix("ckpt"));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const std::vector<std::string> keys = (*reader)->Keys();
  EXPECT_EQ(variables, std::set<std::string>(keys.begin(), keys.end()));
  EXPECT_EQ(variables.count("global_step"), 1u);
  EXPECT_EQ(variables.count("beta1_power"), 1u);
  EXPECT_EQ(variables.count("dense/kernel/Adam_1"), 1u);
  EXPECT_EQ(variables.count("dense/kernel/ExponentialMovingAverage"), 1u);

  std::vector<std::string> trainable;
  for (const tensorflow::VariableDef& def : Collection(meta, "trainable_variables")) {
    EXPECT_TRUE(def.trainable());
    trainable.push_back(NodeOfOutput0(def.variable_name()));
  }
  EXPECT_EQ(trainable, (std::vector<std::string>{"dense/kernel", "dense/bias", "dense_1/kernel",
                                                 "dense_1/bias"}));
  EXPECT_EQ(meta.saver_def().max_to_keep(), 2);  // the run's --max-to-keep
}

TEST_F(OpRegistryTest, InitializersAreTruncatedNormalForKernelsAndZerosOrBetasElsewhere) {
  const tensorflow::MetaGraphDef meta = Meta();
  const auto nodes = Nodes(meta.graph_def());
  std::map<std::string, std::string> initial;  // variable -> initial value node
  for (const tensorflow::VariableDef& def : Collection(meta, "variables")) {
    initial[NodeOfOutput0(def.variable_name())] = NodeOfOutput0(def.initial_value_name());
  }
  const std::string normal = "dense/kernel/Initializer/truncated_normal";
  EXPECT_EQ(initial["dense/kernel"], normal);
  ASSERT_EQ(nodes.count(normal), 1u);
  EXPECT_EQ(nodes.at(normal)->op(), "Add");
  EXPECT_EQ(nodes.at(normal + "/mul")->op(), "Mul");
  EXPECT_EQ(nodes.at(normal + "/TruncatedNormal")->input(0), normal + "/shape");
  EXPECT_FLOAT_EQ(nodes.at(normal + "/stddev")->attr().at("value").tensor().float_val(0), 0.01f);
  const tensorflow::TensorProto& shape = nodes.at(normal + "/shape")->attr().at("value").tensor();
  EXPECT_EQ(shape.tensor_content().size(), 2 * sizeof(int32_t));  // [784, 8]

  EXPECT_EQ(initial["dense/bias"], "dense/bias/Initializer/zeros");
  EXPECT_EQ(initial["dense/kernel/Adam"], "dense/kernel/Adam/Initializer/zeros");
  EXPECT_EQ(initial["global_step"], "global_step/Initializer/zeros");
  EXPECT_EQ(nodes.at("global_step/Initializer/zeros")->attr().at("dtype").type(), tensorflow::DT_INT64);
  EXPECT_EQ(initial["beta2_power"], "beta2_power/initial_value");
  EXPECT_FLOAT_EQ(nodes.at("beta2_power/initial_value")->attr().at("value").tensor().float_val(0), 0.999f);
  // An EMA shadow starts as its variable does.
  const std::string shadow = initial["dense/kernel/ExponentialMovingAverage"];
  ASSERT_EQ(nodes.count(shadow), 1u);
  EXPECT_EQ(nodes.at(shadow)->op(), "Identity");
  EXPECT_EQ(nodes.at(shadow)->input(0), normal);
}

// The same run trained again writes the same .meta, byte for byte.
TEST_F(OpRegistryTest, MetaIsByteStableAcrossRuns) {
  std::string out;
  ASSERT_EQ(RunMnist(TrainFlags("again"), &out), 0) << out;
  const std::string first = Prefix("ckpt");
  const std::string second = Prefix("again");
  ASSERT_EQ(std::filesystem::path(first).filename(), std::filesystem::path(second).filename());
  EXPECT_TRUE(testing::ReadFileOrDie(MetaFilename(first)) == testing::ReadFileOrDie(MetaFilename(second)));
}

}  // namespace
}  // namespace mnist

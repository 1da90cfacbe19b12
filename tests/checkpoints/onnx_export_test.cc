// Tests for checkpoints/export/onnx_export.h and `mnist --export-onnx`: the model's
// graph as documented, weights byte for byte, and ONNX Runtime (npm
// onnxruntime-node, through tests/onnx_runtime_check.js) giving our classes
// and logits on 1,000 test images.
#include "checkpoints/export/onnx_export.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstdlib>

#include "checkpoints/saver/model_loader.h"
#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "data/dataset/batches.h"
#include "io/base/file.h"
#include "io/idx/idx_reader.h"
#include "tests/support/model_fixture.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

onnx::ModelProto ReadModel(const std::string& path) {
  onnx::ModelProto m;
  EXPECT_TRUE(m.ParseFromString(testing::ReadFileOrDie(path))) << path;
  return m;
}

TEST(OnnxExportTest, ModelHasTheDocumentedGraphAndTheWeightBytes) {
  TempDir dir;
  testing::ModelFixture fixture(2);
  OnnxExportInfo info;
  ASSERT_TRUE(ExportOnnx(fixture.model, dir / "sub/model.onnx", &info).ok());
  const onnx::ModelProto m = ReadModel(dir / "sub/model.onnx");
  EXPECT_EQ(info.file_bytes, static_cast<int64_t>(m.ByteSizeLong()));
  ASSERT_EQ(m.opset_import_size(), 1);
  EXPECT_EQ(m.opset_import(0).version(), 13);
  const onnx::GraphProto& g = m.graph();
  ASSERT_EQ(g.input_size(), 1);
  EXPECT_EQ(g.input(0).name(), "input");
  const onnx::TensorShapeProto& shape = g.input(0).type().tensor_type().shape();
  ASSERT_EQ(shape.dim_size(), 2);
  EXPECT_EQ(shape.dim(0).dim_param(), "N");
  EXPECT_EQ(shape.dim(1).dim_value(), 12);
  std::vector<std::string> ops;
  for (const onnx::NodeProto& n : g.node()) ops.push_back(n.op_type());
  EXPECT_EQ(ops, (std::vector<std::string>{"Gemm", "Relu", "Gemm", "Relu", "Gemm", "Softmax", "ArgMax"}));
  std::vector<std::string> outputs;
  for (const onnx::ValueInfoProto& o : g.output()) outputs.push_back(o.name());
  EXPECT_EQ(outputs, (std::vector<std::string>{"logits", "probabilities", "predictions"}));
  EXPECT_EQ(g.output(2).type().tensor_type().elem_type(), onnx::TensorProto::INT64);
  ASSERT_EQ(g.initializer_size(), 6);
  for (int i = 0; i < 6; ++i) {
    const Variable& v = fixture.model.variables()[i];
    EXPECT_EQ(g.initializer(i).name(), v.name);
    EXPECT_EQ(g.initializer(i).raw_data(),
              std::string(reinterpret_cast<const char*>(v.value.data()), 4 * v.value.size())) << v.name;
  }
  EXPECT_EQ(info.weight_bytes, 4 * (12 * 8 + 8 + 8 * 6 + 6 + 6 * 3 + 3));
}

TEST(OnnxExportTest, UnwritablePathIsAnErrorNamingIt) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "file", "x");
  testing::ModelFixture fixture(2);
  Status s = ExportOnnx(fixture.model, dir / "file/model.onnx", nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(dir / "file"), std::string::npos) << s.ToString();
}

// Raw little-endian values of a file the node script wrote.
template <typename T>
std::vector<T> ReadRaw(const std::string& path) {
  const std::string bytes = testing::ReadFileOrDie(path);
  std::vector<T> values(bytes.size() / sizeof(T));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
  return values;
}

TEST(OnnxExportTest, OnnxRuntimeGivesOurClassesAndLogitsOnAThousandImages) {
  const std::string modules = MNIST_NODE_MODULES;
  const std::string missing = testing::WhyNodePackageIsMissing(modules, "onnxruntime-node");
  if (!missing.empty()) GTEST_SKIP() << missing;
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 3000, 1000, false);
  std::string out;
  ASSERT_EQ(testing::RunMnist("--train --validation-size 0 --epochs 1 --threads 2 --data-dir " + (dir / "data") + " --ckpt-dir " +
                              (dir / "ckpt"), &out), 0) << out;
  ASSERT_EQ(testing::RunMnist("--export-onnx " + (dir / "model.onnx") + " --ckpt-dir " + (dir / "ckpt"), &out), 0)
      << out;
  EXPECT_NE(out.find("ONNX opset 13"), std::string::npos) << out;

  // Real handwritten digits (tests/testdata/mnist).
  const std::string images_path = testing::TestdataPath("mnist/t10k-images-first1000-idx3-ubyte.gz");
  StatusOr<IdxImages> images = ReadIdxImages(images_path);
  ASSERT_TRUE(images.ok()) << images.status().ToString();
  const int n = 1000;
  ASSERT_GE(images->count, static_cast<uint32_t>(n));
  std::vector<float> x(size_t{784} * n);
  FillImages(*images, nullptr, 0, n, x.data());
  testing::WriteFileOrDie(dir / "input.f32", std::string(reinterpret_cast<const char*>(x.data()), 4 * x.size()));

  StatusOr<std::string> latest = LatestCheckpoint(dir / "ckpt", kBestStateFilename);
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  StatusOr<std::unique_ptr<Mlp>> model = LoadModel(*latest, RestoreOptions{});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ConstMatrixMap logits = (*model)->Forward(x.data(), n);

  const std::string command = "NODE_PATH=" + modules + " node " + MNIST_SOURCE_DIR "/tests/onnx_runtime_check.js " +
                              (dir / "model.onnx") + " " + (dir / "input.f32") + " " + std::to_string(n) +
                              " 784 " + (dir / "logits.f32") + " " + (dir / "predictions.i64");
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const std::vector<float> ort_logits = ReadRaw<float>(dir / "logits.f32");
  const std::vector<int64_t> ort_classes = ReadRaw<int64_t>(dir / "predictions.i64");
  ASSERT_EQ(ort_logits.size(), size_t{10} * n);
  ASSERT_EQ(ort_classes.size(), size_t{n});
  float max_diff = 0;
  int same_class = 0;
  for (int b = 0; b < n; ++b) {
    Eigen::Index ours = 0;
    logits.col(b).maxCoeff(&ours);
    same_class += ort_classes[b] == ours;
    for (int c = 0; c < 10; ++c) max_diff = std::max(max_diff, std::abs(ort_logits[b * 10 + c] - logits(c, b)));
  }
  std::printf("ONNX Runtime vs ours on %d images (%s): same class %d/%d, max |logit difference| %g\n", n,
              images_path.c_str(), same_class, n, max_diff);
  EXPECT_EQ(same_class, n);
  EXPECT_LT(max_diff, 1e-4f);
}

}  // namespace
}  // namespace mnist

// Tests for nn/graph/graph_file.h: a GraphDef file read binary or as
// text, and a file that is no GraphDef (an ONNX model, no nodes, garbage)
// named as what it is.
#include "nn/graph/graph_file.h"

#include <gtest/gtest.h>

#include "checkpoints/export/freeze.h"
#include "checkpoints/export/onnx_export.h"
#include "tests/support/model_fixture.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

TEST(ReadGraphDefTest, ReadsBinaryAndTextFormat) {
  TempDir dir;
  testing::ModelFixture fixture(1);
  const FrozenGraph frozen = FreezeModel(fixture.model);
  ASSERT_TRUE(WriteGraph(frozen.graph, dir / "g.pb", /*as_text=*/false).ok());
  ASSERT_TRUE(WriteGraph(frozen.graph, dir / "g.pbtxt", /*as_text=*/true).ok());
  for (const std::string& path : {dir / "g.pb", dir / "g.pbtxt"}) {
    StatusOr<tensorflow::GraphDef> g = ReadGraphDef(path);
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_EQ(g->node_size(), frozen.graph.node_size()) << path;
  }
}

TEST(ReadGraphDefTest, AnOnnxModelIsNamedAsOne) {
  TempDir dir;
  testing::ModelFixture fixture(1);
  OnnxExportInfo info;
  ASSERT_TRUE(ExportOnnx(fixture.model, dir / "model.onnx", &info).ok());
  StatusOr<tensorflow::GraphDef> g = ReadGraphDef(dir / "model.onnx");
  EXPECT_EQ(g.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(g.status().message(), dir / "model.onnx" + ": an ONNX model, not a TensorFlow GraphDef");
  EXPECT_TRUE(IsOnnxModelFile(dir / "model.onnx"));
  EXPECT_FALSE(IsOnnxModelFile(dir / "absent.onnx"));
}

TEST(ReadGraphDefTest, AFileWithoutNodesIsNoModel) {
  TempDir dir;
  // Empty, and a varint field 1 (as ONNX's ir_version): both parse as a GraphDef of no nodes.
  for (const std::string& bytes : {std::string(), std::string("\x08\x07", 2)}) {
    testing::WriteFileOrDie(dir / "g.pb", bytes);
    StatusOr<tensorflow::GraphDef> g = ReadGraphDef(dir / "g.pb");
    EXPECT_EQ(g.status().code(), Status::Code::kFailedPrecondition);
    EXPECT_EQ(g.status().message(), dir / "g.pb" + ": reads as a GraphDef without nodes (" +
                                        std::to_string(bytes.size()) + " bytes), so not a frozen model");
  }
}

TEST(ReadGraphDefTest, GarbageIsDataLossNamingTheFile) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "bad.pb", "\xff\xff\xff garbage {");
  StatusOr<tensorflow::GraphDef> g = ReadGraphDef(dir / "bad.pb");
  EXPECT_EQ(g.status().code(), Status::Code::kDataLoss);
  EXPECT_NE(g.status().message().find(dir / "bad.pb: neither a binary GraphDef nor a text one"), std::string::npos)
      << g.status().ToString();
}

}  // namespace
}  // namespace mnist

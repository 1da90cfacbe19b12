// Tests for nn/graph/graph_edges.h: the one check that a graph's nodes hold
// together (one code, DataLoss, for every reader of graphs) and the one walk
// upstream.
#include "nn/graph/graph_edges.h"

#include <gtest/gtest.h>

#include "checkpoints/export/freeze.h"
#include "tests/support/graph_builder.h"
#include "checkpoints/meta_graph/graph_layer_sizes.h"
#include "checkpoints/meta_graph/model_graph.h"
#include "io/bundle/bundle_reader.h"
#include "nn/graph/graph_import.h"
#include "tests/support/model_fixture.h"
#include "tests/support/test_util.h"
#include "tests/support/tf_mlp_checkpoint.h"

namespace mnist {
namespace {

using tensorflow::GraphDef;
using testing::TempDir;

using testing::AddNode;

// x -> a -> b, with c reading a and, as control input only, b.
GraphDef Diamond() {
  GraphDef g;
  AddNode(&g, "x", "Placeholder");
  AddNode(&g, "a", "Relu", {"x"});
  AddNode(&g, "b", "Relu", {"a:0"});
  AddNode(&g, "c", "Identity", {"a", "^b"});
  return g;
}

TEST(GraphEdgesTest, DataInputsAreEdgesControlInputsAreNot) {
  StatusOr<GraphEdges> edges = ReadGraphEdges(Diamond(), "g.pb");
  ASSERT_TRUE(edges.ok()) << edges.status().ToString();
  EXPECT_EQ(edges->index.at("c"), 3);
  EXPECT_EQ(edges->inputs, (std::vector<std::vector<int>>{{}, {0}, {1}, {1}}));
}

TEST(GraphEdgesTest, UpstreamFollowsDataInputsAndStopsWhereTold) {
  const std::vector<std::vector<int>> inputs = ReadGraphEdges(Diamond(), "g.pb")->inputs;
  EXPECT_EQ(Upstream(inputs, {3}), (std::vector<bool>{true, true, false, true}));
  EXPECT_EQ(Upstream(inputs, {2}, {false, true, false, false}),
            (std::vector<bool>{false, true, true, false}));
  EXPECT_EQ(Upstream(inputs, {}), (std::vector<bool>(4, false)));
}

TEST(GraphEdgesTest, MalformedGraphsAreDataLossNamingFileAndNode) {
  struct Case {
    GraphDef graph;
    std::string message;
  };
  std::vector<Case> cases(5);
  AddNode(&cases[0].graph, "x", "Placeholder");
  AddNode(&cases[0].graph, "add", "Add", {"x", "nowhere"});
  cases[0].message = "g.pb: node 'add' (Add): input 'nowhere' names no node (dangling)";
  AddNode(&cases[1].graph, "id", "Identity", {"^gone"});
  cases[1].message = "g.pb: node 'id' (Identity): input '^gone' names no node (dangling)";
  AddNode(&cases[2].graph, "x", "Placeholder");
  AddNode(&cases[2].graph, "id", "Identity", {"x:a"});
  cases[2].message = "g.pb: node 'id' (Identity): input 'x:a' is not \"node\", \"node:k\" or \"^node\"";
  AddNode(&cases[3].graph, "x", "Placeholder");
  AddNode(&cases[3].graph, "x", "Const");
  cases[3].message = "g.pb: node 'x' (Const): a second node has this name (#0 and #1)";
  AddNode(&cases[4].graph, "", "Const");
  cases[4].message = "g.pb: node #0 has no name";
  for (const Case& c : cases) {
    StatusOr<GraphEdges> edges = ReadGraphEdges(c.graph, "g.pb");
    ASSERT_FALSE(edges.ok()) << c.message;
    EXPECT_EQ(edges.status().code(), Status::Code::kDataLoss) << c.message;
    EXPECT_EQ(edges.status().message(), c.message);
  }
}

// The importer, freeze and the model-graph reader give a dangling input the
// same code and words (each had its own check before, with its own code).
TEST(GraphEdgesTest, EveryReaderOfGraphsCallsADanglingInputDataLoss) {
  GraphDef g;
  AddNode(&g, "x", "Placeholder");
  AddNode(&g, "dense/MatMul", "MatMul", {"x", "dense/kernel"});
  const std::string dangling =
      "g.pb: node 'dense/MatMul' (MatMul): input 'dense/kernel' names no node (dangling)";

  StatusOr<ImportedGraph> imported = ImportedGraph::Import(g, {"g.pb", {}, {}});
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.status().code(), Status::Code::kDataLoss);
  EXPECT_EQ(imported.status().message(), dangling);

  StatusOr<std::vector<int>> sizes = LayerSizesFromGraph(g, "g.pb");
  ASSERT_FALSE(sizes.ok());
  EXPECT_EQ(sizes.status().code(), Status::Code::kDataLoss);
  EXPECT_EQ(sizes.status().message(), dangling);

  TempDir dir;
  testing::ModelFixture fixture(3);
  testing::WriteTensorFlowMlpCheckpoint(fixture.model, dir / "m", -1);
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(dir / "m");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  // The dangling node is not even one the output needs: the whole graph is checked.
  StatusOr<FrozenGraph> frozen = ConvertVariablesToConstants(g, **reader, {"x"}, false, "g.pb");
  ASSERT_FALSE(frozen.ok());
  EXPECT_EQ(frozen.status().code(), Status::Code::kDataLoss);
  EXPECT_EQ(frozen.status().message(), dangling);
}

}  // namespace
}  // namespace mnist

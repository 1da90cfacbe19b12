// Tests for nn/graph/graph_runner.h: feeding examples batch by batch,
// reshaped to the placeholder's dims, padded to a fixed batch, and the
// inputs it refuses.
#include "nn/graph/graph_runner.h"

#include <gtest/gtest.h>

namespace mnist {
namespace {

// input (Placeholder float `shape`) -> Identity `out`, plus more placeholders.
tensorflow::GraphDef IdentityGraph(const std::vector<int64_t>& shape, int extra_inputs = 0) {
  tensorflow::GraphDef g;
  for (int i = 0; i <= extra_inputs; ++i) {
    tensorflow::NodeDef* x = g.add_node();
    x->set_name(i == 0 ? "input" : "input_" + std::to_string(i));
    x->set_op("Placeholder");
    (*x->mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
    for (int64_t d : shape) (*x->mutable_attr())["shape"].mutable_shape()->add_dim()->set_size(d);
    tensorflow::NodeDef* out = g.add_node();
    out->set_name("out" + std::to_string(i));
    out->set_op("Identity");
    out->add_input(x->name());
  }
  return g;
}

TEST(BatchRunnerTest, FixedBatchIsPaddedAndThePaddingCut) {
  StatusOr<ImportedGraph> graph = ImportedGraph::Import(IdentityGraph({4, 2, 3}), {"g", {}, {}});
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  StatusOr<BatchRunner> runner = BatchRunner::Create(&*graph, 6, 0, 1000);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  EXPECT_EQ(runner->batch_size(), 4);
  std::vector<float> x(12);
  for (int i = 0; i < 12; ++i) x[i] = static_cast<float>(i);
  StatusOr<std::vector<TensorPtr>> out = runner->Run(x.data(), 2);  // 2 of 4 rows
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0]->shape, (std::vector<int64_t>{2, 2, 3}));
  EXPECT_EQ((*out)[0]->floats, x);
}

TEST(BatchRunnerTest, FreeBatchTakesTheGivenOrDefaultSize) {
  StatusOr<ImportedGraph> graph = ImportedGraph::Import(IdentityGraph({-1, 6}), {"g", {}, {}});
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(BatchRunner::Create(&*graph, 6, 0, 1000)->batch_size(), 1000);
  EXPECT_EQ(BatchRunner::Create(&*graph, 6, 7, 1000)->batch_size(), 7);
  std::vector<float> x(18, 1.0f);
  StatusOr<std::vector<TensorPtr>> out = BatchRunner::Create(&*graph, 6, 7, 1000)->Run(x.data(), 3);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0]->shape, (std::vector<int64_t>{3, 6}));
}

TEST(BatchRunnerTest, RefusesInputsThatDoNotFit) {
  StatusOr<ImportedGraph> fixed = ImportedGraph::Import(IdentityGraph({4, 6}), {"g", {}, {}});
  ASSERT_TRUE(fixed.ok());
  EXPECT_NE(BatchRunner::Create(&*fixed, 6, 5, 1000).status().message().find("takes batches of exactly 4"),
            std::string::npos);
  EXPECT_NE(BatchRunner::Create(&*fixed, 784, 0, 1000).status().message().find(
                "input 'input' takes [4,6], not images of 784 values ([?,784])"),
            std::string::npos);
  StatusOr<ImportedGraph> flat = ImportedGraph::Import(IdentityGraph({784}), {"g", {}, {}});
  ASSERT_TRUE(flat.ok());
  EXPECT_NE(BatchRunner::Create(&*flat, 784, 0, 1000).status().message().find(
                "input 'input' takes [784], not images of 784 values ([?,784])"),
            std::string::npos);
  StatusOr<ImportedGraph> huge = ImportedGraph::Import(IdentityGraph({1000000000, 784}), {"g", {}, {"input"}});
  ASSERT_TRUE(huge.ok());
  EXPECT_NE(BatchRunner::Create(&*huge, 784, 0, 1000).status().message().find("exceed the"), std::string::npos);
  StatusOr<ImportedGraph> two = ImportedGraph::Import(IdentityGraph({-1, 6}, 1), {"g", {}, {}});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(BatchRunner::Create(&*two, 6, 0, 1000).status().message(), "the graph takes 2 inputs (input, input_1)");
}

}  // namespace
}  // namespace mnist

// Limits on untrusted input (issue 6): a declared size larger than the file
// or over a cap is refused before anything is allocated from it, for bundle
// tensors (io/bundle/bundle_reader.h), the index's block handles
// (io/bundle/table_bounds.h), whole-file reads (io/base/file.h) and graphs
// (checkpoints/meta_graph/graph_layer_sizes.h: node count, kernel size, nesting).
#include <gtest/gtest.h>

#include <string>

#include "checkpoints/meta_graph/graph_layer_sizes.h"
#include "checkpoints/meta_graph/model_graph.h"
#include "io/bundle/bundle_format.h"
#include "io/bundle/bundle_reader.h"
#include "io/bundle/bundle_writer.h"
#include "io/base/file.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

#define EXPECT_MESSAGE_HAS(status, text) \
  EXPECT_NE((status).message().find(text), std::string::npos) << (status).ToString()

// A bundle with one float[256] tensor "w" (1 KiB) at <dir>/b.
std::string WriteBundle(const TempDir& dir) {
  const std::string prefix = dir / "b";
  BundleWriter writer(prefix);
  const std::vector<float> w(256, 0.5f);
  EXPECT_TRUE(writer.Add("w", tensorflow::DT_FLOAT, {256}, w.data(), 1024).ok());
  EXPECT_TRUE(writer.Finish().ok());
  return prefix;
}

void PutVarint(std::string* out, uint64_t v) {
  for (; v >= 0x80; v >>= 7) out->push_back(static_cast<char>(v | 0x80));
  out->push_back(static_cast<char>(v));
}

uint64_t GetVarint(const std::string& s, size_t* at) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(s[(*at)++]);
    v |= uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80)) return v;
  }
}

// Rewrites the footer of `index` so that the index block handle declares
// `size` bytes (CRCs elsewhere untouched).
std::string WithIndexBlockSize(const std::string& index, uint64_t size) {
  const size_t footer_at = index.size() - kTableFooterSize;
  size_t at = footer_at;
  const uint64_t meta_offset = GetVarint(index, &at), meta_size = GetVarint(index, &at);
  const uint64_t index_offset = GetVarint(index, &at);
  std::string footer;
  PutVarint(&footer, meta_offset);
  PutVarint(&footer, meta_size);
  PutVarint(&footer, index_offset);
  PutVarint(&footer, size);
  footer.resize(kTableFooterSize - 8, '\0');
  return index.substr(0, footer_at) + footer + index.substr(index.size() - 8);
}

TEST(UntrustedInputLimitsTest, TensorOverTheCapIsRefusedAtOpen) {
  TempDir dir;
  const std::string prefix = WriteBundle(dir);
  BundleReader::Options options;
  options.max_tensor_bytes = 1000;
  auto reader = BundleReader::Open(prefix, options);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(), "entry 'w' declares 1024 bytes, more than the limit of 1000");
  EXPECT_TRUE(BundleReader::Open(prefix).ok());  // the default cap is 1 GiB
  EXPECT_EQ(BundleReader::Options().max_tensor_bytes, uint64_t{1} << 30);
}

TEST(UntrustedInputLimitsTest, IndexBlockHandlePastTheFileIsRefusedBeforeLeveldbAllocates) {
  TempDir dir;
  const std::string prefix = WriteBundle(dir);
  const std::string index = ReadFileOrDie(IndexFilename(prefix));
  // leveldb would allocate the declared size (here 1 TiB) before reading.
  for (uint64_t size : {uint64_t{1} << 40, uint64_t{index.size()}}) {
    WriteFileOrDie(IndexFilename(prefix), WithIndexBlockSize(index, size));
    auto reader = BundleReader::Open(prefix);
    ASSERT_FALSE(reader.ok()) << size;
    EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
    EXPECT_MESSAGE_HAS(reader.status(), IndexFilename(prefix) + ": index block at bytes [");
    EXPECT_MESSAGE_HAS(reader.status(), "lies outside");
  }
}

TEST(UntrustedInputLimitsTest, BlockClaimingSnappyThatIsNotIsRefused) {
  TempDir dir;
  const std::string prefix = WriteBundle(dir);
  std::string index = ReadFileOrDie(IndexFilename(prefix));
  size_t at = index.size() - kTableFooterSize;
  GetVarint(index, &at);
  GetVarint(index, &at);
  const uint64_t index_offset = GetVarint(index, &at), index_size = GetVarint(index, &at);
  index[index_offset + index_size] = 1;  // the trailer's compression type
  WriteFileOrDie(IndexFilename(prefix), index);
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_MESSAGE_HAS(reader.status(), "is not a valid Snappy stream");
}

TEST(UntrustedInputLimitsTest, FileOverTheReadLimitIsRefusedBeforeReading) {
  TempDir dir;
  WriteFileOrDie(dir / "big", std::string(5000, 'x'));
  std::string out;
  Status st = ReadFile(dir / "big", &out, 4096);
  EXPECT_EQ(st.code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(st, dir / "big" + ": 5000 bytes is more than the limit of 4096");
  EXPECT_TRUE(out.empty());
}

// The graph of a 4-3-2 network, frozen (Const weights).
tensorflow::GraphDef SmallFrozenGraph() {
  Mlp model({4, 3, 2});
  return BuildFrozenGraph(model);
}

tensorflow::NodeDef* FindNode(tensorflow::GraphDef* graph, const std::string& name) {
  for (tensorflow::NodeDef& n : *graph->mutable_node()) {
    if (n.name() == name) return &n;
  }
  ADD_FAILURE() << "no node " << name;
  return graph->add_node();
}

TEST(UntrustedInputLimitsTest, GraphReadsBackItsLayerSizes) {
  StatusOr<std::vector<int>> sizes = LayerSizesFromGraph(SmallFrozenGraph(), "g.pb");
  ASSERT_TRUE(sizes.ok()) << sizes.status().ToString();
  EXPECT_EQ(*sizes, (std::vector<int>{4, 3, 2}));
}

TEST(UntrustedInputLimitsTest, GraphWithTooManyNodesIsRefused) {
  tensorflow::GraphDef graph = SmallFrozenGraph();
  for (int i = graph.node_size(); i <= kMaxGraphNodes; ++i) graph.add_node()->set_name("n");
  StatusOr<std::vector<int>> sizes = LayerSizesFromGraph(graph, "g.pb");
  ASSERT_FALSE(sizes.ok());
  EXPECT_EQ(sizes.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(sizes.status(), "g.pb: " + std::to_string(kMaxGraphNodes + 1) + " nodes, more than the " +
                                         std::to_string(kMaxGraphNodes) + " a graph may have");
}

TEST(UntrustedInputLimitsTest, KernelOverTheCapIsRefusedBeforeANetworkIsBuilt) {
  tensorflow::GraphDef graph;
  tensorflow::NodeDef* kernel = graph.add_node();
  kernel->set_name("dense/kernel");
  kernel->set_op("VariableV2");
  auto* shape = (*kernel->mutable_attr())["shape"].mutable_shape();
  shape->add_dim()->set_size(1 << 20);
  shape->add_dim()->set_size(1 << 20);  // 4 TiB of floats
  StatusOr<std::vector<int>> sizes = LayerSizesFromGraph(graph, "g.meta");
  ASSERT_FALSE(sizes.ok());
  EXPECT_MESSAGE_HAS(sizes.status(), "node dense/kernel has no 2-D [in, out] shape of at most");
}

TEST(UntrustedInputLimitsTest, FrozenKernelWithoutAllItsBytesIsRefused) {
  tensorflow::GraphDef graph = SmallFrozenGraph();
  tensorflow::TensorProto* value =
      (*FindNode(&graph, "dense/kernel")->mutable_attr())["value"].mutable_tensor();
  value->mutable_tensor_shape()->mutable_dim(0)->set_size(5);  // 5x3 claimed, 4x3 held
  StatusOr<std::vector<int>> sizes = LayerSizesFromGraph(graph, "g.pb");
  ASSERT_FALSE(sizes.ok());
  EXPECT_MESSAGE_HAS(sizes.status(), "Const node dense/kernel does not hold 15 floats");
}

TEST(UntrustedInputLimitsTest, GraphWithADanglingInputIsRefused) {
  tensorflow::GraphDef graph = SmallFrozenGraph();
  FindNode(&graph, "dense_1/kernel")->set_name("dense_1/kernex");
  StatusOr<std::vector<int>> sizes = LayerSizesFromGraph(graph, "g.pb");
  ASSERT_FALSE(sizes.ok());
  EXPECT_EQ(sizes.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(sizes.status(),
                     "node 'dense_1/MatMul' (MatMul): input 'dense_1/kernel' names no node (dangling)");
}

TEST(UntrustedInputLimitsTest, DeeplyNestedGraphDoesNotParse) {
  // AttrValue -> NameAttrList -> AttrValue ... 200 levels: past protobuf's
  // default recursion limit of 100.
  tensorflow::GraphDef graph = SmallFrozenGraph();
  tensorflow::AttrValue* attr = &(*FindNode(&graph, "input")->mutable_attr())["deep"];
  for (int i = 0; i < 200; ++i) attr = &(*attr->mutable_func()->mutable_attr())["a"];
  attr->set_i(1);
  const std::string bytes = graph.SerializeAsString();
  tensorflow::GraphDef parsed;
  EXPECT_FALSE(parsed.ParseFromString(bytes));
}

}  // namespace
}  // namespace mnist

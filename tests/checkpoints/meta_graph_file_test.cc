// Tests for checkpoints/meta_graph/meta_graph_file.h: a `.meta` and a
// SavedModel's saved_model.pb both give their MetaGraphDef, whatever the file
// is called; anything else is an error naming the file.
#include "checkpoints/meta_graph/meta_graph_file.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "io/proto/saved_model.pb.h"
#include "tests/support/test_util.h"
#include "tests/support/tf_mlp_checkpoint.h"
#include "tests/support/model_fixture.h"

namespace mnist {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing::TempDir;

tensorflow::MetaGraphDef MlpMetaGraph(const TempDir& dir) {
  testing::ModelFixture fixture(3);
  testing::WriteTensorFlowMlpCheckpoint(fixture.model, dir / "m", -1);
  tensorflow::MetaGraphDef meta;
  EXPECT_TRUE(meta.ParseFromString(testing::ReadFileOrDie(dir / "m.meta")));
  return meta;
}

TEST(MetaGraphFileTest, ReadsAMetaGraphDef) {
  TempDir dir;
  const tensorflow::MetaGraphDef meta = MlpMetaGraph(dir);
  StatusOr<tensorflow::MetaGraphDef> read = ReadMetaGraphFile(dir / "m.meta");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_TRUE(MessageDifferencer::Equals(*read, meta));
}

TEST(MetaGraphFileTest, AMetaGraphDefHoldingOnlyItsGraphIsNoSavedModel) {
  TempDir dir;
  tensorflow::MetaGraphDef meta;
  *meta.mutable_graph_def() = MlpMetaGraph(dir).graph_def();  // field 2 alone, as a SavedModel's
  testing::WriteFileOrDie(dir / "bare.meta", meta.SerializeAsString());
  StatusOr<tensorflow::MetaGraphDef> read = ReadMetaGraphFile(dir / "bare.meta");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_TRUE(MessageDifferencer::Equals(*read, meta));
}

TEST(MetaGraphFileTest, TakesTheFirstMetaGraphOfTensorFlowsSavedModel) {
  const std::string path = testing::TestdataPath("tf/serving_saved_model_half_plus_two_cpu/saved_model.pb");
  tensorflow::SavedModel saved;
  ASSERT_TRUE(saved.ParseFromString(testing::ReadFileOrDie(path)));
  StatusOr<tensorflow::MetaGraphDef> read = ReadMetaGraphFile(path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_TRUE(MessageDifferencer::Equals(*read, saved.meta_graphs(0)));
  ASSERT_EQ(read->meta_info_def().tags_size(), 1);
  EXPECT_EQ(read->meta_info_def().tags(0), "serve");
  bool has_y = false;
  for (const tensorflow::NodeDef& n : read->graph_def().node()) has_y = has_y || n.name() == "y";
  EXPECT_TRUE(has_y);
}

TEST(MetaGraphFileTest, ASavedModelOfTwoGraphsGivesTheFirst) {
  TempDir dir;
  tensorflow::SavedModel saved;
  saved.set_saved_model_schema_version(1);
  *saved.add_meta_graphs() = MlpMetaGraph(dir);
  saved.add_meta_graphs()->mutable_meta_info_def()->add_tags("train");
  saved.mutable_meta_graphs(0)->mutable_meta_info_def()->add_tags("serve");
  testing::WriteFileOrDie(dir / "saved_model.pb", saved.SerializeAsString());
  StatusOr<tensorflow::MetaGraphDef> read = ReadMetaGraphFile(dir / "saved_model.pb");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_TRUE(MessageDifferencer::Equals(*read, saved.meta_graphs(0)));
}

TEST(MetaGraphFileTest, OtherBytesAreDataLossNamingTheFile) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "foo.txt", "asset-file-contents");
  StatusOr<tensorflow::MetaGraphDef> read = ReadMetaGraphFile(dir / "foo.txt");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Status::Code::kDataLoss);
  EXPECT_NE(read.status().message().find(dir / "foo.txt: not a MetaGraphDef (.meta) or a SavedModel "
                                               "(saved_model.pb): 19 bytes that parse as neither"),
            std::string::npos)
      << read.status().ToString();
  read = ReadMetaGraphFile(dir / "missing.meta");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Status::Code::kNotFound);
  EXPECT_NE(read.status().message().find(dir / "missing.meta"), std::string::npos) << read.status().ToString();
}

}  // namespace
}  // namespace mnist

#include "checkpoints/meta_graph/meta_graph_file.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include "io/base/file.h"
#include "io/proto/saved_model.pb.h"

namespace mnist {
namespace {

using google::protobuf::internal::WireFormatLite;

// True when the top-level fields of `bytes` are a SavedModel's and no
// MetaGraphDef's: saved_model_schema_version (field 1, an integer, which
// TensorFlow writes as 1), where a MetaGraphDef's field 1 is a message, and
// meta_graphs (field 2). Decided on the wire, before parsing, so a .meta is
// never parsed as something else.
bool IsSavedModel(const std::string& bytes) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  bool version = false;
  while (const uint32_t tag = in.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    const WireFormatLite::WireType type = WireFormatLite::GetTagWireType(tag);
    if (field == 1 && type == WireFormatLite::WIRETYPE_VARINT) {
      version = true;
    } else if (field != 2 || type != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      return false;
    }
    if (!WireFormatLite::SkipField(&in, tag)) return false;
  }
  return version && in.CurrentPosition() == static_cast<int>(bytes.size());
}

}  // namespace

StatusOr<tensorflow::MetaGraphDef> ReadMetaGraphFile(const std::string& path) {
  std::string bytes;
  MNIST_RETURN_IF_ERROR(ReadFile(path, &bytes));
  if (IsSavedModel(bytes)) {
    tensorflow::SavedModel saved;
    if (!saved.ParseFromString(bytes) || saved.meta_graphs_size() == 0) {
      return Status::DataLoss(path + ": a SavedModel that holds no meta graph (" +
                              std::to_string(bytes.size()) + " bytes)");
    }
    return std::move(*saved.mutable_meta_graphs(0));
  }
  tensorflow::MetaGraphDef meta;
  if (!meta.ParseFromString(bytes)) {
    return Status::DataLoss(path + ": not a MetaGraphDef (.meta) or a SavedModel (saved_model.pb): " +
                            std::to_string(bytes.size()) + " bytes that parse as neither");
  }
  return meta;
}

}  // namespace mnist

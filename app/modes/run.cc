#include "app/modes/run.h"

#include <optional>

#include "app/modes/graph_flags.h"
#include "app/modes/path_flags.h"
#include "data/dataset/batches.h"
#include "io/idx/idx_reader.h"
#include "io/base/strings.h"
#include "nn/graph/feed_value.h"
#include "nn/graph/graph_file.h"
#include "nn/graph/graph_import.h"
#include "nn/graph/npy_file.h"
#include "nn/graph/numpy_print.h"

namespace mnist {
namespace {

// "--feed x=[1,2]" as typed, for messages.
std::string FeedFlag(const Feed& feed) { return "--feed " + feed.name + "=" + feed.value; }

// A feed's value before its dtype is known: a literal's structure or a .npy array.
struct RawValue {
  Literal literal;
  std::optional<Tensor> array;
};

// IDX images (MNIST's names end in -ubyte, or .gz) as float32 [N, pixels],
// each byte x `pixel_scale`, as --predict feeds them.
bool IsIdxFile(const std::string& path) {
  return HasExtension(path, ".idx") || HasExtension(path, ".gz") || HasExtension(path, "-ubyte");
}
StatusOr<Tensor> ReadImages(const std::string& path, float pixel_scale) {
  StatusOr<IdxImages> images = ReadIdxImages(path);
  if (!images.ok()) return images.status();
  Tensor t;
  t.shape = {images->count, images->pixels_per_image()};
  StatusOr<int64_t> n = ElementCount(t.shape);
  if (!n.ok()) return Status::InvalidArgument(path + ": " + n.status().message());
  t.floats.resize(static_cast<size_t>(*n));
  // Column-major pixels x N is row-major [N, pixels] (nn/network/variable.h).
  FillImages(*images, nullptr, 0, images->count, t.floats.data(), pixel_scale);
  return t;
}

StatusOr<RawValue> ReadValue(const Feed& feed, float pixel_scale) {
  RawValue raw;
  if (IsIdxFile(feed.value)) {
    StatusOr<Tensor> array = ReadImages(feed.value, pixel_scale);
    if (!array.ok()) return array.status().WithContext(FeedFlag(feed));
    raw.array = std::move(*array);
    return raw;
  }
  if (HasExtension(feed.value, ".npy")) {
    StatusOr<Tensor> array = ReadNpy(feed.value);
    if (!array.ok()) return array.status().WithContext(FeedFlag(feed));
    raw.array = std::move(*array);
    return raw;
  }
  StatusOr<Literal> literal = ParseLiteral(feed.value);
  if (!literal.ok()) return literal.status().WithContext(FeedFlag(feed));
  raw.literal = std::move(*literal);
  return raw;
}

// The value as the tensor node `spec` takes; InvalidArgument naming the feed,
// the node's dtype and shape and the value's.
StatusOr<TensorPtr> FeedTensor(const Feed& feed, const RawValue& raw, const TensorSpec& spec) {
  StatusOr<Tensor> t = raw.array ? ConvertTensor(*raw.array, spec.dtype)
                                 : LiteralToTensor(raw.literal, spec.dtype);
  if (!t.ok()) {
    return t.status().WithContext(FeedFlag(feed) + ": '" + feed.name + "' takes " +
                                  DtypeName(spec.dtype));
  }
  if (!spec.Accepts(t->shape)) {
    return Status::InvalidArgument(FeedFlag(feed) + ": '" + feed.name + "' takes shape " +
                                   ShapeString(spec.shape, spec.unknown_rank) +
                                   ", the value has shape " + ShapeString(t->shape));
  }
  return TensorPtr(std::make_shared<const Tensor>(std::move(*t)));
}

// The flags naming tensors, in front of a wrong name (InvalidArgument) from the graph.
Status WithTensorFlags(const Status& status, const RunOptions& options) {
  std::vector<std::string> names;
  for (const Feed& feed : options.feeds) names.push_back(feed.name);
  return WithFlagsGiven(status, {names.empty() ? "" : "--feed " + StrJoin(names, ","),
                                  options.fetches.empty() ? "" : "--fetch " + StrJoin(options.fetches, ",")});
}

}  // namespace

StatusOr<Feed> ParseFeedFlag(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    return Status::InvalidArgument("--feed \"" + text + "\": expected NAME=VALUE, e.g. input=4. "
                                   "or x=[[1,2],[3,4]] or x=FILE.npy");
  }
  return Feed{text.substr(0, eq), text.substr(eq + 1)};
}

Status RunGraph(const RunOptions& options, FILE* out) {
  std::vector<RawValue> raw;  // values are read (and their syntax checked) first
  for (const Feed& feed : options.feeds) {
    StatusOr<RawValue> value = ReadValue(feed, options.pixel_scale);
    if (!value.ok()) return value.status();
    raw.push_back(std::move(*value));
  }
  StatusOr<tensorflow::GraphDef> graph_def = ReadGraphDef(options.model);
  if (!graph_def.ok()) return graph_def.status();
  ImportOptions import{options.model, {}, options.fetches};
  import.only_inputs = true;
  for (const Feed& feed : options.feeds) import.inputs.push_back(feed.name);
  StatusOr<ImportedGraph> graph = ImportedGraph::Import(*graph_def, import);
  if (!graph.ok()) return WithTensorFlags(graph.status(), options);
  std::vector<TensorPtr> inputs;
  for (size_t k = 0; k < options.feeds.size(); ++k) {
    StatusOr<TensorPtr> t = FeedTensor(options.feeds[k], raw[k], graph->input_specs()[k]);
    if (!t.ok()) return t.status();
    inputs.push_back(std::move(*t));
  }
  StatusOr<std::vector<TensorPtr>> outputs = graph->Run(inputs);
  if (!outputs.ok()) return outputs.status();
  for (size_t i = 0; i < outputs->size(); ++i) {
    const Tensor& t = *(*outputs)[i];
    std::fprintf(out, "%s:0 shape %s %s\n%s\n",
                 EscapeControlBytes(graph->output_names()[i]).c_str(),
                 NumpyShape(t.shape).c_str(), NumpyDtypeName(t.dtype).c_str(),
                 FormatLikeNumpy(t).c_str());
  }
  return Status::Ok();
}

}  // namespace mnist

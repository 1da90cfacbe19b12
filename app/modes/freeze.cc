#include "app/modes/freeze.h"

#include <optional>

#include "app/modes/eval.h"
#include "app/modes/path_flags.h"
#include "checkpoints/export/freeze.h"
#include "checkpoints/state/naming.h"
#include "io/base/file.h"
#include "io/base/strings.h"

namespace mnist {
namespace {

constexpr char kMetaTakes[] = "a checkpoint's .meta graph or a SavedModel's saved_model.pb";

// Writes `frozen` and says what TensorFlow's freeze_graph says, then the file.
Status WriteFrozen(const FrozenGraph& frozen, const FreezeOptions& options, FILE* out) {
  int64_t file_bytes = 0;
  MNIST_RETURN_IF_ERROR(WriteGraph(frozen.graph, options.output, options.text, &file_bytes));
  std::fprintf(out, "Converted %d variables to const ops.\n", frozen.converted_variables);
  std::fprintf(out, "%d ops in the final graph.\n", frozen.graph.node_size());
  std::fprintf(out, "wrote %s (%s, %lld bytes; constant tensors %lld bytes)\n",
               options.output.c_str(), options.text ? "text" : "binary",
               static_cast<long long>(file_bytes),
               static_cast<long long>(ConstTensorBytes(frozen.graph)));
  return Status::Ok();
}

// --freeze --output-nodes: the checkpoint's TensorFlow graph frozen down to
// those nodes (see freeze.h).
Status FreezeGraphNodes(const FreezeOptions& options, FILE* out, FILE* err) {
  MNIST_RETURN_IF_ERROR(CheckModelSource(options.source));
  if (!options.meta.empty()) MNIST_RETURN_IF_ERROR(CheckInputFileFlag(options.meta, "--meta", kMetaTakes));
  const std::string nodes = StrJoin(options.output_nodes, ",");
  std::optional<FrozenGraph> frozen;
  std::vector<std::string> skipped;
  StatusOr<std::string> prefix = LoadFirstGood(
      options.source,
      [&](const std::string& p) -> Status {
        if (options.meta.empty() && !FileExists(MetaFilename(p))) {
          return Status::NotFound(MetaFilename(p) + ": no such file; name the graph with --meta (" +
                                  kMetaTakes + ")");
        }
        StatusOr<FrozenGraph> f =
            FreezeCheckpointGraph(p, options.output_nodes, options.source.use_ema, options.meta);
        if (!f.ok()) {
          const Status& s = f.status();
          return s.code() == Status::Code::kInvalidArgument ? s.WithContext("--output-nodes " + nodes) : s;
        }
        frozen = std::move(*f);
        return Status::Ok();
      },
      &skipped);
  for (const std::string& note : skipped) std::fprintf(err, "mnist: %s\n", note.c_str());
  if (!prefix.ok()) return prefix.status();
  std::fprintf(out, "restored %s%s: TensorFlow graph %s -> %s\n", prefix->c_str(),
               options.source.use_ema ? " (EMA shadows)" : "",
               (options.meta.empty() ? MetaFilename(*prefix) : options.meta).c_str(), nodes.c_str());
  return WriteFrozen(*frozen, options, out);
}

}  // namespace

Status RunFreeze(const FreezeOptions& given, FILE* out, FILE* err) {
  FreezeOptions options = given;
  if (HasExtension(options.output, ".pbtxt")) options.text = true;
  if (options.text && HasExtension(options.output, ".pb")) {
    return Status::InvalidArgument(options.output + ": --text writes protobuf text, and a .pb name says " +
                           "binary; give a name ending in .pbtxt, or leave out --text");
  }
  MNIST_RETURN_IF_ERROR(CheckOutputName(options.output, "--output"));
  if (!options.output_nodes.empty()) return FreezeGraphNodes(options, out, err);
  StatusOr<LoadedModel> loaded = LoadAndReport(options.source, out, err);
  if (!loaded.ok()) return loaded.status();
  return WriteFrozen(FreezeModel(*loaded->model), options, out);
}

}  // namespace mnist

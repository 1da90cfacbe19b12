#include "app/modes/freeze.h"

#include "app/modes/eval.h"
#include "app/modes/path_flags.h"
#include "checkpoints/export/freeze.h"

namespace mnist {

Status RunFreeze(const FreezeOptions& given, FILE* out, FILE* err) {
  FreezeOptions options = given;
  if (HasExtension(options.output, ".pbtxt")) options.text = true;
  if (options.text && HasExtension(options.output, ".pb")) {
    return Status::InvalidArgument(options.output + ": --text writes protobuf text, and a .pb name says " +
                           "binary; give a name ending in .pbtxt, or leave out --text");
  }
  MNIST_RETURN_IF_ERROR(CheckOutputName(options.output, "--output"));
  StatusOr<LoadedModel> loaded = LoadAndReport(options.source, out, err);
  if (!loaded.ok()) return loaded.status();
  const FrozenGraph frozen = FreezeModel(*loaded->model);
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

}  // namespace mnist

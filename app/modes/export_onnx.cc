#include "app/modes/export_onnx.h"

#include "app/modes/eval.h"
#include "app/modes/path_flags.h"
#include "checkpoints/export/onnx_export.h"

namespace mnist {

Status RunExportOnnx(const ExportOnnxOptions& options, FILE* out, FILE* err) {
  MNIST_RETURN_IF_ERROR(CheckOutputName(options.output, "--export-onnx"));
  StatusOr<LoadedModel> loaded = LoadAndReport(options.source, out, err);
  if (!loaded.ok()) return loaded.status();
  OnnxExportInfo info;
  MNIST_RETURN_IF_ERROR(ExportOnnx(*loaded->model, options.output, &info));
  std::fprintf(
      out, "wrote %s (ONNX opset %d, IR version %lld, %d nodes, %lld bytes; weights %lld bytes)\n",
      options.output.c_str(), kOnnxOpset, static_cast<long long>(info.ir_version), info.nodes,
      static_cast<long long>(info.file_bytes), static_cast<long long>(info.weight_bytes));
  return Status::Ok();
}

}  // namespace mnist

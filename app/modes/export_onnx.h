// `mnist --export-onnx model.onnx`: restore a checkpoint (as --eval picks it)
// and write its network as an ONNX model (checkpoints/export/onnx_export.h).
#ifndef MNIST_APP_MODES_EXPORT_ONNX_H_
#define MNIST_APP_MODES_EXPORT_ONNX_H_

#include <cstdio>
#include <string>

#include "app/modes/model_source.h"
#include "io/base/status.h"

namespace mnist {

struct ExportOnnxOptions {
  ModelSource source;  // which checkpoint; --use-ema exports the shadows
  std::string output;  // the .onnx file; its directory is created
};

// Prints `restored <prefix>` and the file written with its size.
Status RunExportOnnx(const ExportOnnxOptions& options, FILE* out, FILE* err);

}  // namespace mnist

#endif  // MNIST_APP_MODES_EXPORT_ONNX_H_

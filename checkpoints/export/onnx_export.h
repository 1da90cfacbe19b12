// Our network as an ONNX model, for ONNX runtimes (onnxruntime, ...).
//
// Built with the ModelProto messages of Debian's libonnx-dev and passed
// through onnx::checker::check_model before anything is written:
//   opset 13 (default domain), IR version onnx::IR_VERSION
//   input        `input`  float [N, <input width>], N a symbolic batch dim
//   initializers the variables under their TensorFlow names (dense/kernel
//                [in, out], dense/bias [out], ...), raw_data = the
//                checkpoint's little-endian row-major bytes
//   per layer    Gemm(h, kernel, bias) (Y = h W + b), Relu on hidden layers
//   outputs      `logits` float [N, C] (the last Gemm), `probabilities`
//                (Softmax, axis -1), `predictions` int64 [N] (ArgMax, axis 1,
//                keepdims 0; the first maximum wins, as ours)
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_CHECKPOINTS_EXPORT_ONNX_EXPORT_H_
#define MNIST_CHECKPOINTS_EXPORT_ONNX_EXPORT_H_

#include <cstdint>
#include <string>

#include "io/base/status.h"
#include "nn/network/mlp.h"

namespace mnist {

constexpr int kOnnxOpset = 13;

struct OnnxExportInfo {
  int64_t file_bytes = 0;    // the .onnx file's size
  int64_t weight_bytes = 0;  // the initializers' bytes
  int nodes = 0;
  int64_t ir_version = 0;
};

// Builds, checks and writes the model of `model` to `path` crash-safe,
// creating its directory. A model the checker rejects is InvalidArgument
// with the checker's message; nothing is written then.
Status ExportOnnx(const Mlp& model, const std::string& path, OnnxExportInfo* info);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_EXPORT_ONNX_EXPORT_H_

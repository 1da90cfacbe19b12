#include "app/modes/predict.h"

#include <optional>

#include "app/training/evaluate.h"
#include "app/modes/graph_flags.h"
#include "app/modes/path_flags.h"
#include "checkpoints/saver/checkpoint_layers.h"
#include "nn/graph/graph_file.h"
#include "nn/graph/graph_runner.h"
#include "data/dataset/batches.h"
#include "io/idx/idx_reader.h"
#include "io/base/strings.h"

namespace mnist {
namespace {

// Labels of an IDX label file are digits (io/idx/idx_reader.h checks them < 10).

// The classes of one batch's n examples, and their softmax rows when asked.
struct BatchClasses {
  std::vector<int64_t> classes;
  const Tensor* probabilities = nullptr;  // n x C, from a Softmax output
};

StatusOr<BatchClasses> ReadClasses(const ImportedGraph& graph,
                                   const std::vector<TensorPtr>& outputs, int n) {
  const Tensor* classes = nullptr;
  const Tensor* scores = nullptr;
  BatchClasses batch;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor* t = outputs[i].get();
    if (!t->is_float() && t->shape == std::vector<int64_t>{n} && classes == nullptr) classes = t;
    if (!t->is_float() || t->shape.size() != 2 || t->shape[0] != n || t->shape[1] < 1) continue;
    if (scores == nullptr) scores = t;
    if (graph.output_op(i) == "Softmax" && batch.probabilities == nullptr) batch.probabilities = t;
  }
  if (classes == nullptr && scores == nullptr) {
    return Status::InvalidArgument("none of the outputs (" + StrJoin(graph.output_names(), ", ") +
                                   ") is a class [N] or score [N, C] tensor; choose with --output");
  }
  if (classes != nullptr) {
    batch.classes = classes->ints;
    return batch;
  }
  const int64_t c = scores->shape[1];
  for (int b = 0; b < n; ++b) {
    const float* row = scores->floats.data() + b * c;
    batch.classes.push_back(std::max_element(row, row + c) - row);  // the first maximum, as ArgMax
  }
  return batch;
}

// When `model` is a file of a checkpoint rather than a frozen GraphDef, what
// it is and what to do instead; "" otherwise.
std::string CheckpointFileInstead(const std::string& model) {
  const std::string suffix = ".meta";
  if (!HasExtension(model, suffix)) return "";
  StatusOr<tensorflow::MetaGraphDef> meta =
      ReadMetaGraph(model.substr(0, model.size() - suffix.size()));
  if (meta.ok() && meta->graph_def().node_size() > 0) {
    return model + " is a MetaGraphDef (a checkpoint's graph); use --eval --checkpoint PREFIX or "
           "--freeze";
  }
  return "";
}

// A wrong value (InvalidArgument) from the graph, with the flags that name
// its tensors and batch in front, e.g. "--input logits: m.pb: input 'logits' takes ...".
Status WithTensorFlags(const Status& status, const PredictOptions& options) {
  return WithFlagsGiven(
      status, {options.input.empty() ? "" : "--input " + options.input,
               options.outputs.empty() ? "" : "--output " + StrJoin(options.outputs, ","),
               options.batch_size == 0 ? "" : "--batch-size " + std::to_string(options.batch_size)});
}

// The labels of --labels, which must be one for each of the `count` images.
StatusOr<IdxLabels> ReadLabelsFor(const PredictOptions& options, int64_t count) {
  StatusOr<IdxLabels> labels = ReadIdxLabels(options.labels);
  if (!labels.ok()) return labels.status();
  if (labels->count() != count) {
    return Status::InvalidArgument(options.labels + ": " + std::to_string(labels->count()) +
                                   " labels for the " + std::to_string(count) + " images of " +
                                   options.images);
  }
  return labels;
}

// Prints example `b`'s class, then (probabilities) its softmax row.
void PrintPrediction(const BatchClasses& batch, int b, bool probabilities, FILE* out) {
  std::fprintf(out, "%lld", static_cast<long long>(batch.classes[b]));
  if (probabilities) {
    const int64_t c = batch.probabilities->shape[1];
    for (int64_t k = 0; k < c; ++k) std::fprintf(out, " %.6g", batch.probabilities->floats[b * c + k]);
  }
  std::fputc('\n', out);
}

}  // namespace

Status RunPredict(const PredictOptions& options, FILE* out, FILE* err) {
  StatusOr<tensorflow::GraphDef> graph_def = ReadGraphDef(options.model);
  if (!graph_def.ok()) {
    const std::string instead = CheckpointFileInstead(options.model);
    if (!instead.empty()) return Status::InvalidArgument(instead);
    if (!IsOnnxModelFile(options.model)) return graph_def.status();
    return graph_def.status().WithHint("--predict runs a frozen GraphDef (mnist --freeze writes one)");
  }
  ImportOptions import{options.model, {}, options.outputs};
  if (!options.input.empty()) import.inputs.push_back(options.input);
  StatusOr<ImportedGraph> graph = ImportedGraph::Import(*graph_def, import);
  if (!graph.ok()) return WithTensorFlags(graph.status(), options);
  StatusOr<IdxImages> images = ReadIdxImages(options.images);
  if (!images.ok()) return images.status();
  std::optional<IdxLabels> labels;
  if (!options.labels.empty()) {
    StatusOr<IdxLabels> read = ReadLabelsFor(options, images->count);
    if (!read.ok()) return read.status();
    labels = std::move(*read);
  }
  const int64_t width = images->pixels_per_image();
  StatusOr<BatchRunner> runner =
      BatchRunner::Create(&*graph, width, options.batch_size, kEvalBatchSize);
  if (!runner.ok()) {
    return WithTensorFlags(WithInputHint(runner.status(), *graph).WithContext(options.model), options);
  }
  std::fprintf(err, "mnist: imported %s: input %s, outputs %s, batches of %d; pixels x %s\n",
               options.model.c_str(), EscapeControlBytes(StrJoin(graph->input_names(), ",")).c_str(),
               EscapeControlBytes(StrJoin(graph->output_names(), ",")).c_str(), runner->batch_size(),
               PixelScaleText(options.pixel_scale).c_str());

  std::vector<float> x(static_cast<size_t>(width) * runner->batch_size());
  std::optional<EvalResult> result;
  for (int64_t begin = 0; begin < images->count; begin += runner->batch_size()) {
    const int n = static_cast<int>(std::min<int64_t>(runner->batch_size(), images->count - begin));
    FillImages(*images, nullptr, begin, begin + n, x.data(), options.pixel_scale);
    StatusOr<std::vector<TensorPtr>> outputs = runner->Run(x.data(), n);
    if (!outputs.ok()) return outputs.status();
    StatusOr<BatchClasses> batch = ReadClasses(*graph, *outputs, n);
    if (!batch.ok())
      return Status::InvalidArgument(options.model + ": " + batch.status().message());
    if (options.probabilities && batch->probabilities == nullptr && !labels) {
      return Status::InvalidArgument(options.model +
                             ": --probabilities needs a Softmax [N, C] output (outputs: " +
                             StrJoin(graph->output_names(), ",") + ")");
    }
    if (!result) result.emplace(kNumClasses);
    for (int b = 0; b < n; ++b) {
      if (labels) {
        result->Count(labels->label(static_cast<uint32_t>(begin + b)), batch->classes[b]);
      } else {
        PrintPrediction(*batch, b, options.probabilities, out);
      }
    }
  }
  if (labels && result) {
    std::fprintf(out, "predicted %lld images: val_acc:%f (%lld correct)\n",
                 static_cast<long long>(result->examples), result->accuracy,
                 static_cast<long long>(result->correct));
    std::fputs(FormatConfusion(*result).c_str(), out);
  }
  return Status::Ok();
}

}  // namespace mnist

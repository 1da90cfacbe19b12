#include "app/modes/eval.h"

#include <array>
#include <optional>

#include "app/cli/checkpoint_flag.h"
#include "app/modes/graph_flags.h"
#include "app/modes/path_flags.h"
#include "app/pictures/error_grid.h"
#include "app/training/evaluate.h"
#include "checkpoints/export/freeze.h"
#include "checkpoints/export/logits_node.h"
#include "checkpoints/saver/checkpoint_layers.h"
#include "nn/network/dense_layers.h"
#include "nn/graph/graph_runner.h"
#include "checkpoints/meta_graph/model_graph.h"
#include "checkpoints/state/naming.h"
#include "data/dataset/dataset.h"

namespace mnist {
namespace {

// The test split of --data-dir (or the default), said on `out` as --train
// says it, with the pixel scale: "data: DIR: test set, N images of 28x28;
// pixels x 1/255".
StatusOr<Split> LoadTestSplit(const EvalOptions& options, int64_t input_size, FILE* out) {
  const std::string data_dir = options.data_dir.empty() ? DefaultDataDir() : options.data_dir;
  StatusOr<Split> test = LoadSplit(data_dir, kTestImagesStem, kTestLabelsStem,
                                   static_cast<uint32_t>(input_size));
  if (!test.ok()) return test.status();
  std::fprintf(out, "data: %s: test set, %u images of %ux%u; pixels x %s\n",
               EscapeControlBytes(data_dir).c_str(), test->size(), test->images.rows,
               test->images.cols, PixelScaleText(options.pixel_scale).c_str());
  const std::string both = BothCopiesNote(data_dir, {kTestImagesStem, kTestLabelsStem});
  if (!both.empty()) std::fprintf(out, "%s\n", both.c_str());
  return test;
}

// On `err`, "note: trained on DIR_A, evaluating on DIR_B" when the test
// files' fingerprint is not the one `recorded` holds.
void NoteOtherData(const RecordedRun& recorded, const EvalOptions& options, const Split& test,
                   FILE* err) {
  const std::array<int64_t, 8>& was = recorded.settings.data_fingerprint;
  const FileFingerprint files[] = {test.images_file, test.labels_file};
  bool same = true;
  for (int i = 0; i < 2; ++i) {  // the test files are rows 2 and 3
    same = same && was[4 + 2 * i] == files[i].bytes && was[5 + 2 * i] == files[i].crc32c;
  }
  if (same) return;
  const std::string data_dir = options.data_dir.empty() ? DefaultDataDir() : options.data_dir;
  std::fprintf(err, "note: trained on %s, evaluating on %s\n",
               EscapeControlBytes(recorded.settings.data_dir).c_str(), EscapeControlBytes(data_dir).c_str());
}

void PrintResult(const EvalResult& result, FILE* out) {
  std::fprintf(out, "val_loss:%f, val_acc:%f\n", result.loss, result.accuracy);
  std::fputs(FormatConfusion(result).c_str(), out);
}

// A wrong value (InvalidArgument) of --input or --output, with the flags given in front.
Status WithTensorFlags(const Status& status, const EvalOptions& options) {
  return WithFlagsGiven(status, {options.input.empty() ? "" : "--input " + options.input,
                                  options.output.empty() ? "" : "--output " + options.output});
}

// The logits node of checkpoint `prefix`'s graph: `options.output`, else the
// one FindCheckpointLogits finds (described in `found`), with what to do when none
// or several qualify.
StatusOr<std::string> ChooseLogits(const EvalOptions& options, const std::string& prefix,
                                   std::string* found) {
  if (!options.output.empty()) return options.output;
  StatusOr<LogitsNode> logits = FindCheckpointLogits(prefix, kNumClasses, options.source.use_ema);
  if (logits.status().code() == Status::Code::kInvalidArgument) {
    return Status::InvalidArgument(logits.status().message() +
                                   "; name the logits node with --output NODE");
  }
  if (!logits.ok()) return logits.status();
  *found = logits->Describe();
  return logits->name;
}

// InvalidArgument unless output 0 of `graph` (node `output` of `frozen`) is
// [N, classes] logits: not a Softmax's probabilities, not a hidden layer.
Status CheckLogits(const ImportedGraph& graph, const tensorflow::GraphDef& frozen,
                   const std::string& output, const std::string& where) {
  const TensorSpec& spec = graph.output_specs()[0];
  const std::string is = where + ": output '" + output + "' is " + DtypeName(spec.dtype) + " " +
                         ShapeString(spec.shape, spec.unknown_rank);
  if (graph.output_op(0) == "Softmax") {
    std::string reads;
    for (const tensorflow::NodeDef& node : frozen.node()) {
      if (node.name() == graph.output_names()[0]) {
        if (node.input_size() > 0) reads = node.input(0);
        break;
      }
    }
    return Status::InvalidArgument(is + " from a Softmax: probabilities, not logits (give the node "
                                   "it reads, '" + reads + "')");
  }
  if (!IsLogits(spec, kNumClasses)) {
    return Status::InvalidArgument(is + ", not [N, " + std::to_string(kNumClasses) +
                                   "] logits (the labels have " + std::to_string(kNumClasses) +
                                   " classes)");
  }
  return Status::Ok();
}

// --eval of a TensorFlow checkpoint through its graph (see eval.h).
Status RunGraphEval(const EvalOptions& options, FILE* out, FILE* err) {
  MNIST_RETURN_IF_ERROR(CheckModelSource(options.source));
  std::optional<ImportedGraph> graph;
  std::string output, found;
  int converted = 0;
  std::vector<std::string> skipped;
  StatusOr<std::string> prefix = LoadFirstGood(
      options.source,
      [&](const std::string& p) -> Status {
        StatusOr<std::string> chosen = ChooseLogits(options, p, &found);
        if (!chosen.ok()) return chosen.status();
        output = *chosen;
        StatusOr<FrozenGraph> frozen = FreezeCheckpointGraph(p, {output}, options.source.use_ema);
        if (!frozen.ok()) return WithTensorFlags(WithSourceHint(frozen.status(), p, options.source), options);
        ImportOptions import{MetaFilename(p), {}, {output}};
        if (!options.input.empty()) import.inputs.push_back(options.input);
        StatusOr<ImportedGraph> imported = ImportedGraph::Import(frozen->graph, import);
        if (!imported.ok()) return WithTensorFlags(imported.status(), options);
        MNIST_RETURN_IF_ERROR(
            WithTensorFlags(CheckLogits(*imported, frozen->graph, output, MetaFilename(p)), options));
        graph = std::move(*imported);
        converted = frozen->converted_variables;
        return Status::Ok();
      },
      &skipped);
  for (const std::string& note : skipped) std::fprintf(err, "mnist: %s\n", note.c_str());
  if (!prefix.ok()) return prefix.status();
  const std::string where = MetaFilename(*prefix);
  StatusOr<BatchRunner> runner = BatchRunner::Create(&*graph, kImagePixels, 0, kEvalBatchSize);
  if (!runner.ok()) {
    return Status::InvalidArgument(where + ": " + WithInputHint(runner.status(), *graph).message());
  }
  std::fprintf(out, "restored %s%s: TensorFlow graph %s -> %s, %d variables as constants\n",
               prefix->c_str(), options.source.use_ema ? " (EMA shadows)" : "",
               EscapeControlBytes(graph->input_names()[0]).c_str(),
               EscapeControlBytes(output).c_str(), converted);
  if (!found.empty()) std::fprintf(out, "logits: %s\n", EscapeControlBytes(found).c_str());

  StatusOr<Split> test = LoadTestSplit(options, kImagePixels, out);
  if (!test.ok()) return test.status();
  TensorPtr held;  // keeps the last batch's logits alive for the map returned
  StatusOr<EvalResult> result = EvaluateLogits(
      [&](const float* x, int n) -> StatusOr<ConstMatrixMap> {
        StatusOr<std::vector<TensorPtr>> outputs = runner->Run(x, n);
        if (!outputs.ok()) return outputs.status();
        held = (*outputs)[0];
        if (held->shape != std::vector<int64_t>{n, kNumClasses}) {
          return Status::InvalidArgument(where + ": output '" + output + "' gave " +
                                         ShapeString(held->shape) + " for " + std::to_string(n) +
                                         " examples");
        }
        return ConstMatrixMap(held->floats.data(), kNumClasses,
                              n);  // row-major [n, C] = C x n column-major
      },
      kNumClasses, *test, runner->batch_size(), options.pixel_scale);
  if (!result.ok()) return result.status();
  PrintResult(*result, out);
  if (options.errors_png.empty()) return Status::Ok();
  return WriteErrorGrid(options.errors_png, *test, result->predictions, options.max_errors, out);
}

// True when the checkpoint --eval reads first has a .meta graph that is not
// ours (no dense/kernel node): a TensorFlow graph, evaluated through it. Any
// trouble reading it is left to our own loader to report.
bool IsTensorFlowGraph(const ModelSource& source) {
  if (!source.var_map.empty()) return false;  // --var-map loads into our network
  StatusOr<std::vector<std::string>> candidates = CandidateCheckpoints(source);
  if (!candidates.ok() || candidates->empty()) return false;
  StatusOr<tensorflow::MetaGraphDef> meta = ReadMetaGraph(candidates->front());
  if (!meta.ok() || meta->graph_def().node_size() == 0) return false;
  const std::string kernel = NamedDenseLayer(0).kernel;
  for (const tensorflow::NodeDef& node : meta->graph_def().node()) {
    if (node.name() == kernel) return false;
  }
  return true;
}

}  // namespace

Status CheckModelSource(const ModelSource& source) {
  if (source.checkpoint.empty()) return CheckFolderFlag(source.ckpt_dir, "--ckpt-dir", "a folder");
  return CheckCheckpointFlag("checkpoint", source.checkpoint);
}

StatusOr<LoadedModel> LoadAndReport(const ModelSource& source, FILE* out, FILE* err,
                                    RecordedRun* recorded) {
  MNIST_RETURN_IF_ERROR(CheckModelSource(source));
  std::vector<std::string> skipped;
  StatusOr<LoadedModel> loaded = LoadLatestModel(source, &skipped);
  for (const std::string& note : skipped) std::fprintf(err, "mnist: %s\n", note.c_str());
  if (!loaded.ok()) return loaded.status();
  std::fprintf(out, "restored %s%s\n", loaded->prefix.c_str(),
               source.use_ema ? " (EMA shadows)" : "");
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(loaded->prefix);
  if (!reader.ok()) return reader.status();
  StatusOr<RecordedRun> run = ReadRecordedRun(**reader);
  if (run.ok() && run->settings.recorded) {
    std::fprintf(out, "%s\n", SettingsLine(*run).c_str());
    if (recorded != nullptr) *recorded = std::move(*run);
  }
  return loaded;
}

Status RunEval(const EvalOptions& options, FILE* out, FILE* err) {
  if (!options.data_dir.empty()) {
    MNIST_RETURN_IF_ERROR(CheckFolderFlag(options.data_dir, "--data-dir", kDataDirTakes));
  }
  if (!options.errors_png.empty()) {  // before the evaluation, not after it
    MNIST_RETURN_IF_ERROR(PrepareOutputFile(options.errors_png, "--errors", ".png", "PNG"));
  }
  if (!options.output.empty() || !options.input.empty() || IsTensorFlowGraph(options.source)) {
    return RunGraphEval(options, out, err);
  }
  RecordedRun recorded;
  StatusOr<LoadedModel> loaded = LoadAndReport(options.source, out, err, &recorded);
  if (!loaded.ok()) return loaded.status();
  Mlp* model = loaded->model.get();

  EvalOptions with_data = options;
  if (with_data.data_dir.empty() && recorded.settings.recorded &&
      HasMnistFiles(recorded.settings.data_dir)) {
    with_data.data_dir = recorded.settings.data_dir;
  }
  StatusOr<Split> test = LoadTestSplit(with_data, model->input_size(), out);
  if (!test.ok()) return test.status();
  if (recorded.settings.recorded) NoteOtherData(recorded, with_data, *test, err);
  const EvalResult result = Evaluate(model, *test, options.pixel_scale);
  PrintResult(result, out);
  if (options.errors_png.empty()) return Status::Ok();
  return WriteErrorGrid(options.errors_png, *test, result.predictions, options.max_errors, out);
}

}  // namespace mnist

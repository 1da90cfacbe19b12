#include "app/cli/flags.h"

#include "app/cli/flag_list.h"
#include "app/cli/flag_number.h"
#include "app/cli/mode_flags.h"

#include <cstdint>
#include <cxxopts.hpp>
#include <limits>
#include <map>

#include "data/dataset/batches.h"

namespace mnist {
namespace {

// Numbers are declared to cxxopts as strings and parsed here
// (app/cli/flag_number.h), so an error quotes the value as typed and names the
// flag (cxxopts' own error names only the value).
constexpr int kIntMax = std::numeric_limits<int>::max();
std::string Text(const cxxopts::ParseResult& result, const std::string& name) {
  return result[name].as<std::string>();
}

// The flags that may be given more than once: each adds a value, and
// Values() reads them all, in order.
bool Repeatable(const std::string& flag) { return flag == "feed" || flag == "mirror"; }
std::vector<std::string> Values(const cxxopts::ParseResult& result, const std::string& name) {
  std::vector<std::string> values;
  for (const cxxopts::KeyValue& arg : result.arguments()) {
    if (arg.key() == name) values.push_back(arg.value());
  }
  return values;
}

// Adds help group `name` (--help shows the groups in the order added).
cxxopts::OptionAdder Group(cxxopts::Options* options, std::vector<std::string>* groups,
                           const std::string& name) {
  groups->push_back(name);
  return options->add_options(name);
}

void DeclareTrainFlags(cxxopts::Options* options, std::vector<std::string>* groups) {
  const TrainOptions defaults;
  // clang-format off
  Group(options, groups, "Train")
    ("train", "Train the network, evaluating after every epoch")
    ("epochs", "Total epochs", cxxopts::value<std::string>()->default_value(std::to_string(defaults.epochs)))
    ("batch-size", "Examples per step (more than the training set: all of it)", cxxopts::value<std::string>()->default_value(std::to_string(defaults.batch_size)))
    ("lr", "Adam learning rate", cxxopts::value<std::string>()->default_value("0.001"))
    ("l2", "L2 scale on the kernels (0 = off)", cxxopts::value<std::string>()->default_value("1e-4"))
    ("hidden", "Hidden layer widths", cxxopts::value<std::string>()->default_value("1024,512"))
    ("seed", "Seed for init and shuffling", cxxopts::value<std::string>()->default_value("0"))
    ("max-to-keep", "Best checkpoints kept; 0 keeps all",
     cxxopts::value<std::string>()->default_value(std::to_string(defaults.max_to_keep)))
    ("resume", "Continue from the resume checkpoint (else the latest best); --epochs is the total")
    ("overwrite", "Start a new run in a --ckpt-dir that holds an earlier run's checkpoints, deleting them")
    ("keep-going-on-save-error", "A failed save (e.g. a full disk) is reported and training "
                                 "goes on, retrying at the next improvement")
    ("ema-decay", "Keep ExponentialMovingAverage shadows with this decay (0 = off)",
     cxxopts::value<std::string>()->default_value("0"))
    ("validation-size", "First training images held out to validate and pick the best "
                        "checkpoint (0 = the test set does)",
     cxxopts::value<std::string>()->default_value(std::to_string(defaults.validation_size)));
  // clang-format on
}

void DeclareModelFlags(cxxopts::Options* options, std::vector<std::string>* groups) {
  // clang-format off
  Group(options, groups, "Eval")
    ("eval", "Evaluate the latest checkpoint (or --checkpoint) on the test set")
    ("checkpoint", "Checkpoint prefix to evaluate, e.g. ckpt/mnist.ckpt-7",
     cxxopts::value<std::string>())
    ("use-ema", "Evaluate the ExponentialMovingAverage shadows")
    ("var-map", "Restore under other names: ckpt_name=model_name,...",
     cxxopts::value<std::string>())
    ("errors", "Also write the misclassified test images as a PNG grid, labelled true>predicted",
     cxxopts::value<std::string>(), "FILE.png")
    ("max", "Most images in the --errors grid",
     cxxopts::value<std::string>()->default_value(std::to_string(EvalOptions{}.max_errors)))
    ("pixel-scale", "What the network sees of a pixel byte is byte x this: 1 for a graph "
                    "trained on raw 0-255 pixels (also --predict, --run)",
     cxxopts::value<std::string>()->default_value(PixelScaleText(kDefaultPixelScale)), "S");
  Group(options, groups, "Inspect")
    ("inspect", "List the tensors of checkpoint PREFIX (with --tensor: show one)",
     cxxopts::value<std::string>(), "PREFIX")
    ("tensor", "Tensor to show", cxxopts::value<std::string>());
  Group(options, groups, "Freeze")
    ("freeze", "Write the latest checkpoint (or --checkpoint) as one frozen GraphDef "
               "(--output, default model/frozen_model.pb)")
    ("output-nodes", "Freeze any TensorFlow 1 checkpoint's graph down to these nodes",
     cxxopts::value<std::string>(), "NAME[,NAME]")
    ("meta", "The graph to freeze when it is not <checkpoint>.meta: a .meta or a SavedModel's "
             "saved_model.pb (with --output-nodes)", cxxopts::value<std::string>(), "FILE")
    ("text", "Write protobuf text format instead of binary");
  Group(options, groups, "Predict")
    ("predict", "Run frozen GraphDef MODEL (ours or TensorFlow's) on --images",
     cxxopts::value<std::string>(), "MODEL")
    ("images", "IDX images to run (raw or .gz)", cxxopts::value<std::string>())
    ("labels", "IDX labels; prints accuracy and confusion instead of classes",
     cxxopts::value<std::string>())
    ("input", "The tensor the images feed (default the graph's one placeholder); "
              "also --eval of a TensorFlow graph",
     cxxopts::value<std::string>())
    ("probabilities", "Print the softmax row after each class (not with --labels)");
  Group(options, groups, "Run")
    ("run", "Run frozen GraphDef GRAPH (ours or TensorFlow's) on --feed values and print "
            "the --fetch tensors as numpy does", cxxopts::value<std::string>(), "GRAPH")
    ("feed", "A tensor to feed: NAME=VALUE, VALUE a scalar (4.), a nested list ([[1,2],[3,4]]) "
             "or a .npy file; repeatable", cxxopts::value<std::string>(), "NAME=VALUE")
    ("fetch", "The tensors to print (default the graph's sinks)", cxxopts::value<std::string>(),
     "NAME[,NAME]");
  Group(options, groups, "Export")
    ("export-onnx", "Write the latest checkpoint (or --checkpoint) as ONNX model FILE (opset 13)",
     cxxopts::value<std::string>(), "FILE");
  // clang-format on
}

void DeclareOtherFlags(cxxopts::Options* options, std::vector<std::string>* groups) {
  // clang-format off
  Group(options, groups, "Plot")
    ("plot", "Draw <ckpt-dir>/metrics.csv as an SVG of the training curves "
             "(--output, default <ckpt-dir>/training.svg)");
  Group(options, groups, "Download")
    ("download", "Fetch the four MNIST files into --data-dir (default: data/mnist), "
                 "checking each file's size and md5");
  // Not shown by --help: tests point --download at their own files.
  options->add_options("Hidden")
    ("mirror", "Base URL to fetch from instead of the public mirrors (repeatable)",
     cxxopts::value<std::string>());
  Group(options, groups, "Common")
    ("data-dir", "Directory with the four IDX files (raw or .gz); default ./data/mnist "
                 "if present, else Debian's Fashion-MNIST", cxxopts::value<std::string>())
    ("ckpt-dir", "Checkpoint directory (not with --checkpoint)", cxxopts::value<std::string>()->default_value(TrainOptions{}.ckpt_dir))
    ("threads", "OpenMP threads, 1 to " + std::to_string(kMaxThreads) + " (default: all cores)", cxxopts::value<std::string>())
    ("output", "The file --freeze or --plot writes; --predict: the tensors to return, "
               "NAME[,NAME] (default the graph's sinks); --eval: the logits node of a "
               "TensorFlow checkpoint's graph",
     cxxopts::value<std::string>(), "FILE|NAME")
    ("version", "Print the version and the versions of the libraries")
    ("h,help", "Show this help");
  // clang-format on
}

// The one mode `result` names. InvalidArgument with the one-line usage when
// it names none, and when it names several.
StatusOr<Mode> ReadMode(const cxxopts::ParseResult& result) {
  if (result.count("help")) return Mode::kHelp;
  Mode mode = Mode::kHelp;
  int modes = 0;
  for (const ModeFlag& m : kModeFlags) {
    if (result.count(m.flag) == 0) continue;
    ++modes;
    mode = m.mode;
  }
  if (modes == 0) return Status::InvalidArgument(UsageLine());
  if (modes > 1) return Status::InvalidArgument("give one mode: " + ModeList(", "));
  return mode;
}

// Each flag given once (but the repeatable ones), with a value that is not
// empty, and read by `mode`.
Status CheckEachFlag(const cxxopts::ParseResult& result, const cxxopts::Options& options,
                     Mode mode) {
  std::map<std::string, std::string> seen;  // flag -> its first value
  for (const cxxopts::KeyValue& arg : result.arguments()) {
    auto [first, added] = seen.emplace(arg.key(), arg.value());
    if (!added && !Repeatable(arg.key())) {
      return Status::InvalidArgument("--" + arg.key() + " is given twice (\"" + first->second +
                                     "\", then \"" + arg.value() + "\"); give it once");
    }
  }
  StatusOr<std::map<std::string, std::vector<Mode>>> readers = FlagReaders(options);
  if (!readers.ok()) return readers.status();
  MNIST_RETURN_IF_ERROR(CheckFlagsFitMode(result, mode, *readers));
  for (const cxxopts::KeyValue& arg : result.arguments()) {  // no flag takes "" as a path or name
    if (arg.value().empty()) {
      return Status::InvalidArgument("--" + arg.key() + " \"\": must not be empty");
    }
  }
  return Status::Ok();
}

// Flags that, given together, would leave one of them unread.
Status CheckFlagsTogether(const cxxopts::ParseResult& result) {
  if (result.count("resume") && result.count("overwrite")) {
    return Status::InvalidArgument("--resume and --overwrite: give one");
  }
  if (result.count("checkpoint") && result.count("ckpt-dir")) {
    return Status::InvalidArgument(
        "--checkpoint and --ckpt-dir: give one (--checkpoint names the checkpoint to read, "
        "--ckpt-dir the directory whose latest checkpoint is read)");
  }
  if (result.count("max") && !result.count("errors")) {
    return Status::InvalidArgument("--max " + Text(result, "max") +
                                   ": it limits the --errors grid; give it with --errors FILE.png");
  }
  if (result.count("probabilities") && result.count("labels")) {
    return Status::InvalidArgument(
        "--probabilities and --labels: give one (with --labels, --predict prints the accuracy and "
        "the confusion matrix, not each image's row)");
  }
  if (result.count("meta") && !result.count("output-nodes")) {
    return Status::InvalidArgument("--meta " + Text(result, "meta") +
                                   ": it names the graph --output-nodes freezes; give --output-nodes");
  }
  if (result.count("output-nodes") && SplitNames(Text(result, "output-nodes")).empty()) {
    return Status::InvalidArgument("--output-nodes \"" + Text(result, "output-nodes") +
                                   "\": names no node; give NAME[,NAME]");
  }
  if (result.count("output-nodes") && result.count("var-map")) {
    return Status::InvalidArgument(
        "--output-nodes and --var-map: give one (--output-nodes freezes the checkpoint's own graph "
        "under its own names)");
  }
  if (result.count("predict") && !result.count("images")) {
    return Status::InvalidArgument("--predict needs --images FILE");
  }
  return Status::Ok();
}

// The training options (their defaults parsed too: the other modes take
// --data-dir, --ckpt-dir, --threads and --batch-size from them).
Status ReadTrainOptions(const cxxopts::ParseResult& result, TrainOptions* t) {
  if (result.count("data-dir")) t->data_dir = Text(result, "data-dir");
  t->ckpt_dir = Text(result, "ckpt-dir");
  MNIST_RETURN_IF_ERROR(ParseIntFlag("epochs", Text(result, "epochs"), 1, kIntMax, &t->epochs));
  MNIST_RETURN_IF_ERROR(
      ParseIntFlag("batch-size", Text(result, "batch-size"), 1, kIntMax, &t->batch_size));
  MNIST_RETURN_IF_ERROR(ParseFloatFlag("lr", Text(result, "lr"), {0, false}, &t->learning_rate));
  MNIST_RETURN_IF_ERROR(ParseFloatFlag("l2", Text(result, "l2"), {0, true}, &t->l2));
  MNIST_RETURN_IF_ERROR(ParseUint64Flag("seed", Text(result, "seed"), &t->seed));
  if (result.count("threads") != 0) {  // not given: OpenMP's default, all cores
    MNIST_RETURN_IF_ERROR(
        ParseIntFlag("threads", Text(result, "threads"), 1, kMaxThreads, &t->threads));
  }
  MNIST_RETURN_IF_ERROR(
      ParseIntFlag("max-to-keep", Text(result, "max-to-keep"), 0, kIntMax, &t->max_to_keep));
  MNIST_RETURN_IF_ERROR(
      ParseFloatFlag("ema-decay", Text(result, "ema-decay"), {0, true, 1, false}, &t->ema_decay));
  MNIST_RETURN_IF_ERROR(ParseIntFlag("validation-size", Text(result, "validation-size"), 0,
                                     kIntMax, &t->validation_size));
  for (const cxxopts::KeyValue& arg : result.arguments()) t->given.insert(arg.key());
  t->resume = result.count("resume") > 0;
  t->overwrite = result.count("overwrite") > 0;
  t->keep_going_on_save_error = result.count("keep-going-on-save-error") > 0;
  StatusOr<std::vector<int>> hidden = ParseWidths(Text(result, "hidden"));
  if (!hidden.ok()) return hidden.status();
  t->hidden = *hidden;
  return Status::Ok();
}

// The checkpoint to read (--eval, --freeze, --export-onnx) and --eval's options.
Status ReadEvalOptions(const cxxopts::ParseResult& result, const TrainOptions& t, EvalOptions* e) {
  e->source.ckpt_dir = t.ckpt_dir;
  e->data_dir = t.data_dir;
  if (result.count("checkpoint")) e->source.checkpoint = Text(result, "checkpoint");
  e->source.use_ema = result.count("use-ema") > 0;
  if (result.count("var-map")) {
    StatusOr<std::map<std::string, std::string>> map = ParseVarMap(Text(result, "var-map"));
    if (!map.ok()) return map.status();
    e->source.var_map = *map;
  }
  if (result.count("errors")) e->errors_png = Text(result, "errors");
  if (result.count("input")) e->input = Text(result, "input");
  if (result.count("output")) e->output = Text(result, "output");
  MNIST_RETURN_IF_ERROR(
      ParseFractionFlag("pixel-scale", Text(result, "pixel-scale"), {0, false}, &e->pixel_scale));
  return ParseIntFlag("max", Text(result, "max"), 1, kIntMax, &e->max_errors);
}

// The options of the modes that do not train or evaluate.
void ReadOtherModeOptions(const cxxopts::ParseResult& result, Command* command) {
  const bool output = result.count("output") > 0;
  FreezeOptions& f = command->freeze;
  f.source = command->eval.source;
  if (output) f.output = Text(result, "output");
  f.text = result.count("text") > 0;
  if (result.count("output-nodes")) f.output_nodes = SplitNames(Text(result, "output-nodes"));
  if (result.count("meta")) f.meta = Text(result, "meta");
  command->export_onnx.source = command->eval.source;
  if (result.count("export-onnx")) command->export_onnx.output = Text(result, "export-onnx");
  PredictOptions& p = command->predict;
  if (result.count("predict")) p.model = Text(result, "predict");
  if (result.count("images")) p.images = Text(result, "images");
  if (result.count("labels")) p.labels = Text(result, "labels");
  if (result.count("input")) p.input = Text(result, "input");
  if (output) p.outputs = SplitNames(Text(result, "output"));
  if (result.count("batch-size")) p.batch_size = command->train.batch_size;
  p.probabilities = result.count("probabilities") > 0;
  p.pixel_scale = command->eval.pixel_scale;
  if (result.count("inspect")) command->inspect = Text(result, "inspect");
  if (result.count("tensor")) command->tensor = Text(result, "tensor");
  command->plot.ckpt_dir = command->train.ckpt_dir;
  if (output) command->plot.output = Text(result, "output");
  if (result.count("data-dir")) command->download.dir = command->train.data_dir;
  command->download.mirrors = Values(result, "mirror");
}

// --run's options.
// --pixel-scale was read once, with --eval's options.
Status ReadRunOptions(const cxxopts::ParseResult& result, const EvalOptions& eval, RunOptions* r) {
  r->pixel_scale = eval.pixel_scale;
  if (result.count("run")) r->model = Text(result, "run");
  for (const std::string& text : Values(result, "feed")) {
    StatusOr<Feed> feed = ParseFeedFlag(text);
    if (!feed.ok()) return feed.status();
    r->feeds.push_back(std::move(*feed));
  }
  if (result.count("fetch")) r->fetches = SplitNames(Text(result, "fetch"));
  return Status::Ok();
}

}  // namespace

std::string UsageLine() {
  std::string modes = ModeList("|");
  return "usage: mnist " + modes + " [options]; mnist --help lists the options";
}

StatusOr<Command> ParseCommandLine(int argc, const char* const* argv) {
  cxxopts::Options options("mnist", "Trains a dense ReLU digit classifier with "
                                    "TensorFlow-format checkpoints.");
  options.custom_help(ModeList(" | ") + " | --help [options]");
  std::vector<std::string> help_groups;  // one per mode, led by its mode flag, then the shared ones
  DeclareTrainFlags(&options, &help_groups);
  DeclareModelFlags(&options, &help_groups);
  DeclareOtherFlags(&options, &help_groups);

  Command command;
  command.help_text = options.help(help_groups);
  try {
    cxxopts::ParseResult result = options.parse(argc, argv);
    if (!result.unmatched().empty()) {
      return Status::InvalidArgument("unexpected argument \"" + result.unmatched().front() +
                                     "\" (see mnist --help)");
    }
    StatusOr<Mode> mode = ReadMode(result);
    if (!mode.ok()) return mode.status();
    command.mode = *mode;
    if (command.mode == Mode::kHelp) return command;
    MNIST_RETURN_IF_ERROR(CheckEachFlag(result, options, command.mode));
    MNIST_RETURN_IF_ERROR(CheckFlagsTogether(result));
    MNIST_RETURN_IF_ERROR(ReadTrainOptions(result, &command.train));
    MNIST_RETURN_IF_ERROR(ReadEvalOptions(result, command.train, &command.eval));
    ReadOtherModeOptions(result, &command);
    MNIST_RETURN_IF_ERROR(ReadRunOptions(result, command.eval, &command.run));
  } catch (const cxxopts::exceptions::exception& ex) {
    return Status::InvalidArgument(std::string(ex.what()) + " (see mnist --help)");
  }
  return command;
}

}  // namespace mnist

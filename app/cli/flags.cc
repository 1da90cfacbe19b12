#include "app/cli/flags.h"

#include "app/cli/flag_number.h"
#include "app/cli/mode_flags.h"
#include "checkpoints/saver/saver.h"

#include <algorithm>
#include <cstdint>
#include <cxxopts.hpp>
#include <limits>
#include <map>

namespace mnist {

StatusOr<std::vector<int>> ParseWidths(const std::string& text) {
  std::vector<int> widths;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos
                                                                        : comma - start);
    size_t used = 0;
    long value = 0;
    try {
      value = std::stol(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || value < 1 || value > (1 << 20)) {
      return Status::BadFlag("--hidden \"" + text +
                                     "\": expected comma-separated positive widths, e.g. 1024,512");
    }
    widths.push_back(static_cast<int>(value));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return widths;
}

namespace {

// "a,b" -> {"a", "b"}; empty items are dropped.
std::vector<std::string> SplitNames(const std::string& text) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) names.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

// Numbers are declared to cxxopts as strings and parsed here
// (app/cli/flag_number.h), so an error quotes the value as typed and names the
// flag (cxxopts' own error names only the value).
constexpr int kIntMax = std::numeric_limits<int>::max();
std::string Text(const cxxopts::ParseResult& result, const std::string& name) {
  return result[name].as<std::string>();
}

}  // namespace

StatusOr<Command> ParseCommandLine(int argc, const char* const* argv) {
  TrainOptions defaults;
  cxxopts::Options options("mnist", "Trains a dense ReLU digit classifier with "
                                    "TensorFlow-format checkpoints.");
  options.custom_help(ModeList(" | ") + " | --help [options]");
  // --help shows the groups in the order they are declared here: one group
  // per mode, led by its mode flag, then the flags several modes share.
  std::vector<std::string> help_groups;
  auto group = [&](const std::string& name) {
    help_groups.push_back(name);
    return options.add_options(name);
  };
  // clang-format off
  group("Train")
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
  group("Eval")
    ("eval", "Evaluate the latest checkpoint (or --checkpoint) on the test set")
    ("checkpoint", "Checkpoint prefix to evaluate, e.g. ckpt/mnist.ckpt-7",
     cxxopts::value<std::string>())
    ("use-ema", "Evaluate the ExponentialMovingAverage shadows")
    ("var-map", "Restore under other names: ckpt_name=model_name,...",
     cxxopts::value<std::string>())
    ("errors", "Also write the misclassified test images as a PNG grid, labelled true>predicted",
     cxxopts::value<std::string>(), "FILE.png")
    ("max", "Most images in the --errors grid",
     cxxopts::value<std::string>()->default_value(std::to_string(EvalOptions{}.max_errors)));
  group("Inspect")
    ("inspect", "List the tensors of checkpoint PREFIX (with --tensor: show one)",
     cxxopts::value<std::string>(), "PREFIX")
    ("tensor", "Tensor to show", cxxopts::value<std::string>());
  group("Freeze")
    ("freeze", "Write the latest checkpoint (or --checkpoint) as one frozen GraphDef "
               "(--output, default model/frozen_model.pb)")
    ("text", "Write protobuf text format instead of binary");
  group("Predict")
    ("predict", "Run frozen GraphDef MODEL (ours or TensorFlow's) on --images",
     cxxopts::value<std::string>(), "MODEL")
    ("images", "IDX images to run (raw or .gz)", cxxopts::value<std::string>())
    ("labels", "IDX labels; prints accuracy and confusion instead of classes",
     cxxopts::value<std::string>())
    ("input", "The tensor the images feed (default the graph's one placeholder); "
              "also --eval of a TensorFlow graph",
     cxxopts::value<std::string>())
    ("probabilities", "Print the softmax row after each class");
  group("Export")
    ("export-onnx", "Write the latest checkpoint (or --checkpoint) as ONNX model FILE (opset 13)",
     cxxopts::value<std::string>(), "FILE");
  group("Plot")
    ("plot", "Draw <ckpt-dir>/metrics.csv as an SVG of the training curves "
             "(--output, default <ckpt-dir>/training.svg)");
  group("Download")
    ("download", "Fetch the four MNIST files into --data-dir (default: data/mnist), "
                 "checking each file's size and md5");
  // Not shown by --help: tests point --download at their own files.
  options.add_options("Hidden")
    ("mirror", "Base URL to fetch from instead of the public mirrors (repeatable)",
     cxxopts::value<std::vector<std::string>>());
  group("Common")
    ("data-dir", "Directory with the four IDX files (raw or .gz); default ./data/mnist "
                 "if present, else Debian's Fashion-MNIST", cxxopts::value<std::string>())
    ("ckpt-dir", "Checkpoint directory", cxxopts::value<std::string>()->default_value(defaults.ckpt_dir))
    ("threads", "OpenMP threads, 1 to " + std::to_string(kMaxThreads) + " (default: all cores)", cxxopts::value<std::string>())
    ("output", "The file --freeze or --plot writes; --predict: the tensors to return, "
               "NAME[,NAME] (default the graph's sinks); --eval: the logits node of a "
               "TensorFlow checkpoint's graph",
     cxxopts::value<std::string>(), "FILE|NAME")
    ("version", "Print the version and the versions of the libraries")
    ("h,help", "Show this help");
  // clang-format on

  Command command;
  command.help_text = options.help(help_groups);
  try {
    cxxopts::ParseResult result = options.parse(argc, argv);
    if (!result.unmatched().empty()) {
      return Status::BadFlag("unexpected argument \"" + result.unmatched().front() +
                                     "\" (see mnist --help)");
    }
    int modes = 0;
    for (const ModeFlag& m : kModeFlags) {
      if (result.count(m.flag) == 0) continue;
      ++modes;
      command.mode = m.mode;
    }
    if (result.count("help") || modes == 0) {
      command.mode = Mode::kHelp;
      return command;
    }
    if (modes > 1) return Status::BadFlag("give one mode: " + ModeList(", "));
    StatusOr<std::map<std::string, std::vector<Mode>>> readers = FlagReaders(options);
    if (!readers.ok()) return readers.status();
    MNIST_RETURN_IF_ERROR(CheckFlagsFitMode(result, command.mode, *readers));
    for (const cxxopts::KeyValue& arg : result.arguments()) {  // no flag takes "" as a path or name
      if (arg.value().empty()) return Status::BadFlag("--" + arg.key() + " \"\": must not be empty");
    }

    TrainOptions& t = command.train;
    if (result.count("data-dir")) t.data_dir = result["data-dir"].as<std::string>();
    t.ckpt_dir = result["ckpt-dir"].as<std::string>();
    MNIST_RETURN_IF_ERROR(ParseIntFlag("epochs", Text(result, "epochs"), 1, kIntMax, &t.epochs));
    MNIST_RETURN_IF_ERROR(
        ParseIntFlag("batch-size", Text(result, "batch-size"), 1, kIntMax, &t.batch_size));
    MNIST_RETURN_IF_ERROR(ParseFloatFlag("lr", Text(result, "lr"), {0, false}, &t.learning_rate));
    MNIST_RETURN_IF_ERROR(ParseFloatFlag("l2", Text(result, "l2"), {0, true}, &t.l2));
    MNIST_RETURN_IF_ERROR(ParseUint64Flag("seed", Text(result, "seed"), &t.seed));
    if (result.count("threads") != 0) {  // not given: OpenMP's default, all cores
      MNIST_RETURN_IF_ERROR(ParseIntFlag("threads", Text(result, "threads"), 1, kMaxThreads, &t.threads));
    }
    MNIST_RETURN_IF_ERROR(
        ParseIntFlag("max-to-keep", Text(result, "max-to-keep"), 0, kIntMax, &t.max_to_keep));
    MNIST_RETURN_IF_ERROR(
        ParseFloatFlag("ema-decay", Text(result, "ema-decay"), {0, true, 1, false}, &t.ema_decay));
    MNIST_RETURN_IF_ERROR(ParseIntFlag("validation-size", Text(result, "validation-size"), 0,
                                       kIntMax, &t.validation_size));
    for (const cxxopts::KeyValue& arg : result.arguments()) t.given.insert(arg.key());
    t.resume = result.count("resume") > 0;
    t.overwrite = result.count("overwrite") > 0;
    if (t.resume && t.overwrite) return Status::BadFlag("--resume and --overwrite: give one");
    t.keep_going_on_save_error = result.count("keep-going-on-save-error") > 0;
    StatusOr<std::vector<int>> hidden = ParseWidths(result["hidden"].as<std::string>());
    if (!hidden.ok()) return hidden.status();
    t.hidden = *hidden;

    EvalOptions& e = command.eval;
    e.source.ckpt_dir = t.ckpt_dir;
    e.data_dir = t.data_dir;
    if (result.count("checkpoint")) e.source.checkpoint = result["checkpoint"].as<std::string>();
    e.source.use_ema = result.count("use-ema") > 0;
    if (result.count("var-map")) {
      StatusOr<std::map<std::string, std::string>> map =
          ParseVarMap(result["var-map"].as<std::string>());
      if (!map.ok()) return map.status();
      e.source.var_map = *map;
    }
    if (result.count("errors")) e.errors_png = result["errors"].as<std::string>();
    MNIST_RETURN_IF_ERROR(ParseIntFlag("max", Text(result, "max"), 1, kIntMax, &e.max_errors));
    if (command.mode == Mode::kFreeze) {
      FreezeOptions& f = command.freeze;
      f.source = e.source;
      if (result.count("output")) f.output = result["output"].as<std::string>();
      f.text = result.count("text") > 0;
    }

    if (command.mode == Mode::kEval) {
      if (result.count("input")) e.input = result["input"].as<std::string>();
      if (result.count("output")) e.output = result["output"].as<std::string>();
    }

    if (command.mode == Mode::kExportOnnx) {
      command.export_onnx.source = e.source;
      command.export_onnx.output = result["export-onnx"].as<std::string>();
    }

    PredictOptions& p = command.predict;
    if (command.mode == Mode::kPredict) {
      p.model = result["predict"].as<std::string>();
      if (!result.count("images")) return Status::BadFlag("--predict needs --images FILE");
      p.images = result["images"].as<std::string>();
      if (result.count("labels")) p.labels = result["labels"].as<std::string>();
      if (result.count("input")) p.input = result["input"].as<std::string>();
      if (result.count("output")) p.outputs = SplitNames(result["output"].as<std::string>());
      if (result.count("batch-size")) p.batch_size = t.batch_size;
      p.probabilities = result.count("probabilities") > 0;
    }

    if (command.mode == Mode::kInspect) command.inspect = result["inspect"].as<std::string>();
    if (result.count("tensor")) command.tensor = result["tensor"].as<std::string>();
    command.plot.ckpt_dir = t.ckpt_dir;
    if (result.count("output")) command.plot.output = result["output"].as<std::string>();
    if (result.count("data-dir")) command.download.dir = t.data_dir;
    if (result.count("mirror")) command.download.mirrors = result["mirror"].as<std::vector<std::string>>();
  } catch (const cxxopts::exceptions::exception& ex) {
    return Status::BadFlag(std::string(ex.what()) + " (see mnist --help)");
  }
  return command;
}

}  // namespace mnist

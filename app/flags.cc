#include "app/flags.h"

#include "checkpoints/saver.h"

#include <cstdint>
#include <cxxopts.hpp>

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
      return Status::InvalidArgument("--hidden \"" + text +
                                     "\": expected comma-separated positive widths, e.g. 1024,512");
    }
    widths.push_back(static_cast<int>(value));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return widths;
}

namespace {

// Each mode's flag; exactly one must be given (none shows the help).
constexpr std::pair<const char*, Mode> kModes[] = {
    {"train", Mode::kTrain},
    {"eval", Mode::kEval},
    {"inspect", Mode::kInspect},
    {"freeze", Mode::kFreeze},
    {"predict", Mode::kPredict},
    {"export-onnx", Mode::kExportOnnx},
};

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

// Numbers are declared to cxxopts as strings and converted here, so a value
// that does not parse is InvalidArgument naming the flag (cxxopts' own error
// names only the value).
bool ParseNumber(const std::string& text, int* out) {
  size_t used = 0;
  long v = std::stol(text, &used);
  if (v < INT32_MIN || v > INT32_MAX) return false;
  *out = static_cast<int>(v);
  return used == text.size();
}
bool ParseNumber(const std::string& text, uint64_t* out) {
  size_t used = 0;
  if (!text.empty() && text[0] == '-') return false;
  *out = std::stoull(text, &used);
  return used == text.size();
}
bool ParseNumber(const std::string& text, float* out) {
  size_t used = 0;
  *out = std::stof(text, &used);
  return used == text.size();
}

template <typename T>
Status Get(const cxxopts::ParseResult& result, const std::string& name, T* out) {
  const std::string text = result[name].as<std::string>();
  bool ok = false;
  try {
    ok = ParseNumber(text, out);
  } catch (const std::exception&) {
    ok = false;
  }
  if (!ok) {
    return Status::InvalidArgument("--" + name + " \"" + text +
                                   "\": not a valid number (see mnist --help)");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<Command> ParseCommandLine(int argc, const char* const* argv) {
  TrainOptions defaults;
  cxxopts::Options options("mnist", "Trains a dense ReLU digit classifier with "
                                    "TensorFlow-format checkpoints.");
  // clang-format off
  options.add_options("Mode")
    ("train", "Train the network, evaluating after every epoch")
    ("eval", "Evaluate the latest checkpoint (or --checkpoint) on the test set")
    ("freeze", "Write the latest checkpoint (or --checkpoint) as one frozen GraphDef (--output)")
    ("predict", "Run frozen GraphDef MODEL (ours or TensorFlow's) on --images",
     cxxopts::value<std::string>(), "MODEL")
    ("export-onnx", "Write the latest checkpoint (or --checkpoint) as ONNX model FILE (opset 13)",
     cxxopts::value<std::string>(), "FILE")
    ("inspect", "List the tensors of checkpoint PREFIX (with --tensor: show one)",
     cxxopts::value<std::string>(), "PREFIX")
    ("h,help", "Show this help");
  options.add_options("Data and checkpoints")
    ("data-dir", "Directory with the four IDX files (raw or .gz); default ./data/mnist "
                 "if present, else Debian's Fashion-MNIST", cxxopts::value<std::string>())
    ("ckpt-dir", "Checkpoint directory", cxxopts::value<std::string>()->default_value(defaults.ckpt_dir))
    ("checkpoint", "Checkpoint prefix to evaluate, e.g. ckpt/mnist.ckpt-7 (--eval)",
     cxxopts::value<std::string>())
    ("max-to-keep", "Best checkpoints kept; 0 keeps all",
     cxxopts::value<std::string>()->default_value(std::to_string(defaults.max_to_keep)))
    ("resume", "Continue from the resume checkpoint (else the latest best); --epochs is the total")
    ("use-ema", "Evaluate the ExponentialMovingAverage shadows (--eval)")
    ("var-map", "Restore under other names: ckpt_name=model_name,... (--eval)",
     cxxopts::value<std::string>())
    ("tensor", "Tensor to show (--inspect)", cxxopts::value<std::string>());
  options.add_options("One-file models")
    ("output", "--freeze: the GraphDef file (default model/frozen_model.pb); --predict: "
               "the tensors to return, NAME[,NAME] (default the graph's sinks); --eval: the "
               "logits node of a TensorFlow checkpoint's graph",
     cxxopts::value<std::string>())
    ("text", "--freeze: write protobuf text format instead of binary")
    ("images", "--predict: IDX images to run (raw or .gz)", cxxopts::value<std::string>())
    ("labels", "--predict: IDX labels; prints accuracy and confusion instead of classes",
     cxxopts::value<std::string>())
    ("input", "--predict, --eval with --output: the tensor the images feed (default the "
              "graph's one placeholder)",
     cxxopts::value<std::string>())
    ("probabilities", "--predict: print the softmax row after each class");
  options.add_options("Training")
    ("epochs", "Total epochs", cxxopts::value<std::string>()->default_value(std::to_string(defaults.epochs)))
    ("batch-size", "Examples per step", cxxopts::value<std::string>()->default_value(std::to_string(defaults.batch_size)))
    ("lr", "Adam learning rate", cxxopts::value<std::string>()->default_value("0.001"))
    ("l2", "L2 scale on the kernels (0 = off)", cxxopts::value<std::string>()->default_value("1e-4"))
    ("hidden", "Hidden layer widths", cxxopts::value<std::string>()->default_value("1024,512"))
    ("seed", "Seed for init and shuffling", cxxopts::value<std::string>()->default_value("0"))
    ("threads", "OpenMP threads (0 = all cores)", cxxopts::value<std::string>()->default_value("0"))
    ("ema-decay", "Keep ExponentialMovingAverage shadows with this decay (0 = off)",
     cxxopts::value<std::string>()->default_value("0"));
  // clang-format on

  Command command;
  command.help_text = options.help({"Mode", "Data and checkpoints", "One-file models", "Training"});
  try {
    cxxopts::ParseResult result = options.parse(argc, argv);
    if (!result.unmatched().empty()) {
      return Status::InvalidArgument("unexpected argument \"" + result.unmatched().front() +
                                     "\" (see mnist --help)");
    }
    int modes = 0;
    std::string mode_names;
    for (const auto& [flag, mode] : kModes) {
      mode_names += (mode_names.empty() ? "--" : ", --") + std::string(flag);
      if (result.count(flag) == 0) continue;
      command.mode = mode;
      ++modes;
    }
    if (result.count("help") || modes == 0) {
      command.mode = Mode::kHelp;
      return command;
    }
    if (modes > 1) return Status::InvalidArgument("give one mode: " + mode_names);

    TrainOptions& t = command.train;
    if (result.count("data-dir")) t.data_dir = result["data-dir"].as<std::string>();
    t.ckpt_dir = result["ckpt-dir"].as<std::string>();
    MNIST_RETURN_IF_ERROR(Get(result, "epochs", &t.epochs));
    MNIST_RETURN_IF_ERROR(Get(result, "batch-size", &t.batch_size));
    MNIST_RETURN_IF_ERROR(Get(result, "lr", &t.learning_rate));
    MNIST_RETURN_IF_ERROR(Get(result, "l2", &t.l2));
    MNIST_RETURN_IF_ERROR(Get(result, "seed", &t.seed));
    MNIST_RETURN_IF_ERROR(Get(result, "threads", &t.threads));
    MNIST_RETURN_IF_ERROR(Get(result, "max-to-keep", &t.max_to_keep));
    MNIST_RETURN_IF_ERROR(Get(result, "ema-decay", &t.ema_decay));
    t.resume = result.count("resume") > 0;
    StatusOr<std::vector<int>> hidden = ParseWidths(result["hidden"].as<std::string>());
    if (!hidden.ok()) return hidden.status();
    t.hidden = *hidden;
    if (command.mode == Mode::kTrain) MNIST_RETURN_IF_ERROR(ValidateTrainOptions(t));

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
      if (!result.count("images")) return Status::InvalidArgument("--predict needs --images FILE");
      p.images = result["images"].as<std::string>();
      if (result.count("labels")) p.labels = result["labels"].as<std::string>();
      if (result.count("input")) p.input = result["input"].as<std::string>();
      if (result.count("output")) p.outputs = SplitNames(result["output"].as<std::string>());
      if (result.count("batch-size")) {
        p.batch_size = t.batch_size;
        if (p.batch_size < 1) {
          return Status::InvalidArgument("--batch-size " + std::to_string(p.batch_size) +
                                         ": must be at least 1");
        }
      }
      p.probabilities = result.count("probabilities") > 0;
    }

    if (command.mode == Mode::kInspect) command.inspect = result["inspect"].as<std::string>();
    if (result.count("tensor")) command.tensor = result["tensor"].as<std::string>();
  } catch (const cxxopts::exceptions::exception& ex) {
    return Status::InvalidArgument(std::string(ex.what()) + " (see mnist --help)");
  }
  return command;
}

}  // namespace mnist

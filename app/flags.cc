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
    ("keep-going-on-save-error", "A failed save (e.g. a full disk) is reported and training "
                                 "goes on, retrying at the next improvement")
    ("use-ema", "Evaluate the ExponentialMovingAverage shadows (--eval)")
    ("var-map", "Restore under other names: ckpt_name=model_name,... (--eval)",
     cxxopts::value<std::string>())
    ("tensor", "Tensor to show (--inspect)", cxxopts::value<std::string>());
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
  command.help_text = options.help({"Mode", "Data and checkpoints", "Training"});
  try {
    cxxopts::ParseResult result = options.parse(argc, argv);
    if (!result.unmatched().empty()) {
      return Status::InvalidArgument("unexpected argument \"" + result.unmatched().front() +
                                     "\" (see mnist --help)");
    }
    const int modes =
        static_cast<int>(result.count("train") + result.count("eval") + result.count("inspect"));
    if (result.count("help") || modes == 0) return command;
    if (modes > 1) return Status::InvalidArgument("give one mode: --train, --eval or --inspect");
    command.mode = result.count("train") ? Mode::kTrain
                   : result.count("eval") ? Mode::kEval
                                          : Mode::kInspect;

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
    t.keep_going_on_save_error = result.count("keep-going-on-save-error") > 0;
    StatusOr<std::vector<int>> hidden = ParseWidths(result["hidden"].as<std::string>());
    if (!hidden.ok()) return hidden.status();
    t.hidden = *hidden;
    if (command.mode == Mode::kTrain) MNIST_RETURN_IF_ERROR(ValidateTrainOptions(t));

    EvalOptions& e = command.eval;
    e.ckpt_dir = t.ckpt_dir;
    e.data_dir = t.data_dir;
    if (result.count("checkpoint")) e.checkpoint = result["checkpoint"].as<std::string>();
    e.use_ema = result.count("use-ema") > 0;
    if (result.count("var-map")) {
      StatusOr<std::map<std::string, std::string>> map =
          ParseVarMap(result["var-map"].as<std::string>());
      if (!map.ok()) return map.status();
      e.var_map = *map;
    }
    if (command.mode == Mode::kInspect) command.inspect = result["inspect"].as<std::string>();
    if (result.count("tensor")) command.tensor = result["tensor"].as<std::string>();
  } catch (const cxxopts::exceptions::exception& ex) {
    return Status::InvalidArgument(std::string(ex.what()) + " (see mnist --help)");
  }
  return command;
}

}  // namespace mnist

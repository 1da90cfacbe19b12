// The mode flags of `mnist` (--train, --eval, ...) and which of the other
// flags each mode reads, so that a flag given to a mode that does not read it
// is an error instead of being silently ignored (app/cli/flags.cc parses).
#ifndef MNIST_APP_CLI_MODE_FLAGS_H_
#define MNIST_APP_CLI_MODE_FLAGS_H_

#include <cxxopts.hpp>
#include <map>
#include <string>
#include <vector>

#include "app/cli/flags.h"
#include "io/base/status.h"

namespace mnist {

// The mode flags, one line per mode; exactly one may be given. `usage` is
// how the mode is written in the usage line of --help.
struct ModeFlag {
  const char* flag;
  Mode mode;
  const char* usage;
};
inline constexpr ModeFlag kModeFlags[] = {
    {"train", Mode::kTrain, "--train"},
    {"eval", Mode::kEval, "--eval"},
    {"inspect", Mode::kInspect, "--inspect PREFIX"},
    {"freeze", Mode::kFreeze, "--freeze"},
    {"predict", Mode::kPredict, "--predict MODEL"},
    {"run", Mode::kRun, "--run GRAPH"},
    {"export-onnx", Mode::kExportOnnx, "--export-onnx FILE"},
    {"plot", Mode::kPlot, "--plot"},
    {"download", Mode::kDownload, "--download"},
    {"version", Mode::kVersion, "--version"},
};

// The mode flags joined by `separator`, in kModeFlags' order.
std::string ModeList(const std::string& separator);

// Flag name -> the modes that read it: the flags several modes read are
// listed in mode_flags.cc; every other flag is read by the mode that leads
// the help group declaring it. Mode flags and --help are not listed. A
// declared flag no mode reads is FailedPrecondition, so none is silently
// ignored.
StatusOr<std::map<std::string, std::vector<Mode>>> FlagReaders(const cxxopts::Options& options);

// InvalidArgument "--epochs is a --train flag, not for --eval" for the first flag
// in `result` that `mode` does not read, by `readers` (FlagReaders).
Status CheckFlagsFitMode(const cxxopts::ParseResult& result, Mode mode,
                         const std::map<std::string, std::vector<Mode>>& readers);

}  // namespace mnist

#endif  // MNIST_APP_CLI_MODE_FLAGS_H_

// The `mnist` command line: which mode to run and its options.
//
// cxxopts does the parsing; this file turns its result into a Command and
// rejects bad values with the flag's name and value. `--help` shows every
// flag with its default.
#ifndef MNIST_APP_CLI_FLAGS_H_
#define MNIST_APP_CLI_FLAGS_H_

#include <string>
#include <vector>

#include "app/modes/eval.h"
#include "app/modes/export_onnx.h"
#include "app/modes/freeze.h"
#include "app/modes/plot.h"
#include "app/modes/predict.h"
#include "app/modes/run.h"
#include "app/modes/train.h"
#include "data/download/mnist_download.h"
#include "io/base/status.h"

namespace mnist {

enum class Mode {
  kHelp, kTrain, kEval, kInspect, kFreeze, kPredict, kRun, kExportOnnx, kPlot, kDownload,
  kVersion
};

struct Command {
  Mode mode = Mode::kHelp;
  std::string help_text;  // filled for every mode
  TrainOptions train;     // --train
  EvalOptions eval;       // --eval
  FreezeOptions freeze;   // --freeze
  PredictOptions predict; // --predict
  RunOptions run;         // --run
  ExportOnnxOptions export_onnx;  // --export-onnx
  std::string inspect;    // --inspect PREFIX
  std::string tensor;     // --tensor NAME, with --inspect
  PlotOptions plot;       // --plot
  DownloadOptions download;  // --download
};

// Parses argv. An unknown flag, a flag the mode does not read, a repeated
// flag (but --feed and the hidden --mirror, which add a value each time), a flag another one given leaves unread (--max without --errors,
// --probabilities with --labels, --ckpt-dir with --checkpoint), and a
// missing, empty or bad value are InvalidArgument naming the flag; no mode
// (bare `mnist`) is InvalidArgument with UsageLine() as its message. Each
// flag's rule is checked here and nowhere else.
StatusOr<Command> ParseCommandLine(int argc, const char* const* argv);

// "usage: mnist --train|--eval|... [options]; mnist --help lists the options".
std::string UsageLine();

}  // namespace mnist

#endif  // MNIST_APP_CLI_FLAGS_H_

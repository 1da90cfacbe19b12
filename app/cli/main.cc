// The `mnist` command: parse the flags, run the mode, print a failure's
// message and exit with the code app/cli/exit_code.h decides. Everything else
// lives in the libraries, where the tests reach it.
#include <omp.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <new>
#include <string>

#include "app/process/address_space.h"
#include "app/modes/eval.h"
#include "app/modes/export_onnx.h"
#include "app/cli/exit_code.h"
#include "app/cli/flags.h"
#include "app/modes/freeze.h"
#include "app/modes/inspect.h"
#include "app/process/openmp_wait.h"
#include "app/modes/plot.h"
#include "app/modes/predict.h"
#include "app/modes/run.h"
#include "app/process/stop_signal.h"
#include "app/modes/train.h"
#include "app/cli/version.h"

namespace {

// Prints `status` as "mnist: <message>" and returns its exit code.
int Fail(const mnist::Status& status) {
  std::fprintf(stderr, "mnist: %s\n", status.message().c_str());
  return mnist::ExitCode(status);
}

// What to try when memory runs out in `mode`.
const char* OutOfMemoryHint(mnist::Mode mode) {
  switch (mode) {
    case mnist::Mode::kTrain: return "; try a smaller --hidden or --batch-size";
    case mnist::Mode::kPredict: return "; try a smaller --batch-size";
    default: return "";
  }
}

// The modes whose work runs on OpenMP threads: only they run again with a
// short spin count (app/process/openmp_wait.h).
bool Computes(mnist::Mode mode) {
  return mode == mnist::Mode::kTrain || mode == mnist::Mode::kEval || mode == mnist::Mode::kPredict;
}

// Stops with one line, before OpenBLAS's constructor could spin forever,
// when the address-space limit leaves no room for its buffers (see
// app/process/address_space.h). Run from .preinit_array: ahead of every library's
// constructor, as only the executable's own code can be.
void CheckRoomForOpenBlasAtStart(int, char**, char** env) {
  const int threads = mnist::OpenBlasThreadsAtStart(env);
  const std::string shortfall = mnist::AddressSpaceShortfall(threads + 1, threads);
  if (shortfall.empty()) return;
  _exit(Fail(mnist::Status::OutOfMemory(shortfall)));
}
__attribute__((section(".preinit_array"), used)) void (*const kCheckRoomForOpenBlasAtStart)(
    int, char**, char**) = CheckRoomForOpenBlasAtStart;

}  // namespace

int main(int argc, char** argv) {
  // Past a file-size limit (ulimit -f) a write fails with EFBIG instead of
  // killing the process: the save's error path names the file and cleans up.
  std::signal(SIGXFSZ, SIG_IGN);
  mnist::StatusOr<mnist::Command> command = mnist::ParseCommandLine(argc, argv);
  if (!command.ok()) return Fail(command.status());
  if (Computes(command->mode)) mnist::RunAgainWithShortOpenMpSpins(argv);  // app/process/openmp_wait.h
  if (command->train.threads > 0) omp_set_num_threads(command->train.threads);
  // More threads than OpenBLAS started with: it maps a buffer for each.
  const int started = mnist::OpenBlasThreadsAtStart(environ);
  if (omp_get_max_threads() > started) {
    const std::string shortfall =
        mnist::AddressSpaceShortfall(omp_get_max_threads() - started + 1, omp_get_max_threads());
    if (!shortfall.empty()) return Fail(mnist::Status::OutOfMemory(shortfall));
  }

  mnist::Status status;
  mnist::TrainResult trained;
  try {  // an allocation that fails anywhere is one line and exit 1, not an abort
    switch (command->mode) {
      case mnist::Mode::kHelp:
        std::fputs(command->help_text.c_str(), stdout);
        return 0;
      case mnist::Mode::kVersion:
        std::fputs(mnist::VersionText().c_str(), stdout);
        return 0;
      case mnist::Mode::kTrain:
        mnist::InstallStopSignalHandlers();
        status = mnist::Train(command->train, stdout, &trained);
        break;
      case mnist::Mode::kEval:
        status = mnist::RunEval(command->eval, stdout, stderr);
        break;
      case mnist::Mode::kFreeze:
        status = mnist::RunFreeze(command->freeze, stdout, stderr);
        break;
      case mnist::Mode::kPredict:
        status = mnist::RunPredict(command->predict, stdout, stderr);
        break;
      case mnist::Mode::kRun:
        status = mnist::RunGraph(command->run, stdout);
        break;
      case mnist::Mode::kExportOnnx:
        status = mnist::RunExportOnnx(command->export_onnx, stdout, stderr);
        break;
      case mnist::Mode::kInspect:
        status = mnist::RunInspect(command->inspect, command->tensor, stdout);
        break;
      case mnist::Mode::kPlot:
        status = mnist::RunPlot(command->plot, stdout);
        break;
      case mnist::Mode::kDownload:
        // A progress line per file, rewritten in place, only on a terminal.
        command->download.progress = isatty(STDERR_FILENO) ? stderr : nullptr;
        status = mnist::DownloadMnist(command->download, stdout);
        break;
    }
  } catch (const std::bad_alloc&) {
    status = mnist::Status::OutOfMemory(std::string("an allocation failed (std::bad_alloc)") +
                                        OutOfMemoryHint(command->mode));
  }
  if (!status.ok()) return Fail(status);
  return mnist::ExitCode(status, trained.stop_signal);
}

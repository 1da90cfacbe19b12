#include "app/modes/plot.h"

#include <set>
#include <vector>

#include "app/modes/path_flags.h"
#include "app/pictures/plot_svg.h"
#include "app/training/metrics_log.h"
#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "io/base/file.h"

namespace mnist {
namespace {

// The epochs of the best checkpoints `dir`'s state file lists (none when it
// has no state file).
StatusOr<std::set<int64_t>> KeptEpochs(const std::string& dir) {
  StatusOr<CheckpointState> state = ReadCheckpointState(dir, kBestStateFilename);
  if (!state.ok()) {
    if (state.status().code() == Status::Code::kNotFound) return std::set<int64_t>{};
    return state.status();
  }
  std::set<int64_t> epochs;
  for (const std::string& name : state->paths) {
    std::string basename;
    int64_t epoch = 0;
    if (ParseCheckpointName(name, &basename, &epoch) && basename == kBestBasename) {
      epochs.insert(epoch);
    }
  }
  return epochs;
}

}  // namespace

Status RunPlot(const PlotOptions& options, FILE* out) {
  MNIST_RETURN_IF_ERROR(CheckFolderFlag(options.ckpt_dir, "--ckpt-dir", "a folder"));
  const std::string output =
      options.output.empty() ? JoinPath(options.ckpt_dir, kPlotFilename) : options.output;
  if (!options.output.empty()) {
    MNIST_RETURN_IF_ERROR(PrepareOutputFile(output, "--output", ".svg", "SVG"));
  }
  const std::string metrics_path = JoinPath(options.ckpt_dir, kMetricsFilename);
  StatusOr<std::vector<MetricsRow>> rows = ReadMetrics(metrics_path);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return Status::FailedPrecondition(metrics_path + ": no epochs to plot yet");
  }
  StatusOr<std::set<int64_t>> kept = KeptEpochs(options.ckpt_dir);
  if (!kept.ok()) return kept.status();
  MNIST_RETURN_IF_ERROR(WriteFileAtomically(output, RenderTrainingSvg(*rows, *kept, metrics_path)));
  std::fprintf(out, "wrote %s\n", output.c_str());
  return Status::Ok();
}

}  // namespace mnist

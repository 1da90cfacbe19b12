#include "checkpoints/saver/recorded_run.h"

#include <cstdio>

namespace mnist {

StatusOr<RecordedRun> ReadRecordedRun(const BundleReader& reader) {
  RecordedRun run;
  StatusOr<std::vector<int>> sizes = CheckpointLayerSizes(reader);
  if (!sizes.ok()) return sizes.status();
  run.sizes = *sizes;
  TrainingState state;  // no network: only settings and progress are read
  MNIST_RETURN_IF_ERROR(ReadRecordedTensors(reader, &state));
  run.settings = state.settings;
  run.progress = state.progress;
  return run;
}

std::string SettingsLine(const RecordedRun& run) {
  const RunSettings& s = run.settings;
  if (!s.recorded) return "";
  char numbers[256];
  std::snprintf(numbers, sizeof(numbers),
                "lr %g, l2 %g, ema %g, seed %llu, batch %lld, validation %lld, epochs %lld",
                s.learning_rate, s.l2, s.ema_decay,
                static_cast<unsigned long long>(run.progress.seed),
                static_cast<long long>(run.progress.batch_size),
                static_cast<long long>(s.validation_size),
                static_cast<long long>(run.progress.epoch));
  // The directory comes from the checkpoint: its bytes are escaped (io/base/status.h).
  return "settings: network " + SizesString(run.sizes) + ", " + numbers + ", data " +
         EscapeControlBytes(s.data_dir);
}

}  // namespace mnist

#include "app/training/training_run.h"

#include <array>
#include <cmath>
#include <new>
#include <vector>

#include "app/process/stop_signal.h"
#include "app/training/epoch_log.h"
#include "app/training/resume.h"
#include "checkpoints/state/naming.h"
#include "checkpoints/state/state_recovery.h"
#include "data/dataset/batches.h"
#include "io/base/file.h"
#include "io/base/strings.h"
#include "nn/network/rng.h"

namespace mnist {

std::vector<int> LayerSizes(const TrainOptions& options) {
  std::vector<int> sizes = {kImagePixels};
  sizes.insert(sizes.end(), options.hidden.begin(), options.hidden.end());
  sizes.push_back(kNumClasses);
  return sizes;
}

namespace {

// The network of `sizes` with its Adam slots (and EMA shadows) and a fresh
// training state; its kernels drawn from --seed when `initialize` (not when a
// checkpoint is about to overwrite them). An allocation that fails is
// OutOfMemory naming the network and the memory it needs.
Status BuildNetwork(const TrainOptions& options, const std::vector<int>& sizes, bool initialize,
                    Run* run) {
  // A large network takes seconds to allocate and draw: a stop signal is
  // heeded between those steps and while drawing, and Train() then ends
  // the run before its first batch.
  auto stop = [] { return StopSignalReceived() != 0; };
  const Status stopped = Status::Cancelled("stopped while setting up the network");
  try {
    run->model = std::make_unique<Mlp>(sizes);
    if (initialize) {
      Rng init_rng(options.seed, /*stream=*/0);
      if (!run->model->Init(&init_rng, options.init_stddev, stop)) return stopped;
    }
    if (stop()) return stopped;
    AdamOptions adam_options;
    adam_options.learning_rate = options.learning_rate;
    run->adam = std::make_unique<Adam>(adam_options, run->model->variables());
    if (stop()) return stopped;
    run->ema.reset();
    if (options.ema_decay > 0.0f) {
      run->ema =
          std::make_unique<ExponentialMovingAverage>(options.ema_decay, run->model->variables());
    }
  } catch (const std::bad_alloc&) {
    double parameters = 0;
    for (size_t l = 1; l < sizes.size(); ++l) parameters += (double{1} * sizes[l - 1] + 1) * sizes[l];
    // float weights, gradients, Adam's m and v (and the EMA shadows)
    const double copies = options.ema_decay > 0.0f ? 5 : 4;
    char needs[64];
    std::snprintf(needs, sizeof(needs), "%.1f GB", parameters * sizeof(float) * copies / 1e9);
    return Status::OutOfMemory("the network " + SizesString(sizes) + " needs " + needs +
                               " for its weights, gradients and Adam's slots; try a smaller --hidden");
  }
  run->state = TrainingState{run->model.get(), run->adam.get(), run->ema.get(), TrainProgress{}, RunSettings{}};
  run->state.progress.seed = options.seed;
  return Status::Ok();
}

// Builds the network `prefix` holds and restores the whole training state
// from it, with the options the run goes on with (SettingsForResume) in
// run->options; the lines saying which settings changed go to `changes`.
Status RestoreFrom(const TrainOptions& given, const std::string& prefix, Run* run,
                   std::vector<std::string>* changes) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return reader.status();
  StatusOr<RecordedRun> recorded = ReadRecordedRun(**reader);
  if (!recorded.ok()) return recorded.status();
  changes->clear();
  StatusOr<TrainOptions> options = SettingsForResume(
      given, *recorded, CheckHasEmaShadows(**reader).ok(), prefix, changes);
  if (!options.ok()) return options.status();
  run->options = std::move(*options);
  MNIST_RETURN_IF_ERROR(BuildNetwork(run->options, recorded->sizes, /*initialize=*/false, run));
  RestoreOptions restore;
  restore.training = true;
  return RestoreCheckpoint(**reader, restore, &run->state);
}

// Restores the newest checkpoint a --resume can continue from that passes
// its checks, saying on stderr why a newer one was passed over, and on `out`
// which settings change. Returns its prefix; "" when the directory holds no
// run at all.
StatusOr<std::string> RestoreNewest(const TrainOptions& given, Run* run, FILE* out) {
  StatusOr<std::vector<ResumeCandidate>> candidates = ResumeCandidates(*run->last, *run->best);
  if (candidates.status().code() == Status::Code::kNotFound) return std::string();
  if (!candidates.ok()) return candidates.status();
  std::vector<Status> passed_over;
  for (const ResumeCandidate& c : *candidates) {
    if (!c.step_error.ok()) passed_over.push_back(c.step_error);
  }
  std::vector<std::string> changes;
  for (size_t i = 0; i < candidates->size(); ++i) {
    const std::string& prefix = (*candidates)[i].prefix;
    Status restored = (*candidates)[i].step_error;
    if (restored.ok()) restored = RestoreFrom(given, prefix, run, &changes);
    if (restored.ok()) {
      for (const Status& why : passed_over) {
        std::fprintf(stderr, "mnist: %s; resuming from %s instead\n", why.message().c_str(),
                     prefix.c_str());
      }
      for (const std::string& change : changes) std::fprintf(out, "%s\n", change.c_str());
      return prefix;
    }
    const bool damaged = restored.code() == Status::Code::kDataLoss ||
                         restored.code() == Status::Code::kNotFound ||
                         restored.code() == Status::Code::kIOError;
    if (!damaged || i + 1 == candidates->size()) return restored;
    if ((*candidates)[i].step_error.ok()) passed_over.push_back(restored);
  }
  return Status::NotFound(given.ckpt_dir + ": no checkpoint to resume from");  // not reached
}

// The directory's list of best checkpoints; a damaged state file is rebuilt
// from the checkpoints on disk (checkpoints/state/state_recovery.h), and with
// --overwrite so is one that cannot be used at all.
StatusOr<CheckpointManager> OpenBest(const TrainOptions& options) {
  return OpenRecovering(options.ckpt_dir, kBestBasename, kBestStateFilename, options.max_to_keep,
                        options.overwrite, stderr);
}

// Removes the files of checkpoints neither state file lists that are older
// than the listed ones (all of them when `all`), saying so in one line.
Status RemoveUnlistedCheckpoints(bool all, Run* run, FILE* out) {
  std::vector<std::string> removed;
  MNIST_RETURN_IF_ERROR(run->best->RemoveUnlisted(all, run->last->kept(), &removed));
  MNIST_RETURN_IF_ERROR(run->last->RemoveUnlisted(all, run->best->kept(), &removed));
  if (removed.empty()) return Status::Ok();
  std::vector<std::string> names;  // each checkpoint once, with its files' suffixes
  for (size_t i = 0; i < removed.size();) {
    std::string name;
    int64_t step = 0;
    if (!ParseCheckpointFilename(removed[i], kBestBasename, &name, &step)) {
      ParseCheckpointFilename(removed[i], kResumeBasename, &name, &step);
    }
    std::vector<std::string> suffixes;
    for (; i < removed.size() && StartsWith(removed[i], name + "."); ++i) {
      suffixes.push_back(removed[i].substr(name.size()));
    }
    names.push_back(name + " (" + StrJoin(suffixes, " ") + ")");
  }
  std::fprintf(out, "removed %zu file%s of unlisted checkpoints in %s: %s\n", removed.size(),
               removed.size() == 1 ? "" : "s", run->best->dir().c_str(), StrJoin(names, ", ").c_str());
  return Status::Ok();
}

// What the checkpoint `prefix`, restored into `p`, knows of the epoch it
// finished last (app/training/epoch_log.h); `best` lists the best ones.
ResumedEpoch ResumedEpochOf(const TrainProgress& p, const std::string& prefix,
                            const CheckpointManager& best) {
  ResumedEpoch resumed;
  resumed.epoch = p.epoch;
  resumed.global_step = p.global_step - p.batch_in_epoch;
  resumed.val_acc = std::nan("");
  const std::string own_best = CheckpointName(kBestBasename, p.epoch);
  if (p.batch_in_epoch == 0 && prefix == JoinPath(best.dir(), own_best)) {
    resumed.val_acc = p.best_val_acc;
    resumed.saved = own_best;
  }
  return resumed;
}

}  // namespace

Status SetUpRun(const TrainOptions& given, FILE* out, Run* run) {
  run->options = given;
  // Locked before anything in it is touched (and before the data is
  // loaded, so a second run is refused at once): opening a manager removes
  // the temporaries of saves, which another run could have in flight.
  MNIST_RETURN_IF_ERROR(CreateDirectories(given.ckpt_dir));
  StatusOr<std::unique_ptr<DirectoryLock>> lock = DirectoryLock::Acquire(
      given.ckpt_dir, "another mnist --train on this --ckpt-dir? one at a time");
  if (!lock.ok()) return lock.status();
  run->lock = std::move(*lock);
  StatusOr<CheckpointManager> best = OpenBest(given);
  if (!best.ok()) return best.status();
  run->best = std::make_unique<CheckpointManager>(std::move(*best));
  StatusOr<CheckpointManager> last =
      OpenRecovering(given.ckpt_dir, kResumeBasename, kResumeStateFilename, /*max_to_keep=*/1,
                     given.overwrite, stderr);
  if (!last.ok()) return last.status();
  run->last = std::make_unique<CheckpointManager>(std::move(*last));

  std::string resume_from;
  if (given.resume) {
    StatusOr<std::string> restored = RestoreNewest(given, run, out);
    if (!restored.ok()) return restored.status();
    resume_from = *restored;
    if (resume_from.empty()) {
      std::fprintf(out, "no run in %s: starting one\n", given.ckpt_dir.c_str());
    } else if (run->options.max_to_keep != given.max_to_keep) {  // the recorded one
      StatusOr<CheckpointManager> reopened = OpenBest(run->options);
      if (!reopened.ok()) return reopened.status();
      *run->best = std::move(*reopened);
    }
  }
  const bool resumed = !resume_from.empty();
  const TrainOptions& options = run->options;

  const std::string data_dir = options.data_dir.empty() ? DefaultDataDir() : options.data_dir;
  StatusOr<Dataset> data = LoadDataset(data_dir, kImagePixels);
  if (!data.ok()) return data.status();
  run->data = std::move(*data);
  const std::array<int64_t, 8> fingerprint = Fingerprint(run->data);
  if (resumed) {
    MNIST_RETURN_IF_ERROR(CheckSameData(run->state.settings, fingerprint, data_dir,
                                        given.given.count("data-dir") > 0, resume_from));
  }
  MNIST_RETURN_IF_ERROR(
      HoldOutValidation(static_cast<uint32_t>(options.validation_size), &run->data)
          .WithContext("--validation-size " + std::to_string(options.validation_size)));
  const Split& train = run->data.train;
  const uint32_t validation = run->data.validation.size();
  std::fprintf(out, "data: %s: %u training and %u test images of %ux%u", data_dir.c_str(),
               train.size() + validation, run->data.test.size(), train.images.rows,
               train.images.cols);
  if (validation > 0) {
    std::fprintf(out, "; the first %u training images validate, the other %u train\n",
                 validation, train.size());
  } else {
    std::fprintf(out, "; the test set validates (--validation-size 0)\n");
  }
  const std::string both = BothCopiesNote(data_dir, {std::begin(kDataFileStems), std::end(kDataFileStems)});
  if (!both.empty()) std::fprintf(out, "%s\n", both.c_str());
  if (options.batch_size > static_cast<int64_t>(train.size())) {
    std::fprintf(out, "--batch-size %d is more than the %u training images: each step takes all of them\n",
                 options.batch_size, train.size());
  }

  if (!resumed) {
    MNIST_RETURN_IF_ERROR(ClaimForNewRun(options.overwrite, run->best.get(), run->last.get(), out));
    MNIST_RETURN_IF_ERROR(BuildNetwork(options, LayerSizes(options), /*initialize=*/true, run));
  }
  // A stop signal while the network was built or restored ends the run here,
  // before anything is written (one that comes later stops it after a batch).
  if (StopSignalReceived() != 0) return Status::Cancelled("stopped while setting up the network");
  TrainProgress& progress = run->state.progress;
  const int64_t batches = BatchCount(train.size(), options.batch_size);
  MNIST_RETURN_IF_ERROR(CheckResumePosition(progress, batches, options.batch_size, resume_from));
  progress.batch_size = options.batch_size;
  RunSettings& settings = run->state.settings;  // recorded in every checkpoint from here on
  settings.recorded = true;
  settings.learning_rate = options.learning_rate;
  settings.l2 = options.l2;
  settings.ema_decay = options.ema_decay;
  settings.validation_size = options.validation_size;
  settings.max_to_keep = options.max_to_keep;
  settings.data_dir = data_dir;
  settings.data_fingerprint = fingerprint;

  if (resumed) {
    std::fprintf(out, "%s\n",
                 SettingsLine(RecordedRun{settings, progress, run->model->sizes()}).c_str());
  }

  MNIST_RETURN_IF_ERROR(RemoveUnlistedCheckpoints(options.overwrite && !options.resume, run, out));
  MNIST_RETURN_IF_ERROR(RemoveStaleTemporaries(options.ckpt_dir, [](const std::string& name) {
    return name == kAccuracyFilename || name == kMetricsFilename;
  }));
  ResumedEpoch resumed_epoch;
  if (resumed) {
    // Where the run stands, in the epoch it is in: "epoch 2, batch 10 of 600
    // (step 610)" after a stop mid-epoch, "end of epoch 1 (step 600)" after one.
    const long long step = static_cast<long long>(progress.global_step);
    if (progress.batch_in_epoch > 0) {
      std::fprintf(out, "resumed from %s: epoch %lld, batch %lld of %lld (step %lld), best val_acc "
                   "%.4f\n", resume_from.c_str(), static_cast<long long>(progress.epoch + 1),
                   static_cast<long long>(progress.batch_in_epoch),
                   static_cast<long long>(batches), step, progress.best_val_acc);
    } else {
      std::fprintf(out, "resumed from %s: end of epoch %lld (step %lld), best val_acc %.4f\n",
                   resume_from.c_str(), static_cast<long long>(progress.epoch), step,
                   progress.best_val_acc);
    }
    resumed_epoch = ResumedEpochOf(progress, resume_from, *run->best);
  }
  return StartEpochLogs(options.ckpt_dir, resumed_epoch);
}

}  // namespace mnist

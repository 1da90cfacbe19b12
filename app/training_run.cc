#include "app/training_run.h"

#include <cmath>
#include <new>
#include <vector>

#include "app/epoch_log.h"
#include "app/resume.h"
#include "checkpoints/naming.h"
#include "data/batches.h"
#include "io/file.h"
#include "nn/rng.h"

namespace mnist {
namespace {

std::vector<int> LayerSizes(const TrainOptions& options) {
  std::vector<int> sizes = {kImagePixels};
  sizes.insert(sizes.end(), options.hidden.begin(), options.hidden.end());
  sizes.push_back(kNumClasses);
  return sizes;
}

// The network of `sizes` with its Adam slots (and EMA shadows) and a fresh
// training state; its kernels drawn from --seed when `initialize` (not when a
// checkpoint is about to overwrite them). An allocation that fails is
// OutOfMemory naming the network and the memory it needs.
Status BuildNetwork(const TrainOptions& options, const std::vector<int>& sizes, bool initialize,
                    Run* run) {
  try {
    run->model = std::make_unique<Mlp>(sizes);
    if (initialize) {
      Rng init_rng(options.seed, /*stream=*/0);
      run->model->Init(&init_rng, options.init_stddev);
    }
    AdamOptions adam_options;
    adam_options.learning_rate = options.learning_rate;
    run->adam = std::make_unique<Adam>(adam_options, run->model->variables());
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
  run->state = TrainingState{run->model.get(), run->adam.get(), run->ema.get(), TrainProgress{}};
  run->state.progress.seed = options.seed;
  return Status::Ok();
}

// Builds the network `prefix` holds and restores the whole training state
// from it. A --hidden given on the command line must match the checkpoint's.
Status RestoreFrom(const TrainOptions& options, const std::string& prefix, Run* run) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return reader.status();
  StatusOr<std::vector<int>> sizes = CheckpointLayerSizes(**reader);
  if (!sizes.ok()) return sizes.status();
  const std::vector<int> hidden(sizes->begin() + 1, sizes->end() - 1);
  if (options.hidden_given && hidden != options.hidden) {
    std::string widths;
    for (int h : hidden) widths += (widths.empty() ? "" : ",") + std::to_string(h);
    return Status::BadFlag("--hidden: " + prefix + " holds a network with hidden widths " + widths +
                           "; resume without --hidden, or start a new run");
  }
  MNIST_RETURN_IF_ERROR(BuildNetwork(options, *sizes, /*initialize=*/false, run));
  RestoreOptions restore;
  restore.training = true;
  return RestoreCheckpoint(**reader, restore, &run->state);
}

// Restores the newest checkpoint a --resume can continue from that passes
// its checks, saying on stderr why a newer one was passed over. Returns
// its prefix.
StatusOr<std::string> RestoreNewest(const TrainOptions& options, Run* run) {
  StatusOr<std::vector<ResumeCandidate>> candidates = ResumeCandidates(*run->last, *run->best);
  if (!candidates.ok()) return candidates.status();
  std::vector<Status> passed_over;
  for (const ResumeCandidate& c : *candidates) {
    if (!c.step_error.ok()) passed_over.push_back(c.step_error);
  }
  for (size_t i = 0; i < candidates->size(); ++i) {
    const std::string& prefix = (*candidates)[i].prefix;
    Status restored = (*candidates)[i].step_error;
    if (restored.ok()) restored = RestoreFrom(options, prefix, run);
    if (restored.ok()) {
      for (const Status& why : passed_over) {
        std::fprintf(stderr, "mnist: %s; resuming from %s instead\n", why.ToString().c_str(),
                     prefix.c_str());
      }
      return prefix;
    }
    const bool damaged = restored.code() == Status::Code::kDataLoss ||
                         restored.code() == Status::Code::kNotFound ||
                         restored.code() == Status::Code::kIOError;
    if (!damaged || i + 1 == candidates->size()) return restored;
    if ((*candidates)[i].step_error.ok()) passed_over.push_back(restored);
  }
  return Status::NotFound(options.ckpt_dir + ": no checkpoint to resume from");  // not reached
}

// Removes the files of checkpoints neither state file lists that are older
// than the listed ones (all of them when `all`), saying so in one line.
Status RemoveUnlistedCheckpoints(bool all, Run* run, FILE* out) {
  std::vector<std::string> removed;
  MNIST_RETURN_IF_ERROR(run->best->RemoveUnlisted(all, run->last->kept(), &removed));
  MNIST_RETURN_IF_ERROR(run->last->RemoveUnlisted(all, run->best->kept(), &removed));
  if (removed.empty()) return Status::Ok();
  std::string names;  // each checkpoint once, with its files' suffixes
  for (size_t i = 0; i < removed.size();) {
    std::string name;
    int64_t step = 0;
    if (!ParseCheckpointFilename(removed[i], kBestBasename, &name, &step)) {
      ParseCheckpointFilename(removed[i], kResumeBasename, &name, &step);
    }
    std::string suffixes;
    for (; i < removed.size() && removed[i].compare(0, name.size() + 1, name + ".") == 0; ++i) {
      suffixes += (suffixes.empty() ? "" : " ") + removed[i].substr(name.size());
    }
    names += (names.empty() ? "" : ", ") + name + " (" + suffixes + ")";
  }
  std::fprintf(out, "removed %zu file%s of unlisted checkpoints in %s: %s\n", removed.size(),
               removed.size() == 1 ? "" : "s", run->best->dir().c_str(), names.c_str());
  return Status::Ok();
}

// What the checkpoint `prefix`, restored into `p`, knows of the epoch it
// finished last (app/epoch_log.h); `best` lists the best ones.
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

Status SetUpRun(const TrainOptions& options, FILE* out, Run* run) {
  const std::string data_dir = options.data_dir.empty() ? DefaultDataDir() : options.data_dir;
  StatusOr<Dataset> data = LoadDataset(data_dir, kImagePixels);
  if (!data.ok()) return data.status();
  run->data = std::move(*data);
  const Split& train = run->data.train;
  std::fprintf(out, "data: %s: %u training and %u test images of %ux%u\n", data_dir.c_str(),
               train.size(), run->data.test.size(), train.images.rows, train.images.cols);
  if (options.batch_size > static_cast<int64_t>(train.size())) {
    std::fprintf(out, "--batch-size %d is more than the %u training images: each step takes all of them\n",
                 options.batch_size, train.size());
  }

  // Locked before anything in it is touched: opening a manager removes the
  // temporaries of saves, which another run could have in flight.
  MNIST_RETURN_IF_ERROR(CreateDirectories(options.ckpt_dir));
  StatusOr<std::unique_ptr<DirectoryLock>> lock = DirectoryLock::Acquire(
      options.ckpt_dir, "another mnist --train on this --ckpt-dir? one at a time");
  if (!lock.ok()) return lock.status();
  run->lock = std::move(*lock);
  StatusOr<CheckpointManager> best = CheckpointManager::Open(
      options.ckpt_dir, kBestBasename, kBestStateFilename, options.max_to_keep);
  if (!best.ok()) return best.status();
  run->best = std::make_unique<CheckpointManager>(std::move(*best));
  StatusOr<CheckpointManager> last = CheckpointManager::Open(
      options.ckpt_dir, kResumeBasename, kResumeStateFilename, /*max_to_keep=*/1);
  if (!last.ok()) return last.status();
  run->last = std::make_unique<CheckpointManager>(std::move(*last));

  std::string resume_from;
  if (options.resume) {
    StatusOr<std::string> restored = RestoreNewest(options, run);
    if (!restored.ok()) return restored.status();
    resume_from = *restored;
  } else {
    MNIST_RETURN_IF_ERROR(ClaimForNewRun(options.overwrite, run->best.get(), run->last.get(), out));
    MNIST_RETURN_IF_ERROR(BuildNetwork(options, LayerSizes(options), /*initialize=*/true, run));
  }
  TrainProgress& progress = run->state.progress;
  const int64_t batches = BatchCount(train.size(), options.batch_size);
  MNIST_RETURN_IF_ERROR(CheckResumePosition(progress, batches, options.batch_size, resume_from));
  progress.batch_size = options.batch_size;

  MNIST_RETURN_IF_ERROR(RemoveUnlistedCheckpoints(options.overwrite && !options.resume, run, out));
  MNIST_RETURN_IF_ERROR(RemoveStaleTemporaries(options.ckpt_dir, [](const std::string& name) {
    return name == kAccuracyFilename || name == kMetricsFilename;
  }));
  ResumedEpoch resumed;
  if (options.resume) {
    std::fprintf(out, "resumed from %s: epoch %lld, step %lld, best val_acc %.4f\n",
                 resume_from.c_str(), static_cast<long long>(progress.epoch),
                 static_cast<long long>(progress.global_step), progress.best_val_acc);
    resumed = ResumedEpochOf(progress, resume_from, *run->best);
  }
  return StartEpochLogs(options.ckpt_dir, resumed);
}

}  // namespace mnist

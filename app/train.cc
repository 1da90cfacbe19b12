#include "app/train.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <new>

#include "app/evaluate.h"
#include "app/metrics_log.h"
#include "app/plot.h"
#include "app/progress.h"
#include "app/resume.h"
#include "app/stop_signal.h"
#include "checkpoints/background_saver.h"
#include "checkpoints/checkpoint_manager.h"
#include "checkpoints/naming.h"
#include "data/batches.h"
#include "data/dataset.h"
#include "io/directory_lock.h"
#include "io/file.h"
#include "nn/adam.h"
#include "nn/ema.h"
#include "nn/mlp.h"
#include "nn/train_step.h"

namespace mnist {
namespace {

constexpr int kInputSize = 28 * 28;
constexpr int kNumClasses = 10;

std::vector<int> LayerSizes(const TrainOptions& options) {
  std::vector<int> sizes = {kInputSize};
  sizes.insert(sizes.end(), options.hidden.begin(), options.hidden.end());
  sizes.push_back(kNumClasses);
  return sizes;
}

Status AppendAccuracyLine(const std::string& path, int64_t epoch, double accuracy) {
  char line[64];
  std::snprintf(line, sizeof(line), "%lld, val_acc: %.4f\n", static_cast<long long>(epoch),
                accuracy);
  return AppendToFile(path, line);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// With --keep-going-on-save-error a failed save is reported and training
// goes on; otherwise the error stops it.
Status KeepGoingIfAsked(const TrainOptions& options, const Status& saved) {
  if (saved.ok() || !options.keep_going_on_save_error) return saved;
  std::fprintf(stderr, "mnist: %s; training goes on (--keep-going-on-save-error)\n",
               saved.ToString().c_str());
  return Status::Ok();
}

// An epoch whose checkpoints are being written in the background while the
// next epoch trains: its metrics row waits for their outcome.
struct PendingEpoch {
  bool active = false;
  MetricsRow row;
  double best_before = -1.0;  // best_val_acc before this epoch's improvement
};

// What one run works on, set up by SetUp before its first batch. `saver` is
// declared after what its worker writes from and to, so it is destroyed (and
// joins the worker) first.
struct Run {
  Dataset data;
  std::unique_ptr<DirectoryLock> lock;      // on --ckpt-dir, for the whole run
  std::unique_ptr<CheckpointManager> best;  // mnist.ckpt-N: the best ones, --max-to-keep
  std::unique_ptr<CheckpointManager> last;  // last.ckpt-<step>: the resume one
  std::unique_ptr<Mlp> model;
  std::unique_ptr<Adam> adam;
  std::unique_ptr<ExponentialMovingAverage> ema;  // null without --ema-decay
  TrainingState state;
  std::string acc_path;
  BackgroundSaver saver;  // writes an epoch's checkpoints while the next one trains
  PendingEpoch pending;   // the epoch those checkpoints belong to
};

// The network of `sizes`, initialized, with its Adam slots (and EMA
// shadows) and a fresh training state. An allocation that fails is
// OutOfMemory naming the network and the memory it needs.
Status BuildNetwork(const TrainOptions& options, const std::vector<int>& sizes, Run* run) {
  try {
    run->model = std::make_unique<Mlp>(sizes);
    Rng init_rng(options.seed, /*stream=*/0);
    run->model->Init(&init_rng, options.init_stddev);
    AdamOptions adam_options;
    adam_options.learning_rate = options.learning_rate;
    run->adam = std::make_unique<Adam>(adam_options, run->model->variables());
    run->ema.reset();
    if (options.ema_decay > 0.0f) {
      run->ema =
          std::make_unique<ExponentialMovingAverage>(options.ema_decay, run->model->variables());
    }
  } catch (const std::bad_alloc&) {
    std::string shape;
    double parameters = 0;
    for (size_t l = 0; l < sizes.size(); ++l) {
      shape += (l == 0 ? "" : "-") + std::to_string(sizes[l]);
      if (l > 0) parameters += (double{1} * sizes[l - 1] + 1) * sizes[l];
    }
    // float weights, gradients, Adam's m and v (and the EMA shadows)
    const double copies = options.ema_decay > 0.0f ? 5 : 4;
    char needs[64];
    std::snprintf(needs, sizeof(needs), "%.1f GB", parameters * sizeof(float) * copies / 1e9);
    return Status::OutOfMemory("the network " + shape + " needs " + needs +
                               " for its weights, gradients and Adam's slots; try a smaller --hidden");
  }
  run->state = TrainingState{run->model.get(), run->adam.get(), run->ema.get(), TrainProgress{}};
  run->state.progress.seed = options.seed;
  return Status::Ok();
}

// Builds the network `prefix` holds and restores the whole training state
// from it. A --hidden given on the command line must match the checkpoint's.
Status RestoreFrom(const TrainOptions& options, const std::string& prefix, Run* run) {
  StatusOr<std::vector<int>> sizes = CheckpointLayerSizes(prefix);
  if (!sizes.ok()) return sizes.status();
  const std::vector<int> hidden(sizes->begin() + 1, sizes->end() - 1);
  if (options.hidden_given && hidden != options.hidden) {
    std::string widths;
    for (int h : hidden) widths += (widths.empty() ? "" : ",") + std::to_string(h);
    return Status::BadFlag("--hidden: " + prefix + " holds a network with hidden widths " + widths +
                           "; resume without --hidden, or start a new run");
  }
  MNIST_RETURN_IF_ERROR(BuildNetwork(options, *sizes, run));
  RestoreOptions restore;
  restore.training = true;
  return RestoreCheckpoint(prefix, restore, &run->state);
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

// Loads the data, locks and opens the checkpoint directory, and builds the
// network: restored with --resume, else new (and an earlier run there is
// refused unless --overwrite). Starts acc.txt and metrics.csv afresh, or
// keeps a resumed run's lines.
Status SetUp(const TrainOptions& options, FILE* out, Run* run) {
  const std::string data_dir = options.data_dir.empty() ? DefaultDataDir() : options.data_dir;
  StatusOr<Dataset> data = LoadDataset(data_dir, kInputSize);
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
    MNIST_RETURN_IF_ERROR(BuildNetwork(options, LayerSizes(options), run));
  }
  TrainProgress& progress = run->state.progress;
  const int64_t batches = BatchCount(train.size(), options.batch_size);
  MNIST_RETURN_IF_ERROR(CheckResumePosition(progress, batches, options.batch_size, resume_from));
  progress.batch_size = options.batch_size;

  run->acc_path = JoinPath(options.ckpt_dir, kAccuracyFilename);
  MNIST_RETURN_IF_ERROR(RemoveStaleTemporaries(options.ckpt_dir, [](const std::string& name) {
    return name == kAccuracyFilename || name == kMetricsFilename;
  }));
  if (options.resume) {
    std::fprintf(out, "resumed from %s: epoch %lld, step %lld, best val_acc %.4f\n",
                 resume_from.c_str(), static_cast<long long>(progress.epoch),
                 static_cast<long long>(progress.global_step), progress.best_val_acc);
    MNIST_RETURN_IF_ERROR(TrimAccuracyFile(run->acc_path, progress.epoch));
  } else {
    MNIST_RETURN_IF_ERROR(WriteFileAtomically(run->acc_path, ""));  // a new run starts afresh
  }
  return StartMetricsLog(JoinPath(options.ckpt_dir, kMetricsFilename),
                         options.resume ? progress.epoch : 0);
}

// Waits for the pending epoch's saves, reports them, and appends its metrics
// row. A best checkpoint that failed to save is no best: best_val_acc goes
// back so the next improvement retries (with --keep-going-on-save-error;
// without it, the error stops training).
Status FinishSaves(const TrainOptions& options, Run* run, FILE* out) {
  PendingEpoch& pending = run->pending;
  if (!pending.active) return Status::Ok();
  pending.active = false;
  for (BackgroundSaver::Result& r : run->saver.Wait()) {
    if (r.job.manager == run->best.get()) {
      if (r.status.ok()) {
        pending.row.saved = CheckpointName(kBestBasename, r.job.step);
        pending.row.deleted = r.deleted;
        std::fprintf(out, "saved %s\n", run->best->LatestPrefix().c_str());
      } else {
        run->state.progress.best_val_acc = pending.best_before;
      }
    }
    MNIST_RETURN_IF_ERROR(KeepGoingIfAsked(options, r.status));
  }
  return KeepGoingIfAsked(
      options, AppendMetricsRow(JoinPath(options.ckpt_dir, kMetricsFilename), pending.row));
}

// How TrainBatches ended: the examples it trained, and whether a stop
// signal cut the epoch short.
struct Batches {
  int64_t examples = 0;
  bool stopped = false;
};

// Trains `epoch`'s batches from the one its progress has reached: per batch
// forward -> loss -> backward -> L2 -> Adam (-> EMA), with a progress bar.
// Stops early at a stop signal; a failed save of the previous epoch stops it
// too, unless --keep-going-on-save-error (then it is reported, and it goes on).
StatusOr<Batches> TrainBatches(const TrainOptions& options, int64_t epoch, Run* run, FILE* out) {
  const Split& train = run->data.train;
  TrainProgress& progress = run->state.progress;
  const int batch = options.batch_size;
  const int64_t batches = BatchCount(train.size(), batch);
  const std::vector<uint32_t> order = EpochOrder(train.size(), progress.seed, epoch);
  const size_t largest = static_cast<size_t>(std::min<int64_t>(batch, train.size()));
  std::vector<float> x(kInputSize * largest);
  std::vector<int32_t> labels(largest);
  std::vector<float> dlogits(kNumClasses * largest);
  Progress bar(out, isatty(fileno(out)), batches, static_cast<int>(largest));
  Batches done;
  for (int64_t b = progress.batch_in_epoch; b < batches; ++b) {
    const int64_t begin = b * batch;
    const int64_t end = std::min<int64_t>(begin + batch, train.size());
    const int size = static_cast<int>(end - begin);
    FillBatch(train, order.data(), begin, end, x.data(), labels.data());
    const float loss = TrainStep(run->model.get(), run->adam.get(), x.data(), labels.data(), size,
                                 options.l2, dlogits.data());
    ++progress.global_step;
    if (run->ema) run->ema->Update(run->model->variables(), progress.global_step);
    progress.epoch_loss_sum += loss;
    progress.batch_in_epoch = b + 1;
    done.examples += size;
    bar.Update(b + 1, progress.epoch_loss_sum / static_cast<double>(b + 1));
    if (run->saver.failed()) {  // the last epoch's save: stop now, or report and go on
      MNIST_RETURN_IF_ERROR(FinishSaves(options, run, out));
    }
    if (StopSignalReceived() != 0) {
      done.stopped = true;
      break;
    }
  }
  bar.Finish();
  return done;
}

// Closes `epoch`, which began at `epoch_start`: evaluates the test set, prints
// and appends its acc.txt line, and starts writing its checkpoints in the
// background: the best one when val_acc beats the best so far, and the
// resume one. The epoch's metrics row waits in run->pending for their outcome.
Status EndEpoch(const TrainOptions& options, int64_t epoch, double train_loss,
                double samples_per_second, std::chrono::steady_clock::time_point epoch_start,
                Run* run, FILE* out) {
  TrainProgress& progress = run->state.progress;
  const EvalResult eval = Evaluate(run->model.get(), run->data.test);
  std::fprintf(out, "epoch:%lld, val_loss:%f, val_acc:%f\n", static_cast<long long>(epoch),
               eval.loss, eval.accuracy);
  std::fflush(out);
  MNIST_RETURN_IF_ERROR(
      KeepGoingIfAsked(options, AppendAccuracyLine(run->acc_path, epoch, eval.accuracy)));
  run->pending.row = MetricsRow{epoch, progress.global_step, train_loss, eval.loss, eval.accuracy,
                                SecondsSince(epoch_start), samples_per_second, /*saved=*/"",
                                /*deleted=*/{}};
  run->pending.best_before = progress.best_val_acc;
  std::vector<BackgroundSaver::Job> jobs;
  if (eval.accuracy > progress.best_val_acc) {
    progress.best_val_acc = eval.accuracy;
    jobs.push_back({run->best.get(), epoch});
  }
  jobs.push_back({run->last.get(), progress.global_step});
  run->saver.Start(std::move(jobs), run->state);  // stalls only for the snapshot
  run->pending.active = true;
  return Status::Ok();
}

// A stop signal arrived: saves the resume checkpoint at the batch reached
// (it never counts as a best one) and reports the signal.
Status StopAtBatch(Run* run, FILE* out, TrainResult* result) {
  const TrainProgress& p = run->state.progress;
  MNIST_RETURN_IF_ERROR(run->last->Save(p.global_step, run->state));
  result->stop_signal = StopSignalReceived();
  std::fprintf(out, "stopped by signal %d after batch %lld of epoch %lld; saved %s (continue "
               "with --resume)\n", result->stop_signal, static_cast<long long>(p.batch_in_epoch),
               static_cast<long long>(p.epoch + 1), run->last->LatestPrefix().c_str());
  std::fflush(out);
  return Status::Ok();
}

// Rejects values the loop cannot run with, naming the flag and the value.
Status ValidateTrainOptions(const TrainOptions& o) {
  if (o.epochs < 1) {
    return Status::BadFlag("--epochs " + std::to_string(o.epochs) + ": must be at least 1");
  }
  if (o.batch_size < 1) {
    return Status::BadFlag("--batch-size " + std::to_string(o.batch_size) +
                                   ": must be at least 1");
  }
  if (!(o.learning_rate > 0.0f) || !std::isfinite(o.learning_rate)) {
    return Status::BadFlag("--lr " + std::to_string(o.learning_rate) +
                                   ": must be a positive number");
  }
  if (!(o.l2 >= 0.0f) || !std::isfinite(o.l2)) {
    return Status::BadFlag("--l2 " + std::to_string(o.l2) + ": must be 0 or positive");
  }
  if (o.hidden.empty()) return Status::BadFlag("--hidden: needs at least one width");
  for (int h : o.hidden) {
    if (h < 1) return Status::BadFlag("--hidden: width " + std::to_string(h) + " must be at least 1");
  }
  if (o.threads < 0) {
    return Status::BadFlag("--threads " + std::to_string(o.threads) + ": must be 0 or more");
  }
  if (o.max_to_keep < 0) {
    return Status::BadFlag("--max-to-keep " + std::to_string(o.max_to_keep) +
                                   ": must be 0 (keep all) or more");
  }
  if (!(o.ema_decay >= 0.0f && o.ema_decay < 1.0f)) {
    return Status::BadFlag("--ema-decay " + std::to_string(o.ema_decay) +
                                   ": must be in [0, 1)");
  }
  if (o.ckpt_dir.empty()) return Status::BadFlag("--ckpt-dir: must not be empty");
  return Status::Ok();
}

}  // namespace

Status Train(const TrainOptions& options, FILE* out, TrainResult* result) {
  *result = TrainResult{};
  MNIST_RETURN_IF_ERROR(ValidateTrainOptions(options));
  Run run;
  MNIST_RETURN_IF_ERROR(SetUp(options, out, &run));
  TrainProgress& progress = run.state.progress;
  const int64_t batches = BatchCount(run.data.train.size(), options.batch_size);
  const int64_t first_epoch = progress.epoch + 1;
  if (first_epoch > options.epochs) {
    std::fprintf(out, "already trained to epoch %lld (--epochs %d): nothing to do; give a larger "
                 "--epochs to train on\n", static_cast<long long>(progress.epoch), options.epochs);
  }
  for (int64_t epoch = first_epoch; epoch <= options.epochs; ++epoch) {
    const auto epoch_start = std::chrono::steady_clock::now();
    StatusOr<Batches> trained = TrainBatches(options, epoch, &run, out);
    if (!trained.ok()) return trained.status();
    // The last epoch's checkpoints were written while this one trained; a
    // failed save stops training here, before this epoch counts.
    MNIST_RETURN_IF_ERROR(FinishSaves(options, &run, out));
    if (trained->stopped) return StopAtBatch(&run, out, result);
    const double samples_per_second =
        static_cast<double>(trained->examples) / SecondsSince(epoch_start);
    const double train_loss = progress.epoch_loss_sum / static_cast<double>(batches);
    progress.epoch = epoch;
    progress.batch_in_epoch = 0;
    progress.epoch_loss_sum = 0.0;
    MNIST_RETURN_IF_ERROR(
        EndEpoch(options, epoch, train_loss, samples_per_second, epoch_start, &run, out));
  }
  MNIST_RETURN_IF_ERROR(FinishSaves(options, &run, out));
  // A signal during the last epoch's evaluation or saves: all is saved.
  result->stop_signal = StopSignalReceived();
  if (progress.epoch < first_epoch) return Status::Ok();  // nothing new to draw
  return RunPlot(PlotOptions{options.ckpt_dir, ""}, out);
}

}  // namespace mnist

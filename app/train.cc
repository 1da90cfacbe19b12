#include "app/train.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <sstream>

#include "app/evaluate.h"
#include "app/metrics_log.h"
#include "app/plot.h"
#include "app/progress.h"
#include "app/stop_signal.h"
#include "checkpoints/background_saver.h"
#include "checkpoints/checkpoint_manager.h"
#include "checkpoints/naming.h"
#include "data/batches.h"
#include "data/dataset.h"
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

// Keeps the acc.txt lines of epochs 1..epochs: a run stopped after writing
// its line but before its resume checkpoint must not list that epoch twice.
Status TrimAccuracyFile(const std::string& path, int64_t epochs) {
  std::string text;
  Status read = ReadFile(path, &text);
  if (read.code() == Status::Code::kNotFound) return WriteFileAtomically(path, "");
  MNIST_RETURN_IF_ERROR(read);
  std::istringstream lines(text);
  std::string line, kept;
  while (std::getline(lines, line)) {
    if (std::atoll(line.c_str()) >= 1 && std::atoll(line.c_str()) <= epochs) kept += line + "\n";
  }
  return WriteFileAtomically(path, kept);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The checkpoint a --resume continues from: the newer, by global step, of
// the resume checkpoint and the newest best one. A kill between an epoch's
// best save and its resume save leaves the best one newer; continuing from
// it keeps that epoch from being trained and its recorded checkpoint from
// being written over again.
StatusOr<std::string> ResumePrefix(const CheckpointManager& resume, const CheckpointManager& best) {
  std::string newest;
  int64_t newest_step = -1;
  for (const std::string& prefix : {resume.LatestPrefix(), best.LatestPrefix()}) {
    if (prefix.empty()) continue;
    StatusOr<int64_t> step = ReadGlobalStep(prefix);
    if (!step.ok()) return step.status();
    if (*step > newest_step) {
      newest = prefix;
      newest_step = *step;
    }
  }
  if (!newest.empty()) return newest;
  return Status::NotFound(resume.dir() + ": no checkpoint to resume from (neither " +
                          kResumeStateFilename + " nor " + kBestStateFilename + " lists one)");
}

// A run stopped mid-epoch resumes at its batch: that needs the same batches,
// so the same --batch-size (recorded in the checkpoint since it was saved).
Status CheckResumePosition(const TrainProgress& p, int64_t batches, int batch_size,
                           const std::string& resume_from) {
  if (p.batch_in_epoch == 0) return Status::Ok();
  const bool other_size = p.batch_size != 0 && p.batch_size != batch_size;
  if (!other_size && p.batch_in_epoch <= batches) return Status::Ok();
  return Status::InvalidArgument(
      resume_from + ": stopped after batch " + std::to_string(p.batch_in_epoch) + " of epoch " +
      std::to_string(p.epoch + 1) +
      (p.batch_size != 0 ? " with --batch-size " + std::to_string(p.batch_size) : "") +
      ", so it cannot go on with --batch-size " + std::to_string(batch_size) + " (" +
      std::to_string(batches) + " batches an epoch); resume with the --batch-size of the "
      "stopped run");
}

// With --keep-going-on-save-error a failed save is reported and training
// goes on; otherwise the error stops it.
Status KeepGoingIfAsked(const TrainOptions& options, const Status& saved) {
  if (saved.ok() || !options.keep_going_on_save_error) return saved;
  std::fprintf(stderr, "mnist: %s; training goes on (--keep-going-on-save-error)\n",
               saved.ToString().c_str());
  return Status::Ok();
}

// A stop signal arrived: saves the resume checkpoint at the batch reached
// (it never counts as a best one) and reports the signal.
Status StopAtBatch(CheckpointManager* last, const TrainingState& state, FILE* out,
                   TrainResult* result) {
  const TrainProgress& p = state.progress;
  MNIST_RETURN_IF_ERROR(last->Save(p.global_step, state));
  result->stop_signal = StopSignalReceived();
  std::fprintf(out, "stopped by signal %d after batch %lld of epoch %lld; saved %s (continue "
               "with --resume)\n", result->stop_signal, static_cast<long long>(p.batch_in_epoch),
               static_cast<long long>(p.epoch + 1), last->LatestPrefix().c_str());
  std::fflush(out);
  return Status::Ok();
}

// An epoch whose checkpoints are being written in the background while the
// next epoch trains: its metrics row waits for their outcome.
struct PendingEpoch {
  bool active = false;
  MetricsRow row;
  double best_before = -1.0;  // best_val_acc before this epoch's improvement
};

// Waits for the pending epoch's saves, reports them, and appends its metrics
// row. A best checkpoint that failed to save is no best: best_val_acc goes
// back so the next improvement retries (with --keep-going-on-save-error;
// without it, the error stops training).
Status FinishSaves(const TrainOptions& options, const CheckpointManager* best,
                   BackgroundSaver* saver, PendingEpoch* pending, TrainProgress* progress,
                   FILE* out) {
  if (!pending->active) return Status::Ok();
  pending->active = false;
  for (BackgroundSaver::Result& r : saver->Wait()) {
    if (r.job.manager == best) {
      if (r.status.ok()) {
        pending->row.saved = CheckpointName(kBestBasename, r.job.step);
        pending->row.deleted = r.deleted;
        std::fprintf(out, "saved %s\n", best->LatestPrefix().c_str());
      } else {
        progress->best_val_acc = pending->best_before;
      }
    }
    MNIST_RETURN_IF_ERROR(KeepGoingIfAsked(options, r.status));
  }
  return KeepGoingIfAsked(
      options, AppendMetricsRow(JoinPath(options.ckpt_dir, kMetricsFilename), pending->row));
}

}  // namespace

Status ValidateTrainOptions(const TrainOptions& o) {
  if (o.epochs < 1) {
    return Status::InvalidArgument("--epochs " + std::to_string(o.epochs) + ": must be at least 1");
  }
  if (o.batch_size < 1) {
    return Status::InvalidArgument("--batch-size " + std::to_string(o.batch_size) +
                                   ": must be at least 1");
  }
  if (!(o.learning_rate > 0.0f) || !std::isfinite(o.learning_rate)) {
    return Status::InvalidArgument("--lr " + std::to_string(o.learning_rate) +
                                   ": must be a positive number");
  }
  if (!(o.l2 >= 0.0f) || !std::isfinite(o.l2)) {
    return Status::InvalidArgument("--l2 " + std::to_string(o.l2) + ": must be 0 or positive");
  }
  if (o.hidden.empty()) return Status::InvalidArgument("--hidden: needs at least one width");
  for (int h : o.hidden) {
    if (h < 1) return Status::InvalidArgument("--hidden: width " + std::to_string(h) + " must be at least 1");
  }
  if (o.threads < 0) {
    return Status::InvalidArgument("--threads " + std::to_string(o.threads) + ": must be 0 or more");
  }
  if (o.max_to_keep < 0) {
    return Status::InvalidArgument("--max-to-keep " + std::to_string(o.max_to_keep) +
                                   ": must be 0 (keep all) or more");
  }
  if (!(o.ema_decay >= 0.0f && o.ema_decay < 1.0f)) {
    return Status::InvalidArgument("--ema-decay " + std::to_string(o.ema_decay) +
                                   ": must be in [0, 1)");
  }
  if (o.ckpt_dir.empty()) return Status::InvalidArgument("--ckpt-dir: must not be empty");
  return Status::Ok();
}

Status Train(const TrainOptions& options, FILE* out, TrainResult* result) {
  *result = TrainResult{};
  MNIST_RETURN_IF_ERROR(ValidateTrainOptions(options));
  const std::string data_dir = options.data_dir.empty() ? DefaultDataDir() : options.data_dir;
  StatusOr<Dataset> data = LoadDataset(data_dir, kInputSize);
  if (!data.ok()) return data.status();
  const Split& train = data->train;
  std::fprintf(out, "data: %s: %u training and %u test images of %ux%u\n", data_dir.c_str(),
               train.size(), data->test.size(), train.images.rows, train.images.cols);

  StatusOr<CheckpointManager> best = CheckpointManager::Open(
      options.ckpt_dir, kBestBasename, kBestStateFilename, options.max_to_keep);
  if (!best.ok()) return best.status();
  StatusOr<CheckpointManager> last = CheckpointManager::Open(
      options.ckpt_dir, kResumeBasename, kResumeStateFilename, /*max_to_keep=*/1);
  if (!last.ok()) return last.status();

  // A resumed run takes the network's shape from the checkpoint.
  std::string resume_from;
  std::vector<int> sizes = LayerSizes(options);
  if (options.resume) {
    StatusOr<std::string> prefix = ResumePrefix(*last, *best);
    if (!prefix.ok()) return prefix.status();
    resume_from = *prefix;
    StatusOr<std::vector<int>> saved = CheckpointLayerSizes(resume_from);
    if (!saved.ok()) return saved.status();
    sizes = *saved;
  }
  Mlp model(sizes);
  Rng init_rng(options.seed, /*stream=*/0);
  model.Init(&init_rng, options.init_stddev);
  AdamOptions adam_options;
  adam_options.learning_rate = options.learning_rate;
  Adam adam(adam_options, model.variables());
  std::unique_ptr<ExponentialMovingAverage> ema;
  if (options.ema_decay > 0.0f) {
    ema = std::make_unique<ExponentialMovingAverage>(options.ema_decay, model.variables());
  }
  TrainingState state{&model, &adam, ema.get(), TrainProgress{}};
  state.progress.seed = options.seed;

  const std::string acc_path = JoinPath(options.ckpt_dir, kAccuracyFilename);
  const std::string metrics_path = JoinPath(options.ckpt_dir, kMetricsFilename);
  MNIST_RETURN_IF_ERROR(RemoveStaleTemporaries(options.ckpt_dir, [](const std::string& name) {
    return name == kAccuracyFilename || name == kMetricsFilename;
  }));
  if (options.resume) {
    RestoreOptions restore;
    restore.training = true;
    MNIST_RETURN_IF_ERROR(RestoreCheckpoint(resume_from, restore, &state));
    std::fprintf(out, "resumed from %s: epoch %lld, step %lld, best val_acc %.4f\n",
                 resume_from.c_str(), static_cast<long long>(state.progress.epoch),
                 static_cast<long long>(state.progress.global_step), state.progress.best_val_acc);
    MNIST_RETURN_IF_ERROR(TrimAccuracyFile(acc_path, state.progress.epoch));
  } else {
    MNIST_RETURN_IF_ERROR(WriteFileAtomically(acc_path, ""));  // a new run starts afresh
  }
  MNIST_RETURN_IF_ERROR(StartMetricsLog(metrics_path, options.resume ? state.progress.epoch : 0));

  TrainProgress& progress = state.progress;
  const uint64_t seed = progress.seed;
  const int batch = options.batch_size;
  const int64_t batches = BatchCount(train.size(), batch);
  MNIST_RETURN_IF_ERROR(CheckResumePosition(progress, batches, batch, resume_from));
  progress.batch_size = batch;
  std::vector<float> x(size_t{kInputSize} * batch);
  std::vector<int32_t> labels(batch);
  std::vector<float> dlogits(size_t{kNumClasses} * batch);
  const bool live = isatty(fileno(out));

  BackgroundSaver saver;
  PendingEpoch pending;
  const int64_t first_epoch = progress.epoch + 1;
  for (int64_t epoch = first_epoch; epoch <= options.epochs; ++epoch) {
    const auto epoch_start = std::chrono::steady_clock::now();
    const std::vector<uint32_t> order = EpochOrder(train.size(), seed, epoch);
    Progress bar(out, live, batches, batch);
    int64_t examples = 0;  // trained in this run, for samples/s
    for (int64_t b = progress.batch_in_epoch; b < batches; ++b) {
      const int64_t begin = b * batch;
      const int64_t end = std::min<int64_t>(begin + batch, train.size());
      const int size = static_cast<int>(end - begin);
      FillBatch(train, order.data(), begin, end, x.data(), labels.data());
      const float loss = TrainStep(&model, &adam, x.data(), labels.data(), size, options.l2,
                                   dlogits.data());
      ++progress.global_step;
      if (ema) ema->Update(model.variables(), progress.global_step);
      progress.epoch_loss_sum += loss;
      progress.batch_in_epoch = b + 1;
      examples += size;
      bar.Update(b + 1, progress.epoch_loss_sum / static_cast<double>(b + 1));
      if (saver.failed()) {  // the last epoch's save: stop now, or report and go on
        MNIST_RETURN_IF_ERROR(FinishSaves(options, &*best, &saver, &pending, &progress, out));
      }
      if (StopSignalReceived() != 0) {
        bar.Finish();
        MNIST_RETURN_IF_ERROR(FinishSaves(options, &*best, &saver, &pending, &progress, out));
        return StopAtBatch(&*last, state, out, result);
      }
    }
    bar.Finish();
    // The last epoch's checkpoints were written while this one trained; a
    // failed save stops training here, before this epoch counts.
    MNIST_RETURN_IF_ERROR(FinishSaves(options, &*best, &saver, &pending, &progress, out));
    const double train_seconds = SecondsSince(epoch_start);
    const double train_loss = progress.epoch_loss_sum / static_cast<double>(batches);
    progress.epoch = epoch;
    progress.batch_in_epoch = 0;
    progress.epoch_loss_sum = 0.0;

    const EvalResult eval = Evaluate(&model, data->test);
    std::fprintf(out, "epoch:%lld, val_loss:%f, val_acc:%f\n", static_cast<long long>(epoch),
                 eval.loss, eval.accuracy);
    std::fflush(out);
    MNIST_RETURN_IF_ERROR(
        KeepGoingIfAsked(options, AppendAccuracyLine(acc_path, epoch, eval.accuracy)));
    pending.row = MetricsRow{epoch, progress.global_step, train_loss, eval.loss, eval.accuracy,
                             SecondsSince(epoch_start),
                             static_cast<double>(examples) / train_seconds, /*saved=*/"",
                             /*deleted=*/{}};
    pending.best_before = progress.best_val_acc;
    std::vector<BackgroundSaver::Job> jobs;
    if (eval.accuracy > progress.best_val_acc) {
      progress.best_val_acc = eval.accuracy;
      jobs.push_back({&*best, epoch});
    }
    jobs.push_back({&*last, progress.global_step});
    saver.Start(std::move(jobs), state);  // stalls only for the snapshot
    pending.active = true;
  }
  MNIST_RETURN_IF_ERROR(FinishSaves(options, &*best, &saver, &pending, &progress, out));
  // A signal during the last epoch's evaluation or saves: all is saved.
  result->stop_signal = StopSignalReceived();
  if (progress.epoch < first_epoch) return Status::Ok();  // nothing new to draw
  return RunPlot(PlotOptions{options.ckpt_dir, ""}, out);
}

}  // namespace mnist

#include "app/modes/train.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include "app/modes/path_flags.h"
#include "app/modes/plot.h"
#include "app/process/stop_signal.h"
#include "app/training/epoch_log.h"
#include "app/training/evaluate.h"
#include "app/training/metrics_log.h"
#include "app/training/progress.h"
#include "app/training/training_run.h"
#include "checkpoints/meta_graph/model_graph.h"
#include "checkpoints/state/naming.h"
#include "data/dataset/batches.h"
#include "io/base/file.h"
#include "io/base/strings.h"
#include "io/bundle/proto_serialize.h"
#include "nn/training/train_step.h"

namespace mnist {
namespace {

// The network's inference graph, its variables as VariableV2 nodes (the
// .meta's graph without the saver's nodes), serialized.
std::string InferenceGraph(const Mlp& model) {
  tensorflow::GraphDef graph = BuildMetaGraph(model, /*saved=*/{}, /*max_to_keep=*/0).graph_def();
  auto* nodes = graph.mutable_node();
  nodes->erase(std::remove_if(nodes->begin(), nodes->end(),
                              [](const tensorflow::NodeDef& n) { return StartsWith(n.name(), "save/"); }),
               nodes->end());
  std::string bytes;
  SerializeDeterministically(graph, &bytes);
  return bytes;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// With --keep-going-on-save-error a failed save is reported and training
// goes on; otherwise the error stops it.
Status KeepGoingIfAsked(const TrainOptions& options, const Status& saved) {
  if (saved.ok() || !options.keep_going_on_save_error) return saved;
  std::fprintf(stderr, "mnist: %s; training goes on (--keep-going-on-save-error)\n",
               saved.message().c_str());
  return Status::Ok();
}

// Waits for the pending epoch's saves and reports them. A best checkpoint
// that failed to save is no best: best_val_acc goes back so the next
// improvement retries (with --keep-going-on-save-error; without it, the error
// stops training), and its metrics row, recorded with the saves it expected,
// is recorded again with what they did.
Status FinishSaves(const TrainOptions& options, Run* run, FILE* out) {
  PendingEpoch& pending = run->pending;
  if (!run->saver.busy()) return Status::Ok();
  const MetricsRow expected = pending.row;
  Status stop;
  for (BackgroundSaver::Result& r : run->saver.Wait()) {
    if (r.job.manager == run->best.get()) {
      if (r.status.ok()) {
        pending.row.deleted = r.deleted;
        std::fprintf(out, "saved %s\n", run->best->LatestPrefix().c_str());
      } else {
        pending.row.saved.clear();
        pending.row.deleted.clear();
        run->state.progress.best_val_acc = pending.best_before;
        if (r.job.step == run->top_epoch) run->top_saved = false;
      }
    }
    if (!r.status.ok()) {
      run->failed_saves.push_back(CheckpointName(
          r.job.manager == run->best.get() ? kBestBasename : kResumeBasename, r.job.step));
    }
    if (stop.ok()) stop = KeepGoingIfAsked(options, r.status);
  }
  if (pending.row.saved != expected.saved || pending.row.deleted != expected.deleted) {
    MNIST_RETURN_IF_ERROR(KeepGoingIfAsked(options, RecordEpoch(options.ckpt_dir, pending.row)));
  }
  return stop;
}

// True when every value of the model, Adam's slots and the EMA shadows is
// finite (nothing non-finite may be saved as a checkpoint).
bool StateIsFinite(const TrainingState& state) {
  std::vector<const std::vector<Variable>*> all = {&state.model->variables(), &state.adam->m(),
                                                    &state.adam->v()};
  if (state.ema != nullptr) all.push_back(&state.ema->shadows());
  for (const std::vector<Variable>* vars : all) {
    for (const Variable& v : *vars) {
      if (!v.value.allFinite()) return false;
    }
  }
  return true;
}

// A training loss that is not finite (Keras' TerminateOnNaN): TrainStep
// updated nothing, so the state is the one after the last good batch; it is
// saved as the resume checkpoint when every value is finite (else the one
// saved before stays the last good one). Returns the error that stops the
// run, naming epoch, batch and the last good checkpoint.
Status StopAtNonFiniteLoss(const TrainOptions& options, float loss, int64_t epoch, int64_t batch,
                           int64_t batches, Run* run, FILE* out) {
  Status pending = FinishSaves(options, run, out);  // the managers are ours again
  const bool finite = StateIsFinite(run->state);
  Status saved = finite ? run->last->Save(run->state.progress.global_step, run->state)
                        : Status::Ok();
  std::string good = run->last->LatestPrefix();
  if (good.empty()) good = run->best->LatestPrefix();
  char what[200];
  std::snprintf(what, sizeof(what),
                "training loss is %s at epoch %lld, batch %lld of %lld; training stopped (try a "
                "lower --lr than %g)", std::isnan(loss) ? "NaN" : loss > 0 ? "+Inf" : "-Inf",
                static_cast<long long>(epoch),
                static_cast<long long>(batch), static_cast<long long>(batches),
                static_cast<double>(options.learning_rate));
  std::string message = std::string(what) + "; last good checkpoint: " + (good.empty() ? "none" : good);
  if (!finite) message += " (the state before this batch was not finite and was not saved)";
  if (!saved.ok()) message += "; saving the resume checkpoint failed: " + saved.message();
  if (!pending.ok()) message += "; " + pending.message();
  return Status::FailedPrecondition(message);
}

// With --keep-going-on-save-error: one line listing the saves that failed;
// an error when the best epoch's checkpoint never got saved.
Status ReportFailedSaves(const Run& run) {
  if (run.failed_saves.empty()) return Status::Ok();
  const std::string list = StrJoin(run.failed_saves, ", ");
  std::fprintf(stderr, "mnist: %zu save%s failed (--keep-going-on-save-error): %s\n",
               run.failed_saves.size(), run.failed_saves.size() == 1 ? "" : "s", list.c_str());
  if (run.top_saved) return Status::Ok();
  return Status::IOError("the best epoch, " + std::to_string(run.top_epoch) +
                         ", was never saved as " + CheckpointName(kBestBasename, run.top_epoch) +
                         "; its weights are lost");
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
  std::vector<float> x(kImagePixels * largest);
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
                                 options.l2, dlogits.data(), run->ema.get(),
                                 progress.global_step + 1);
    if (!std::isfinite(loss)) {
      bar.Finish();
      return StopAtNonFiniteLoss(options, loss, epoch, b + 1, batches, run, out);
    }
    ++progress.global_step;
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
// it, records its metrics row and acc.txt line (app/training/epoch_log.h) with the
// saves to come and its TensorBoard event (app/training/events_file.h), and
// starts writing its checkpoints in the background: the best one when val_acc
// beats the best so far, and the resume one. The row waits in run->pending for
// their outcome.
Status EndEpoch(const TrainOptions& options, int64_t epoch, double train_loss,
                double samples_per_second, std::chrono::steady_clock::time_point epoch_start,
                Run* run, FILE* out) {
  TrainProgress& progress = run->state.progress;
  const Split& validation =
      run->data.validation.size() > 0 ? run->data.validation : run->data.test;
  const EvalResult eval = Evaluate(run->model.get(), validation);
  std::fprintf(out, "epoch:%lld, val_loss:%f, val_acc:%f\n", static_cast<long long>(epoch),
               eval.loss, eval.accuracy);
  std::fflush(out);
  run->pending.row = MetricsRow{epoch, progress.global_step, train_loss, eval.loss, eval.accuracy,
                                SecondsSince(epoch_start), samples_per_second, /*saved=*/"",
                                /*deleted=*/{}, options.learning_rate};
  run->pending.best_before = progress.best_val_acc;
  if (!StateIsFinite(run->state)) {  // never saved, never a best
    std::string good = run->last->LatestPrefix();
    return Status::FailedPrecondition("the weights are not finite after epoch " +
                                      std::to_string(epoch) + "; training stopped (try a lower "
                                      "--lr); last good checkpoint: " + (good.empty() ? "none" : good));
  }
  std::vector<BackgroundSaver::Job> jobs;
  if (eval.accuracy > progress.best_val_acc && std::isfinite(eval.loss)) {
    progress.best_val_acc = eval.accuracy;
    if (eval.accuracy > run->top_acc) {  // always so, unless a best save failed before
      run->top_acc = eval.accuracy;
      run->top_epoch = epoch;
      run->top_saved = true;  // until its save fails
    }
    jobs.push_back({run->best.get(), epoch});
    run->pending.row.saved = CheckpointName(kBestBasename, epoch);
    run->pending.row.deleted = run->best->WouldDelete(epoch);
  }
  // Written after the best one: should that fail, it records the best before.
  jobs.push_back({run->last.get(), progress.global_step, run->pending.best_before});
  MNIST_RETURN_IF_ERROR(KeepGoingIfAsked(options, RecordEpoch(options.ckpt_dir, run->pending.row)));
  run->events->AddEpoch(run->pending.row);
  return run->saver.Start(std::move(jobs), run->state);  // stalls only for the snapshot
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
  // The failed saves are listed here too; a stopped run exits with its
  // signal's code, and the resume will retry an unsaved best.
  (void)ReportFailedSaves(*run);
  return Status::Ok();
}

}  // namespace

Status Train(const TrainOptions& given, FILE* out, TrainResult* result) {
  *result = TrainResult{};
  MNIST_RETURN_IF_ERROR(CheckFolderFlag(given.ckpt_dir, "--ckpt-dir", "a folder"));
  if (!given.data_dir.empty()) {
    MNIST_RETURN_IF_ERROR(CheckFolderFlag(given.data_dir, "--data-dir", kDataDirTakes));
  }
  Run run;
  const Status set_up = SetUpRun(given, out, &run);
  if (set_up.code() == Status::Code::kCancelled) {  // a stop signal while the network was set up
    result->stop_signal = StopSignalReceived();
    std::fprintf(out, "stopped by signal %d during set-up, before the first batch: nothing trained, "
                 "nothing saved\n", result->stop_signal);
    return Status::Ok();
  }
  MNIST_RETURN_IF_ERROR(set_up);
  const TrainOptions& options = run.options;
  run.top_acc = run.state.progress.best_val_acc;
  TrainProgress& progress = run.state.progress;
  const int64_t batches = BatchCount(run.data.train.size(), options.batch_size);
  const int64_t first_epoch = progress.epoch + 1;
  if (first_epoch > options.epochs) {
    std::fprintf(out, "already trained to epoch %lld (--epochs %d): nothing to do; give a larger "
                 "--epochs to train on\n", static_cast<long long>(progress.epoch), options.epochs);
  } else {
    // A run that has not taken a step yet is a new one (a --resume of an
    // empty directory too): earlier runs' events files go.
    run.events = std::make_unique<EventsFile>(options.ckpt_dir, /*new_run=*/progress.global_step == 0,
                                              stderr);
    run.events->AddGraph(InferenceGraph(*run.model));
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
  MNIST_RETURN_IF_ERROR(ReportFailedSaves(run));
  // A signal during the last epoch's evaluation or saves: the run is
  // complete and saved, so it ends as a finished one (exit 0), and says so.
  if (StopSignalReceived() != 0) {
    std::fprintf(out, "signal %d arrived after the last epoch (%lld); everything is saved\n",
                 StopSignalReceived(), static_cast<long long>(progress.epoch));
  }
  if (progress.epoch < first_epoch) return Status::Ok();  // nothing new to draw
  return RunPlot(PlotOptions{options.ckpt_dir, ""}, out);
}

}  // namespace mnist

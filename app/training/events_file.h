// <ckpt-dir>/events.out.tfevents.<seconds>.<host>: the run's curves for
// TensorBoard (`tensorboard --logdir <ckpt-dir>`), as TensorFlow's
// FileWriter writes them (tensorflow/core/util/events_writer.cc).
//
// The file is a TFRecord file (io/tfrecord/tfrecord_format.h) of Event
// protos (io/proto/event.proto): first one with wall_time and file_version
// "brain.Event:2", then one holding the inference GraphDef (TensorBoard's
// Graphs tab; as FileWriter(logdir, graph) writes it), then one per epoch at
// step = global step, whose Summary
// holds a simple_value for each scalar of the epoch's metrics.csv row
// (app/training/metrics_log.h): val_acc, val_loss, train_loss,
// samples_per_sec, epoch_seconds, lr and epoch (a value not known is left
// out). Each epoch's Event is appended and fsynced at once, so TensorBoard
// shows it while the run goes on.
//
// Every run, a resumed one too, starts a file of its own (as TensorFlow
// does; its steps continue the run's); a new run first removes the events
// files of earlier ones, as it starts acc.txt and metrics.csv afresh. The
// file is a convenience: when it cannot be written, one warning naming it
// goes to `warnings` and the run goes on without it (nothing stops or is lost).
//
// Thread safety: one EventsFile per run, used by the training thread.
#ifndef MNIST_APP_TRAINING_EVENTS_FILE_H_
#define MNIST_APP_TRAINING_EVENTS_FILE_H_

#include <cstdint>
#include <cstdio>
#include <string>

#include "app/training/metrics_log.h"
#include "io/base/status.h"

namespace mnist {

// What every events file's name starts with; TensorBoard reads any file
// whose name holds "tfevents".
constexpr char kEventsFilePrefix[] = "events.out.tfevents.";

// "events.out.tfevents.<seconds, 10 digits>.<host>", as TensorFlow names it.
std::string EventsFilename(int64_t seconds, const std::string& host);

// Seconds since the Unix epoch, with microseconds (an Event's wall_time).
double WallTime();

class EventsFile {
 public:
  // Starts this run's events file in `dir` (after removing earlier runs'
  // when `new_run`), writing its first Event at `now`. A name already taken
  // (a run within the same second) gets a suffix ".1", ".2", ...
  EventsFile(const std::string& dir, bool new_run, FILE* warnings, double now = WallTime());

  // Appends an Event holding `graph_def` (a serialized GraphDef).
  void AddGraph(const std::string& graph_def, double now = WallTime());

  // Appends the Event of the epoch `row` records, at step row.global_step.
  void AddEpoch(const MetricsRow& row, double now = WallTime());

  const std::string& path() const { return path_; }
  // False once writing failed (and the warning was given).
  bool ok() const { return ok_; }

 private:
  // Appends `event` (a serialized Event), or warns once and stops writing.
  void Append(const std::string& event);
  void Warn(const Status& error);

  std::string path_;
  FILE* warnings_;
  bool ok_ = true;
};

}  // namespace mnist

#endif  // MNIST_APP_TRAINING_EVENTS_FILE_H_

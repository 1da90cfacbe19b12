#include "app/training/events_file.h"

#include <unistd.h>

#include <chrono>
#include <climits>
#include <cmath>
#include <utility>
#include <vector>

#include "checkpoints/state/naming.h"
#include "io/base/file.h"
#include "io/base/strings.h"
#include "io/bundle/proto_serialize.h"
#include "io/proto/event.pb.h"
#include "io/tfrecord/tfrecord_writer.h"

namespace mnist {
namespace {

// TensorFlow's EventsWriter::kVersionPrefix + kCurrentVersion.
constexpr char kFileVersion[] = "brain.Event:2";

std::string Hostname() {
  char host[HOST_NAME_MAX + 1] = "";
  if (gethostname(host, sizeof(host)) != 0 || host[0] == '\0') return "localhost";
  host[HOST_NAME_MAX] = '\0';
  return host;
}

std::string Serialize(const tensorflow::Event& event) {
  std::string bytes;
  SerializeDeterministically(event, &bytes);  // a few dozen bytes: cannot fail
  return bytes;
}

}  // namespace

std::string EventsFilename(int64_t seconds, const std::string& host) {
  char number[32];
  std::snprintf(number, sizeof(number), "%010lld", static_cast<long long>(seconds));
  return kEventsFilePrefix + std::string(number) + "." + host;
}

double WallTime() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count()) /
         1e6;
}

EventsFile::EventsFile(const std::string& dir, bool new_run, FILE* warnings, double now)
    : warnings_(warnings) {
  const std::string name = EventsFilename(static_cast<int64_t>(now), Hostname());
  path_ = JoinPath(dir, name);
  if (new_run) {
    StatusOr<std::vector<std::string>> names = ListDirectory(dir);
    if (!names.ok()) {
      Warn(names.status());
      return;
    }
    for (const std::string& old : *names) {
      if (!StartsWith(old, kEventsFilePrefix)) continue;
      const Status removed = RemoveFileIfExists(JoinPath(dir, old));
      if (!removed.ok()) {
        Warn(removed);
        return;
      }
    }
  }
  for (int suffix = 1; FileExists(path_); ++suffix) {
    path_ = JoinPath(dir, name + "." + std::to_string(suffix));
  }
  tensorflow::Event first;
  first.set_wall_time(now);
  first.set_file_version(kFileVersion);
  Append(Serialize(first));
}

void EventsFile::AddGraph(const std::string& graph_def, double now) {
  if (!ok_) return;
  tensorflow::Event event;
  event.set_wall_time(now);
  event.set_graph_def(graph_def);
  Append(Serialize(event));
}

void EventsFile::AddEpoch(const MetricsRow& row, double now) {
  if (!ok_) return;
  tensorflow::Event event;
  event.set_wall_time(now);
  event.set_step(row.global_step);
  tensorflow::Summary* summary = event.mutable_summary();
  const std::pair<const char*, double> scalars[] = {
      {"val_acc", row.val_acc},
      {"val_loss", row.val_loss},
      {"train_loss", row.train_loss},
      {"samples_per_sec", row.samples_per_sec},
      {"epoch_seconds", row.epoch_seconds},
      {"lr", row.lr > 0.0 ? row.lr : std::nan("")},  // 0: not recorded
      {"epoch", static_cast<double>(row.epoch)},
  };
  for (const auto& [tag, value] : scalars) {
    if (!std::isfinite(value)) continue;  // not known
    tensorflow::Summary::Value* v = summary->add_value();
    v->set_tag(tag);
    v->set_simple_value(static_cast<float>(value));
  }
  Append(Serialize(event));
}

void EventsFile::Append(const std::string& event) {
  if (!ok_) return;
  const Status appended = AppendTFRecords(path_, {event});
  if (!appended.ok()) Warn(appended);
}

void EventsFile::Warn(const Status& error) {
  if (!ok_) return;
  ok_ = false;
  std::fprintf(warnings_, "mnist: %s; training goes on without TensorBoard's events file %s\n",
               error.message().c_str(), path_.c_str());
  std::fflush(warnings_);
}

}  // namespace mnist

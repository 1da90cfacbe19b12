#include "app/training/epoch_log.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <vector>

#include "checkpoints/state/naming.h"
#include "io/base/file.h"

namespace mnist {
namespace {

// Both logs of a directory: the rows, and acc.txt's val_acc by epoch.
struct Logs {
  std::vector<MetricsRow> rows;
  std::map<int64_t, double> accuracy;
};

// Reads both logs (a missing file is an empty one), keeping epochs up to
// `keep_epochs`. A line of acc.txt that is no `N, val_acc: X` is dropped.
Status ReadLogs(const std::string& dir, int64_t keep_epochs, Logs* logs) {
  const std::string metrics_path = JoinPath(dir, kMetricsFilename);
  if (FileExists(metrics_path)) {
    StatusOr<std::vector<MetricsRow>> rows = ReadMetrics(metrics_path);
    if (!rows.ok()) {
      return rows.status().WithContext("cannot continue the metrics log (move it away to start anew)");
    }
    for (MetricsRow& row : *rows) {
      if (row.epoch <= keep_epochs) logs->rows.push_back(std::move(row));
    }
  }
  std::string text;
  const Status read = ReadFile(JoinPath(dir, kAccuracyFilename), &text);
  if (read.code() == Status::Code::kNotFound) return Status::Ok();
  MNIST_RETURN_IF_ERROR(read);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    long long epoch = 0;
    double accuracy = 0.0;
    if (std::sscanf(line.c_str(), "%lld, val_acc: %lf", &epoch, &accuracy) == 2 && epoch >= 1 &&
        epoch <= keep_epochs) {
      logs->accuracy[epoch] = accuracy;
    }
  }
  return Status::Ok();
}

// Writes metrics.csv, then acc.txt, each crash-safe.
Status WriteLogs(const std::string& dir, const Logs& logs) {
  std::string metrics = std::string(kMetricsHeader) + "\n";
  for (const MetricsRow& row : logs.rows) metrics += FormatMetricsRow(row);
  MNIST_RETURN_IF_ERROR(WriteFileAtomically(JoinPath(dir, kMetricsFilename), metrics));
  std::string accuracy;
  for (const auto& [epoch, value] : logs.accuracy) {
    accuracy += std::to_string(epoch) + ", val_acc: " + FormatMetricsNumber(value, kValAccFormat) + "\n";
  }
  return WriteFileAtomically(JoinPath(dir, kAccuracyFilename), accuracy);
}

// A row whose values are not known, but its epoch.
MetricsRow UnknownRow(int64_t epoch) {
  const double unknown = std::nan("");
  return MetricsRow{epoch, -1, unknown, unknown, unknown, unknown, unknown, "", {}};
}

}  // namespace

Status StartEpochLogs(const std::string& dir, const ResumedEpoch& resumed) {
  Logs logs;
  if (resumed.epoch == 0) return WriteLogs(dir, logs);  // a new run starts afresh
  MNIST_RETURN_IF_ERROR(ReadLogs(dir, resumed.epoch, &logs));
  std::map<int64_t, MetricsRow> rows;
  for (MetricsRow& row : logs.rows) rows[row.epoch] = std::move(row);
  for (const auto& [epoch, value] : logs.accuracy) {
    if (rows.count(epoch) == 0) {
      rows[epoch] = UnknownRow(epoch);
      rows[epoch].val_acc = value;
    }
  }
  if (rows.count(resumed.epoch) == 0) {
    MetricsRow& row = rows[resumed.epoch] = UnknownRow(resumed.epoch);
    row.val_acc = resumed.val_acc;
    row.saved = resumed.saved;
  }
  MetricsRow& own = rows[resumed.epoch];
  if (own.global_step < 0) own.global_step = resumed.global_step;
  logs.rows.clear();
  for (auto& [epoch, row] : rows) {
    if (std::isfinite(row.val_acc) && logs.accuracy.count(epoch) == 0) logs.accuracy[epoch] = row.val_acc;
    logs.rows.push_back(std::move(row));
  }
  return WriteLogs(dir, logs);
}

Status RecordEpoch(const std::string& dir, const MetricsRow& row) {
  Logs logs;
  MNIST_RETURN_IF_ERROR(ReadLogs(dir, row.epoch - 1, &logs));
  logs.rows.push_back(row);
  if (std::isfinite(row.val_acc)) logs.accuracy[row.epoch] = row.val_acc;
  return WriteLogs(dir, logs);
}

}  // namespace mnist

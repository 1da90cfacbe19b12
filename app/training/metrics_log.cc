#include "app/training/metrics_log.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "io/base/file.h"
#include "io/base/strings.h"

namespace mnist {

const char kMetricsHeader[] =
    "epoch,global_step,train_loss,val_loss,val_acc,epoch_seconds,samples_per_sec,saved,deleted,lr";

// The header before the lr column; such files parse, their rows without lr.
constexpr char kHeaderWithoutLr[] =
    "epoch,global_step,train_loss,val_loss,val_acc,epoch_seconds,samples_per_sec,saved,deleted";

namespace {

constexpr size_t kFields = 10;

bool ParseInt(const std::string& text, int64_t* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  *out = std::strtoll(text.c_str(), &end, 10);
  return errno == 0 && *end == '\0';
}

// An empty field is a value not known (a row a resume restored): NaN.
bool ParseDouble(const std::string& text, double* out) {
  if (text.empty()) {
    *out = std::nan("");
    return true;
  }
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return *end == '\0';
}

// Parses one data line into `row`; "" when it parses, else what is wrong.
std::string ParseRow(const std::string& line, size_t expected, MetricsRow* row) {
  const std::vector<std::string> fields = StrSplit(line, ',');
  if (fields.size() != expected) {
    return std::to_string(fields.size()) + " fields, expected " + std::to_string(expected);
  }
  const std::vector<std::string> names = StrSplit(kMetricsHeader, ',');
  auto bad = [&](int i) {
    return "field " + std::to_string(i + 1) + " (" + names[i] + ") \"" + fields[i] +
           "\" is not a valid number";
  };
  if (!ParseInt(fields[0], &row->epoch) || row->epoch < 1) return bad(0);
  if (fields[1].empty()) {
    row->global_step = -1;
  } else if (!ParseInt(fields[1], &row->global_step) || row->global_step < 0) {
    return bad(1);
  }
  double* numbers[] = {&row->train_loss, &row->val_loss, &row->val_acc, &row->epoch_seconds,
                       &row->samples_per_sec};
  for (int i = 0; i < 5; ++i) {
    if (!ParseDouble(fields[2 + i], numbers[i])) return bad(2 + i);
  }
  row->saved = fields[7];
  row->deleted.clear();
  if (!fields[8].empty()) row->deleted = StrSplit(fields[8], ';');
  row->lr = 0.0;
  if (expected == kFields && !fields[9].empty() && !ParseDouble(fields[9], &row->lr)) return bad(9);
  return "";
}

}  // namespace

std::string FormatMetricsNumber(double value, const char* format) {
  if (!std::isfinite(value)) return "";
  char number[64];
  std::snprintf(number, sizeof(number), format, value);
  return number;
}

std::string FormatMetricsRow(const MetricsRow& row) {
  std::string line = std::to_string(row.epoch) + "," +
                     (row.global_step >= 0 ? std::to_string(row.global_step) : "") + "," +
                     FormatMetricsNumber(row.train_loss, "%.6f") + "," +
                     FormatMetricsNumber(row.val_loss, "%.6f") + "," +
                     FormatMetricsNumber(row.val_acc, kValAccFormat) + "," +
                     FormatMetricsNumber(row.epoch_seconds, "%.3f") + "," +
                     FormatMetricsNumber(row.samples_per_sec, "%.1f") + "," + row.saved + ",";
  line += StrJoin(row.deleted, ";");
  char lr[32] = "";
  if (row.lr > 0.0) std::snprintf(lr, sizeof(lr), "%g", row.lr);
  return line + "," + lr + "\n";
}

StatusOr<std::vector<MetricsRow>> ParseMetrics(const std::string& path, const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  const bool has_header = static_cast<bool>(std::getline(lines, line));
  const bool old_header = has_header && line == kHeaderWithoutLr;
  if (!has_header || (line != kMetricsHeader && !old_header)) {
    return Status::DataLoss(path + ":1: header is \"" + line + "\", expected \"" +
                            kMetricsHeader + "\"");
  }
  std::vector<MetricsRow> rows;
  for (int number = 2; std::getline(lines, line); ++number) {
    MetricsRow row;
    std::string error = ParseRow(line, old_header ? kFields - 1 : kFields, &row);
    if (error.empty() && !rows.empty() && row.epoch <= rows.back().epoch) {
      error = "epoch " + std::to_string(row.epoch) + " follows epoch " +
              std::to_string(rows.back().epoch);
    }
    if (!error.empty()) return Status::DataLoss(path + ":" + std::to_string(number) + ": " + error);
    rows.push_back(std::move(row));
  }
  return rows;
}

StatusOr<std::vector<MetricsRow>> ReadMetrics(const std::string& path) {
  std::string text;
  MNIST_RETURN_IF_ERROR(ReadFile(path, &text));
  return ParseMetrics(path, text);
}

}  // namespace mnist

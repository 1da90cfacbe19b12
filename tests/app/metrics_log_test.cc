// Tests for app/training/metrics_log.h: the row format (unknown values included) and
// parse errors that name the file and line.
#include "app/training/metrics_log.h"

#include <gtest/gtest.h>

#include <cmath>


namespace mnist {
namespace {

MetricsRow Row(int64_t epoch) {
  MetricsRow row;
  row.epoch = epoch;
  row.global_step = epoch * 600;
  row.train_loss = 0.5 / static_cast<double>(epoch);
  row.val_loss = 0.4 / static_cast<double>(epoch);
  row.val_acc = 0.9 + 0.01 * static_cast<double>(epoch);
  row.epoch_seconds = 12.25;
  row.samples_per_sec = 4900.5;
  return row;
}

std::string Header() { return std::string(kMetricsHeader) + "\n"; }

TEST(MetricsLogTest, FormatsOneCsvLinePerRow) {
  MetricsRow row = Row(3);
  row.saved = "mnist.ckpt-3";
  row.deleted = {"mnist.ckpt-1", "mnist.ckpt-2"};
  EXPECT_EQ(FormatMetricsRow(row),
            "3,1800,0.166667,0.133333,0.9300,12.250,4900.5,mnist.ckpt-3,mnist.ckpt-1;mnist.ckpt-2,\n");
  EXPECT_EQ(FormatMetricsRow(Row(1)), "1,600,0.500000,0.400000,0.9100,12.250,4900.5,,,\n");
  row.lr = 0.001;
  EXPECT_EQ(FormatMetricsRow(row),
            "3,1800,0.166667,0.133333,0.9300,12.250,4900.5,mnist.ckpt-3,mnist.ckpt-1;mnist.ckpt-2,0.001\n");
}

TEST(MetricsLogTest, TheLrColumnParsesAndFilesWithoutItStillDo) {
  MetricsRow row = Row(1);
  row.lr = 0.01;
  StatusOr<std::vector<MetricsRow>> rows = ParseMetrics("m.csv", Header() + FormatMetricsRow(row));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_DOUBLE_EQ((*rows)[0].lr, 0.01);
  const std::string old_header =
      "epoch,global_step,train_loss,val_loss,val_acc,epoch_seconds,samples_per_sec,saved,deleted\n";
  rows = ParseMetrics("m.csv", old_header + "1,600,0.5,0.4,0.91,12.25,4900.5,,\n");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)[0].lr, 0.0);
}

TEST(MetricsLogTest, ParsesWhatItFormats) {
  MetricsRow saved = Row(2);
  saved.saved = "mnist.ckpt-2";
  saved.deleted = {"mnist.ckpt-1"};
  StatusOr<std::vector<MetricsRow>> rows =
      ParseMetrics("m.csv", Header() + FormatMetricsRow(Row(1)) + FormatMetricsRow(saved));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].epoch, 1);
  EXPECT_EQ((*rows)[0].saved, "");
  EXPECT_TRUE((*rows)[0].deleted.empty());
  EXPECT_EQ((*rows)[1].global_step, 1200);
  EXPECT_DOUBLE_EQ((*rows)[1].val_acc, 0.92);
  EXPECT_EQ((*rows)[1].saved, "mnist.ckpt-2");
  EXPECT_EQ((*rows)[1].deleted, std::vector<std::string>{"mnist.ckpt-1"});
}

TEST(MetricsLogTest, ParseErrorsNameTheFileAndLine) {
  const std::string good = Header() + FormatMetricsRow(Row(1));
  struct Case {
    std::string text;
    std::string expected;
  } cases[] = {
      {"epoch,val_acc\n", "m.csv:1: header is \"epoch,val_acc\""},
      {"", "m.csv:1: header"},
      {good + "2,1200,0.1,0.2,oops,1,1,,,\n", "m.csv:3: field 5 (val_acc) \"oops\" is not a valid number"},
      {good + "2,1200,0.1\n", "m.csv:3: 3 fields, expected 10"},
      {good + "1,600,0.1,0.2,0.3,1,1,,,\n", "m.csv:3: epoch 1 follows epoch 1"},
      {good + "0,0,0.1,0.2,0.3,1,1,,,\n", "m.csv:3: field 1 (epoch)"},
  };
  for (const Case& c : cases) {
    StatusOr<std::vector<MetricsRow>> rows = ParseMetrics("m.csv", c.text);
    ASSERT_FALSE(rows.ok()) << c.text;
    EXPECT_EQ(rows.status().code(), Status::Code::kDataLoss);
    EXPECT_NE(rows.status().message().find(c.expected), std::string::npos)
        << rows.status().message() << "\nexpected: " << c.expected;
  }
}

TEST(MetricsLogTest, UnknownValuesAreEmptyFieldsAndParseBackAsUnknown) {
  MetricsRow row = Row(2);
  row.global_step = -1;
  row.train_loss = row.epoch_seconds = row.samples_per_sec = std::nan("");
  const std::string line = FormatMetricsRow(row);
  EXPECT_EQ(line, "2,,,0.200000,0.9200,,,,,\n");
  StatusOr<std::vector<MetricsRow>> rows = ParseMetrics("m.csv", Header() + line);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)[0].global_step, -1);
  EXPECT_TRUE(std::isnan((*rows)[0].train_loss));
  EXPECT_DOUBLE_EQ((*rows)[0].val_acc, 0.92);
  EXPECT_EQ(FormatMetricsRow((*rows)[0]), line);
}

}  // namespace
}  // namespace mnist

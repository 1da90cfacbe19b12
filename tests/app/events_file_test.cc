// Tests for app/training/events_file.h: the TensorBoard events file `mnist
// --train` writes, read back both ways: with our reader (both CRCs of every
// record checked, the Events decoded with io/proto/event.proto) against
// metrics.csv and acc.txt, and with npm's @roboflow/tfrecords
// (tests/tfrecord_check.js); a resume's own file, a new run's clean start,
// and a file that cannot be written (one warning, training goes on).
// Each file: file_version, the inference graph, then one Event an epoch.
#include "app/training/events_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <regex>
#include <sstream>

#include "app/training/metrics_log.h"
#include "io/base/file.h"
#include "io/proto/event.pb.h"
#include "io/proto/graph.pb.h"
#include "tests/support/test_util.h"
#include "tests/support/tfrecord_reader.h"

namespace mnist {
namespace {

using testing::TempDir;

// 300 training images (100 of them validate) in `dir`/data; the --train
// flags for them, 2 steps an epoch, into `dir`/ckpt.
std::string SmallRun(const TempDir& dir) {
  testing::WriteSyntheticMnist(dir / "data", 300, 100, false);
  return "--train --validation-size 100 --hidden 16 --threads 1 --batch-size 100 --data-dir " +
         (dir / "data") + " --ckpt-dir " + (dir / "ckpt");
}

// The names of the events files in `dir`, sorted.
std::vector<std::string> EventsFiles(const std::string& dir) {
  std::vector<std::string> files;
  StatusOr<std::vector<std::string>> names = ListDirectory(dir);
  EXPECT_TRUE(names.ok()) << names.status().ToString();
  for (const std::string& name : *names) {
    if (name.rfind(kEventsFilePrefix, 0) == 0) files.push_back(name);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Every record of `path`, both CRCs checked, decoded as an Event.
std::vector<tensorflow::Event> ReadEvents(const std::string& path) {
  std::vector<tensorflow::Event> events;
  StatusOr<std::vector<std::string>> records = testing::ReadTFRecords(path);
  EXPECT_TRUE(records.ok()) << records.status().ToString();
  if (!records.ok()) return events;
  for (const std::string& record : *records) {
    events.emplace_back();
    EXPECT_TRUE(events.back().ParseFromString(record)) << path << ": record " << events.size();
  }
  return events;
}

// An Event's scalars by tag.
std::map<std::string, float> Scalars(const tensorflow::Event& event) {
  std::map<std::string, float> scalars;
  for (const tensorflow::Summary::Value& v : event.summary().value()) {
    EXPECT_EQ(v.value_case(), tensorflow::Summary::Value::kSimpleValue) << v.tag();
    scalars[v.tag()] = v.simple_value();
  }
  return scalars;
}

// acc.txt's val_acc by epoch.
std::map<int64_t, double> AccTxt(const std::string& path) {
  std::map<int64_t, double> accuracy;
  std::istringstream in(testing::ReadFileOrDie(path));
  for (std::string line; std::getline(in, line);) {
    accuracy[std::stoll(line)] = std::stod(line.substr(line.find("val_acc: ") + 9));
  }
  return accuracy;
}

// `value` as the float an Event holds, against the text metrics.csv printed
// with `decimals` decimals.
void ExpectSameNumber(float event_value, double csv_value, int decimals, const std::string& what) {
  const double tolerance = 0.5 * std::pow(10.0, -decimals) + 1e-6 * std::abs(csv_value);
  EXPECT_NEAR(event_value, csv_value, tolerance) << what;
}

TEST(EventsFileTest, TrainWritesFileVersionThenOneEventPerEpochWithMetricsCsvValues) {
  TempDir dir;
  std::string out;
  ASSERT_EQ(testing::RunMnist(SmallRun(dir) + " --epochs 3", &out), 0) << out;
  const std::vector<std::string> files = EventsFiles(dir / "ckpt");
  ASSERT_EQ(files.size(), 1u) << out;
  EXPECT_TRUE(std::regex_match(files[0], std::regex(R"(events\.out\.tfevents\.\d{10}\.[^/]+)"))) << files[0];

  const std::vector<tensorflow::Event> events = ReadEvents(dir / ("ckpt/" + files[0]));
  StatusOr<std::vector<MetricsRow>> rows = ReadMetrics(dir / "ckpt/metrics.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  ASSERT_EQ(events.size(), 2 + rows->size());
  EXPECT_EQ(events[0].file_version(), "brain.Event:2");
  EXPECT_EQ(events[0].step(), 0);
  // The inference graph, its variables as VariableV2, without the saver.
  tensorflow::GraphDef graph;
  ASSERT_TRUE(graph.ParseFromString(events[1].graph_def()));
  std::map<std::string, std::string> ops;
  for (const tensorflow::NodeDef& node : graph.node()) ops[node.name()] = node.op();
  EXPECT_EQ(ops["input"], "Placeholder");
  EXPECT_EQ(ops["dense/kernel"], "VariableV2");
  EXPECT_EQ(ops["dense_1/MatMul"], "MatMul");
  EXPECT_EQ(ops["logits"], "Identity");
  EXPECT_EQ(ops.lower_bound("save/"), ops.lower_bound("save0")) << "no save/ node";
  // The name's seconds are the first Event's.
  EXPECT_EQ(files[0].substr(20, 10), std::to_string(static_cast<int64_t>(events[0].wall_time())));

  const std::map<int64_t, double> acc = AccTxt(dir / "ckpt/acc.txt");
  for (size_t i = 0; i < rows->size(); ++i) {
    const MetricsRow& row = (*rows)[i];
    const tensorflow::Event& event = events[i + 2];
    SCOPED_TRACE("epoch " + std::to_string(row.epoch));
    EXPECT_EQ(event.what_case(), tensorflow::Event::kSummary);
    EXPECT_EQ(event.step(), row.global_step);  // the global step, not the epoch
    EXPECT_EQ(event.step(), row.epoch * 2);
    EXPECT_GE(event.wall_time(), events[i].wall_time());
    std::map<std::string, float> scalars = Scalars(event);
    ASSERT_EQ(scalars.size(), 7u);
    ExpectSameNumber(scalars["val_acc"], row.val_acc, 4, "val_acc");
    ExpectSameNumber(scalars["val_acc"], acc.at(row.epoch), 4, "acc.txt");
    ExpectSameNumber(scalars["val_loss"], row.val_loss, 6, "val_loss");
    ExpectSameNumber(scalars["train_loss"], row.train_loss, 6, "train_loss");
    ExpectSameNumber(scalars["samples_per_sec"], row.samples_per_sec, 1, "samples_per_sec");
    ExpectSameNumber(scalars["epoch_seconds"], row.epoch_seconds, 3, "epoch_seconds");
    EXPECT_FLOAT_EQ(scalars["lr"], 0.001f);
    EXPECT_EQ(scalars["epoch"], static_cast<float>(row.epoch));
  }
}

TEST(EventsFileTest, ResumeStartsAFileOfItsOwnWhoseStepsContinue) {
  TempDir dir;
  const std::string args = SmallRun(dir);
  std::string out;
  ASSERT_EQ(testing::RunMnist(args + " --epochs 1", &out), 0) << out;
  ASSERT_EQ(testing::RunMnist(args + " --epochs 3 --resume", &out), 0) << out;
  const std::vector<std::string> files = EventsFiles(dir / "ckpt");
  ASSERT_EQ(files.size(), 2u) << out;
  std::vector<tensorflow::Event> first = ReadEvents(dir / ("ckpt/" + files[0]));
  std::vector<tensorflow::Event> second = ReadEvents(dir / ("ckpt/" + files[1]));
  if (first.size() == 4) std::swap(first, second);  // named in the same second: ".1"
  ASSERT_EQ(first.size(), 3u);
  ASSERT_EQ(second.size(), 4u);
  EXPECT_EQ(first[2].step(), 2);
  EXPECT_EQ(second[0].file_version(), "brain.Event:2");
  EXPECT_FALSE(second[1].graph_def().empty());
  EXPECT_EQ(second[2].step(), 4);
  EXPECT_EQ(second[3].step(), 6);
  EXPECT_EQ(Scalars(second[3])["epoch"], 3.0f);
}

TEST(EventsFileTest, NewRunRemovesEarlierRunsEventsFilesOnly) {
  TempDir dir;
  const std::string args = SmallRun(dir);
  ASSERT_TRUE(CreateDirectories(dir / "ckpt").ok());
  testing::WriteFileOrDie(dir / "ckpt/events.out.tfevents.0000000001.old", "x");
  testing::WriteFileOrDie(dir / "ckpt/notes.txt", "mine");
  std::string out;
  ASSERT_EQ(testing::RunMnist(args + " --epochs 1", &out), 0) << out;
  const std::vector<std::string> files = EventsFiles(dir / "ckpt");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_NE(files[0], "events.out.tfevents.0000000001.old");
  EXPECT_EQ(testing::ReadFileOrDie(dir / "ckpt/notes.txt"), "mine");
}

TEST(EventsFileTest, ANameAlreadyTakenGetsASuffix) {
  TempDir dir;
  EventsFile first(dir.path(), /*new_run=*/false, stderr, 1000.5);
  EventsFile second(dir.path(), /*new_run=*/false, stderr, 1000.5);
  EventsFile third(dir.path(), /*new_run=*/false, stderr, 1000.5);
  EXPECT_EQ(second.path(), first.path() + ".1");
  EXPECT_EQ(third.path(), first.path() + ".2");
  EXPECT_EQ(ReadEvents(first.path()).size(), 1u);
  EXPECT_EQ(ReadEvents(third.path()).size(), 1u);
}

// What `write` printed to a temporary FILE*.
std::string Captured(FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  for (int c; (c = std::fgetc(file)) != EOF;) text.push_back(static_cast<char>(c));
  return text;
}

TEST(EventsFileTest, AFileThatCannotBeWrittenWarnsOnceNamingIt) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "file", "x");
  FILE* warnings = std::tmpfile();
  ASSERT_NE(warnings, nullptr);
  EventsFile events(dir / "file", /*new_run=*/false, warnings, 1000.0);
  EXPECT_FALSE(events.ok());
  MetricsRow row;
  row.epoch = 1;
  events.AddGraph("graph");
  events.AddEpoch(row);
  events.AddEpoch(row);
  const std::string text = Captured(warnings);
  std::fclose(warnings);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  EXPECT_NE(text.find(events.path() + ": "), std::string::npos) << text;
  EXPECT_NE(text.find("; training goes on without TensorBoard's events file " + events.path() + "\n"),
            std::string::npos) << text;
}

TEST(EventsFileTest, TrainingGoesOnWhenTheEventsFileCannotBeWritten) {
  TempDir dir;
  const std::string args = SmallRun(dir);
  // An earlier "events file" that is a folder with a file in it: the new
  // run cannot remove it, so it writes no events file of its own.
  ASSERT_TRUE(CreateDirectories(dir / "ckpt/events.out.tfevents.0000000001.old").ok());
  testing::WriteFileOrDie(dir / "ckpt/events.out.tfevents.0000000001.old/x", "x");
  std::string out;
  ASSERT_EQ(testing::RunMnist(args + " --epochs 2", &out), 0) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex("mnist: .*events.out.tfevents.0000000001.old.*; training "
                                                   "goes on without TensorBoard's events file .*\n")))
      << out;
  EXPECT_EQ(out.find("goes on without", m.position(0) + m.length(0)), std::string::npos) << out;
  EXPECT_NE(out.find("epoch:2, val_loss:"), std::string::npos) << out;
  EXPECT_TRUE(FileExists(dir / "ckpt/mnist.ckpt-1.index"));
  EXPECT_EQ(EventsFiles(dir / "ckpt").size(), 1u);  // only the folder
}

TEST(EventsFileTest, NpmTfrecordsReadsEveryRecordWithGoodCrcs) {
  const std::string modules = MNIST_NODE_MODULES;
  const std::string missing = testing::WhyNodePackageIsMissing(modules, "@roboflow/tfrecords");
  if (!missing.empty()) GTEST_SKIP() << missing;
  TempDir dir;
  std::string out;
  ASSERT_EQ(testing::RunMnist(SmallRun(dir) + " --epochs 2", &out), 0) << out;
  const std::vector<std::string> files = EventsFiles(dir / "ckpt");
  ASSERT_EQ(files.size(), 1u);
  const std::string path = dir / ("ckpt/" + files[0]);
  const std::string check = "NODE_PATH=" + modules + " node " MNIST_SOURCE_DIR "/tests/tfrecord_check.js ";
  ASSERT_EQ(testing::RunShell(check + path, &out), 0) << out;
  std::printf("%s", out.c_str());
  EXPECT_NE(out.find("records: 4\ncrc: ok\n"), std::string::npos) << out;
  EXPECT_NE(out.find(" file_version=brain.Event:2\n"), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(" graph_def=[1-9][0-9]*_bytes\n"))) << out;
  EXPECT_NE(out.find(" step=2 val_acc="), std::string::npos) << out;
  EXPECT_NE(out.find(" step=4 val_acc="), std::string::npos) << out;

  // The same file with one data byte changed: its CRC check catches it.
  std::string bytes = testing::ReadFileOrDie(path);
  bytes[bytes.size() - 10] ^= 1;
  testing::WriteFileOrDie(dir / "changed", bytes);
  EXPECT_EQ(testing::RunShell(check + (dir / "changed"), &out), 1) << out;
  EXPECT_NE(out.find("records: 3\ncrc: Wrong Data CRC\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace mnist

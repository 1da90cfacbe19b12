// Tests for app/pictures/plot_svg.h and app/modes/plot.h: the SVG is well-formed XML
// (parsed with expat), self-contained, holds one point per epoch in each
// series, marks saved and kept checkpoints and the best epoch; --plot reads
// metrics.csv and the state file and names what is wrong.
#include "app/pictures/plot_svg.h"

#include <expat.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>

#include "app/modes/plot.h"
#include "checkpoints/state/checkpoint_state.h"
#include "io/base/file.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;  // its own character data
};

// The elements of an XML document in order, and all its character data;
// `error` is expat's message and line when it is not well-formed.
struct ParsedXml {
  std::vector<Element> elements;
  std::string text;
  std::string error;

  int Count(const std::string& name, const std::string& attribute = "",
            const std::string& value = "") const {
    int n = 0;
    for (const Element& e : elements) {
      if (e.name != name) continue;
      auto it = e.attributes.find(attribute);
      n += attribute.empty() || (it != e.attributes.end() && it->second == value);
    }
    return n;
  }
};

ParsedXml ParseXml(const std::string& xml) {
  ParsedXml parsed;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &parsed);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char** attributes) {
        Element e{name, {}, {}};
        for (int i = 0; attributes[i] != nullptr; i += 2) e.attributes[attributes[i]] = attributes[i + 1];
        static_cast<ParsedXml*>(data)->elements.push_back(e);
      },
      [](void*, const XML_Char*) {});
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* s, int len) {
    ParsedXml* doc = static_cast<ParsedXml*>(data);
    doc->text.append(s, static_cast<size_t>(len));
    if (!doc->elements.empty()) doc->elements.back().text.append(s, static_cast<size_t>(len));
  });
  if (XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), /*isFinal=*/1) == XML_STATUS_ERROR) {
    parsed.error = std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " at line " +
                   std::to_string(XML_GetCurrentLineNumber(parser));
  }
  XML_ParserFree(parser);
  return parsed;
}

std::vector<MetricsRow> Rows(int epochs) {
  std::vector<MetricsRow> rows;
  for (int e = 1; e <= epochs; ++e) {
    MetricsRow row;
    row.epoch = e;
    row.global_step = e * 600;
    row.train_loss = 0.6 / e;
    row.val_loss = 0.5 / e + 0.05;
    row.val_acc = e == 4 ? 0.86 : 0.80 + 0.02 * e;  // epoch 4 dips
    if (e != 4) row.saved = "mnist.ckpt-" + std::to_string(e);
    rows.push_back(row);
  }
  return rows;
}

TEST(PlotSvgTest, IsWellFormedSelfContainedXml) {
  const ParsedXml svg = ParseXml(RenderTrainingSvg(Rows(5), {3, 5}, "dir <&> \"x\"/metrics.csv"));
  ASSERT_EQ(svg.error, "");
  ASSERT_FALSE(svg.elements.empty());
  EXPECT_EQ(svg.elements[0].name, "svg");
  EXPECT_EQ(svg.elements[0].attributes.at("font-family"), "sans-serif");
  EXPECT_EQ(svg.Count("script"), 0);
  EXPECT_EQ(svg.Count("image"), 0);
  EXPECT_EQ(svg.Count("style"), 0);
  for (const Element& e : svg.elements) {
    for (const auto& [name, value] : e.attributes) {
      EXPECT_EQ(name.find("href"), std::string::npos) << e.name;
      EXPECT_EQ(value.find("url("), std::string::npos) << e.name;
    }
  }
  EXPECT_NE(svg.text.find("dir <&> \"x\"/metrics.csv"), std::string::npos);
}

TEST(PlotSvgTest, HoldsOnePointPerEpochInEachSeries) {
  const ParsedXml svg = ParseXml(RenderTrainingSvg(Rows(7), {}, "m.csv"));
  ASSERT_EQ(svg.error, "");
  for (const char* series : {"val_acc", "val_loss", "train_loss"}) {
    EXPECT_EQ(svg.Count("circle", "data-series", series), 7) << series;
    ASSERT_EQ(svg.Count("polyline", "data-series", series), 1) << series;
  }
  for (const Element& e : svg.elements) {
    if (e.name != "polyline") continue;
    const std::string& points = e.attributes.at("points");
    EXPECT_EQ(std::count(points.begin(), points.end(), ','), 7) << points;
  }
}

TEST(PlotSvgTest, MarksSavedAndKeptCheckpointsAndTheBestEpoch) {
  // Saved: every epoch but 4; kept: 3 and 5 (2 is listed but was not saved in these rows).
  const ParsedXml svg = ParseXml(RenderTrainingSvg(Rows(5), {2, 3, 5, 9}, "m.csv"));
  ASSERT_EQ(svg.error, "");
  EXPECT_EQ(svg.Count("circle", "class", "saved"), 4);
  EXPECT_EQ(svg.Count("circle", "class", "kept"), 3);
  EXPECT_EQ(svg.Count("circle", "data-epoch", "4"), 3);  // its three points, no ring
  EXPECT_EQ(svg.Count("line", "class", "best"), 2);      // one in each panel
  EXPECT_NE(svg.text.find("best 0.9000 at epoch 5"), std::string::npos) << svg.text;
  EXPECT_NE(svg.text.find("epoch"), std::string::npos);
  EXPECT_NE(svg.text.find("val_acc"), std::string::npos);
}

// Runs of 1 to 1,000 epochs with a realistic curve (accuracy rising towards
// a perfect 1.0): well-formed XML (a fixed buffer once cut the polylines after
// about 72 epochs), every point in its series, every ring inside the plot
// area, and no accuracy tick above 1.
TEST(PlotSvgTest, LongRunsStayWellFormedWithRingsInsideAndAccuracyAtMostOne) {
  for (int epochs : {1, 2, 100, 1000}) {
    std::vector<MetricsRow> rows;
    for (int e = 1; e <= epochs; ++e) {
      MetricsRow row;
      row.epoch = e;
      row.global_step = e * 10;
      row.train_loss = 1.0 / e;
      row.val_loss = 1.0 / e + 0.01;
      row.val_acc = std::min(1.0, 0.9 + 0.01 * e);
      if (e <= 11) row.saved = "mnist.ckpt-" + std::to_string(e);
      rows.push_back(row);
    }
    const ParsedXml svg = ParseXml(RenderTrainingSvg(rows, {9, 10, 11}, "m.csv"));
    ASSERT_EQ(svg.error, "") << epochs << " epochs";
    const Element* frame = nullptr;  // the accuracy panel's plot area
    for (const Element& e : svg.elements) {
      if (e.name == "rect" && e.attributes.count("stroke") != 0) {
        frame = &e;
        break;
      }
    }
    ASSERT_NE(frame, nullptr);
    const double left = std::stod(frame->attributes.at("x"));
    const double right = left + std::stod(frame->attributes.at("width"));
    const double top = std::stod(frame->attributes.at("y"));
    const double bottom = top + std::stod(frame->attributes.at("height"));
    for (const char* series : {"val_acc", "val_loss", "train_loss"}) {
      EXPECT_EQ(svg.Count("circle", "data-series", series), epochs) << series;
    }
    for (const Element& e : svg.elements) {
      if (e.name == "polyline") {
        const std::string& points = e.attributes.at("points");
        EXPECT_EQ(std::count(points.begin(), points.end(), ','), epochs) << epochs << " epochs";
      }
      if (e.name == "circle" && e.attributes.count("class") != 0 &&
          (e.attributes.at("class") == "saved" || e.attributes.at("class") == "kept")) {
        const double x = std::stod(e.attributes.at("cx"));
        const double r = std::stod(e.attributes.at("r"));
        EXPECT_GE(x - r, left) << epochs << " epochs, ring at epoch " << e.attributes.at("data-epoch");
        EXPECT_LE(x + r, right) << epochs << " epochs";
      }
      // The accuracy panel's tick labels: right-aligned text left of the frame.
      if (e.name == "text" && e.attributes.count("text-anchor") != 0 &&
          e.attributes.at("text-anchor") == "end" && std::stod(e.attributes.at("x")) < left &&
          std::stod(e.attributes.at("y")) < bottom + 5 &&
          std::stod(e.attributes.at("y")) > top - 5) {
        EXPECT_LE(std::stod(e.text), 1.0) << epochs << " epochs: tick " << e.text;
      }
    }
  }
}

TEST(PlotSvgTest, OneEpochAndNonFiniteLossesStillDraw) {
  std::vector<MetricsRow> rows = Rows(3);
  rows[1].train_loss = std::numeric_limits<double>::quiet_NaN();
  const ParsedXml svg = ParseXml(RenderTrainingSvg(rows, {}, "m.csv"));
  ASSERT_EQ(svg.error, "");
  EXPECT_EQ(svg.Count("circle", "data-series", "train_loss"), 2);
  EXPECT_EQ(svg.Count("circle", "data-series", "val_loss"), 3);
  const ParsedXml one = ParseXml(RenderTrainingSvg(Rows(1), {1}, "m.csv"));
  ASSERT_EQ(one.error, "");
  EXPECT_EQ(one.Count("circle", "data-series", "val_acc"), 1);
}

TEST(PlotTest, WritesTheSvgFromMetricsAndTheStateFile) {
  TempDir dir;
  std::string csv = std::string(kMetricsHeader) + "\n";
  for (const MetricsRow& row : Rows(5)) csv += FormatMetricsRow(row);
  testing::WriteFileOrDie(dir / "metrics.csv", csv);
  ASSERT_TRUE(WriteCheckpointState(dir.path(), "checkpoint", {{"mnist.ckpt-3", "mnist.ckpt-5"}}).ok());
  testing::WriteFileOrDie(dir / "out.svg", "old");
  ASSERT_TRUE(RunPlot(PlotOptions{dir.path(), dir / "out.svg"}, stdout).ok());
  const ParsedXml svg = ParseXml(testing::ReadFileOrDie(dir / "out.svg"));
  ASSERT_EQ(svg.error, "");
  EXPECT_EQ(svg.Count("circle", "class", "kept"), 2);
  ASSERT_TRUE(RunPlot(PlotOptions{dir.path(), ""}, stdout).ok());
  EXPECT_TRUE(FileExists(dir / "training.svg"));
}

// The whole path a user takes: metrics.csv as training writes it (noisy
// values through its number format) -> RunPlot -> the file, for runs of 1,
// 2, 100 and 1,000 epochs (issue 15: past about 72 epochs a fixed buffer cut
// the polylines and the file was no XML).
TEST(PlotTest, MetricsOfOneToAThousandEpochsPlotToWellFormedXml) {
  for (int epochs : {1, 2, 100, 1000}) {
    TempDir dir;
    std::string csv = std::string(kMetricsHeader) + "\n";
    for (int e = 1; e <= epochs; ++e) {
      MetricsRow row;
      row.epoch = e;
      row.global_step = e * 597;
      row.train_loss = 2.0 / e + 0.0123456789 * (e % 7);
      row.val_loss = 2.1 / e + 0.0098765432 * (e % 5);
      row.val_acc = 1.0 - 0.5 / e - 0.001 * (e % 3);
      row.epoch_seconds = 1.234567;
      row.samples_per_sec = 12345.678;
      row.lr = 0.001;
      if (e % 10 == 1) row.saved = "mnist.ckpt-" + std::to_string(e);
      csv += FormatMetricsRow(row);
    }
    testing::WriteFileOrDie(dir / "metrics.csv", csv);
    ASSERT_TRUE(RunPlot(PlotOptions{dir.path(), ""}, stdout).ok()) << epochs;
    const ParsedXml svg = ParseXml(testing::ReadFileOrDie(dir / "training.svg"));
    ASSERT_EQ(svg.error, "") << epochs << " epochs";
    EXPECT_EQ(svg.Count("circle", "data-series", "val_acc"), epochs);
    EXPECT_EQ(svg.Count("circle", "class", "saved"), (epochs + 9) / 10) << epochs << " epochs";
  }
}

TEST(PlotTest, MissingEmptyOrGarbledMetricsAreErrorsNamingTheFile) {
  TempDir dir;
  Status missing = RunPlot(PlotOptions{dir.path(), ""}, stdout);
  EXPECT_EQ(missing.code(), Status::Code::kNotFound);
  EXPECT_NE(missing.message().find(dir / "metrics.csv"), std::string::npos) << missing.message();

  testing::WriteFileOrDie(dir / "metrics.csv", std::string(kMetricsHeader) + "\n");
  Status empty = RunPlot(PlotOptions{dir.path(), ""}, stdout);
  EXPECT_NE(empty.message().find(dir / "metrics.csv: no epochs"), std::string::npos) << empty.message();

  testing::WriteFileOrDie(dir / "metrics.csv", std::string(kMetricsHeader) + "\n1,2,x\n");
  Status garbled = RunPlot(PlotOptions{dir.path(), ""}, stdout);
  EXPECT_NE(garbled.message().find(dir / "metrics.csv:2:"), std::string::npos) << garbled.message();
  EXPECT_FALSE(FileExists(dir / "training.svg"));
}

}  // namespace
}  // namespace mnist

// The commands README.md and docs/*.md show: each Markdown block marked to
// run is extracted, run, and its exit code and the output lines the docs
// quote are checked, so the docs cannot drift from the program.
//
// How a block is marked (see docs/architecture.md, "Docs that test
// themselves"):
//
//   <!-- test -->            or  <!-- test: exit 2 -->
//   ```sh
//   mnist --train --epochs 2 --hidden 64,32
//   ```
//   ```text                  (optional: lines the output must contain)
//   epoch:1, val_loss:0.3127, val_acc:0.9134
//   ```
//
// Every line of the sh block is a command a user would type (`#` lines are
// comments); they run one by one with /bin/sh in one scratch directory per
// Markdown file, blocks in the order the file shows them, `mnist` being the
// built binary (found first on PATH). The directory holds a small data set
// in ./data/mnist (the 1,000 real test digits of tests/testdata, training
// images repeated to 6,000 so the default --validation-size 5000 leaves
// training images), so the commands need no --data-dir. Each command must
// exit 0, the block's last one the code the marker names. Each line of the
// text block must match a whole line of the block's output (stdout and
// stderr; a different one for each quoted line, in any order, as stdout
// and stderr interleave differently on a pipe than on a terminal), where
//   - a number matches any number (accuracies, times, counts and steps
//     differ with the data set and machine),
//   - a run of spaces matches any run of spaces (table columns widen with
//     the numbers in them), and
//   - `...` matches any text (a path, an elided part; a line of just `...`
//     stands for lines left out).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "data/dataset/dataset.h"
#include "io/idx/idx_reader.h"
#include "tests/support/idx_writer.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

// Past this a command is killed and the test fails (it would otherwise hang).
constexpr int kCommandTimeoutSeconds = 120;

struct Block {
  int line = 0;  // of the marker, 1-based
  int expected_exit = 0;
  std::vector<std::string> commands;
  std::vector<std::string> expected_lines;
};

// The marked blocks of `markdown`; a malformed marker is a test failure
// naming `file` and the line.
std::vector<Block> ExtractBlocks(const std::string& file, const std::string& markdown) {
  std::vector<std::string> lines;
  std::istringstream in(markdown);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::regex marker(R"(<!-- test(: exit (\d+))? -->\s*)");
  std::vector<Block> blocks;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, marker)) continue;
    Block block;
    block.line = static_cast<int>(i) + 1;
    if (m[2].matched) block.expected_exit = std::stoi(m[2]);
    size_t j = i + 1;
    if (j >= lines.size() || lines[j] != "```sh") {
      ADD_FAILURE() << file << ":" << block.line << ": a test marker must be followed by a ```sh block";
      continue;
    }
    for (++j; j < lines.size() && lines[j] != "```"; ++j) {
      if (lines[j].empty() || lines[j][0] == '#') continue;
      block.commands.push_back(lines[j]);
    }
    size_t k = j + 1;
    while (k < lines.size() && lines[k].empty()) ++k;
    if (k < lines.size() && lines[k] == "```text") {
      for (++k; k < lines.size() && lines[k] != "```"; ++k) {
        if (!lines[k].empty()) block.expected_lines.push_back(lines[k]);
      }
    }
    if (block.commands.empty()) {
      ADD_FAILURE() << file << ":" << block.line << ": a test marker before an empty ```sh block";
      continue;
    }
    blocks.push_back(block);
    i = j;
  }
  return blocks;
}

// A quoted line as a regex: numbers match any number, runs of spaces any
// run of spaces, `...` any text.
std::regex LinePattern(const std::string& quoted) {
  const std::regex number(R"(-?\d+(\.\d+)?([eE][-+]?\d+)?)");
  std::string pattern;
  size_t i = 0;
  while (i < quoted.size()) {
    std::smatch m;
    const std::string rest = quoted.substr(i);
    if (rest.compare(0, 3, "...") == 0) {
      pattern += ".*";
      i += 3;
    } else if (quoted[i] == ' ') {
      pattern += " +";
      while (i < quoted.size() && quoted[i] == ' ') ++i;
    } else if (std::regex_search(rest, m, number, std::regex_constants::match_continuous)) {
      pattern += R"(-?\d+(\.\d+)?([eE][-+]?\d+)?)";
      i += static_cast<size_t>(m.length(0));
    } else {
      const char c = quoted[i++];
      if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) pattern += '\\';
      pattern += c;
    }
  }
  return std::regex(pattern);
}

// Runs `command` with /bin/sh in `dir`, `bin` first on PATH, under a
// deadline; returns its exit code and appends its stdout and stderr to `output`.
int RunCommand(const std::string& dir, const std::string& bin, const std::string& command,
               std::string* output) {
  const std::string script = dir + "/.docs_command.sh";
  std::ofstream(script) << command << "\n";
  const std::string line = "cd '" + dir + "' && PATH='" + bin + "':\"$PATH\" timeout -s KILL " +
                           std::to_string(kCommandTimeoutSeconds) + " sh '" + script + "' 2>&1";
  FILE* pipe = popen(line.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) output->append(buf, n);
  const int status = pclose(pipe);
  std::filesystem::remove(script);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// ./data/mnist in `dir`: the 1,000 test digits of tests/testdata as the test
// set and, repeated six times, as the training set.
void WriteDocsDataSet(const std::string& dir) {
  const std::string data = dir + "/data/mnist";
  std::filesystem::create_directories(data);
  auto images = ReadIdxImages(testing::TestdataPath("mnist/t10k-images-first1000-idx3-ubyte.gz"));
  auto labels = ReadIdxLabels(testing::TestdataPath("mnist/t10k-labels-first1000-idx1-ubyte.gz"));
  ASSERT_TRUE(images.ok()) << images.status().ToString();
  ASSERT_TRUE(labels.ok()) << labels.status().ToString();
  std::string train_pixels, train_labels;
  for (int r = 0; r < 6; ++r) {
    train_pixels += images->pixels;
    train_labels += labels->labels;
  }
  auto write = [&](const char* stem, const std::string& bytes) {
    ASSERT_TRUE(WriteIdxFile(data + "/" + stem + ".gz", bytes, /*gzip=*/true).ok()) << stem;
  };
  write(kTrainImagesStem, EncodeIdxImages(images->count * 6, 28, 28, train_pixels));
  write(kTrainLabelsStem, EncodeIdxLabels(train_labels));
  write(kTestImagesStem, EncodeIdxImages(images->count, 28, 28, images->pixels));
  write(kTestLabelsStem, EncodeIdxLabels(labels->labels));
}

// Runs every marked block of `relative` (a path in the source tree).
void RunDocBlocks(const std::string& relative, size_t min_blocks) {
  const std::string file = std::string(MNIST_SOURCE_DIR) + "/" + relative;
  const std::vector<Block> blocks = ExtractBlocks(relative, testing::ReadFileOrDie(file));
  ASSERT_GE(blocks.size(), min_blocks) << relative << ": fewer runnable blocks than expected";
  TempDir dir;
  WriteDocsDataSet(dir.path());
  const std::string bin = dir / ".bin";
  std::filesystem::create_directories(bin);
  std::filesystem::create_symlink(MNIST_BINARY, bin + "/mnist");
  for (const Block& block : blocks) {
    std::string output;
    for (size_t c = 0; c < block.commands.size(); ++c) {
      const std::string& command = block.commands[c];
      const int expected = c + 1 == block.commands.size() ? block.expected_exit : 0;
      std::string out;
      const int rc = RunCommand(dir.path(), bin, command, &out);
      output += out;
      ASSERT_EQ(rc, expected) << relative << ":" << block.line << ": `" << command << "` exited "
                              << rc << (rc == 137 ? " (killed at the deadline)" : "")
                              << ", the docs say " << expected << "; its output:\n" << out;
    }
    std::vector<std::string> lines;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::vector<bool> used(lines.size(), false);
    for (const std::string& quoted : block.expected_lines) {
      const std::regex pattern = LinePattern(quoted);
      size_t found = 0;
      while (found < lines.size() && (used[found] || !std::regex_match(lines[found], pattern))) {
        ++found;
      }
      ASSERT_LT(found, lines.size())
          << relative << ":" << block.line << ": the docs quote the line\n  " << quoted
          << "\nwhich is not in the output of `" << block.commands.back() << "` and the commands"
          << " before it in the block (nor is a line left that the quoted ones did not match):\n"
          << output;
      used[found] = true;
    }
  }
}

TEST(DocsCommandsTest, ReadmeTourRunsAsShown) { RunDocBlocks("README.md", 5); }
TEST(DocsCommandsTest, CliReferenceRunsAsShown) { RunDocBlocks("docs/cli.md", 1); }
TEST(DocsCommandsTest, CheckpointsReferenceRunsAsShown) { RunDocBlocks("docs/checkpoints.md", 1); }
TEST(DocsCommandsTest, ReliabilityReferenceRunsAsShown) { RunDocBlocks("docs/reliability.md", 1); }
TEST(DocsCommandsTest, InteropReferenceRunsAsShown) { RunDocBlocks("docs/interop.md", 1); }
TEST(DocsCommandsTest, PerformanceReferenceRunsAsShown) { RunDocBlocks("docs/performance.md", 1); }

// The matcher itself: numbers and `...` are the only loose parts.
TEST(DocsCommandsTest, QuotedLineMatchesOnlyWithNumbersAndEllipsisLoose) {
  const std::regex p = LinePattern("epoch:1, val_loss:0.3127, val_acc:0.9134");
  EXPECT_TRUE(std::regex_match("epoch:12, val_loss:1.5, val_acc:0.8000", p));
  EXPECT_FALSE(std::regex_match("epoch:1, val_loss:0.3127, val_acc:0.9134 extra", p));
  EXPECT_FALSE(std::regex_match("epoch:1, loss:0.3127, val_acc:0.9134", p));
  const std::regex row = LinePattern("    0    0.6950               695     6");
  EXPECT_TRUE(std::regex_match("    0    0.7000                70     6", row));
  const std::regex q = LinePattern("data: ...: test set, 10000 images of 28x28");
  EXPECT_TRUE(std::regex_match("data: /tmp/x (y): test set, 1000 images of 28x28", q));
  EXPECT_FALSE(std::regex_match("data: /tmp/x: training set, 1000 images of 28x28", q));
}

TEST(DocsCommandsTest, ExtractsMarkedBlockWithItsExitCodeAndQuotedLines) {
  const std::string md = "text\n<!-- test: exit 2 -->\n```sh\nmnist --bogus\n```\n```text\nusage...\n```\n";
  const std::vector<Block> blocks = ExtractBlocks("x.md", md);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].line, 2);
  EXPECT_EQ(blocks[0].expected_exit, 2);
  EXPECT_EQ(blocks[0].commands, std::vector<std::string>{"mnist --bogus"});
  EXPECT_EQ(blocks[0].expected_lines, std::vector<std::string>{"usage..."});
}

}  // namespace
}  // namespace mnist

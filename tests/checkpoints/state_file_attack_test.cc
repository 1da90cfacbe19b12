// The state-file attack test (issue 11): `checkpoint` and `last_checkpoint`
// files written by a hostile or unlucky hand (a NUL or control byte in a
// name, a name listed twice, names of other kinds, paths leading out, names
// too long to exist) put into a real training directory with bystander files
// around it. Every operation that reads or prunes by them (a CheckpointManager
// opened and saving past max_to_keep; `mnist --train --resume`; `mnist
// --eval`) must leave every file that is not ours as it was, and either end
// in a clear error naming the state file or, for what is harmless (a
// duplicate, a TensorFlow-style path to our own checkpoint), go on with a
// state file that lists only checkpoints whose files exist.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "checkpoints/manager/checkpoint_manager.h"
#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "io/bundle/bundle_format.h"
#include "io/base/file.h"
#include "tests/support/model_fixture.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

namespace fs = std::filesystem;
using testing::ReadFileOrDie;
using testing::RunMnist;
using testing::TempDir;
using testing::WriteFileOrDie;

// One attack: the state file it writes and what must come of it.
struct Attack {
  std::string what;
  std::string state_file;  // kBestStateFilename or kResumeStateFilename
  std::string text;        // its contents: protobuf text, \000 escapes a NUL
  bool refused;            // else accepted (duplicates, our own checkpoint)
  bool eval_refused;       // --eval (which reads TensorFlow's names too)
  bool leads_out = false;  // names a path outside the directory: refused by every
                           // mode (exit 1), never rebuilt (that is --overwrite's to do)
};

// `path` as a state-file entry line.
std::string Entry(const std::string& field, const std::string& path) {
  return field + ": \"" + path + "\"\n";
}

// Every regular file under `root`, by path, with its contents.
std::map<std::string, std::string> Snapshot(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) files[e.path().string()] = ReadFileOrDie(e.path().string());
  }
  return files;
}

class StateFileAttackTest : public ::testing::Test {
 protected:
  // One real run, trained once for all the attacks: best checkpoints
  // mnist.ckpt-N (at least two), the resume one last.ckpt-S, metrics.csv,
  // acc.txt, training.svg.
  static void SetUpTestSuite() {
    base_ = new TempDir;
    testing::WriteSyntheticMnist(*base_ / "data", 600, 200, false);
    std::string out;
    trained_ = RunMnist("--train --threads 2 --hidden 32,16 --epochs 4 --max-to-keep 0 --validation-size 0 "
                        "--data-dir " + (*base_ / "data") + " --ckpt-dir " + (*base_ / "ckpt"),
                        &out) == 0;
    training_output_ = out;
  }
  static void TearDownTestSuite() {
    delete base_;
    base_ = nullptr;
  }

  // A fresh copy of the run in <root_>/ckpt with the attack's state file and
  // bystanders in it, beside it (x.*, the target of ../x) and elsewhere.
  void Prepare(const Attack& attack) {
    fs::remove_all(root_.path());
    fs::create_directories(root_.path());
    fs::copy(*base_ / "ckpt", ckpt(), fs::copy_options::recursive);
    WriteFileOrDie(ckpt() + "/notes.txt", "my notes\n");
    fs::create_directories(ckpt() + "/sub");
    fs::create_directories(root_ / "elsewhere");
    for (const char* suffix : {".index", ".data-00000-of-00001", ".meta"}) {
      WriteFileOrDie(root_ / (std::string("x") + suffix), "not ours\n");
      WriteFileOrDie(ckpt() + "/sub/" + oldest_ + suffix, "not ours either\n");
      WriteFileOrDie(ckpt() + "/" + zero_padded_ + suffix, "a name we never write\n");
      WriteFileOrDie(root_ / ("elsewhere/" + oldest_ + suffix), "another directory's\n");
    }
    WriteFileOrDie(ckpt() + "/" + attack.state_file, attack.text);
    before_ = Snapshot(root_.path());
  }

  // Every file that is not ours is still there, as it was; a refused state
  // file is untouched; a state file lists only checkpoints that exist.
  void ExpectNothingOfOthersLost(const Attack& attack, const std::string& op, bool state_untouched) {
    const std::map<std::string, std::string> after = Snapshot(root_.path());
    for (const auto& [path, contents] : before_) {
      const fs::path p(path);
      const bool in_ckpt = p.parent_path() == fs::path(ckpt());
      const std::string name = p.filename().string();
      if (in_ckpt && (IsCheckpointFile(name, kBestBasename) || IsCheckpointFile(name, kResumeBasename) ||
                      name == kBestStateFilename || name == kResumeStateFilename)) {
        continue;  // ours: retention may delete and saves replace them
      }
      auto it = after.find(path);
      ASSERT_NE(it, after.end()) << attack.what << ", " << op << ": deleted " << path;
      if (in_ckpt && (name == kMetricsFilename || name == kAccuracyFilename || name == kPlotFilename)) {
        continue;  // a run that goes on rewrites these
      }
      EXPECT_EQ(it->second, contents) << attack.what << ", " << op << ": changed " << path;
    }
    const std::string state_path = ckpt() + "/" + attack.state_file;
    if (attack.refused && state_untouched) {
      EXPECT_EQ(ReadFileOrDie(state_path), attack.text) << attack.what << ", " << op;
    }
    ExpectListedCheckpointsExist(attack, op);
  }

  // No state file lists a checkpoint whose files were deleted.
  void ExpectListedCheckpointsExist(const Attack& attack, const std::string& op) {
    for (const char* state_file : {kBestStateFilename, kResumeStateFilename}) {
      if (attack.refused && attack.state_file == state_file) continue;
      StatusOr<CheckpointState> state = ReadCheckpointState(ckpt(), state_file);
      if (!state.ok()) continue;
      for (const std::string& listed : state->paths) {
        EXPECT_TRUE(FileExists(IndexFilename(ckpt() + "/" + listed)))
            << attack.what << ", " << op << ": " << state_file << " lists " << listed
            << " whose files are gone";
      }
    }
  }

  std::string ckpt() const { return root_ / "ckpt"; }
  std::string Flags() const {
    return " --threads 2 --data-dir " + (*base_ / "data") + " --ckpt-dir " + ckpt();
  }

  std::vector<Attack> Attacks() {
    StatusOr<CheckpointState> best = ReadCheckpointState(*base_ / "ckpt", kBestStateFilename);
    StatusOr<CheckpointState> last = ReadCheckpointState(*base_ / "ckpt", kResumeStateFilename);
    EXPECT_TRUE(best.ok() && last.ok());
    EXPECT_GE(best->paths.size(), 2u) << "needs two best checkpoints";
    oldest_ = best->paths.front();
    std::string basename;
    int64_t step = 0;
    EXPECT_TRUE(ParseCheckpointName(oldest_, &basename, &step));
    zero_padded_ = basename + "-0" + std::to_string(step);
    const std::string latest = best->latest();
    const std::string resume = last->latest();
    const std::string long_name(5000, 'a');
    const std::string B = "all_model_checkpoint_paths";
    const std::string M = "model_checkpoint_path";
    // A `checkpoint` whose older entries are `olders`, its newest the real one.
    auto best_with = [&](const std::vector<std::string>& olders) {
      std::string text = Entry(M, latest);
      for (const std::string& o : olders) text += Entry(B, o);
      return text + Entry(B, latest);
    };
    auto last_with = [&](const std::vector<std::string>& olders) {
      std::string text = Entry(M, resume);
      for (const std::string& o : olders) text += Entry(B, o);
      return text + Entry(B, resume);
    };
    const std::string cp = kBestStateFilename, lc = kResumeStateFilename;
    return {
        {"NUL inside names", cp, best_with({"notes.txt\\000", "metrics.csv\\000" + oldest_}), true, true},
        {"NUL in the newest name", cp, Entry(M, "notes.txt\\000") + Entry(B, "notes.txt\\000"), true, true},
        {"control bytes", cp, best_with({"notes.txt\\n", "acc.txt\\033[2J", "\\r" + oldest_}), true, true},
        {"a name listed twice", cp, best_with({oldest_, oldest_}), false, false},
        {"the same name spelt two ways", cp, best_with({"./" + oldest_, ckpt() + "/" + oldest_}), false, false},
        {"the newest listed twice", cp, best_with({latest, oldest_, latest}), false, false},
        {"metrics.csv", cp, best_with({"metrics.csv"}), true, false},
        {"acc.txt and notes.txt", cp, best_with({"acc.txt", "notes.txt"}), true, false},
        {"../x", cp, best_with({"../x"}), true, true, /*leads_out=*/true},
        {"a checkpoint in a subdirectory", cp, best_with({"sub/" + oldest_}), true, false},
        {"a step with a leading zero", cp, best_with({zero_padded_}), true, false},
        {"last.ckpt-N in checkpoint", cp, best_with({resume}), true, false},
        {"an absolute path elsewhere", cp, best_with({root_ / ("elsewhere/" + oldest_)}), true, true,
         /*leads_out=*/true},
        {"an absolute path to notes.txt", cp, best_with({ckpt() + "/notes.txt"}), true, false},
        {"a 5000-byte name", cp, best_with({long_name}), true, true},
        {"a 5000-byte newest name", cp, Entry(M, long_name), true, true},
        {"NUL in last_checkpoint", lc, last_with({"notes.txt\\000"}), true, false},
        {"mnist.ckpt-N in last_checkpoint", lc, last_with({oldest_}), true, false},
        {"metrics.csv in last_checkpoint", lc, last_with({"metrics.csv"}), true, false},
        {"../x in last_checkpoint", lc, last_with({"../x"}), true, false, /*leads_out=*/true},
        {"a 5000-byte name in last_checkpoint", lc, last_with({long_name}), true, false},
        {"last.ckpt-S listed twice", lc, last_with({resume, resume}), false, false},
    };
  }

  static TempDir* base_;
  static bool trained_;  // whether the run every attack starts from trained (else the test fails)
  static std::string training_output_;
  TempDir root_;
  std::string oldest_;       // the oldest best checkpoint of the run
  std::string zero_padded_;  // its name with the step spelt 0N
  std::map<std::string, std::string> before_;
};

TempDir* StateFileAttackTest::base_ = nullptr;
bool StateFileAttackTest::trained_ = false;
std::string StateFileAttackTest::training_output_;

TEST_F(StateFileAttackTest, NoAttackDeletesAFileThatIsNotOurs) {
  ASSERT_TRUE(trained_) << training_output_;
  const std::vector<Attack> attacks = Attacks();
  int operations = 0;
  for (const Attack& attack : attacks) {
    SCOPED_TRACE(attack.what);
    const std::string state_path = JoinPath(ckpt(), attack.state_file);
    const std::string basename =
        attack.state_file == kBestStateFilename ? kBestBasename : kResumeBasename;

    // The manager, opened and saving past max_to_keep.
    Prepare(attack);
    {
      StatusOr<CheckpointManager> manager = CheckpointManager::Open(ckpt(), basename, attack.state_file, 3);
      if (attack.refused) {
        EXPECT_FALSE(manager.ok()) << "opened";
        EXPECT_NE(manager.status().message().find(state_path), std::string::npos)
            << manager.status().ToString();
      } else {
        EXPECT_TRUE(manager.ok()) << manager.status().ToString();
      }
      if (manager.ok()) {  // (only when it should not: to see what the saves then delete)
        testing::ModelFixture saved(1, {784, 32, 16, 10});
        for (int64_t step : {1000, 1001, 1002}) {
          EXPECT_TRUE(manager->Save(step, saved.state).ok());
          ExpectListedCheckpointsExist(attack, "CheckpointManager::Save " + std::to_string(step));
        }
      }
    }
    ExpectNothingOfOthersLost(attack, "CheckpointManager", /*state_untouched=*/true);
    ++operations;

    // mnist --train --resume, pruning to one best checkpoint.
    Prepare(attack);
    std::string out;
    const int resumed = RunMnist("--train --resume --epochs 6 --max-to-keep 1" + Flags(), &out);
    // A refused state file is named as damaged and rebuilt from the complete
    // checkpoints on disk (checkpoints/state/state_recovery.h), and the run goes on;
    // one leading out of the directory is refused.
    if (attack.leads_out) {
      EXPECT_EQ(resumed, 1) << out;
      EXPECT_NE(out.find("mnist: " + state_path + ": checkpoint path"), std::string::npos)
          << out;
    } else {
      EXPECT_EQ(resumed, 0) << out;
      if (attack.refused) {
        EXPECT_NE(out.find(state_path + ": damaged: rewritten from the checkpoints on disk"), std::string::npos)
            << out;
      }
    }
    ExpectNothingOfOthersLost(attack, "--train --resume", /*state_untouched=*/false);
    ++operations;

    // mnist --eval reads `checkpoint` only.
    if (attack.state_file != kBestStateFilename) continue;
    Prepare(attack);
    const int evaluated = RunMnist("--eval" + Flags(), &out);
    // --eval names a refused state file and falls back to the newest
    // complete checkpoint on disk, writing nothing; one leading out is refused.
    EXPECT_EQ(evaluated, attack.leads_out ? 1 : 0) << out;
    if (attack.eval_refused) {
      EXPECT_NE(out.find(state_path), std::string::npos) << out;
    }
    ExpectNothingOfOthersLost(attack, "--eval", /*state_untouched=*/true);
    ++operations;
  }
  std::printf("state-file attacks: %zu, operations run: %d, %s\n", attacks.size(), operations,
              HasFailure() ? "FAILURES above" : "every file not ours intact");
  RecordProperty("attacks", static_cast<int>(attacks.size()));
  RecordProperty("operations", operations);
}

}  // namespace
}  // namespace mnist

// The crash harness (issue 6): kills `mnist --train` with SIGKILL at seeded
// moments spread over the writes of the data, index, meta and state files of
// its checkpoints, and after every kill checks that nothing is lost:
//   1. each state file (`checkpoint`, `last_checkpoint`) that existed before
//      still parses, and names a checkpoint no older than before;
//   2. that checkpoint verifies: every tensor is read through BundleReader,
//      so every CRC is checked, and its .meta rebuilds the network;
//   3. `mnist --eval` restores the newest best checkpoint, with no fallback;
//   4. `mnist --train --resume` continues and finishes the epoch;
//   5. after that run (whose managers remove stale temporaries when they
//      open) no file named *.tmp* or *.tempstate* is left, and metrics.csv
//      and acc.txt list each epoch done once, with the same val_acc.
// Steps 4 and 5 follow every other kill; in between, the next killed run is
// itself a resume of the killed one, so kills also land in the re-saves and
// cleanups such a run does.
// A failed 1 or 2 counts as lost, a failed 3 or 4 as unrestorable, 5 as a
// stray temporary or, for the logs, lost. It ends with
// `kills: N, lost: L, unrestorable: U`.
//
// The kill comes from tests/crash/crash_hook.cc, preloaded into mnist: it SIGKILLs
// the process just before the k-th create/write/fsync/rename/unlink of a
// file of the chosen kind. Kinds rotate over data, index, meta, state and
// log (acc.txt, metrics.csv); k is drawn from the attempt's seed (--seed +
// attempt) between 1 and the number of such operations one resumed epoch
// makes (counted first). An attempt whose k lies past what the run did ends
// without a kill and is not counted. Training restarts from nothing every
// few kills, so first saves, improvements and retention deletes are all hit.
// An epoch is one step, and before some attempts a run is stopped by a
// SIGTERM (the hook sends it at its first log write, before the step), so
// the killed run that resumes it ends that epoch at the step it stopped at
// and saves that listed last.ckpt-<step> again; before others, copies of the
// newest checkpoints are planted under older unlisted names, so the killed
// run starts by removing them. The report sorts the kills by what they hit:
// a new save, a re-save of a listed or an unlisted name, a prune, the
// clean-up of unlisted checkpoints or temporaries, a state or a log write.
//
//   crash_harness [--kills 200] [--seed 1] [--dir DIR] [--verbose]
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "app/training/metrics_log.h"
#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "checkpoints/saver/saver.h"
#include "io/bundle/bundle_reader.h"
#include "io/base/file.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

constexpr const char* kKinds[] = {"data", "index", "meta", "state", "log"};
constexpr int kNumKinds = 5;
constexpr int kAttemptsPerLife = 8;  // restart training from nothing this often

struct Options {
  int kills = 200;
  uint64_t seed = 1;
  std::string dir;
  bool verbose = false;
};

struct Outcome {
  int exit_code = -1;  // or 128 + the signal that ended it
  std::string output;
};

// Runs `mnist <args>` with `env` added; its output goes through `log_path`.
Outcome Run(const std::vector<std::string>& args, const std::vector<std::string>& env,
            const std::string& log_path) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv = {const_cast<char*>(MNIST_BINARY)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  Outcome outcome;
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  ReadFile(log_path, &outcome.output);
  return outcome;
}

// What a state file says: absent, garbled (status), or its newest name.
struct StateView {
  bool exists = false;
  Status status;
  std::string latest;
};

StateView ReadState(const std::string& ckpt, const std::string& filename) {
  StateView view;
  view.exists = FileExists(JoinPath(ckpt, filename));
  if (!view.exists) return view;
  StatusOr<CheckpointState> state = ReadCheckpointState(ckpt, filename);
  view.status = state.status();
  if (state.ok()) view.latest = state->latest();
  return view;
}

int64_t StepOf(const std::string& name) {
  std::string basename;
  int64_t step = -1;
  ParseCheckpointName(name, &basename, &step);
  return step;
}

// Reads every tensor of `prefix` (checking every CRC) and its .meta.
Status VerifyCheckpoint(const std::string& prefix) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return reader.status();
  for (const std::string& key : (*reader)->Keys()) {
    if ((*reader)->Lookup(key)->dtype == tensorflow::DT_STRING) {
      StatusOr<std::vector<std::string>> values = (*reader)->ReadStrings(key);
      if (!values.ok()) return values.status();
    } else {
      StatusOr<std::string> bytes = (*reader)->ReadBytes(key);
      if (!bytes.ok()) return bytes.status();
    }
  }
  StatusOr<std::vector<int>> sizes = CheckpointLayerSizes(prefix);
  return sizes.status();
}

// Operations per kind ("counts data=N ..." from the hook) of one run.
std::map<std::string, long> ParseCounts(const std::string& log) {
  std::map<std::string, long> counts;
  std::istringstream in(log.substr(log.find("counts ") == std::string::npos ? log.size()
                                                                             : log.find("counts ") + 7));
  for (std::string item; in >> item;) {
    const size_t eq = item.find('=');
    if (eq != std::string::npos) counts[item.substr(0, eq)] = std::atol(item.c_str() + eq + 1);
  }
  return counts;
}

class Harness {
 public:
  explicit Harness(Options options)
      : options_(std::move(options)), data_(options_.dir + "/data"), ckpt_(options_.dir + "/ckpt") {}

  int Main() {
    testing::WriteSyntheticMnist(data_, 300, 100, /*gzip=*/false, options_.seed);
    if (!CountOperations()) return 2;
    int attempt = 0;
    int epochs_done = 0;
    while (kills_ < options_.kills && attempt < options_.kills * 4) {
      if (attempt % kAttemptsPerLife == 0) {
        std::filesystem::remove_all(ckpt_);
        epochs_done = 0;
      }
      const uint64_t seed = options_.seed + static_cast<uint64_t>(attempt);
      const std::string kind = kKinds[attempt % kNumKinds];
      scenario_ = "plain";
      if (HaveCheckpoint() && attempt % 3 == 1 && StopInLastBatch(epochs_done + 1)) {
        scenario_ = "resumes-a-stop-at-last-step";
      }
      if (HaveCheckpoint() && attempt % 3 == 2 && PlantUnlisted()) scenario_ = "removes-planted-unlisted";
      ++attempt;
      std::mt19937_64 rng(seed);
      const long k = 1 + static_cast<long>(rng() % static_cast<uint64_t>(counts_[kind]));
      if (KillOnce(seed, kind, k, epochs_done + 1)) ++kills_;
      ++epochs_done;
    }
    PrintSummary();
    return kills_ >= options_.kills && failures_.empty() ? 0 : 1;
  }

 private:
  std::vector<std::string> TrainArgs(int epochs, bool resume) const {
    std::vector<std::string> args = {"--train", "--epochs", std::to_string(epochs),
                                     "--batch-size", "300", "--hidden", "16,8", "--threads", "1",
                                     "--max-to-keep", "2", "--validation-size", "0", "--data-dir", data_,
                                     "--ckpt-dir", ckpt_};
    if (resume) args.push_back("--resume");
    return args;
  }
  std::vector<std::string> HookEnv(const std::string& dir) const {
    return {"LD_PRELOAD=" MNIST_CRASH_HOOK, "MNIST_CRASH_DIR=" + dir,
            "MNIST_CRASH_LOG=" + options_.dir + "/hook.log",
            // The hook must come before the sanitizer runtime when there is one.
            "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0"};
  }
  bool HaveCheckpoint() const {
    return FileExists(JoinPath(ckpt_, kResumeStateFilename)) ||
           FileExists(JoinPath(ckpt_, kBestStateFilename));
  }

  // Counts the operations of each kind that one fresh and one resumed epoch
  // make, so that k can be drawn over a whole run.
  bool CountOperations() {
    std::filesystem::remove_all(ckpt_);
    for (int epochs = 1; epochs <= 2; ++epochs) {
      std::filesystem::remove(options_.dir + "/hook.log");
      const Outcome run = Run(TrainArgs(epochs, epochs > 1), HookEnv(ckpt_), options_.dir + "/run.log");
      std::string log;
      ReadFile(options_.dir + "/hook.log", &log);
      if (run.exit_code != 0 || log.empty()) {
        std::fprintf(stderr, "crash_harness: the counting run failed (exit %d): %s%s\n",
                     run.exit_code, run.output.c_str(), log.c_str());
        return false;
      }
      for (const auto& [kind, n] : ParseCounts(log)) counts_[kind] = std::max(counts_[kind], n);
    }
    std::printf("operations per epoch run: data=%ld index=%ld meta=%ld state=%ld log=%ld\n",
                counts_["data"], counts_["index"], counts_["meta"], counts_["state"], counts_["log"]);
    return counts_["data"] > 0 && counts_["index"] > 0 && counts_["meta"] > 0 && counts_["state"] > 0 &&
           counts_["log"] > 0;
  }

  // One attempt: train to `epochs` and SIGKILL at the k-th operation of
  // `kind`; then check and recover. False when no kill happened.
  bool KillOnce(uint64_t seed, const std::string& kind, long k, int epochs) {
    const StateView best_before = ReadState(ckpt_, kBestStateFilename);
    const StateView last_before = ReadState(ckpt_, kResumeStateFilename);
    const Listing listing_before = ListCheckpoints();
    std::vector<std::string> env = HookEnv(ckpt_);
    env.push_back("MNIST_CRASH_KIND=" + kind);
    env.push_back("MNIST_CRASH_AT=" + std::to_string(k));
    std::filesystem::remove(options_.dir + "/hook.log");
    const Outcome killed = Run(TrainArgs(epochs, HaveCheckpoint()), env, options_.dir + "/run.log");
    std::string where;
    ReadFile(options_.dir + "/hook.log", &where);
    if (killed.exit_code == 0) return false;  // k lay past this run's operations
    const std::string label = "kill " + std::to_string(kills_ + 1) + " (seed " +
                              std::to_string(seed) + ", " + kind + " operation " +
                              std::to_string(k) + ")";
    if (killed.exit_code != 128 + SIGKILL) {
      Fail(&unrestorable_, label, "training failed before the kill (exit " +
                                      std::to_string(killed.exit_code) + "): " + killed.output);
      return false;
    }
    std::istringstream fields(where);
    std::string hit_kind, operation;
    fields >> hit_kind >> operation;
    std::string path;
    fields >> path;
    ++by_kind_[hit_kind];
    ++by_operation_[operation];
    ++by_phase_[PhaseOf(hit_kind, operation, path, listing_before)];
    ++by_scenario_[scenario_];
    if (options_.verbose) std::printf("%s: at %s", label.c_str(), where.c_str());

    CheckState(label, kBestStateFilename, best_before);
    CheckState(label, kResumeStateFilename, last_before);
    CheckEval(label);
    // Every other kill is followed by another kill before the clean resume,
    // so kills also land in runs that resume from a killed one (re-saves).
    if (seed % 2 == 1 && kills_ + 1 < options_.kills) return true;
    const Outcome resumed = Run(TrainArgs(epochs, HaveCheckpoint()), {}, options_.dir + "/run.log");
    if (resumed.exit_code != 0) {
      Fail(&unrestorable_, label, "--train --resume failed (exit " +
                                      std::to_string(resumed.exit_code) + "): " + resumed.output);
    }
    StatusOr<std::vector<std::string>> names = ListDirectory(ckpt_);
    for (const std::string& name : names.ok() ? *names : std::vector<std::string>{}) {
      if (name.find(kAtomicTempInfix) != std::string::npos || name.find(kBundleTempInfix) != std::string::npos) {
        Fail(&stray_, label, "temporary " + name + " survived the next successful save");
      }
    }
    CheckLogs(label, epochs);
    return true;
  }

  // Runs a resume of the next epoch that a SIGTERM stops after its one
  // step, the epoch's last: it saves last.ckpt-<step> for a resume to end.
  bool StopInLastBatch(int epochs) {
    std::vector<std::string> env = HookEnv(ckpt_);
    env.insert(env.end(), {"MNIST_CRASH_KIND=log", "MNIST_CRASH_AT=1", "MNIST_CRASH_SIGNAL=TERM"});
    const Outcome stopped = Run(TrainArgs(epochs, true), env, options_.dir + "/run.log");
    if (stopped.exit_code != 128 + SIGTERM || stopped.output.find("stopped by signal") == std::string::npos) {
      Fail(&unrestorable_, "stop before epoch " + std::to_string(epochs),
           "the stopped run did not save and exit 143 (exit " + std::to_string(stopped.exit_code) +
               "): " + stopped.output);
      return false;
    }
    return true;
  }

  // Copies the newest listed checkpoints' files to `<basename>-0`, a name no
  // state file lists and older than the listed ones, for the next run to
  // remove.
  bool PlantUnlisted() {
    bool planted = false;
    for (const auto& [basename, state] : {std::pair<std::string, std::string>{kBestBasename, kBestStateFilename},
                                          {kResumeBasename, kResumeStateFilename}}) {
      const StateView view = ReadState(ckpt_, state);
      if (!view.exists || !view.status.ok() || StepOf(view.latest) < 1) continue;
      for (const char* suffix : {".index", ".data-00000-of-00001", ".meta"}) {
        std::error_code error;
        std::filesystem::copy_file(JoinPath(ckpt_, view.latest + suffix),
                                   JoinPath(ckpt_, CheckpointName(basename, 0) + suffix),
                                   std::filesystem::copy_options::overwrite_existing, error);
        planted = planted || !error;
      }
    }
    return planted;
  }

  // The names both state files list, and the files in the directory.
  struct Listing {
    std::vector<std::string> listed;
    std::vector<std::string> files;
  };
  Listing ListCheckpoints() const {
    Listing listing;
    for (const char* state : {kBestStateFilename, kResumeStateFilename}) {
      StatusOr<CheckpointState> read = ReadCheckpointState(ckpt_, state);
      if (read.ok()) listing.listed.insert(listing.listed.end(), read->paths.begin(), read->paths.end());
    }
    StatusOr<std::vector<std::string>> files = ListDirectory(ckpt_);
    if (files.ok()) listing.files = *files;
    return listing;
  }

  // What a kill at `operation` on `path` (a file of `kind`) hit.
  static std::string PhaseOf(const std::string& kind, const std::string& operation, const std::string& path,
                             const Listing& before) {
    if (kind == "state" || kind == "log") return kind + "-write";
    std::string file = std::filesystem::path(path).filename().string();
    std::string final_name;
    const bool temporary = ParseTemporaryName(file, &final_name);
    if (temporary) file = final_name;
    std::string name;
    int64_t step = 0;
    for (const char* basename : {kBestBasename, kResumeBasename}) {
      if (name.empty()) ParseCheckpointFilename(file, basename, &name, &step);
    }
    auto contains = [](const std::vector<std::string>& v, const std::string& x) {
      return std::find(v.begin(), v.end(), x) != v.end();
    };
    const bool listed = contains(before.listed, name);
    bool existed = false;
    for (const std::string& f : before.files) existed = existed || f.rfind(name + ".", 0) == 0;
    if (operation == "unlink") {
      if (temporary && contains(before.files, std::filesystem::path(path).filename().string())) return "clean-up";
      if (listed) return "prune";
      return contains(before.files, file) ? "clean-up" : "new-save";
    }
    if (listed) return "re-save-listed";
    return existed ? "re-save-unlisted" : "new-save";
  }

  // metrics.csv and acc.txt of a run finished at `epochs`: each epoch 1..N
  // once, with the same val_acc (a row without one has no line).
  void CheckLogs(const std::string& label, int epochs) {
    StatusOr<std::vector<MetricsRow>> rows = ReadMetrics(JoinPath(ckpt_, kMetricsFilename));
    if (!rows.ok()) {
      Fail(&lost_, label, "metrics.csv: " + rows.status().ToString());
      return;
    }
    std::string acc, expected_acc;
    ReadFile(JoinPath(ckpt_, kAccuracyFilename), &acc);
    bool consecutive = static_cast<int>(rows->size()) == epochs;
    for (size_t i = 0; i < rows->size(); ++i) {
      consecutive = consecutive && (*rows)[i].epoch == static_cast<int64_t>(i) + 1;
      if (!std::isfinite((*rows)[i].val_acc)) continue;
      expected_acc += std::to_string((*rows)[i].epoch) + ", val_acc: " +
                      FormatMetricsNumber((*rows)[i].val_acc, kValAccFormat) + "\n";
    }
    if (!consecutive || acc != expected_acc) {
      Fail(&lost_, label, "metrics.csv and acc.txt do not list epochs 1-" + std::to_string(epochs) +
                              " alike:\n" + acc + "---\n" + ReadAll(JoinPath(ckpt_, kMetricsFilename)));
    }
  }
  static std::string ReadAll(const std::string& path) {
    std::string text;
    ReadFile(path, &text);
    return text;
  }

  void CheckState(const std::string& label, const std::string& filename, const StateView& before) {
    const StateView now = ReadState(ckpt_, filename);
    if (!now.exists) {
      if (before.exists) Fail(&lost_, label, filename + " vanished");
      return;
    }
    if (!now.status.ok()) {
      Fail(&lost_, label, filename + " does not parse: " + now.status.ToString());
      return;
    }
    if (before.exists && before.status.ok() && StepOf(now.latest) < StepOf(before.latest)) {
      Fail(&lost_, label, filename + " went back from " + before.latest + " to " + now.latest);
    }
    const Status verified = VerifyCheckpoint(JoinPath(ckpt_, now.latest));
    if (!verified.ok()) {
      Fail(&lost_, label, filename + " names " + now.latest + ", which fails: " + verified.ToString());
    }
  }

  void CheckEval(const std::string& label) {
    const StateView best = ReadState(ckpt_, kBestStateFilename);
    if (!best.exists || !best.status.ok()) return;  // nothing saved yet, or already counted
    const Outcome eval = Run({"--eval", "--data-dir", data_, "--ckpt-dir", ckpt_}, {},
                             options_.dir + "/run.log");
    const std::string expected = "restored " + JoinPath(ckpt_, best.latest) + "\n";
    if (eval.exit_code != 0 || eval.output.find(expected) == std::string::npos ||
        eval.output.find("fails its checks") != std::string::npos) {
      Fail(&unrestorable_, label, "--eval did not restore " + best.latest + ": " + eval.output);
    }
  }

  void Fail(int* counter, const std::string& label, const std::string& what) {
    ++*counter;
    failures_.push_back(label + ": " + what);
  }

  void PrintSummary() const {
    std::printf("kills by file kind:");
    for (const auto& [kind, n] : by_kind_) std::printf(" %s=%d", kind.c_str(), n);
    std::printf("\nkills by operation:");
    for (const auto& [operation, n] : by_operation_) std::printf(" %s=%d", operation.c_str(), n);
    std::printf("\nkills by what they hit:");
    for (const auto& [phase, n] : by_phase_) std::printf(" %s=%d", phase.c_str(), n);
    std::printf("\nkills by run:");
    for (const auto& [scenario, n] : by_scenario_) std::printf(" %s=%d", scenario.c_str(), n);
    std::printf("\n");
    for (const std::string& failure : failures_) std::printf("FAILED %s\n", failure.c_str());
    if (stray_ > 0) std::printf("stray temporaries: %d\n", stray_);
    std::printf("kills: %d, lost: %d, unrestorable: %d\n", kills_, lost_, unrestorable_);
  }

  Options options_;
  std::string data_, ckpt_;
  std::map<std::string, long> counts_;
  std::map<std::string, int> by_kind_, by_operation_, by_phase_, by_scenario_;
  std::string scenario_;  // what the next killed run does besides a plain epoch
  int kills_ = 0, lost_ = 0, unrestorable_ = 0, stray_ = 0;
  std::vector<std::string> failures_;
};

}  // namespace
}  // namespace mnist

int main(int argc, char** argv) {
  mnist::Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--kills" && has_value) {
      options.kills = std::atoi(argv[++i]);
    } else if (arg == "--seed" && has_value) {
      options.seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--dir" && has_value) {
      options.dir = argv[++i];
    } else if (arg == "--verbose") {
      options.verbose = true;
    } else {
      std::fprintf(stderr, "usage: crash_harness [--kills N] [--seed S] [--dir DIR] [--verbose]\n");
      return 2;
    }
  }
  std::unique_ptr<mnist::testing::TempDir> scratch;
  if (options.dir.empty()) {
    scratch = std::make_unique<mnist::testing::TempDir>();
    options.dir = scratch->path();
  }
  options.dir = std::filesystem::absolute(options.dir).string();
  std::filesystem::create_directories(options.dir);
  return mnist::Harness(options).Main();
}

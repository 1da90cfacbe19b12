// Corruption sweep (issue 6): every single-byte change and every truncation
// of a small checkpoint's files, of a frozen GraphDef and of IDX files, each
// judged by what reading it gives:
//   detected      an error (never a crash);
//   harmless      accepted, and what was read is exactly the original (a
//                 byte the reader never looks at, e.g. footer padding or a
//                 restart offset that a sequential scan does not use, or a
//                 gzip header's mtime);
//   undetectable  accepted with the network, its numbers and its shapes
//                 exactly right, but some other content changed that the
//                 format has no checksum for: a protobuf text or binary file
//                 (the state file's list of older checkpoints, a .meta or
//                 .pb node name or weight) or an IDX payload (a pixel, or a
//                 label changed to another valid label: the IDX format has
//                 no checksum, so no reader can tell);
//   WRONG         accepted with a different network or different numbers.
// The test fails on any WRONG case and prints the counts of each file.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <functional>

#include "checkpoints/manager/checkpoint_manager.h"
#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/meta_graph/graph_layer_sizes.h"
#include "checkpoints/meta_graph/model_graph.h"
#include "checkpoints/state/naming.h"
#include "checkpoints/saver/saver.h"
#include "io/bundle/bundle_format.h"
#include "io/bundle/bundle_reader.h"
#include "io/base/file.h"
#include "tests/support/gzip_writer.h"
#include "io/base/gzip.h"
#include "io/idx/idx_reader.h"
#include "tests/support/idx_writer.h"
#include "io/bundle/proto_serialize.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

enum class Verdict { kDetected, kHarmless, kUndetectable, kWrong };

struct Tally {
  int tried = 0, detected = 0, harmless = 0, undetectable = 0;
  std::vector<std::string> wrong;

  void Add(Verdict v, const std::string& label) {
    ++tried;
    if (v == Verdict::kDetected) ++detected;
    if (v == Verdict::kHarmless) ++harmless;
    if (v == Verdict::kUndetectable) ++undetectable;
    if (v == Verdict::kWrong) wrong.push_back(label);
  }
  void Report(const std::string& what) const {
    std::printf("corruption sweep %-28s tried %6d, detected %6d, harmless %4d, undetectable %5d, "
                "wrong %zu\n", what.c_str(), tried, detected, harmless, undetectable, wrong.size());
    for (const std::string& w : wrong) ADD_FAILURE() << what << ": accepted wrong content after " << w;
  }
};

// Every change of one byte (XOR with each of `masks`) and every truncation
// of `original`; `judge` sees each mutated copy.
void Sweep(const std::string& original, const std::vector<unsigned char>& masks,
           const std::function<Verdict(const std::string&)>& judge, Tally* tally) {
  std::string bytes = original;
  for (size_t i = 0; i < original.size(); ++i) {
    for (unsigned char mask : masks) {
      bytes[i] = static_cast<char>(original[i] ^ mask);
      char label[64];
      std::snprintf(label, sizeof(label), "byte %zu ^ 0x%02x", i, mask);
      tally->Add(judge(bytes), label);
    }
    bytes[i] = original[i];
  }
  for (size_t n = 0; n < original.size(); ++n) {
    tally->Add(judge(original.substr(0, n)), "truncation to " + std::to_string(n) + " bytes");
  }
}

const std::vector<unsigned char> kMasks = {0xff, 0x01, 0x80};

// Writes `bytes` as a new file: rewriting one in place (O_TRUNC) makes ext4
// flush it on close, which would slow the sweep down a hundredfold.
void Replace(const std::string& path, const std::string& bytes) {
  std::remove(path.c_str());
  WriteFileOrDie(path, bytes);
}

// --- A checkpoint: .index, .data, .meta and the state file ---------------

struct Network {
  Mlp model;
  Adam adam;
  TrainingState state;
  explicit Network(const std::vector<int>& sizes)
      : model(sizes), adam(AdamOptions{}, model.variables()),
        state{&model, &adam, nullptr, TrainProgress{}, RunSettings{}} {}
};

bool SameBytes(const std::vector<Variable>& a, const std::vector<Variable>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].value.size() != b[i].value.size() ||
        std::memcmp(a[i].value.data(), b[i].value.data(), a[i].value.size() * sizeof(float)) != 0) {
      return false;
    }
  }
  return true;
}

bool SameProgress(const TrainProgress& a, const TrainProgress& b) {
  return a.global_step == b.global_step && a.epoch == b.epoch &&
         a.batch_in_epoch == b.batch_in_epoch && a.seed == b.seed &&
         std::memcmp(&a.best_val_acc, &b.best_val_acc, sizeof(double)) == 0 &&
         std::memcmp(&a.epoch_loss_sum, &b.epoch_loss_sum, sizeof(double)) == 0;
}

class CheckpointSweep {
 public:
  CheckpointSweep() : saved_(kSizes) {
    Rng rng(3, 0);
    saved_.model.Init(&rng, 0.5f);
    for (int step = 0; step < 2; ++step) {
      for (Variable& v : saved_.model.variables()) {
        for (int64_t i = 0; i < v.num_elements(); ++i) v.grad[i] = static_cast<float>(rng.Normal());
      }
      saved_.adam.Step(&saved_.model.variables());
    }
    saved_.state.progress = {2, 1, 0, 3, 0.625, 0.0};
    StatusOr<CheckpointManager> manager = CheckpointManager::Open(dir_.path(), kBestBasename,
                                                                  kBestStateFilename, 0);
    EXPECT_TRUE(manager.ok() && manager->Save(1, saved_.state).ok());
    prefix_ = dir_ / "mnist.ckpt-1";
    state_ = *ReadCheckpointState(dir_.path(), kBestStateFilename);
    reader_entries_ = Entries();
    meta_.ParseFromString(ReadFileOrDie(MetaFilename(prefix_)));
  }

  // Sweeps `file` of the checkpoint, judging each change by a restore.
  void SweepFile(const std::string& file, Tally* tally) {
    SweepWith(file, kMasks, [this] { return Judge(); }, tally);
  }

  // Sweeps the .meta, judging each change by the network it rebuilds: the
  // restore reads every tensor from the untouched bundle, so the layer sizes
  // are all the .meta decides. XOR 0xff only: the file is the largest.
  void SweepMeta(Tally* tally) {
    SweepWith(MetaFilename("mnist.ckpt-1"), {0xff}, [this] { return JudgeMeta(); }, tally);
  }

 private:
  void SweepWith(const std::string& file, const std::vector<unsigned char>& masks,
                 const std::function<Verdict()>& judge, Tally* tally) {
    const std::string path = dir_ / file;
    const std::string original = ReadFileOrDie(path);
    Sweep(original, masks, [&](const std::string& bytes) {
      Replace(path, bytes);
      return judge();
    }, tally);
    Replace(path, original);
    EXPECT_EQ(judge(), Verdict::kHarmless);
  }

  Verdict JudgeMeta() const {
    StatusOr<std::vector<int>> sizes = CheckpointLayerSizes(prefix_);
    if (!sizes.ok()) return Verdict::kDetected;
    if (*sizes != kSizes) return Verdict::kWrong;
    tensorflow::MetaGraphDef meta;
    return meta.ParseFromString(ReadFileOrDie(MetaFilename(prefix_))) &&
                   MessageDifferencer::Equals(meta, meta_)
               ? Verdict::kHarmless
               : Verdict::kUndetectable;
  }

  static inline const std::vector<int> kSizes = {8, 4, 3};

  // What --eval and --resume do: find the latest checkpoint, rebuild the
  // network from its .meta, restore everything.
  Verdict Judge() {
    StatusOr<std::string> prefix = LatestCheckpoint(dir_.path(), kBestStateFilename);
    if (!prefix.ok()) return Verdict::kDetected;
    StatusOr<std::vector<int>> sizes = CheckpointLayerSizes(*prefix);
    if (!sizes.ok()) return Verdict::kDetected;
    if (*sizes != kSizes) return Verdict::kWrong;
    Network restored(*sizes);
    RestoreOptions options;
    options.training = true;
    if (!RestoreCheckpoint(*prefix, options, &restored.state).ok()) return Verdict::kDetected;
    if (*prefix != prefix_ || !SameBytes(restored.model.variables(), saved_.model.variables()) ||
        !SameBytes(restored.adam.m(), saved_.adam.m()) ||
        !SameBytes(restored.adam.v(), saved_.adam.v()) ||
        restored.adam.beta1_power() != saved_.adam.beta1_power() ||
        restored.adam.beta2_power() != saved_.adam.beta2_power() ||
        !SameProgress(restored.state.progress, saved_.state.progress)) {
      return Verdict::kWrong;
    }
    // Right numbers; is everything else we can read the same too?
    StatusOr<CheckpointState> state = ReadCheckpointState(dir_.path(), kBestStateFilename);
    tensorflow::MetaGraphDef meta;
    const bool same = state.ok() && state->paths == state_.paths && Entries() == reader_entries_ &&
                      meta.ParseFromString(ReadFileOrDie(MetaFilename(prefix_))) &&
                      MessageDifferencer::Equals(meta, meta_);
    return same ? Verdict::kHarmless : Verdict::kUndetectable;
  }

  // Every index entry as text, the header first.
  std::vector<std::string> Entries() const {
    StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix_);
    if (!reader.ok()) return {};
    std::vector<std::string> out = {(*reader)->header().SerializeAsString()};
    for (const std::string& key : (*reader)->Keys()) {
      const BundleReader::Entry e = *(*reader)->Lookup(key);
      out.push_back(key + " " + std::to_string(e.dtype) + " " + std::to_string(e.offset) + " " +
                    std::to_string(e.size) + " " + std::to_string(e.masked_crc32c) + " " +
                    std::to_string(e.shape.size()));
    }
    return out;
  }

  TempDir dir_;
  Network saved_;
  std::string prefix_;
  CheckpointState state_;
  std::vector<std::string> reader_entries_;
  tensorflow::MetaGraphDef meta_;
};

TEST(CorruptionSweepTest, CheckpointIndexChangesAreDetectedOrHarmless) {
  CheckpointSweep sweep;
  Tally tally;
  sweep.SweepFile("mnist.ckpt-1.index", &tally);
  tally.Report("mnist.ckpt-1.index");
  // The index has checksums over every block: nothing slips through.
  EXPECT_EQ(tally.undetectable, 0);
}

TEST(CorruptionSweepTest, CheckpointDataChangesAreAllDetected) {
  CheckpointSweep sweep;
  Tally tally;
  sweep.SweepFile("mnist.ckpt-1.data-00000-of-00001", &tally);
  tally.Report("mnist.ckpt-1.data-00000-of-00001");
  EXPECT_EQ(tally.detected, tally.tried);  // every byte is under a CRC
}

TEST(CorruptionSweepTest, StateFileChangesAreDetectedOrLeaveTheRestoreRight) {
  CheckpointSweep sweep;
  Tally tally;
  sweep.SweepFile("checkpoint", &tally);
  tally.Report("checkpoint");
}

TEST(CorruptionSweepTest, MetaChangesAreDetectedOrLeaveTheRestoreRight) {
  CheckpointSweep sweep;
  Tally tally;
  sweep.SweepMeta(&tally);
  tally.Report("mnist.ckpt-1.meta");
}

// --- A frozen GraphDef -------------------------------------------------------

TEST(CorruptionSweepTest, FrozenGraphChangesAreDetectedOrKeepTheNetworkShape) {
  const std::vector<int> sizes = {8, 4, 3};
  Mlp model(sizes);
  Rng rng(5, 0);
  model.Init(&rng, 0.5f);
  const tensorflow::GraphDef graph = BuildFrozenGraph(model);
  Tally tally;
  std::string pb;
  ASSERT_TRUE(SerializeDeterministically(graph, &pb));
  Sweep(pb, kMasks, [&](const std::string& bytes) {
    tensorflow::GraphDef parsed;
    if (!parsed.ParseFromString(bytes)) return Verdict::kDetected;
    StatusOr<std::vector<int>> read = LayerSizesFromGraph(parsed, "frozen.pb");
    if (!read.ok()) return Verdict::kDetected;
    if (*read != sizes) return Verdict::kWrong;
    return MessageDifferencer::Equals(parsed, graph) ? Verdict::kHarmless : Verdict::kUndetectable;
  }, &tally);
  tally.Report("frozen.pb (GraphDef)");
}

// --- IDX files ---------------------------------------------------------------

// Parses mutated image bytes: the header is checked, pixels cannot be.
Verdict JudgeImages(const std::string& bytes, const IdxImages& original) {
  StatusOr<IdxImages> parsed = ParseIdxImages("images", bytes);
  if (!parsed.ok()) return Verdict::kDetected;
  if (parsed->count != original.count || parsed->rows != original.rows ||
      parsed->cols != original.cols) {
    return Verdict::kWrong;
  }
  return parsed->pixels == original.pixels ? Verdict::kHarmless : Verdict::kUndetectable;
}

Verdict JudgeLabels(const std::string& bytes, const IdxLabels& original) {
  StatusOr<IdxLabels> parsed = ParseIdxLabels("labels", bytes);
  if (!parsed.ok()) return Verdict::kDetected;
  if (parsed->count() != original.count()) return Verdict::kWrong;
  // A label changed to another value below 10 is valid by the format.
  return parsed->labels == original.labels ? Verdict::kHarmless : Verdict::kUndetectable;
}

std::string SomePixels(size_t n) {
  std::string p(n, '\0');
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<char>((i * 37) % 256);
  return p;
}

TEST(CorruptionSweepTest, IdxHeaderChangesAreDetectedAndPayloadChangesCounted) {
  const std::string images = EncodeIdxImages(2, 28, 28, SomePixels(2 * 784));
  const IdxImages images_read = *ParseIdxImages("images", images);
  Tally image_tally;
  Sweep(images, {0xff, 0x01}, [&](const std::string& b) { return JudgeImages(b, images_read); },
        &image_tally);
  image_tally.Report("train-images (IDX)");
  // Only the 2 x 784 pixel bytes can change unnoticed, once per mask.
  EXPECT_EQ(image_tally.undetectable, 2 * 2 * 784);

  const std::string labels = EncodeIdxLabels(std::string("\x03\x07\x00\x09", 4));
  const IdxLabels labels_read = *ParseIdxLabels("labels", labels);
  Tally label_tally;
  std::vector<unsigned char> every_mask;
  for (int m = 1; m < 256; ++m) every_mask.push_back(static_cast<unsigned char>(m));
  Sweep(labels, every_mask, [&](const std::string& b) { return JudgeLabels(b, labels_read); },
        &label_tally);
  label_tally.Report("train-labels (IDX)");
  // Per label byte, 9 of the 255 changes land on another valid label.
  EXPECT_EQ(label_tally.undetectable, 4 * 9);
}

TEST(CorruptionSweepTest, GzipIdxChangesAreDetectedOrHarmless) {
  TempDir dir;
  const std::string images = EncodeIdxImages(2, 28, 28, SomePixels(2 * 784));
  const IdxImages images_read = *ParseIdxImages("images", images);
  ASSERT_TRUE(WriteGzipFile(dir / "images.gz", images).ok());
  Tally tally;
  Sweep(ReadFileOrDie(dir / "images.gz"), kMasks, [&](const std::string& bytes) {
    Replace(dir / "mutated.gz", bytes);
    std::string inflated;
    // Small files are rarely gzip after a change of the magic: judge the raw bytes then.
    if (!ReadFileMaybeGzip(dir / "mutated.gz", &inflated).ok()) return Verdict::kDetected;
    return JudgeImages(inflated, images_read);
  }, &tally);
  tally.Report("train-images.gz (IDX, gzip)");
  // gzip's CRC-32 and length cover the payload; only header fields that
  // inflate ignores (mtime, extra flags, OS) can change unnoticed.
  EXPECT_EQ(tally.undetectable, 0);
}

}  // namespace
}  // namespace mnist

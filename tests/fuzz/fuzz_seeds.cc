// Writes the fuzzers' starting corpora from our own outputs into
// <dir>/<fuzzer>/: IDX files (raw and gzip), a small checkpoint's bundle
// (and TensorFlow's fixtures from tests/testdata/tf), its state file,
// its .meta and a frozen graph. Nothing binary is committed; run_fuzzers.sh
// runs this first.
//
//   fuzz_seeds DIR [SHARED_FIXTURES_DIR]
#include <cstdio>
#include <filesystem>
#include <string>

#include "checkpoints/manager/checkpoint_manager.h"
#include "checkpoints/meta_graph/model_graph.h"
#include "checkpoints/state/naming.h"
#include "io/bundle/bundle_format.h"
#include "io/base/file.h"
#include "tests/support/gzip_writer.h"
#include "tests/support/idx_writer.h"
#include "tests/fuzz/fuzz_util.h"

namespace mnist {
namespace {

namespace fs = std::filesystem;

bool Put(const std::string& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  if (fuzz::WriteBytes(dir + "/" + name, bytes)) return true;
  std::fprintf(stderr, "fuzz_seeds: cannot write %s/%s\n", dir.c_str(), name.c_str());
  return false;
}

std::string Slurp(const std::string& path) {
  std::string bytes;
  ReadFile(path, &bytes);
  return bytes;
}

int Main(const std::string& out, const std::string& shared) {
  // IDX: two images and their labels, raw and gzip.
  std::string pixels(2 * 28 * 28, '\0');
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<char>(i * 7);
  const std::string images = EncodeIdxImages(2, 28, 28, pixels);
  const std::string labels = EncodeIdxLabels(std::string("\x03\x07", 2));
  const std::string scratch = fuzz::ScratchDir();
  WriteGzipFile(scratch + "/images.gz", images);
  WriteGzipFile(scratch + "/labels.gz", labels);
  bool ok = Put(out + "/idx_fuzzer", "images", images) && Put(out + "/idx_fuzzer", "labels", labels) &&
            Put(out + "/idx_fuzzer", "images.gz", Slurp(scratch + "/images.gz")) &&
            Put(out + "/idx_fuzzer", "labels.gz", Slurp(scratch + "/labels.gz"));

  // A small checkpoint, saved as training saves it.
  Mlp model({6, 4, 3});
  Rng rng(1, 0);
  model.Init(&rng, 0.5f);
  Adam adam(AdamOptions{}, model.variables());
  TrainingState state{&model, &adam, nullptr, TrainProgress{}, RunSettings{}};
  const std::string ckpt = scratch + "/ckpt";
  StatusOr<CheckpointManager> manager = CheckpointManager::Open(ckpt, kBestBasename, kBestStateFilename, 2);
  if (!manager.ok() || !manager->Save(1, state).ok() || !manager->Save(2, state).ok()) {
    std::fprintf(stderr, "fuzz_seeds: cannot save a checkpoint in %s\n", ckpt.c_str());
    return 1;
  }
  const std::string prefix = ckpt + "/mnist.ckpt-2";
  ok = ok && Put(out + "/bundle_fuzzer", "mnist.ckpt",
                 fuzz::EncodeBundle(Slurp(IndexFilename(prefix)),
                                    Slurp(DataFilename(prefix, 0, kBundleNumShards))));
  if (!shared.empty()) {
    for (const auto& e : fs::recursive_directory_iterator(shared)) {
      const std::string path = e.path().string();
      const std::string suffix = ".index";
      if (path.size() <= suffix.size() || path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) {
        continue;
      }
      const std::string tf_prefix = path.substr(0, path.size() - suffix.size());
      ok = ok && Put(out + "/bundle_fuzzer", "tf-" + std::to_string(std::hash<std::string>()(path)),
                     fuzz::EncodeBundle(Slurp(path), Slurp(DataFilename(tf_prefix, 0, 1))));
    }
  }
  ok = ok && Put(out + "/checkpoint_state_fuzzer", "checkpoint", Slurp(ckpt + "/checkpoint")) &&
       Put(out + "/checkpoint_state_fuzzer", "timestamps",
           "model_checkpoint_path: \"m-2\"\nall_model_checkpoint_paths: \"m-1\"\n"
           "all_model_checkpoint_paths: \"m-2\"\nall_model_checkpoint_timestamps: 1.5\n"
           "last_preserved_timestamp: 1.0\n");

  ok = ok && Put(out + "/graph_fuzzer", "mnist.ckpt.meta", Slurp(MetaFilename(prefix))) &&
       Put(out + "/graph_fuzzer", "frozen.pb",
           BuildFrozenGraph(model).SerializeAsString());
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace mnist

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fuzz_seeds DIR [SHARED_FIXTURES_DIR]\n");
    return 2;
  }
  return mnist::Main(argv[1], argc > 2 ? argv[2] : "");
}

#include "checkpoints/saver/snapshot.h"

#include <algorithm>
#include <cstring>

#include "checkpoints/state/naming.h"
#include "io/base/file.h"
#include "io/bundle/bundle_writer.h"
#include "io/bundle/proto_serialize.h"

namespace mnist {

void TakeSnapshot(const TrainingState& state, CheckpointSnapshot* snapshot) {
  std::vector<std::string> scratch;
  std::vector<TensorToSave> tensors = TensorsToSave(state, &scratch);
  // TF1's Saver adds tensors sorted by name, so data order = key order.
  std::sort(tensors.begin(), tensors.end(),
            [](const TensorToSave& a, const TensorToSave& b) { return a.name < b.name; });

  // One contiguous buffer, laid out as the data file will be; reused from
  // the last snapshot when the sizes match, so no allocation after the first.
  size_t total = 0;
  for (const TensorToSave& t : tensors) total += t.bytes;
  snapshot->data.resize(total);
  bool same_specs = snapshot->specs.size() == tensors.size();
  snapshot->specs.resize(tensors.size());
  snapshot->offsets.resize(tensors.size());
  size_t offset = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    std::memcpy(&snapshot->data[offset], tensors[i].data, tensors[i].bytes);
    snapshot->offsets[i] = offset;
    SavedTensorSpec& spec = snapshot->specs[i];
    same_specs = same_specs && spec.name == tensors[i].name && spec.dtype == tensors[i].dtype &&
                 spec.shape == tensors[i].shape && spec.trainable == tensors[i].trainable;
    spec = {tensors[i].name, tensors[i].dtype, tensors[i].shape, tensors[i].trainable};
    offset += tensors[i].bytes;
  }
  // The .meta depends on the network, the tensor list and max_to_keep only:
  // built again only when they differ from the last snapshot's. Without
  // recorded settings its SaverDef says TF1 Saver's default, 5.
  const int max_to_keep = state.settings.recorded ? static_cast<int>(state.settings.max_to_keep) : 5;
  if (!same_specs || snapshot->meta.empty() || snapshot->meta_max_to_keep != max_to_keep) {
    snapshot->meta.clear();
    snapshot->meta_max_to_keep = max_to_keep;
    if (!SerializeDeterministically(BuildMetaGraph(*state.model, snapshot->specs, max_to_keep),
                                    &snapshot->meta)) {
      snapshot->meta.clear();
    }
  }
}

void SetSnapshotBestValAcc(double best_val_acc, CheckpointSnapshot* snapshot) {
  for (size_t i = 0; i < snapshot->specs.size(); ++i) {
    if (snapshot->specs[i].name == kBestValAccKey) {
      std::memcpy(&snapshot->data[snapshot->offsets[i]], &best_val_acc, sizeof(double));
    }
  }
}

Status WriteSnapshot(const std::string& prefix, const CheckpointSnapshot& snapshot) {
  BundleWriter writer(prefix);
  for (size_t i = 0; i < snapshot.specs.size(); ++i) {
    const size_t end = i + 1 < snapshot.offsets.size() ? snapshot.offsets[i + 1] : snapshot.data.size();
    const char* bytes = snapshot.data.data() + snapshot.offsets[i];
    const size_t n = end - snapshot.offsets[i];
    if (snapshot.specs[i].dtype == tensorflow::DT_STRING) {  // one scalar string
      writer.AddStrings(snapshot.specs[i].name, {}, {std::string(bytes, n)});
      continue;
    }
    writer.Add(snapshot.specs[i].name, snapshot.specs[i].dtype, snapshot.specs[i].shape, bytes, n);
  }
  MNIST_RETURN_IF_ERROR(writer.Finish());
  if (snapshot.meta.empty()) {
    return Status::IOError(MetaFilename(prefix) + ": cannot serialize the MetaGraphDef");
  }
  return WriteFileAtomically(MetaFilename(prefix), snapshot.meta);
}

Status SaveCheckpoint(const std::string& prefix, const TrainingState& state) {
  CheckpointSnapshot snapshot;
  TakeSnapshot(state, &snapshot);
  return WriteSnapshot(prefix, snapshot);
}

}  // namespace mnist

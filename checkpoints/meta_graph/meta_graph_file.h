// Reading the graph of a checkpoint from a file: a `.meta` (a MetaGraphDef,
// as tf.train.Saver writes beside the bundle) or a SavedModel's
// `saved_model.pb` (a SavedModel proto, io/proto/saved_model.proto, whose
// first MetaGraphDef is taken, as freeze_graph --input_saved_model_dir does
// with the default "serve" tags of a one-graph export).
//
// Which of the two a file is comes from its content, not its name: a file
// whose top-level fields are only a SavedModel's, with its schema version
// (field 1, an integer where a MetaGraphDef's field 1 is a message), is a
// SavedModel; any other file is parsed as a MetaGraphDef.
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_CHECKPOINTS_META_GRAPH_META_GRAPH_FILE_H_
#define MNIST_CHECKPOINTS_META_GRAPH_META_GRAPH_FILE_H_

#include <string>

#include "io/base/status.h"
#include "io/proto/meta_graph.pb.h"

namespace mnist {

// The MetaGraphDef `path` holds (import_meta_graph's input). NotFound when
// the file is absent; DataLoss naming the file when it parses as neither a
// MetaGraphDef nor a SavedModel.
StatusOr<tensorflow::MetaGraphDef> ReadMetaGraphFile(const std::string& path);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_META_GRAPH_META_GRAPH_FILE_H_

// `mnist --predict MODEL.pb --images FILE`: import a frozen GraphDef, ours or
// TensorFlow's (nn/graph/graph_import.h), and run it on IDX images, as
// import_graph_def(input_map=..., return_elements=...) + Session.run do.
//
// The images feed the graph's one input (or `--input NAME`) as float pixel
// bytes x `pixel_scale` (by default / 255), batch by batch (nn/graph/graph_runner.h). The returned tensors
// (`--output`, default the graph's sinks) give the class: an integer [N]
// output is taken as the predicted class, else the argmax of the first float
// [N, C] output. With labels, the accuracy and confusion matrix are printed;
// without, one class per line on `out` (pipeable), followed on the same line
// by the softmax row with `probabilities`.
#ifndef MNIST_APP_MODES_PREDICT_H_
#define MNIST_APP_MODES_PREDICT_H_

#include <cstdio>
#include <string>
#include <vector>

#include "data/dataset/batches.h"
#include "io/base/status.h"

namespace mnist {

struct PredictOptions {
  std::string model;                 // the GraphDef file, binary or text
  std::string images;                // IDX images, raw or gzip
  std::string labels;                // IDX labels; empty: print the predictions
  std::string input;                 // the tensor the images feed; empty: the one placeholder
  std::vector<std::string> outputs;  // tensors to return; empty: the sinks
  int batch_size = 0;                // 0: the placeholder's fixed batch, else kEvalBatchSize
  bool probabilities = false;        // print the softmax row after each class
  float pixel_scale = kDefaultPixelScale;  // the graph is fed pixel bytes x this
};

// Runs the prediction; notes (what was imported) go to `err`.
Status RunPredict(const PredictOptions& options, FILE* out, FILE* err);

}  // namespace mnist

#endif  // MNIST_APP_MODES_PREDICT_H_

// `mnist --plot`: draws <ckpt-dir>/metrics.csv as an SVG of the training
// curves (app/pictures/plot_svg.h), highlighting the checkpoints the `checkpoint`
// state file still lists. Training runs it once more when it ends.
#ifndef MNIST_APP_MODES_PLOT_H_
#define MNIST_APP_MODES_PLOT_H_

#include <cstdio>
#include <string>

#include "io/base/status.h"

namespace mnist {

struct PlotOptions {
  std::string ckpt_dir = "ckpt";  // holds metrics.csv and the `checkpoint` state file
  std::string output;             // the SVG to write; "" = <ckpt_dir>/training.svg
};

// Reads, renders and writes the SVG crash-safe, then prints `wrote <path>`
// to `out`. A metrics.csv that is missing, has no rows or does not parse is
// an error naming it (and the line).
Status RunPlot(const PlotOptions& options, FILE* out);

}  // namespace mnist

#endif  // MNIST_APP_MODES_PLOT_H_

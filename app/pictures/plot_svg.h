// The training curves as a self-contained SVG: no scripts, no external
// fonts or images (generic font-family sans-serif), so a browser shows the
// file as it is.
//
// Two panels share the epoch axis: validation accuracy on top, the loss
// below (val_loss, and train_loss with L2), each with ticks, grid lines and
// labels. Every series is a polyline plus one <circle class="point"
// data-series="..."> per epoch; epochs that saved a checkpoint get a ring
// (class "saved"), those still listed in the `checkpoint` state file a gold
// fill (class "kept"), and a dashed line with a label marks the best epoch.
// Values that are not finite (a diverged loss) are left out of their series.
//
// Thread safety: a pure function.
#ifndef MNIST_APP_PICTURES_PLOT_SVG_H_
#define MNIST_APP_PICTURES_PLOT_SVG_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "app/training/metrics_log.h"

namespace mnist {

// The SVG document for `rows` (metrics.csv), titled `source` (the file the
// rows came from); `kept_epochs` are the epochs whose checkpoints are kept.
// REQUIRES: !rows.empty().
std::string RenderTrainingSvg(const std::vector<MetricsRow>& rows,
                              const std::set<int64_t>& kept_epochs, const std::string& source);

}  // namespace mnist

#endif  // MNIST_APP_PICTURES_PLOT_SVG_H_

// What a checkpoint prefix names. A TensorBundle (io/bundle/bundle_format.h) is
// named by its prefix P, the part its files share: P.index and
// P.data-00000-of-00001 (and TensorFlow's P.meta beside them). Users often
// give something else: the directory holding checkpoints, one of the files,
// or a TensorFlow V1 checkpoint, which is one file named exactly P. This says
// which, and what to give instead.
//
// Thread safety: a free function with no shared state.
#ifndef MNIST_IO_BUNDLE_BUNDLE_PREFIX_H_
#define MNIST_IO_BUNDLE_BUNDLE_PREFIX_H_

#include <string>

#include "io/base/status.h"

namespace mnist {

// OK when `<prefix>.index` exists. Otherwise what `prefix` names instead:
//   InvalidArgument  a directory (naming its newest checkpoint's prefix, if
//                    it holds one); a file of checkpoint P, such as P.index
//                    (give P); another file
//   FailedPrecondition  a TensorFlow V1 checkpoint (a format not read)
//   NotFound         nothing: no `<prefix>.index`
Status CheckBundlePrefix(const std::string& prefix);

}  // namespace mnist

#endif  // MNIST_IO_BUNDLE_BUNDLE_PREFIX_H_

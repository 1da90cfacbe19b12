// What a path flag names, checked before a mode does any work, so a wrong
// path is one plain sentence saying what the thing is and what to give
// instead (exit 2), not an operating-system error about a name the user
// never gave: a folder flag (--ckpt-dir, --data-dir) given a file, an output
// flag (--output, --errors, --export-onnx) given a folder or a name whose
// extension says another format. The file a mode writes gets its folder
// created here, so it never fails only after the work is done.
//
// Thread safety: free functions; PrepareOutputFile creates directories.
#ifndef MNIST_APP_MODES_PATH_FLAGS_H_
#define MNIST_APP_MODES_PATH_FLAGS_H_

#include <string>

#include "io/base/status.h"

namespace mnist {

// What --data-dir takes, for CheckFolderFlag.
constexpr char kDataDirTakes[] = "the folder that holds the four IDX files";

// True when `path` ends in `extension` (".svg"), ignoring case.
bool HasExtension(const std::string& path, const std::string& extension);

// InvalidArgument (exit 2) "<path> is a file; <flag> takes <takes>" when `path` exists and is
// not a directory (a missing one is left to the mode).
Status CheckFolderFlag(const std::string& path, const std::string& flag, const std::string& takes);

// InvalidArgument (exit 2) "<path>: no such file; <flag> takes <takes>" when
// nothing is at `path`, "<path> is a directory; <flag> takes <takes>" when a
// directory is: for a flag naming a file to read.
Status CheckInputFileFlag(const std::string& path, const std::string& flag, const std::string& takes);

// For the file `flag` names: InvalidArgument "<path> is a directory; <flag> takes the
// file to write" when it is one; when `extension` is not empty and `path`
// does not end in it, InvalidArgument "<path>: <flag> writes <format>; give a name
// ending in <extension>".
Status CheckOutputName(const std::string& path, const std::string& flag,
                       const std::string& extension = "", const std::string& format = "");

// CheckOutputName, then creates the file's missing folders and checks they
// can be written in (an error naming the folder otherwise): for a mode that
// writes its file only after long work.
Status PrepareOutputFile(const std::string& path, const std::string& flag,
                         const std::string& extension = "", const std::string& format = "");

}  // namespace mnist

#endif  // MNIST_APP_MODES_PATH_FLAGS_H_

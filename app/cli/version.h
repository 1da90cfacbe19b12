// `mnist --version`: the program's version (CMake's PROJECT_VERSION, passed
// in as the compile definition MNIST_VERSION) and the versions of the
// libraries it was built with, as their headers state them, plus the number
// of OpenMP threads a run would use now.
#ifndef MNIST_APP_CLI_VERSION_H_
#define MNIST_APP_CLI_VERSION_H_

#include <string>

namespace mnist {

// "mnist 0.1.0\n" then one "  <library> <version>" line per dependency.
std::string VersionText();

}  // namespace mnist

#endif  // MNIST_APP_CLI_VERSION_H_

// A local HTTP server for the download tests (tests/support/http_server.py
// under Debian's /usr/bin/python3): it serves a directory on 127.0.0.1, on a
// free port, with routes for a transfer cut short and for a file sent
// without its length.
// No test needs the internet.
#ifndef MNIST_TESTS_SUPPORT_HTTP_SERVER_H_
#define MNIST_TESTS_SUPPORT_HTTP_SERVER_H_

#include <memory>
#include <string>

namespace mnist {
namespace testing {

class TempDir;

class LocalHttpServer {
 public:
  // Starts serving `dir`; a failure to start (or to say its port within 30 s)
  // is a test failure, and url() is then empty. The server ends with the
  // object, or after 300 s whatever happens (`timeout`).
  explicit LocalHttpServer(const std::string& dir);
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  // "http://127.0.0.1:PORT/" followed by `route` ("", "cut/", "nolength/").
  std::string url(const std::string& route = "") const;

 private:
  std::unique_ptr<TempDir> said_;  // holds what the server printed
  int pid_ = -1;                   // python3's
  std::string base_;
};

}  // namespace testing
}  // namespace mnist

#endif  // MNIST_TESTS_SUPPORT_HTTP_SERVER_H_

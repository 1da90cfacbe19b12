#include "tests/support/http_server.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "tests/support/test_util.h"

namespace mnist {
namespace testing {

LocalHttpServer::LocalHttpServer(const std::string& dir) : said_(new TempDir) {
  const std::string said = *said_ / "said";
  const std::string command = std::string("timeout 300 /usr/bin/python3 ") +
                              MNIST_HTTP_SERVER_SCRIPT + " '" + dir + "' > '" + said + "' &";
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << "cannot start " << command;
    return;
  }
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::ifstream in(said);  // not there yet until the shell has made it
    line.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::istringstream words(line);
  std::string port_word, port, pid_word;
  if (!(words >> port_word >> port >> pid_word >> pid_) || port_word != "port") {
    ADD_FAILURE() << MNIST_HTTP_SERVER_SCRIPT << " did not start: said \"" << line << "\"";
    return;
  }
  base_ = "http://127.0.0.1:" + port + "/";
}

LocalHttpServer::~LocalHttpServer() {
  if (pid_ > 0) kill(pid_, SIGTERM);  // `timeout` then ends too
}

std::string LocalHttpServer::url(const std::string& route) const {
  return base_.empty() ? "" : base_ + route;
}

}  // namespace testing
}  // namespace mnist

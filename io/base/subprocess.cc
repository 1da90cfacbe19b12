#include "io/base/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mnist {
namespace {

void CloseAll(std::initializer_list<int> fds) {
  for (int fd : fds) {
    if (fd >= 0) ::close(fd);
  }
}

// In the child: wires up stdin/stdout/stderr and execs; on failure reports
// errno through `report` (close-on-exec, so a successful exec closes it).
[[noreturn]] void ExecChild(char* const* argv, int out_fd, int err_fd, int report) {
  const int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(err_fd, STDERR_FILENO);
  ::execvp(argv[0], argv);
  const int err = errno;
  ssize_t ignored = ::write(report, &err, sizeof(err));
  (void)ignored;
  ::_exit(127);
}

}  // namespace

StatusOr<ProgramOutput> RunProgram(const std::vector<std::string>& argv, size_t max_out) {
  const std::string& program = argv.front();
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, report_pipe[2] = {-1, -1};
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0 ||
      ::pipe2(report_pipe, O_CLOEXEC) != 0) {
    const int err = errno;
    CloseAll({out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], report_pipe[0], report_pipe[1]});
    return Status::FromErrno(program, "cannot create pipes", err);
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    CloseAll({out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], report_pipe[0], report_pipe[1]});
    return Status::FromErrno(program, "cannot fork", err);
  }
  if (pid == 0) ExecChild(args.data(), out_pipe[1], err_pipe[1], report_pipe[1]);
  CloseAll({out_pipe[1], err_pipe[1], report_pipe[1]});

  ProgramOutput result;
  bool too_much = false;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof(buffer));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      sinks[i]->append(buffer, static_cast<size_t>(n));
      if (i == 0 && result.out.size() > max_out && !too_much) {
        too_much = true;
        ::kill(pid, SIGKILL);
      }
    }
  }
  for (const pollfd& p : fds) {
    if (p.fd >= 0) ::close(p.fd);
  }

  int exec_errno = 0;
  const ssize_t reported = ::read(report_pipe[0], &exec_errno, sizeof(exec_errno));
  ::close(report_pipe[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (reported == static_cast<ssize_t>(sizeof(exec_errno))) {
    return Status::NotFound(program + ": cannot run: " + std::strerror(exec_errno));
  }
  if (too_much) {
    return Status::DataLoss(program + ": printed more than " + std::to_string(max_out) +
                            " bytes, the most expected; stopped it");
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace mnist

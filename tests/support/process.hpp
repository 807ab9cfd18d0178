#pragma once
// Running real programs from tests: the CLI, peers such as sqlite3 or curl, and
// children that tests kill on purpose.

#include <string>
#include <vector>

#include <sys/types.h>

namespace supportgw::testing {

struct ProgramResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;      // the signal that ended it, if any
  std::string out;
  std::string err;
};

// Runs argv[0] (a path, or a name looked up in PATH) with `argv` and optional extra
// environment entries ("NAME=value"), feeding `input` on stdin; waits for it to end.
ProgramResult run_program(const std::vector<std::string>& argv,
                          const std::vector<std::string>& extra_environment = {},
                          const std::string& input = {});

// A child whose stdout the test reads line by line while it runs, and can kill.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();  // kills (SIGKILL) and reaps a child still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line of stdout without its newline; false at end of output.
  bool read_line(std::string& line);
  void kill(int signal);
  // Waits for the child; returns the wait status.
  int wait();
  // True, with the wait status, when the child has ended (reaps it); false while it runs.
  bool try_wait(int& status);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
  bool reaped_ = false;
};

}  // namespace supportgw::testing

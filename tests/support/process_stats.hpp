#pragma once
// What a running process has cost so far, read from /proc: for benchmarks, whose figures
// per unit of work are steadier than rates on a shared 2-core VM.

#include <sys/types.h>

namespace supportgw::testing {

// CPU seconds (user + system) `pid` has used so far; with `with_children`, also those
// of its live child processes (nginx's workers, for one), 0 when unknown.
double cpu_seconds(pid_t pid, bool with_children = false);

// The peak resident set (VmHWM) of `pid` in KiB, 0 when unknown.
long peak_rss_kib(pid_t pid);

}  // namespace supportgw::testing

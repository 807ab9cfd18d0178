#pragma once
// A TCP port on 127.0.0.1 that was free a moment ago, for a peer the test or benchmark
// starts itself (nginx, vsftpd) and that cannot be told to take port 0. Another process
// may take it in between; callers start the peer at once.

namespace supportgw::testing {

int free_loopback_port();

// Whether something accepts TCP connections on 127.0.0.1:`port` right now (a peer the
// caller started is listening).
bool loopback_accepts(int port);

}  // namespace supportgw::testing

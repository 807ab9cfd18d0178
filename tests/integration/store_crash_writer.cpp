// A child for the crash test: creates tickets from several threads as fast as it can
// and prints each reference only after its create returned (that is, after the commit
// reached the disk). The test kills it with SIGKILL at a random moment.
//
//   store_crash_writer DATABASE THREADS RUN
//
// RUN makes the origin ids of this run distinct from earlier runs on the same file.

#include <unistd.h>

#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/store/sqlite/sqlite_store.hpp"
#include "core/tickets/ticket_operations.hpp"

int main(int argc, char** argv) {
  using namespace supportgw;
  if (argc != 4) {
    std::cerr << "usage: store_crash_writer DATABASE THREADS RUN\n";
    return 2;
  }
  sqlite::SqliteStore store{std::filesystem::path(argv[1])};
  const ReferenceFormat format("CR-{seq:8}");
  const SystemClock clock;
  const Actor actor{"crash-writer", "test"};
  std::mutex print_mutex;
  std::vector<std::thread> threads;
  const int thread_count = std::stoi(argv[2]);
  const std::string run = argv[3];
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      for (long i = 0;; ++i) {
        NewTicket ticket;
        const std::string id = run + "-" + std::to_string(t) + "-" + std::to_string(i);
        ticket.subject = "crash " + id;
        ticket.description = std::string(2000, 'd');  // several pages per commit
        ticket.severity = 1 + static_cast<int>(i % 4);
        ticket.customer.email = "c" + id + "@example.test";
        ticket.origin = Origin{"crash", id};
        ticket.flags = {{"writer", std::to_string(t)}, {"index", std::to_string(i)}};
        const auto created = store.write([&](WriteTransaction& tx) {
          auto made = tickets::create(tx, ticket, format, CivilDate{2026, 1, 1},
                                      CustomerToken::generate(), actor, clock.now());
          tx.enqueue_outbox(
              {made.ticket.id, "mail", ticket.customer.email, "ack", "ack", std::nullopt},
              clock.now());
          return made;
        });
        const std::string line = created.ticket.reference + " " + id + "\n";
        std::lock_guard lock(print_mutex);
        // write(2) straight to the pipe: no stdio buffer can hold an acknowledged line.
        if (write(STDOUT_FILENO, line.data(), line.size()) < 0) {
          return;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
}

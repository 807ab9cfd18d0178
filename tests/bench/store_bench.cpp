// store_bench: how fast the ticket store is, beside the floor set by the disk and a
// bare SQLite doing the same work the naive way. Prints figures; asserts nothing.
//
//   store_bench [--large N] [--seconds S] [--dir PATH]
//
// 1. fsync floor: 4 KiB write + fdatasync, one after the other (what one durable
//    commit at a time can never beat).
// 2. Durable creates/s through the store with 1 and 8 writer threads. Each create is a
//    full ticket (ticket row, flags, created event with its changes, intake key) and
//    returns only after its commit reached the disk. Peer: bare SQLite inserting one
//    row per fsync'd transaction (synchronous=FULL, WAL) from 1 and 8 threads.
// 3. Lookups by reference/s at 10^4 and at N (default 10^6) tickets, 1 and 2 threads,
//    beside bare SQLite's point query on an indexed column of the same table.

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/store/sqlite/sqlite_store.hpp"
#include "core/tickets/ticket_operations.hpp"

namespace {

using namespace supportgw;
using BenchClock = std::chrono::steady_clock;

double seconds_since(BenchClock::time_point start) {
  return std::chrono::duration<double>(BenchClock::now() - start).count();
}

// Runs `work(thread_index)` repeatedly on `threads` threads for `seconds`; returns
// operations per second.
template <class Work>
double rate(int threads, double seconds, Work work) {
  std::atomic<bool> stop{false};
  std::atomic<long> done{0};
  std::vector<std::thread> pool;
  const auto start = BenchClock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      long local = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        work(t, local);
        ++local;
      }
      done += local;
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& thread : pool) {
    thread.join();
  }
  return static_cast<double>(done.load()) / seconds_since(start);
}

double fsync_floor(const std::filesystem::path& dir, double seconds) {
  const auto path = dir / "fsync-probe";
  const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) {
    return 0;
  }
  std::vector<char> page(4096, 'x');
  const double result = rate(1, seconds, [&](int, long i) {
    if (pwrite(fd, page.data(), page.size(), (i % 256) * 4096) < 0 || fdatasync(fd) != 0) {
      std::perror("fsync probe");
    }
  });
  ::close(fd);
  std::filesystem::remove(path);
  return result;
}

NewTicket bench_ticket(const std::string& id) {
  NewTicket ticket;
  ticket.subject = "Benchmark ticket " + id;
  ticket.description = std::string(400, 'd');
  ticket.severity = 2;
  ticket.customer = Customer{"Bench Customer", "Bench Inc", "bench@example.test", "+1 555 0100"};
  ticket.product = "Gateway";
  ticket.product_version = "1.0";
  ticket.origin = Origin{"bench", id};
  ticket.flags = {{"source", "bench"}};
  return ticket;
}

// --- bare SQLite, the peer ----------------------------------------------------------

struct BareSqlite {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* lookup = nullptr;

  explicit BareSqlite(const std::filesystem::path& path) {
    sqlite3_open_v2(path.c_str(), &db,
                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    sqlite3_busy_timeout(db, 60'000);
    sqlite3_exec(db,
                 // The store's own settings, so the ratio shows the store's overhead and
                 // not a configuration difference.
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                 "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;"
                 "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, reference TEXT UNIQUE, "
                 "subject TEXT, description TEXT, customer TEXT, created_at INTEGER);",
                 nullptr, nullptr, nullptr);
    sqlite3_prepare_v2(db,
                       "INSERT INTO t (reference, subject, description, customer, created_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)",
                       -1, &insert, nullptr);
    sqlite3_prepare_v2(
        db, "SELECT id, reference, subject, description, customer FROM t WHERE reference = ?1", -1,
        &lookup, nullptr);
  }
  ~BareSqlite() {
    sqlite3_finalize(insert);
    sqlite3_finalize(lookup);
    sqlite3_close(db);
  }
  void add(const std::string& reference) {
    sqlite3_bind_text(insert, 1, reference.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, "Benchmark ticket", -1, SQLITE_STATIC);
    static const std::string description(400, 'd');
    sqlite3_bind_text(insert, 3, description.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, "Bench Customer", -1, SQLITE_STATIC);
    sqlite3_bind_int64(insert, 5, 0);
    sqlite3_step(insert);
    sqlite3_reset(insert);
  }
  bool find(const std::string& reference) {
    sqlite3_bind_text(lookup, 1, reference.c_str(), -1, SQLITE_TRANSIENT);
    const bool found = sqlite3_step(lookup) == SQLITE_ROW;
    sqlite3_reset(lookup);
    return found;
  }
};

std::string bare_reference(long n) { return "SR-2026-" + std::to_string(1'000'000 + n); }

void bare_fill(const std::filesystem::path& path, long from, long to) {
  BareSqlite bare(path);
  sqlite3_exec(bare.db, "BEGIN", nullptr, nullptr, nullptr);
  for (long n = from; n < to; ++n) {
    bare.add(bare_reference(n));
    if (n % 50'000 == 0) {
      sqlite3_exec(bare.db, "COMMIT; BEGIN", nullptr, nullptr, nullptr);
    }
  }
  sqlite3_exec(bare.db, "COMMIT", nullptr, nullptr, nullptr);
}

// --- the store ----------------------------------------------------------------------

const ReferenceFormat kFormat("SR-{yyyy}-{seq:7}");
constexpr CivilDate kDate{2026, 11, 22};

void store_fill(Store& store, long from, long to) {
  const Actor actor{"bench", "bench"};
  const Timestamp now{};
  constexpr long kChunk = 10'000;
  for (long start = from; start < to; start += kChunk) {
    store.write([&](WriteTransaction& tx) {
      for (long n = start; n < std::min(to, start + kChunk); ++n) {
        tickets::create(tx, bench_ticket("fill-" + std::to_string(n)), kFormat, kDate,
                        CustomerToken::generate(), actor, now);
      }
    });
  }
}

std::string store_reference(long n) {
  return kFormat.render(kDate, static_cast<std::uint64_t>(n + 1));
}

void print(const char* what, double ours, double peer) {
  std::printf("  %-44s %12.0f /s   peer %12.0f /s   ratio %.2f\n", what, ours, peer,
              peer > 0 ? ours / peer : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  long large = 1'000'000;
  double seconds = 3.0;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "supportgw-store-bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--large") {
      large = std::stol(argv[i + 1]);
    } else if (flag == "--seconds") {
      seconds = std::stod(argv[i + 1]);
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    }
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::printf("store_bench: %u cores, folder %s, %.1f s per figure\n",
              std::thread::hardware_concurrency(), dir.c_str(), seconds);

  std::printf("\nfsync floor (4 KiB write + fdatasync, serial): %.0f /s\n",
              fsync_floor(dir, seconds));

  std::printf("\ndurable creates (each acknowledged after its commit was fsynced):\n");
  for (int writers : {1, 8}) {
    sqlite::SqliteStore store(dir / ("creates-" + std::to_string(writers) + ".db"));
    const Actor actor{"bench", "bench"};
    const double ours = rate(writers, seconds, [&](int t, long i) {
      const auto token = CustomerToken::generate();
      store.write([&](WriteTransaction& tx) {
        tickets::create(tx, bench_ticket(std::to_string(t) + "-" + std::to_string(i)), kFormat,
                        kDate, token, actor, Timestamp{});
      });
    });
    const auto commits = store.commit_count();
    const auto bare_path = dir / ("bare-creates-" + std::to_string(writers) + ".db");
    { BareSqlite create_schema(bare_path); }
    std::vector<std::unique_ptr<BareSqlite>> connections;
    for (int t = 0; t < writers; ++t) {
      connections.push_back(std::make_unique<BareSqlite>(bare_path));
    }
    const double peer = rate(writers, seconds, [&](int t, long i) {
      connections[t]->add("B-" + std::to_string(t) + "-" + std::to_string(i));
    });
    const std::string label = std::to_string(writers) + " writer" + (writers > 1 ? "s" : "") +
                              " (" + std::to_string(commits) + " commits)";
    print(label.c_str(), ours, peer);
  }

  std::printf("\nlookups by reference (ticket with its flags, in a read snapshot):\n");
  {
    sqlite::SqliteStore store(dir / "lookups.db");
    const auto bare_path = dir / "bare-lookups.db";
    long filled = 0;
    for (long size : {10'000L, large}) {
      const auto fill_start = BenchClock::now();
      store_fill(store, filled, size);
      bare_fill(bare_path, filled, size);
      std::printf("  (filled to %ld tickets in %.1f s)\n", size, seconds_since(fill_start));
      filled = size;
      for (int readers : {1, 2}) {
        std::vector<std::mt19937_64> randoms;
        for (int t = 0; t < readers; ++t) {
          randoms.emplace_back(42 + t);
        }
        const double ours = rate(readers, seconds, [&](int t, long) {
          const auto reference = store_reference(static_cast<long>(randoms[t]() % size));
          const bool found = store.query(
              [&](ReadTransaction& tx) { return tx.ticket_by_reference(reference).has_value(); });
          if (!found) {
            std::fprintf(stderr, "missing %s\n", reference.c_str());
          }
        });
        std::vector<std::unique_ptr<BareSqlite>> connections;
        for (int t = 0; t < readers; ++t) {
          connections.push_back(std::make_unique<BareSqlite>(bare_path));
        }
        const double peer = rate(readers, seconds, [&](int t, long) {
          connections[t]->find(bare_reference(static_cast<long>(randoms[t]() % size)));
        });
        const std::string label = std::to_string(size) + " tickets, " + std::to_string(readers) +
                                  " reader" + (readers > 1 ? "s" : "");
        print(label.c_str(), ours, peer);
      }
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}

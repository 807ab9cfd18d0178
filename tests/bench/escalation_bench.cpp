// escalation_bench: what the escalation scheduler costs with many open tickets, beside
// a scheduler that asks the database on every step instead. Prints figures; asserts
// nothing.
//
//   escalation_bench [--tickets N] [--dir PATH] [--policy PATH]
//
// The store is filled with open severity-1 tickets under a vendor's policy (NetEx by
// default: a first-response breach after 1 h, ladder steps after 8 h and 24 h, so three
// pending actions a ticket) and measured at 10^4, 10^5 and N (default 10^6) tickets:
// 1. start-up: a fresh store and scheduler over the file; load() timed, with the growth
//    of resident memory it causes;
// 2. a step when nothing is due: run_due(now) per call, beside what a scheduler that
//    polls the database pays per step: the indexed due_actions query through the
//    store, and a count over the schedule without its index (the naive design, which
//    pays for every open ticket on every step);
// 3. a step when 1,000 are due: the one run_due call that fires them, beside a polling
//    scheduler that finds the next 1,000 with the indexed query and fires them the
//    same way (one unit each, submitted together, sharing commits).
// Ratios are peer time / our time: above 1, ours is cheaper.

#include <malloc.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "core/desk/billing.hpp"
#include "core/policy/policy_parser.hpp"
#include "core/sla/escalation_scheduler.hpp"
#include "core/store/sqlite/sqlite_store.hpp"
#include "core/tickets/ticket_operations.hpp"

namespace {

using namespace supportgw;
using namespace std::chrono_literals;
using BenchClock = std::chrono::steady_clock;

constexpr std::size_t kDue = 1'000;
constexpr int kDueRuns = 5;

double seconds_since(BenchClock::time_point start) {
  return std::chrono::duration<double>(BenchClock::now() - start).count();
}

// Nanoseconds per call of `work`: the best of `rounds` batches, each of at least
// `min_calls` calls and `min_seconds` seconds. The best, because other work on a shared
// 2-core machine only ever adds time; one untimed call first, so peers read from a warm
// page cache as our in-memory queue does.
template <class Work>
double best_ns_per_call(int rounds, long min_calls, double min_seconds, Work work) {
  work();
  double best = 0;
  for (int round = 0; round < rounds; ++round) {
    long calls = 0;
    const auto start = BenchClock::now();
    while (calls < min_calls || seconds_since(start) < min_seconds) {
      work();
      ++calls;
    }
    const double ns = seconds_since(start) * 1e9 / static_cast<double>(calls);
    best = round == 0 ? ns : std::min(best, ns);
  }
  return best;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string human_time(double ns) {
  char text[32];
  if (ns < 1e3) {
    std::snprintf(text, sizeof text, "%.0f ns", ns);
  } else if (ns < 1e6) {
    std::snprintf(text, sizeof text, "%.1f us", ns / 1e3);
  } else if (ns < 1e9) {
    std::snprintf(text, sizeof text, "%.1f ms", ns / 1e6);
  } else {
    std::snprintf(text, sizeof text, "%.2f s", ns / 1e9);
  }
  return text;
}

// Private (anonymous) resident memory of this process, KiB (-1 when /proc cannot tell).
// Not VmRSS: the store maps its file, and mapped pages are the OS cache's, not ours.
long rss_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("RssAnon:")) {
      return std::stol(line.substr(8));
    }
  }
  return -1;
}

// When tickets are opened: spread over the 50 minutes from an hour before the measuring
// instant (at least 1 ms apart, so beyond 3 x 10^6 tickets the last open after it), so
// every 1 h first-response breach, the earliest action of a NetEx severity-1 ticket,
// lies after `now`: nothing is due then however many tickets are open, and stepping to
// the k-th earliest breach makes exactly k due (one opening instant per ticket keeps
// due times distinct).
struct Layout {
  Timestamp now = parse_iso8601("2026-03-03T15:00:00Z");  // a Tuesday, 09:00 in Chicago
  Timestamp first_opened = now - 59min;
  std::chrono::milliseconds spacing;

  explicit Layout(long tickets)
      : spacing(std::max(std::chrono::milliseconds(1),
                         std::chrono::milliseconds(50min) / std::max(tickets, 1L))) {}
  Timestamp opened_at(long i) const { return first_opened + i * spacing; }
};

NewTicket outage(long i) {
  NewTicket ticket;
  ticket.subject = "System down at site " + std::to_string(i);
  ticket.description = "The product is down; nothing runs since the last restart.";
  ticket.severity = 1;
  ticket.customer = Customer{"Bench Customer", "Bench Inc", "bench@customer.test", "+1 555 0100"};
  ticket.product = "USER-Access";
  ticket.product_version = "5.1";
  return ticket;
}

// Opens tickets [from, to) as TicketDesk::create does (after-hours flags, billing
// group, the ticket, its clocks and ladder) minus the after-hours page, but 10,000 to
// a unit of work: one commit (and fsync) per ticket would make the fill, not the
// measurement, the slow part.
void fill(Store& store, const sla::SlaEngine& engine, const Layout& layout, long from, long to) {
  const policy::Policy& policy = engine.policy();
  const ReferenceFormat format(policy.vendor.reference_format);
  const auto& hours = engine.calendars().get(policy.after_hours.calendar);
  const Actor actor{"bench", "bench"};
  constexpr long kUnit = 10'000;
  for (long start = from; start < to; start += kUnit) {
    store.write([&](WriteTransaction& tx) {
      for (long i = start; i < std::min(to, start + kUnit); ++i) {
        const Timestamp opened = layout.opened_at(i);
        NewTicket ticket = outage(i);
        const policy::AfterHoursRule* rule = nullptr;
        if (!hours.is_open(opened)) {
          rule = &policy.after_hours.rule_for(ticket.severity);
          for (const auto& [flag, value] : rule->set_flags) {
            ticket.flags[flag] = value;
          }
        }
        ticket.billing_group =
            choose_billing_group(policy.billing, ticket, rule != nullptr).value_or("");
        const auto created =
            tickets::create(tx, ticket, format, engine.calendars().vendor_zone().local_date(opened),
                            CustomerToken::generate(), actor, opened);
        engine.ticket_opened(tx, created.ticket, opened);
      }
    });
  }
}

// The naive peer: counts due actions over the whole schedule table, bypassing the
// partial index, on its own read-only connection to the same file.
class UnindexedScan {
 public:
  explicit UnindexedScan(const std::filesystem::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db_,
                           "SELECT count(*) FROM schedule NOT INDEXED "
                           "WHERE status = 'pending' AND due_at <= ?1",
                           -1, &scan_, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), sqlite3_errmsg(db_));
      std::exit(1);
    }
  }
  ~UnindexedScan() {
    sqlite3_finalize(scan_);
    sqlite3_close(db_);
  }
  UnindexedScan(const UnindexedScan&) = delete;
  UnindexedScan& operator=(const UnindexedScan&) = delete;

  long due(Timestamp at) {
    sqlite3_bind_int64(scan_, 1, at.time_since_epoch().count());
    const long count = sqlite3_step(scan_) == SQLITE_ROW ? sqlite3_column_int64(scan_, 0) : -1;
    sqlite3_reset(scan_);
    return count;
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* scan_ = nullptr;
};

// Opening a ticket reads every action the ticket ever had (SlaEngine::arm ->
// schedule_share_steps -> ticket_actions, "WHERE ticket_id = ?"), but the schema indexes
// schedule by ticket only for pending rows, so each opening scans the whole schedule and
// the fill is quadratic (~300 tickets/s at 2 x 10^4 tickets; 10^6 would take about a day). Until
// the schema has that index, the bench adds it so the fill can finish, and says so. It
// changes none of the measured queries: load() pages by id, due_actions uses
// schedule_due, the peer's scan bypasses every index. Returns whether it was added.
bool add_missing_schedule_by_ticket_index(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  sqlite3_stmt* plan = nullptr;
  bool scans = false;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(
          db, "EXPLAIN QUERY PLAN SELECT id FROM schedule WHERE ticket_id = ?1 ORDER BY id", -1,
          &plan, nullptr) == SQLITE_OK) {
    while (sqlite3_step(plan) == SQLITE_ROW) {
      const auto* detail = reinterpret_cast<const char*>(sqlite3_column_text(plan, 3));
      scans = scans || (detail != nullptr && std::string(detail).starts_with("SCAN"));
    }
  }
  sqlite3_finalize(plan);
  if (scans && sqlite3_exec(db, "CREATE INDEX bench_schedule_by_ticket ON schedule (ticket_id)",
                            nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), sqlite3_errmsg(db));
    std::exit(1);
  }
  sqlite3_close(db);
  return scans;
}

// A scheduler without a queue: asks the store what is due, then fires it exactly as
// EscalationScheduler::run_due does, so the two differ only in how they find the work.
std::size_t poll_and_fire(Store& store, const sla::SlaEngine& engine, Timestamp now) {
  const auto due = store.query([&](ReadTransaction& tx) { return tx.due_actions(now, kDue); });
  std::vector<bool> fired(due.size(), false);
  std::vector<std::promise<std::exception_ptr>> done(due.size());
  for (std::size_t i = 0; i < due.size(); ++i) {
    store.submit(
        [&, i](WriteTransaction& tx) {
          const auto action = tx.scheduled_action(due[i].id);
          if (action && action->status == ScheduleStatus::pending) {
            engine.fire(tx, *action, now);
            fired[i] = true;
          }
        },
        [&done, i](std::exception_ptr error) { done[i].set_value(error); });
  }
  for (auto& unit : done) {
    if (const auto error = unit.get_future().get()) {
      std::rethrow_exception(error);
    }
  }
  return static_cast<std::size_t>(std::count(fired.begin(), fired.end(), true));
}

struct Row {
  long tickets = 0;
  std::size_t queued = 0;
  double load_s = 0;
  long rss_growth_kib = 0;
  std::optional<Timestamp> next_due;
  double idle_ns = 0;
  double idle_indexed_ns = 0;
  double idle_scan_ns = 0;
  int due_runs = 0;           // each: ours fires 1,000, then the peer the next 1,000
  std::size_t due_fired = 0;  // totals over the runs
  double due_ns = 0;
  std::uint64_t due_commits = 0;
  std::size_t peer_fired = 0;
  double peer_ns = 0;
  std::uint64_t peer_commits = 0;
};

Row measure(const std::filesystem::path& db, const sla::SlaEngine& engine, const Layout& layout,
            long tickets) {
  Row row;
  row.tickets = tickets;
  // Give back what the previous size's queue held, so the growth is this load's alone.
  malloc_trim(0);
  const long rss_before = rss_kib();
  sqlite::SqliteStore store(db);
  sla::EscalationScheduler scheduler(store, engine);
  const auto load_start = BenchClock::now();
  row.queued = scheduler.load();
  row.load_s = seconds_since(load_start);
  row.rss_growth_kib = rss_kib() - rss_before;
  row.next_due = scheduler.next_due();

  std::size_t fired_when_idle = 0;
  row.idle_ns = best_ns_per_call(5, 100'000, 0,
                                 [&] { fired_when_idle += scheduler.run_due(layout.now).size(); });
  if (fired_when_idle != 0) {
    std::printf("  (!) %zu actions were due at the measuring instant\n", fired_when_idle);
  }
  row.idle_indexed_ns = best_ns_per_call(5, 100, 0.2, [&] {
    store.query([&](ReadTransaction& tx) { return tx.due_actions(layout.now, kDue).size(); });
  });
  UnindexedScan scan(db);
  row.idle_scan_ns = best_ns_per_call(3, 2, 0.5, [&] { scan.due(layout.now); });

  // Each run takes the next 2 x 1,000 pending actions (fired actions stay fired, so
  // every run starts from later tickets): one block for us, the next for the peer. Who
  // goes first alternates, because the first warms pages the second then finds cached.
  // Such a step waits for a few commits (fsyncs, now and then a WAL checkpoint), so it
  // moves with the disk: the median of a few runs is shown.
  std::vector<double> ours;
  std::vector<double> peers;
  const auto run_ours = [&](Timestamp at) {
    const auto commits = store.commit_count();
    const auto start = BenchClock::now();
    row.due_fired += scheduler.run_due(at).size();
    ours.push_back(seconds_since(start) * 1e9);
    row.due_commits += store.commit_count() - commits;
  };
  const auto run_peer = [&](Timestamp at) {
    const auto commits = store.commit_count();
    const auto start = BenchClock::now();
    row.peer_fired += poll_and_fire(store, engine, at);
    peers.push_back(seconds_since(start) * 1e9);
    row.peer_commits += store.commit_count() - commits;
  };
  for (int run = 0; run < kDueRuns; ++run) {
    const auto ahead = store.query(
        [&](ReadTransaction& tx) { return tx.due_actions(layout.now + 24h * 3650, 2 * kDue); });
    if (ahead.size() < 2 * kDue) {
      break;
    }
    const Timestamp first = ahead[kDue - 1].due_at;
    const Timestamp second = ahead[2 * kDue - 1].due_at;
    // Our queue still holds what the peer fired; it is let go (found done, not fired)
    // untimed, so our timed step pays only for its own 1,000.
    if (run % 2 == 0) {
      run_ours(first);
      run_peer(second);
      scheduler.run_due(second);
    } else {
      run_peer(first);
      scheduler.run_due(first);
      run_ours(second);
    }
  }
  row.due_runs = static_cast<int>(ours.size());
  if (row.due_runs > 0) {
    row.due_ns = median(ours);
    row.peer_ns = median(peers);
  }
  return row;
}

void print_tables(const std::vector<Row>& rows, const Layout& layout) {
  std::printf(
      "\nstart-up: a fresh store and scheduler over the file (in the OS cache: just "
      "written)\n");
  std::printf("  %12s %14s %10s %12s %12s %13s\n", "open tickets", "actions queued", "load()",
              "actions/s", "anon growth", "bytes/action");
  for (const Row& row : rows) {
    std::printf("  %12ld %14zu %10.3f %10.2f M %9.1f MiB %13.0f\n", row.tickets, row.queued,
                row.load_s, static_cast<double>(row.queued) / row.load_s / 1e6,
                static_cast<double>(row.rss_growth_kib) / 1024.0,
                row.queued > 0 ? static_cast<double>(row.rss_growth_kib) * 1024.0 /
                                     static_cast<double>(row.queued)
                               : 0.0);
  }

  std::printf(
      "\nstep with nothing due: time per call, best of several batches (run_due: 5 x 100,000)\n");
  std::printf("  %12s %16s %14s | %20s %9s | %15s %9s\n", "open tickets", "next due in",
              "run_due(now)", "indexed due_actions", "ratio", "unindexed scan", "ratio");
  for (const Row& row : rows) {
    const std::string next = row.next_due
                                 ? std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                      *row.next_due - layout.now)
                                                      .count()) +
                                       " s"
                                 : "nothing queued";
    std::printf("  %12ld %16s %14s | %20s %8.0fx | %15s %8.0fx\n", row.tickets, next.c_str(),
                human_time(row.idle_ns).c_str(), human_time(row.idle_indexed_ns).c_str(),
                row.idle_indexed_ns / row.idle_ns, human_time(row.idle_scan_ns).c_str(),
                row.idle_scan_ns / row.idle_ns);
  }

  std::printf(
      "\nstep with 1,000 due: the one call that fires them, one unit each, group-committed "
      "(median of %d runs)\n",
      kDueRuns);
  std::printf("  %12s %9s %10s %11s %12s | %28s %12s %6s\n", "open tickets", "fired/run", "run_due",
              "actions/s", "commits/run", "polling: query + same firing", "commits/run", "ratio");
  for (const Row& row : rows) {
    if (row.due_runs == 0) {
      std::printf("  %12ld  (fewer than %zu pending actions: not measured)\n", row.tickets,
                  2 * kDue);
      continue;
    }
    const double runs = row.due_runs;
    std::printf("  %12ld %9.0f %10s %11.0f %12.1f | %15s (%4.0f fired) %12.1f %5.2fx\n",
                row.tickets, static_cast<double>(row.due_fired) / runs,
                human_time(row.due_ns).c_str(),
                static_cast<double>(row.due_fired) / runs / (row.due_ns / 1e9),
                static_cast<double>(row.due_commits) / runs, human_time(row.peer_ns).c_str(),
                static_cast<double>(row.peer_fired) / runs,
                static_cast<double>(row.peer_commits) / runs, row.peer_ns / row.due_ns);
  }
}

}  // namespace

int main(int argc, char** argv) {
  long tickets = 1'000'000;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "supportgw-escalation-bench";
  std::string policy_path = SUPPORTGW_BENCH_POLICY;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--tickets") {
      tickets = std::stol(argv[i + 1]);
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    } else if (flag == "--policy") {
      policy_path = argv[i + 1];
    } else {
      std::fprintf(stderr, "usage: escalation_bench [--tickets N] [--dir PATH] [--policy PATH]\n");
      return 2;
    }
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto db = dir / "tickets.db";
  { sqlite::SqliteStore create_schema(db); }
  const bool index_added = add_missing_schedule_by_ticket_index(db);

  const policy::Policy policy = policy::load_policy(policy_path);
  const sla::CalendarSet calendars(policy);
  const sla::SlaEngine engine(policy, calendars);
  const Layout layout(tickets);
  // Other work on the machine moves every figure; say how busy it was.
  std::string load_1, load_5, load_15;
  std::ifstream("/proc/loadavg") >> load_1 >> load_5 >> load_15;
  const std::string load_average = load_1 + " " + load_5 + " " + load_15;
  std::printf("escalation_bench: %u cores (load average %s), folder %s\n",
              std::thread::hardware_concurrency(), load_average.c_str(), dir.c_str());
  std::printf("policy %s; severity-1 tickets opened one every %lld ms from %s; now = %s\n",
              policy_path.c_str(), static_cast<long long>(layout.spacing.count()),
              format_utc(layout.first_opened).c_str(), format_utc(layout.now).c_str());

  if (index_added) {
    std::printf(
        "NOTE: the schema has no index on schedule(ticket_id) for all rows; opening a ticket\n"
        "      scans the whole schedule (SlaEngine::arm -> ticket_actions). This run adds\n"
        "      bench_schedule_by_ticket so the fill finishes; fix it in the schema.\n");
  }

  std::vector<long> sizes;
  for (long size : {10'000L, 100'000L}) {
    if (size < tickets) {
      sizes.push_back(size);
    }
  }
  sizes.push_back(tickets);

  std::vector<Row> rows;
  long filled = 0;
  for (long size : sizes) {
    const auto fill_start = BenchClock::now();
    {
      sqlite::SqliteStore store(db);
      fill(store, engine, layout, filled, size);
    }
    const double fill_s = seconds_since(fill_start);
    std::printf("filled %ld -> %ld tickets in %.1f s (%.0f tickets/s, 10,000 a commit)\n", filled,
                size, fill_s, static_cast<double>(size - filled) / fill_s);
    std::fflush(stdout);
    filled = size;
    rows.push_back(measure(db, engine, layout, size));
  }
  print_tables(rows, layout);
  std::filesystem::remove_all(dir);
  return 0;
}

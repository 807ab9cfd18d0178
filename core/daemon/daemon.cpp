#include "core/daemon/daemon.hpp"

#include <malloc.h>
#include <spdlog/logger.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>

#include "core/daemon/logging.hpp"
#include "core/daemon/policy_bundle.hpp"
#include "core/daemon/ready_file.hpp"
#include "core/gateway/gateway_config.hpp"
#include "core/host/channel_host.hpp"
#include "core/intake/intake_form.hpp"
#include "core/outbox/outbox_dispatcher.hpp"
#include "core/store/sqlite/sqlite_store.hpp"
#include "core/tickets/upload_retention.hpp"
#include "core/util/error.hpp"

namespace supportgw::daemon {

namespace {

using namespace std::chrono_literals;

// Where plugins are when gateway.toml names no folder: $SUPPORTGW_PLUGIN_DIR, else the
// installed layout beside the program (bin/../lib/supportgw/plugins), else the build
// tree this program was built in.
std::filesystem::path default_plugin_dir() {
  if (const char* folder = std::getenv("SUPPORTGW_PLUGIN_DIR"); folder != nullptr && *folder) {
    return folder;
  }
  std::error_code error;
  const auto program = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const auto installed = program.parent_path().parent_path() / "lib" / "supportgw" / "plugins";
    if (std::filesystem::is_directory(installed, error)) {
      return installed;
    }
  }
  return SUPPORTGW_BUILD_PLUGIN_DIR;
}

std::filesystem::path state_dir_of(const DaemonOptions& options,
                                   const gateway::GatewayConfig& config) {
  std::filesystem::path dir = !options.state_dir.empty() ? options.state_dir : config.state_dir;
  if (dir.empty()) {
    throw InvalidArgument(config.file.string() +
                          ": no state directory: give --state-dir DIR or state_dir in the file");
  }
  return std::filesystem::absolute(dir).lexically_normal();
}

void create_private_dir(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw StoreError("cannot create " + dir.string() + ": " + error.message());
  }
}

class Daemon final : public host::GatewayServices {
 public:
  explicit Daemon(const DaemonOptions& options)
      : options_(options),
        config_(gateway::load_gateway_config(options.config_file)),
        state_dir_(state_dir_of(options, config_)),
        logging_(!options.log_format.empty() ? options.log_format : config_.log_format,
                 !options.log_level.empty() ? options.log_level : config_.log_level),
        log_(logging_.make("daemon")) {}

  int run();

  // GatewayServices
  void submit(sdk::InboundMessage message, IntakeDone done) override {
    auto bundle = current();
    // The bundle rides along: a reload while this waits for its commit keeps it alive.
    bundle->intake.submit_async(
        std::move(message),
        [bundle, done = std::move(done)](std::exception_ptr error, sdk::IntakeResult result) {
          done(error, std::move(result));
        });
  }
  Store& store() override { return *store_; }
  void change_ticket(std::string reference, StaffChange change, Actor actor,
                     TicketDesk::ChangeDone done) override {
    auto bundle = current();
    // As for submit(): the bundle stays alive until the change committed.
    bundle->desk.change_async(
        std::move(reference), std::move(change), std::move(actor),
        [bundle, done = std::move(done)](std::exception_ptr error, Ticket ticket) {
          done(error, std::move(ticket));
        });
  }
  void outbox_changed() override { wake(); }
  std::string vendor_name() const override { return current()->policy.vendor.name; }
  std::string language() const override { return current()->policy.vendor.language; }
  std::string severity_name(int level) const override {
    const auto bundle = current();
    for (const auto& severity : bundle->policy.severities) {
      if (severity.level == level) {
        return severity.name;
      }
    }
    return std::to_string(level);
  }
  sdk::PolicyView policy_view() const override {
    const auto bundle = current();
    sdk::PolicyView view{bundle->policy.vendor.name, bundle->policy.vendor.language, {}};
    for (const auto& severity : bundle->policy.severities) {
      view.severities.push_back({severity.level, severity.name, severity.definition});
    }
    return view;
  }
  sdk::IntakeForm intake_form() const override { return intake::intake_form_of(current()->policy); }
  std::vector<policy::StatusComponent> status_components() const override {
    return current()->policy.status_components;
  }
  std::chrono::minutes reopen_window() const override {
    return current()->policy.intake.reopen_window;
  }
  std::string escalation_step_label(int level, int step) const override {
    const auto bundle = current();
    for (const auto& severity : bundle->policy.severities) {
      const auto& steps = severity.escalation.steps;
      if (severity.level == level && step >= 0 && step < static_cast<int>(steps.size()) &&
          !steps[static_cast<std::size_t>(step)].label.empty()) {
        return steps[static_cast<std::size_t>(step)].label;
      }
    }
    return "step " + std::to_string(step + 1);
  }
  std::chrono::minutes upload_token_lifetime() const override {
    return current()->policy.uploads.token_lifetime;
  }

 private:
  std::shared_ptr<PolicyBundle> current() const {
    std::lock_guard lock(bundle_mutex_);
    return bundle_;
  }
  std::shared_ptr<PolicyBundle> build_bundle();
  void install(std::shared_ptr<PolicyBundle> bundle);
  void reload_policy();
  void start_io();
  void stop_io();
  void housekeeping();
  void wake();
  void watch_signals();
  void shutdown();

  DaemonOptions options_;
  gateway::GatewayConfig config_;
  std::filesystem::path state_dir_;
  Logging logging_;
  std::shared_ptr<spdlog::logger> log_;
  SystemClock clock_;
  std::unique_ptr<sqlite::SqliteStore> store_;

  mutable std::mutex bundle_mutex_;
  std::shared_ptr<PolicyBundle> bundle_;

  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> io_threads_;
  std::optional<boost::asio::signal_set> signals_;

  std::unique_ptr<OutboxDispatcher> dispatcher_;
  std::unique_ptr<host::ChannelHost> host_;

  std::thread housekeeper_;
  std::mutex wake_mutex_;
  std::condition_variable wake_cv_;
  bool woken_ = false;
  bool housekeeping_stopping_ = false;

  std::mutex control_mutex_;
  std::condition_variable control_cv_;
  std::deque<int> received_signals_;
};

std::shared_ptr<PolicyBundle> Daemon::build_bundle() {
  auto bundle = load_policy_bundle(config_.policy_file, *store_, clock_);
  PolicyBundle* raw = bundle.get();
  // What a commit scheduled goes to the queue of the bundle that made it; a reload's new
  // scheduler finds stragglers of the old one in the store (poll_store).
  bundle->intake.set_listener([this, raw](const sla::NewActions& actions) {
    raw->scheduler.add(actions);
    wake();
  });
  bundle->desk.set_listener([this, raw](const sla::NewActions& actions) {
    raw->scheduler.add(actions);
    wake();
  });
  const std::size_t queued = bundle->scheduler.load();
  log_->info("policy {} ({}): {} severities; {} escalation actions pending",
             config_.policy_file.string(), bundle->policy.vendor.name,
             bundle->policy.severities.size(), queued);
  return bundle;
}

void Daemon::install(std::shared_ptr<PolicyBundle> bundle) {
  std::lock_guard lock(bundle_mutex_);
  bundle_ = std::move(bundle);
}

void Daemon::reload_policy() {
  log_->info("SIGHUP: reloading the policy {}", config_.policy_file.string());
  try {
    install(build_bundle());
    wake();
    log_->info("policy reloaded");
  } catch (const std::exception& error) {
    log_->error("policy reload refused, the policy in force stays: {}", error.what());
  }
}

void Daemon::wake() {
  {
    std::lock_guard lock(wake_mutex_);
    woken_ = true;
  }
  wake_cv_.notify_one();
}

// Fires due escalations and hands due outbox rows to senders. Woken by commits that
// schedule or enqueue something; otherwise it looks at least once a second, which also
// picks up what a CLI beside the daemon scheduled.
void Daemon::housekeeping() {
  auto last_poll = std::chrono::steady_clock::now();
  // Retention runs at start and then once a minute: it is measured in days.
  std::optional<std::chrono::steady_clock::time_point> last_retention;
  // Messages no channel can carry (no mail channel configured, say) wait untouched in
  // the outbox; said at start and every ten minutes while there are any.
  std::optional<std::chrono::steady_clock::time_point> last_unrouted_report;
  std::unique_lock lock(wake_mutex_);
  while (!housekeeping_stopping_) {
    woken_ = false;
    lock.unlock();
    std::chrono::milliseconds wait = 1s;
    try {
      const auto bundle = current();
      if (std::chrono::steady_clock::now() - last_poll >= 1s) {
        bundle->scheduler.poll_store();
        last_poll = std::chrono::steady_clock::now();
      }
      const auto fired = bundle->scheduler.run_due(clock_.now());
      if (!fired.empty()) {
        log_->info("fired {} due escalation action(s)", fired.size());
      }
      dispatcher_->dispatch_due();
      if (!last_retention || std::chrono::steady_clock::now() - *last_retention >= 60s) {
        last_retention = std::chrono::steady_clock::now();
        const auto swept = tickets::sweep_upload_retention(
            *store_, bundle->policy.uploads.retention, clock_.now());
        if (swept.files > 0) {
          log_->info("retention: deleted {} file(s) of {} closed ticket(s)", swept.files,
                     swept.tickets);
        }
        for (const std::string& problem : swept.problems) {
          log_->error("retention: {}", problem);
        }
      }
      if (!last_unrouted_report ||
          std::chrono::steady_clock::now() - *last_unrouted_report >= 10min) {
        last_unrouted_report = std::chrono::steady_clock::now();
        for (const auto& [kind, count] : dispatcher_->waiting_for_a_channel()) {
          log_->warn(
              "outbox: {} '{}' message(s) wait for a channel that carries '{}' messages; "
              "they are sent once one is configured",
              count, kind, kind);
        }
      }
      if (const auto next = bundle->scheduler.next_due()) {
        wait =
            std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(*next - clock_.now()),
                       std::chrono::milliseconds(0), wait);
      }
    } catch (const std::exception& error) {
      log_->error("housekeeping: {}", error.what());
    }
    lock.lock();
    wake_cv_.wait_for(lock, wait, [this] { return woken_ || housekeeping_stopping_; });
  }
}

void Daemon::watch_signals() {
  signals_->async_wait([this](const boost::system::error_code& error, int number) {
    if (error) {
      return;  // cancelled at stop
    }
    {
      std::lock_guard lock(control_mutex_);
      received_signals_.push_back(number);
    }
    control_cv_.notify_one();
    watch_signals();
  });
}

void Daemon::start_io() {
  work_.emplace(io_.get_executor());
  signals_.emplace(io_, SIGINT, SIGTERM, SIGHUP);
  watch_signals();
  for (int i = 0; i < config_.threads; ++i) {
    io_threads_.emplace_back([this] {
      for (;;) {
        try {
          io_.run();
          return;
        } catch (const std::exception& error) {
          log_->error("an io handler threw: {}", error.what());
        }
      }
    });
  }
}

void Daemon::stop_io() {
  if (signals_) {
    boost::system::error_code ignored;
    signals_->cancel(ignored);
  }
  work_.reset();
  io_.stop();
  for (auto& thread : io_threads_) {
    thread.join();
  }
  io_threads_.clear();
}

int Daemon::run() {
  create_private_dir(state_dir_);
  create_private_dir(state_dir_ / "channels");
  log_->info("supportgw {} starting: config {}, state {}", SUPPORTGW_VERSION, config_.file.string(),
             state_dir_.string());

  sqlite::SqliteStoreOptions store_options;
  store_options.path = database_in(state_dir_);
  store_ = std::make_unique<sqlite::SqliteStore>(store_options);
  install(build_bundle());

  OutboxDispatcher::Options outbox_options;
  outbox_options.first_retry = config_.outbox_first_retry;
  outbox_options.max_retry = config_.outbox_max_retry;
  outbox_options.max_attempts = config_.outbox_max_attempts;
  dispatcher_ = std::make_unique<OutboxDispatcher>(*store_, clock_, outbox_options);
  dispatcher_->set_listener([this](const OutboxSettled& settled) {
    if (settled.outcome == OutboxSettled::Outcome::sent) {
      log_->info("outbox #{} ({}) delivered, attempt {}", settled.id, settled.kind,
                 settled.attempt);
    } else {
      log_->warn("outbox #{} ({}) attempt {} not delivered: {}", settled.id, settled.kind,
                 settled.attempt, settled.error);
    }
    wake();
  });

  start_io();
  const std::filesystem::path plugin_dir =
      config_.plugin_dir.empty() ? default_plugin_dir() : config_.plugin_dir;
  host::ChannelHost::Options host_options;
  host_options.plugin_dir = plugin_dir;
  host_options.storage_root = state_dir_ / "channels";
  host_options.executor = io_.get_executor();
  host_options.suggested_threads = config_.threads;
  host_options.make_logger = [this](const std::string& name) { return logging_.make(name); };
  host_ = std::make_unique<host::ChannelHost>(host_options, *this);
  std::vector<host::ChannelHost::Spec> specs;
  for (const gateway::ChannelConfig& channel : config_.channels) {
    specs.push_back(
        {channel.name, channel.plugin, channel.optional, channel.settings, channel.where});
  }
  try {
    host_->start(specs);
  } catch (...) {
    host_.reset();
    stop_io();
    throw;
  }
  for (const auto& offered : host_->senders()) {
    try {
      dispatcher_->add_sender(offered.kind, offered.sender,
                              [executor = offered.executor](std::function<void()> work) {
                                boost::asio::post(executor, std::move(work));
                              });
      log_->info("channel '{}' carries outbound '{}' messages", offered.channel, offered.kind);
    } catch (const InvalidArgument&) {
      log_->warn(
          "channel '{}' also offers '{}' messages; the first channel that offers them "
          "carries them",
          offered.channel, offered.kind);
    }
  }
  housekeeper_ = std::thread([this] { housekeeping(); });

  ReadyInfo ready;
  ready.state_dir = state_dir_;
  ready.database = database_in(state_dir_);
  for (const auto& running : host_->running()) {
    ready.channels[running.name] = running.endpoints;
  }
  for (const auto& skipped : host_->skipped()) {
    ready.skipped[skipped.name] = skipped.reason;
  }
  if (!options_.ready_file.empty()) {
    write_ready_file(options_.ready_file, ready);
  }
  log_->info("ready: {} channel(s) running, {} skipped; database {}", ready.channels.size(),
             ready.skipped.size(), ready.database.string());

  for (;;) {
    std::unique_lock lock(control_mutex_);
    control_cv_.wait(lock, [this] { return !received_signals_.empty(); });
    const int number = received_signals_.front();
    received_signals_.pop_front();
    lock.unlock();
    if (number == SIGHUP) {
      reload_policy();
      continue;
    }
    log_->info("{}: draining and stopping", number == SIGINT ? "SIGINT" : "SIGTERM");
    break;
  }
  shutdown();
  if (!options_.ready_file.empty()) {
    std::error_code ignored;
    std::filesystem::remove(options_.ready_file, ignored);
  }
  log_->info("stopped");
  return 0;
}

void Daemon::shutdown() {
  // 1. No new deliveries; let those in flight finish while their channels still run.
  {
    std::lock_guard lock(wake_mutex_);
    housekeeping_stopping_ = true;
  }
  wake_cv_.notify_one();
  housekeeper_.join();
  if (!dispatcher_->wait_idle_for(config_.drain_timeout)) {
    log_->warn(
        "{} outbox message(s) still in flight after {} ms; they stay pending and go "
        "out after the next start",
        dispatcher_->in_flight(), config_.drain_timeout.count());
  }
  dispatcher_->clear_senders();
  // 2. Channels, last started first; each finishes its requests in flight.
  host_->stop();
  // 3. Threads, then what they used.
  stop_io();
  dispatcher_.reset();
  host_.reset();
}

}  // namespace

std::filesystem::path database_in(const std::filesystem::path& state_dir) {
  return state_dir / "supportgw.db";
}

int serve(const DaemonOptions& options) {
  // glibc gives a thread arena's free top back to the kernel (madvise) whenever a chunk
  // of 64 KiB or more is freed, and the next allocation faults the pages in again. The
  // store's writer does that on every unit (SQLite's temporary b-trees open and close a
  // page cache), and each madvise flushes the TLB of every core: a third of the writer's
  // time under load. A fixed threshold keeps up to 32 MiB of free top per arena mapped;
  // blocks over the (now fixed) 128 KiB mmap threshold are still unmapped when freed, so
  // large upload buffers do not stay resident.
  ::mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
  ::mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  sqlite::SqliteStore::configure_process();
  Daemon daemon(options);
  return daemon.run();
}

}  // namespace supportgw::daemon

#pragma once
// The ChannelContext one channel instance gets: its name, settings, logger, executor
// and storage folder, and the gateway's services reached through them.
//
// submit() and attach() complete on the host's io threads; an exception a plugin's
// completion throws is caught and logged there, so it cannot end an io thread. After
// close() every new submit or attach is answered `unavailable` at once (the daemon is
// stopping).

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "core/host/gateway_services.hpp"
#include "core/host/ticket_view_cache.hpp"
#include "supportgw/sdk/channel_context.hpp"

namespace supportgw::host {

class ChannelContextImpl final : public sdk::ChannelContext {
 public:
  ChannelContextImpl(std::string name, sdk::Settings settings, std::filesystem::path storage_dir,
                     std::shared_ptr<spdlog::logger> logger,
                     boost::asio::any_io_executor completions, int suggested_threads,
                     GatewayServices& services);

  const std::string& channel_name() const override { return name_; }
  const sdk::Settings& settings() const override { return settings_; }
  std::shared_ptr<spdlog::logger> logger() const override { return logger_; }
  int suggested_threads() const override { return suggested_threads_; }
  const std::filesystem::path& storage_dir() const override { return storage_dir_; }

  void submit(sdk::InboundMessage message, SubmitDone done) override;
  void attach(sdk::AttachRequest request, AttachDone done) override;
  void attach_vouched(sdk::AttachRequest request, AttachDone done) override;
  sdk::Result<sdk::TicketView> find_ticket(std::string_view reference) override;
  sdk::Result<sdk::TicketView> find_ticket_for_upload(std::string_view reference,
                                                      std::string_view token) override;
  sdk::Result<sdk::TicketView> find_ticket(std::string_view reference,
                                           std::string_view token) override;
  std::string policy_language() const override { return services_.language(); }
  std::string vendor_name() const override { return services_.vendor_name(); }
  sdk::PolicyView policy() const override { return services_.policy_view(); }
  sdk::IntakeForm intake_form() const override { return services_.intake_form(); }
  void annotate(std::string reference, std::string text, AnnotateDone done) override;
  sdk::Result<std::string> check_api_key(std::string_view key) override;
  sdk::Result<std::vector<sdk::MetricSample>> gateway_metrics() override;
  sdk::Result<sdk::TicketPage> list_tickets(const sdk::TicketQuery& query) override;

  // The status page and incidents (SDK 1.3): channel_context_incidents.cpp.
  sdk::Result<sdk::ServiceStatus> service_status() override;
  sdk::Result<sdk::IncidentPage> list_incidents(const sdk::IncidentQuery& query) override;
  sdk::Result<std::vector<sdk::IncidentView>> ticket_incidents(std::string_view reference) override;
  sdk::Result<sdk::IncidentView> incident(std::string_view id) override;
  void create_incident(sdk::NewIncident incident, IncidentDone done) override;
  void update_incident(sdk::IncidentChange change, IncidentDone done) override;

  // Staff changes and the escalations due (SDK 1.3): channel_context_staff.cpp.
  void change_ticket(sdk::TicketChange change, ChangeDone done) override;
  sdk::Result<std::vector<sdk::EscalationDue>> escalations_due(
      std::chrono::system_clock::time_point before, std::size_t limit) override;

  // Refuse new work from now on.
  void close() { closed_ = true; }
  // Blocks until every submit and attach handed in has completed and its completion —
  // a callable the plugin made — has been destroyed. The plugin's library may be
  // unloaded only after that: a completion destroyed on an io thread after the unload
  // would call unmapped code (seen under ASan: the reply reached the client first, the
  // daemon stopped, then the io thread destroyed the std::function).
  void wait_for_completions();

 private:
  // Every asynchronous member counts itself in first; complete() counts it out once the
  // plugin's completion ran and was destroyed.
  void count_in_flight();
  template <class Done, class Value>
  void complete(Done done, Value value);
  // attach() and attach_vouched(): the same checks and transaction, the token checked
  // only when `check_token`.
  void attach_file(sdk::AttachRequest request, AttachDone done, bool check_token);
  // `for_upload`: also denied when the ticket takes no uploads (find_ticket_for_upload).
  sdk::Result<sdk::TicketView> view_of(std::string_view reference, const std::string* token,
                                       bool for_upload = false);
  // The ticket's own fields, without history and files.
  sdk::TicketView summary_of(const Ticket& ticket) const;
  std::string name_;
  sdk::Settings settings_;
  std::filesystem::path storage_dir_;
  std::shared_ptr<spdlog::logger> logger_;
  // The host's own io_context, where plugin completions are called (never a plugin's:
  // see sdk/io_pool.hpp for why the two never share one).
  boost::asio::any_io_executor completions_;
  int suggested_threads_;
  GatewayServices& services_;
  // find_ticket()'s views while the store is unchanged (ticket_view_cache.hpp).
  TicketViewCache views_;
  std::atomic<bool> closed_{false};
  // Submits and attaches whose completion has not yet run and been destroyed.
  struct InFlight {
    std::mutex mutex;
    std::condition_variable idle;
    std::size_t count = 0;
  };
  std::shared_ptr<InFlight> in_flight_ = std::make_shared<InFlight>();
};

// The Status an exception from the core stands for (NotFound -> not_found, ...).
sdk::Status status_from(std::exception_ptr error);
// The `after` of a paged listing (tickets, incidents): the id the previous page's `next`
// gave; nullopt when it is not one.
std::optional<std::int64_t> page_cursor(std::string_view after);

}  // namespace supportgw::host

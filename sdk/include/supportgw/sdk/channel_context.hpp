#pragma once
// What the host gives a channel: the only way a plugin reaches the gateway. There is no
// global registry; everything comes through here.
//
// Lifetime: the context outlives the channel's stop(); a channel may keep a reference to
// it from start() until stop() returns, and no longer.
//
// Threading: every member may be called from any thread. submit() and attach() return at
// once; their completion runs, on a gateway thread, after the transaction holding the
// contact reached the disk — acknowledge the customer (SMTP 250, HTTP 201, FTP 226)
// from there, never before. Keep completions short: post to your own executor (an
// sdk::IoPool, see io_pool.hpp) for anything more. A plugin thread never blocks on the
// store.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "supportgw/sdk/inbound_message.hpp"
#include "supportgw/sdk/metrics.hpp"
#include "supportgw/sdk/policy_view.hpp"
#include "supportgw/sdk/service_status.hpp"
#include "supportgw/sdk/settings.hpp"
#include "supportgw/sdk/status.hpp"
#include "supportgw/sdk/ticket_change.hpp"
#include "supportgw/sdk/ticket_view.hpp"

namespace spdlog {
class logger;
}

namespace supportgw::sdk {

// A file for an existing ticket (an FTP upload, a later web attachment).
struct AttachRequest {
  std::string reference;
  // The customer's token (the FTP server checks it at login and passes it on here).
  std::string token;
  InboundAttachment file;
  // The channel's own id of this upload, for idempotency: the same id twice attaches once.
  std::string origin_id;
  std::string note;  // shown in the history beside the file, may be empty
};

class ChannelContext {
 public:
  using SubmitDone = std::function<void(Result<IntakeResult>)>;
  using AttachDone = std::function<void(Status)>;

  // The channel instance's name in gateway.toml.
  virtual const std::string& channel_name() const = 0;
  // Its [channel.settings] table.
  virtual const Settings& settings() const = 0;
  // A logger named after the channel, writing where the daemon logs (text or JSON).
  virtual std::shared_ptr<spdlog::logger> logger() const = 0;
  // How many io threads the deployment wants a channel to run ([daemon] threads in
  // gateway.toml): the size for the channel's sdk::IoPool.
  virtual int suggested_threads() const = 0;
  // A folder of the channel's own under the state directory, created before start():
  // write uploads there (temporary file, fsync, rename) before handing them in.
  virtual const std::filesystem::path& storage_dir() const = 0;

  // Hands a contact to intake. Errors: invalid_argument (a field over its limit),
  // unavailable (stopping, or the store failed: nothing was kept).
  virtual void submit(InboundMessage message, SubmitDone done) = 0;
  // Attaches a file the channel stored in its storage folder to a ticket, by reference
  // and token. The file stays where it is (the attachment row points at it): do not
  // change or delete it afterwards. The host never reads it into memory. The same
  // origin id twice attaches once. Errors: not_found (no such ticket, or a wrong token),
  // denied (closed), invalid_argument (a file outside the storage folder, a size that
  // does not match, a malformed SHA-256).
  virtual void attach(AttachRequest request, AttachDone done) = 0;

  // Reads (these do not wait for writers; call them from any thread).
  // By reference alone: for a channel that authenticated the customer in its own way.
  virtual Result<TicketView> find_ticket(std::string_view reference) = 0;
  // By reference and token: what a customer may see. A wrong token is not_found, as
  // for a reference that does not exist (compared in constant time).
  virtual Result<TicketView> find_ticket(std::string_view reference, std::string_view token) = 0;

  // The vendor's policy, as a channel needs it to talk to customers.
  virtual std::string policy_language() const = 0;  // "en", "de"
  virtual std::string vendor_name() const = 0;

  // Since SDK 1.1 (appended: keep new members at the end). The policy in force.
  virtual PolicyView policy() const = 0;

  // Since SDK 1.2 (appended). Records an internal note on a ticket after the fact, e.g.
  // an upload's file type and archive entries found once the file was attached. The
  // channel authenticated the customer itself. Errors: not_found (no such ticket),
  // invalid_argument (empty text, or over 64 KiB), unavailable (stopping, store failed).
  using AnnotateDone = std::function<void(Status)>;
  virtual void annotate(std::string reference, std::string text, AnnotateDone done) = 0;
  // Since SDK 1.2 (appended). The fields, products and guidance of the policy in force
  // for a new-ticket form (a snapshot, as policy()).
  virtual IntakeForm intake_form() const = 0;
  // Since SDK 1.2 (appended). Whether `key` is a live API key made with `supportgw apikey
  // create`: its name (for the log). not_found for an unknown or revoked key (looked up
  // by its SHA-256, so the time taken says nothing about the key); unavailable when the
  // store cannot be read. Reads the store: call it from your own threads, not a hot loop.
  virtual Result<std::string> check_api_key(std::string_view key) = 0;
  // Since SDK 1.2 (appended). Tickets by status and severity, intakes by channel,
  // escalation actions, the outbox backlog: one snapshot of the store (it counts whole
  // tables, so serve it to a scraper, not on every request). unavailable when the store
  // cannot be read.
  virtual Result<std::vector<MetricSample>> gateway_metrics() = 0;
  // Since SDK 1.2 (appended). Tickets for the vendor's own tools (a channel that checked
  // the vendor's API key): filtered by status and severity, in pages. Errors:
  // invalid_argument (an unknown status, a malformed `after`, a limit outside 1..500),
  // unavailable (store).
  virtual Result<TicketPage> list_tickets(const TicketQuery& query) = 0;
  // Since SDK 1.3 (appended). For a channel that vouches for the uploader itself (an
  // SFTP drop box the vendor runs, whose files carry no customer token): as attach(),
  // without the token (request.token is ignored). Same errors, except that not_found
  // means only "no such ticket". A closed ticket's file is denied as by attach(), and
  // since nobody else would tell the uploader, the host records the refusal in the
  // ticket's history and mails the customer, once per origin id.
  virtual void attach_vouched(AttachRequest request, AttachDone done) = 0;
  // Since SDK 1.3 (appended). As find_ticket(reference, token), for a channel about to
  // take a file (an FTP login): also denied, with a message to show the customer, when
  // the ticket is closed or the token's upload lifetime (the policy's [uploads]
  // token_lifetime) ran out since it was issued or renewed. attach() checks the same.
  virtual Result<TicketView> find_ticket_for_upload(std::string_view reference,
                                                    std::string_view token) = 0;
  // Since SDK 1.3 (appended). The status page (service_status.hpp): components with their
  // status and the open and recent incidents with their updates. A snapshot of the store
  // and the policy in force. unavailable when the store cannot be read.
  virtual Result<ServiceStatus> service_status() = 0;
  // Since SDK 1.3 (appended). One incident by its id ("INC-42"), any age. not_found,
  // unavailable.
  virtual Result<IncidentView> incident(std::string_view id) = 0;
  // Since SDK 1.3 (appended). Posts an incident and its first update; its completion
  // (like annotate()'s, after the commit reached the disk) gets the incident as stored.
  // Errors: invalid_argument (an unknown component, impact or status, an empty title or
  // one over 200 bytes, a body over 64 KiB), unavailable.
  using IncidentDone = std::function<void(Result<IncidentView>)>;
  virtual void create_incident(NewIncident incident, IncidentDone done) = 0;
  // Since SDK 1.3 (appended). Adds an update to an incident, changing its status and/or
  // impact; "resolved" resolves it. Every update is added to the public history of the
  // tickets linked to the incident and mailed to their customers (through the outbox), in
  // the same transaction. Errors: not_found, invalid_argument (as create_incident, or
  // nothing to change), denied (the incident is resolved already), unavailable.
  virtual void update_incident(IncidentChange change, IncidentDone done) = 0;
  // Since SDK 1.3 (appended). Staff changes to a ticket (ticket_change.hpp) for a channel
  // that checked the vendor's API key, under the policy's rules (SLA clocks and ladders
  // follow, as for the CLI). The completion, after the commit reached the disk, gets the
  // ticket as find_ticket(reference) shows it. Errors: not_found, invalid_argument (an
  // unknown status, a severity the policy lacks, nothing to change, a text over its
  // limit), denied (a move the lifecycle refuses: closed tickets stay closed),
  // unavailable.
  using ChangeDone = std::function<void(Result<TicketView>)>;
  virtual void change_ticket(TicketChange change, ChangeDone done) = 0;
  // Since SDK 1.3 (appended). Pending escalation actions due at or before `before`
  // (overdue ones included: the gateway was down), soonest first, at most `limit`
  // (1..500). Errors: invalid_argument (limit), unavailable.
  virtual Result<std::vector<EscalationDue>> escalations_due(
      std::chrono::system_clock::time_point before, std::size_t limit) = 0;
  // Since SDK 1.4 (appended). Incidents of any age, newest first, a page at a time
  // (service_status.hpp), with their updates and without linked tickets (incident()
  // gives those). Errors: invalid_argument (an unknown status, a malformed `after`, a
  // limit outside 1..200), unavailable.
  virtual Result<IncidentPage> list_incidents(const IncidentQuery& query) = 0;
  // Since SDK 1.5 (appended). The incidents a ticket is linked to (intake links a new
  // ticket to the open incidents of its product's components, in the transaction that
  // makes it), oldest link first, with their updates and without linked tickets. What a
  // channel says after submit() ("this looks like known incident INC-42") comes from
  // here, so it is what intake linked, not what was open a moment before. Errors:
  // not_found, unavailable.
  virtual Result<std::vector<IncidentView>> ticket_incidents(std::string_view reference) = 0;

 protected:
  ~ChannelContext() = default;
};

}  // namespace supportgw::sdk

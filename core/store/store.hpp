#pragma once
// The store: where tickets, their history, attachments, intake keys and the outbox
// live. An interface, so the core's rules do not depend on SQLite; the one
// implementation is store/sqlite/sqlite_store.hpp.
//
// Writes are units of work run inside one transaction. A unit either commits whole
// (every ticket, event, attachment and outbox row it wrote) or leaves no trace. Its
// completion is called only after the commit reached the disk, and concurrent units
// share that commit (group commit), so durability does not cost throughput.
//
// A unit may run more than once. Units that share a commit run first without a
// savepoint each (SQLite's savepoints copy every page a unit changes); when one of them
// fails, the transaction is rolled back and all of them run again, each in a savepoint
// of its own, so the failing one rolls back alone. Only the run that commits counts: a
// unit sets afresh whatever it hands its completion (it clears what it collects when it
// starts) and does nothing outside the transaction that must not happen twice.
//
// Threading: every member is safe to call from any thread. A unit of work runs on the
// store's writer thread; it must not call back into the Store (that would wait for
// itself) and must not keep the transaction reference beyond its return.

#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/domain/api_key.hpp"
#include "core/domain/attachment.hpp"
#include "core/domain/customer_token.hpp"
#include "core/domain/escalation.hpp"
#include "core/domain/event.hpp"
#include "core/domain/incident.hpp"
#include "core/domain/outbox.hpp"
#include "core/domain/ticket.hpp"

namespace supportgw {

// Filters for listing tickets; unset fields do not filter. Results come in id order,
// starting after `after_id` (keyset paging: stable while tickets are added).
struct TicketFilter {
  std::optional<TicketStatus> status;
  std::optional<int> severity;
  TicketId after_id = 0;
  std::size_t limit = 100;
};

// What an intake made of a contact, remembered under its (channel, origin id) so the
// same contact delivered twice returns the first result instead of a second ticket.
struct IntakeRecord {
  Origin origin;
  TicketId ticket_id = 0;
  std::optional<EventId> event_id;
  std::string outcome;  // "created", "updated", "reopened", ...
  Timestamp at{};
  // What intake answered (core/intake/intake.hpp); 0 and empty when not recorded.
  int severity = 0;
  std::string acknowledgement;
  std::string trace;
};

struct NewOutboxMessage {
  std::optional<TicketId> ticket_id;
  std::string kind;
  std::string recipient;
  std::string subject;
  std::string body;
  // Held until then (a notification calendar closed at night); unset = at once.
  std::optional<Timestamp> not_before;
};

// Counts for monitoring (/metrics), read from one snapshot. Each row is a pair of labels
// and how many rows of the table carry them.
struct GatewayCounts {
  struct Row {
    std::string first;
    std::string second;
    std::int64_t count = 0;
  };
  std::vector<Row> tickets;  // status, severity
  std::vector<Row> intake;   // channel, outcome ("created", "updated", ...)
  std::vector<Row> actions;  // kind ("sla-breach", "step", "repage"), status ("fired", ...)
  std::vector<Row> outbox;   // status ("pending", "sent", "failed"), ""
};

// Queries that see one consistent snapshot for the whole read.
class ReadTransaction {
 public:
  virtual ~ReadTransaction();

  virtual std::optional<Ticket> ticket_by_reference(std::string_view reference) = 0;
  virtual std::optional<Ticket> ticket_by_id(TicketId id) = 0;
  virtual std::optional<TokenHash> token_hash(TicketId id) = 0;
  // When the customer's token was issued: the last renewal, else the ticket's creation.
  virtual std::optional<Timestamp> token_issued_at(TicketId id) = 0;
  virtual std::vector<Ticket> list_tickets(const TicketFilter& filter) = 0;
  virtual std::int64_t count_tickets() = 0;
  virtual std::vector<Event> events(TicketId id) = 0;
  virtual std::vector<Attachment> attachments(TicketId id) = 0;
  // Closed tickets, last changed at or before `closed_before`, that still hold files not
  // deleted by the retention sweep; in id order, after `after_id`.
  virtual std::vector<TicketId> closed_tickets_with_files(Timestamp closed_before,
                                                          TicketId after_id, std::size_t limit) = 0;
  virtual std::optional<IntakeRecord> intake_record(const Origin& origin) = 0;
  // The ticket a conversation key belongs to (see remember_ticket_key).
  virtual std::optional<TicketId> ticket_by_key(std::string_view kind, std::string_view key) = 0;
  // The subjects of tickets created at or after `since` whose customer email equals
  // `email` or whose phone equals `phone` (an empty one matches nothing), newest first,
  // at most `limit`.
  virtual std::vector<TicketSubject> recent_subjects_of_customer(std::string_view email,
                                                                 std::string_view phone,
                                                                 Timestamp since,
                                                                 std::size_t limit) = 0;
  // Pending messages whose next attempt is due at `now`, oldest first.
  virtual std::vector<OutboxMessage> due_outbox(Timestamp now, std::size_t limit) = 0;
  // The same, of the given kinds only (none: nothing).
  virtual std::vector<OutboxMessage> due_outbox(Timestamp now, std::size_t limit,
                                                const std::vector<std::string>& kinds) = 0;
  // How many pending messages there are of each kind.
  virtual std::map<std::string, std::int64_t> pending_outbox_by_kind() = 0;
  // Every outbox message of a ticket, any status, in id order.
  virtual std::vector<OutboxMessage> ticket_outbox(TicketId id) = 0;

  virtual std::vector<SlaClock> sla_clocks(TicketId id) = 0;
  virtual std::optional<EscalationArm> escalation_arm(TicketId id) = 0;
  virtual std::optional<ScheduledAction> scheduled_action(std::int64_t id) = 0;
  // Pending actions of one ticket, by due time.
  virtual std::vector<ScheduledAction> pending_actions(TicketId id) = 0;
  // Every action of one ticket, any status, in id order (history and tests).
  virtual std::vector<ScheduledAction> ticket_actions(TicketId id) = 0;
  // Pending actions due at or before `at`, by due time then id.
  virtual std::vector<ScheduledAction> due_actions(Timestamp at, std::size_t limit) = 0;
  // Pending actions with id > after_id, in id order: how a scheduler loads its queue
  // in pages and later picks up what other processes scheduled.
  virtual std::vector<ScheduledAction> pending_actions_after(std::int64_t after_id,
                                                             std::size_t limit) = 0;
  // The key with this SHA-256 (hex, lowercase), revoked or not.
  virtual std::optional<ApiKey> api_key_by_hash(std::string_view key_hash) = 0;
  // Every key ever made, in id order.
  virtual std::vector<ApiKey> api_keys() = 0;
  // Grouped counts of tickets, intakes, escalation actions and outbox rows. Scans those
  // tables: for a scrape every few seconds, not for every request.
  virtual GatewayCounts gateway_counts() = 0;

  // Incidents of the status page (core/domain/incident.hpp), with their components.
  virtual std::optional<Incident> incident_by_public_id(std::string_view public_id) = 0;
  // Every open incident and those resolved at or after `resolved_since`, newest first,
  // at most `limit`.
  virtual std::vector<Incident> incidents(Timestamp resolved_since, std::size_t limit) = 0;
  // Incidents of any age, newest first: those with an id below `before` (none: from the
  // newest), only open or only resolved ones when `resolved` says so, at most `limit`.
  virtual std::vector<Incident> incidents_before(std::optional<IncidentId> before,
                                                 std::optional<bool> resolved,
                                                 std::size_t limit) = 0;
  // Open incidents naming any of `components`, oldest first.
  virtual std::vector<Incident> open_incidents_of(const std::vector<std::string>& components) = 0;
  // An incident's updates, oldest first.
  virtual std::vector<IncidentUpdate> incident_updates(IncidentId id) = 0;
  // The tickets linked to an incident, in the order they were linked.
  virtual std::vector<TicketId> incident_tickets(IncidentId id) = 0;
  // The incidents a ticket is linked to, in the order they were linked.
  virtual std::vector<Incident> ticket_incidents(TicketId ticket) = 0;
};

// Everything a read can do, plus writes. Every write throws StoreError (with the
// database file named) on failure, which rolls back the whole unit of work.
class WriteTransaction : public ReadTransaction {
 public:
  // Counts 1, 2, 3, ... per scope, atomically with the rest of the unit.
  virtual std::uint64_t next_sequence(std::string_view scope) = 0;
  // Inserts `ticket` (its id is ignored) and returns the new id.
  virtual TicketId insert_ticket(const Ticket& ticket, const TokenHash& token_hash) = 0;
  // Replaces the stored fields of ticket.id (flags included).
  virtual void update_ticket(const Ticket& ticket) = 0;
  virtual EventId append_event(const Event& event) = 0;
  virtual AttachmentId insert_attachment(const Attachment& attachment) = 0;
  // Records that the file's bytes were deleted (retention); the row stays.
  virtual void mark_attachment_deleted(AttachmentId id, Timestamp at) = 0;
  // Renews the customer's token as of `issued_at`; a new hash replaces the old token
  // (which stops working), none keeps it.
  virtual void renew_token(TicketId id, const std::optional<TokenHash>& new_hash,
                           Timestamp issued_at) = 0;
  // Inserts the record, or replaces the one of the same origin (intake completes in
  // the same unit what tickets::create began).
  virtual void record_intake(const IntakeRecord& record) = 0;
  // Ties `key` of `kind` ("thread": a Message-ID; "customer-ticket": the customer's own
  // number) to a ticket. The first ticket to claim a key keeps it; later claims are
  // ignored.
  virtual void remember_ticket_key(std::string_view kind, std::string_view key,
                                   TicketId ticket) = 0;
  virtual OutboxId enqueue_outbox(const NewOutboxMessage& message, Timestamp now) = 0;
  virtual void mark_outbox_sent(OutboxId id, Timestamp at) = 0;
  // Records a failed attempt; `next_attempt` none marks the message failed for good.
  virtual void mark_outbox_attempt_failed(OutboxId id, std::optional<Timestamp> next_attempt,
                                          std::string_view error) = 0;

  // Inserts or replaces the clock (ticket_id, kind).
  virtual void put_sla_clock(const SlaClock& clock) = 0;
  virtual void put_escalation_arm(const EscalationArm& arm) = 0;
  // Inserts a pending action (its id and status are ignored) and returns its id.
  virtual std::int64_t schedule_action(const ScheduledAction& action) = 0;
  // Ends a pending action; throws StoreError when it is not pending any more.
  virtual void finish_action(std::int64_t id, ScheduleStatus status, Timestamp at, bool late,
                             std::string_view note) = 0;
  // Inserts `key` (its id is ignored) and returns the new id.
  virtual std::int64_t insert_api_key(const ApiKey& key) = 0;
  // Marks key `id` revoked at `at`; false when there is no such key or it was revoked.
  virtual bool revoke_api_key(std::int64_t id, Timestamp at) = 0;

  // Inserts `incident` with its components (its id is ignored) and returns the new id.
  virtual IncidentId insert_incident(const Incident& incident) = 0;
  // Replaces status, impact, title, updated_at and resolved_at of incident.id.
  virtual void update_incident(const Incident& incident) = 0;
  virtual std::int64_t append_incident_update(const IncidentUpdate& update) = 0;
  // Links a ticket to an incident; false when it was linked already.
  virtual bool link_incident_ticket(IncidentId incident, TicketId ticket, Timestamp at) = 0;
};

class Store {
 public:
  using Work = std::function<void(WriteTransaction&)>;
  // Called once with nullptr after the unit committed durably, or with the exception
  // that rolled it back. Runs on the writer thread: keep it short, post elsewhere.
  using Completion = std::function<void(std::exception_ptr)>;

  virtual ~Store();

  // Queues `work`; returns at once.
  virtual void submit(Work work, Completion done) = 0;

  // Runs `query` against a consistent snapshot on the calling thread. Readers do not
  // wait for the writer, nor the writer for them.
  virtual void read(const std::function<void(ReadTransaction&)>& query) = 0;

  // Where the data lives, for messages ("/var/lib/supportgw/tickets.db").
  virtual std::string location() const = 0;

  // A number that changes whenever anything commits to the data: at once for this
  // process's own commits, and within a short interval the store sets (a millisecond for
  // SQLite) for another process's (the CLI beside the daemon). A cache entry read after
  // an answer stays valid while the answer stays the same.
  virtual std::uint64_t data_version() = 0;

  // Submits `work` and waits for its durable commit; returns what `work` returned (from
  // the run that committed) or rethrows what rolled it back. Never call from inside a
  // unit of work.
  template <class F>
  std::invoke_result_t<F&, WriteTransaction&> write(F&& work);

  // Runs `query` on a snapshot and returns its result.
  template <class F>
  std::invoke_result_t<F&, ReadTransaction&> query(F&& query);
};

template <class F>
std::invoke_result_t<F&, WriteTransaction&> Store::write(F&& work) {
  using Result = std::invoke_result_t<F&, WriteTransaction&>;
  std::promise<void> committed;
  auto done = committed.get_future();
  if constexpr (std::is_void_v<Result>) {
    submit([&work](WriteTransaction& tx) { work(tx); },
           [&committed](std::exception_ptr error) {
             error ? committed.set_exception(error) : committed.set_value();
           });
    done.get();
  } else {
    std::optional<Result> result;
    submit([&work, &result](WriteTransaction& tx) { result.emplace(work(tx)); },
           [&committed](std::exception_ptr error) {
             error ? committed.set_exception(error) : committed.set_value();
           });
    done.get();
    return std::move(*result);
  }
}

template <class F>
std::invoke_result_t<F&, ReadTransaction&> Store::query(F&& query) {
  using Result = std::invoke_result_t<F&, ReadTransaction&>;
  if constexpr (std::is_void_v<Result>) {
    read([&query](ReadTransaction& tx) { query(tx); });
  } else {
    std::optional<Result> result;
    read([&query, &result](ReadTransaction& tx) { result.emplace(query(tx)); });
    return std::move(*result);
  }
}

}  // namespace supportgw

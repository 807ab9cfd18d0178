#pragma once
// Ticket operations under a vendor's policy: the reference format, the severity levels,
// after-hours rules, SLA clocks and escalation ladders applied in the same transaction
// as the change itself. What the CLI (with --policy) and, later, the intake pipeline
// and the daemon use; core/tickets/ticket_operations.hpp stays policy-free beneath it.
//
// Every operation commits durably before it returns. Actions it schedules are handed
// to the listener (the escalation scheduler) after the commit.
//
// Thread-safety: operations may run from any thread at once. The store, the policy,
// the engine and the clock must outlive the desk.

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/calendar/business_calendar.hpp"
#include "core/domain/reference_format.hpp"
#include "core/sla/sla_engine.hpp"
#include "core/store/store.hpp"
#include "core/tickets/ticket_operations.hpp"
#include "core/util/time.hpp"

namespace supportgw {

// Changes the vendor's staff make to one ticket at once (the JSON API): applied in this
// order, in one unit of work, so either all of them hold or none.
struct StaffChange {
  std::optional<int> severity;
  std::optional<std::string> owner;  // sets the flag "owner"
  std::optional<tickets::Response> response;
  // open (from solved: a reopen), pending-customer, solved, closed.
  std::optional<TicketStatus> status;
  std::string note;  // why; kept in the history with the field changes or the move
};

class TicketDesk {
 public:
  using ScheduledListener = std::function<void(const sla::NewActions&)>;
  using ChangeDone = std::function<void(std::exception_ptr, Ticket)>;

  TicketDesk(Store& store, const sla::SlaEngine& engine, const Clock& clock);

  // Called after each commit with the actions it scheduled; set before use.
  void set_listener(ScheduledListener listener) { listener_ = std::move(listener); }

  // Opens a ticket numbered by the policy's format on the vendor's local date. Throws
  // InvalidArgument for a severity the policy does not define. Arriving while the
  // after-hours calendar is closed applies that severity's after-hours rule: its flags,
  // and a page to on-call when the rule says so. A ticket without a billing group gets
  // the one the policy's billing rules choose.
  tickets::CreatedTicket create(const NewTicket& ticket, const Actor& actor);
  Ticket respond(std::string_view reference, const tickets::Response& response, const Actor& actor);
  Ticket resolve(std::string_view reference, std::string_view note, const Actor& actor);
  Ticket close(std::string_view reference, std::string_view note, const Actor& actor);
  // Re-arms the ladder when the policy says so (tickets::reopen clears an earlier
  // acknowledgement).
  Ticket reopen(std::string_view reference, std::string_view note, const Actor& actor);
  Ticket update(std::string_view reference, const tickets::TicketUpdate& update,
                const Actor& actor);
  // Someone on staff acknowledges the escalation (stops re-pages and ladders that
  // stop on acknowledgement).
  Ticket acknowledge(std::string_view reference, const Actor& actor);
  // A staff member takes the ticket ("owned").
  Ticket assign(std::string_view reference, std::string_view owner, const Actor& actor);

  // StaffChange without blocking: `done` runs once the change is durable (after the
  // listener heard what it scheduled), or with what refused it (NotFound,
  // IllegalTransition, InvalidArgument, StoreError), on the store's writer thread.
  void change_async(std::string reference, StaffChange change, Actor actor, ChangeDone done);

  const ReferenceFormat& reference_format() const { return format_; }

 private:
  using StatusMove = Ticket (*)(WriteTransaction&, std::string_view, std::string_view, const Actor&,
                                Timestamp);
  Ticket move(std::string_view reference, std::string_view note, const Actor& actor,
              StatusMove operation);
  template <class Work>
  auto run(Work work);
  Ticket apply_update(WriteTransaction& tx, std::string_view reference,
                      const tickets::TicketUpdate& update, const Actor& actor, Timestamp now,
                      sla::NewActions& scheduled) const;

  Store& store_;
  const sla::SlaEngine& engine_;
  const Clock& clock_;
  ReferenceFormat format_;
  ScheduledListener listener_;
};

}  // namespace supportgw

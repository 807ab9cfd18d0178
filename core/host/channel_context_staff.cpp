// What a channel acting for the vendor's staff does (SDK 1.3): change_ticket() through the
// policy's ticket desk, and escalations_due() from the schedule.

#include <algorithm>

#include "core/domain/escalation.hpp"
#include "core/domain/ticket_status.hpp"
#include "core/host/channel_context_impl.hpp"
#include "core/util/error.hpp"

namespace supportgw::host {
namespace {

constexpr std::size_t kMaxReferenceBytes = 200;
constexpr std::size_t kMaxNameBytes = 200;
constexpr std::size_t kMaxTextBytes = 64 * 1024;

// The staff change `change` asks for, or why it cannot be one.
StaffChange staff_change_of(const sdk::TicketChange& change) {
  StaffChange staff;
  if (change.severity < 0) {
    throw InvalidArgument("severity " + std::to_string(change.severity) + " is not a level");
  }
  if (change.severity > 0) {
    staff.severity = change.severity;
  }
  if (change.owner.size() > kMaxNameBytes) {
    throw InvalidArgument("the owner's name is over 200 bytes");
  }
  if (!change.owner.empty()) {
    staff.owner = change.owner;
  }
  if (change.response.size() > kMaxTextBytes || change.note.size() > kMaxTextBytes) {
    throw InvalidArgument("the response or note is over 64 KiB");
  }
  if (!change.response.empty()) {
    staff.response = tickets::Response{change.response, change.await_customer};
  } else if (change.await_customer) {
    throw InvalidArgument("await_customer goes with a response");
  }
  if (!change.status.empty()) {
    const auto status = parse_ticket_status(change.status);
    if (!status || *status == TicketStatus::fresh) {
      throw InvalidArgument("unknown status '" + change.status.substr(0, 40) +
                            "'; expected open, pending-customer, solved or closed");
    }
    staff.status = *status;
  }
  if (!staff.severity && !staff.owner && !staff.response && !staff.status) {
    throw InvalidArgument("nothing to change: give a severity, an owner, a response or a status");
  }
  staff.note = change.note;
  return staff;
}

}  // namespace

void ChannelContextImpl::change_ticket(sdk::TicketChange change, ChangeDone done) {
  count_in_flight();
  const std::string reference = change.reference.substr(0, kMaxReferenceBytes);
  const auto refuse = [&](sdk::Status status) {
    complete(std::move(done), sdk::Result<sdk::TicketView>(sdk::Status(
                                  status.code(), "change " + reference + ": " + status.message())));
  };
  if (closed_) {
    return refuse(sdk::Status(sdk::StatusCode::unavailable, "the gateway is stopping"));
  }
  if (change.reference.empty() || change.reference.size() > kMaxReferenceBytes) {
    return refuse(sdk::Status(sdk::StatusCode::invalid_argument, "no reference, or one too long"));
  }
  StaffChange staff;
  try {
    staff = staff_change_of(change);
  } catch (...) {
    return refuse(status_from(std::current_exception()));
  }
  std::string actor = change.actor.substr(0, kMaxNameBytes);
  if (actor.empty()) {
    actor = name_;
  }
  auto shared_done = std::make_shared<ChangeDone>(std::move(done));
  services_.change_ticket(
      reference, std::move(staff), Actor{actor, name_},
      [this, reference, shared_done](std::exception_ptr error, Ticket) {
        if (error) {
          const sdk::Status status = status_from(error);
          complete(std::move(*shared_done),
                   sdk::Result<sdk::TicketView>(sdk::Status(
                       status.code(), "change " + reference + ": " + status.message())));
          return;
        }
        // Read after the commit: what any reader now sees.
        complete(std::move(*shared_done), view_of(reference, nullptr));
      });
}

sdk::Result<std::vector<sdk::EscalationDue>> ChannelContextImpl::escalations_due(
    std::chrono::system_clock::time_point before, std::size_t limit) {
  if (limit < 1 || limit > 500) {
    return sdk::Status(sdk::StatusCode::invalid_argument,
                       "limit " + std::to_string(limit) + " is outside 1..500");
  }
  try {
    const Timestamp until = std::chrono::time_point_cast<std::chrono::milliseconds>(before);
    return services_.store().query([&](ReadTransaction& tx) {
      std::vector<sdk::EscalationDue> due;
      for (const ScheduledAction& action : tx.due_actions(until, limit)) {
        const auto ticket = tx.ticket_by_id(action.ticket_id);
        if (!ticket) {
          continue;
        }
        sdk::EscalationDue item;
        item.reference = ticket->reference;
        item.severity = ticket->severity;
        item.kind = std::string(to_string(action.kind));
        item.what = action.kind == ScheduleKind::sla_breach
                        ? action.sla
                        : services_.escalation_step_label(ticket->severity, action.step);
        item.due_at = std::chrono::system_clock::time_point(action.due_at.time_since_epoch());
        due.push_back(std::move(item));
      }
      return due;
    });
  } catch (...) {
    return status_from(std::current_exception());
  }
}

}  // namespace supportgw::host

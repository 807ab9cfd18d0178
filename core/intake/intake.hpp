#pragma once
// The intake pipeline: turns every InboundMessage a channel hands in into a new
// ticket, a follow-up to an existing one, or a reopen, in ONE store transaction that
// holds every row the contact causes (ticket, events, attachments, conversation keys,
// SLA clocks, escalation schedule, outbox rows, the intake key). Rules, in order:
//   1. idempotency: a (channel, origin id) taken in before returns the first result
//      (outcome duplicate, same reference and severity, no token), also when both
//      copies arrive at once (the store's single writer orders them);
//   2. follow-up matching (follow_up_matcher.hpp); an untrusted match (subject-only,
//      stranger) opens a new ticket flagged "unverified-follow-up" and "related-to";
//   3. a reply to a solved ticket within intake.reopen_window reopens it (re-arming the
//      ladder); later, or to a closed ticket, a new ticket flagged "follow-up-of";
//   4. without a reference: the same sender's ticket with the same subject (reply and
//      forward prefixes stripped) within kDuplicateWindow flags "possible-duplicate-of";
//      a contact that says it follows up gets follow_up.unreferenced_flag;
//   5. severity (severity_classifier.hpp), its reason recorded in a comment event;
//   6. after-hours and billing (desk/opening_rules.hpp), "missing-fields" (the ticket
//      waits for the customer; the acknowledgement asks for them),
//      "unsupported-version" (past the product version's end of support);
//   7. SLA clocks and escalation (SlaEngine hooks); scheduled actions go to the
//      listener after the commit;
//   8. a new ticket for a product of a status component ([[status.component]]) with
//      open incidents is linked to them, with a public note; an acknowledgement mail to
//      the customer, naming those incidents, when an email address is known;
//   9. a message that marks_solved resolves the ticket it follows up, after adding to
//      it, as the desk's resolve does (clocks stop, the ladder is disarmed); one that
//      follows up a solved or closed ticket is only added to it (no reopen, no new
//      ticket); one that opens a ticket opens it solved (no wait for missing fields, no
//      after-hours page: the problem is over).
// Each message's attachments become attachment rows with an "attachment_added" event.
//
// Errors: InvalidArgument (no channel or origin id, a field over its limit) before
// anything is written; StoreError when the store fails — nothing of the message is
// kept then, and the channel must not acknowledge its customer.
//
// Thread-safety: submit() and submit_async() may be called from any thread at once;
// submit() blocks until the commit reached the disk, submit_async() never blocks. The
// store, engine and clock must outlive the Intake, and the Intake every completion.

#include <chrono>
#include <exception>
#include <functional>
#include <memory>

#include "core/intake/follow_up_matcher.hpp"
#include "core/sla/sla_engine.hpp"
#include "core/store/store.hpp"
#include "core/util/time.hpp"
#include "supportgw/sdk/inbound_message.hpp"

namespace supportgw {

class Intake {
 public:
  using ScheduledListener = std::function<void(const sla::NewActions&)>;
  // Gets nullptr and the result once the commit reached the disk, or the exception that
  // kept the message out of the store (and a default result).
  using Completion = std::function<void(std::exception_ptr, sdk::IntakeResult)>;

  // How far back a new contact is compared with the sender's tickets.
  static constexpr std::chrono::days kDuplicateWindow{7};

  // Limits on outside input (a form or a mail can carry anything).
  static constexpr std::size_t kMaxSubjectBytes = 1'000;
  static constexpr std::size_t kMaxTextBytes = 1'000'000;
  static constexpr std::size_t kMaxFieldBytes = 1'000;
  static constexpr std::size_t kMaxThreadIds = 100;
  static constexpr std::size_t kMaxAttachments = 1'000;

  // Throws InvalidArgument when the policy's reference format or customer ticket
  // pattern is unusable.
  Intake(Store& store, const sla::SlaEngine& engine, const Clock& clock);

  // Called after each commit with the actions it scheduled; set before use.
  void set_listener(ScheduledListener listener) { listener_ = std::move(listener); }

  // Takes `message` in and returns once it is durable. Throws as described above.
  sdk::IntakeResult submit(const sdk::InboundMessage& message);

  // The same without waiting: queues `message` on the store and returns at once. `done`
  // is called exactly once, on the store's writer thread, after the durable commit (the
  // listener having been told of the scheduled actions first), or with the exception:
  // InvalidArgument for a message check_message refuses, StoreError when the store
  // fails (on the calling thread, before this returns, when the store is shutting down).
  // A listener that throws after the commit passes its exception to `done`: the contact
  // is kept, and a resubmission returns it as a duplicate. `done` must be short, must
  // not throw, and must not wait for the store (it runs on the thread that writes).
  void submit_async(sdk::InboundMessage message, Completion done);

 private:
  // The way both submits go; `message` is kept alive by the pointer until the unit ran.
  void queue(std::shared_ptr<const sdk::InboundMessage> message, Completion done);

  Store& store_;
  const sla::SlaEngine& engine_;
  const Clock& clock_;
  intake::FollowUpMatcher matcher_;
  ScheduledListener listener_;
};

}  // namespace supportgw

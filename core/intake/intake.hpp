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
//   8. an acknowledgement mail to the customer when an email address is known.
// Each message's attachments become attachment rows with an "attachment_added" event.
//
// Errors: InvalidArgument (no channel or origin id, a field over its limit) before
// anything is written; StoreError when the store fails — nothing of the message is
// kept then, and the channel must not acknowledge its customer.
//
// Thread-safety: submit() may be called from any thread at once; it blocks until the
// commit reached the disk. The store, engine and clock must outlive the Intake.

#include <chrono>
#include <functional>

#include "core/intake/follow_up_matcher.hpp"
#include "core/sla/sla_engine.hpp"
#include "core/store/store.hpp"
#include "core/util/time.hpp"
#include "supportgw/sdk/inbound_message.hpp"

namespace supportgw {

class Intake {
 public:
  using ScheduledListener = std::function<void(const sla::NewActions&)>;

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

  sdk::IntakeResult submit(const sdk::InboundMessage& message);

 private:
  Store& store_;
  const sla::SlaEngine& engine_;
  const Clock& clock_;
  intake::FollowUpMatcher matcher_;
  ScheduledListener listener_;
};

}  // namespace supportgw

#pragma once
// A vendor's support policy: what `policy.toml` says, as plain data. The parser
// (policy/policy_parser.hpp) fills it and checks every rule below before anyone sees
// it, so a Policy in hand is always consistent: every calendar, contact, role,
// rotation, flag and billing group a rule names exists; severities are 1..N without
// gaps; every severity has a first-response target. Consumers (intake, the SLA clock,
// the escalation engine) may rely on that and need not check again.
//
// docs/policy.md documents every field of the file with an example; the comments here
// say what a field means to the code that consumes it.
//
// Times: a CalendarDuration is measured on a named calendar. On an always-open
// calendar open time is wall-clock time; on a business calendar only its open hours
// count, and "N business days" counts open days (docs/policy.md, "Durations").

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar/calendar_spec.hpp"
#include "core/policy/duration.hpp"
#include "core/util/time.hpp"

namespace supportgw::policy {

// std::less<> lets callers look names up with a string_view.
template <class T>
using NameMap = std::map<std::string, T, std::less<>>;

// ---------------------------------------------------------------------------------------
// Who the vendor is.

struct Vendor {
  std::string name;              // "NETCOR"
  std::string reference_format;  // checked by supportgw::ReferenceFormat: "NC-{yyyy}-{seq:5}"
  std::string time_zone;         // IANA, the default for calendars and rotations
  std::string language;          // BCP 47 tag of customer-facing texts: "de", "en-NZ"
  std::optional<std::string> status_page;  // URL customers may check before reporting
};

// ---------------------------------------------------------------------------------------
// Times.

// A duration and the calendar it is measured on (a key of Policy::calendars).
struct CalendarDuration {
  Duration duration;
  std::string calendar;
  friend bool operator==(const CalendarDuration&, const CalendarDuration&) = default;
};

// ---------------------------------------------------------------------------------------
// People. Contacts, roles and rotations share one name space, so a rule can name any
// of them as a Recipient without saying which kind it is.

struct Contact {
  std::string id;    // the key in [contacts.<id>]
  std::string name;  // "Director of Customer Services" or a person's name
  // At least one of these is set.
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> pager;  // address or number a page goes to
};

// A job that one or more contacts hold; notifying a role notifies every member.
struct Role {
  std::string id;
  std::string title;
  std::vector<std::string> members;  // contact ids, at least one
};

// Someone else holds the rotation for whole local days [from, to] (both inclusive).
struct RotationOverride {
  CivilDate from;
  CivilDate to;
  std::string member;  // contact id
  std::optional<std::string> reason;
};

// A weekly on-call rotation: members take turns a week each, in order, the turn
// passing at `handover_minute` on `handover_weekday` (local time of `time_zone`). The
// first member's first week starts on `start` (which is a handover weekday).
// Overrides win over the turn; when two overlap the later one in the file wins.
struct Rotation {
  std::string id;
  std::string title;
  std::string time_zone;          // IANA; defaults to the vendor's
  unsigned handover_weekday = 0;  // 0 = Monday ... 6 = Sunday
  int handover_minute = 0;        // minutes after local midnight, 0..1439
  CivilDate start;
  std::vector<std::string> members;  // contact ids, at least one, in turn order
  std::vector<RotationOverride> overrides;
};

struct Recipient {
  enum class Kind { contact, role, rotation };
  Kind kind = Kind::contact;
  std::string name;  // id in Policy::contacts, roles or rotations
  friend bool operator==(const Recipient&, const Recipient&) = default;
};

// ---------------------------------------------------------------------------------------
// Severities, SLA targets and escalation.

// A way in that implies a severity: the channel instance's name in gateway.toml and,
// optionally, a route inside it the channel reports (an IVR option, a mailbox, a form).
// An empty route means every contact through that channel.
struct ChannelRoute {
  std::string channel;  // "phone"
  std::string route;    // "option-3", or empty
  friend bool operator==(const ChannelRoute&, const ChannelRoute&) = default;
};

enum class SlaKind {
  first_response,   // the first answer by staff to the customer
  update_interval,  // the longest gap between staff updates ("tracked daily")
  resolution,       // until the ticket is solved
};

struct SlaTarget {
  CalendarDuration within;  // never zero
  // While the ticket is pending the customer, this clock does not run.
  bool pauses_while_pending_customer = true;
};

struct SlaTargets {
  SlaTarget first_response;                  // required by the file
  std::optional<SlaTarget> update_interval;  // optional
  std::optional<SlaTarget> resolution;       // optional
  const SlaTarget* find(SlaKind kind) const;
};

// Things that can have happened to a ticket; rules test them when they are due.
enum class Condition {
  responded,     // staff answered the customer at least once
  resolved,      // the ticket is solved or closed
  acknowledged,  // a paged or notified person acknowledged the escalation
  owned,         // a staff member took the ticket
};

// When a step is due.
struct EscalationTrigger {
  enum class Kind {
    elapsed,          // `after` since the ticket was opened (or last reopened)
    share_of_target,  // when `share` of SLA target `target` has run (a breach warning)
  };
  Kind kind = Kind::elapsed;
  CalendarDuration after;                    // kind == elapsed; may be zero ("at once")
  SlaKind target = SlaKind::first_response;  // kind == share_of_target
  double share = 1.0;                        // kind == share_of_target; 0 < share <= 1
};

// One rung of a ladder: when due and none of `unless` holds, do every action given.
// At least one action (notify, raise_to_level or page) is present.
struct EscalationStep {
  std::string label;  // for timelines and messages; defaults to "step N"
  EscalationTrigger trigger;
  std::vector<Condition> unless;      // the step is skipped when any holds at its time
  std::vector<Recipient> notify;      // staff notifications (mail), held per notify_calendar
  std::optional<int> raise_to_level;  // a more severe level than the ladder's own
  std::optional<Recipient> page;      // pages are never held for a calendar
  // Re-page every `repage_every` (wall-clock) until any of `unless` or the ladder's
  // `stop_when` holds, at most `repage_limit` times (unset: no limit). Only with `page`.
  std::optional<std::chrono::minutes> repage_every;
  std::optional<int> repage_limit;
  // Overrides EscalationLadder::notify_calendar for this step.
  std::optional<std::string> notify_calendar;
};

struct EscalationLadder {
  std::vector<EscalationStep> steps;  // file order; may be empty
  // Once any holds, no further step fires and re-paging stops (until a reopen re-arms).
  std::vector<Condition> stop_when;
  // A reopened ticket starts the ladder again, timed from the reopen.
  bool rearm_on_reopen = true;
  // Staff notifications are held until this calendar is open (no mail to the Director
  // at midnight); unset = sent when due.
  std::optional<std::string> notify_calendar;
};

struct Severity {
  int level = 0;                      // 1 is the most severe
  std::string name;                   // in the vendor's language: "Kritisch", "System Down"
  std::string definition;             // what qualifies, as the vendor words it
  std::vector<std::string> keywords;  // words in a contact that suggest this level
  std::vector<ChannelRoute> routes;   // ways in that imply this level; each at most once
  SlaTargets sla;
  EscalationLadder escalation;
};

// ---------------------------------------------------------------------------------------
// After hours: what happens to a contact that arrives while `calendar` is closed.

enum class AfterHoursAction {
  next_business_day,  // nothing now; the SLA clocks' calendars do the waiting
  page,               // page `page` at once (the on-call engineer)
};

struct AfterHoursRule {
  std::vector<int> severities;  // levels this rule covers
  AfterHoursAction action = AfterHoursAction::next_business_day;
  std::optional<Recipient> page;  // action == page
  // Flags set on the ticket (names declared in Policy::flags), e.g. {"fee": "may-apply"}.
  std::map<std::string, std::string> set_flags;
};

struct AfterHours {
  std::string calendar;  // "after hours" = while this calendar is closed
  // Every severity is covered by exactly one rule.
  std::vector<AfterHoursRule> rules;
  const AfterHoursRule& rule_for(int level) const;
};

// ---------------------------------------------------------------------------------------
// Billing.

struct BillingGroup {
  std::string name;  // as shown and stored on tickets: "Service Desk"
  std::string description;
  bool billable = true;
};

// The first rule (file order) whose every given condition holds picks the group.
// Conditions left out match everything; a rule has at least one condition.
struct BillingRule {
  std::string group;
  std::optional<bool> after_hours;    // arrived while AfterHours::calendar was closed
  std::vector<int> severities;        // any of these levels
  std::vector<std::string> keywords;  // any of these words in subject or description
  std::vector<std::string> channels;  // any of these channel names
  std::vector<std::string> flags;     // any of these flags set
};

struct Billing {
  std::vector<BillingGroup> groups;  // may be empty: the vendor does not bill
  std::vector<BillingRule> rules;
  // Group when no rule matches; unset = left empty for staff to choose.
  std::optional<std::string> default_group;
};

// ---------------------------------------------------------------------------------------
// Intake, follow-ups and products.

// Fields intake knows: customer_name, customer_company, customer_email, customer_phone,
// product, product_version, subject, description, attachment; plus the vendor's own
// custom fields.
struct Intake {
  int default_severity = 0;                  // when nothing classifies a contact
  std::chrono::minutes reopen_window{};      // a reply this long after "solved" reopens; 0 = never
  std::vector<std::string> required_fields;  // for every product
  std::vector<std::string> recommended_fields;  // asked for, never refused without
  NameMap<std::string> custom_fields;           // id -> label in the vendor's language
  // Advice shown above a new-ticket form ("for an outage, call the hotline"); may be empty.
  std::string guidance;
};

// How a message is matched to an existing ticket (issue 4 consumes these).
struct FollowUp {
  bool reference_in_subject = true;  // our reference in the subject matches
  bool reference_in_body = true;     // ... or in the body
  // ECMAScript regex for the customer's own ticket numbers, remembered per ticket.
  std::optional<std::string> customer_ticket_pattern;
  // A message saying it is a follow-up without a reference is matched by sender and
  // subject when this is on.
  bool match_sender_and_subject = false;
  // Flag set when a follow-up cites no reference (ne-t: "may cause a delay or
  // duplication of support, possibly resulting in additional charges").
  std::optional<std::string> unreferenced_flag;
};

struct ProductVersion {
  std::string version;
  CivilDate released;
  std::optional<CivilDate> end_of_support;  // explicit; wins over the product's rule
};

struct Product {
  std::string name;
  std::vector<std::string> required_fields;     // in addition to Intake's
  std::vector<std::string> recommended_fields;  // in addition to Intake's
  // A version stays supported this many days after the next version's release.
  std::optional<int> supported_days_after_replacement;
  std::vector<ProductVersion> versions;  // ascending release dates
};

// The last supported day of versions[index]: its explicit end, else the next
// version's release plus the product's days; nullopt = supported without end.
std::optional<CivilDate> end_of_support(const Product& product, std::size_t index);

struct FlagDefinition {
  std::string id;
  std::string description;
};

// ---------------------------------------------------------------------------------------

// [uploads]: files customers send for a ticket.
struct Uploads {
  // The customer's token opens uploads this long after it was issued or last renewed
  // (`supportgw ticket renew-token`); zero = for as long as the ticket is not closed.
  std::chrono::minutes token_lifetime{};
  // A closed ticket's files are deleted this long after it was closed (the history keeps
  // their names, sizes and SHA-256); zero = kept.
  std::chrono::minutes retention{};
};

// [[status.component]]: a part of the service the status page reports on. Incidents
// name components by id; a ticket for one of `products` concerns the component.
struct StatusComponent {
  std::string id;  // lower-case letters, digits and '-': "email", "dial-up"
  std::string name;
  std::string description;            // may be empty
  std::vector<std::string> products;  // product names as customers give them; may be empty
};

struct Policy {
  std::string source;  // file name the policy was read from, for messages
  Vendor vendor;
  NameMap<calendar::CalendarSpec> calendars;  // at least one
  NameMap<Contact> contacts;
  NameMap<Role> roles;
  NameMap<Rotation> rotations;
  NameMap<FlagDefinition> flags;
  std::vector<Severity> severities;  // severities[i].level == i + 1; at least one
  AfterHours after_hours;
  Billing billing;
  Intake intake;
  FollowUp follow_up;
  std::vector<Product> products;
  Uploads uploads;
  std::vector<StatusComponent> status_components;  // file order; may be empty

  // Throw NotFound naming what was asked for.
  const Severity& severity(int level) const;
  const calendar::CalendarSpec& calendar(std::string_view name) const;
  const Product* find_product(std::string_view name) const;  // nullptr when unknown
  // The ids of the status components whose products name `product` (compared without
  // case, as customers type it), in file order; none for a blank product.
  std::vector<std::string> components_of_product(std::string_view product) const;
};

std::string_view to_string(SlaKind kind);
std::string_view to_string(Condition condition);
std::string_view to_string(AfterHoursAction action);

}  // namespace supportgw::policy

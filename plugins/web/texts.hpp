#pragma once
// What the portal's pages say, in the policy's language. English is the fallback for a
// language without its own texts.

#include <string>
#include <string_view>

namespace web {

struct Texts {
  std::string_view language;  // the html lang attribute
  // The new-ticket form.
  std::string_view new_ticket_title;
  std::string_view new_ticket_intro;
  std::string_view subject;
  std::string_view description;
  std::string_view severity;
  std::string_view severity_auto;
  std::string_view severity_level;  // "Level" before the number
  std::string_view most_severe;
  std::string_view least_severe;
  std::string_view name;
  std::string_view email;
  std::string_view company;
  std::string_view phone;
  std::string_view product;
  std::string_view product_version;
  std::string_view attachments;
  std::string_view send;
  std::string_view lookup_title;
  std::string_view lookup_button;
  // After submitting.
  std::string_view created_title;
  std::string_view reference;
  std::string_view token;
  std::string_view token_hint;
  std::string_view open_ticket;
  std::string_view files_received;
  // The ticket page.
  std::string_view ticket_title;
  std::string_view status;
  std::string_view created;
  std::string_view updated;
  std::string_view history;
  std::string_view files;
  std::string_view no_files;
  std::string_view add_comment;
  std::string_view comment;
  std::string_view reopen_hint;
  std::string_view comment_button;
  // Errors.
  std::string_view check_entries;
  std::string_view required_missing;  // followed by the fields' names
  std::string_view not_found_title;
  std::string_view not_found_text;
  std::string_view expired_title;
  std::string_view expired_text;
  std::string_view unavailable_title;
  std::string_view unavailable_text;
  std::string_view too_many_title;
  std::string_view too_many_text;
  std::string_view error_title;
  std::string_view error_text;
  std::string_view bad_request_text;
  std::string_view back;
  // The policy's intake fields on the form.
  std::string_view recommended;   // after a field's label
  std::string_view required_for;  // "(required for" + products + ")"
  std::string_view status_page;   // a link to the vendor's service status
  // After submitting: where large files go.
  std::string_view upload_title;
  std::string_view upload_intro;  // followed by the upload address
  std::string_view upload_login;
  // The service status page (status_pages.cpp).
  std::string_view status_title;
  std::string_view status_components;
  std::string_view status_no_components;
  std::string_view status_open_incidents;
  std::string_view status_recent_incidents;
  std::string_view status_no_incidents;
  std::string_view status_affects;      // before the components an incident affects
  std::string_view status_feed;         // the Atom feed's link text
  std::string_view status_resolved_at;  // before the time an incident was resolved
  // Component statuses.
  std::string_view operational;
  std::string_view maintenance;
  std::string_view degraded;
  std::string_view partial_outage;
  std::string_view major_outage;
  // Incident statuses.
  std::string_view investigating;
  std::string_view identified;
  std::string_view monitoring;
  std::string_view resolved;
  // On the form and after submitting, when the product's component has an open incident:
  // known_incident + " INC-42: " + title.
  std::string_view known_incident;
  std::string_view known_incident_hint;
  std::string_view known_incidents_title;  // above the open incidents on the form
};

// Texts for "de", "de-AT", ...; English for anything else.
const Texts& texts_for(std::string_view language);

// A ticket status ("pending-customer") as the customer reads it.
std::string_view status_text(const Texts& texts, std::string_view status);
// A component status ("partial-outage") or incident status ("identified") as the customer
// reads it; unknown ones as they are.
std::string_view service_status_text(const Texts& texts, std::string_view status);

}  // namespace web

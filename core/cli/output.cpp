#include "core/cli/output.hpp"

#include <boost/json.hpp>

#include <iomanip>
#include <ostream>

namespace supportgw::cli {
namespace {

namespace json = boost::json;

json::object customer_object(const Customer& customer) {
  return json::object{{"name", customer.name},
                      {"company", customer.company},
                      {"email", customer.email},
                      {"phone", customer.phone}};
}

json::object ticket_object(const Ticket& ticket) {
  json::object flags;
  for (const auto& [flag, value] : ticket.flags) {
    flags[flag] = value;
  }
  return json::object{
      {"reference", ticket.reference},
      {"subject", ticket.subject},
      {"description", ticket.description},
      {"severity", ticket.severity},
      {"status", to_string(ticket.status)},
      {"customer", customer_object(ticket.customer)},
      {"product", ticket.product},
      {"product_version", ticket.product_version},
      {"origin", json::object{{"channel", ticket.origin.channel}, {"id", ticket.origin.id}}},
      {"flags", std::move(flags)},
      {"billing_group", ticket.billing_group},
      {"created_at", format_utc(ticket.created_at)},
      {"updated_at", format_utc(ticket.updated_at)}};
}

json::object event_object(const Event& event) {
  json::array changes;
  for (const FieldChange& change : event.changes) {
    changes.push_back(json::object{
        {"field", change.field}, {"old", change.old_value}, {"new", change.new_value}});
  }
  return json::object{{"at", format_utc(event.at)}, {"kind", to_string(event.kind)},
                      {"actor", event.actor},       {"channel", event.channel},
                      {"text", event.text},         {"changes", std::move(changes)}};
}

json::object attachment_object(const Attachment& attachment) {
  return json::object{
      {"file_name", attachment.file_name},
      {"size", attachment.size},
      {"sha256", attachment.sha256},
      {"storage_path", attachment.storage_path},
      {"source_channel", attachment.source_channel},
      {"created_at", format_utc(attachment.created_at)},
      {"deleted_at", attachment.deleted_at ? json::value(format_utc(*attachment.deleted_at))
                                           : json::value(nullptr)}};
}

std::string or_dash(const std::string& text) { return text.empty() ? "-" : text; }

}  // namespace

std::string ticket_json(const Ticket& ticket) { return json::serialize(ticket_object(ticket)); }

std::string ticket_detail_json(const Ticket& ticket, const std::vector<Event>& events,
                               const std::vector<Attachment>& attachments) {
  json::object detail = ticket_object(ticket);
  json::array history;
  for (const Event& event : events) {
    history.push_back(event_object(event));
  }
  json::array files;
  for (const Attachment& attachment : attachments) {
    files.push_back(attachment_object(attachment));
  }
  detail["events"] = std::move(history);
  detail["attachments"] = std::move(files);
  return json::serialize(detail);
}

std::string ticket_list_json(const std::vector<Ticket>& tickets) {
  json::array list;
  for (const Ticket& ticket : tickets) {
    list.push_back(ticket_object(ticket));
  }
  return json::serialize(json::object{{"tickets", std::move(list)}});
}

std::string created_json(const Ticket& ticket, const std::string& token, bool duplicate) {
  json::object created{{"reference", ticket.reference}, {"duplicate", duplicate}};
  // The token is shown once, when the ticket is made; a repeated intake has none.
  if (!duplicate) {
    created["token"] = token;
  }
  created["ticket"] = ticket_object(ticket);
  return json::serialize(created);
}

std::string renewed_token_json(const Ticket& ticket, Timestamp issued_at,
                               const std::string& new_token,
                               std::optional<Timestamp> uploads_until) {
  json::object renewed{{"reference", ticket.reference}, {"issued_at", format_utc(issued_at)}};
  // A new token is shown once, here; a renewal keeps the old one, which is never stored.
  if (!new_token.empty()) {
    renewed["token"] = new_token;
  }
  renewed["uploads_until"] =
      uploads_until ? json::value(format_utc(*uploads_until)) : json::value(nullptr);
  return json::serialize(renewed);
}

void print_ticket_line(std::ostream& out, const Ticket& ticket) {
  out << std::left << std::setw(20) << ticket.reference << ' ' << std::setw(16)
      << to_string(ticket.status) << " sev " << ticket.severity << "  "
      << format_utc(ticket.updated_at) << "  " << ticket.subject << '\n';
}

void print_ticket_detail(std::ostream& out, const Ticket& ticket, const std::vector<Event>& events,
                         const std::vector<Attachment>& attachments) {
  out << ticket.reference << "  " << ticket.subject << '\n'
      << "  status:    " << to_string(ticket.status) << '\n'
      << "  severity:  " << ticket.severity << '\n'
      << "  customer:  " << or_dash(ticket.customer.name);
  if (!ticket.customer.company.empty()) {
    out << " (" << ticket.customer.company << ')';
  }
  if (!ticket.customer.email.empty()) {
    out << " <" << ticket.customer.email << '>';
  }
  if (!ticket.customer.phone.empty()) {
    out << ' ' << ticket.customer.phone;
  }
  out << '\n'
      << "  product:   " << or_dash(ticket.product)
      << (ticket.product_version.empty() ? "" : " " + ticket.product_version) << '\n'
      << "  origin:    " << or_dash(ticket.origin.channel)
      << (ticket.origin.id.empty() ? "" : " " + ticket.origin.id) << '\n'
      << "  billing:   " << or_dash(ticket.billing_group) << '\n'
      << "  created:   " << format_utc(ticket.created_at) << '\n'
      << "  updated:   " << format_utc(ticket.updated_at) << '\n';
  if (!ticket.flags.empty()) {
    out << "  flags:    ";
    for (const auto& [flag, value] : ticket.flags) {
      out << ' ' << flag << (value.empty() ? "" : "=" + value);
    }
    out << '\n';
  }
  if (!ticket.description.empty()) {
    out << '\n' << ticket.description << '\n';
  }
  if (!attachments.empty()) {
    out << "\nattachments:\n";
    for (const Attachment& attachment : attachments) {
      out << "  " << attachment.file_name << "  " << attachment.size << " bytes  sha256 "
          << attachment.sha256 << "  via " << attachment.source_channel
          << (attachment.deleted_at ? "  (deleted " + format_utc(*attachment.deleted_at) + ")" : "")
          << '\n';
    }
  }
  out << "\nhistory:\n";
  for (const Event& event : events) {
    out << "  " << format_utc(event.at) << "  " << std::left << std::setw(16)
        << to_string(event.kind) << ' ' << event.actor << " via " << event.channel << '\n';
    for (const FieldChange& change : event.changes) {
      out << "      " << change.field << ": " << or_dash(change.old_value) << " -> "
          << or_dash(change.new_value) << '\n';
    }
    if (!event.text.empty() && event.kind != EventKind::created) {
      out << "      " << event.text << '\n';
    }
  }
}

}  // namespace supportgw::cli

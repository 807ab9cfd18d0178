#pragma once
// What a channel may show a customer of a ticket: the public part only. Internal notes,
// escalations and SLA breaches are left out by the host; the token is never included.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace supportgw::sdk {

struct TicketHistoryEntry {
  std::chrono::system_clock::time_point at{};
  std::string kind;     // "created", "responded", "customer_replied", "reopened", ...
  std::string actor;    // "customer", "support", or an engineer's name
  std::string channel;  // where it came through
  std::string text;
};

struct TicketFile {
  std::string file_name;
  std::uint64_t size = 0;
  std::string sha256;
  std::chrono::system_clock::time_point added_at{};
};

struct TicketView {
  std::string reference;
  std::string subject;
  std::string status;  // "new", "open", "pending-customer", "solved", "closed"
  int severity = 0;
  std::string severity_name;  // in the policy's language
  std::string customer_name;
  std::string customer_email;
  std::string product;
  std::string product_version;
  std::chrono::system_clock::time_point created_at{};
  std::chrono::system_clock::time_point updated_at{};
  // Whether a reply now reopens it (solved, within the policy's reopen window).
  bool reopenable = false;
  std::vector<TicketHistoryEntry> history;
  std::vector<TicketFile> files;
};

// Since SDK 1.2. Which tickets ChannelContext::list_tickets() returns: oldest first, a
// page at a time.
struct TicketQuery {
  std::string status;      // "new", "open", "pending-customer", "solved", "closed"; "" = any
  int severity = 0;        // 0 = any
  std::string after;       // the `next` of the previous page; "" = from the first ticket
  std::size_t limit = 50;  // 1..500
};

struct TicketPage {
  // Summaries: history and files are left empty (find_ticket() gives them).
  std::vector<TicketView> tickets;
  std::string next;  // pass as `after` for the next page; "" after the last
};

}  // namespace supportgw::sdk

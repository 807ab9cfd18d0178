#pragma once
// What a channel may show a customer of a ticket: the public part only. Internal notes,
// escalations and SLA breaches are left out by the host; the token is never included.

#include <chrono>
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

}  // namespace supportgw::sdk

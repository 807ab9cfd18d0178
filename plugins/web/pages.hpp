#pragma once
// The portal's HTML, rendered on the server and usable without JavaScript. Every value
// that came from outside (form input, ticket fields, history) is HTML-escaped here.

#include <map>
#include <string>
#include <vector>

#include <supportgw/sdk/inbound_message.hpp>
#include <supportgw/sdk/policy_view.hpp>
#include <supportgw/sdk/ticket_view.hpp>

#include "multipart.hpp"
#include "texts.hpp"

namespace web {

struct PageContext {
  const Texts* texts = nullptr;
  std::string vendor_name;
  std::string base_url;    // public_url, or "" for links relative to the host
  std::string upload_url;  // where large files go (ftp://...), or ""
};

struct NewTicketForm {
  std::map<std::string, std::string> values;  // entered values, shown again after an error
  std::vector<std::string> errors;            // already in the page's language
  std::string csrf;
  std::string submission;  // a fresh id: the same form sent twice makes one ticket
  int severity_levels = 4;
  // The policy's levels with their names and definitions; empty: bare numbers.
  std::vector<supportgw::sdk::SeverityLevel> severities;
  std::uint64_t max_upload = 0;
  int max_files = 0;
  // The policy's fields, products and guidance: what to ask and what is required.
  supportgw::sdk::IntakeForm intake;
  // The service status and open incidents (status.hpp's form_status_html), or "".
  std::string status_html;
};

std::string new_ticket_page(const PageContext& page, const NewTicketForm& form);
// `known_incidents_html`: status.hpp's note on the open incidents of the ticket's product.
std::string created_page(const PageContext& page, const supportgw::sdk::IntakeResult& result,
                         const std::vector<UploadedFile>& files,
                         const std::string& known_incidents_html = "");
std::string ticket_page(const PageContext& page, const supportgw::sdk::TicketView& ticket,
                        const std::string& token, const std::string& csrf,
                        const std::string& submission);
// The portal's frame (head, style, header) around `body`, for pages rendered elsewhere
// (status_pages.cpp).
std::string page_layout(const PageContext& page, std::string_view title, const std::string& body);
// A page with a heading, a paragraph and a link back to the form.
std::string message_page(const PageContext& page, std::string_view title, std::string_view text);

// "/tickets/SR-1?token=..." with both parts percent-encoded.
std::string ticket_link(const PageContext& page, const std::string& reference,
                        const std::string& token);
std::string percent_encode(std::string_view text);

}  // namespace web

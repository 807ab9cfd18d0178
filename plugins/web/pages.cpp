#include "pages.hpp"

#include <supportgw/sdk/http_server.hpp>

#include "api.hpp"
#include "form_fields.hpp"

namespace web {
namespace {

using supportgw::sdk::html_escape;

constexpr std::string_view kStyle =
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "color:#1d1d1f}label{display:block;margin-top:1rem;font-weight:600}"
    "input,select,textarea{width:100%;box-sizing:border-box;padding:.4rem;font:inherit}"
    "textarea{min-height:10rem}button{margin-top:1.2rem;padding:.5rem 1.4rem;font:inherit}"
    ".errors{border:2px solid #b00020;padding:.5rem 1rem;color:#b00020}"
    ".secret{font-family:monospace;font-size:1.2rem;background:#f2f2f2;padding:.3rem .6rem}"
    "table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem;"
    "border-bottom:1px solid #ddd;vertical-align:top}td:first-child{white-space:nowrap}"
    ".text{white-space:pre-wrap}dt{font-weight:600;margin-top:.5rem}dd{margin-left:0}";

std::string layout(const PageContext& page, std::string_view title, const std::string& body) {
  std::string html;
  html.reserve(body.size() + 1024);
  html += "<!DOCTYPE html>\n<html lang=\"";
  html += html_escape(page.texts->language);
  html +=
      "\">\n<head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>";
  html += html_escape(title);
  if (!page.vendor_name.empty()) {
    html += " – " + html_escape(page.vendor_name);
  }
  html += "</title><style>";
  html += kStyle;
  html += "</style></head>\n<body>\n<header><a href=\"" + html_escape(page.base_url + "/") + "\">";
  html += html_escape(page.vendor_name.empty() ? std::string_view("Support") : page.vendor_name);
  html += "</a></header>\n<main>\n<h1>" + html_escape(title) + "</h1>\n";
  html += body;
  html += "</main>\n</body>\n</html>\n";
  return html;
}

std::string value_of(const std::map<std::string, std::string>& values, const std::string& name) {
  const auto found = values.find(name);
  return found == values.end() ? std::string() : html_escape(found->second);
}

// The policy's entry for built-in field `id`, or a plain one when the policy names none.
supportgw::sdk::IntakeField builtin_field(const NewTicketForm& form, std::string_view id) {
  if (const auto* named = find_field(form.intake, id)) {
    return *named;
  }
  supportgw::sdk::IntakeField plain;
  plain.id = std::string(id);
  return plain;
}

std::string label_html(const supportgw::sdk::IntakeField& field, const Texts& texts,
                       const std::string& name) {
  std::string html = "<label for=\"" + name + "\">" + html_escape(field_label(field, texts));
  if (const std::string note = field_note(field, texts); !note.empty()) {
    html += " <small>" + html_escape(note) + "</small>";
  }
  return html + "</label>";
}

// An input for one of the policy's fields, `required` when the form refuses to go
// without it whatever the product.
std::string field_input(const NewTicketForm& form, const Texts& texts,
                        const supportgw::sdk::IntakeField& field, std::string_view type) {
  const std::string name = input_name(field);
  return label_html(field, texts, name) + "<input id=\"" + name + "\" name=\"" + name +
         "\" type=\"" + std::string(type) + "\" value=\"" + value_of(form.values, name) + "\"" +
         (required_on_form(field, "") ? " required" : "") + ">\n";
}

// The product: free text (a policy lists the products whose versions it tracks, not
// necessarily all), with the policy's products offered as suggestions.
std::string product_input(const NewTicketForm& form, const Texts& texts) {
  const auto field = builtin_field(form, "product");
  std::string html = field_input(form, texts, field, "text");
  if (form.intake.products.empty()) {
    return html;
  }
  html.insert(html.find(" type=\"text\""), " list=\"products\"");
  html += "<datalist id=\"products\">";
  for (const std::string& product : form.intake.products) {
    html += "<option value=\"" + html_escape(product) + "\">";
  }
  return html + "</datalist>\n";
}

std::string hidden(std::string_view name, const std::string& value) {
  return "<input type=\"hidden\" name=\"" + std::string(name) + "\" value=\"" + html_escape(value) +
         "\">\n";
}

std::string size_text(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  std::size_t unit = 0;
  std::uint64_t whole = bytes;
  while (whole >= 1024 && whole % 1024 == 0 && unit + 1 < std::size(kUnits)) {
    whole /= 1024;
    ++unit;
  }
  if (unit == 0 && bytes >= 1024) {
    // Not a round number: one decimal of the largest fitting unit is plenty.
    double value = static_cast<double>(bytes);
    while (value >= 1024 && unit + 1 < std::size(kUnits)) {
      value /= 1024;
      ++unit;
    }
    const auto tenths = static_cast<std::uint64_t>(value * 10 + 0.5);
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " " + kUnits[unit];
  }
  return std::to_string(whole) + " " + kUnits[unit];
}

std::string severity_select(const NewTicketForm& form, const Texts& texts) {
  const std::string chosen = form.values.count("severity") ? form.values.at("severity") : "";
  std::string html = "<label for=\"severity\">" + html_escape(texts.severity) + "</label>";
  html += "<select id=\"severity\" name=\"severity\"><option value=\"\">" +
          html_escape(texts.severity_auto) + "</option>";
  if (!form.severities.empty()) {
    for (const auto& severity : form.severities) {
      const std::string value = std::to_string(severity.level);
      html += "<option value=\"" + value + "\"" + (chosen == value ? " selected" : "") + ">" +
              value + " – " + html_escape(severity.name) + "</option>";
    }
    html += "</select>\n<dl class=\"severities\">";
    for (const auto& severity : form.severities) {
      html += "<dt>" + std::to_string(severity.level) + " – " + html_escape(severity.name) +
              "</dt><dd>" + html_escape(severity.definition) + "</dd>";
    }
    html += "</dl>\n";
    return html;
  }
  for (int level = 1; level <= form.severity_levels; ++level) {
    const std::string value = std::to_string(level);
    html += "<option value=\"" + value + "\"" + (chosen == value ? " selected" : "") + ">" +
            html_escape(texts.severity_level) + " " + value;
    if (level == 1 && form.severity_levels > 1) {
      html += " (" + html_escape(texts.most_severe) + ")";
    } else if (level == form.severity_levels && level > 1) {
      html += " (" + html_escape(texts.least_severe) + ")";
    }
    html += "</option>";
  }
  html += "</select>\n";
  return html;
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string encoded;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
        (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' || byte == '.' || byte == '~') {
      encoded.push_back(c);
    } else {
      encoded.push_back('%');
      encoded.push_back(kDigits[byte >> 4]);
      encoded.push_back(kDigits[byte & 0x0f]);
    }
  }
  return encoded;
}

std::string ticket_link(const PageContext& page, const std::string& reference,
                        const std::string& token) {
  return page.base_url + "/tickets/" + percent_encode(reference) +
         "?token=" + percent_encode(token);
}

std::string new_ticket_page(const PageContext& page, const NewTicketForm& form) {
  const Texts& t = *page.texts;
  std::string body = "<p>" + html_escape(t.new_ticket_intro) + "</p>\n";
  if (!form.intake.guidance.empty()) {
    body += "<p class=\"guidance text\" id=\"guidance\">" + html_escape(form.intake.guidance) +
            "</p>\n";
  }
  // The vendor's own setting, yet only web addresses become links (never javascript:).
  const std::string& status_page = form.intake.status_page;
  if (status_page.starts_with("https://") || status_page.starts_with("http://")) {
    body += "<p><a id=\"status-page\" href=\"" + html_escape(status_page) + "\">" +
            html_escape(t.status_page) + "</a></p>\n";
  }
  body += form.status_html;
  if (!form.errors.empty()) {
    body += "<div class=\"errors\" role=\"alert\"><strong>" + html_escape(t.check_entries) +
            "</strong><ul>";
    for (const std::string& error : form.errors) {
      body += "<li>" + html_escape(error) + "</li>";
    }
    body += "</ul></div>\n";
  }
  body += "<form method=\"post\" action=\"" + html_escape(page.base_url + "/tickets") +
          "\" enctype=\"multipart/form-data\">\n";
  body += hidden("csrf", form.csrf);
  body += hidden("submission", form.submission);
  body += field_input(form, t, builtin_field(form, "subject"), "text");
  body += label_html(builtin_field(form, "description"), t, "description");
  body += "<textarea id=\"description\" name=\"description\" required>" +
          value_of(form.values, "description") + "</textarea>\n";
  body += severity_select(form, t);
  body += field_input(form, t, builtin_field(form, "customer_name"), "text");
  body += field_input(form, t, builtin_field(form, "customer_email"), "email");
  body += field_input(form, t, builtin_field(form, "customer_company"), "text");
  body += field_input(form, t, builtin_field(form, "customer_phone"), "tel");
  body += product_input(form, t);
  body += field_input(form, t, builtin_field(form, "product_version"), "text");
  for (const auto& field : form.intake.fields) {
    if (field.custom) {
      body += field_input(form, t, field, "text");
    }
  }
  if (form.max_files > 0) {
    const auto attachment = builtin_field(form, "attachment");
    body += "<label for=\"attachments\">" + html_escape(t.attachments) + " (≤ " +
            size_text(form.max_upload) + ")";
    if (const std::string note = field_note(attachment, t); !note.empty()) {
      body += " <small>" + html_escape(note) + "</small>";
    }
    body += "</label><input id=\"attachments\" name=\"attachments\" type=\"file\" multiple" +
            std::string(required_on_form(attachment, "") ? " required" : "") + ">\n";
  }
  body += "<button type=\"submit\">" + html_escape(t.send) + "</button>\n</form>\n";
  body += "<h2>" + html_escape(t.lookup_title) + "</h2>\n";
  body += "<form method=\"get\" action=\"" + html_escape(page.base_url + "/tickets") + "\">\n";
  body += "<label for=\"lookup-reference\">" + html_escape(t.reference) +
          "</label><input id=\"lookup-reference\" name=\"reference\" required>\n";
  body += "<label for=\"lookup-token\">" + html_escape(t.token) +
          "</label><input id=\"lookup-token\" name=\"token\" type=\"password\" required>\n";
  body += "<button type=\"submit\">" + html_escape(t.lookup_button) + "</button>\n</form>\n";
  return layout(page, t.new_ticket_title, body);
}

std::string created_page(const PageContext& page, const supportgw::sdk::IntakeResult& result,
                         const std::vector<UploadedFile>& files,
                         const std::string& known_incidents_html) {
  const Texts& t = *page.texts;
  std::string body;
  body +=
      "<p class=\"text\" id=\"acknowledgement\">" + html_escape(result.acknowledgement) + "</p>\n";
  body += known_incidents_html;
  body += "<dl>\n<dt>" + html_escape(t.reference) + "</dt><dd><span class=\"secret\" " +
          "id=\"reference\">" + html_escape(result.reference) + "</span></dd>\n";
  if (!result.token.empty()) {
    body += "<dt>" + html_escape(t.token) + "</dt><dd><span class=\"secret\" id=\"token\">" +
            html_escape(result.token) + "</span><p>" + html_escape(t.token_hint) + "</p></dd>\n";
  }
  body += "</dl>\n";
  if (!files.empty()) {
    body += "<h2>" + html_escape(t.files_received) + "</h2>\n<ul>";
    for (const UploadedFile& file : files) {
      body += "<li>" + html_escape(file.file_name) + " (" + size_text(file.size) +
              ", SHA-256 <code>" + html_escape(file.sha256) + "</code>)</li>";
    }
    body += "</ul>\n";
  }
  if (!page.upload_url.empty()) {
    body += "<h2>" + html_escape(t.upload_title) + "</h2>\n<p id=\"upload\">" +
            html_escape(t.upload_intro) + " <code>" + html_escape(page.upload_url) + "</code>. " +
            html_escape(t.upload_login) + "</p>\n";
  }
  if (!result.token.empty()) {
    body += "<p><a id=\"ticket-link\" href=\"" +
            html_escape(ticket_link(page, result.reference, result.token)) + "\">" +
            html_escape(t.open_ticket) + "</a></p>\n";
  }
  return layout(page, t.created_title, body);
}

std::string ticket_page(const PageContext& page, const supportgw::sdk::TicketView& ticket,
                        const std::string& token, const std::string& csrf,
                        const std::string& submission) {
  const Texts& t = *page.texts;
  std::string body;
  body += "<p><strong>" + html_escape(ticket.subject) + "</strong></p>\n<dl>\n";
  body += "<dt>" + html_escape(t.reference) + "</dt><dd id=\"reference\">" +
          html_escape(ticket.reference) + "</dd>\n";
  body += "<dt>" + html_escape(t.status) + "</dt><dd id=\"status\">" +
          html_escape(status_text(t, ticket.status)) + "</dd>\n";
  body += "<dt>" + html_escape(t.severity) + "</dt><dd>" + std::to_string(ticket.severity) +
          (ticket.severity_name.empty() ? "" : " – " + html_escape(ticket.severity_name)) +
          "</dd>\n";
  if (!ticket.product.empty()) {
    body += "<dt>" + html_escape(t.product) + "</dt><dd>" + html_escape(ticket.product) + " " +
            html_escape(ticket.product_version) + "</dd>\n";
  }
  body +=
      "<dt>" + html_escape(t.created) + "</dt><dd>" + utc_timestamp(ticket.created_at) + "</dd>\n";
  body += "<dt>" + html_escape(t.updated) + "</dt><dd>" + utc_timestamp(ticket.updated_at) +
          "</dd>\n</dl>\n";

  body += "<h2>" + html_escape(t.history) + "</h2>\n<table id=\"history\">";
  for (const auto& entry : ticket.history) {
    body += "<tr><td>" + utc_timestamp(entry.at) + "</td><td>" + html_escape(entry.actor) +
            "</td><td class=\"text\">" + html_escape(entry.text) + "</td></tr>";
  }
  body += "</table>\n";

  body += "<h2>" + html_escape(t.files) + "</h2>\n";
  if (ticket.files.empty()) {
    body += "<p>" + html_escape(t.no_files) + "</p>\n";
  } else {
    body += "<ul id=\"files\">";
    for (const auto& file : ticket.files) {
      body += "<li>" + html_escape(file.file_name) + " (" + size_text(file.size) +
              ", SHA-256 <code>" + html_escape(file.sha256) + "</code>)</li>";
    }
    body += "</ul>\n";
  }

  if (ticket.status != "closed") {
    body += "<h2>" + html_escape(t.add_comment) + "</h2>\n";
    if (ticket.status == "solved" && ticket.reopenable) {
      body += "<p>" + html_escape(t.reopen_hint) + "</p>\n";
    }
    body +=
        "<form method=\"post\" action=\"" +
        html_escape(page.base_url + "/tickets/" + percent_encode(ticket.reference) + "/comments") +
        "\" enctype=\"multipart/form-data\">\n";
    body += hidden("csrf", csrf);
    body += hidden("submission", submission);
    body += hidden("token", token);
    body += "<label for=\"comment\">" + html_escape(t.comment) +
            "</label><textarea id=\"comment\" name=\"comment\"></textarea>\n";
    body += "<label for=\"comment-files\">" + html_escape(t.attachments) +
            "</label><input id=\"comment-files\" name=\"attachments\" type=\"file\" multiple>\n";
    body += "<button type=\"submit\">" + html_escape(t.comment_button) + "</button>\n</form>\n";
  }
  return layout(page, std::string(t.ticket_title) + " " + ticket.reference, body);
}

std::string page_layout(const PageContext& page, std::string_view title, const std::string& body) {
  return layout(page, title, body);
}

std::string message_page(const PageContext& page, std::string_view title, std::string_view text) {
  const Texts& t = *page.texts;
  return layout(page, title,
                "<p>" + html_escape(text) + "</p>\n<p><a href=\"" +
                    html_escape(page.base_url + "/") + "\">" + html_escape(t.back) + "</a></p>\n");
}

}  // namespace web

// The customer portal:
//   GET  /                               the new-ticket form
//   POST /tickets                        a new ticket (multipart with files, or urlencoded)
//   GET  /tickets?reference=R&token=T    303 to the ticket page (the lookup form)
//   GET  /tickets/{reference}?token=T    the ticket page
//   POST /tickets/{reference}/comments   a comment, with files, by the ticket's customer
// Every POST needs the CSRF token of a page this process served (csrf.hpp).

#include <spdlog/logger.h>

#include <algorithm>
#include <cctype>

#include "api.hpp"
#include "form.hpp"
#include "form_fields.hpp"
#include "sha256.hpp"
#include "status.hpp"
#include "web_state.hpp"

namespace web {
namespace {

using supportgw::sdk::ChannelContext;
using supportgw::sdk::HttpRequest;
using supportgw::sdk::HttpResponse;
using supportgw::sdk::InboundAttachment;
using supportgw::sdk::InboundMessage;
using supportgw::sdk::IntakeResult;
using supportgw::sdk::Result;
using supportgw::sdk::StatusCode;

constexpr std::string_view kTicketsPrefix = "/tickets/";
constexpr std::string_view kCommentsSuffix = "/comments";

struct SubmittedForm {
  std::map<std::string, std::string> fields;
  std::vector<UploadedFile> files;
};

void discard(const std::vector<UploadedFile>& files) {
  std::error_code ignored;
  for (const UploadedFile& file : files) {
    std::filesystem::remove(file.path, ignored);
  }
}

PageContext page_context(const WebState& state, ChannelContext& context) {
  return PageContext{&texts_for(context.policy_language()), context.vendor_name(),
                     state.settings.public_url, state.settings.upload_url};
}

HttpResponse redirect(const std::string& location) {
  HttpResponse response;
  response.status = 303;
  response.body.clear();
  response.headers.emplace_back("Location", location);
  add_page_headers(response);
  return response;
}

HttpResponse page(int status, std::string html) {
  HttpResponse response = HttpResponse::html(status, std::move(html));
  add_page_headers(response);
  return response;
}

HttpResponse message_response(const PageContext& context, int status, std::string_view title,
                              std::string_view text) {
  return page(status, message_page(context, title, text));
}

// The CSRF token for a page: the browser's own while it is still good, else a new one
// (sent as a cookie with the page).
std::string csrf_for(const WebState& state, const HttpRequest& request, HttpResponse* response) {
  const auto now = std::chrono::system_clock::now();
  std::string token = cookie_value(request, CsrfTokens::kCookie);
  if (!token.empty() && state.csrf.genuine(token, now)) {
    return token;
  }
  token = state.csrf.issue(now);
  if (response != nullptr) {
    response->headers.emplace_back("Set-Cookie", std::string(CsrfTokens::kCookie) + "=" + token +
                                                     "; Path=/; HttpOnly; SameSite=Strict" +
                                                     (state.tls ? "; Secure" : ""));
  }
  return token;
}

// Both forms send an id made when the page was served, so sending the same form twice
// (a double click, a reload) makes one ticket or one comment.
std::string origin_of(std::string_view kind, const std::string& submission) {
  const bool valid =
      submission.size() == 32 && std::all_of(submission.begin(), submission.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
      });
  return "web:" + std::string(kind) + ":" + (valid ? submission : random_hex(16));
}

// Reads a posted form; on failure answers and returns nullopt.
std::optional<SubmittedForm> read_form(const WebState& state, const HttpRequest& request,
                                       const PageContext& context, const ReplyOnce& reply) {
  const std::string type = media_type(request);
  SubmittedForm form;
  if (type == "multipart/form-data") {
    const std::string* content_type = request.header("content-type");
    const auto boundary = multipart_boundary(content_type != nullptr ? *content_type : "");
    if (!boundary || request.body_file.empty()) {
      reply(message_response(context, 400, context.texts->error_title,
                             std::string(context.texts->bad_request_text) + " multipart boundary"));
      return std::nullopt;
    }
    MultipartLimits limits;
    limits.max_files = static_cast<std::size_t>(state.settings.max_files);
    auto parsed = parse_multipart_file(request.body_file, *boundary, state.files_dir, limits);
    if (!parsed.ok()) {
      if (state.logger) {
        state.logger->warn("web: a form from {} was refused: {}", request.remote_address,
                           parsed.status().message());
      }
      if (parsed.status().code() == StatusCode::invalid_argument) {
        reply(message_response(
            context, 400, context.texts->error_title,
            std::string(context.texts->bad_request_text) + " " + parsed.status().message()));
      } else {
        reply(
            message_response(context, 500, context.texts->error_title, context.texts->error_text));
      }
      return std::nullopt;
    }
    form.fields = std::move(parsed.value().fields);
    form.files = std::move(parsed.value().files);
  } else if (type == "application/x-www-form-urlencoded") {
    auto fields = parse_urlencoded(request.body);
    if (!fields) {
      reply(message_response(context, 400, context.texts->error_title,
                             std::string(context.texts->bad_request_text) + " form encoding"));
      return std::nullopt;
    }
    form.fields = std::move(*fields);
  } else {
    reply(message_response(context, 415, context.texts->error_title, context.texts->error_text));
    return std::nullopt;
  }
  if (!state.csrf.accepts(field_or_empty(form.fields, std::string(CsrfTokens::kField)),
                          cookie_value(request, CsrfTokens::kCookie),
                          std::chrono::system_clock::now())) {
    discard(form.files);
    if (state.logger) {
      state.logger->warn("web: refused a form from {}: missing or wrong CSRF token",
                         request.remote_address);
    }
    reply(
        message_response(context, 403, context.texts->expired_title, context.texts->expired_text));
    return std::nullopt;
  }
  return form;
}

std::vector<InboundAttachment> attachments_of(const std::vector<UploadedFile>& files) {
  std::vector<InboundAttachment> attachments;
  for (const UploadedFile& file : files) {
    attachments.push_back(InboundAttachment{file.file_name, file.path.string(), file.size,
                                            file.sha256, file.content_type});
  }
  return attachments;
}

HttpResponse failure_page(const PageContext& context, const supportgw::sdk::Status& status) {
  const Texts& t = *context.texts;
  switch (status.code()) {
    case StatusCode::invalid_argument:
      return message_response(context, 400, t.check_entries, status.message());
    case StatusCode::not_found:
      return message_response(context, 404, t.not_found_title, t.not_found_text);
    case StatusCode::unavailable: {
      HttpResponse response =
          message_response(context, 503, t.unavailable_title, t.unavailable_text);
      response.headers.emplace_back("Retry-After", "30");
      return response;
    }
    default:
      return message_response(context, 500, t.error_title, t.error_text);
  }
}

void show_form(const StatePtr& state, ChannelContext& context, const HttpRequest& request,
               const ReplyOnce& reply) {
  const PageContext page_ctx = page_context(*state, context);
  HttpResponse response;
  NewTicketForm form;
  form.csrf = csrf_for(*state, request, &response);
  form.submission = state->random->hex(16);
  form.severity_levels = state->settings.severity_levels;
  form.severities = context.policy().severities;
  form.max_upload = state->settings.max_upload;
  form.max_files = state->settings.max_files;
  form.intake = context.intake_form();
  if (auto status = context.service_status(); status.ok()) {
    form.status_html = form_status_html(page_ctx, status.value());
  }
  HttpResponse rendered = page(200, new_ticket_page(page_ctx, form));
  rendered.headers.insert(rendered.headers.end(), response.headers.begin(), response.headers.end());
  reply(std::move(rendered));
}

void create_ticket(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                   const ReplyOnce& reply) {
  const PageContext page_ctx = page_context(*state, context);
  const Texts& t = *page_ctx.texts;
  if (!state->form_limiter->allow(request.remote_address, std::chrono::steady_clock::now())) {
    if (state->logger) {
      state->logger->warn("web: {} sent more than {} forms a minute; refused one",
                          request.remote_address, state->settings.tickets_per_minute);
    }
    HttpResponse response = message_response(page_ctx, 429, t.too_many_title, t.too_many_text);
    response.headers.emplace_back("Retry-After", "60");
    reply(std::move(response));
    return;
  }
  auto form = read_form(*state, request, page_ctx, reply);
  if (!form) {
    return;
  }
  const auto& fields = form->fields;
  // The policy in force now (SIGHUP may have replaced it since the form was shown).
  const supportgw::sdk::IntakeForm intake = context.intake_form();
  std::vector<std::string> missing = missing_on_form(intake, t, fields, form->files.size());
  const std::string email = field_or_empty(fields, "customer_email");
  const std::string severity = field_or_empty(fields, "severity");
  // The policy's levels when it has any, else the channel's setting.
  const std::size_t policy_levels = context.policy().severities.size();
  const int levels =
      policy_levels > 0 ? static_cast<int>(policy_levels) : state->settings.severity_levels;
  std::optional<int> level;
  if (!severity.empty()) {
    const bool digits =
        severity.size() <= 2 && std::all_of(severity.begin(), severity.end(),
                                            [](unsigned char c) { return std::isdigit(c) != 0; });
    if (digits && std::stoi(severity) >= 1 && std::stoi(severity) <= levels) {
      level = std::stoi(severity);
    } else {
      missing.emplace_back(t.severity);
    }
  }
  if (!email.empty() && email.find('@') == std::string::npos) {
    missing.emplace_back(t.email);
  }
  if (!missing.empty()) {
    discard(form->files);
    NewTicketForm again;
    again.values = fields;
    again.values.erase("csrf");
    std::string list;
    for (const auto& label : missing) {
      list += (list.empty() ? "" : ", ") + label;
    }
    again.errors.push_back(std::string(t.required_missing) + " " + list);
    again.csrf = field_or_empty(fields, "csrf");
    again.submission = state->random->hex(16);
    again.severity_levels = state->settings.severity_levels;
    again.severities = context.policy().severities;
    again.max_upload = state->settings.max_upload;
    again.max_files = state->settings.max_files;
    again.intake = intake;
    reply(page(400, new_ticket_page(page_ctx, again)));
    return;
  }

  InboundMessage message;
  message.channel = state->channel_name;
  message.origin_id = origin_of("ticket", field_or_empty(fields, "submission"));
  message.route = state->settings.form_route;
  message.subject = field_or_empty(fields, "subject");
  message.text = field_or_empty(fields, "description");
  message.sender.name = field_or_empty(fields, "customer_name");
  message.sender.email = email;
  message.sender.company = field_or_empty(fields, "customer_company");
  message.sender.phone = field_or_empty(fields, "customer_phone");
  for (const char* name : {"product", "product_version"}) {
    if (const std::string value = field_or_empty(fields, name); !value.empty()) {
      message.fields[name] = value;
    }
  }
  // The vendor's own fields, under their policy ids (intake checks their sizes).
  for (const auto& field : intake.fields) {
    if (!field.custom) {
      continue;
    }
    if (const std::string value = field_or_empty(fields, input_name(field)); !value.empty()) {
      message.fields[field.id] = value;
    }
  }
  message.requested_severity = level;
  message.attachments = attachments_of(form->files);
  message.received_at = std::chrono::system_clock::now();
  const std::string remote = request.remote_address;
  // Read here, on the channel's thread: the gateway links the new ticket to these same
  // open incidents before it answers (a completion must stay short).
  context.submit(std::move(message), [state, reply, page_ctx, remote, context = &context,
                                      files = std::move(form->files)](Result<IntakeResult> result) {
    try {
      if (!result.ok()) {
        // Nothing was kept, so the files are no one's.
        discard(files);
        if (state->logger) {
          state->logger->warn("web: the gateway did not take a form from {}: {}", remote,
                              result.status().message());
        }
        reply(failure_page(page_ctx, result.status()));
        return;
      }
      const IntakeResult& intake = result.value();
      if (state->logger) {
        state->logger->info("web: form from {}: {} {} ({} files)", remote,
                            outcome_name(intake.outcome), intake.reference, files.size());
      }
      const bool created = intake.outcome == IntakeResult::Outcome::created;
      reply(page(
          created ? 201 : 200,
          created_page(
              page_ctx, intake, files,
              created ? known_incidents_html(page_ctx, linked_incidents(*context, intake)) : "")));
    } catch (...) {
      reply(
          message_response(page_ctx, 500, page_ctx.texts->error_title, page_ctx.texts->error_text));
    }
  });
}

void show_ticket(const StatePtr& state, ChannelContext& context, const HttpRequest& request,
                 const std::string& reference, const ReplyOnce& reply) {
  const PageContext page_ctx = page_context(*state, context);
  const std::string token = request.query_parameter("token").value_or("");
  auto ticket = context.find_ticket(reference, token);
  if (token.empty() || !ticket.ok()) {
    reply(failure_page(page_ctx, ticket.ok() ? supportgw::sdk::Status(StatusCode::not_found, "")
                                             : ticket.status()));
    return;
  }
  HttpResponse cookie;
  const std::string csrf = csrf_for(*state, request, &cookie);
  HttpResponse response =
      page(200, ticket_page(page_ctx, ticket.value(), token, csrf, state->random->hex(16)));
  response.headers.insert(response.headers.end(), cookie.headers.begin(), cookie.headers.end());
  reply(std::move(response));
}

void add_comment(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                 const std::string& reference, const ReplyOnce& reply) {
  const PageContext page_ctx = page_context(*state, context);
  auto form = read_form(*state, request, page_ctx, reply);
  if (!form) {
    return;
  }
  const std::string token = field_or_empty(form->fields, "token");
  // Checked here rather than left to intake: with a wrong token intake would open a new
  // ticket, and this page must not say whether the reference exists.
  auto ticket = context.find_ticket(reference, token);
  if (token.empty() || !ticket.ok()) {
    discard(form->files);
    reply(failure_page(page_ctx, supportgw::sdk::Status(StatusCode::not_found, "")));
    return;
  }
  const std::string comment = field_or_empty(form->fields, "comment");
  if (std::all_of(comment.begin(), comment.end(),
                  [](unsigned char c) { return std::isspace(c) != 0; }) &&
      form->files.empty()) {
    reply(redirect(ticket_link(page_ctx, reference, token)));
    return;
  }
  InboundMessage message;
  message.channel = state->channel_name;
  message.origin_id = origin_of("comment", field_or_empty(form->fields, "submission"));
  message.route = state->settings.form_route;
  message.subject = "Re: " + ticket->subject;
  message.text = comment;
  message.sender.name = ticket->customer_name;
  message.sender.email = ticket->customer_email;
  message.claimed_reference = reference;
  message.claimed_token = token;
  message.attachments = attachments_of(form->files);
  message.received_at = std::chrono::system_clock::now();
  const std::string remote = request.remote_address;
  context.submit(std::move(message), [state, reply, page_ctx, remote, reference, token,
                                      files = std::move(form->files)](Result<IntakeResult> result) {
    try {
      if (!result.ok()) {
        discard(files);
        if (state->logger) {
          state->logger->warn("web: the gateway did not take a comment on {} from {}: {}",
                              reference, remote, result.status().message());
        }
        reply(failure_page(page_ctx, result.status()));
        return;
      }
      if (state->logger) {
        state->logger->info("web: comment from {}: {} {}", remote, outcome_name(result->outcome),
                            result->reference);
      }
      // Post/redirect/get: a reload of the ticket page does not send the comment again.
      reply(redirect(ticket_link(page_ctx, result->reference, token)));
    } catch (...) {
      reply(
          message_response(page_ctx, 500, page_ctx.texts->error_title, page_ctx.texts->error_text));
    }
  });
}

bool method_is(const HttpRequest& request, std::initializer_list<std::string_view> methods) {
  return std::find(methods.begin(), methods.end(), request.method) != methods.end();
}

void wrong_method(const StatePtr& state, ChannelContext& context, const ReplyOnce& reply,
                  std::string_view allow) {
  const PageContext page_ctx = page_context(*state, context);
  HttpResponse response =
      message_response(page_ctx, 405, page_ctx.texts->error_title, page_ctx.texts->error_text);
  response.headers.emplace_back("Allow", std::string(allow));
  reply(std::move(response));
}

}  // namespace

void add_page_headers(HttpResponse& response) {
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("Cache-Control", "no-store");
}

bool route_portal(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                  const ReplyOnce& reply) {
  const std::string& path = request.path;
  if (path == "/") {
    if (!method_is(request, {"GET", "HEAD"})) {
      wrong_method(state, context, reply, "GET, HEAD");
    } else {
      show_form(state, context, request, reply);
    }
    return true;
  }
  if (path == "/tickets") {
    if (method_is(request, {"POST"})) {
      create_ticket(state, context, request, reply);
    } else if (method_is(request, {"GET", "HEAD"})) {
      const PageContext page_ctx = page_context(*state, context);
      const std::string reference = request.query_parameter("reference").value_or("");
      const std::string token = request.query_parameter("token").value_or("");
      reply(redirect(reference.empty() ? page_ctx.base_url + "/"
                                       : ticket_link(page_ctx, reference, token)));
    } else {
      wrong_method(state, context, reply, "GET, HEAD, POST");
    }
    return true;
  }
  if (!path.starts_with(kTicketsPrefix)) {
    return false;
  }
  std::string rest = path.substr(kTicketsPrefix.size());
  const bool comments = rest.ends_with(kCommentsSuffix);
  if (comments) {
    rest.resize(rest.size() - kCommentsSuffix.size());
  }
  if (rest.empty() || rest.size() > 100 || rest.find('/') != std::string::npos) {
    return false;
  }
  if (comments) {
    if (!method_is(request, {"POST"})) {
      wrong_method(state, context, reply, "POST");
    } else {
      add_comment(state, context, request, rest, reply);
    }
  } else if (!method_is(request, {"GET", "HEAD"})) {
    wrong_method(state, context, reply, "GET, HEAD");
  } else {
    show_ticket(state, context, request, rest, reply);
  }
  return true;
}

}  // namespace web

#include "core/host/channel_context_impl.hpp"

#include <spdlog/logger.h>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <system_error>

#include "core/domain/api_key_secret.hpp"
#include "core/domain/file_name.hpp"
#include "core/host/gateway_metrics.hpp"
#include "core/tickets/ticket_operations.hpp"
#include "core/tickets/upload_refusal.hpp"
#include "core/tickets/upload_token.hpp"
#include "core/util/error.hpp"
#include "core/util/time.hpp"

namespace supportgw::host {

namespace {

constexpr std::size_t kMaxReferenceBytes = 200;
constexpr std::size_t kMaxOriginBytes = 1'000;
constexpr std::size_t kMaxNameBytes = 1'000;

std::chrono::system_clock::time_point time_point_of(Timestamp at) {
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(at);
}

// True when `file` names an existing regular file inside `folder` (after resolving
// symbolic links and ".."): a channel may hand in only what it wrote to its own folder.
bool inside(const std::filesystem::path& folder, const std::filesystem::path& file) {
  std::error_code error;
  const auto root = std::filesystem::canonical(folder, error);
  if (error) {
    return false;
  }
  const auto resolved = std::filesystem::canonical(file, error);
  if (error || !std::filesystem::is_regular_file(resolved, error)) {
    return false;
  }
  const auto relative = resolved.lexically_relative(root);
  return !relative.empty() && *relative.begin() != "..";
}

// Event kinds a customer sees; internal notes, escalations and SLA breaches stay inside.
bool is_public(EventKind kind) {
  switch (kind) {
    case EventKind::created:
    case EventKind::status_changed:
    case EventKind::reopened:
    case EventKind::responded:
    case EventKind::customer_replied:
    case EventKind::attachment_added:
    case EventKind::incident:  // the status page's updates, public there too
      return true;
    default:
      return false;
  }
}

}  // namespace

// The cursor is the last row's id: keyset paging stays stable while rows are added,
// unlike an offset.
std::optional<std::int64_t> page_cursor(std::string_view after) {
  const bool digits =
      !after.empty() && after.size() <= 18 &&
      std::all_of(after.begin(), after.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
  if (!digits) return std::nullopt;
  return std::stoll(std::string(after));
}

sdk::Status status_from(std::exception_ptr error) {
  if (!error) {
    return {};
  }
  try {
    std::rethrow_exception(error);
  } catch (const NotFound& e) {
    return {sdk::StatusCode::not_found, e.what()};
  } catch (const IllegalTransition& e) {
    return {sdk::StatusCode::denied, e.what()};
  } catch (const InvalidArgument& e) {
    return {sdk::StatusCode::invalid_argument, e.what()};
  } catch (const StoreError& e) {
    return {sdk::StatusCode::unavailable, e.what()};
  } catch (const std::exception& e) {
    return {sdk::StatusCode::internal, e.what()};
  } catch (...) {
    return {sdk::StatusCode::internal, "unknown exception"};
  }
}

ChannelContextImpl::ChannelContextImpl(std::string name, sdk::Settings settings,
                                       std::filesystem::path storage_dir,
                                       std::shared_ptr<spdlog::logger> logger,
                                       boost::asio::any_io_executor completions,
                                       int suggested_threads, GatewayServices& services)
    : name_(std::move(name)),
      settings_(std::move(settings)),
      storage_dir_(std::move(storage_dir)),
      logger_(std::move(logger)),
      completions_(std::move(completions)),
      suggested_threads_(suggested_threads),
      services_(services) {}

// Runs the plugin's completion on a host io thread; what it throws is logged, not let
// loose on the thread.
// Called exactly once for every submit() and attach(), which counted themselves in.
template <class Done, class Value>
void ChannelContextImpl::complete(Done done, Value value) {
  boost::asio::post(completions_, [done = std::move(done), value = std::move(value),
                                   logger = logger_, in_flight = in_flight_]() mutable {
    try {
      done(std::move(value));
    } catch (const std::exception& error) {
      logger->error("a completion of this channel threw: {}", error.what());
    } catch (...) {
      logger->error("a completion of this channel threw an unknown exception");
    }
    // Destroy the plugin's callable before saying it is gone (see wait_for_completions).
    done = nullptr;
    std::lock_guard lock(in_flight->mutex);
    if (--in_flight->count == 0) {
      in_flight->idle.notify_all();
    }
  });
}

// For the incident members in channel_context_incidents.cpp, which share complete().
template void
    ChannelContextImpl::complete<ChannelContextImpl::IncidentDone, sdk::Result<sdk::IncidentView>>(
        IncidentDone, sdk::Result<sdk::IncidentView>);
// For change_ticket() in channel_context_staff.cpp.
template void
    ChannelContextImpl::complete<ChannelContextImpl::ChangeDone, sdk::Result<sdk::TicketView>>(
        ChangeDone, sdk::Result<sdk::TicketView>);

void ChannelContextImpl::count_in_flight() {
  std::lock_guard lock(in_flight_->mutex);
  ++in_flight_->count;
}

void ChannelContextImpl::wait_for_completions() {
  std::unique_lock lock(in_flight_->mutex);
  while (!in_flight_->idle.wait_for(lock, std::chrono::seconds(5),
                                    [this] { return in_flight_->count == 0; })) {
    logger_->warn("waiting for {} completion(s) before the plugin can be unloaded",
                  in_flight_->count);
  }
}

void ChannelContextImpl::submit(sdk::InboundMessage message, SubmitDone done) {
  count_in_flight();
  if (closed_) {
    complete(std::move(done), sdk::Result<sdk::IntakeResult>(sdk::Status(
                                  sdk::StatusCode::unavailable, "the gateway is stopping")));
    return;
  }
  // A channel speaks only for itself.
  message.channel = name_;
  auto shared_done = std::make_shared<SubmitDone>(std::move(done));
  try {
    services_.submit(std::move(message), [this, shared_done](std::exception_ptr error,
                                                             sdk::IntakeResult result) {
      if (error) {
        complete(std::move(*shared_done), sdk::Result<sdk::IntakeResult>(status_from(error)));
        return;
      }
      services_.outbox_changed();
      complete(std::move(*shared_done), sdk::Result<sdk::IntakeResult>(std::move(result)));
    });
  } catch (...) {
    complete(std::move(*shared_done),
             sdk::Result<sdk::IntakeResult>(status_from(std::current_exception())));
  }
}

void ChannelContextImpl::attach(sdk::AttachRequest request, AttachDone done) {
  attach_file(std::move(request), std::move(done), /*check_token=*/true);
}

// The channel vouches for the uploader (a drop box the vendor runs): no token to check.
void ChannelContextImpl::attach_vouched(sdk::AttachRequest request, AttachDone done) {
  attach_file(std::move(request), std::move(done), /*check_token=*/false);
}

void ChannelContextImpl::attach_file(sdk::AttachRequest request, AttachDone done,
                                     bool check_token) {
  count_in_flight();
  const auto refuse = [&](sdk::StatusCode code, std::string why) {
    complete(std::move(done),
             sdk::Status(code, "attach to " + request.reference.substr(0, kMaxReferenceBytes) +
                                   ": " + std::move(why)));
  };
  if (closed_) {
    return refuse(sdk::StatusCode::unavailable, "the gateway is stopping");
  }
  if (request.reference.empty() || request.reference.size() > kMaxReferenceBytes) {
    return refuse(sdk::StatusCode::invalid_argument, "no reference, or one too long");
  }
  if (request.origin_id.empty() || request.origin_id.size() > kMaxOriginBytes) {
    return refuse(sdk::StatusCode::invalid_argument, "no origin id, or one too long");
  }
  if (request.file.file_name.size() > kMaxNameBytes || request.note.size() > kMaxNameBytes) {
    return refuse(sdk::StatusCode::invalid_argument, "file name or note too long");
  }
  if (!is_sha256_hex(request.file.sha256)) {
    return refuse(sdk::StatusCode::invalid_argument, "sha256 is not 64 lowercase hex digits");
  }
  if (!inside(storage_dir_, request.file.stored_path)) {
    return refuse(sdk::StatusCode::invalid_argument, "the file " + request.file.stored_path +
                                                         " is not in the channel's folder " +
                                                         storage_dir_.string());
  }
  std::error_code size_error;
  const auto actual_size = std::filesystem::file_size(request.file.stored_path, size_error);
  if (size_error || actual_size != request.file.size) {
    return refuse(sdk::StatusCode::invalid_argument,
                  "the file " + request.file.stored_path + " does not have the size given");
  }

  const Timestamp now = SystemClock().now();
  // Only a customer's token expires; a vouched upload has none.
  const auto token_lifetime =
      check_token ? services_.upload_token_lifetime() : std::chrono::minutes::zero();
  auto shared_done = std::make_shared<AttachDone>(std::move(done));
  // Set when a vouched file is refused for a closed ticket after the refusal was recorded
  // (committed, unlike a refusal thrown): the caller still hears `denied`.
  auto refusal = std::make_shared<std::string>();
  services_.store().submit(
      [this, request = std::move(request), now, check_token, token_lifetime, refusal,
       language = services_.language()](WriteTransaction& tx) {
        refusal->clear();  // set afresh if the unit runs again (store.hpp)
        const Origin origin{name_, request.origin_id};
        if (tx.intake_record(origin)) {
          return;  // attached before: the same upload handed in twice
        }
        const std::optional<Ticket> found = tx.ticket_by_reference(request.reference);
        // One answer for "no such ticket" and "wrong token", so nobody can probe.
        if (check_token && !tickets::verify_token(tx, found ? &*found : nullptr, request.token)) {
          throw NotFound("no ticket " + request.reference + " with that token");
        }
        if (!found) {
          throw NotFound("no ticket " + request.reference);
        }
        const Ticket ticket = *found;
        if (!check_token && ticket.status == TicketStatus::closed) {
          // A drop box's uploader hears nothing from the box: tell the customer here
          // (upload_refusal.hpp), once per file.
          tickets::record_refused_upload(
              tx, ticket, {origin, request.file.file_name, request.file.size}, language, now);
          *refusal = "attach to " + ticket.reference +
                     ": the ticket is closed and takes no more uploads" +
                     (ticket.customer.email.empty() ? "" : " (the customer is told by mail)");
          return;
        }
        // Closed, or the token's upload lifetime ran out: denied, saying what to do.
        tickets::require_upload_allowed(tx, ticket, token_lifetime, now);
        Attachment attachment;
        attachment.ticket_id = ticket.id;
        attachment.file_name = sanitise_file_name(request.file.file_name);
        attachment.size = request.file.size;
        attachment.sha256 = request.file.sha256;
        attachment.storage_path = request.file.stored_path;
        attachment.source_channel = name_;
        attachment.created_at = now;
        tx.insert_attachment(attachment);
        std::string text = attachment.file_name + " (" + std::to_string(attachment.size) +
                           " bytes, SHA-256 " + attachment.sha256 + ")";
        if (!request.note.empty()) {
          text += ": " + request.note;
        }
        const EventId event = tx.append_event(actor_event(ticket.id, EventKind::attachment_added,
                                                          Actor{"customer", name_}, now, text));
        // A receipt, so the customer can check that what arrived is what was sent.
        if (!ticket.customer.email.empty()) {
          tx.enqueue_outbox(
              NewOutboxMessage{
                  ticket.id, "mail", ticket.customer.email,
                  "[" + ticket.reference + "] File received: " + attachment.file_name,
                  "We received your file for ticket " + ticket.reference + ":\n\n" + text + "\n",
                  std::nullopt},
              now);
        }
        IntakeRecord record;
        record.origin = origin;
        record.ticket_id = ticket.id;
        record.event_id = event;
        record.outcome = "attached";
        record.at = now;
        tx.record_intake(record);
      },
      [this, shared_done, refusal](std::exception_ptr error) {
        if (!error) {
          services_.outbox_changed();  // the receipt, or the refusal's mail
        }
        if (!error && !refusal->empty()) {
          complete(std::move(*shared_done), sdk::Status(sdk::StatusCode::denied, *refusal));
          return;
        }
        complete(std::move(*shared_done), status_from(error));
      });
}

// An internal note (EventKind::comment): what a channel learnt about a ticket's file
// after acknowledging it, never shown to the customer.
void ChannelContextImpl::annotate(std::string reference, std::string text, AnnotateDone done) {
  count_in_flight();
  constexpr std::size_t kMaxNoteBytes = 64 * 1024;
  const auto refuse = [&](sdk::StatusCode code, std::string why) {
    complete(std::move(done),
             sdk::Status(code, "annotate " + reference.substr(0, kMaxReferenceBytes) + ": " +
                                   std::move(why)));
  };
  if (closed_) {
    return refuse(sdk::StatusCode::unavailable, "the gateway is stopping");
  }
  if (reference.empty() || reference.size() > kMaxReferenceBytes) {
    return refuse(sdk::StatusCode::invalid_argument, "no reference, or one too long");
  }
  if (text.empty() || text.size() > kMaxNoteBytes) {
    return refuse(sdk::StatusCode::invalid_argument, "empty note, or one over 64 KiB");
  }
  const Timestamp now = SystemClock().now();
  auto shared_done = std::make_shared<AnnotateDone>(std::move(done));
  services_.store().submit(
      [this, reference = std::move(reference), text = std::move(text), now](WriteTransaction& tx) {
        const auto ticket = tx.ticket_by_reference(reference);
        if (!ticket) {
          throw NotFound("no ticket " + reference);
        }
        tx.append_event(actor_event(ticket->id, EventKind::comment, Actor{"system:" + name_, name_},
                                    now, text));
      },
      [this, shared_done](std::exception_ptr error) {
        complete(std::move(*shared_done), status_from(error));
      });
}

sdk::Result<sdk::TicketView> ChannelContextImpl::find_ticket(std::string_view reference) {
  return view_of(reference, nullptr);
}

sdk::Result<sdk::TicketView> ChannelContextImpl::find_ticket(std::string_view reference,
                                                             std::string_view token) {
  const std::string presented(token);
  return view_of(reference, &presented);
}

sdk::Result<std::string> ChannelContextImpl::check_api_key(std::string_view key) {
  const sdk::Status unknown(sdk::StatusCode::not_found, "unknown or revoked API key");
  // A real key is "sgw_" + 64 hex digits; anything far longer is not worth hashing.
  constexpr std::size_t kMaxKeyBytes = 256;
  if (key.empty() || key.size() > kMaxKeyBytes) {
    return unknown;
  }
  try {
    const std::string hash = api_key_hash(key);
    const auto found =
        services_.store().query([&](ReadTransaction& tx) { return tx.api_key_by_hash(hash); });
    if (!found || found->revoked_at) {
      return unknown;
    }
    return found->name;
  } catch (...) {
    return status_from(std::current_exception());
  }
}

sdk::TicketView ChannelContextImpl::summary_of(const Ticket& ticket) const {
  sdk::TicketView view;
  view.reference = ticket.reference;
  view.subject = ticket.subject;
  view.status = std::string(to_string(ticket.status));
  view.severity = ticket.severity;
  view.severity_name = services_.severity_name(ticket.severity);
  view.customer_name = ticket.customer.name;
  view.customer_email = ticket.customer.email;
  view.product = ticket.product;
  view.product_version = ticket.product_version;
  view.created_at = time_point_of(ticket.created_at);
  view.updated_at = time_point_of(ticket.updated_at);
  return view;
}

sdk::Result<sdk::TicketPage> ChannelContextImpl::list_tickets(const sdk::TicketQuery& query) {
  constexpr std::size_t kMaxPage = 500;
  TicketFilter filter;
  if (!query.status.empty()) {
    filter.status = parse_ticket_status(query.status);
    if (!filter.status) {
      return sdk::Status(sdk::StatusCode::invalid_argument,
                         "status: expected new, open, pending-customer, solved or closed");
    }
  }
  if (query.severity < 0) {
    return sdk::Status(sdk::StatusCode::invalid_argument, "severity: expected a level from 1");
  }
  if (query.severity > 0) {
    filter.severity = query.severity;
  }
  if (query.limit < 1 || query.limit > kMaxPage) {
    return sdk::Status(sdk::StatusCode::invalid_argument, "limit: expected 1 to 500");
  }
  if (!query.after.empty()) {
    const auto cursor = page_cursor(query.after);
    if (!cursor) {
      return sdk::Status(sdk::StatusCode::invalid_argument,
                         "after: expected the `next` of a previous page");
    }
    filter.after_id = *cursor;
  }
  // One more than asked tells whether another page follows.
  filter.limit = query.limit + 1;
  try {
    auto tickets =
        services_.store().query([&](ReadTransaction& tx) { return tx.list_tickets(filter); });
    sdk::TicketPage page;
    const bool more = tickets.size() > query.limit;
    tickets.resize(std::min(tickets.size(), query.limit));
    for (const Ticket& ticket : tickets) {
      page.tickets.push_back(summary_of(ticket));
    }
    if (more && !tickets.empty()) {
      page.next = std::to_string(tickets.back().id);
    }
    return page;
  } catch (...) {
    return status_from(std::current_exception());
  }
}

sdk::Result<std::vector<sdk::MetricSample>> ChannelContextImpl::gateway_metrics() {
  try {
    const GatewayCounts counts =
        services_.store().query([](ReadTransaction& tx) { return tx.gateway_counts(); });
    return metric_samples(counts);
  } catch (...) {
    return status_from(std::current_exception());
  }
}

sdk::Result<sdk::TicketView> ChannelContextImpl::find_ticket_for_upload(std::string_view reference,
                                                                        std::string_view token) {
  const std::string presented(token);
  return view_of(reference, &presented, /*for_upload=*/true);
}

sdk::Result<sdk::TicketView> ChannelContextImpl::view_of(std::string_view reference,
                                                         const std::string* token,
                                                         bool for_upload) {
  const sdk::Status not_found(sdk::StatusCode::not_found,
                              "no ticket " + std::string(reference.substr(0, kMaxReferenceBytes)) +
                                  (token != nullptr ? " with that token" : ""));
  if (reference.empty() || reference.size() > kMaxReferenceBytes) {
    return not_found;
  }
  // A wrong token and an unknown reference answer alike, and take as long: the
  // presented token is hashed and compared in constant time either way.
  const auto token_fits = [&](const std::optional<TokenHash>& stored) {
    const TokenHash presented = hash_presented_token(*token);
    return token_hash_equal(presented, stored.value_or(TokenHash{})) && stored.has_value();
  };
  // reopenable depends on the clock, so it is worked out on every answer. By value: a
  // cache hit hands over its own copy, a fresh read copies the entry it keeps.
  const auto answer = [&](CachedTicketView cached) {
    sdk::TicketView view = std::move(cached.view);
    const auto window = services_.reopen_window();
    view.reopenable = cached.solved && window.count() > 0 &&
                      (!cached.solved_at || SystemClock().now() - *cached.solved_at <= window);
    return view;
  };
  try {
    // Taken before the read: a commit during the read changes it, so the entry put
    // below is never answered for data newer than what it holds.
    std::optional<std::uint64_t> version;
    if (!for_upload) {
      version = services_.store().data_version();
      if (auto cached = views_.find(reference, *version)) {
        if (token != nullptr && !token_fits(cached->token_hash)) {
          return not_found;
        }
        return answer(std::move(*cached));
      }
    }
    struct Snapshot {
      Ticket ticket;
      std::optional<TokenHash> token_hash;
      std::vector<Event> events;
      std::vector<Attachment> files;
    };
    const auto upload_lifetime =
        for_upload ? services_.upload_token_lifetime() : std::chrono::minutes::zero();
    const auto snapshot =
        services_.store().query([&](ReadTransaction& tx) -> std::optional<Snapshot> {
          auto ticket = tx.ticket_by_reference(reference);
          auto stored = ticket ? tx.token_hash(ticket->id) : std::nullopt;
          if (token != nullptr && !token_fits(stored)) {
            return std::nullopt;
          }
          if (!ticket) {
            return std::nullopt;
          }
          if (for_upload) {  // closed, or the token's upload lifetime ran out: denied
            tickets::require_upload_allowed(tx, *ticket, upload_lifetime, SystemClock().now());
          }
          return Snapshot{*ticket, stored, tx.events(ticket->id), tx.attachments(ticket->id)};
        });
    if (!snapshot) {
      return not_found;
    }
    const Ticket& ticket = snapshot->ticket;
    CachedTicketView entry;
    entry.token_hash = snapshot->token_hash;
    entry.view = summary_of(ticket);
    for (const Event& event : snapshot->events) {
      for (const FieldChange& change : event.changes) {
        if (change.field == "status" && change.new_value == "solved") {
          entry.solved_at = event.at;
        }
      }
      if (!is_public(event.kind)) {
        continue;
      }
      entry.view.history.push_back(sdk::TicketHistoryEntry{time_point_of(event.at),
                                                           std::string(to_string(event.kind)),
                                                           event.actor, event.channel, event.text});
    }
    entry.solved = ticket.status == TicketStatus::solved;
    for (const Attachment& file : snapshot->files) {
      if (file.deleted_at) {
        continue;  // deleted under the retention policy; the history says so
      }
      entry.view.files.push_back(
          sdk::TicketFile{file.file_name, file.size, file.sha256, time_point_of(file.created_at)});
    }
    sdk::TicketView view = answer(entry);
    if (version) {
      entry.data_version = *version;
      views_.put(std::move(entry));
    }
    return view;
  } catch (...) {
    return status_from(std::current_exception());
  }
}

}  // namespace supportgw::host

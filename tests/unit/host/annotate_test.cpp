// ChannelContext::annotate (SDK 1.2): an internal note recorded on a ticket after the fact.

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <sqlite3.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <future>
#include <thread>
#include <tuple>

#include "core/host/channel_context_impl.hpp"
#include "core/tickets/ticket_operations.hpp"
#include "core/tickets/upload_refusal.hpp"
#include "tests/support/store_fixture.hpp"

namespace supportgw::host {
namespace {

// Only the store is used by annotate; the rest answers with neutral values.
class StoreOnlyServices final : public GatewayServices {
 public:
  explicit StoreOnlyServices(Store& store) : store_(store) {}
  void submit(sdk::InboundMessage, IntakeDone) override { FAIL() << "not used"; }
  Store& store() override { return store_; }
  void change_ticket(std::string, StaffChange, Actor, TicketDesk::ChangeDone) override {
    FAIL() << "not used";
  }
  void outbox_changed() override {}
  std::string vendor_name() const override { return "Example"; }
  std::string language() const override { return language_; }
  std::string severity_name(int) const override { return "S2"; }
  std::chrono::minutes reopen_window() const override { return {}; }
  std::chrono::minutes upload_token_lifetime() const override { return {}; }
  std::string escalation_step_label(int, int step) const override {
    return "step " + std::to_string(step + 1);
  }
  sdk::PolicyView policy_view() const override { return {}; }
  sdk::IntakeForm intake_form() const override { return {}; }

  std::string language_ = "en";

 private:
  Store& store_;
};

class AnnotateTest : public ::testing::Test {
 protected:
  AnnotateTest()
      : services_(fixture_.store()),
        context_("ftp", sdk::Settings{}, dir_.path(),
                 std::make_shared<spdlog::logger>("ftp",
                                                  std::make_shared<spdlog::sinks::null_sink_mt>()),
                 io_.get_executor(), 1, services_) {
    runner_ = std::thread([this] { io_.run(); });
  }
  ~AnnotateTest() override {
    guard_.reset();
    runner_.join();
  }

  sdk::Status annotate(std::string reference, std::string text) {
    std::promise<sdk::Status> outcome;
    context_.annotate(std::move(reference), std::move(text),
                      [&outcome](sdk::Status status) { outcome.set_value(std::move(status)); });
    return outcome.get_future().get();
  }

  testing::StoreFixture fixture_;
  testing::TempDir dir_;
  StoreOnlyServices services_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_ =
      boost::asio::make_work_guard(io_);
  ChannelContextImpl context_;
  std::thread runner_;
};

TEST_F(AnnotateTest, RecordsAnInternalNoteOnTheTicket) {
  const auto created = fixture_.create();
  ASSERT_TRUE(annotate(created.ticket.reference, "type: application/zip").ok());
  const auto events =
      fixture_.store().query([&](ReadTransaction& tx) { return tx.events(created.ticket.id); });
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind, EventKind::comment);
  EXPECT_EQ(events.back().text, "type: application/zip");
  EXPECT_EQ(events.back().channel, "ftp");
}

TEST_F(AnnotateTest, UnknownTicketIsNotFound) {
  EXPECT_EQ(annotate("SR-2026-999999", "x").code(), sdk::StatusCode::not_found);
}

// ticket_incidents() (SDK 1.5): what intake linked, read after the commit, with updates.
TEST_F(AnnotateTest, TicketIncidentsAreTheLinkedOnesWithTheirUpdates) {
  const auto linked = fixture_.create();
  const auto unlinked = fixture_.create();
  const Timestamp now = fixture_.now();
  fixture_.store().write([&](WriteTransaction& tx) {
    for (const char* title : {"Mail delayed", "Logins slow"}) {
      Incident incident;
      incident.public_id = "INC-" + std::to_string(tx.next_sequence("incident"));
      incident.title = title;
      incident.components = {"email"};
      incident.created_at = incident.updated_at = now;
      const IncidentId id = tx.insert_incident(incident);
      tx.append_incident_update({0, id, IncidentStatus::investigating, "Looking", now});
      tx.link_incident_ticket(id, linked.ticket.id, now);
    }
  });
  const auto found = context_.ticket_incidents(linked.ticket.reference);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ(found.value()[0].id, "INC-1");
  EXPECT_EQ(found.value()[1].title, "Logins slow");
  ASSERT_EQ(found.value()[0].updates.size(), 1u);
  EXPECT_EQ(found.value()[0].updates[0].body, "Looking");
  EXPECT_TRUE(found.value()[0].tickets.empty());  // the vendor's business: incident() has them

  const auto none = context_.ticket_incidents(unlinked.ticket.reference);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(context_.ticket_incidents("SR-2026-999999").status().code(),
            sdk::StatusCode::not_found);
  EXPECT_EQ(context_.ticket_incidents("").status().code(), sdk::StatusCode::not_found);
}

// find_ticket() answers repeated reads from a cache (ticket_view_cache.hpp), which must
// follow every commit: this daemon's own writer, and another process's (the CLI, a
// script), here a plain SQLite connection of the test's.
TEST_F(AnnotateTest, CachedTicketViewsFollowEveryCommitFromHereOrAnotherProcess) {
  const auto created = fixture_.create();
  const std::string reference = created.ticket.reference;
  const std::string token = created.token;
  ASSERT_EQ(context_.find_ticket(reference, token)->status, "new");
  ASSERT_EQ(context_.find_ticket(reference, token)->status, "new");  // now from the cache

  fixture_.store().write([&](WriteTransaction& tx) {
    tickets::resolve(tx, reference, "Fixed by a reboot.", fixture_.actor(), fixture_.now());
  });
  auto seen = context_.find_ticket(reference, token);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->status, "solved");
  EXPECT_EQ(seen->history.back().text, "Fixed by a reboot.");

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(fixture_.database_path().c_str(), &other), SQLITE_OK);
  sqlite3_busy_timeout(other, 10'000);
  const std::string sql =
      "UPDATE tickets SET subject = 'Changed elsewhere' WHERE reference = '" + reference + "'";
  EXPECT_EQ(sqlite3_exec(other, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(other);
  sqlite3_close(other);
  // Another process's commit is seen within the store's check interval.
  std::this_thread::sleep_for(sqlite::SqliteStoreOptions{}.foreign_commit_check * 2);
  EXPECT_EQ(context_.find_ticket(reference, token)->subject, "Changed elsewhere");
  EXPECT_EQ(context_.find_ticket(reference)->subject, "Changed elsewhere");
}

// A cached view still checks the token: a wrong one is not found, like an unknown ticket.
TEST_F(AnnotateTest, ACachedViewStillChecksTheToken) {
  const auto created = fixture_.create();
  ASSERT_TRUE(context_.find_ticket(created.ticket.reference, created.token).ok());
  ASSERT_TRUE(context_.find_ticket(created.ticket.reference).ok());
  const auto wrong = context_.find_ticket(created.ticket.reference, "not-the-token");
  EXPECT_EQ(wrong.status().code(), sdk::StatusCode::not_found);
  EXPECT_EQ(context_.find_ticket(created.ticket.reference, "").status().code(),
            sdk::StatusCode::not_found);
  EXPECT_TRUE(context_.find_ticket(created.ticket.reference, created.token).ok());
}

TEST_F(AnnotateTest, EmptyOrHugeNoteIsRefused) {
  const auto created = fixture_.create();
  EXPECT_EQ(annotate(created.ticket.reference, "").code(), sdk::StatusCode::invalid_argument);
  EXPECT_EQ(annotate(created.ticket.reference, std::string(64 * 1024 + 1, 'x')).code(),
            sdk::StatusCode::invalid_argument);
}

// attach(): size and SHA-256 in the history, and a receipt to the customer in the outbox.
TEST_F(AnnotateTest, AttachRecordsSizeAndHashAndMailsAReceipt) {
  const auto created = fixture_.create();
  testing::write_file(dir_ / "abc.txt", "abc");
  sdk::AttachRequest request;
  request.reference = created.ticket.reference;
  request.token = created.token;
  request.origin_id = "upload-1";
  request.file = {"abc.txt", (dir_ / "abc.txt").string(), 3,
                  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ""};
  for (int attempt = 0; attempt < 2; ++attempt) {  // a retry attaches (and mails) once
    std::promise<sdk::Status> outcome;
    context_.attach(request,
                    [&outcome](sdk::Status status) { outcome.set_value(std::move(status)); });
    ASSERT_TRUE(outcome.get_future().get().ok());
  }
  const auto outbox = fixture_.store().query(
      [&](ReadTransaction& tx) { return tx.ticket_outbox(created.ticket.id); });
  std::size_t receipts = 0;
  for (const auto& message : outbox) {
    if (message.subject.find("File received: abc.txt") != std::string::npos) {
      ++receipts;
      EXPECT_EQ(message.recipient, "ann@example.test");
      EXPECT_NE(message.body.find("3 bytes"), std::string::npos) << message.body;
      EXPECT_NE(message.body.find("ba7816bf8f01cfea"), std::string::npos) << message.body;
    }
  }
  EXPECT_EQ(receipts, 1u);
}

// attach_vouched() (a drop box's file) for a closed ticket: denied, nothing attached, and
// since the box's uploader hears nothing, the history says so and the customer gets one
// mail in the policy's language, however often the box retries.
TEST_F(AnnotateTest, AVouchedFileForAClosedTicketIsRefusedAndTheCustomerToldOnce) {
  services_.language_ = "de";
  const auto created = fixture_.create();
  fixture_.store().write([&](WriteTransaction& tx) {
    tickets::resolve(tx, created.ticket.reference, "", fixture_.actor(), fixture_.now());
    tickets::close(tx, created.ticket.reference, "", fixture_.actor(), fixture_.now());
  });
  testing::write_file(dir_ / "late.log", "abc");
  sdk::AttachRequest request;
  request.reference = created.ticket.reference;
  request.origin_id = "sftp:box:22:/drop/late.log:3:1700000000";
  request.file = {"late.log", (dir_ / "late.log").string(), 3,
                  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ""};
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::promise<sdk::Status> outcome;
    context_.attach_vouched(
        request, [&outcome](sdk::Status status) { outcome.set_value(std::move(status)); });
    const sdk::Status status = outcome.get_future().get();
    EXPECT_EQ(status.code(), sdk::StatusCode::denied) << status.message();
    EXPECT_NE(status.message().find("closed"), std::string::npos) << status.message();
  }
  const auto [outbox, events, attachments] = fixture_.store().query([&](ReadTransaction& tx) {
    return std::tuple(tx.ticket_outbox(created.ticket.id), tx.events(created.ticket.id),
                      tx.attachments(created.ticket.id));
  });
  EXPECT_TRUE(attachments.empty());
  std::size_t mails = 0;
  for (const auto& message : outbox) {
    if (message.subject ==
        tickets::refused_upload_subject("de", created.ticket.reference, "late.log")) {
      ++mails;
      EXPECT_EQ(message.recipient, "ann@example.test");
      EXPECT_NE(message.body.find("geschlossen"), std::string::npos) << message.body;
      EXPECT_NE(message.body.find("neues Ticket"), std::string::npos) << message.body;
    }
  }
  EXPECT_EQ(mails, 1u);
  std::size_t notes = 0;
  for (const Event& event : events) {
    if (event.text.find("late.log (3 bytes) arrived after the ticket was closed") !=
        std::string::npos) {
      ++notes;
    }
  }
  EXPECT_EQ(notes, 1u);
}

// The cache's bounds: past kMaxEntries it starts over, a view past kMaxBytes is never
// kept, and a view is answered only at the version it was read at.
TEST(TicketViewCache, StaysBoundedAndAnswersOnlyAtItsVersion) {
  TicketViewCache cache;
  const auto entry = [](std::string reference, std::uint64_t version, std::size_t text = 0) {
    CachedTicketView cached;
    cached.data_version = version;
    cached.view.reference = std::move(reference);
    if (text > 0)
      cached.view.history.push_back({{}, "comment", "ann", "web", std::string(text, 'x')});
    return cached;
  };
  cache.put(entry("SR-1", 7));
  EXPECT_TRUE(cache.find("SR-1", 7));
  EXPECT_FALSE(cache.find("SR-1", 8));
  EXPECT_FALSE(cache.find("SR-2", 7));
  for (std::size_t i = 2; i <= TicketViewCache::kMaxEntries; ++i) {
    cache.put(entry("SR-" + std::to_string(i), 7));
  }
  EXPECT_EQ(cache.size(), TicketViewCache::kMaxEntries);
  cache.put(entry("SR-one-more", 7));
  EXPECT_EQ(cache.size(), 1u);
  cache.put(entry("SR-huge", 7, TicketViewCache::kMaxBytes));
  EXPECT_FALSE(cache.find("SR-huge", 7));
  EXPECT_TRUE(cache.find("SR-one-more", 7));
}

TEST(UploadRefusalTexts, SpeakThePolicysLanguage) {
  EXPECT_EQ(tickets::refused_upload_subject("en", "SR-1", "a.log"),
            "[SR-1] File not attached: a.log");
  EXPECT_NE(
      tickets::refused_upload_text("en", "SR-1", "a.log", 9).find("after ticket SR-1 was closed"),
      std::string::npos);
  EXPECT_NE(tickets::refused_upload_text("de-DE", "SR-1", "a.log", 9).find("9 Bytes"),
            std::string::npos);
}

}  // namespace
}  // namespace supportgw::host

// Retention of a closed ticket's files: deleted from disk once the period ran out,
// recorded in the history, rows kept and marked; safe to repeat after a crash.

#include "core/tickets/upload_retention.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/tickets/ticket_operations.hpp"
#include "tests/support/store_fixture.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::StoreFixture;

class UploadRetention : public ::testing::Test {
 protected:
  static constexpr minutes kRetention = hours(24 * 90);

  // A ticket with one file per name, closed at the fixture's now when `closed`.
  Ticket ticket_with_files(const std::vector<std::string>& names, bool closed) {
    const auto created = fixture_.create();
    fixture_.store().write([&](WriteTransaction& tx) {
      for (const std::string& name : names) {
        const auto path = files_ / (created.ticket.reference + "-" + name);
        std::ofstream(path) << "dump " << name;
        Attachment attachment;
        attachment.ticket_id = created.ticket.id;
        attachment.file_name = name;
        attachment.size = 5 + name.size();
        attachment.sha256 = std::string(64, 'a');
        attachment.storage_path = path.string();
        attachment.source_channel = "ftp";
        attachment.created_at = fixture_.now();
        tx.insert_attachment(attachment);
      }
      if (closed) {
        tickets::resolve(tx, created.ticket.reference, "", fixture_.actor(), fixture_.now());
        tickets::close(tx, created.ticket.reference, "", fixture_.actor(), fixture_.now());
      }
    });
    return created.ticket;
  }
  std::vector<Attachment> files_of(const Ticket& ticket) {
    return fixture_.store().query([&](ReadTransaction& tx) { return tx.attachments(ticket.id); });
  }
  tickets::RetentionSweep sweep(Timestamp at) {
    return tickets::sweep_upload_retention(fixture_.store(), kRetention, at);
  }

  StoreFixture fixture_;
  testing::TempDir files_;
};

TEST_F(UploadRetention, DeletesAClosedTicketsFilesOnceThePeriodRanOut) {
  const Ticket closed = ticket_with_files({"core.dmp", "app.log"}, true);
  const Ticket open = ticket_with_files({"open.log"}, false);

  EXPECT_EQ(sweep(fixture_.now() + kRetention - minutes(1)).files, 0u);
  for (const Attachment& file : files_of(closed)) {
    EXPECT_TRUE(std::filesystem::exists(file.storage_path));
  }

  const Timestamp due = fixture_.now() + kRetention;
  const auto swept = sweep(due);
  EXPECT_EQ(swept.tickets, 1u);
  EXPECT_EQ(swept.files, 2u);
  EXPECT_TRUE(swept.problems.empty());
  for (const Attachment& file : files_of(closed)) {
    EXPECT_FALSE(std::filesystem::exists(file.storage_path)) << file.storage_path;
    EXPECT_EQ(file.deleted_at, due);
  }
  // The open ticket keeps its file, however old.
  EXPECT_TRUE(std::filesystem::exists(files_of(open).front().storage_path));
  EXPECT_FALSE(files_of(open).front().deleted_at);

  const auto events =
      fixture_.store().query([&](ReadTransaction& tx) { return tx.events(closed.id); });
  const Event& note = events.back();
  EXPECT_EQ(note.kind, EventKind::comment);
  EXPECT_EQ(note.actor, "system:retention");
  EXPECT_NE(note.text.find("core.dmp (13 bytes, SHA-256 " + std::string(64, 'a') + ")"),
            std::string::npos)
      << note.text;
  EXPECT_NE(note.text.find("app.log (12 bytes"), std::string::npos) << note.text;

  // A second pass finds nothing left to do and records nothing twice.
  EXPECT_EQ(sweep(due + hours(1)).files, 0u);
  EXPECT_EQ(
      fixture_.store().query([&](ReadTransaction& tx) { return tx.events(closed.id); }).size(),
      events.size());
}

TEST_F(UploadRetention, AFileAlreadyGoneCountsAsDeleted) {
  // What a crash between the unlink and the commit leaves behind.
  const Ticket closed = ticket_with_files({"core.dmp"}, true);
  std::filesystem::remove(files_of(closed).front().storage_path);
  const auto swept = sweep(fixture_.now() + kRetention);
  EXPECT_EQ(swept.files, 1u);
  EXPECT_TRUE(swept.problems.empty());
  EXPECT_TRUE(files_of(closed).front().deleted_at);
}

TEST_F(UploadRetention, AFileThatCannotBeDeletedIsReportedAndTheOthersGoOn) {
  const Ticket stuck = ticket_with_files({"core.dmp"}, true);
  const Ticket fine = ticket_with_files({"app.log"}, true);
  // A non-empty directory where the file was: remove() fails with something other than
  // "not found" (even for root, unlike a permission bit).
  const std::filesystem::path path = files_of(stuck).front().storage_path;
  std::filesystem::remove(path);
  std::filesystem::create_directories(path / "inside");
  const auto swept = sweep(fixture_.now() + kRetention);
  EXPECT_EQ(swept.tickets, 1u);
  ASSERT_EQ(swept.problems.size(), 1u);
  EXPECT_NE(swept.problems.front().find("ticket " + stuck.reference), std::string::npos)
      << swept.problems.front();
  EXPECT_NE(swept.problems.front().find(path.string()), std::string::npos);
  EXPECT_FALSE(files_of(stuck).front().deleted_at);
  EXPECT_TRUE(files_of(fine).front().deleted_at);
}

TEST_F(UploadRetention, NoRetentionKeepsEverything) {
  const Ticket closed = ticket_with_files({"core.dmp"}, true);
  const auto swept = tickets::sweep_upload_retention(fixture_.store(), minutes::zero(),
                                                     fixture_.now() + hours(24 * 3650));
  EXPECT_EQ(swept.files, 0u);
  EXPECT_TRUE(std::filesystem::exists(files_of(closed).front().storage_path));
}

}  // namespace
}  // namespace supportgw

// DurableUpload: the bytes, the SHA-256 and the final name of an upload, fresh and resumed.

#include "durable_upload.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <future>
#include <span>
#include <string>

#include "content_inspector.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw::ftp {
namespace {

using supportgw::testing::read_file;
using supportgw::testing::TempDir;
using supportgw::testing::write_file;

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string out;
  static constexpr char kDigits[] = "0123456789abcdef";
  for (unsigned i = 0; i < length; ++i) {
    out.push_back(kDigits[digest[i] >> 4]);
    out.push_back(kDigits[digest[i] & 0xf]);
  }
  return out;
}

// `size` bytes that repeat only every `modulus` (a prime) and differ between tests, so a
// chunk written twice or out of order shows in the comparison.
std::string patterned(std::size_t size, std::size_t multiplier, std::size_t modulus) {
  std::string data(size, '\0');
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * multiplier) % modulus);
  return data;
}

// Several worker buffers' worth, not a multiple of the buffer size.
std::string big_payload() { return patterned(3'000'017, 131, 251); }

TEST(DurableUpload, SmallFileGetsItsKnownSha256AndFinalName) {
  TempDir dir;
  auto upload = DurableUpload::open(dir.path(), "abc.txt", 0);
  ASSERT_TRUE(upload.ok()) << upload.status().message();
  ASSERT_TRUE(upload->write("abc", 3).ok());
  auto done = upload->finish();
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(done->size, 3u);
  EXPECT_EQ(done->file_name, "abc.txt");
  EXPECT_EQ(read_file(dir / "abc.txt"), "abc");
  EXPECT_FALSE(std::filesystem::exists(DurableUpload::partial_path(dir.path(), "abc.txt")));
}

TEST(DurableUpload, LargeFileInOddChunksHashesLikeOneShot) {
  TempDir dir;
  std::string data = big_payload();
  auto upload = DurableUpload::open(dir.path(), "big.bin", 0);
  ASSERT_TRUE(upload.ok());
  for (std::size_t at = 0; at < data.size(); at += 7777) {
    ASSERT_TRUE(
        upload->write(data.data() + at, std::min<std::size_t>(7777, data.size() - at)).ok());
  }
  EXPECT_EQ(upload->size(), data.size());
  auto done = upload->finish();
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->sha256, sha256_hex(data));
  EXPECT_EQ(read_file(done->path), data);
}

// Past several writeback windows (8 MiB each), with the hashing and the writing worker
// recycling the same few buffers many times over: the file and its hash stay whole.
TEST(DurableUpload, FilesLongerThanTheWritebackWindowsStayWhole) {
  TempDir dir;
  const std::string data = patterned(20'000'003, 7, 253);
  auto upload = DurableUpload::open(dir.path(), "dump.bin", 0);
  ASSERT_TRUE(upload.ok());
  for (std::size_t at = 0; at < data.size(); at += 65'521) {
    ASSERT_TRUE(
        upload->write(data.data() + at, std::min<std::size_t>(65'521, data.size() - at)).ok());
  }
  auto done = upload->finish();
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->size, data.size());
  EXPECT_EQ(done->sha256, sha256_hex(data));
  EXPECT_EQ(read_file(done->path), data);
}

TEST(DurableUpload, AbandonedUploadResumesAtAnOffsetAndHashesTheWhole) {
  TempDir dir;
  std::string data = big_payload();
  {
    auto first = DurableUpload::open(dir.path(), "r.bin", 0);
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(first->write(data.data(), 1'500'000).ok());
    first->abandon();
  }
  ASSERT_EQ(std::filesystem::file_size(DurableUpload::partial_path(dir.path(), "r.bin")),
            1'500'000u);
  // Resume a little earlier than what arrived: the tail beyond the offset is cut.
  auto second = DurableUpload::open(dir.path(), "r.bin", 1'000'000);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->size(), 1'000'000u);
  ASSERT_TRUE(second->write(data.data() + 1'000'000, data.size() - 1'000'000).ok());
  auto done = second->finish();
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->sha256, sha256_hex(data));
  EXPECT_EQ(done->size, data.size());
  EXPECT_EQ(read_file(done->path), data);
}

// Full chunks at aligned offsets bypass the page cache (O_DIRECT) and the others do not:
// resuming at offsets that are not block multiples, and ending on one that is, mixes the
// two kinds of write in one file. Every byte stays where it belongs.
TEST(DurableUpload, ResumingAtOddAndEvenOffsetsKeepsEveryByte) {
  TempDir dir;
  const std::string data = patterned(5 * 1024 * 1024, 89, 241);
  // Each stop: where the previous session was cut, and where the next one resumes.
  const std::size_t stops[][2] = {{1'048'576, 1'048'576},  // on a chunk boundary
                                  {2'100'000, 2'099'999},  // odd, one byte back
                                  {3'200'001, 3'145'728},  // back to a block boundary
                                  {4'000'000, 3'999'744}};
  std::size_t at = 0;
  for (const auto& [cut, resume] : stops) {
    auto part = DurableUpload::open(dir.path(), "mixed.bin", at);
    ASSERT_TRUE(part.ok()) << part.status().message();
    ASSERT_TRUE(part->write(data.data() + at, cut - at).ok());
    part->abandon();
    ASSERT_EQ(std::filesystem::file_size(DurableUpload::partial_path(dir.path(), "mixed.bin")),
              cut);
    at = resume;
  }
  auto last = DurableUpload::open(dir.path(), "mixed.bin", at);
  ASSERT_TRUE(last.ok()) << last.status().message();
  ASSERT_TRUE(last->write(data.data() + at, data.size() - at).ok());
  auto done = last->finish();
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->size, data.size());
  EXPECT_EQ(done->sha256, sha256_hex(data));
  EXPECT_EQ(read_file(done->path), data);
}

// The FTP server's way in: reading into room() and commit() never wait; when the workers
// are behind, room() is empty and when_room() says when to go on. A producer far faster
// than the hash (memcpy) is held up that way many times; the file and its hash stay
// whole, and nothing was accepted twice or lost.
TEST(DurableUpload, RoomAndCommitHandTheWaitingToTheCaller) {
  TempDir dir;
  const std::string data = patterned(24'000'011, 13, 239);
  auto upload = DurableUpload::open(dir.path(), "room.bin", 0);
  ASSERT_TRUE(upload.ok());
  std::size_t at = 0;
  int waits = 0;
  while (at < data.size()) {
    std::span<char> room = upload->room();
    if (room.empty()) {
      std::promise<void> ready;
      upload->when_room([&ready] { ready.set_value(); });
      ready.get_future().wait();
      ++waits;
      continue;
    }
    // Socket-like pieces: never more than what is there, often less than the room.
    const std::size_t n = std::min({room.size(), data.size() - at, std::size_t{300'007}});
    std::memcpy(room.data(), data.data() + at, n);
    ASSERT_TRUE(upload->commit(n).ok());
    at += n;
  }
  EXPECT_EQ(upload->size(), data.size());
  auto done = upload->finish();
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->sha256, sha256_hex(data));
  EXPECT_EQ(read_file(done->path), data);
  RecordProperty("waits_for_room", waits);
}

TEST(DurableUpload, WhenRoomAnswersAtOnceWhileThereIsRoom) {
  TempDir dir;
  auto upload = DurableUpload::open(dir.path(), "quick.bin", 0);
  ASSERT_TRUE(upload.ok());
  bool called = false;
  upload->when_room([&called] { called = true; });
  EXPECT_TRUE(called);
  EXPECT_FALSE(upload->room().empty());
  EXPECT_FALSE(upload->commit(upload->room().size() + 1).ok());  // more than it gave
}

// A finished file that could not be attached goes back to being a complete partial: a
// resume at its size finishes it with the same name and hash, and it is never put over
// a partial of the same name.
TEST(DurableUpload, AFinishedFileGoesBackToAResumablePartial) {
  TempDir dir;
  const std::string data = big_payload();
  auto upload = DurableUpload::open(dir.path(), "back.bin", 0);
  ASSERT_TRUE(upload.ok());
  ASSERT_TRUE(upload->write(data.data(), data.size()).ok());
  auto done = upload->finish();
  ASSERT_TRUE(done.ok()) << done.status().message();

  ASSERT_TRUE(DurableUpload::back_to_partial(dir.path(), "back.bin", done->path).ok());
  EXPECT_FALSE(std::filesystem::exists(done->path));
  EXPECT_EQ(read_file(DurableUpload::partial_path(dir.path(), "back.bin")), data);

  auto again = DurableUpload::open(dir.path(), "back.bin", data.size());
  ASSERT_TRUE(again.ok()) << again.status().message();
  auto redone = again->finish();
  ASSERT_TRUE(redone.ok()) << redone.status().message();
  EXPECT_EQ(redone->file_name, "back.bin");
  EXPECT_EQ(redone->sha256, sha256_hex(data));

  write_file(DurableUpload::partial_path(dir.path(), "back.bin"), "another upload's bytes");
  const auto refused = DurableUpload::back_to_partial(dir.path(), "back.bin", redone->path);
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("back.bin"), std::string::npos) << refused.message();
  EXPECT_EQ(read_file(redone->path), data);
  EXPECT_EQ(read_file(DurableUpload::partial_path(dir.path(), "back.bin")),
            "another upload's bytes");
}

TEST(DurableUpload, ResumeBeyondThePartialIsRefused) {
  TempDir dir;
  {
    auto first = DurableUpload::open(dir.path(), "x.bin", 0);
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(first->write("12345", 5).ok());
  }  // destroyed unfinished: abandoned, partial kept
  auto beyond = DurableUpload::open(dir.path(), "x.bin", 6);
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.status().code(), sdk::StatusCode::invalid_argument);
  EXPECT_NE(beyond.status().message().find("beyond"), std::string::npos);
}

TEST(DurableUpload, SameNameTwiceKeepsBothFiles) {
  TempDir dir;
  for (const char* body : {"one", "two"}) {
    auto upload = DurableUpload::open(dir.path(), "log.txt", 0);
    ASSERT_TRUE(upload.ok());
    ASSERT_TRUE(upload->write(body, 3).ok());
    ASSERT_TRUE(upload->finish().ok());
  }
  EXPECT_EQ(read_file(dir / "log.txt"), "one");
  EXPECT_EQ(read_file(dir / "log-2.txt"), "two");
}

TEST(DurableUpload, NamesWithPathsAreRefused) {
  TempDir dir;
  for (const char* name : {"", ".", "..", "../escape", "a/b"}) {
    EXPECT_FALSE(DurableUpload::open(dir.path(), name, 0).ok()) << name;
  }
}

TEST(ContentInspector, PlainTextIsDescribedByItsMimeType) {
  TempDir dir;
  write_file(dir / "note.txt", "hello, this is plain text\n");
  EXPECT_NE(describe(dir / "note.txt").find("text/plain"), std::string::npos);
}

// A .tar.gz of `count` small files, written with libarchive.
void write_tar_gz(const std::filesystem::path& file, int count) {
  archive* writer = archive_write_new();
  archive_write_add_filter_gzip(writer);
  archive_write_set_format_pax_restricted(writer);
  ASSERT_EQ(archive_write_open_filename(writer, file.c_str()), ARCHIVE_OK);
  for (int i = 0; i < count; ++i) {
    archive_entry* entry = archive_entry_new();
    std::string name = "logs/part" + std::to_string(i) + ".log";
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_size(entry, 4);
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_write_header(writer, entry);
    archive_write_data(writer, "data", 4);
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
}

TEST(ContentInspector, ArchiveEntriesAreListedAndCapped) {
  TempDir dir;
  write_tar_gz(dir / "logs.tar.gz", 3);
  std::string note = describe(dir / "logs.tar.gz", 2);
  EXPECT_NE(note.find("gzip"), std::string::npos) << note;
  EXPECT_NE(note.find("entries: 3"), std::string::npos) << note;
  EXPECT_NE(note.find("logs/part0.log (4 bytes)"), std::string::npos) << note;
  EXPECT_EQ(note.find("logs/part2.log"), std::string::npos) << note;
  EXPECT_NE(note.find("and 1 more"), std::string::npos) << note;
}

TEST(ContentInspector, DamagedArchiveIsSaidToBeDamaged) {
  TempDir dir;
  write_tar_gz(dir / "whole.tar.gz", 3);
  std::string bytes = read_file(dir / "whole.tar.gz");
  write_file(dir / "cut.tar.gz", bytes.substr(0, bytes.size() / 2));
  std::string note = describe(dir / "cut.tar.gz");
  EXPECT_NE(note.find("gzip"), std::string::npos) << note;
  EXPECT_TRUE(note.find("damaged") != std::string::npos ||
              note.find("unreadable") != std::string::npos)
      << note;
}

}  // namespace
}  // namespace supportgw::ftp

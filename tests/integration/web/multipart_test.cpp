// The web channel's streaming multipart/form-data parser (plugins/web/multipart.hpp) on
// bodies written to files, as the HTTP server spools them: parts that straddle the
// parser's reads, data that looks almost like a boundary, hostile and truncated bodies,
// limits, and that nothing is left behind when a body is refused.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "multipart.hpp"
#include "sha256.hpp"
#include "tests/support/temp_dir.hpp"

namespace web {
namespace {

using supportgw::sdk::StatusCode;

constexpr const char* kBoundary = "----b0undary";

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string field_part(const std::string& name, const std::string& value) {
  return std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name +
         "\"\r\n\r\n" + value + "\r\n";
}

std::string file_part(const std::string& name, const std::string& file_name,
                      const std::string& data) {
  return std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name +
         "\"; filename=\"" + file_name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" +
         data + "\r\n";
}

std::string closing() { return std::string("--") + kBoundary + "--\r\n"; }

class Multipart : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::create_directories(files_); }

  supportgw::sdk::Result<MultipartForm> parse(const std::string& body,
                                              const MultipartLimits& limits = {}) {
    const auto file = dir_ / "body";
    std::ofstream(file, std::ios::binary | std::ios::trunc) << body;
    return parse_multipart_file(file, kBoundary, files_, limits);
  }

  std::size_t files_left() const {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(files_),
                                                  std::filesystem::directory_iterator()));
  }

  supportgw::testing::TempDir dir_;
  std::filesystem::path files_ = dir_ / "files";
};

TEST_F(Multipart, FindsBoundaryFromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_FALSE(multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(multipart_boundary("multipart/mixed; boundary=abc"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')));
}

TEST_F(Multipart, ReadsFieldsAndFiles) {
  const std::string data = "binary\0data\r\n--almost a boundary\r\n" + std::string(10, '\xff');
  const auto result =
      parse("preamble\r\n" + field_part("subject", "Tunnel down") + field_part("empty", "") +
            file_part("attachments", "dump.bin", data) +
            field_part("subject", "second value is ignored") + closing() + "epilogue");
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->fields.at("subject"), "Tunnel down");
  EXPECT_EQ(result->fields.at("empty"), "");
  ASSERT_EQ(result->files.size(), 1u);
  const UploadedFile& file = result->files.front();
  EXPECT_EQ(file.field, "attachments");
  EXPECT_EQ(file.file_name, "dump.bin");
  EXPECT_EQ(file.content_type, "application/octet-stream");
  EXPECT_EQ(file.size, data.size());
  EXPECT_EQ(file.sha256, sha256_hex(data));
  EXPECT_EQ(read_file(file.path), data);
  EXPECT_EQ(file.path.parent_path(), files_);
  EXPECT_EQ(file.path.extension(), "");  // renamed from its temporary name
}

TEST_F(Multipart, LargeFileStraddlingManyReads) {
  // CR LF and dashes around every read boundary the parser might use.
  std::string data;
  for (int i = 0; data.size() < 1'000'000; ++i) {
    data += "\r\n-" + std::to_string(i) + "\r\n--" + std::string(kBoundary).substr(0, i % 12);
  }
  const auto result =
      parse(file_part("a", "big.log", data) + file_part("b", "small", "x") + closing());
  ASSERT_TRUE(result.ok()) << result.status().message();
  ASSERT_EQ(result->files.size(), 2u);
  EXPECT_EQ(read_file(result->files[0].path), data);
  EXPECT_EQ(result->files[0].sha256, sha256_hex(data));
  EXPECT_EQ(read_file(result->files[1].path), "x");
}

TEST_F(Multipart, LeavesOutEmptyFileInputsAndStripsFolders) {
  const auto result = parse(file_part("attachments", "", "") +
                            file_part("attachments", "C:\\Users\\bob\\crash.dmp", "MDMP") +
                            file_part("attachments", "../../etc/passwd", "x") + closing());
  ASSERT_TRUE(result.ok()) << result.status().message();
  ASSERT_EQ(result->files.size(), 2u);
  EXPECT_EQ(result->files[0].file_name, "crash.dmp");
  EXPECT_EQ(result->files[1].file_name, "passwd");
  EXPECT_EQ(files_left(), 2u);
}

TEST_F(Multipart, RefusesMalformedBodiesAndLeavesNothing) {
  const std::string file = file_part("attachments", "a.bin", "data");
  for (const std::string& body : {
           file,                                  // no closing boundary
           file + std::string("--") + kBoundary,  // truncated in the boundary line
           std::string("no boundary at all"),     //
           std::string("--") + kBoundary + "\r\nContent-Type: text/plain\r\n\r\nx\r\n" + closing(),
           std::string("--") + kBoundary + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n" +
               closing(),  // no name
           std::string("--") + kBoundary + "\r\nno colon\r\n\r\nx\r\n" + closing(),
           std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"x\r\n\r\n" +
               closing(),  // unterminated quote
           std::string("--") + kBoundary + "\r\n" + std::string(20'000, 'h') + closing(),
       }) {
    const auto result = parse(body);
    EXPECT_FALSE(result.ok()) << body.substr(0, 200);
    EXPECT_EQ(result.status().code(), StatusCode::invalid_argument);
    EXPECT_EQ(files_left(), 0u) << body.substr(0, 200);
  }
}

TEST_F(Multipart, EnforcesLimits) {
  MultipartLimits limits;
  limits.max_files = 1;
  auto result = parse(file_part("a", "1", "x") + file_part("a", "2", "y") + closing(), limits);
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("more than 1 files"), std::string::npos);
  EXPECT_EQ(files_left(), 0u);

  limits = {};
  limits.max_fields = 2;
  result =
      parse(field_part("a", "1") + field_part("b", "2") + field_part("c", "3") + closing(), limits);
  EXPECT_FALSE(result.ok());

  limits = {};
  limits.max_field_bytes = 100;
  result = parse(field_part("a", std::string(101, 'x')) + closing(), limits);
  EXPECT_FALSE(result.ok());
}

}  // namespace
}  // namespace web

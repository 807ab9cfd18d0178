#include "core/store/sqlite/connection.hpp"

#include <sqlite3.h>

#include "core/util/error.hpp"

namespace supportgw::sqlite {
namespace {

std::string first_line(std::string_view sql) {
  std::string line(sql.substr(0, sql.find('\n')));
  constexpr std::size_t kMax = 80;
  if (line.size() > kMax) {
    line = line.substr(0, kMax) + "...";
  }
  return line;
}

}  // namespace

Statement::Statement(Connection& connection, std::string_view sql)
    : connection_(connection), sql_(sql) {
  const int rc = sqlite3_prepare_v3(connection.handle(), sql_.data(), static_cast<int>(sql_.size()),
                                    SQLITE_PREPARE_PERSISTENT, &handle_, nullptr);
  if (rc != SQLITE_OK) {
    fail(rc, "preparing");
  }
}

Statement::~Statement() { sqlite3_finalize(handle_); }

void Statement::fail(int code, std::string_view doing) const {
  throw StoreError("sqlite: " + connection_.path().string() + ": " + std::string(doing) + " '" +
                   first_line(sql_) + "': " + connection_.error_message() + " (" +
                   sqlite3_errstr(code) + ")");
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(handle_, index, value);
  if (rc != SQLITE_OK) {
    fail(rc, "binding");
  }
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies, so callers may pass temporaries.
  const int rc = sqlite3_bind_text64(handle_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8);
  if (rc != SQLITE_OK) {
    fail(rc, "binding");
  }
  return *this;
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
  const int rc = sqlite3_bind_blob64(handle_, index, data, size, SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) {
    fail(rc, "binding");
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(handle_, index);
  if (rc != SQLITE_OK) {
    fail(rc, "binding");
  }
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

bool Statement::step() {
  const int rc = sqlite3_step(handle_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  fail(rc, "running");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() noexcept {
  sqlite3_reset(handle_);
  sqlite3_clear_bindings(handle_);
}

std::int64_t Statement::column_int64(int index) const {
  return sqlite3_column_int64(handle_, index);
}

std::string Statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(handle_, index);
  const int size = sqlite3_column_bytes(handle_, index);
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text), size);
}

std::optional<std::int64_t> Statement::column_optional_int64(int index) const {
  if (column_is_null(index)) {
    return std::nullopt;
  }
  return column_int64(index);
}

std::string Statement::column_blob(int index) const {
  const void* data = sqlite3_column_blob(handle_, index);
  const int size = sqlite3_column_bytes(handle_, index);
  return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
}

bool Statement::column_is_null(int index) const {
  return sqlite3_column_type(handle_, index) == SQLITE_NULL;
}

Connection::Connection(const std::filesystem::path& path, const ConnectionOptions& options)
    : path_(path) {
  const int flags =
      (options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) |
      SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &handle_, flags,
                                 options.vfs.empty() ? nullptr : options.vfs.c_str());
  if (rc != SQLITE_OK) {
    std::string message = handle_ != nullptr ? sqlite3_errmsg(handle_) : sqlite3_errstr(rc);
    sqlite3_close(handle_);
    handle_ = nullptr;
    throw StoreError("sqlite: cannot open " + path.string() + ": " + message);
  }
  sqlite3_extended_result_codes(handle_, 1);
  sqlite3_busy_timeout(handle_, options.busy_timeout_ms);
}

Connection::~Connection() {
  // Statements must be finalized before the connection can close.
  statements_.clear();
  sqlite3_close(handle_);
}

void Connection::execute(std::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw StoreError("sqlite: " + path_.string() + ": running '" + first_line(sql) +
                     "': " + message);
  }
}

StatementUse Connection::prepare(std::string_view sql) {
  auto found = statements_.find(std::string(sql));
  if (found == statements_.end()) {
    found = statements_.emplace(std::string(sql), std::make_unique<Statement>(*this, sql)).first;
  }
  return StatementUse(*found->second);
}

std::int64_t Connection::pragma_int(std::string_view name) {
  Statement statement(*this, "PRAGMA " + std::string(name));
  return statement.step() ? statement.column_int64(0) : 0;
}

std::string Connection::pragma_text(std::string_view name) {
  Statement statement(*this, "PRAGMA " + std::string(name));
  return statement.step() ? statement.column_text(0) : std::string();
}

std::string Connection::error_message() const { return sqlite3_errmsg(handle_); }

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(handle_); }

std::int64_t Connection::changes() const { return sqlite3_changes64(handle_); }

}  // namespace supportgw::sqlite

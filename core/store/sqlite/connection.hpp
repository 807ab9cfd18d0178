#pragma once
// Thin RAII over the SQLite C API: a connection that owns a cache of prepared
// statements, and a statement that resets itself when a use ends. Every error names
// the database file and the statement, so a log line says where it happened.
//
// A connection is used by one thread at a time (it is opened with SQLITE_OPEN_NOMUTEX);
// the store's pool and writer thread make sure of that.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace supportgw::sqlite {

class Connection;

// A prepared statement. Bind parameters are 1-based, columns 0-based (as in SQLite).
class Statement {
 public:
  Statement(Connection& connection, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_blob(int index, const void* data, std::size_t size);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::int64_t>& value);

  // Advances: true when a row is ready, false when done. Throws StoreError.
  bool step();
  // Steps to completion, for statements that return no rows.
  void run();
  // Clears bindings and rewinds; safe to call at any time.
  void reset() noexcept;

  std::int64_t column_int64(int index) const;
  std::string column_text(int index) const;
  std::optional<std::int64_t> column_optional_int64(int index) const;
  std::string column_blob(int index) const;
  bool column_is_null(int index) const;

  const std::string& sql() const { return sql_; }

 private:
  [[noreturn]] void fail(int code, std::string_view doing) const;
  Connection& connection_;
  sqlite3_stmt* handle_ = nullptr;
  std::string sql_;
};

// Borrows a cached statement for one use and resets it when the use ends, so a
// statement left half-stepped by an exception never holds a read lock.
class StatementUse {
 public:
  explicit StatementUse(Statement& statement) : statement_(statement) {}
  ~StatementUse() { statement_.reset(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  Statement* operator->() { return &statement_; }
  Statement& operator*() { return statement_; }

 private:
  Statement& statement_;
};

struct ConnectionOptions {
  bool read_only = false;
  // SQLite VFS to open the file through; empty is the platform default. Tests use a
  // counting VFS to prove that a commit reached fsync before it was acknowledged.
  std::string vfs;
  // How long to wait for another process's lock (a CLI run beside the daemon).
  int busy_timeout_ms = 10'000;
};

class Connection {
 public:
  Connection(const std::filesystem::path& path, const ConnectionOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that take no parameters (schema, pragmas).
  void execute(std::string_view sql);
  // A prepared statement kept for the life of the connection, wrapped for one use.
  StatementUse prepare(std::string_view sql);
  std::int64_t pragma_int(std::string_view name);
  std::string pragma_text(std::string_view name);

  sqlite3* handle() const { return handle_; }
  const std::filesystem::path& path() const { return path_; }
  std::string error_message() const;
  std::int64_t last_insert_rowid() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  std::int64_t changes() const;

 private:
  std::filesystem::path path_;
  sqlite3* handle_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

}  // namespace supportgw::sqlite

#pragma once
// The database schema as an ordered list of migrations. The version applied is kept in
// SQLite's `PRAGMA user_version`; opening a store applies whatever is missing, each
// migration in its own transaction, so an interrupted upgrade resumes where it stopped.
// A migration, once released, is never edited: changes are new migrations.

#include "core/store/sqlite/connection.hpp"

namespace supportgw::sqlite {

// The version this build writes.
int latest_schema_version();

// Brings the database up to `target` (default: latest). Throws StoreError if the file
// is newer than this build knows, naming the file and both versions.
void migrate(Connection& connection, int target = -1);

}  // namespace supportgw::sqlite

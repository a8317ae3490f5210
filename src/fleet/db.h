// The fleet database: an SQLite file holding every recorded run, created on first use.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fleet/run.h"

struct sqlite3;

namespace sd::fleet {

/// The layout this build writes and reads (PRAGMA user_version).
inline constexpr int kSchemaVersion = 1;

/// An open fleet database. Move-only; closes on destruction.
class Database {
 public:
  /// How to open: `record` creates the file and its tables when missing; `read` wants an existing fleet file.
  enum class Mode { record, read };

  /// Opens `path` with a busy timeout; nullopt and one plain sentence in `error` when it is missing (read),
  /// not SQLite, not a shakedown fleet database, or written by a newer layout.
  static std::optional<Database> open(const std::string& path, Mode mode, std::string& error);

  /// Appends the runs in one transaction: all of them are written, or (false, `error` set) none is.
  bool append(std::vector<RunRecord>& runs, std::string& error);

  /// Every target's newest `per_target` runs with all their rows, each target's newest first, targets by name.
  std::vector<RunRecord> recent_runs(std::size_t per_target, std::string& error) const;

  /// The file's PRAGMA user_version.
  int schema_version() const;

 private:
  struct Close {
    void operator()(sqlite3* db) const;
  };
  explicit Database(sqlite3* db) : db_(db) {}
  std::unique_ptr<sqlite3, Close> db_;
};

}  // namespace sd::fleet

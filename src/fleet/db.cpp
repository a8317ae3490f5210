// The fleet database on SQLite: schema, one-transaction appends, and reading each target's recent runs.
#include "fleet/db.h"

#include <sqlite3.h>

#include <filesystem>

namespace sd::fleet {
namespace {

constexpr int kBusyTimeoutMs = 5000;

constexpr const char* kSchema = R"sql(
CREATE TABLE runs(id INTEGER PRIMARY KEY, time TEXT NOT NULL, command TEXT NOT NULL, target TEXT NOT NULL,
                  version TEXT NOT NULL, exit_code INTEGER NOT NULL);
CREATE INDEX runs_by_target ON runs(target, id);
CREATE TABLE findings(run_id INTEGER NOT NULL REFERENCES runs(id), target TEXT NOT NULL, finding_id TEXT NOT NULL,
                      severity TEXT NOT NULL CHECK(severity IN ('info','low','medium','high','critical')),
                      title TEXT NOT NULL, side TEXT NOT NULL);
CREATE TABLE predictions(run_id INTEGER NOT NULL REFERENCES runs(id), target TEXT NOT NULL, profile TEXT NOT NULL,
                         verdict TEXT NOT NULL CHECK(verdict IN ('connects','fails','unknown')), reason TEXT NOT NULL);
CREATE TABLE certificates(run_id INTEGER NOT NULL REFERENCES runs(id), target TEXT NOT NULL, subject TEXT NOT NULL,
                          issuer TEXT NOT NULL, serial TEXT NOT NULL, not_after TEXT NOT NULL, sha256 TEXT NOT NULL,
                          location TEXT NOT NULL);
CREATE INDEX findings_by_run ON findings(run_id);
CREATE INDEX predictions_by_run ON predictions(run_id);
CREATE INDEX certificates_by_run ON certificates(run_id);
PRAGMA user_version = 1;
)sql";

// One prepared statement; text bound by copy, finalized on destruction.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &st_, nullptr); }
  ~Statement() { sqlite3_finalize(st_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return rc_ == SQLITE_OK; }
  int prepare_code() const { return rc_; }
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(st_, i, v);
    return *this;
  }
  int step() { return sqlite3_step(st_); }
  void reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(st_, col);
    return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(st_, col); }

 private:
  sqlite3_stmt* st_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

bool exec(sqlite3* db, const char* sql, std::string& error) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK) return true;
  error = sqlite3_errmsg(db);
  return false;
}

// user_version, or -1 when the file cannot be read as SQLite.
int user_version(sqlite3* db) {
  Statement st(db, "PRAGMA user_version");
  if (!st.prepared() || st.step() != SQLITE_ROW) return -1;
  return static_cast<int>(st.integer(0));
}

std::int64_t table_count(sqlite3* db) {
  Statement st(db, "SELECT count(*) FROM sqlite_master");
  return st.prepared() && st.step() == SQLITE_ROW ? st.integer(0) : -1;
}

// Creates the tables unless another writer did first; the check and the creation share one write transaction.
bool create_schema(sqlite3* db, std::string& error) {
  if (!exec(db, "BEGIN IMMEDIATE", error)) return false;
  if (user_version(db) == 0 && table_count(db) == 0 && !exec(db, kSchema, error)) {
    exec(db, "ROLLBACK", error);
    return false;
  }
  return exec(db, "COMMIT", error);
}

// Checks what the file is and creates the schema in an empty one when recording; "" when usable.
std::string check_layout(sqlite3* db, const std::string& path, Database::Mode mode) {
  const int version = user_version(db);
  if (version < 0) return "'" + path + "' is not an SQLite database";
  if (version > kSchemaVersion)
    return "'" + path + "' has fleet schema " + std::to_string(version) + ", newer than this shakedown reads (" +
           std::to_string(kSchemaVersion) + ")";
  if (version == kSchemaVersion) return {};
  if (table_count(db) != 0) return "'" + path + "' is an SQLite database but not a shakedown fleet database";
  if (mode == Database::Mode::read) return "'" + path + "' holds no recorded run (record one with --db)";
  std::string error;
  if (!create_schema(db, error)) return "cannot create the fleet tables in '" + path + "': " + error;
  return user_version(db) == kSchemaVersion ? std::string() : "'" + path + "' is not a shakedown fleet database";
}

// Runs an insert; on failure keeps SQLite's message (before the reset clears it).
bool done(sqlite3* db, Statement& st, std::string& error) {
  const bool ok = st.step() == SQLITE_DONE;
  if (!ok) error = sqlite3_errmsg(db);
  st.reset();
  return ok;
}

bool insert_rows(sqlite3* db, const RunRecord& run, std::string& error) {
  Statement f(db, "INSERT INTO findings(run_id, target, finding_id, severity, title, side) VALUES(?,?,?,?,?,?)");
  Statement p(db, "INSERT INTO predictions(run_id, target, profile, verdict, reason) VALUES(?,?,?,?,?)");
  Statement c(db, "INSERT INTO certificates(run_id, target, subject, issuer, serial, not_after, sha256, location) "
                  "VALUES(?,?,?,?,?,?,?,?)");
  if (!f.prepared() || !p.prepared() || !c.prepared()) {
    error = sqlite3_errmsg(db);
    return false;
  }
  for (const auto& r : run.findings)
    if (!done(db, f.bind(1, run.id).bind(2, run.target).bind(3, r.id).bind(4, r.severity).bind(5, r.title)
                      .bind(6, r.side), error))
      return false;
  for (const auto& r : run.predictions)
    if (!done(db, p.bind(1, run.id).bind(2, run.target).bind(3, r.profile).bind(4, r.verdict).bind(5, r.reason), error))
      return false;
  for (const auto& r : run.certificates)
    if (!done(db, c.bind(1, run.id).bind(2, run.target).bind(3, r.subject).bind(4, r.issuer).bind(5, r.serial)
                  .bind(6, r.not_after).bind(7, r.sha256).bind(8, r.where), error))
      return false;
  return true;
}

bool insert_run(sqlite3* db, RunRecord& run, std::string& error) {
  Statement st(db, "INSERT INTO runs(time, command, target, version, exit_code) VALUES(?,?,?,?,?)");
  if (!st.prepared()) {
    error = sqlite3_errmsg(db);
    return false;
  }
  st.bind(1, run.time).bind(2, run.command).bind(3, run.target).bind(4, run.version);
  if (!done(db, st.bind(5, static_cast<std::int64_t>(run.exit_code)), error)) return false;
  run.id = sqlite3_last_insert_rowid(db);
  return insert_rows(db, run, error);
}

void load_rows(sqlite3* db, RunRecord& run) {
  Statement f(db, "SELECT finding_id, severity, title, side FROM findings WHERE run_id = ? ORDER BY rowid");
  for (f.bind(1, run.id); f.step() == SQLITE_ROW;) run.findings.push_back({f.text(0), f.text(1), f.text(2), f.text(3)});
  Statement p(db, "SELECT profile, verdict, reason FROM predictions WHERE run_id = ? ORDER BY rowid");
  for (p.bind(1, run.id); p.step() == SQLITE_ROW;) run.predictions.push_back({p.text(0), p.text(1), p.text(2)});
  Statement c(db, "SELECT subject, issuer, serial, not_after, sha256, location FROM certificates WHERE run_id = ? "
                  "ORDER BY rowid");
  for (c.bind(1, run.id); c.step() == SQLITE_ROW;)
    run.certificates.push_back({c.text(0), c.text(1), c.text(2), c.text(3), c.text(4), c.text(5)});
}

}  // namespace

void Database::Close::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

std::optional<Database> Database::open(const std::string& path, Mode mode, std::string& error) {
  std::error_code ec;
  if (mode == Mode::read && !std::filesystem::is_regular_file(path, ec)) {
    error = "'" + path + "' does not exist or is not a file";
    return std::nullopt;
  }
  sqlite3* raw = nullptr;
  const int flags = mode == Mode::read ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK) {
    error = "cannot open '" + path + "': " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    return std::nullopt;
  }
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  error = check_layout(raw, path, mode);
  if (!error.empty()) return std::nullopt;
  return db;
}

bool Database::append(std::vector<RunRecord>& runs, std::string& error) {
  sqlite3* db = db_.get();
  if (!exec(db, "BEGIN IMMEDIATE", error)) return false;
  for (auto& run : runs) {
    if (insert_run(db, run, error)) continue;
    std::string ignored;
    exec(db, "ROLLBACK", ignored);
    for (auto& r : runs) r.id = 0;
    return false;
  }
  return exec(db, "COMMIT", error);
}

std::vector<RunRecord> Database::recent_runs(std::size_t per_target, std::string& error) const {
  std::vector<RunRecord> out;
  Statement st(db_.get(), "SELECT id, time, command, target, version, exit_code FROM runs r WHERE (SELECT count(*) "
                          "FROM runs n WHERE n.target = r.target AND n.id > r.id) < ? ORDER BY target, id DESC");
  if (!st.prepared()) {
    error = sqlite3_errmsg(db_.get());
    return out;
  }
  st.bind(1, static_cast<std::int64_t>(per_target));
  int rc = SQLITE_ROW;
  while ((rc = st.step()) == SQLITE_ROW) {
    RunRecord run{.id = st.integer(0), .time = st.text(1), .command = st.text(2), .target = st.text(3),
                  .version = st.text(4), .exit_code = static_cast<int>(st.integer(5))};
    out.push_back(std::move(run));
  }
  if (rc != SQLITE_DONE) {
    error = sqlite3_errmsg(db_.get());
    return {};
  }
  for (auto& run : out) load_rows(db_.get(), run);
  return out;
}

int Database::schema_version() const { return user_version(db_.get()); }

}  // namespace sd::fleet

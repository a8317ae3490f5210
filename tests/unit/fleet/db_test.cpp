// The fleet database on a temporary file: schema, exact rows back, all-or-nothing appends, clean refusals.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fleet/db.h"

namespace sd::fleet {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class FleetDb : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("sd-fleet-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  fs::path dir_;
};

RunRecord sample(const std::string& target, const std::string& verdict) {
  RunRecord r;
  r.time = "2026-11-22T11:00:00Z";
  r.command = "probe";
  r.target = target;
  r.version = "0.1.0";
  r.exit_code = 1;
  r.findings = {{"tls.no-shared-version", "high", "No shared version", "server"}};
  r.predictions = {{"zos-2.2-ftp", verdict, "the server accepts no TLS 1.0"}, {"openssl-3.0", "connects", "TLSv1.3"}};
  r.certificates = {{"CN = a", "CN = ca", "01", "2027-01-02T03:04:05Z", "ab12", "tls://a #0"}};
  return r;
}

std::int64_t count(const std::string& file, const char* table) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  const std::string sql = std::string("SELECT count(*) FROM ") + table;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
  const std::int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

TEST_F(FleetDb, CreatedOnFirstUseWithSchemaVersion) {
  std::string error;
  auto db = Database::open(path("fleet.db"), Database::Mode::record, error);
  ASSERT_TRUE(db) << error;
  EXPECT_EQ(db->schema_version(), 1);
  EXPECT_EQ(count(path("fleet.db"), "runs"), 0);
  // Opened again, the same file is used as it is.
  auto again = Database::open(path("fleet.db"), Database::Mode::record, error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(again->schema_version(), 1);
}

TEST_F(FleetDb, RowsComeBackExactlyNewestFirstPerTarget) {
  std::string error;
  auto db = Database::open(path("fleet.db"), Database::Mode::record, error);
  ASSERT_TRUE(db) << error;
  std::vector<RunRecord> first{sample("tls://a:1", "connects"), sample("tls://b:2", "fails")};
  ASSERT_TRUE(db->append(first, error)) << error;
  EXPECT_EQ(first[0].id, 1);
  EXPECT_EQ(first[1].id, 2);
  std::vector<RunRecord> second{sample("tls://a:1", "fails")};
  ASSERT_TRUE(db->append(second, error)) << error;
  std::vector<RunRecord> third{sample("tls://a:1", "unknown")};
  ASSERT_TRUE(db->append(third, error)) << error;

  auto reader = Database::open(path("fleet.db"), Database::Mode::read, error);
  ASSERT_TRUE(reader) << error;
  const auto runs = reader->recent_runs(2, error);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].target, "tls://a:1");
  EXPECT_EQ(runs[0].id, 4);
  EXPECT_EQ(runs[1].id, 3);
  EXPECT_EQ(runs[2].target, "tls://b:2");
  EXPECT_EQ(runs[2].id, 2);
  const RunRecord& r = runs[1];
  EXPECT_EQ(r.time, "2026-11-22T11:00:00Z");
  EXPECT_EQ(r.command, "probe");
  EXPECT_EQ(r.version, "0.1.0");
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].id, "tls.no-shared-version");
  EXPECT_EQ(r.findings[0].severity, "high");
  EXPECT_EQ(r.findings[0].title, "No shared version");
  EXPECT_EQ(r.findings[0].side, "server");
  ASSERT_EQ(r.predictions.size(), 2u);
  EXPECT_EQ(r.predictions[0].profile, "zos-2.2-ftp");
  EXPECT_EQ(r.predictions[0].verdict, "fails");
  EXPECT_EQ(r.predictions[0].reason, "the server accepts no TLS 1.0");
  EXPECT_EQ(r.predictions[1].profile, "openssl-3.0");
  ASSERT_EQ(r.certificates.size(), 1u);
  EXPECT_EQ(r.certificates[0].subject, "CN = a");
  EXPECT_EQ(r.certificates[0].issuer, "CN = ca");
  EXPECT_EQ(r.certificates[0].serial, "01");
  EXPECT_EQ(r.certificates[0].not_after, "2027-01-02T03:04:05Z");
  EXPECT_EQ(r.certificates[0].sha256, "ab12");
  EXPECT_EQ(r.certificates[0].where, "tls://a #0");
  EXPECT_EQ(count(path("fleet.db"), "predictions"), 8);
}

TEST_F(FleetDb, FailedAppendLeavesTheFileAsItWas) {
  std::string error;
  auto db = Database::open(path("fleet.db"), Database::Mode::record, error);
  ASSERT_TRUE(db) << error;
  std::vector<RunRecord> good{sample("tls://a:1", "connects")};
  ASSERT_TRUE(db->append(good, error)) << error;
  // The second run's verdict breaks the closed vocabulary: the first run of the batch must not stay either.
  std::vector<RunRecord> bad{sample("tls://b:2", "connects"), sample("tls://c:3", "maybe")};
  EXPECT_FALSE(db->append(bad, error));
  EXPECT_NE(error.find("CHECK constraint failed"), std::string::npos) << error;
  EXPECT_EQ(bad[0].id, 0);
  EXPECT_EQ(count(path("fleet.db"), "runs"), 1);
  EXPECT_EQ(count(path("fleet.db"), "findings"), 1);
  EXPECT_EQ(count(path("fleet.db"), "predictions"), 2);
  EXPECT_EQ(count(path("fleet.db"), "certificates"), 1);
  // And the handle is still usable afterwards.
  std::vector<RunRecord> later{sample("tls://d:4", "fails")};
  ASSERT_TRUE(db->append(later, error)) << error;
  EXPECT_EQ(count(path("fleet.db"), "runs"), 2);
}

TEST_F(FleetDb, NonSqliteFileIsACleanError) {
  { std::ofstream(path("notes.txt")) << "this is not a database, just text long enough to have a header\n"; }
  std::string error;
  EXPECT_FALSE(Database::open(path("notes.txt"), Database::Mode::read, error));
  EXPECT_EQ(error, "'" + path("notes.txt") + "' is not an SQLite database");
  error.clear();
  EXPECT_FALSE(Database::open(path("notes.txt"), Database::Mode::record, error));
  EXPECT_EQ(error, "'" + path("notes.txt") + "' is not an SQLite database");
}

TEST_F(FleetDb, MissingFileIsACleanErrorWhenReading) {
  std::string error;
  EXPECT_FALSE(Database::open(path("none.db"), Database::Mode::read, error));
  EXPECT_EQ(error, "'" + path("none.db") + "' does not exist or is not a file");
  EXPECT_FALSE(fs::exists(path("none.db")));
}

TEST_F(FleetDb, ForeignSqliteDatabaseIsRefused) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path("other.db").c_str(), &raw), SQLITE_OK);
  sqlite3_exec(raw, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  std::string error;
  EXPECT_FALSE(Database::open(path("other.db"), Database::Mode::record, error));
  EXPECT_EQ(error, "'" + path("other.db") + "' is an SQLite database but not a shakedown fleet database");
}

TEST_F(FleetDb, NewerSchemaIsRefused) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path("new.db").c_str(), &raw), SQLITE_OK);
  sqlite3_exec(raw, "PRAGMA user_version = 7", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  std::string error;
  EXPECT_FALSE(Database::open(path("new.db"), Database::Mode::read, error));
  EXPECT_EQ(error, "'" + path("new.db") + "' has fleet schema 7, newer than this shakedown reads (1)");
}

}  // namespace
}  // namespace sd::fleet

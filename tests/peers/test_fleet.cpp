// The fleet view against real servers: two openssl s_server instances (one TLS 1.0 only at @SECLEVEL=0, one
// with today's defaults) probed into one database, then the legacy one restarted modern on the same port and
// probed again: fleet lists both targets, the z/OS FTP client failing only where it should, and --changes names
// the verdict that changed. An audited certificate file joins the same database under its --host name.
#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "servers.h"
#include "shakedown_cli.h"

namespace sd::peers {
namespace {

constexpr const char* kZos = "zos-2.2-ftp";

// openssl s_server -www on 127.0.0.1:port (a fixed port, so a restart keeps the target's URL); nullptr when it
// does not listen within 10 s.
std::unique_ptr<Process> s_server_on(const TempDir& dir, std::uint16_t port, const CertFiles& cert,
                                     const std::vector<std::string>& args, const std::string& log) {
  Launch l{.argv = {"/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
                    cert.cert.string(), "-key", cert.key.string(), "-naccept", "1000", "-www"},
           .output = dir / log};
  l.argv.insert(l.argv.end(), args.begin(), args.end());
  auto p = std::make_unique<Process>(l);
  if (!wait_tcp(port, milliseconds(10000))) return nullptr;
  return p;
}

const std::vector<std::string> kLegacy{"-tls1", "-cipher", "ALL:@SECLEVEL=0"};
const std::vector<std::string> kModern{};

std::string url(std::uint16_t port) { return "tls://127.0.0.1:" + std::to_string(port); }

CliRun probe_into(const TempDir& dir, const std::string& tag, const std::string& db, std::vector<std::string> urls) {
  std::vector<std::string> args{"probe"};
  args.insert(args.end(), urls.begin(), urls.end());
  args.insert(args.end(), {"--as", kZos, "--as", "openssl-3.0", "--timeout-ms", "4000", "--db", db});
  return shakedown(dir, tag, args);
}

const nlohmann::json* section_titled(const nlohmann::json& sections, const std::string& title) {
  for (const auto& s : sections)
    if (s.value("title", "") == title) return &s;
  return nullptr;
}

std::set<std::string> field_names(const nlohmann::json& section) {
  std::set<std::string> out;
  for (const auto& f : section["fields"]) out.insert(f.value("name", ""));
  return out;
}

// The targets the who-breaks matrix lists under one profile.
std::set<std::string> failing_targets(const nlohmann::json& sections, const std::string& profile) {
  std::set<std::string> out;
  const auto* who = section_titled(sections, "Who breaks: client profiles that fail, by target");
  if (who == nullptr) return out;
  for (const auto& f : (*who)["fields"])
    if (f.value("name", "") == profile)
      for (const auto& t : f.value("children", nlohmann::json::array())) out.insert(t.value("value", ""));
  return out;
}

// Every "verdict" change line of --changes, by target.
std::map<std::string, std::vector<std::string>> verdict_changes(const nlohmann::json& sections) {
  std::map<std::string, std::vector<std::string>> out;
  const auto* changes = section_titled(sections, "Changes since each target's previous run");
  if (changes == nullptr) return out;
  for (const auto& target : (*changes)["fields"])
    for (const auto& c : target.value("children", nlohmann::json::array()))
      if (c.value("name", "") == "verdict") out[target.value("name", "")].push_back(c.value("value", ""));
  return out;
}

TEST(LiveFleet, TwoServersOneDatabaseThenARestartChanged) {
  TempDir dir("fleet");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const std::string db = (dir / "fleet.db").string();
  const std::uint16_t legacy_port = free_port();
  const std::uint16_t modern_port = free_port();
  auto legacy = s_server_on(dir, legacy_port, cert, kLegacy, "legacy.log");
  auto modern = s_server_on(dir, modern_port, cert, kModern, "modern.log");
  SD_NEED_PEER_OR_SKIP(legacy && modern, "openssl s_server did not start", "needs openssl");

  const auto first = probe_into(dir, "probe-1", db, {url(legacy_port), url(modern_port)});
  ASSERT_TRUE(reported(first)) << first.err;
  const auto view = shakedown(dir, "fleet-1", {"fleet", db, "--format", "json"});
  ASSERT_EQ(view.exit_code, 1) << view.err;  // a failing profile on one target
  const auto sections = sections_of(view.out);
  const auto* latest = section_titled(sections, "Latest run per target");
  ASSERT_NE(latest, nullptr) << view.out;
  EXPECT_EQ(field_names(*latest), (std::set<std::string>{url(legacy_port), url(modern_port)}));
  EXPECT_EQ(failing_targets(sections, kZos), std::set<std::string>{url(modern_port)});

  // The legacy server comes back with today's defaults on the same port: the z/OS client now fails there too.
  legacy.reset();
  legacy = s_server_on(dir, legacy_port, cert, kModern, "legacy-restarted.log");
  SD_NEED_PEER_OR_SKIP(legacy, "openssl s_server did not restart", "needs openssl");
  const auto second = probe_into(dir, "probe-2", db, {url(legacy_port)});
  ASSERT_TRUE(reported(second)) << second.err;
  const auto changed = shakedown(dir, "fleet-2", {"fleet", db, "--changes", "--format", "json"});
  ASSERT_EQ(changed.exit_code, 1) << changed.err;
  const auto after = sections_of(changed.out);
  EXPECT_EQ(failing_targets(after, kZos), (std::set<std::string>{url(legacy_port), url(modern_port)}));
  const auto changes = verdict_changes(after);
  ASSERT_EQ(changes.count(url(legacy_port)), 1u) << changed.out;
  // And OpenSSL 3.0, which refused the legacy server's MD5+SHA-1 signed TLS 1.0 ECDHE key exchange, now connects.
  EXPECT_EQ(changes.at(url(legacy_port)),
            (std::vector<std::string>{std::string(kZos) + ": connects -> fails", "openssl-3.0: fails -> connects"}));
  EXPECT_EQ(changes.count(url(modern_port)), 0u);  // probed once: nothing to compare
}

TEST(LiveFleet, AuditedCertificateJoinsUnderItsHostName) {
  TempDir dir("fleet-audit");
  const CertFiles cert = make_cert(dir.path(), "soon", {.common_name = "soon.example", .not_after_days = 10});
  const std::string db = (dir / "fleet.db").string();
  const auto audit = shakedown(dir, "audit", {"audit", "--type", "cert", cert.cert.string(), "--db", db, "--host",
                                              "aix01"});
  ASSERT_TRUE(reported(audit)) << audit.err;
  const auto view = shakedown(dir, "fleet", {"fleet", db, "--format", "json", "--days", "30"});
  ASSERT_EQ(view.exit_code, 1) << view.err;
  const auto sections = sections_of(view.out);
  const auto* latest = section_titled(sections, "Latest run per target");
  ASSERT_NE(latest, nullptr) << view.out;
  EXPECT_EQ(field_names(*latest), std::set<std::string>{"aix01"});
  const auto* soon = section_titled(sections, "Certificates expiring within 30 days");
  ASSERT_NE(soon, nullptr);
  ASSERT_EQ((*soon)["fields"].size(), 1u);
  const auto& row = (*soon)["fields"][0];
  EXPECT_EQ(row.value("value", ""), "CN = soon.example");
  EXPECT_EQ(child_value(row, "target"), "aix01");
  EXPECT_EQ(child_value(row, "sha256").size(), 64u);
  EXPECT_EQ(child_value(row, "where"), cert.cert.string() + " #1");
  // Not a database: one line, exit 2, and the file is left alone.
  write_text(dir / "notes.txt", "plain text, not SQLite\n");
  const auto bad = shakedown(dir, "bad", {"fleet", (dir / "notes.txt").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "shakedown: fleet: '" + (dir / "notes.txt").string() + "' is not an SQLite database\n");
  EXPECT_EQ(read_text(dir / "notes.txt"), "plain text, not SQLite\n");
}

}  // namespace
}  // namespace sd::peers

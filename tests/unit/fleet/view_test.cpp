// The fleet report from hand-made runs: who breaks, findings by id, expiry across targets, changes.
#include <gtest/gtest.h>

#include "fleet/view.h"

namespace sd::fleet {
namespace {

constexpr std::int64_t kNow = 1795305600;  // 2026-11-22T00:00:00Z

RunRecord run(std::int64_t id, const std::string& target, std::vector<PredictionRow> predictions,
              std::vector<CertRow> certs, std::vector<FindingRow> findings = {}) {
  RunRecord r;
  r.id = id;
  r.time = "2026-11-2" + std::to_string(id) + "T10:00:00Z";
  r.command = "probe";
  r.target = target;
  r.version = "0.1.0";
  r.exit_code = 1;
  r.predictions = std::move(predictions);
  r.certificates = std::move(certs);
  r.findings = std::move(findings);
  return r;
}

const CertRow kX{"CN = x", "CN = ca", "01", "2026-12-01T09:00:00Z", "aa", "tls://a #0"};
const CertRow kY{"CN = y", "CN = ca", "02", "2027-06-01T09:00:00Z", "bb", "tls://a #0"};
const CertRow kZ{"CN = z", "CN = ca", "03", "2026-12-01T18:00:00Z", "cc", "tls://b #0"};

// As Database::recent_runs orders them: by target, newest first.
std::vector<RunRecord> estate() {
  return {run(3, "tls://a", {{"zos-2.2-ftp", "fails", "no TLS 1.0"}, {"openssl-3.0", "connects", "TLSv1.3"}},
              {kX, kY}, {{"tls.profile-fails", "high", "z/OS fails", "server"}}),
          run(1, "tls://a", {{"zos-2.2-ftp", "connects", "TLSv1.0"}, {"openssl-3.0", "connects", "TLSv1.2"}}, {kX},
              {{"tls.dh-too-small", "high", "DH too small", "server"}}),
          run(2, "tls://b", {{"zos-2.2-ftp", "connects", "TLSv1.0"}, {"openssl-3.0", "unknown", "?"}}, {kZ},
              {{"tls.profile-fails", "high", "z/OS fails", "server"}})};
}

const report::Section& titled(const report::Report& r, const std::string& title) {
  for (const auto& s : r.sections)
    if (s.title == title) return s;
  ADD_FAILURE() << "no section " << title;
  return r.sections.front();
}

std::vector<std::string> finding_ids(const report::Report& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(f.id);
  return out;
}

TEST(FleetView, IsoSeconds) {
  EXPECT_EQ(seconds_of("2026-11-22T00:00:00Z"), kNow);
  EXPECT_EQ(seconds_of("not a time"), -1);
}

TEST(FleetView, LatestRunAndWhoBreaks) {
  const auto runs = estate();
  const auto r = fleet_report(runs, {.source = "f.db", .days = 30, .changes = false, .now = kNow});
  EXPECT_EQ(r.command, "fleet");
  ASSERT_EQ(r.sections.size(), 5u);
  const auto& latest = titled(r, "Latest run per target");
  ASSERT_EQ(latest.fields.size(), 2u);
  EXPECT_EQ(latest.fields[0].name, "tls://a");
  EXPECT_EQ(latest.fields[0].value, "run 3 at 2026-11-23T10:00:00Z (probe, exit 1)");
  EXPECT_EQ(latest.fields[0].child("failing_profiles")->value, "1");
  EXPECT_EQ(latest.fields[1].name, "tls://b");
  EXPECT_EQ(latest.fields[1].child("failing_profiles")->value, "0");
  EXPECT_EQ(latest.fields[1].child("connecting_profiles")->value, "1");
  EXPECT_EQ(latest.fields[1].child("unknown_profiles")->value, "1");
  const auto& who = titled(r, "Who breaks: client profiles that fail, by target");
  ASSERT_EQ(who.fields.size(), 1u);
  EXPECT_EQ(who.fields[0].name, "zos-2.2-ftp");
  EXPECT_EQ(who.fields[0].value, "fails on 1 of 2 target(s)");
  ASSERT_EQ(who.fields[0].children.size(), 1u);
  EXPECT_EQ(who.fields[0].children[0].value, "tls://a");
  EXPECT_EQ(who.fields[0].children[0].child("reason")->value, "no TLS 1.0");
  const auto& ids = titled(r, "Findings by id on each target's latest run");
  ASSERT_EQ(ids.fields.size(), 1u);
  EXPECT_EQ(ids.fields[0].name, "tls.profile-fails");
  EXPECT_EQ(ids.fields[0].value, "2 target(s)");
  EXPECT_EQ(r.findings.front().title, "1 client profile(s) fail against tls://a: zos-2.2-ftp");
  EXPECT_TRUE(r.has_problems());
}

TEST(FleetView, ExpiringAndSameDayAcrossTargets) {
  const auto runs = estate();
  const auto r = fleet_report(runs, {.source = "f.db", .days = 30, .changes = false, .now = kNow});
  const auto& soon = titled(r, "Certificates expiring within 30 days");
  ASSERT_EQ(soon.fields.size(), 2u);
  EXPECT_EQ(soon.fields[0].name, "2026-12-01T09:00:00Z");
  EXPECT_EQ(soon.fields[0].value, "CN = x");
  EXPECT_EQ(soon.fields[0].child("target")->value, "tls://a");
  EXPECT_EQ(soon.fields[0].child("days_left")->value, "9");
  EXPECT_EQ(soon.fields[1].value, "CN = z");
  const auto& same = titled(r, "Certificates on different targets expiring the same day (UTC)");
  ASSERT_EQ(same.fields.size(), 1u);
  EXPECT_EQ(same.fields[0].name, "2026-12-01");
  EXPECT_EQ(same.fields[0].value, "2 certificate(s) on 2 target(s)");
  EXPECT_EQ(finding_ids(r), (std::vector<std::string>{"fleet.profile-fails", "fleet.cert-expiring",
                                                      "fleet.cert-expiring", "fleet.same-day-expiry"}));
  EXPECT_EQ(r.findings.back().title, "Certificates on 2 targets expire on 2026-12-01: tls://a, tls://b");
  EXPECT_EQ(r.findings.back().severity, Severity::medium);
}

TEST(FleetView, NothingWrongMeansExitZero) {
  const std::vector<RunRecord> runs{run(1, "tls://a", {{"zos-2.2-ftp", "connects", "TLSv1.0"}}, {kY}),
                                    run(2, "tls://b", {{"zos-2.2-ftp", "connects", "TLSv1.0"}}, {kY})};
  const auto r = fleet_report(runs, {.source = "f.db", .days = 30, .changes = false, .now = kNow});
  // The same certificate on two targets, far off: a same-day group, but only informational.
  EXPECT_EQ(finding_ids(r), std::vector<std::string>{"fleet.same-day-expiry"});
  EXPECT_EQ(r.findings.front().severity, Severity::info);
  EXPECT_FALSE(r.has_problems());
}

TEST(FleetView, ChangesBetweenTheLastTwoRuns) {
  const auto runs = estate();
  const auto r = fleet_report(runs, {.source = "f.db", .days = 30, .changes = true, .now = kNow});
  const auto& changes = titled(r, "Changes since each target's previous run");
  ASSERT_EQ(changes.fields.size(), 1u);
  const Field& a = changes.fields[0];
  EXPECT_EQ(a.name, "tls://a");
  EXPECT_EQ(a.value, "run 1 (2026-11-21T10:00:00Z) -> run 3 (2026-11-23T10:00:00Z): 4 change(s)");
  ASSERT_EQ(a.children.size(), 4u);
  EXPECT_EQ(a.children[0].name, "verdict");
  EXPECT_EQ(a.children[0].value, "zos-2.2-ftp: connects -> fails");
  EXPECT_EQ(a.children[0].child("reason")->value, "no TLS 1.0");
  EXPECT_EQ(a.children[1].name, "new_finding");
  EXPECT_EQ(a.children[1].value, "tls.profile-fails");
  EXPECT_EQ(a.children[2].name, "gone_finding");
  EXPECT_EQ(a.children[2].value, "tls.dh-too-small");
  EXPECT_EQ(a.children[3].name, "new_certificate");
  EXPECT_EQ(a.children[3].value, "CN = y");
  EXPECT_EQ(changes.notes, std::vector<std::string>{"tls://b: one run recorded, nothing to compare"});
}

TEST(FleetView, EmptyDatabaseSaysSo) {
  const auto r = fleet_report({}, {.source = "f.db", .days = 30, .changes = true, .now = kNow});
  EXPECT_EQ(r.notes, std::vector<std::string>{"The database holds no run."});
  EXPECT_FALSE(r.has_problems());
}

}  // namespace
}  // namespace sd::fleet

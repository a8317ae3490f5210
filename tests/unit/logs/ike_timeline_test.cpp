// Per-SA IKE timeline: seed 004 (z/OS IKED, APAR PH00771) ends stuck at EZD1791I; charon's own collision handling
// is the healthy outcome.
#include "logs/ike_timeline.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "logs/format.h"

namespace sd::logs::ike {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::filesystem::path source(const std::string& rel) { return std::filesystem::path(SD_SOURCE_DIR) / rel; }

Timeline of(const std::string& text, const std::string& file) { return build_timeline(read_text(text, file)); }

std::vector<std::string> steps(const SaHistory& h) {
  std::vector<std::string> out;
  for (const auto& s : h.steps) out.push_back(std::string(to_string(s.step)) + "@" + std::to_string(s.line));
  return out;
}

TEST(IkeTimeline, Seed004EndsStuckAtWillNotBeRekeyed) {
  const auto t = of(slurp(source("tests/vectors/seeds/004_05b3d2b12efbf044.txt")), "004.txt");
  ASSERT_EQ(t.sas.size(), 1u);
  const SaHistory& h = t.sas.front();
  EXPECT_EQ(h.kind, "IKE_SA");
  EXPECT_EQ(h.id, "xx of tunnel Kx");
  EXPECT_EQ(h.peer, "z/OS IKED (004.txt)");
  EXPECT_EQ(steps(h), (std::vector<std::string>{"lifetime-trimmed@29", "collision-detected@36", "not-rekeyed@39",
                                                 "request-refused@42"}));
  EXPECT_EQ(h.steps[0].detail, "from xxxx to 600 seconds due to digital certificate expiration");
  EXPECT_EQ(h.steps[3].detail,
            "INFORMATIONAL request (message ID 0) from x.x.x.x port 500 to y.y.y.y port 500 dropped: the IKE SA "
            "initial exchanges are not complete");
  EXPECT_EQ(h.state, "stuck");
  EXPECT_EQ(t.verdict, "stuck");
  ASSERT_TRUE(t.point_of_no_return.has_value());
  EXPECT_EQ(t.point_of_no_return->line, 39u);
  EXPECT_EQ(t.point_of_no_return->step, Step::not_rekeyed);
  EXPECT_EQ(t.point_of_no_return_sa, "xx of tunnel Kx");
}

TEST(IkeTimeline, Seed004LadderShowsBothPeersAndTheBreak) {
  const auto t = of(slurp(source("tests/vectors/seeds/004_05b3d2b12efbf044.txt")), "004.txt");
  const auto rows = ladder_fields(t);
  std::vector<std::string> names;
  for (const auto& r : rows) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{"client", "server", "client", "client", "break", "server->client",
                                              "client"}));
  EXPECT_EQ(rows[1].value, "peer started its own rekey of xx of tunnel Kx at the same time (inferred)");
  EXPECT_EQ(rows[3].value,
            "IKE_SA xx of tunnel Kx not-rekeyed: IKED will not start another rekey of this SA (line 39)");
  EXPECT_EQ(rows[4].value, "point of no return: xx of tunnel Kx stays stuck from here");
  const auto notes = timeline_notes(t);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[1], "stuck: xx of tunnel Kx never recovers; point of no return at 004.txt:39 (not-rekeyed)");
}

TEST(IkeTimeline, QuotedIkedLinesWithoutBlankLinesStayApart) {
  const auto t = of(slurp(source("tests/vectors/logs/quoted/zos-iked-simultaneous-rekey.log")), "q.log");
  ASSERT_EQ(t.sas.size(), 1u);
  EXPECT_EQ(steps(t.sas.front()), (std::vector<std::string>{"lifetime-trimmed@1", "collision-detected@3",
                                                             "not-rekeyed@5", "request-refused@7"}));
  EXPECT_EQ(t.verdict, "stuck");
}

TEST(IkeTimeline, IkedSyslogLinesPerTunnel) {
  const std::string log =
      "Nov 22 03:00:01 zos1 IKED: EZD1779I IKE version 2.0 Security Association 4 for tunnel Y7 has the following "
      "attributes - encapsulation : TUNNEL\n"
      "Nov 22 03:00:02 zos1 IKED: EZD1772I IKE version 2.0 Security Association 2 for tunnel K3 reauthenticated\n"
      "Nov 22 03:10:02 zos1 IKED: EZD1776I IKE version 2.0 Security Association 4 for tunnel Y7 deleted\n";
  const auto t = of(log, "syslog");
  ASSERT_EQ(t.sas.size(), 2u);
  EXPECT_EQ(t.sas[0].kind, "CHILD_SA");
  EXPECT_EQ(t.sas[0].id, "4 of tunnel Y7");
  EXPECT_EQ(t.sas[0].state, "deleted");
  EXPECT_EQ(t.sas[1].kind, "IKE_SA");
  EXPECT_EQ(t.sas[1].state, "rekeyed");
  EXPECT_EQ(t.verdict, "no collision");
  EXPECT_FALSE(t.point_of_no_return.has_value());
}

TEST(IkeTimeline, CharonCollisionWonIsResolved) {
  const std::string log =
      "Nov 22 03:00:00 12[IKE] <t|1> initiating IKE_SA t[1] to 127.0.0.2\n"
      "Nov 22 03:00:00 13[IKE] <t|1> IKE_SA t[1] established between 127.0.0.1[a.test]...127.0.0.2[b.test]\n"
      "Nov 22 03:00:00 13[IKE] <t|1> CHILD_SA c{1} established with SPIs c1a2b3c4_i c5d6e7f8_o and TS "
      "127.0.0.1/32 === 127.0.0.2/32\n"
      "Nov 22 03:00:10 14[IKE] <t|1> IKE_SA t[1] state change: ESTABLISHED => REKEYING\n"
      "Nov 22 03:00:10 15[IKE] <t|1> detected IKE_REKEY collision with IKE_REKEY\n"
      "Nov 22 03:00:10 16[IKE] <t|1> IKE_SA rekey collision won, waiting for delete for redundant IKE_SA t[3]\n"
      "Nov 22 03:00:10 16[IKE] <t|2> IKE_SA t[2] rekeyed between 127.0.0.1[a.test]...127.0.0.2[b.test]\n"
      "Nov 22 03:00:11 07[IKE] <t|1> deleting IKE_SA t[1] between 127.0.0.1[a.test]...127.0.0.2[b.test]\n";
  const auto t = of(log, "charon-a.log");
  ASSERT_EQ(t.sas.size(), 3u);
  EXPECT_EQ(t.sas[0].id, "t[1]");
  EXPECT_EQ(steps(t.sas[0]), (std::vector<std::string>{"initiated@1", "established@2", "rekey-started@4",
                                                        "collision-detected@5", "collision-won@6", "deleted@8"}));
  EXPECT_EQ(t.sas[0].state, "collision resolved (won)");
  EXPECT_EQ(t.sas[1].id, "c{1}");
  EXPECT_EQ(t.sas[1].kind, "CHILD_SA");
  EXPECT_EQ(t.sas[1].state, "established");
  EXPECT_EQ(t.sas[2].id, "t[2]");
  EXPECT_EQ(t.sas[2].state, "rekeyed");
  EXPECT_EQ(t.verdict, "collision resolved");
  EXPECT_FALSE(t.point_of_no_return.has_value());
  EXPECT_EQ(timeline_notes(t).back().rfind("collision resolved:", 0), 0u);
}

TEST(IkeTimeline, TwoCharonLogsShareOneLadder) {
  auto a = read_text("Nov 22 03:00:01 12[IKE] <t|1> initiating IKE_SA t[1] to 127.0.0.2\n", "a.log");
  const auto b = read_text(
      "Nov 22 03:00:02 09[IKE] <t|1> IKE_SA t[1] established between 127.0.0.2[b.test]...127.0.0.1[a.test]\n",
      "b.log");
  a.insert(a.begin(), b.begin(), b.end());  // b's log read first, but a's step is earlier
  const auto rows = ladder_fields(build_timeline(a));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].name, "server");
  EXPECT_EQ(rows[0].value, "IKE_SA t[1] initiated: to 127.0.0.2 (line 1)");
  EXPECT_EQ(rows[1].name, "client");
}

// Captured from two charons forced to rekey the same IKE SA at once (tests/peers/test_ike_timeline.cpp):
// b's rekey of t[2] wins, a's DELETE arrives first at a, which aborts its own rekey.
TEST(IkeTimeline, CapturedCharonCollisionIsResolved) {
  auto events = read_text(slurp(source("tests/vectors/ike/rekey-collision/charon-a.log")), "a.log");
  const auto b = read_text(slurp(source("tests/vectors/ike/rekey-collision/charon-b.log")), "b.log");
  events.insert(events.end(), b.begin(), b.end());
  const auto t = build_timeline(events);
  EXPECT_EQ(t.verdict, "collision resolved");
  EXPECT_FALSE(t.point_of_no_return.has_value());
  const SaHistory* a2 = nullptr;
  const SaHistory* b2 = nullptr;
  for (const auto& h : t.sas) {
    if (h.id == "t[2]" && h.file == "a.log") a2 = &h;
    if (h.id == "t[2]" && h.file == "b.log") b2 = &h;
  }
  ASSERT_NE(a2, nullptr);
  ASSERT_NE(b2, nullptr);
  EXPECT_EQ(a2->state, "collision resolved (lost)");
  EXPECT_EQ(b2->state, "collision resolved (won)");
  EXPECT_EQ(steps(*b2), (std::vector<std::string>{"initiated@243", "rekeyed@259", "rekey-started@278",
                                                  "collision-detected@294", "collision-won@304", "deleted@313"}));
  EXPECT_EQ(steps(*a2), (std::vector<std::string>{"rekeyed@263", "rekey-started@286", "collision-detected@303",
                                                  "deleted@308", "collision-detected@312", "collision-lost@313"}));
}

TEST(IkeTimeline, NothingIkeGivesAnEmptyTimeline) {
  const auto t = of("hello\nworld\n", "x");
  EXPECT_TRUE(t.empty());
  EXPECT_TRUE(timeline_notes(t).empty());
}

}  // namespace
}  // namespace sd::logs::ike

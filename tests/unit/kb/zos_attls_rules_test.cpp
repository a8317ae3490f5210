// The two z/OS FTP-over-AT-TLS rules the audit emits (zos.ftp-attls-no-rule, -not-application-controlled):
// `shakedown explain` names each first for its reconstructed EZD1281I/EZD1286I lines, near misses (another status,
// another port and job) match neither, and no other rule's test case or log vector now matches them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kb/matcher.h"
#include "logs/format.h"
#include "shakedown_run.h"

namespace sd::kb {
namespace {

namespace fs = std::filesystem;

const std::string kSource = SD_SOURCE_DIR;
const std::string kNoRule = "zos.ftp-attls-no-rule";
const std::string kNotControlled = "zos.ftp-attls-not-application-controlled";
const std::string kNotEnabledLog = "tests/vectors/logs/reconstructed/zos-ftp-attls-not-enabled.log";
const std::string kNotControlledLog = "tests/vectors/logs/reconstructed/zos-ftp-attls-not-appl-control.log";

const Matcher& matcher() {
  static const std::unique_ptr<Matcher> m = [] {
    auto loaded = load_embedded();
    std::vector<KbError> errors;
    return Matcher::compile(std::move(loaded.kb), errors);
  }();
  return *m;
}

// Finding ids, best first, for the events read from `in`.
std::vector<std::string> diagnose(std::istream& in, const std::string& name, const std::string& format = "") {
  logs::ReadOptions o;
  o.forced_format = format;
  Scan scan(matcher());
  logs::read_events(in, name, o, [&](const logs::Event& ev) { scan.feed(ev); });
  std::vector<std::string> ids;
  for (const auto& f : scan.finish().findings) ids.push_back(f.id);
  return ids;
}

std::vector<std::string> diagnose_file(const std::string& rel, const std::string& format = "") {
  std::ifstream in(kSource + "/" + rel, std::ios::binary);
  EXPECT_TRUE(in) << rel;
  return diagnose(in, rel, format);
}

std::vector<std::string> diagnose_text(const std::string& text) {
  std::istringstream in(text);
  return diagnose(in, "inline.log");
}

bool names_a_new_rule(const std::vector<std::string>& ids) {
  for (const auto& id : ids)
    if (id == kNoRule || id == kNotControlled) return true;
  return false;
}

// The text `shakedown explain <file>` prints.
std::string explain(const std::string& rel) { return test::run_shakedown("explain '" + rel + "'"); }

// The first numbered finding line of an explain report ("[1] title (id, severity)").
std::string first_finding_line(const std::string& report) {
  std::istringstream in(report);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("[1] ", 0) == 0) return line;
  return "";
}

const std::string kMapLine =
    "Nov 20 10:12:01 MVS1 TTLS[83951642]: 10:12:01 TCPIP    EZD1281I TTLS Map CONNID: 0000004E LOCAL: %LOCAL% "
    "REMOTE: %REMOTE% JOBNAME: %JOB% USERID: FTPD TYPE: InBound STATUS: %STATUS% RULE: R1 ACTIONS: g e c\n";

std::string map_line(const std::string& local, const std::string& remote, const std::string& job,
                     const std::string& status) {
  std::string s = kMapLine;
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"%LOCAL%", local}, {"%REMOTE%", remote}, {"%JOB%", job}, {"%STATUS%", status}})
    s.replace(s.find(key), key.size(), value);
  return s;
}

TEST(ZosAttlsRules, BothRulesAreInTheEmbeddedKnowledgeBase) {
  for (const auto& id : {kNoRule, kNotControlled}) {
    const Rule* r = find_embedded_rule(id);
    ASSERT_NE(r, nullptr) << id;
    EXPECT_EQ(r->family, "zos");
    EXPECT_EQ(r->change_side, "either");
    ASSERT_EQ(r->tests.size(), 1u);
    EXPECT_EQ(r->tests[0].expect, "top");
  }
  EXPECT_EQ(find_embedded_rule(kNoRule)->tests[0].file, kNotEnabledLog);
  EXPECT_EQ(find_embedded_rule(kNotControlled)->tests[0].file, kNotControlledLog);
}

TEST(ZosAttlsRules, ShakedownExplainNamesEachRuleFirst) {
  const auto not_enabled = explain(kNotEnabledLog);
  EXPECT_EQ(not_enabled.substr(0, not_enabled.find('\n')), "1 finding");
  EXPECT_NE(first_finding_line(not_enabled).find("(" + kNoRule + ", high)"), std::string::npos) << not_enabled;
  const auto not_controlled = explain(kNotControlledLog);
  EXPECT_EQ(not_controlled.substr(0, not_controlled.find('\n')), "1 finding");
  EXPECT_NE(first_finding_line(not_controlled).find("(" + kNotControlled + ", high)"), std::string::npos)
      << not_controlled;
}

TEST(ZosAttlsRules, EachVectorNamesOnlyItsOwnRule) {
  EXPECT_EQ(diagnose_file(kNotEnabledLog), std::vector<std::string>{kNoRule});
  EXPECT_EQ(diagnose_file(kNotControlledLog), std::vector<std::string>{kNotControlled});
}

TEST(ZosAttlsRules, ThePortOrTheFtpJobNameMakesItAnFtpConnection) {
  const std::string ftp_server = "10.1.1.1..21", client = "10.1.1.20..50112";
  EXPECT_EQ(diagnose_text(map_line(ftp_server, client, "FTPD1", "Enabled")), std::vector<std::string>{kNotControlled});
  EXPECT_EQ(diagnose_text(map_line(ftp_server, client, "FTPD1", "Not Enabled")), std::vector<std::string>{kNoRule});
  // The z/OS FTP client: port 21 is the remote end, the job is the user's.
  EXPECT_EQ(diagnose_text(map_line("10.1.1.20..50112", "10.1.1.1..21", "USER1", "Enabled")),
            std::vector<std::string>{kNotControlled});
  // An FTP server job on another port.
  EXPECT_EQ(diagnose_text(map_line("10.1.1.1..2121", client, "FTPD3", "Not Enabled")),
            std::vector<std::string>{kNoRule});
}

TEST(ZosAttlsRules, NearMissesMatchNeitherRule) {
  const std::string client = "10.1.1.20..50112";
  // ApplicationControlled On is what FTP needs.
  EXPECT_TRUE(diagnose_text(map_line("10.1.1.1..21", client, "FTPD1", "Appl Control")).empty());
  // A transparent (not application controlled) rule is right for a web server on 443.
  EXPECT_TRUE(diagnose_text(map_line("10.1.1.1..443", client, "WEBSRV", "Enabled")).empty());
  EXPECT_TRUE(diagnose_text(map_line("10.1.1.1..2100", client, "CICS1", "Not Enabled")).empty());
  // 5004 alone, without the mapping, is supporting evidence only.
  EXPECT_TRUE(diagnose_text("EZD1286I TTLS Error GRPID: 00000007 ENVID: 00000002 CONNID: 0000004E LOCAL: 10.1.1.1..21 "
                            "REMOTE: 10.1.1.20..50112 JOBNAME: FTPD1 USERID: FTPD RULE: R1 RC: 5004 Connection Init\n")
                  .empty());
}

TEST(ZosAttlsRules, NoOtherRulesTestCaseMatchesTheNewRules) {
  std::size_t cases = 0;
  for (const auto& r : matcher().kb().rules) {
    if (r.id == kNoRule || r.id == kNotControlled) continue;
    for (const auto& t : r.tests) {
      if (!fs::exists(kSource + "/" + t.file)) continue;  // KnowledgeBase tests report a missing file
      ++cases;
      EXPECT_FALSE(names_a_new_rule(diagnose_file(t.file, t.log_format))) << r.id << ": " << t.file;
    }
  }
  EXPECT_GE(cases, 40u);
}

TEST(ZosAttlsRules, NoOtherLogVectorMatchesTheNewRules) {
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kSource + "/tests/vectors/logs")) {
    if (!entry.is_regular_file() || entry.path().parent_path().filename() == "reconstructed") continue;
    const auto ext = entry.path().extension();
    if (ext == ".md" || ext == ".sh" || ext == ".py") continue;
    ++files;
    const auto rel = fs::relative(entry.path(), kSource).string();
    EXPECT_FALSE(names_a_new_rule(diagnose_file(rel))) << rel;
  }
  EXPECT_GE(files, 30u);
}

}  // namespace
}  // namespace sd::kb

// sshd -t / ssh -G as the audit predicts them, against what the real programs printed on the same files
// (tests/vectors/ssh/config-validate, made by capture.py with OpenSSH 9.2p1 and 10.0p1).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "audit/audit.h"
#include "audit/openssh/openssh.h"
#include "audit/openssh/validate.h"

namespace sd::audit::openssh {
namespace {

namespace fs = std::filesystem;

const fs::path kVectors = fs::path(SD_SOURCE_DIR) / "tests/vectors/ssh/config-validate";

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// What a capture holds: the exit code and the lines naming the file (the KEX list's extra line is left out).
struct Captured {
  int exit_code = -1;
  std::vector<std::string> lines;
};

Captured captured(const fs::path& out) {
  Captured c;
  std::istringstream in(slurp(out));
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("exit ")) c.exit_code = std::stoi(line.substr(5));
    else if (line.find("FILE") != std::string::npos) c.lines.push_back(line);
  }
  return c;
}

Verdict verdict_of(const fs::path& conf, const std::string& version) {
  const auto role = conf.parent_path().filename() == "sshd" ? Role::server : Role::client;
  const auto parsed = parse(role, "FILE", slurp(conf));
  EXPECT_FALSE(parsed.error) << conf;
  return validate(parsed.config, version, "linux");
}

std::vector<std::string> printed(const Verdict& v) {
  std::vector<std::string> out;
  for (const auto& c : v.complaints)
    if (!c.message.empty()) out.push_back(c.message);
  if (!v.closing.empty()) out.push_back(v.closing);
  return out;
}

std::vector<fs::path> vector_files(const std::string& program) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kVectors / program))
    if (e.path().extension() == ".conf") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void expect_same_as_captured(const std::string& program) {
  std::size_t compared = 0;
  for (const auto& conf : vector_files(program))
    for (const std::string version : {"9.2", "10.0"}) {
      const auto real = captured(fs::path(conf).replace_extension(version + ".out"));
      const auto v = verdict_of(conf, version);
      EXPECT_EQ(v.refused, real.exit_code != 0) << conf << " with " << version;
      EXPECT_EQ(printed(v), real.lines) << conf << " with " << version;
      ++compared;
    }
  EXPECT_GE(compared, 20u);
}

TEST(OpenSshValidate, SshdMessagesAreWhatTheRealSshdPrinted) { expect_same_as_captured("sshd"); }

TEST(OpenSshValidate, SshMessagesAreWhatTheRealSshPrinted) { expect_same_as_captured("ssh"); }

TEST(OpenSshValidate, MisspeltKeywordGetsTheNearestOneAsHint) {
  const auto v = verdict_of(kVectors / "sshd/unknown-keyword.conf", "9.2");
  ASSERT_EQ(v.complaints.size(), 1u);
  EXPECT_EQ(v.complaints[0].kind, "unknown");
  EXPECT_EQ(v.complaints[0].line.line, 3u);
  EXPECT_EQ(v.complaints[0].hint, "PasswordAuthentication");
  EXPECT_EQ(v.closing, "FILE: terminating, 1 bad configuration options");
}

TEST(OpenSshValidate, SshdStopsAtTheFirstFatalLineAndTheRestIsUnread) {
  const auto v = verdict_of(kVectors / "sshd/unknown-then-fatal.conf", "10.0");
  ASSERT_EQ(v.complaints.size(), 2u);
  EXPECT_EQ(v.complaints[1].weight, Weight::fatal);
  EXPECT_EQ(v.complaints[1].hint, "drop blowfish-cbc (not in OpenSSH 10.0's Ciphers)");
  ASSERT_EQ(v.unread.size(), 1u);
  EXPECT_EQ(v.unread[0].line.line, 6u);
  EXPECT_EQ(v.unread[0].hint, "one of: forced-commands-only,no,prohibit-password,without-password,yes");
  EXPECT_EQ(v.closing, "");
}

TEST(OpenSshValidate, VersionsDifferOnMlkemAndSshDss) {
  EXPECT_TRUE(verdict_of(kVectors / "sshd/mlkem-on-9.2.conf", "9.2").refused);
  EXPECT_FALSE(verdict_of(kVectors / "sshd/mlkem-on-9.2.conf", "10.0").refused);
  EXPECT_FALSE(verdict_of(kVectors / "sshd/dss-on-10.conf", "9.2").refused);
  EXPECT_TRUE(verdict_of(kVectors / "sshd/dss-on-10.conf", "10.0").refused);
}

TEST(OpenSshValidate, AixKeywordPassesUnlessThePlatformIsAnother) {
  const auto parsed = parse(Role::client, "FILE", "AllowPKCS12KeystoreAutoOpen no\n");
  EXPECT_FALSE(validate(parsed.config, "9.2", "").refused);
  EXPECT_FALSE(validate(parsed.config, "9.2", "aix").refused);
  EXPECT_TRUE(validate(parsed.config, "9.2", "linux").refused);
}

TEST(OpenSshValidate, AuditGivesRejectedFindingWithLineEvidenceAndFix) {
  Options o;
  o.kind = "sshd";
  o.facts["openssh"] = "9.2";
  const auto out = run({(kVectors / "sshd/not-in-match.conf").string()}, o);
  ASSERT_FALSE(out.error);
  const auto it = std::find_if(out.findings.begin(), out.findings.end(),
                               [](const Finding& f) { return f.id == "ssh.config-rejected"; });
  ASSERT_NE(it, out.findings.end());
  EXPECT_EQ(it->severity, Severity::high);
  EXPECT_EQ(it->title, "sshd will refuse to start or reload with this sshd_config");
  ASSERT_EQ(it->evidence.size(), 1u);
  EXPECT_EQ(it->evidence[0].line, 4u);
  EXPECT_EQ(it->evidence[0].text, (kVectors / "sshd/not-in-match.conf").string() +
                                      " line 4: Directive 'Port' is not allowed within a Match block");
  ASSERT_EQ(it->fixes.size(), 1u);
  EXPECT_EQ(it->fixes[0].summary.find("Move "), 0u);
}

TEST(OpenSshValidate, DeprecatedKeywordsGiveTheLowFindingOnly) {
  Options o;
  o.kind = "sshd";
  const auto out = run({(kVectors / "sshd/deprecated.conf").string()}, o);
  ASSERT_FALSE(out.error);
  std::vector<std::string> ids;
  for (const auto& f : out.findings) ids.push_back(f.id);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "ssh.config-rejected"), 0);
  const auto it = std::find_if(out.findings.begin(), out.findings.end(),
                               [](const Finding& f) { return f.id == "ssh.config-deprecated"; });
  ASSERT_NE(it, out.findings.end());
  EXPECT_EQ(it->severity, Severity::low);
  ASSERT_EQ(it->evidence.size(), 2u);
  EXPECT_EQ(it->evidence[0].line, 2u);
  EXPECT_EQ(it->evidence[1].line, 3u);
}

TEST(OpenSshValidate, KeywordTableCoversBothVersionsAndPrograms) {
  EXPECT_EQ(validated_versions(), (std::vector<std::string>{"9.2", "10.0"}));
}

}  // namespace
}  // namespace sd::audit::openssh

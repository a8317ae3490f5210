// AT-TLS policies: blocks with file:line (named, referenced and inline), rule resolution by port, direction,
// job name and priority, and FTP.DATA's TLSMECHANISM ATTLS checked against them.
#include <gtest/gtest.h>

#include "audit/attls/attls.h"
#include "audit/audit.h"

namespace sd::audit {
namespace {

const std::string kDir = std::string(SD_SOURCE_DIR) + "/tests/vectors/audit/zos/";

attls::Policy policy() {
  const auto path = kDir + "attls-ftp.policy";
  auto p = attls::parse(path, read_config_file(path).text);
  EXPECT_FALSE(p.error) << p.error->text();
  return p.policy;
}

TEST(Attls, BlocksKeepTheirLines) {
  const auto p = policy();
  ASSERT_EQ(p.blocks.size(), 10u);
  const auto* rule = p.find("TTLSRule", "FTPServer21");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->opened.line, 3u);
  EXPECT_EQ(rule->get("Priority")->line, 7u);
  const auto* env = p.find("TTLSEnvironmentAction", "eActClient");
  ASSERT_NE(env, nullptr);
  ASSERT_EQ(env->inline_blocks.size(), 1u);
  EXPECT_EQ(env->inline_blocks[0].type, "TTLSEnvironmentAdvancedParms");
}

TEST(Attls, InboundPort21FromTheFtpServerJobGetsTheServerRule) {
  const auto p = policy();
  const auto m = attls::resolve(p, {21, 0, true, "FTPD1"});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->rule->name, "FTPServer21");
  EXPECT_EQ(m->setting("ApplicationControlled")->value, "On");
  EXPECT_EQ(m->setting("ApplicationControlled")->line, 56u);
  EXPECT_FALSE(attls::resolve(p, {21, 0, true, "OTHERJOB"}));
}

TEST(Attls, OutboundPriorityPicksTheFtpClientRuleOverTheCatchAll) {
  const auto p = policy();
  auto m = attls::resolve(p, {0, 21, false, ""});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->rule->name, "FTPClientOut");
  EXPECT_EQ(m->setting("TLSv1")->value, "Off");
  EXPECT_EQ(m->setting("V3CipherSuites4Char")->value, "C02FC030009C009D");
  m = attls::resolve(p, {0, 443, false, ""});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->rule->name, "CatchAllOut");
  EXPECT_EQ(m->group->get("TTLSEnabled")->value, "Off");
}

TEST(Attls, UnterminatedBlockIsAnErrorAtItsFirstLine) {
  const auto path = kDir + "attls-unterminated.policy";
  const auto p = attls::parse(path, read_config_file(path).text);
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->text(), path + ":1: TTLSRule Broken is not closed with '}'");
  EXPECT_EQ(attls::parse("x", "}\n").error->message, "'}' without an open block");
}

std::vector<std::string> ids(const Outcome& o) {
  std::vector<std::string> out;
  for (const auto& f : o.findings) out.push_back(f.id);
  return out;
}

TEST(Attls, FtpServerWithMatchingApplicationControlledRuleIsClean) {
  Options o;
  o.facts["jobname"] = "FTPD1";
  const auto out = run({kDir + "ftp.data-server-attls", kDir + "attls-ftp.policy"}, o);
  ASSERT_FALSE(out.error) << out.error->text();
  EXPECT_TRUE(out.findings.empty()) << ::testing::PrintToString(ids(out));
}

TEST(Attls, FtpServerOnAnotherPortHasNoRule) {
  Options o;
  o.facts["ftp-port"] = "2121";
  const auto out = run({kDir + "ftp.data-server-attls", kDir + "attls-ftp.policy"}, o);
  ASSERT_EQ(ids(out), std::vector<std::string>{"zos.ftp-attls-no-rule"});
  EXPECT_EQ(out.findings[0].evidence.at(0).line, 5u);
  EXPECT_EQ(out.findings[0].evidence.at(1).text, "no TTLSRule matches the inbound connection to local port 2121");
  EXPECT_EQ(out.findings[0].title, "TLSMECHANISM ATTLS but no AT-TLS rule covers the FTP connection");
  EXPECT_NE(out.findings[0].cause.find("inbound connection to local port 2121"), std::string::npos);
  EXPECT_FALSE(out.findings[0].references.empty());  // from the KB rule
}

TEST(Attls, FtpClientRuleWithoutApplicationControlled) {
  const auto out = run({kDir + "ftp.data-client-attls", kDir + "attls-ftp.policy"}, {});
  ASSERT_EQ(ids(out), std::vector<std::string>{"zos.ftp-attls-not-application-controlled"});
  EXPECT_EQ(out.findings[0].evidence.at(1).line, 12u);
}

TEST(Attls, AttlsWithoutAPolicyIsANote) {
  const auto out = run({kDir + "ftp.data-client-attls"}, {});
  EXPECT_TRUE(out.findings.empty());
  ASSERT_FALSE(out.notes.empty());
  EXPECT_NE(out.notes.back().find("TLSMECHANISM ATTLS"), std::string::npos);
}

}  // namespace
}  // namespace sd::audit

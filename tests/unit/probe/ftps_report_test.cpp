// The data-channel result as a report (section, findings with KB ids and evidence) and as FtpsFacts.
#include <gtest/gtest.h>

#include "probe/ftps/ftps_data.h"
#include "report/render.h"

namespace sd::probe::ftps {
namespace {

DataAttempt attempt(const std::string& mode, bool ok, const std::string& final_reply) {
  DataAttempt a;
  a.mode = mode;
  a.passive_command = "EPSV";
  a.passive_reply = "229 Entering Extended Passive Mode (|||50001|)";
  a.data_host = "127.0.0.1";
  a.data_port = 50001;
  a.connect_outcome = "success";
  a.tls_outcome = "success";
  a.final_reply = final_reply;
  a.succeeded = ok;
  return a;
}

// What the check learns from vsftpd with require_ssl_reuse=YES and force_anon_data_ssl=YES.
DataChannelResult vsftpd_reuse() {
  DataChannelResult r;
  r.target = "ftps://127.0.0.1:2121";
  r.outcome = "success";
  r.banner = "220 (vsFTPd 3.0.3)";
  r.auth_tls = true;
  r.features = {"AUTH TLS", "PBSZ", "PROT"};
  r.ccc_advertised = false;
  r.login_user = "anonymous";
  r.logged_in = true;
  r.prot_p_accepted = true;
  r.prot_c_accepted = false;
  r.prot_c_reply = "200 PROT now Clear.";
  r.attempts = {attempt("resumed", true, "226 Directory send OK."),
                attempt("clear", false, "522 Data connections must be encrypted."),
                attempt("fresh", false, "522 SSL connection failed: session reuse required")};
  r.requires_session_reuse = true;
  r.pasv_address_differs = false;
  r.control = {{true, "USER anonymous"}, {false, "230 Login successful."}};
  r.connections = 4;
  return r;
}

const Finding* finding(const report::Report& rep, const std::string& id) {
  for (const auto& f : rep.findings)
    if (f.id == id) return &f;
  return nullptr;
}

TEST(FtpsReport, ReuseFindingCarriesBothRepliesAndKbFixes) {
  report::Report rep;
  add_to_report(vsftpd_reuse(), rep);
  const Finding* f = finding(rep, "ftps.vsftpd-require-ssl-reuse");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::high);
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].text, "LIST resuming the control session: 226 Directory send OK.");
  EXPECT_EQ(f->evidence[1].text, "LIST with a fresh TLS session: 522 SSL connection failed: session reuse required");
  EXPECT_EQ(f->evidence[1].side, "server");
  EXPECT_FALSE(f->fixes.empty());
  EXPECT_NE(f->title.find("vsftpd"), std::string::npos);
}

TEST(FtpsReport, ClearDataRefusalIsInformational) {
  report::Report rep;
  add_to_report(vsftpd_reuse(), rep);
  const Finding* f = finding(rep, "ftps.data-protection-required");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::info);
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[1].text, "LIST over a clear data connection: 522 Data connections must be encrypted.");
  EXPECT_EQ(finding(rep, "ftps.ccc-refused"), nullptr);  // never sent, so never refused
  EXPECT_EQ(rep.findings.size(), 2u);
}

TEST(FtpsReport, SectionFields) {
  report::Report rep;
  add_to_report(vsftpd_reuse(), rep);
  ASSERT_EQ(rep.sections.size(), 1u);
  const auto& s = rep.sections[0];
  EXPECT_EQ(s.kind, "probe");
  EXPECT_EQ(s.source, "ftps://127.0.0.1:2121");
  auto value = [&](const std::string& name) {
    for (const auto& f : s.fields)
      if (f.name == name) return f.value;
    return std::string("(missing)");
  };
  EXPECT_EQ(value("requires_session_reuse"), "yes");
  EXPECT_EQ(value("prot_c"), "no: 200 PROT now Clear.");
  EXPECT_EQ(value("ccc"), "not advertised in FEAT, not sent");
  EXPECT_EQ(value("connections"), "4");
  EXPECT_EQ(value("mode"), "explicit");
  const Field* transcript = nullptr;
  for (const auto& f : s.fields)
    if (f.name == "control_transcript") transcript = &f;
  ASSERT_NE(transcript, nullptr);
  ASSERT_EQ(transcript->children.size(), 2u);
  EXPECT_EQ(transcript->children[0].name, "sent");
  EXPECT_EQ(transcript->children[0].value, "USER anonymous");
  EXPECT_NE(report::render_json(rep).find("522 SSL connection failed: session reuse required"), std::string::npos);
}

TEST(FtpsReport, OtherServersGetANeutralTitleAndTheirFix) {
  auto r = vsftpd_reuse();
  r.banner = "220 ProFTPD Server (shakedown live test) [127.0.0.1]";
  report::Report rep;
  add_to_report(r, rep);
  const Finding* f = finding(rep, "ftps.vsftpd-require-ssl-reuse");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->title.find("vsftpd"), std::string::npos);
  ASSERT_FALSE(f->fixes.empty());
  EXPECT_NE(f->fixes[0].snippet.find("TLSOptions NoSessionReuseRequired"), std::string::npos);
}

TEST(FtpsReport, AuthRefusedAndPassiveAddress) {
  DataChannelResult refused;
  refused.target = "ftps://127.0.0.1:21";
  refused.auth_tls = false;
  refused.auth_ssl = false;
  refused.detail = "the server refused AUTH TLS and AUTH SSL: 530 Please login with USER and PASS.";
  report::Report rep;
  add_to_report(refused, rep);
  ASSERT_EQ(rep.findings.size(), 1u);
  EXPECT_EQ(rep.findings[0].id, "ftps.auth-tls-refused");
  EXPECT_EQ(rep.findings[0].severity, Severity::high);

  auto moved = vsftpd_reuse();
  moved.pasv_address_differs = true;
  moved.attempts[0].passive_command = "PASV";
  moved.attempts[0].passive_reply = "227 Entering Passive Mode (10,255,255,1,195,80).";
  moved.attempts[0].announced_host = "10.255.255.1";
  report::Report rep2;
  add_to_report(moved, rep2);
  const Finding* f = finding(rep2, "ftps.pasv-address-unreachable");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->evidence.size(), 1u);
  EXPECT_EQ(f->evidence[0].text, "PASV announced 10.255.255.1 while the control connection goes to 127.0.0.1: "
                                 "227 Entering Passive Mode (10,255,255,1,195,80).");
}

TEST(FtpsReport, FactsForPrediction) {
  tls::FtpsFacts facts;
  fill_facts(vsftpd_reuse(), facts);
  EXPECT_EQ(facts.auth_tls, true);
  EXPECT_FALSE(facts.auth_ssl.has_value());
  EXPECT_EQ(facts.implicit, false);
  EXPECT_EQ(facts.requires_session_reuse, true);
  EXPECT_EQ(facts.prot_p_accepted, true);
  EXPECT_EQ(facts.prot_c_accepted, false);
  EXPECT_EQ(facts.ccc_accepted, false);  // not advertised
  EXPECT_EQ(facts.replies, (std::vector<std::string>{"522 Data connections must be encrypted.",
                                                     "522 SSL connection failed: session reuse required"}));
}

}  // namespace
}  // namespace sd::probe::ftps

// Cross-check with reality (issue 7): a real vsftpd or proftpd is started with a config file, then
// `shakedown audit --format json` reads that exact file and `shakedown probe --format json ftps://…` tests the
// running server. Both reports carry the section "Which clients connect" (kind "prediction") with one field per
// built-in client profile; for every profile where neither side says "unknown", the verdicts must be equal, and so
// must the negotiated TLS version (and, for vsftpd, whose cipher order the audit knows, the cipher suite).
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness.h"
#include "servers.h"
#include "shakedown_cli.h"

namespace sd::peers {
namespace {

/// One profile's line in a prediction section: the verdict and, when it connects, what it negotiates.
struct ProfileVerdict {
  std::string verdict;  // connects, fails or unknown
  std::string version;  // e.g. TLSv1.3; empty unless the field names one
  std::string suite;    // e.g. TLS_AES_256_GCM_SHA384; empty unless the field names one
  std::string line;     // the field's whole value, for failure messages
};

using Verdicts = std::map<std::string, ProfileVerdict>;

/// Profile id -> verdict, read from the "Which clients connect" prediction section of a JSON report.
Verdicts verdicts_of(const std::string& json_text) {
  Verdicts out;
  for (const auto& s : sections_of(json_text)) {
    if (s.value("kind", "") != "prediction" || s.value("title", "") != "Which clients connect") continue;
    for (const auto& f : s.value("fields", nlohmann::json::array()))
      out[f.value("name", "")] = {child_value(f, "verdict"), child_value(f, "version"),
                                  child_value(f, "cipher_suite"), f.value("value", "")};
  }
  return out;
}

/// Both sides' verdicts for one running server.
struct CrossCheck {
  Verdicts audit;
  Verdicts probe;
};

CrossCheck run_both(const TempDir& dir, const fs::path& config, std::uint16_t port,
                    const std::vector<std::string>& audit_options) {
  std::vector<std::string> audit_args = {"audit", "--format", "json"};
  audit_args.insert(audit_args.end(), audit_options.begin(), audit_options.end());
  audit_args.push_back(config.string());
  const std::string url = "ftps://127.0.0.1:" + std::to_string(port);
  const CliRun audit = shakedown(dir, "audit", audit_args);
  const CliRun probe = shakedown(dir, "probe", {"probe", "--format", "json", url});
  EXPECT_TRUE(reported(audit)) << "audit exit code " << audit.exit_code << ": " << audit.err;
  EXPECT_TRUE(reported(probe)) << "probe exit code " << probe.exit_code << ": " << probe.err;
  return {verdicts_of(audit.out), verdicts_of(probe.out)};
}

/// Asserts agreement on every profile neither side calls unknown; returns how many profiles were compared.
std::size_t expect_agreement(const CrossCheck& c, bool compare_suites) {
  const auto same = [&](const std::string& id, const ProfileVerdict& a, const ProfileVerdict& p) {
    if (a.verdict == "unknown" || p.verdict == "unknown") return false;
    const std::string both = "\n  audit: " + a.line + "\n  probe: " + p.line;
    EXPECT_EQ(a.verdict, p.verdict) << id << both;
    if (a.verdict != "connects" || p.verdict != "connects") return true;
    EXPECT_EQ(a.version, p.version) << id << both;
    if (compare_suites) {
      EXPECT_EQ(a.suite, p.suite) << id << both;
    }
    return true;
  };
  return compare_profiles(c.audit, c.probe, same);
}

#define SD_NEED_FTP(server) \
  SD_NEED_PEER_OR_SKIP(server, "the FTP server did not start", "needs vsftpd (unpacked) and proftpd")

// Every built-in TLS profile is in both predictions; fewer compared would mean one side lost its verdicts.
constexpr std::size_t kAtLeast = 24;

/// vsftpd with `extra` appended to its config, audited with the Debian build's defaults (the binary under test).
std::optional<CrossCheck> vsftpd_case(const TempDir& dir, const std::string& extra) {
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = started([&] { return start_vsftpd(dir, cert, extra); });
  if (!server) return std::nullopt;
  return run_both(dir, dir / "vsftpd.conf", server->port, {"--fact", "vsftpd=debian"});
}

TEST(AuditCrossCheck, VsftpdDebianDefaults) {
  TempDir dir("xcheck-vsftpd-default");
  const auto checked = vsftpd_case(dir, "");
  SD_NEED_FTP(checked);
  const CrossCheck& c = *checked;
  EXPECT_GE(expect_agreement(c, true), kAtLeast);
  // ssl_request_cert=YES and require_ssl_reuse=YES by default: the z/OS FTP client fails on both sides.
  EXPECT_EQ(c.audit.at("zos-2.2-ftp").verdict, "fails");
  EXPECT_EQ(c.audit.at("curl-7.88-ftps").verdict, "fails");
  EXPECT_EQ(c.audit.at("openssl-3.0").verdict, "connects");
}

TEST(AuditCrossCheck, VsftpdNoClientCertNoReuse) {
  TempDir dir("xcheck-vsftpd-relaxed");
  const auto checked = vsftpd_case(dir, "ssl_request_cert=NO\nrequire_ssl_reuse=NO\n");
  SD_NEED_FTP(checked);
  const CrossCheck& c = *checked;
  EXPECT_GE(expect_agreement(c, true), kAtLeast);
  EXPECT_EQ(c.audit.at("curl-7.88-ftps").verdict, "connects");
  EXPECT_EQ(c.audit.at("schannel-2012r2").verdict, "fails");  // no shared suite with ECDHE-RSA-AES256-GCM-SHA384
}

TEST(AuditCrossCheck, VsftpdTls10AtSecurityLevel0) {
  TempDir dir("xcheck-vsftpd-tls10");
  const auto checked =
      vsftpd_case(dir, "ssl_request_cert=NO\nrequire_ssl_reuse=NO\nssl_tlsv1=YES\nssl_ciphers=ALL:@SECLEVEL=0\n");
  SD_NEED_FTP(checked);
  const CrossCheck& c = *checked;
  // With ALL the audit once listed ECDHE-ECDSA suites for a server holding only an RSA certificate
  // (schannel-2016/2019: ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 predicted, ECDHE_RSA negotiated).
  EXPECT_GE(expect_agreement(c, true), kAtLeast);
  EXPECT_EQ(c.audit.at("zos-2.2-ftp").version, "TLSv1.0");
  EXPECT_EQ(c.audit.at("zos-2.2-ftp").suite, "TLS_RSA_WITH_AES_256_CBC_SHA");
}

// proftpd as tests/peers/conf/proftpd.conf.in has it (TLSProtocol TLSv1.2 TLSv1.3, TLSRequired on, mod_tls
// defaults otherwise) plus an anonymous login, so that the probe can open a data connection and learn that
// proftpd requires session reuse on it (its default without NoSessionReuseRequired). Without a login the probe
// cannot learn that and predicts "connects" where the audit says "fails" (curl, z/OS System SSL 2.2 to 3.1).
// Only verdicts and versions are compared: the audit does not model proftpd's own cipher choice (the real server
// picks by its preference: ibmi-7.4 gets TLS_AES_256_GCM_SHA384, not the client's first TLS_AES_128_GCM_SHA256;
// schannel-2012r2 gets TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, not TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384).
TEST(AuditCrossCheck, ProftpdDefaultWithAnonymousLogin) {
  TempDir dir("xcheck-proftpd");
  const fs::path anon = dir.subdir("anon");
  const std::string extra = "<Anonymous " + anon.string() +
                            ">\n    User root\n    Group root\n    UserAlias anonymous root\n"
                            "    RequireValidShell off\n    UseFtpUsers off\n  </Anonymous>\n";
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = started([&] { return start_proftpd(dir, cert, extra); });
  SD_NEED_FTP(server);
  const CrossCheck c = run_both(dir, dir / "proftpd.conf", server->port, {});
  EXPECT_GE(expect_agreement(c, false), kAtLeast);
  EXPECT_EQ(c.probe.at("curl-7.88-ftps").verdict, "fails");
  EXPECT_EQ(c.audit.at("openssl-3.0").version, "TLSv1.3");
}

}  // namespace
}  // namespace sd::peers

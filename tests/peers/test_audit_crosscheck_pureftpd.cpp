// pure-ftpd 1.0.50 (Debian 12's binary and pure-ftpd-wrapper, unpacked by scripts/setup.sh) as a real peer:
// its real replies when TLS is off and when TLS is required, the wrapper's real refusal of a conf/ file it has no
// option for (the captures behind the ftps.pureftpd-* KB rules, saved with SD_UPDATE_VECTORS=1 under
// tests/vectors/logs/live/pureftpd-*/), and `shakedown audit` of the very pure-ftpd.conf the server runs with
// checked against `shakedown probe ftps://` of that server for the z/OS FTP client and a modern OpenSSL client.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "capture.h"
#include "servers.h"
#include "shakedown_cli.h"

namespace sd::peers {
namespace {

bool pureftpd_unpacked() { return fs::exists(fs::path(kPureftpdRoot) / "usr/sbin/pure-ftpd"); }

#define SD_NEED_PUREFTPD()                                                                    \
  SD_NEED_PEER_OR_SKIP(pureftpd_unpacked(), "pure-ftpd is not unpacked under /opt/shakedown-peers", \
                       "needs pure-ftpd unpacked by scripts/setup.sh")

// curl -v against the server; `options` come before the URL. Its output goes to DIR/<log>.
int run_curl(const TempDir& dir, std::uint16_t port, const std::vector<std::string>& options, const std::string& log) {
  std::vector<std::string> argv = {"/usr/bin/curl", "-v", "--max-time", "20"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back("ftp://127.0.0.1:" + std::to_string(port) + "/");
  return run(Launch{.argv = argv, .output = dir / log}, milliseconds(30000));
}

// TLS 0: curl --ssl-reqd and lftp with ftp:ssl-force (a user login: lftp never tries TLS for anonymous ones).
Capture tls_off_capture() {
  Capture c{.dir = std::make_unique<TempDir>("pureftpd-tls-off")};
  const TempDir& dir = *c.dir;
  const Server server = start_pureftpd(dir, make_cert(dir.path(), "server", {}), "TLS 0\n");
  c.client_exit = run_curl(dir, server.port, {"--ssl-reqd"}, "curl.log");
  const std::string settings = "set ftp:ssl-force true; set net:max-retries 1; ls; quit";
  run(Launch{.argv = {"/usr/bin/lftp", "-d", "-u", "someone,secret", "-p", std::to_string(server.port), "-e",
                      settings, "127.0.0.1"},
             .output = dir / "lftp.log"},
      milliseconds(30000));
  c.files = {{"curl.log", dir / "curl.log"}, {"lftp.log", dir / "lftp.log"}};
  return c;
}

// TLS 2: a plain curl login, no AUTH TLS.
Capture tls_required_capture() {
  Capture c{.dir = std::make_unique<TempDir>("pureftpd-tls-required")};
  const TempDir& dir = *c.dir;
  const Server server = start_pureftpd(dir, make_cert(dir.path(), "server", {}), "TLS 2\n");
  c.client_exit = run_curl(dir, server.port, {}, "curl.log");
  c.files = {{"curl.log", dir / "curl.log"}};
  return c;
}

// Debian's conf folder as an admin who copied pure-ftpd.conf's CertFile setting into it would leave it.
Capture wrapper_capture() {
  Capture c{.dir = std::make_unique<TempDir>("pureftpd-wrapper")};
  const TempDir& dir = *c.dir;
  c.client_exit = run_pureftpd_wrapper(
      dir, {{"TLS", "2\n"}, {"TLSCipherSuite", "HIGH\n"}, {"CertFile", "/etc/ssl/private/ftpd.pem\n"}},
      dir / "pure-ftpd-wrapper.log");
  c.files = {{"pure-ftpd-wrapper.log", dir / "pure-ftpd-wrapper.log"}};
  return c;
}

const Capture& tls_off() { return captured("pureftpd-tls-off", tls_off_capture); }
const Capture& tls_required() { return captured("pureftpd-tls-required", tls_required_capture); }
const Capture& wrapper() { return captured("pureftpd-wrapper-refuses-file", wrapper_capture); }

// explain on the capture's logs names `id` first.
void expect_top_diagnosis(const Capture& c, const std::string& id) {
  const Explained result = explain(c.paths());
  ASSERT_FALSE(result.ids.empty()) << explain_failure(result, id);
  EXPECT_EQ(result.ids.front(), id) << explain_failure(result, id);
}

TEST(LivePureftpdTlsOff, AuthTlsGets500AndTheClientsGiveUp) {
  SD_NEED_PUREFTPD();
  const Capture& c = tls_off();
  EXPECT_EQ(c.client_exit, 64);
  const std::string curl = c.text("curl.log");
  EXPECT_NE(curl.find("< 220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------"), std::string::npos);
  EXPECT_NE(curl.find("> AUTH SSL\r\n< 500 This security scheme is not implemented"), std::string::npos) << curl;
  EXPECT_NE(curl.find("> AUTH TLS\r\n< 500 This security scheme is not implemented"), std::string::npos) << curl;
  EXPECT_NE(curl.find("curl: (64) Requested SSL level failed"), std::string::npos);
  const std::string lftp = c.text("lftp.log");
  EXPECT_NE(lftp.find("<---  AUTH TLS"), std::string::npos) << "FEAT still lists AUTH TLS: " << lftp;
  EXPECT_NE(lftp.find("---> AUTH TLS\n<--- 500 This security scheme is not implemented"), std::string::npos) << lftp;
  EXPECT_NE(lftp.find("Login failed: ftp:ssl-force is set and server does not support or allow SSL"),
            std::string::npos);
}

TEST(LivePureftpdTlsOff, ExplainNamesPureftpdTlsOffFirst) {
  SD_NEED_PUREFTPD();
  expect_top_diagnosis(tls_off(), "ftps.pureftpd-tls-off");
}

TEST(LivePureftpdTlsRequired, PlainLoginGets421) {
  SD_NEED_PUREFTPD();
  const std::string curl = tls_required().text("curl.log");
  EXPECT_NE(curl.find("> USER anonymous\r\n"
                      "< 421-Sorry, cleartext sessions and weak ciphers are not accepted on this server.\r\n"
                      "< 421 Please reconnect using TLS security mechanisms."),
            std::string::npos)
      << curl;
}

TEST(LivePureftpdTlsRequired, ExplainNamesPureftpdCleartextRefusedFirst) {
  SD_NEED_PUREFTPD();
  expect_top_diagnosis(tls_required(), "ftps.pureftpd-cleartext-refused");
}

TEST(LivePureftpdWrapper, RefusesCertFileAndStops) {
  SD_NEED_PUREFTPD();
  const Capture& c = wrapper();
  EXPECT_EQ(c.client_exit, 255);  // perl's die
  EXPECT_EQ(c.text("pure-ftpd-wrapper.log"),
            std::string(kPureftpdRoot) +
                "/usr/sbin/pure-ftpd-wrapper: Invalid configuration file /etc/pure-ftpd/conf/CertFile: No "
                "corresponding directive\n");
}

TEST(LivePureftpdWrapper, ExplainNamesWrapperRefusesFileFirst) {
  SD_NEED_PUREFTPD();
  expect_top_diagnosis(wrapper(), "ftps.pureftpd-wrapper-refuses-file");
}

// The audit of the same conf folder says what the real wrapper did: CertFile refused, TLS and TLSCipherSuite taken.
TEST(LivePureftpdWrapper, AuditOfTheFolderAgreesWithTheWrapper) {
  SD_NEED_PUREFTPD();
  const Capture& c = wrapper();
  const TempDir& dir = *c.dir;
  const CliRun refused = shakedown(dir, "audit-refused", {"audit", "--format", "json",
                                                           (dir.path() / "etc/pure-ftpd/conf").string()});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.out.find("\"ftps.pureftpd-wrapper-refuses-file\""), std::string::npos) << refused.out;

  TempDir clean("pureftpd-wrapper-accepts");
  const std::map<std::string, std::string> files{{"TLS", "2\n"}, {"TLSCipherSuite", "HIGH\n"}};
  ASSERT_EQ(run_pureftpd_wrapper(clean, files, clean / "wrapper.log"), 0) << read_text(clean / "wrapper.log");
  EXPECT_EQ(read_text(clean / "wrapper.log"), "-Y 2 -J HIGH -g /var/run/pure-ftpd/pure-ftpd.pid\n");
  const CliRun accepted = shakedown(clean, "audit-accepted", {"audit", "--format", "json",
                                                               (clean.path() / "etc/pure-ftpd/conf").string()});
  EXPECT_TRUE(reported(accepted)) << accepted.err;
  EXPECT_EQ(accepted.out.find("\"ftps.pureftpd-wrapper-refuses-file\""), std::string::npos) << accepted.out;
}

// ---- audit of pure-ftpd.conf against the live server started from it ----

// The z/OS FTP client (TLS 1.0 only) and a modern OpenSSL client: the profiles every case compares by name.
const std::vector<std::string> kNamedProfiles = {"zos-2.2-ftp", "openssl-3.0"};

/// One report's "Which clients connect" fields, by profile id.
std::map<std::string, nlohmann::json> predictions(const std::string& json_text) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& s : sections_of(json_text))
    if (s.value("kind", "") == "prediction" && s.value("title", "") == "Which clients connect")
      for (const auto& f : s.value("fields", nlohmann::json::array())) out[f.value("name", "")] = f;
  return out;
}

/// The finding ids of a JSON report, in order.
std::vector<std::string> finding_ids(const std::string& json_text) {
  std::vector<std::string> out;
  const auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded()) return out;
  for (const auto& f : j.value("findings", nlohmann::json::array())) out.push_back(f.value("id", ""));
  return out;
}

/// `shakedown audit` of the server's own pure-ftpd.conf and `shakedown probe ftps://` of the running server.
struct BothReports {
  CliRun audit;
  CliRun probe;
};

BothReports audit_and_probe(const TempDir& dir, const Server& server) {
  const std::string url = "ftps://127.0.0.1:" + std::to_string(server.port);
  // Recognised by its name (--type does not list pureftpd yet, though the "format not recognised" error names it).
  BothReports r{shakedown(dir, "audit", {"audit", "--format", "json", (dir / "pure-ftpd.conf").string()}),
                shakedown(dir, "probe", {"probe", "--format", "json", url})};
  EXPECT_TRUE(reported(r.audit)) << "audit exit code " << r.audit.exit_code << ": " << r.audit.err;
  EXPECT_TRUE(reported(r.probe)) << "probe exit code " << r.probe.exit_code << ": " << r.probe.err;
  return r;
}

/// Expects the same verdict, version and suite from both sides for every profile neither calls unknown; the named
/// profiles must be among them. Returns how many were compared. Causes are not compared here: where a client fails
/// for two reasons each side may name another (with pure-ftpd's built-in list the probe sees a hello without
/// extensions refused with handshake_failure and names that for the z/OS client; the audit names the TLS 1.2 floor).
std::size_t expect_same_predictions(const BothReports& r) {
  const auto audit = predictions(r.audit.out);
  const auto probe = predictions(r.probe.out);
  EXPECT_EQ(audit.size(), probe.size());
  std::size_t compared = 0;
  for (const auto& [id, a] : audit) {
    const auto p = probe.find(id);
    if (p == probe.end() || child_value(a, "verdict") == "unknown" || child_value(p->second, "verdict") == "unknown")
      continue;
    ++compared;
    const std::string both = "\n  audit: " + a.value("value", "") + "\n  probe: " + p->second.value("value", "");
    for (const char* child : {"verdict", "version", "cipher_suite"})
      EXPECT_EQ(child_value(a, child), child_value(p->second, child)) << id << " " << child << both;
  }
  for (const auto& id : kNamedProfiles) {
    EXPECT_TRUE(audit.contains(id) && probe.contains(id)) << id << " is missing from a prediction";
    if (audit.contains(id)) {
      EXPECT_NE(child_value(audit.at(id), "verdict"), "unknown") << id;
    }
  }
  return compared;
}

// Every built-in TLS profile (32 today) is in both predictions; fewer compared would mean one side lost verdicts.
constexpr std::size_t kAtLeast = 24;

TEST(AuditCrossCheckPureftpd, TlsOffNobodyConnectsOnEitherSide) {
  SD_NEED_PUREFTPD();
  TempDir dir("xcheck-pureftpd-tls0");
  const Server server = start_pureftpd(dir, make_cert(dir.path(), "server", {}), "TLS 0\n");
  const BothReports r = audit_and_probe(dir, server);
  EXPECT_EQ(finding_ids(r.audit.out), std::vector<std::string>{"ftps.pureftpd-tls-off"});
  EXPECT_EQ(finding_ids(r.probe.out), std::vector<std::string>{"ftps.auth-tls-refused"});
  EXPECT_NE(r.probe.out.find("500 This security scheme is not implemented"), std::string::npos) << r.probe.out;
  // The audit predicts no client at all; the probe, refused at AUTH TLS, predicts that every client fails there.
  EXPECT_TRUE(predictions(r.audit.out).empty());
  const auto probe = predictions(r.probe.out);
  for (const auto& id : kNamedProfiles) {
    ASSERT_TRUE(probe.contains(id)) << id;
    EXPECT_EQ(child_value(probe.at(id), "verdict"), "fails") << id;
  }
  EXPECT_NE(r.probe.out.find("ftps.auth-tls-refused"), std::string::npos);
}

TEST(AuditCrossCheckPureftpd, TlsOptionalWithTheBuiltInCipherList) {
  SD_NEED_PUREFTPD();
  TempDir dir("xcheck-pureftpd-tls1");
  const Server server = start_pureftpd(dir, make_cert(dir.path(), "server", {}), "TLS 1\n");
  const BothReports r = audit_and_probe(dir, server);
  EXPECT_GE(expect_same_predictions(r), kAtLeast);
  const auto audit = predictions(r.audit.out);
  ASSERT_GE(audit.size(), kAtLeast) << r.audit.out;
  EXPECT_EQ(child_value(audit.at("zos-2.2-ftp"), "verdict"), "fails");
  EXPECT_EQ(child_value(audit.at("zos-2.2-ftp"), "cause"), "tls.client-version-too-old");
  const auto probe = predictions(r.probe.out);
  ASSERT_TRUE(probe.contains("zos-2.2-ftp"));
  EXPECT_EQ(child_value(probe.at("zos-2.2-ftp"), "cause"),
            "z/OS 2.2 FTP client (System SSL), seed-002 trace sends a hello without extensions; the server refuses "
            "those");
  EXPECT_EQ(audit.at("openssl-3.0").value("value", ""), "connects: TLSv1.3 TLS_AES_256_GCM_SHA384");
}

// A TLS 1.2 cipher list: OpenSSL's TLS 1.3 suites are not touched by it, so TLS 1.3 clients still connect.
TEST(AuditCrossCheckPureftpd, TlsRequiredWithTwoTls12Suites) {
  SD_NEED_PUREFTPD();
  TempDir dir("xcheck-pureftpd-tls2");
  const Server server = start_pureftpd(
      dir, make_cert(dir.path(), "server", {}),
      "TLS 2\nTLSCipherSuite ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384\n");
  const BothReports r = audit_and_probe(dir, server);
  EXPECT_GE(expect_same_predictions(r), kAtLeast);
  const auto audit = predictions(r.audit.out);
  ASSERT_GE(audit.size(), kAtLeast) << r.audit.out;
  // With ECDHE suites only there is no suite for a hello without extensions to try: both name the floor.
  const auto probe = predictions(r.probe.out);
  ASSERT_TRUE(probe.contains("zos-2.2-ftp"));
  EXPECT_EQ(child_value(audit.at("zos-2.2-ftp"), "cause"), "tls.client-version-too-old");
  EXPECT_EQ(child_value(probe.at("zos-2.2-ftp"), "cause"), "tls.client-version-too-old");
  EXPECT_EQ(audit.at("openssl-3.0").value("value", ""), "connects: TLSv1.3 TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(audit.at("openssl-1.0.2").value("value", ""), "connects: TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(child_value(audit.at("schannel-2012r2"), "cause"), "tls.no-shared-cipher");
}

// Debian's layout end to end: the real wrapper turns a conf folder into options, pure-ftpd runs with them, and the
// audit reads the folder itself (Debian's shipped TLSCipherSuite HIGH, with TLS 2 switched on).
TEST(AuditCrossCheckPureftpd, DebianConfFolderThroughTheRealWrapper) {
  SD_NEED_PUREFTPD();
  TempDir dir("xcheck-pureftpd-debian");
  const std::map<std::string, std::string> files{{"TLS", "2\n"}, {"TLSCipherSuite", "HIGH\n"}};
  ASSERT_EQ(run_pureftpd_wrapper(dir, files, dir / "wrapper.log"), 0) << read_text(dir / "wrapper.log");
  std::vector<std::string> options;
  std::istringstream words(read_text(dir / "wrapper.log"));
  for (std::string w; words >> w;) options.push_back(w);
  ASSERT_EQ(options, (std::vector<std::string>{"-Y", "2", "-J", "HIGH", "-g", "/var/run/pure-ftpd/pure-ftpd.pid"}));
  const Server server = start_pureftpd_options(dir, make_cert(dir.path(), "server", {}), options);
  const std::string url = "ftps://127.0.0.1:" + std::to_string(server.port);
  const BothReports r{shakedown(dir, "audit", {"audit", "--format", "json",
                                               (dir.path() / "etc/pure-ftpd/conf").string()}),
                      shakedown(dir, "probe", {"probe", "--format", "json", url})};
  ASSERT_TRUE(reported(r.audit)) << r.audit.err;
  ASSERT_TRUE(reported(r.probe)) << r.probe.err;
  EXPECT_GE(expect_same_predictions(r), kAtLeast);
  const auto audit = predictions(r.audit.out);
  ASSERT_TRUE(audit.contains("zos-2.2-ftp"));
  EXPECT_EQ(child_value(audit.at("zos-2.2-ftp"), "cause"), "tls.client-version-too-old");
}

}  // namespace
}  // namespace sd::peers

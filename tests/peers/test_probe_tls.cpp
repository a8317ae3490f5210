// The TLS probe against real servers on loopback: openssl s_server with restricted versions and suites,
// server preference and client-certificate settings; vsftpd (explicit and implicit FTPS, and its "500 OOPS"
// answer to a TLS 1.0 hello); proftpd mod_tls; and SMTP/IMAP/POP3/LDAP upgrades through a scripted front that
// speaks the pre-TLS dialogue and then relays the socket to s_server.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include "probe/tls/scan.h"
#include "wire/tls/registry.h"
#include "servers.h"

namespace sd::peers {
namespace {

using probe::tls::Refusal;
using probe::tls::Upgrade;
constexpr std::uint16_t kTls10 = 0x0301, kTls12 = 0x0303, kTls13 = 0x0304;

#define SD_NEED(server)                                                   \
  if (!(server)) {                                                        \
    if (std::getenv("CI")) FAIL() << "the TLS peer did not start";        \
    GTEST_SKIP() << "needs openssl, vsftpd (unpacked) and proftpd";       \
  }

probe::Url url_for(const std::string& scheme, std::uint16_t port) {
  return probe::Url{.scheme = scheme, .host = "127.0.0.1", .port = port,
                    .text = scheme + "://127.0.0.1:" + std::to_string(port)};
}

probe::ProbeOptions quick() {
  probe::ProbeOptions o;
  o.timeout = milliseconds(4000);
  return o;
}

std::vector<std::uint16_t> accepted_versions(const probe::tls::ServerFacts& f) {
  std::vector<std::uint16_t> out;
  for (const auto& [v, a] : f.versions)
    if (a.refusal == Refusal::none) out.push_back(v);
  return out;
}

std::vector<std::uint16_t> sorted(std::vector<std::uint16_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::optional<Server> s_server(const TempDir& dir, const CertFiles& cert, std::vector<std::string> args) {
  args.insert(args.end(), {"-naccept", "1000"});
  return started([&] { return start_s_server(dir, cert, args); });
}

TEST(ProbeTls, ExactVersionsAndSuitesOfRestrictedServer) {
  TempDir dir("probe-tls-restricted");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = s_server(dir, cert, {"-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:DHE-RSA-AES256-GCM-SHA384"});
  SD_NEED(server);
  const auto scan = probe::tls::scan(url_for("tls", server->port), Upgrade::none, quick());
  EXPECT_EQ(accepted_versions(scan.facts), std::vector<std::uint16_t>{kTls12});
  EXPECT_EQ(scan.facts.versions.at(kTls13).refusal, Refusal::alert);
  EXPECT_EQ(sorted(scan.facts.suites.at(kTls12)), (std::vector<std::uint16_t>{0x0035, 0x009f, 0xc02f}));
  EXPECT_EQ(scan.facts.server_preference, false);
  ASSERT_EQ(scan.facts.chain.size(), 1u);
  EXPECT_EQ(scan.facts.chain[0].subject, "CN = localhost");
  EXPECT_EQ(scan.facts.chain[0].key_type, "RSA");
  EXPECT_EQ(scan.facts.chain[0].key_bits, 2048u);
  EXPECT_TRUE(scan.facts.chain[0].self_signed);
  EXPECT_GE(scan.facts.chain[0].days_left, 29);  // issued for 30 days a moment ago
  EXPECT_LE(scan.facts.chain[0].days_left, 30);
  EXPECT_FALSE(scan.facts.client_cert.requested);
  EXPECT_EQ(scan.facts.client_cert.required, false);
  EXPECT_EQ(scan.facts.resumption_by_id, true);
  ASSERT_TRUE(scan.facts.min_dh_bits.has_value());
  EXPECT_GE(*scan.facts.min_dh_bits, 2048u);
  EXPECT_LE(scan.rounds.at("version") + scan.rounds.at("suites"), 10u);  // about accepted + 1 per version, not one per suite
  EXPECT_EQ(scan.facts.signature_schemes.size() + 1, scan.rounds.at("sigalgs"));  // one per scheme accepted, plus one
  EXPECT_EQ(scan.rounds.at("sni"), 1u);  // an unknown name (no name was given, so none to compare)
  EXPECT_LE(scan.stats.attempted, 40u);
}

TEST(ProbeTls, ServerPreferenceAndTls13Suites) {
  TempDir dir("probe-tls-pref");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = s_server(dir, cert, {"-serverpref", "-cipher", "AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256",
                                           "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
                                           "-groups", "P-384:X25519"});
  SD_NEED(server);
  const auto scan = probe::tls::scan(url_for("tls", server->port), Upgrade::none, quick());
  EXPECT_EQ(accepted_versions(scan.facts), (std::vector<std::uint16_t>{kTls12, kTls13}));
  EXPECT_EQ(scan.facts.suites.at(kTls12), (std::vector<std::uint16_t>{0x0035, 0xc02f}));
  EXPECT_EQ(scan.facts.suites.at(kTls13), (std::vector<std::uint16_t>{0x1302, 0x1303}));
  EXPECT_EQ(scan.facts.server_preference, true);
  EXPECT_EQ(sorted(scan.facts.groups), (std::vector<std::uint16_t>{0x0018, 0x001d}));
  EXPECT_EQ(scan.facts.resumption_by_ticket, true);
  EXPECT_TRUE(scan.facts.intolerance.empty() ||
              scan.facts.intolerance == std::vector<std::string>{"no-extensions"});
}

TEST(ProbeTls, ClientCertificateRequestedNotRequired) {
  TempDir dir("probe-tls-verify");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = s_server(dir, cert, {"-verify", "1"});
  SD_NEED(server);
  const auto scan = probe::tls::scan(url_for("tls", server->port), Upgrade::none, quick());
  EXPECT_TRUE(scan.facts.client_cert.requested);
  EXPECT_EQ(scan.facts.client_cert.required, false);
  EXPECT_TRUE(scan.facts.client_cert.ca_names.empty());
  EXPECT_FALSE(scan.facts.client_cert.signature_schemes.empty());
}

TEST(ProbeTls, ClientCertificateRequiredWithCaList) {
  TempDir dir("probe-tls-Verify");
  const CertFiles ca = make_cert(dir.path(), "ca", {.common_name = "Shakedown Test CA", .is_ca = true});
  const CertFiles cert = make_cert(dir.path(), "server", {}, ca);
  const auto server = s_server(dir, cert, {"-Verify", "1", "-CAfile", ca.cert.string(), "-cert_chain", ca.cert.string()});
  SD_NEED(server);
  const auto scan = probe::tls::scan(url_for("tls", server->port), Upgrade::none, quick());
  EXPECT_TRUE(scan.facts.client_cert.requested);
  EXPECT_EQ(scan.facts.client_cert.required, true);
  EXPECT_EQ(scan.facts.client_cert.ca_names, std::vector<std::string>{"CN = Shakedown Test CA"});
  ASSERT_EQ(scan.facts.chain.size(), 2u);
  EXPECT_EQ(scan.facts.chain[1].subject, "CN = Shakedown Test CA");
  EXPECT_EQ(scan.facts.chain_in_order, true);
  EXPECT_FALSE(scan.facts.resumption_by_id.has_value());
}

// Runs the built binary's `probe --format json ARGS tls://127.0.0.1:PORT` inside gnutls-serv's network namespace
// (gnutls-serv binds every address, so it runs in its own); returns the JSON.
std::string probe_json_in_namespace(const TempDir& dir, const Server& server, std::vector<std::string> args) {
  std::vector<std::string> argv{std::string(SD_BINARY_DIR) + "/shakedown", "probe", "--format", "json"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("tls://127.0.0.1:" + std::to_string(server.port));
  const fs::path out = dir / "probe.json";
  const int rc = run(Launch{.argv = argv, .output = out, .errors = dir / "probe.err", .join_net = net_namespace(*server.process)},
                     milliseconds(60000));
  EXPECT_GE(rc, 0);
  return read_text(out);
}

TEST(ProbeTls, GnutlsServWithPriority) {
  TempDir dir("probe-tls-gnutls");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = started([&] {
    return start_gnutls_serv(dir, cert, {"--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM"});
  });
  SD_NEED(server);
  const std::string json = probe_json_in_namespace(dir, *server, {});
  EXPECT_NE(json.find("\"TLSv1.2\""), std::string::npos) << json.substr(0, 400);
  EXPECT_NE(json.find("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), std::string::npos);
  EXPECT_NE(json.find("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"), std::string::npos);
  EXPECT_EQ(json.find("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), std::string::npos);
  EXPECT_EQ(json.find("TLS_AES_256_GCM_SHA384"), std::string::npos);
}

// gnutls-serv --sni-hostname with --sni-hostname-fatal, probed with --sni: no name passes, another name is refused
// with unrecognized_name, and there is one certificate.
TEST(ProbeTls, GnutlsServSniHostnameFatal) {
  TempDir dir("probe-tls-sni-gnutls");
  const std::string name = "named.shakedown.test";
  const CertFiles cert = make_cert(dir.path(), "server", {.common_name = name});
  const auto server = started([&] { return start_gnutls_serv(dir, cert, {"--sni-hostname", name, "--sni-hostname-fatal"}); });
  SD_NEED(server);
  const std::string json = probe_json_in_namespace(dir, *server, {"--sni", name});
  const auto at = json.find("\"title\": \"Server name indication (SNI)\"");
  ASSERT_NE(at, std::string::npos) << json.substr(0, 400);
  const auto from = json.rfind("\"fields\"", at);
  const std::string section = json.substr(from, at - from);
  EXPECT_NE(section.find("\"value\": \"sni-optional, unknown name fatal\""), std::string::npos) << section;
  EXPECT_NE(section.find("\"value\": \"112 (unrecognized_name)\""), std::string::npos);
  EXPECT_EQ(section.find("\"value\": \"CN = localhost\""), std::string::npos);
}

TEST(ProbeTls, VsftpdExplicit) {
  TempDir dir("probe-tls-vsftpd");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = started([&] { return start_vsftpd(dir, cert, "ssl_request_cert=NO\n"); });
  SD_NEED(server);
  const auto scan = probe::tls::scan(url_for("ftps", server->port), Upgrade::ftp, quick());
  EXPECT_EQ(scan.facts.ftps.auth_tls, true);
  EXPECT_EQ(scan.upgrade_log.command, "AUTH TLS");
  ASSERT_FALSE(scan.upgrade_log.replies.empty());
  EXPECT_EQ(scan.upgrade_log.replies.back(), "234 Proceed with negotiation.");
  EXPECT_EQ(accepted_versions(scan.facts), (std::vector<std::uint16_t>{kTls12, kTls13}));
  // Debian's vsftpd default ssl_ciphers is ECDHE-RSA-AES256-GCM-SHA384 alone.
  EXPECT_EQ(scan.facts.suites.at(kTls12), std::vector<std::uint16_t>{0xc030});
  EXPECT_EQ(scan.facts.groups, std::vector<std::uint16_t>{0x0017});
  EXPECT_FALSE(scan.facts.chain.empty());
}

// The acceptance check: the z/OS seed-002 profile against vsftpd's defaults (client certificate
// requested, session reuse required) fails, with the findings named after the vsftpd settings.
// Runs the built binary: probe ftps://127.0.0.1:PORT --as zos-2.2-ftp --format json; its exit code and the JSON.
std::pair<int, std::string> probe_as_zos_ftp(const TempDir& dir, std::uint16_t port) {
  const fs::path out = dir / "probe.json";
  const int rc = run(Launch{.argv = {std::string(SD_BINARY_DIR) + "/shakedown", "probe", "--as", "zos-2.2-ftp", "--format",
                                     "json", "ftps://127.0.0.1:" + std::to_string(port)},
                            .output = out, .errors = dir / "probe.err"},
                     milliseconds(60000));
  return {rc, read_text(out)};
}

TEST(ProbeTls, ZosProfileAgainstDefaultVsftpd) {
  TempDir dir("probe-tls-zos");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = started([&] { return start_vsftpd(dir, cert, ""); });
  SD_NEED(server);
  const auto [rc, json] = probe_as_zos_ftp(dir, server->port);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(json.find("\"ftps.vsftpd-ssl-request-cert\""), std::string::npos) << json.substr(0, 600);
  EXPECT_NE(json.find("\"ftps.vsftpd-require-ssl-reuse\""), std::string::npos);
  EXPECT_NE(json.find("no shared cipher"), std::string::npos);
  EXPECT_NE(json.find("\"verdict\""), std::string::npos);
}

// The same client against vsftpd with the three settings relaxed (no client-certificate request, no session reuse
// demanded, TLS 1.0 and its suites allowed at security level 0): the prediction turns to success and names the
// version and suite, and no cause of the default case is left.
TEST(ProbeTls, ZosProfileConnectsToRelaxedVsftpd) {
  TempDir dir("probe-tls-zos-relaxed");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = started([&] {
    return start_vsftpd(dir, cert, "ssl_request_cert=NO\nrequire_ssl_reuse=NO\nssl_tlsv1=YES\nssl_ciphers=ALL:@SECLEVEL=0\n");
  });
  SD_NEED(server);
  const auto [rc, json] = probe_as_zos_ftp(dir, server->port);
  EXPECT_NE(rc, 2);
  EXPECT_NE(json.find("connects: TLSv1.0 TLS_RSA_WITH_AES_256_CBC_SHA"), std::string::npos) << json.substr(0, 2000);
  EXPECT_EQ(json.find("\"ftps.vsftpd-ssl-request-cert\""), std::string::npos);
  EXPECT_EQ(json.find("\"ftps.vsftpd-require-ssl-reuse\""), std::string::npos);
  EXPECT_EQ(json.find("\"tls.no-shared-cipher\""), std::string::npos);
}

TEST(ProbeTls, VsftpdRefusesTls10WithAlertThenOops) {
  TempDir dir("probe-tls-vsftpd-oops");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = started([&] { return start_vsftpd(dir, cert, "ssl_tlsv1=NO\n"); });
  SD_NEED(server);
  const auto scan = probe::tls::scan(url_for("ftps", server->port), Upgrade::ftp, quick());
  const auto& tls10 = scan.facts.versions.at(kTls10);
  EXPECT_EQ(tls10.refusal, Refusal::alert_then_text);
  EXPECT_EQ(tls10.text.rfind("500 OOPS", 0), 0u) << tls10.text;
  EXPECT_TRUE(tls10.alert_code.has_value());
}

TEST(ProbeTls, VsftpdImplicit) {
  TempDir dir("probe-tls-vsftpd-implicit");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = started([&] { return start_vsftpd(dir, cert, "implicit_ssl=YES\nssl_request_cert=NO\n"); });
  SD_NEED(server);
  const auto scan = probe::tls::scan(url_for("ftps-implicit", server->port), Upgrade::none, quick());
  EXPECT_EQ(accepted_versions(scan.facts), (std::vector<std::uint16_t>{kTls12, kTls13}));
  EXPECT_FALSE(scan.facts.suites.at(kTls12).empty());
}

TEST(ProbeTls, ProftpdModTls) {
  TempDir dir("probe-tls-proftpd");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = started([&] { return start_proftpd(dir, cert, ""); });
  SD_NEED(server);
  const auto scan = probe::tls::scan(url_for("ftps", server->port), Upgrade::ftp, quick());
  EXPECT_EQ(scan.facts.ftps.auth_tls, true);
  EXPECT_EQ(accepted_versions(scan.facts), (std::vector<std::uint16_t>{kTls12, kTls13}));
  EXPECT_NE(scan.facts.versions.at(kTls10).refusal, Refusal::none);
}

// The suites sslscan lists per version ("Accepted  TLSv1.2  256 bits  NAME"), as OpenSSL names.
std::map<std::string, std::set<std::string>> sslscan_suites(const fs::path& output) {
  std::map<std::string, std::set<std::string>> out;
  std::istringstream lines(read_text(output));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string status, version, bits, unit, name;
    words >> status >> version >> bits >> unit >> name;
    if (status == "Accepted" || status == "Preferred") out[version].insert(name);
  }
  return out;
}

// A permissive vsftpd (every suite OpenSSL has, TLS 1.0 on): our per-version suite lists equal sslscan's.
TEST(ProbeTls, SuitesMatchSslscanOnPermissiveVsftpd) {
  TempDir dir("probe-tls-vs-sslscan");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = started([&] {
    return start_vsftpd(dir, cert, "ssl_tlsv1=YES\nssl_ciphers=ALL:@SECLEVEL=0\nssl_request_cert=NO\n");
  });
  SD_NEED(server);
  const fs::path out = dir / "sslscan.txt";
  const int rc = run(Launch{.argv = {"/usr/bin/sslscan", "--no-colour", "--starttls-ftp",
                                     "127.0.0.1:" + std::to_string(server->port)},
                            .output = out},
                     milliseconds(60000));
  ASSERT_EQ(rc, 0) << read_text(out);
  const auto theirs = sslscan_suites(out);
  const auto scan = probe::tls::scan(url_for("ftps", server->port), Upgrade::ftp, quick());
  std::map<std::string, std::set<std::string>> ours;
  for (const auto& [v, suites] : scan.facts.suites)
    for (const auto code : suites) ours[sd::tls::registry::version_name(v)].insert(
        std::string(sd::tls::registry::find_cipher_suite(code)->openssl_name));
  EXPECT_EQ(ours, theirs);
  EXPECT_EQ(ours["TLSv1.0"].size(), 8u);
}

}  // namespace
}  // namespace sd::peers

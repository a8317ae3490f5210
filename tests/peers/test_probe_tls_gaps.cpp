// The TLS scan's later rounds against openssl s_server on loopback: TLS 1.2 signature_algorithms by iterative
// removal (-sigalgs restricted, RSA and EC certificates), SNI (-servername with -cert2, with and without
// -servername_fatal, with and without --sni), and a TLS 1.3-only server whose chain and CertificateRequest are read
// through a complete OpenSSL handshake (-tls1_3, -Verify 1).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "probe/tls/scan.h"
#include "probe/tls/tls_probe.h"
#include "tlsprofiles/predict.h"
#include "tlsprofiles/profiles.h"
#include "servers.h"

namespace sd::peers {
namespace {

using probe::tls::Refusal;
using probe::tls::Scan;

constexpr const char* kNamed = "named.shakedown.test";

#define SD_NEED_PEER(server)                                       \
  if (!(server)) {                                                 \
    if (std::getenv("CI")) FAIL() << "openssl s_server did not start"; \
    GTEST_SKIP() << "needs openssl s_server";                      \
  }

/// A started s_server (or nullopt) and the scan of it, with --sni when `sni` is not empty.
struct Scanned {
  std::optional<Server> server;
  Scan scan;
};

Scanned scan_s_server(const TempDir& dir, const CertFiles& cert, std::vector<std::string> args, const std::string& sni = "",
                      unsigned max_connections = probe::ProbeOptions{}.max_connections) {
  args.insert(args.end(), {"-naccept", "1000"});
  Scanned out{started([&] { return start_s_server(dir, cert, args); }), {}};
  if (!out.server) return out;
  probe::ProbeOptions options;
  options.timeout = milliseconds(4000);
  options.sni = sni;
  options.max_connections = max_connections;
  const std::string port = std::to_string(out.server->port);
  const probe::Url url{.scheme = "tls", .host = "127.0.0.1", .port = out.server->port, .text = "tls://127.0.0.1:" + port};
  out.scan = probe::tls::scan(url, probe::tls::Upgrade::none, options);
  return out;
}

/// The value of a top-level field of the named report section, or "" when there is none.
std::string section_value(const Scan& scan, const std::string& title, const std::string& field) {
  const probe::Url url{.scheme = "tls", .host = "127.0.0.1", .port = 1, .text = "tls://127.0.0.1:1"};
  for (const auto& s : probe::tls::scan_sections(url, scan))
    if (s.title == title)
      for (const auto& f : s.fields)
        if (f.name == field) return f.value;
  return {};
}

const probe::tls::SniHello& sni_hello(const Scan& scan, const std::string& label) {
  for (const auto& h : scan.sni)
    if (h.label == label) return h;
  static const probe::tls::SniHello none;
  ADD_FAILURE() << "no SNI hello " << label;
  return none;
}

unsigned round(const Scan& scan, const std::string& name) {
  const auto it = scan.rounds.find(name);
  return it == scan.rounds.end() ? 0 : it->second;
}

TEST(ProbeTlsGaps, SignatureSchemesOnlyRsaPssSha256) {
  TempDir dir("probe-tls-sigalgs-rsa");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto [server, scan] = scan_s_server(dir, cert, {"-tls1_2", "-sigalgs", "rsa_pss_rsae_sha256"});
  SD_NEED_PEER(server);
  EXPECT_TRUE(scan.facts.signature_schemes_enumerated);
  EXPECT_EQ(scan.facts.signature_schemes, std::vector<std::uint16_t>{0x0804});
  EXPECT_EQ(round(scan, "sigalgs"), 2u);  // one accepted, then the refusal
  EXPECT_EQ(section_value(scan, "Key exchange groups and signature schemes", "signature_schemes"),
            "TLS 1.2, by iterative removal (2 handshakes)");
}

TEST(ProbeTlsGaps, SignatureSchemesEcdsaP256Sha256WithEcCertificate) {
  TempDir dir("probe-tls-sigalgs-ec");
  const CertFiles cert = make_cert(dir.path(), "server", {.key = KeyKind::ec_p256});
  const auto [server, scan] = scan_s_server(dir, cert, {"-tls1_2", "-sigalgs", "ecdsa_secp256r1_sha256"});
  SD_NEED_PEER(server);
  EXPECT_EQ(scan.facts.signature_schemes, std::vector<std::uint16_t>{0x0403});
  EXPECT_EQ(round(scan, "sigalgs"), 2u);
  ASSERT_FALSE(scan.facts.chain.empty());
  EXPECT_EQ(scan.facts.chain[0].key_type, "EC");
}

TEST(ProbeTlsGaps, SignatureSchemesTwoInServerOrder) {
  TempDir dir("probe-tls-sigalgs-two");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto [server, scan] = scan_s_server(dir, cert, {"-tls1_2", "-sigalgs", "rsa_pkcs1_sha384:rsa_pss_rsae_sha512"});
  SD_NEED_PEER(server);
  std::vector<std::uint16_t> schemes = scan.facts.signature_schemes;
  std::sort(schemes.begin(), schemes.end());
  EXPECT_EQ(schemes, (std::vector<std::uint16_t>{0x0501, 0x0806}));
  EXPECT_EQ(round(scan, "sigalgs"), 3u);
}

/// s_server with -servername kNamed and a second certificate for that name (-cert2/-key2), -servername_fatal when
/// `fatal`, scanned with --sni `sni` (none when empty).
Scanned scan_sni_server(const TempDir& dir, bool fatal, const std::string& sni) {
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const CertFiles named = make_cert(dir.path(), "named", {.common_name = kNamed});
  std::vector<std::string> args{"-servername", kNamed, "-cert2", named.cert.string(), "-key2", named.key.string()};
  if (fatal) args.emplace_back("-servername_fatal");
  return scan_s_server(dir, cert, args, sni);
}

// -servername with -cert2: the named hello gets the second certificate, no name or another name the first.
TEST(ProbeTlsGaps, CertificateDiffersBySniWithSniOption) {
  TempDir dir("probe-tls-sni");
  const auto [server, scan] = scan_sni_server(dir, false, kNamed);
  SD_NEED_PEER(server);
  ASSERT_FALSE(scan.facts.chain.empty());
  EXPECT_EQ(scan.facts.chain[0].subject, "CN = named.shakedown.test");  // the scan itself sent --sni
  EXPECT_EQ(scan.facts.requires_sni, false);
  EXPECT_EQ(scan.facts.certificate_differs_by_sni, true);
  EXPECT_EQ(scan.facts.wrong_sni_fatal, false);
  ASSERT_EQ(scan.sni.size(), 3u);
  EXPECT_EQ(sni_hello(scan, "with_sni").leaf_subject, "CN = named.shakedown.test");
  EXPECT_EQ(sni_hello(scan, "without_sni").leaf_subject, "CN = localhost");
  const auto& unknown = sni_hello(scan, "unknown_name");
  EXPECT_EQ(unknown.answer.refusal, Refusal::none);
  EXPECT_EQ(unknown.leaf_subject, "CN = localhost");
  EXPECT_EQ(unknown.warnings, std::vector<std::uint8_t>{112});  // unrecognized_name, as a warning
  EXPECT_EQ(round(scan, "sni"), 2u);
  EXPECT_EQ(section_value(scan, "Server name indication (SNI)", "verdict"), "sni-optional, certificate differs by SNI");
}

// -servername_fatal: another name is refused with unrecognized_name; no name at all still passes (s_server only
// compares a name that was sent), so SNI is not required.
TEST(ProbeTlsGaps, UnknownNameFatalWithoutSniOption) {
  TempDir dir("probe-tls-sni-fatal");
  const auto [server, scan] = scan_sni_server(dir, true, "");
  SD_NEED_PEER(server);
  EXPECT_EQ(scan.facts.requires_sni, false);
  EXPECT_EQ(scan.facts.wrong_sni_fatal, true);
  EXPECT_FALSE(scan.facts.certificate_differs_by_sni.has_value());  // only one hello passed
  ASSERT_EQ(scan.sni.size(), 2u);
  EXPECT_EQ(sni_hello(scan, "without_sni").leaf_subject, "CN = localhost");
  const auto& unknown = sni_hello(scan, "unknown_name");
  EXPECT_EQ(unknown.answer.refusal, Refusal::alert);
  EXPECT_EQ(unknown.answer.alert_code, std::optional<std::uint8_t>(112));
  EXPECT_EQ(round(scan, "sni"), 1u);
  EXPECT_EQ(section_value(scan, "Server name indication (SNI)", "verdict"), "sni-optional, unknown name fatal");
}

// -servername_fatal with --sni: the named hello passes with the second certificate, the unknown name is refused.
TEST(ProbeTlsGaps, NamedAndUnknownNameFatal) {
  TempDir dir("probe-tls-sni-fatal-named");
  const auto [server, scan] = scan_sni_server(dir, true, kNamed);
  SD_NEED_PEER(server);
  EXPECT_EQ(section_value(scan, "Server name indication (SNI)", "verdict"),
            "sni-optional, certificate differs by SNI, unknown name fatal");
  EXPECT_EQ(sni_hello(scan, "unknown_name").answer.alert_code, std::optional<std::uint8_t>(112));
}

// TLS 1.3 only: every raw hello sees the certificate encrypted; the chain comes from the OpenSSL handshake.
TEST(ProbeTlsGaps, Tls13OnlyChainThroughOpenSsl) {
  TempDir dir("probe-tls13-chain");
  const CertFiles ca = make_cert(dir.path(), "ca", {.common_name = "Shakedown Test CA", .is_ca = true});
  const CertFiles cert = make_cert(dir.path(), "server", {.key = KeyKind::ec_p256}, ca);
  const auto [server, scan] = scan_s_server(dir, cert, {"-tls1_3", "-cert_chain", ca.cert.string()});
  SD_NEED_PEER(server);
  ASSERT_EQ(scan.facts.chain.size(), 2u);
  EXPECT_EQ(scan.facts.chain[0].subject, "CN = localhost");
  EXPECT_EQ(scan.facts.chain[0].issuer, "CN = Shakedown Test CA");
  EXPECT_EQ(scan.facts.chain[0].key_type, "EC");
  EXPECT_EQ(scan.facts.chain[0].key_bits, 256u);
  EXPECT_FALSE(scan.facts.chain[0].self_signed);
  EXPECT_EQ(scan.facts.chain[1].subject, "CN = Shakedown Test CA");
  EXPECT_EQ(scan.facts.chain[1].key_type, "RSA");
  EXPECT_EQ(scan.facts.chain[1].key_bits, 2048u);
  EXPECT_TRUE(scan.facts.chain[1].self_signed);
  EXPECT_EQ(scan.facts.chain_in_order, true);
  EXPECT_FALSE(scan.facts.client_cert.requested);
  EXPECT_EQ(scan.sni_version, 0x0304);
}

// TLS 1.3 with -Verify 1: the CertificateRequest's CA names and signature schemes, and the demand.
TEST(ProbeTlsGaps, Tls13CertificateRequestDetails) {
  TempDir dir("probe-tls13-verify");
  const CertFiles ca = make_cert(dir.path(), "ca", {.common_name = "Shakedown Test CA", .is_ca = true});
  const CertFiles cert = make_cert(dir.path(), "server", {}, ca);
  const auto [server, scan] = scan_s_server(
      dir, cert, {"-tls1_3", "-Verify", "1", "-CAfile", ca.cert.string(), "-client_sigalgs", "ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256"});
  SD_NEED_PEER(server);
  const auto& cc = scan.facts.client_cert;
  EXPECT_TRUE(cc.requested);
  EXPECT_EQ(cc.required, true);
  EXPECT_EQ(cc.ca_names, std::vector<std::string>{"CN = Shakedown Test CA"});
  EXPECT_EQ(cc.signature_schemes, (std::vector<std::uint16_t>{0x0403, 0x0804}));
  EXPECT_TRUE(cc.cert_types.empty());
  ASSERT_EQ(scan.facts.chain.size(), 2u);  // s_server completes the chain from -CAfile
  EXPECT_EQ(scan.facts.chain[0].issuer, "CN = Shakedown Test CA");
  EXPECT_EQ(scan.facts.chain[1].subject, "CN = Shakedown Test CA");
}

// A permissive server (every suite OpenSSL has, TLS 1.0-1.3) has more suites than 64 connections can enumerate. The
// cap must cut the lists short and say so, keep connections for the later rounds, and never turn "not tried" into a
// refusal: no hello shape reads as intolerance and no client is predicted to fail for a suite that was not tried.
TEST(ProbeTlsGaps, ConnectionCapCutsSuitesWithoutFalseRefusals) {
  TempDir dir("probe-tls-cap");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto [server, scan] = scan_s_server(dir, cert, {"-cipher", "ALL:@SECLEVEL=0"}, "", 64);
  SD_NEED_PEER(server);
  EXPECT_LE(scan.stats.attempted, 64u);
  EXPECT_FALSE(scan.facts.suites_incomplete.empty());
  EXPECT_TRUE(scan.facts.intolerance.empty()) << scan.facts.intolerance.front();
  EXPECT_NE(scan.facts.requires_extensions, std::optional<bool>(true));
  EXPECT_GT(round(scan, "shape"), 0u);    // the reserve left room for the rounds after the suites
  EXPECT_GT(round(scan, "openssl"), 0u);
  for (const auto id : {"zos-2.2-ftp", "zos-systemssl-2.2", "openssl-1.0.2", "ibm-java-8"}) {
    const auto profile = tlsprofiles::find_profile(id);
    ASSERT_TRUE(profile) << id;
    const auto p = tlsprofiles::predict(*profile, scan.facts);
    EXPECT_NE(p.verdict, tlsprofiles::Verdict::fails) << id << ": " << p.summary;
  }
  // With room for every suite the same server reads complete, and the z/OS FTP client connects.
  TempDir full_dir("probe-tls-cap-full");
  const auto [full_server, full] = scan_s_server(full_dir, cert, {"-cipher", "ALL:@SECLEVEL=0"}, "", 400);
  SD_NEED_PEER(full_server);
  EXPECT_TRUE(full.facts.suites_incomplete.empty());
  EXPECT_EQ(full.facts.requires_extensions, std::optional<bool>(false));
  const auto zos = tlsprofiles::predict(*tlsprofiles::find_profile("zos-2.2-ftp"), full.facts);
  EXPECT_EQ(zos.verdict, tlsprofiles::Verdict::connects) << zos.summary;
}

}  // namespace
}  // namespace sd::peers

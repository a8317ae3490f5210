// The harness itself: processes are stopped with their whole group, clients time out, certificates come out
// as asked (expired, EC, CA chain), and the plain TLS servers accept real clients.

#include <gtest/gtest.h>
#include <signal.h>

#include "harness.h"
#include "servers.h"

namespace sd::peers {
namespace {

// True when pid names a live (not zombie) process.
bool alive(pid_t pid) {
  const std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return false;
  const auto close_paren = stat.rfind(')');
  return close_paren != std::string::npos && stat.compare(close_paren + 2, 1, "Z") != 0;
}

std::string openssl_out(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/openssl");
  const fs::path out = dir / "openssl.out";
  fs::remove(out);
  run(Launch{.argv = args, .output = out}, milliseconds(20000));
  return read_text(out);
}

TEST(Harness, StopKillsTheWholeProcessGroup) {
  const TempDir dir("harness");
  pid_t worker = 0;
  {
    const Process shell(Launch{.argv = {"/bin/sh", "-c", "sleep 300 & echo $! > " + (dir / "worker").string() +
                                                             "; wait"},
                               .output = dir / "sh.out"});
    ASSERT_TRUE(wait_text(dir / "worker", "\n", milliseconds(5000)));
    worker = std::stoi(read_text(dir / "worker"));
    EXPECT_TRUE(alive(worker));
  }
  for (int i = 0; i < 100 && alive(worker); ++i) std::this_thread::sleep_for(milliseconds(20));
  EXPECT_FALSE(alive(worker));
}

TEST(Harness, RunGivesExitCodeOrMinusOneOnTimeout) {
  const TempDir dir("harness");
  EXPECT_EQ(run(Launch{.argv = {"/bin/sh", "-c", "exit 7"}, .output = dir / "a"}, milliseconds(5000)), 7);
  EXPECT_EQ(run(Launch{.argv = {"/bin/sleep", "30"}, .output = dir / "b"}, milliseconds(200)), -1);
  EXPECT_EQ(run(Launch{.argv = {"/nonexistent/tool"}, .output = dir / "c"}, milliseconds(5000)), 127);
}

TEST(Harness, TempDirIsRemoved) {
  fs::path kept;
  {
    const TempDir dir("harness");
    kept = dir.path();
    write_text(dir / "f", "x");
    EXPECT_EQ(read_text(dir / "f"), "x");
  }
  EXPECT_FALSE(fs::exists(kept));
}

TEST(Harness, TemplateRefusesUnfilledPlaceholders) {
  EXPECT_THROW(render_template("sshd_config.in", {{"DIR", "/tmp"}}), std::runtime_error);
  const std::string text = render_template("sshd_config.in", {{"DIR", "/x"}, {"EXTRA", "Ciphers aes128-ctr"}});
  EXPECT_NE(text.find("HostKey /x/host_ed25519\n"), std::string::npos);
  EXPECT_NE(text.find("\nCiphers aes128-ctr\n"), std::string::npos);
}

TEST(Harness, CertificatesExpiredEcAndChain) {
  const TempDir dir("certs");
  const CertFiles ca = make_cert(dir.path(), "ca", {.common_name = "shakedown test CA", .is_ca = true});
  const CertFiles leaf = make_cert(dir.path(), "leaf", {.key = KeyKind::ec_p256}, ca);
  const CertFiles expired = make_cert(dir.path(), "old", {.not_before_days = -30, .not_after_days = -1}, ca);
  EXPECT_EQ(openssl_out(dir, {"verify", "-CAfile", ca.cert.string(), leaf.cert.string()}),
            leaf.cert.string() + ": OK\n");
  EXPECT_NE(openssl_out(dir, {"verify", "-CAfile", ca.cert.string(), expired.cert.string()})
                .find("error 10 at 0 depth lookup: certificate has expired"),
            std::string::npos);
  EXPECT_NE(openssl_out(dir, {"x509", "-noout", "-text", "-in", leaf.cert.string()}).find("ASN1 OID: prime256v1"),
            std::string::npos);
  EXPECT_NE(openssl_out(dir, {"x509", "-noout", "-subject", "-in", ca.cert.string()}).find("CN = shakedown test CA"),
            std::string::npos);
}

TEST(LiveTlsServers, SServerHandshakeVerifiesAgainstTheTestCa) {
  const TempDir dir("s-server");
  const CertFiles ca = make_cert(dir.path(), "ca", {.common_name = "shakedown test CA", .is_ca = true});
  const Server server = start_s_server(dir, make_cert(dir.path(), "leaf", {}, ca), {});
  const std::string out = openssl_out(dir, {"s_client", "-connect", "127.0.0.1:" + std::to_string(server.port),
                                            "-CAfile", ca.cert.string(), "-verify_return_error", "-brief"});
  EXPECT_NE(out.find("Verification: OK"), std::string::npos) << out;
}

TEST(LiveTlsServers, SServerWithExpiredCertificateFailsVerification) {
  const TempDir dir("s-server-expired");
  const CertFiles ca = make_cert(dir.path(), "ca", {.common_name = "shakedown test CA", .is_ca = true});
  const Server server =
      start_s_server(dir, make_cert(dir.path(), "old", {.not_before_days = -30, .not_after_days = -1}, ca), {});
  const std::string out = openssl_out(dir, {"s_client", "-connect", "127.0.0.1:" + std::to_string(server.port),
                                            "-CAfile", ca.cert.string(), "-verify_return_error", "-brief"});
  EXPECT_NE(out.find("verify error:num=10:certificate has expired"), std::string::npos) << out;
}

TEST(LiveTlsServers, GnutlsServHandshakeCompletes) {
  const TempDir dir("gnutls-serv");
  const CertFiles ca = make_cert(dir.path(), "ca", {.common_name = "shakedown test CA", .is_ca = true});
  const Server server = start_gnutls_serv(dir, make_cert(dir.path(), "leaf", {.key = KeyKind::ec_p256}, ca), {});
  const fs::path out = dir / "gnutls-cli.log";
  run(Launch{.argv = {"/usr/bin/gnutls-cli", "--x509cafile", ca.cert.string(), "-p", std::to_string(server.port),
                      "127.0.0.1"},
             .output = out,
             .join_net = net_namespace(*server.process)},
      milliseconds(20000));
  EXPECT_NE(read_text(out).find("- Handshake was completed"), std::string::npos) << read_text(out);
}

}  // namespace
}  // namespace sd::peers

// Live IKEv2 cases for explain's KB: two real charon daemons (127.0.0.1 initiates, 127.0.0.2 responds) where the
// initiator's first key-exchange guess is a group the responder does not accept (INVALID_KE_PAYLOAD), and where
// the responder authenticates with an expired certificate.

#include <gtest/gtest.h>

#include <optional>

#include "capture.h"
#include "servers.h"

namespace sd::peers {
namespace {

// One end's swanctl.conf: connection "t" without CHILD_SAs (this sandbox's kernel cannot install IPsec SAs, and a
// failed CHILD_SA would add a NO_PROPOSAL_CHOSEN of its own), so only the IKE SA is negotiated.
std::string ike_only_conf(const IkeEnd& end, const IkeEnd& peer, const std::string& proposals, const std::string& auth,
                          const std::string& local_id, const std::string& remote_id, const std::string& extra) {
  const std::string local_cert = auth == "pubkey" ? "      certs = own.crt\n" : "";
  const std::string remote_ca = auth == "pubkey" ? "      cacerts = ca.crt\n" : "";
  return "connections {\n  t {\n    version = 2\n    mobike = no\n    childless = allow\n"
         "    local_addrs = " + end.address + "\n    remote_addrs = " + peer.address + "\n"
         "    remote_port = " + std::to_string(peer.port) + "\n    proposals = " + proposals + "\n"
         "    local {\n      auth = " + auth + "\n" + local_cert + "      id = \"" + local_id + "\"\n    }\n"
         "    remote {\n      auth = " + auth + "\n" + remote_ca + "      id = \"" + remote_id + "\"\n    }\n"
         "  }\n}\n" + extra;
}

std::string psk_secret(const std::string& local_id, const std::string& remote_id) {
  return "secrets {\n  ike-live {\n    id-local = " + local_id + "\n    id-remote = " + remote_id +
         "\n    secret = \"shakedown-live-secret\"\n  }\n}\n";
}

// Loads one end's conf with swanctl, which reads credentials from the folders beside the conf file, so each end
// has its own folder (x509/own.crt, private/own.key, x509ca/ca.crt when given); true on success.
bool load_end(const TempDir& dir, const IkeEnd& end, const std::string& conf_text,
              const std::optional<CertFiles>& own = std::nullopt, const fs::path& ca = {}) {
  const fs::path base = dir.subdir("swanctl-" + end.name);
  if (own) {
    for (const char* sub : {"x509", "x509ca", "private"}) fs::create_directories(base / sub);
    fs::copy_file(own->cert, base / "x509" / "own.crt");
    fs::copy_file(own->key, base / "private" / "own.key");
    fs::copy_file(ca, base / "x509ca" / "ca.crt");
  }
  write_text(base / "swanctl.conf", conf_text);
  Launch l{.argv = {"/usr/sbin/swanctl", "--load-all", "--noprompt", "--file", (base / "swanctl.conf").string(),
                    "--uri", "unix://" + end.vici.string()},
           .output = dir / ("swanctl-load-" + end.name + ".out")};
  return run(l, milliseconds(20000)) == 0;
}

// Initiates the IKE SA "t" alone from `from`, then collects both sides' logs.
Capture collect(std::unique_ptr<TempDir> dir, const IkeEnd& from, const IkeEnd& to) {
  Capture c{.dir = std::move(dir)};
  const fs::path log = *c.dir / "swanctl-initiate.log";
  Launch l{.argv = {"/usr/sbin/swanctl", "--initiate", "--ike", "t", "--timeout", "15", "--uri",
                    "unix://" + from.vici.string()},
           .output = log};
  c.client_exit = run(l, milliseconds(30000));
  c.files = {{"charon-initiator.log", from.server.log},
             {"charon-responder.log", to.server.log},
             {"swanctl-initiate.log", log}};
  return c;
}

void fail_load(const TempDir& dir) {
  throw std::runtime_error("swanctl --load-all failed: " + read_text(dir / "swanctl-load-a.out") +
                           read_text(dir / "swanctl-load-b.out"));
}

// a offers one proposal with x25519 first and ecp256 second, so its KE payload carries x25519; b accepts ecp256
// only and answers INVALID_KE_PAYLOAD asking for it; a retries with ecp256.
const Capture& invalid_ke_case() {
  return captured("ike-invalid-ke-payload", [] {
    auto dir = std::make_unique<TempDir>("ike-invalid-ke-payload");
    const IkeEnd a = start_charon(*dir, "a", "127.0.0.1", free_port_range(2, true));
    const IkeEnd b = start_charon(*dir, "b", "127.0.0.2", free_port_range(2, true), &a);
    if (!load_end(*dir, a, ike_only_conf(a, b, "aes256-sha256-x25519-ecp256", "psk", "a.test", "b.test",
                                         psk_secret("a.test", "b.test"))) ||
        !load_end(*dir, b, ike_only_conf(b, a, "aes256-sha256-ecp256", "psk", "b.test", "a.test",
                                         psk_secret("b.test", "a.test"))))
      fail_load(*dir);
    return collect(std::move(dir), a, b);
  });
}

// Both ends have certificates from one CA; b's expired yesterday.
const Capture& expired_cert_case() {
  return captured("ike-peer-cert-expired", [] {
    auto dir = std::make_unique<TempDir>("ike-peer-cert-expired");
    const CertFiles ca = make_cert(dir->path(), "ca", CertSpec{.common_name = "Shakedown IKE CA", .not_before_days = -400,
                                                              .not_after_days = 400, .is_ca = true});
    const CertFiles cert_a = make_cert(dir->path(), "a", CertSpec{.common_name = "a.test"}, ca);
    const CertFiles cert_b = make_cert(dir->path(), "b",
                                       CertSpec{.common_name = "b.test", .not_before_days = -60, .not_after_days = -1},
                                       ca);
    const IkeEnd a = start_charon(*dir, "a", "127.0.0.1", free_port_range(2, true));
    const IkeEnd b = start_charon(*dir, "b", "127.0.0.2", free_port_range(2, true), &a);
    const std::string suite = "aes256-sha256-x25519";
    if (!load_end(*dir, a, ike_only_conf(a, b, suite, "pubkey", "CN=a.test", "CN=b.test", ""), cert_a, ca.cert) ||
        !load_end(*dir, b, ike_only_conf(b, a, suite, "pubkey", "CN=b.test", "CN=a.test", ""), cert_b, ca.cert))
      fail_load(*dir);
    return collect(std::move(dir), a, b);
  });
}

TEST(LiveIkeInvalidKe, ResponderAsksForAnotherGroupAndTheInitiatorRetries) {
  const Capture& c = invalid_ke_case();
  const std::string responder = c.text("charon-responder.log");
  EXPECT_NE(responder.find("DH group CURVE_25519 unacceptable, requesting ECP_256"), std::string::npos) << responder;
  EXPECT_NE(responder.find("generating IKE_SA_INIT response 0 [ N(INVAL_KE) ]"), std::string::npos);
  const std::string initiator = c.text("charon-initiator.log");
  EXPECT_NE(initiator.find("peer didn't accept DH group CURVE_25519, it requested ECP_256"), std::string::npos)
      << initiator;
  EXPECT_NE(initiator.find("IKE_SA t[1] established between 127.0.0.1[a.test]...127.0.0.2[b.test]"), std::string::npos);
  EXPECT_EQ(c.client_exit, 0);
}

TEST(LiveIkeInvalidKe, ExplainNamesInvalidKePayload) {
  expect_diagnosis(invalid_ke_case(), "ike.invalid-ke-payload");
}

TEST(LiveIkeExpiredCert, InitiatorRefusesTheResponderCertificate) {
  const Capture& c = expired_cert_case();
  EXPECT_NE(c.client_exit, 0);
  const std::string initiator = c.text("charon-initiator.log");
  EXPECT_NE(initiator.find("certificate invalid (valid from"), std::string::npos) << initiator;
}

TEST(LiveIkeExpiredCert, ExplainNamesExpiredPeerCertificate) {
  expect_diagnosis(expired_cert_case(), "ike.peer-cert-expired");
}

}  // namespace
}  // namespace sd::peers

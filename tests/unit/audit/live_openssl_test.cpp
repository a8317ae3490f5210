// Cross-check with reality: a real `openssl s_server` started with the audited openssl.cnf must accept or refuse a
// TLS 1.0 hello exactly as the audit's in-memory prediction says. Loopback only, bounded waits, no timing asserts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "audit/opensslcnf/opensslcnf.h"
#include "audit/tlsserver/tlsserver.h"

namespace sd::audit {
namespace {

const std::string kDir = std::string(SD_SOURCE_DIR) + "/tests/vectors/audit/openssl/";
const std::string kWork = std::string(SD_BINARY_DIR) + "/audit-live-openssl";

bool have_openssl() { return std::system("command -v openssl >/dev/null 2>&1") == 0; }

// Runs s_server with cnf as OPENSSL_CONF and one s_client -tls1 against it; true when TLS 1.0 was negotiated.
bool real_server_accepts_tls10(const std::string& cnf, int port) {
  std::system(("mkdir -p " + kWork).c_str());
  const auto cert = kWork + "/c.pem";
  const auto key = kWork + "/k.pem";
  const auto out = kWork + "/client.out";
  std::ostringstream sh;
  sh << "cd " << kDir << " && "
     << "openssl req -x509 -newkey rsa:2048 -nodes -keyout " << key << " -out " << cert
     << " -days 2 -subj /CN=audit >/dev/null 2>&1; "
     // s_server quits when its standard input ends: feed it a pipe that stays open for a few seconds.
     << "sleep 4 | OPENSSL_CONF=" << cnf << " OPENSSL_CONF_INCLUDE=" << kDir << " timeout 10 openssl s_server -accept 127.0.0.1:"
     << port << " -cert " << cert << " -key " << key << " -naccept 1 >/dev/null 2>&1 & "
     << "for i in $(seq 50); do ss -ltn 2>/dev/null | grep -q '127.0.0.1:" << port << " ' && break; sleep 0.1; done; "
     << "echo | timeout 10 openssl s_client -connect 127.0.0.1:" << port
     << " -tls1 -cipher 'ALL:@SECLEVEL=0' >" << out << " 2>&1; wait";
  std::system(sh.str().c_str());
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A failed handshake still prints "Protocol  : TLSv1" with "Cipher is (NONE)"; success names the cipher.
  return text.find("Protocol  : TLSv1\n") != std::string::npos && text.find("Cipher is (NONE)") == std::string::npos &&
         text.find(", Cipher is ") != std::string::npos;
}

bool predicted_accepts_tls10(const std::string& cnf) {
  const auto parsed = opensslcnf::parse(cnf, read_config_file(cnf).text);
  const auto facts = tlsserver::facts(tlsserver::from_system(&parsed.config), "test");
  return facts.versions.at(0x0301).refusal == probe::tls::Refusal::none;
}

void cross_check(const std::string& name, bool expected, int port) {
  if (!have_openssl()) {
    if (std::getenv("CI")) FAIL() << "openssl missing on a CI machine";
    GTEST_SKIP() << "openssl not installed";
  }
  const auto cnf = kDir + name;
  EXPECT_EQ(predicted_accepts_tls10(cnf), expected);
  EXPECT_EQ(real_server_accepts_tls10(cnf, port), expected);
}

int port_base() { return 42000 + static_cast<int>(getpid() % 5000); }

TEST(LiveOpenssl, DebianDefaultRefusesTls10AsPredicted) { cross_check("debian12-openssl.cnf", false, port_base()); }

TEST(LiveOpenssl, SecurityLevelZeroAcceptsTls10AsPredicted) { cross_check("legacy.cnf", true, port_base() + 1); }

}  // namespace
}  // namespace sd::audit

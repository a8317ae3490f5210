// Cross-check with reality: a real `openssl s_server` started with the audited openssl.cnf must accept or refuse a
// TLS 1.0 hello exactly as the audit's in-memory prediction says. Loopback only, bounded waits, no timing asserts.
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
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
// Each test has its own folder: ctest runs the two in parallel.
bool real_server_accepts_tls10(const std::string& cnf, int port) {
  const auto work = kWork + "/" + std::to_string(port);
  std::system(("mkdir -p " + work).c_str());
  const auto cert = work + "/c.pem";
  const auto key = work + "/k.pem";
  const auto out = work + "/client.out";
  std::ostringstream sh;
  sh << "cd " << kDir << " && "
     << "openssl req -x509 -newkey rsa:2048 -nodes -keyout " << key << " -out " << cert
     << " -days 2 -subj /CN=audit >/dev/null 2>&1; "
     // s_server quits when its standard input ends: feed it a pipe that stays open long enough on a loaded machine;
     // -naccept 1 ends it as soon as the one client is served.
     << "sleep 15 | OPENSSL_CONF=" << cnf << " OPENSSL_CONF_INCLUDE=" << kDir << " timeout 20 openssl s_server -accept 127.0.0.1:"
     << port << " -cert " << cert << " -key " << key << " -naccept 1 >/dev/null 2>&1 & srv=$!; "
     << "for i in $(seq 50); do ss -ltn 2>/dev/null | grep -q '127.0.0.1:" << port << " ' && break; sleep 0.1; done; "
     << "echo | timeout 10 openssl s_client -connect 127.0.0.1:" << port
     << " -tls1 -cipher 'ALL:@SECLEVEL=0' >" << out << " 2>&1; wait $srv";
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

// A port the kernel has just handed out on 127.0.0.1 (bind to port 0), so tests run in parallel never share one.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  if (fd >= 0) ::close(fd);
  return port;
}

TEST(LiveOpenssl, DebianDefaultRefusesTls10AsPredicted) { cross_check("debian12-openssl.cnf", false, free_port()); }

TEST(LiveOpenssl, SecurityLevelZeroAcceptsTls10AsPredicted) { cross_check("legacy.cnf", true, free_port()); }

}  // namespace
}  // namespace sd::audit

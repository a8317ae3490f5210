// Debian's own default configuration files, as the test set-up installs them (scripts/setup.sh): audited where
// they are (vsftpd.conf copied, with ssl_enable=YES appended), with the exact findings their defaults imply.
// A missing file fails the test when CI is set and skips it otherwise.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "audit/proftpd/proftpd.h"
#include "audit/strongswan/strongswan.h"

namespace sd::audit {
namespace {

namespace fs = std::filesystem;

const std::string kVsftpd = "/opt/shakedown-peers/vsftpd/etc/vsftpd.conf";

// FAILS under CI, skips elsewhere, when the packaged file is not installed.
#define REQUIRE_INSTALLED(path)                                                           \
  do {                                                                                    \
    if (!fs::is_regular_file(path)) {                                                     \
      if (std::getenv("CI")) FAIL() << (path) << " missing: run scripts/setup.sh";        \
      GTEST_SKIP() << (path) << " not installed";                                         \
    }                                                                                     \
  } while (0)

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t line_count(const std::string& text) {
  std::size_t n = 0;
  for (const char c : text) n += c == '\n' ? 1 : 0;
  return n;
}

// run() over the file alone reads it and finds nothing.
void expect_no_finding(const std::string& path) {
  const auto out = run({path}, {});
  ASSERT_FALSE(out.error) << out.error->text();
  EXPECT_TRUE(out.findings.empty()) << out.findings.front().id;
}

// Debian's vsftpd.conf with ssl_enable=YES appended, in a folder of its own removed at the end.
class DebianVsftpd : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_INSTALLED(kVsftpd);
    std::string pattern = std::string(SD_BINARY_DIR) + "/audit-debian-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/vsftpd.conf";
    const auto text = slurp(kVsftpd);
    ASSERT_EQ(text.back(), '\n');
    ssl_line_ = line_count(text) + 1;
    std::ofstream(path_, std::ios::binary) << text << "ssl_enable=YES\n";
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  std::string diff(const std::string& line) const { return "--- " + path_ + "\n+++ " + path_ + "\n+ " + line + "\n"; }

  std::string dir_, path_;
  std::size_t ssl_line_ = 0;
};

TEST_F(DebianVsftpd, PackagedFileHasFtpsOffAndNoFinding) {
  const auto out = run({kVsftpd}, {});
  ASSERT_FALSE(out.error);
  EXPECT_TRUE(out.findings.empty());
}

TEST_F(DebianVsftpd, SslEnableNamesRequestCertAndSessionReuseWithLinesAndFixes) {
  const auto out = run({path_}, {});
  ASSERT_FALSE(out.error) << out.error->text();
  ASSERT_GE(out.findings.size(), 2u);  // then the known clients predicted on this host's OpenSSL
  const struct {
    const char* id;
    const char* option;
  } expected[] = {{"ftps.vsftpd-ssl-request-cert", "ssl_request_cert"},
                  {"ftps.vsftpd-require-ssl-reuse", "require_ssl_reuse"}};
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& f = out.findings[i];
    const std::string option = expected[i].option;
    EXPECT_EQ(f.id, expected[i].id);
    EXPECT_EQ(f.change_side, "server");
    ASSERT_EQ(f.evidence.size(), 2u) << f.id;
    EXPECT_EQ(f.evidence[0].file, path_);
    EXPECT_EQ(f.evidence[0].line, 0u);
    EXPECT_EQ(f.evidence[0].text, option + " not set: YES (vsftpd 3.0.3) by default");
    EXPECT_EQ(f.evidence[1].line, ssl_line_);
    EXPECT_EQ(f.evidence[1].text, "ssl_enable=YES");
    ASSERT_EQ(f.fixes.size(), 1u) << f.id;
    EXPECT_EQ(f.fixes[0].side, "server");
    EXPECT_EQ(f.fixes[0].snippet, diff(option + "=NO"));
  }
  for (std::size_t i = 2; i < out.findings.size(); ++i)
    for (const auto& e : out.findings[i].evidence) EXPECT_NE(e.file, path_) << out.findings[i].id;
}

// The "Done means": the same through `shakedown audit --format json`.
TEST_F(DebianVsftpd, CommandLineJsonNamesBothIdsWithLinesAndFixes) {
  const auto json_path = dir_ + "/out.json";
  const auto cmd = std::string(SD_BINARY_DIR) + "/shakedown audit --format json " + path_ + " >" + json_path;
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const auto doc = nlohmann::json::parse(slurp(json_path));
  const auto& findings = doc.at("findings");
  ASSERT_GE(findings.size(), 2u);
  EXPECT_EQ(findings[0].at("id"), "ftps.vsftpd-ssl-request-cert");
  EXPECT_EQ(findings[1].at("id"), "ftps.vsftpd-require-ssl-reuse");
  EXPECT_EQ(findings[0].at("evidence")[1].at("line"), ssl_line_);
  EXPECT_EQ(findings[1].at("evidence")[1].at("line"), ssl_line_);
  EXPECT_EQ(findings[0].at("fixes")[0].at("snippet"), diff("ssl_request_cert=NO"));
  EXPECT_EQ(findings[1].at("fixes")[0].at("snippet"), diff("require_ssl_reuse=NO"));
}

// Debian's sshd_config sets only KbdInteractiveAuthentication, UsePAM, X11Forwarding, PrintMotd, AcceptEnv and
// Subsystem, so OpenSSH 9.2's own algorithm defaults are in force: two known clients are locked out by them
// (IBM i 5733-SC1 signs host keys with ssh-rsa only, Tectia 6.4 offers only SHA-1 / group1 key exchanges), exactly
// as with an empty sshd_config.
TEST(DebianDefaults, SshdConfigGivesWhatOpensshDefaultsImply) {
  const std::string path = "/etc/ssh/sshd_config";
  REQUIRE_INSTALLED(path);
  const auto out = run({path}, {});
  ASSERT_FALSE(out.error) << out.error->text();
  std::vector<std::string> ids;
  for (const auto& f : out.findings) ids.push_back(f.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"ssh.ssh-rsa-disabled", "ssh.no-matching-kex"}));
  Options forced;
  forced.kind = "sshd";
  const auto empty = run({"/dev/null"}, forced);
  ASSERT_FALSE(empty.error);
  ASSERT_EQ(empty.findings.size(), out.findings.size());
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(empty.findings[i].cause, out.findings[i].cause);
}

TEST(DebianDefaults, SshConfigGivesNoFinding) {
  const std::string path = "/etc/ssh/ssh_config";
  REQUIRE_INSTALLED(path);
  expect_no_finding(path);
}

// proftpd's tls.conf has every mod_tls line commented out: TLS off, nothing set, nothing found.
TEST(DebianDefaults, ProftpdTlsConfReadsAsTlsOff) {
  const std::string path = "/etc/proftpd/tls.conf";
  REQUIRE_INSTALLED(path);
  const auto p = proftpd::parse(path, slurp(path));
  ASSERT_FALSE(p.error) << p.error->text();
  EXPECT_FALSE(p.config.engine_on());
  EXPECT_TRUE(p.config.tls.empty());
  expect_no_finding(path);
}

TEST(DebianDefaults, SwanctlConfHasNoConnectionAndNoFinding) {
  const std::string path = "/etc/swanctl/swanctl.conf";
  REQUIRE_INSTALLED(path);
  const auto p = strongswan::parse_swanctl(path, slurp(path));
  ASSERT_FALSE(p.error) << p.error->text();
  EXPECT_TRUE(p.config.connections.empty());
  expect_no_finding(path);
}

TEST(DebianDefaults, IpsecConfHasNoConnectionAndNoFinding) {
  const std::string path = "/etc/ipsec.conf";
  REQUIRE_INSTALLED(path);
  const auto p = strongswan::parse_ipsec(path, slurp(path));
  ASSERT_FALSE(p.error) << p.error->text();
  EXPECT_TRUE(p.config.connections.empty());
  expect_no_finding(path);
}

// Debian's openssl.cnf (no MinProtocol or CipherString: OpenSSL 3's defaults) on its own breaks nothing.
TEST(DebianDefaults, OpensslCnfGivesNoFinding) {
  const std::string path = "/etc/ssl/openssl.cnf";
  REQUIRE_INSTALLED(path);
  expect_no_finding(path);
}

}  // namespace
}  // namespace sd::audit

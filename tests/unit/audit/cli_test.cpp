// The audit command end to end: exit 1 with findings, 0 without, 2 on unreadable input; JSON names the ids.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

const std::string kBin = std::string(SD_BINARY_DIR) + "/shakedown";
const std::string kDir = std::string(SD_SOURCE_DIR) + "/tests/vectors/audit/";

struct Run {
  int code = -1;
  std::string out;
};

Run shakedown(const std::string& args) {
  Run r;
  FILE* p = popen((kBin + " " + args + " 2>/dev/null").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(AuditCli, DebianVsftpdWithSslEnableNamesBothIdsAndExitsOne) {
  const auto r = shakedown("audit --format json " + kDir + "vsftpd/debian-ssl-enable.conf");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("\"id\": \"ftps.vsftpd-ssl-request-cert\""), std::string::npos);
  EXPECT_NE(r.out.find("\"id\": \"ftps.vsftpd-require-ssl-reuse\""), std::string::npos);
  EXPECT_NE(r.out.find("+ require_ssl_reuse=NO"), std::string::npos);
}

TEST(AuditCli, AixSshConfigWithEfsFact) {
  const auto r = shakedown("audit --format json --fact efs=on " + kDir + "openssh/ssh_config-aix");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("\"id\": \"ssh.aix-efs-keystore-request\""), std::string::npos);
}

TEST(AuditCli, CleanConfigExitsZero) {
  EXPECT_EQ(shakedown("audit " + kDir + "vsftpd/zos-friendly.conf").code, 0);
}

TEST(AuditCli, UnreadableOrJunkInputExitsTwo) {
  EXPECT_EQ(shakedown("audit " + kDir + "vsftpd/absent.conf").code, 2);
  EXPECT_EQ(shakedown("audit " + kDir + "vsftpd/binary-junk.conf").code, 2);
  EXPECT_EQ(shakedown("audit --fact efs " + kDir + "vsftpd/zos-friendly.conf").code, 2);
}

TEST(AuditCli, SarifFormat) {
  const auto r = shakedown("audit --format sarif " + kDir + "vsftpd/explicit-yes.conf");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("\"ruleId\": \"ftps.vsftpd-ssl-request-cert\""), std::string::npos);
  EXPECT_NE(r.out.find("\"startLine\": 2"), std::string::npos);
}

}  // namespace

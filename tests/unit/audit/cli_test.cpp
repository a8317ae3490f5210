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

// Clean only with TLS 1.0 let back in for the z/OS 2.2 client (OpenSSL 3 refuses it at its default level).
TEST(AuditCli, CleanConfigExitsZero) {
  EXPECT_EQ(shakedown("audit --fact vsftpd=debian " + kDir + "vsftpd/zos-friendly-high.conf " + kDir +
                      "openssl/legacy.cnf").code, 0);
}

TEST(AuditCli, Tls10OffOnOpenssl3BreaksZos22Defaults) {
  const auto r = shakedown("audit --format json --fact vsftpd=debian " + kDir + "vsftpd/zos-friendly-high.conf");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("\"id\": \"tls.client-version-too-old\""), std::string::npos);
}

// Upstream vsftpd 3.0.3 defaults ssl_ciphers to DES-CBC3-SHA, which OpenSSL 3 here does not have.
TEST(AuditCli, UpstreamDefaultCipherListIsAHazardOnOpenssl3) {
  const auto r = shakedown("audit --format json " + kDir + "vsftpd/zos-friendly.conf");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("500 OOPS: SSL: could not set cipher list"), std::string::npos);
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

namespace {

// Seed 001 as a pair audit: z/OS FTP.DATA client against Debian's vsftpd with TLS 1.0 let back in by openssl.cnf.
TEST(AuditCli, PairAuditNamesBothVsftpdHazardsWithTheServerLines) {
  const auto r = shakedown("audit --format json --fact zos=V2R2 --client " + kDir + "zos/ftp.data-client --server " +
                           kDir + "vsftpd/rhel-like.conf --server " + kDir + "openssl/legacy.cnf");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("\"id\": \"ftps.vsftpd-ssl-request-cert\""), std::string::npos);
  EXPECT_NE(r.out.find("\"id\": \"ftps.vsftpd-require-ssl-reuse\""), std::string::npos);
  EXPECT_NE(r.out.find("+ ssl_request_cert=NO"), std::string::npos);
  EXPECT_NE(r.out.find("Which clients connect"), std::string::npos);
}

TEST(AuditCli, PairAuditOfFixedSidesExitsZero) {
  const auto r = shakedown("audit --fact vsftpd=debian --client " + kDir + "zos/ftp.data-client-tls12 --server " +
                           kDir + "vsftpd/zos-friendly-high.conf");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("The predicted handshake succeeds"), std::string::npos);
}

TEST(AuditCli, PairAuditNeedsBothSides) {
  EXPECT_EQ(shakedown("audit --client " + kDir + "zos/ftp.data-client").code, 2);
}

TEST(AuditCli, SingleVsftpdConfPredictsKnownClients) {
  const auto r = shakedown("audit --fact vsftpd=debian " + kDir + "vsftpd/debian-ssl-enable.conf");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("Which clients connect"), std::string::npos);
  EXPECT_NE(r.out.find("zos-2.2-ftp"), std::string::npos);
}

TEST(AuditCli, Pkcs12PasswordFromAnUnsetVariableIsAUsageError) {
  EXPECT_EQ(shakedown("audit --p12-pass-env SD_AUDIT_NO_SUCH_VAR " + kDir + "zos/ftp.data-client").code, 2);
}

}  // namespace

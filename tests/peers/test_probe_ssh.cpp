// The SSH probe against a real OpenSSH sshd on loopback: the lists it reports are exactly what the config allows,
// and each host key it reads has the fingerprint ssh-keygen gives for the key file.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <sstream>

#include "probe/ssh/ssh_probe.h"
#include "servers.h"

namespace sd::peers {
namespace {

namespace wire = sd::ssh;

const std::string kConfig =
    "KexAlgorithms curve25519-sha256,diffie-hellman-group14-sha256\n"
    "HostKeyAlgorithms ssh-ed25519,ecdsa-sha2-nistp256\n"
    "Ciphers aes128-ctr,aes256-gcm@openssh.com\n"
    "MACs hmac-sha2-256,hmac-sha2-512\n";

probe::Url url_for(std::uint16_t port) {
  return probe::Url{.scheme = "ssh", .host = "127.0.0.1", .port = port,
                    .text = "ssh://127.0.0.1:" + std::to_string(port)};
}

probe::ProbeOptions quick_options() {
  probe::ProbeOptions options;
  options.timeout = milliseconds(5000);
  return options;
}

// The names of a list without the strict-KEX and ext-info markers.
std::vector<std::string> without_markers(const wire::Names& list) {
  std::vector<std::string> out;
  for (const auto& n : list.value)
    if (n.rfind("kex-strict-", 0) != 0 && n.rfind("ext-info-", 0) != 0) out.push_back(n);
  return out;
}

// "SHA256:…" as ssh-keygen -l prints it for a public key file.
std::string keygen_fingerprint(const fs::path& pub) {
  const std::string command = "/usr/bin/ssh-keygen -l -E sha256 -f " + pub.string();
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string text;
  std::array<char, 512> buffer{};
  while (pipe && fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) != nullptr) text += buffer.data();
  std::istringstream words(text);
  std::string bits, fingerprint;
  words >> bits >> fingerprint;
  return fingerprint;
}

TEST(ProbeSsh, ListsExactlyWhatTheConfigAllows) {
  TempDir dir("probe-ssh-lists");
  const Server sshd = start_sshd(dir, kConfig);
  const probe::ssh::Scan scan = probe::ssh::scan(url_for(sshd.port), quick_options());
  ASSERT_TRUE(scan.hello.identification.has_value()) << scan.hello.job.detail;
  EXPECT_EQ(scan.hello.identification->software_version.rfind("OpenSSH_", 0), 0u);
  const wire::Kexinit* k = scan.hello.lists();
  ASSERT_NE(k, nullptr) << scan.hello.job.detail;
  using L = wire::KexList;
  EXPECT_EQ(without_markers(k->list(L::kex)),
            (std::vector<std::string>{"curve25519-sha256", "diffie-hellman-group14-sha256"}));
  EXPECT_TRUE(k->strict_kex_server());
  EXPECT_EQ(k->list(L::host_key).value, (std::vector<std::string>{"ssh-ed25519", "ecdsa-sha2-nistp256"}));
  for (const auto which : {L::cipher_c2s, L::cipher_s2c})
    EXPECT_EQ(k->list(which).value, (std::vector<std::string>{"aes128-ctr", "aes256-gcm@openssh.com"}));
  for (const auto which : {L::mac_c2s, L::mac_s2c})
    EXPECT_EQ(k->list(which).value, (std::vector<std::string>{"hmac-sha2-256", "hmac-sha2-512"}));
  EXPECT_EQ(k->list(L::compression_s2c).value, (std::vector<std::string>{"none", "zlib@openssh.com"}));
}

TEST(ProbeSsh, ReadsEachHostKeyOnItsOwnConnection) {
  TempDir dir("probe-ssh-keys");
  const Server sshd = start_sshd(dir, kConfig);
  const probe::ssh::Scan scan = probe::ssh::scan(url_for(sshd.port), quick_options());
  EXPECT_EQ(scan.kex_used, "curve25519-sha256");
  ASSERT_EQ(scan.host_keys.size(), 2u);
  EXPECT_EQ(scan.host_keys[0].type, "ssh-ed25519");
  ASSERT_TRUE(scan.host_keys[0].key.has_value()) << scan.host_keys[0].problem;
  EXPECT_EQ(scan.host_keys[0].key->type.value, "ssh-ed25519");
  EXPECT_EQ(scan.host_keys[0].fingerprint, keygen_fingerprint(dir / "host_ed25519.pub"));
  EXPECT_EQ(scan.host_keys[1].type, "ecdsa-sha2-nistp256");
  ASSERT_TRUE(scan.host_keys[1].key.has_value()) << scan.host_keys[1].problem;
  EXPECT_EQ(scan.host_keys[1].key->type.value, "ecdsa-sha2-nistp256");
  EXPECT_EQ(scan.host_keys[1].fingerprint, keygen_fingerprint(dir / "host_ecdsa.pub"));
  // One for the hello, one per host key type, four for the behavioural probes after NEWKEYS.
  EXPECT_EQ(scan.stats.attempted, 7u);
  EXPECT_EQ(scan.stats.opened, 7u);
}

TEST(ProbeSsh, RegistryRowFillsTheReport) {
  TempDir dir("probe-ssh-report");
  const Server sshd = start_sshd(dir, kConfig);
  const probe::ProbeKind* kind = probe::find_probe("ssh");
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->default_port, 22);
  report::Report report;
  std::string error;
  ASSERT_TRUE(kind->run(url_for(sshd.port), quick_options(), report, error)) << error;
  ASSERT_EQ(report.sections.size(), 5u);
  EXPECT_EQ(report.sections[0].kind, "probe");
  const Field& server = report.sections[0].fields.at(0);
  ASSERT_NE(server.child("server_host_key_algorithms"), nullptr);
  EXPECT_EQ(server.child("server_host_key_algorithms")->value, "ssh-ed25519,ecdsa-sha2-nistp256");
  EXPECT_EQ(server.child("strict_kex")->value, "yes");
  EXPECT_EQ(report.sections[1].fields.size(), 2u);
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_EQ(report.notes[0], "7 connection(s) made to 127.0.0.1 port " + std::to_string(sshd.port));
}

// A closed port ends as connection-refused in the report, not as an error.
TEST(ProbeSsh, ClosedPortIsAnOutcome) {
  const probe::ssh::Scan scan = probe::ssh::scan(url_for(free_port()), quick_options());
  EXPECT_FALSE(scan.hello.identification.has_value());
  EXPECT_EQ(scan.hello.job.outcome, Outcome::connection_refused);
  EXPECT_TRUE(scan.host_keys.empty());
}

}  // namespace
}  // namespace sd::peers

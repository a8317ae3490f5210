// Prediction per SSH client profile against real sshd configurations, checked against the real OpenSSH client
// run with that profile's algorithm lists: the same success or failure, the same algorithms, and on failure the
// same "Unable to negotiate ..." line. Also throttling (MaxStartups) and the --max-connections cap.

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "sshprofiles/predict.h"
#include "probe/ssh/ssh_probe.h"
#include "servers.h"
#include "shakedown_cli.h"

namespace sd::peers {
namespace {

namespace pssh = sd::probe::ssh;
namespace wire = sd::ssh;

probe::Url url_for(std::uint16_t port) {
  return probe::Url{.scheme = "ssh", .host = "127.0.0.1", .port = port,
                    .text = "ssh://127.0.0.1:" + std::to_string(port)};
}

std::string run_text(const std::vector<std::string>& argv, const fs::path& out) {
  run(Launch{.argv = argv, .output = out}, milliseconds(20000));
  return read_text(out);
}

// The names this ssh build knows for one -Q kind ("kex", "key", "cipher", "mac").
std::set<std::string> known(const TempDir& dir, const std::string& kind) {
  std::istringstream words(run_text({"/usr/bin/ssh", "-Q", kind}, dir / ("ssh-Q-" + kind + ".txt")));
  return {std::istream_iterator<std::string>(words), {}};
}

std::vector<std::string> keep_known(const std::vector<std::string>& names, const std::set<std::string>& ok) {
  std::vector<std::string> out;
  for (const auto& n : names)
    if (ok.count(n)) out.push_back(n);
  return out;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

// The profile as the local ssh can play it: names it no longer builds are dropped, and it words and orders its
// checks as the local (OpenSSH 7+) client does.
pssh::ClientProfile playable(const TempDir& dir, const pssh::ClientProfile& p) {
  pssh::ClientProfile out = p;
  out.kex = keep_known(p.kex, known(dir, "kex"));
  out.host_key = keep_known(p.host_key, known(dir, "key"));
  out.cipher = keep_known(p.cipher, known(dir, "cipher"));
  out.mac = keep_known(p.mac, known(dir, "mac"));
  out.style = "openssh";
  return out;
}

// What the real client did when run with the profile's lists: its "Unable to negotiate" line or its choices.
SshClientChoice run_real(const TempDir& dir, std::uint16_t port, const pssh::ClientProfile& p, const std::string& tag) {
  const fs::path log = dir / ("ssh-" + tag + ".log");
  run_ssh(port,
          {"KexAlgorithms=" + join(p.kex), "HostKeyAlgorithms=" + join(p.host_key), "Ciphers=" + join(p.cipher),
           "MACs=" + join(p.mac)},
          log);
  return ssh_client_choice(read_text(log));
}

// For every profile: predict from what the probe read, run the real client, and compare.
void compare_all(const std::string& name, const std::string& config, const std::vector<std::string>& ids,
                 const std::vector<bool>& expect_connects) {
  TempDir dir("ssh-predict-" + name);
  ASSERT_TRUE(rsa_host_key_if_named(dir, config));
  const Server sshd = start_sshd(dir, with_test_dir(dir, config));
  probe::ProbeOptions options;
  options.timeout = milliseconds(5000);
  const pssh::Scan scan = pssh::scan(url_for(sshd.port), options);
  const wire::Kexinit* server = scan.hello.lists();
  ASSERT_NE(server, nullptr) << scan.hello.job.detail;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    SCOPED_TRACE(name + " / " + ids[i]);
    const pssh::ClientProfile* profile = pssh::find_profile(ids[i]);
    ASSERT_NE(profile, nullptr);
    const pssh::ClientProfile p = playable(dir, *profile);
    const pssh::Prediction predicted = pssh::predict(p, *server, pssh::Endpoint{"127.0.0.1", sshd.port});
    const SshClientChoice real = run_real(dir, sshd.port, p, ids[i]);
    EXPECT_EQ(predicted.connects, expect_connects[i]) << predicted.summary;
    const SshClientChoice choice{predicted.connects ? "" : predicted.message, pssh::chosen(predicted, "kex"),
                                 pssh::chosen(predicted, "host_key"), pssh::chosen(predicted, "cipher_c2s"),
                                 pssh::chosen(predicted, "mac_c2s")};
    expect_same_negotiation(choice, real, predicted.summary);
  }
}

const std::vector<std::string> kProfiles = {"openssh-9.2", "openssh-5.3", "aix-7.1"};

TEST(ProbeSshPredict, DefaultServerMatchesRealClients) {
  compare_all("defaults", "", kProfiles, {true, false, true});
}

TEST(ProbeSshPredict, Ed25519OnlyServerMatchesRealClients) {
  compare_all("ed25519", "HostKeyAlgorithms ssh-ed25519\n", kProfiles, {true, false, true});
}

TEST(ProbeSshPredict, Curve25519OnlyServerMatchesRealClients) {
  compare_all("curve25519", "KexAlgorithms curve25519-sha256\n", kProfiles, {true, false, true});
}

TEST(ProbeSshPredict, RestrictedCiphersAndMacsMatchRealClients) {
  compare_all("ciphers-macs", "Ciphers aes256-ctr\nMACs hmac-sha2-512\n", kProfiles, {true, false, true});
}

TEST(ProbeSshPredict, AeadOnlyServerMakesTheMacImplicit) {
  compare_all("aead", "Ciphers aes256-gcm@openssh.com\nMACs hmac-sha1\n", kProfiles, {true, false, true});
}

TEST(ProbeSshPredict, LegacyServerMatchesRealClients) {
  compare_all("legacy",
              "HostKey @DIR@/host_rsa\nHostKeyAlgorithms ssh-rsa\nKexAlgorithms diffie-hellman-group1-sha1\n",
              kProfiles, {false, true, false});
}

// The whole probe run: a clients section, a finding per failing profile, and --as restricting the set.
TEST(ProbeSshPredict, ProbeReportsClientsAndFindings) {
  TempDir dir("ssh-predict-report");
  const Server sshd = start_sshd(dir, "HostKeyAlgorithms ssh-ed25519\n");
  probe::ProbeOptions options;
  options.timeout = milliseconds(5000);
  options.profiles = {"openssh-9.2", "putty-0.63"};
  report::Report report;
  std::string error;
  ASSERT_TRUE(pssh::run(url_for(sshd.port), options, report, error)) << error;
  const report::Section* clients = nullptr;
  for (const auto& s : report.sections)
    if (s.kind == "clients") clients = &s;
  ASSERT_NE(clients, nullptr);
  ASSERT_EQ(clients->fields.size(), 2u);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].id, "ssh.no-matching-host-key");
  options.profiles = {"no-such-client"};
  report::Report unused;
  EXPECT_FALSE(pssh::run(url_for(sshd.port), options, unused, error));
}

// The AIX client connects, but the behavioural probe saw sshd disconnect on a local-extension message: with EFS
// on, the keystore request would be dropped (ssh.aix-efs-keystore-request).
TEST(ProbeSshPredict, AixEfsRequestMeetsARefusingServer) {
  TempDir dir("ssh-predict-efs");
  const Server sshd = start_sshd(dir, "");
  probe::ProbeOptions options;
  options.timeout = milliseconds(5000);
  options.profiles = {"aix-7.1"};
  report::Report report;
  std::string error;
  ASSERT_TRUE(pssh::run(url_for(sshd.port), options, report, error)) << error;
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].id, "ssh.aix-efs-keystore-request");
  EXPECT_EQ(report.findings[0].title, "AIX 7.1 OpenSSH 7.5p1 → " + url_for(sshd.port).text +
                                          ": fails when EFS is enabled on the AIX host (AllowPKCS12KeystoreAutoOpen yes)");
  EXPECT_NE(report.findings[0].cause.find("199"), std::string::npos) << report.findings[0].cause;
}

// --max-connections bounds host-key enumeration, and the report says what was skipped.
TEST(ProbeSshPredict, HostKeyEnumerationRespectsMaxConnections) {
  TempDir dir("ssh-predict-cap");
  const Server sshd = start_sshd(dir, "");
  probe::ProbeOptions options;
  options.timeout = milliseconds(5000);
  options.max_connections = 2;
  const pssh::Scan scan = pssh::scan(url_for(sshd.port), options);
  EXPECT_EQ(scan.stats.attempted, 2u);
  EXPECT_EQ(scan.host_keys.size(), 1u);
  ASSERT_EQ(scan.etiquette.skipped.size(), 1u);
  EXPECT_NE(scan.etiquette.skipped[0].find(": --max-connections 2 reached"), std::string::npos);
  EXPECT_FALSE(scan.etiquette.throttled);
}

// sshd with MaxStartups 1:100:1 and one connection held open drops the probe: "throttled", no conclusions.
TEST(ProbeSshPredict, MaxStartupsDropIsReportedAsThrottled) {
  TempDir dir("ssh-predict-throttle");
  const Server first = start_sshd(dir, "");  // renders the config and host keys
  // The template fixes MaxStartups, and sshd keeps the first value it reads: a copy with the line replaced.
  std::string config = read_text(dir / "sshd_config");
  const auto at = config.find("MaxStartups 20\n");
  ASSERT_NE(at, std::string::npos);
  config.replace(at, 15, "MaxStartups 1:100:1\n");
  const auto pid = config.find("sshd.pid");
  ASSERT_NE(pid, std::string::npos);
  config.replace(pid, 8, "sshd-throttle.pid");
  write_text(dir / "sshd_config_throttle", config);
  Server sshd;
  sshd.port = free_port();
  const fs::path run_dir = dir.subdir("run-throttle");
  fs::create_directories(run_dir / "sshd");
  sshd.process = std::make_unique<Process>(Launch{
      .argv = {"/usr/sbin/sshd", "-D", "-e", "-f", (dir / "sshd_config_throttle").string(), "-p",
               std::to_string(sshd.port)},
      .output = dir / "sshd-throttle.log",
      .private_run = run_dir});
  ASSERT_TRUE(wait_tcp(sshd.port, milliseconds(10000), sshd.process.get())) << read_text(dir / "sshd-throttle.log");
  RawClient held(sshd.port);
  ASSERT_TRUE(held.read_line().has_value()) << "the held connection gets the banner";
  probe::ProbeOptions options;
  options.timeout = milliseconds(5000);
  const pssh::Scan scan = pssh::scan(url_for(sshd.port), options);
  EXPECT_TRUE(scan.etiquette.throttled) << scan.hello.job.detail;
  EXPECT_EQ(scan.etiquette.first_throttled_job, "ssh-kexinit");
  EXPECT_NE(scan.etiquette.reason.find("MaxStartups"), std::string::npos) << scan.etiquette.reason;
  EXPECT_TRUE(scan.host_keys.empty());
  report::Report report;
  pssh::add_to_report(url_for(sshd.port), scan, report);
  for (const auto& s : report.sections) EXPECT_NE(s.kind, "clients") << "no predictions from a throttled run";
  ASSERT_FALSE(report.findings.empty());
  EXPECT_EQ(report.findings.back().id, "ssh.maxstartups-drop");
}

}  // namespace
}  // namespace sd::peers

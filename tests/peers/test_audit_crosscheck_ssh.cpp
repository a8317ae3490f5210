// Cross-check with reality for SSH (issue 7): a real sshd is started with a config, then
// `shakedown audit --format json SSHD_CONFIG` reads that exact file and `shakedown probe --format json ssh://…`
// tests the running server. Both reports carry the "clients" section (one field per SSH client profile, predicted
// by the same code); for every profile the verdicts must be equal and, when it connects, the key exchange, host
// key, cipher and MAC too. A disagreement prints both sides' summaries.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness.h"
#include "servers.h"
#include "shakedown_cli.h"

namespace sd::peers {
namespace {

using nlohmann::json;

/// One profile's prediction as a report gives it: "prediction" (connects/fails), the chosen names, the summary.
using Prediction = std::map<std::string, std::string>;
/// Profile id -> its prediction.
using Predictions = std::map<std::string, Prediction>;

/// The "clients" section of a JSON report, or an empty map when the report has none.
Predictions clients_of(const std::string& text) {
  Predictions out;
  for (const auto& section : sections_of(text)) {
    if (section.value("kind", "") != "clients") continue;
    for (const auto& field : section.value("fields", json::array())) {
      Prediction& p = out[field.value("value", "")];
      for (const auto& c : field.value("children", json::array())) p[c.value("name", "")] = c.value("value", "");
    }
  }
  return out;
}

/// Runs this build's shakedown with `args` and returns its standard output; the exit code must be 0 or 1.
std::string run_shakedown(const TempDir& dir, const std::string& tag, const std::vector<std::string>& args) {
  const CliRun r = shakedown(dir, tag, args);
  EXPECT_TRUE(reported(r)) << tag << " exit code " << r.exit_code << ": " << r.err;
  return r.out;
}

/// The names compared when both sides say the client connects.
const std::vector<std::string> kChoices = {"kex", "host_key", "cipher_c2s", "mac_c2s", "compression_c2s"};

std::string value(const Prediction& p, const std::string& key) {
  const auto it = p.find(key);
  return it == p.end() ? std::string("(none)") : it->second;
}

/// Expects the audit and the probe to agree on every profile; returns how many profiles were compared.
std::size_t expect_agreement(const Predictions& audit, const Predictions& probe) {
  return compare_profiles(audit, probe, [](const std::string& id, const Prediction& a, const Prediction& p) {
    const std::string both = "\n  audit: " + value(a, "summary") + "\n  probe: " + value(p, "summary");
    EXPECT_EQ(value(a, "prediction"), value(p, "prediction")) << id << both;
    if (value(a, "prediction") != "connects" || value(p, "prediction") != "connects") return true;
    for (const auto& step : kChoices) EXPECT_EQ(value(a, step), value(p, step)) << id << " " << step << both;
    return true;
  });
}

/// Every SSH client profile is in both predictions; fewer compared would mean one side lost its section.
constexpr std::size_t kAtLeast = 25;

/// Both sides' predictions for sshd started with `extra` ("@DIR@" becomes the test folder).
struct CrossCheck {
  Predictions audit;
  Predictions probe;
};

std::optional<CrossCheck> cross_check(const TempDir& dir, const std::string& extra, const std::string& version) {
  const std::string config_lines = with_test_dir(dir, extra);
  const auto sshd = started([&] {
    return version == "10.0" ? start_openssh10(dir, config_lines) : start_sshd(dir, config_lines);
  });
  if (!sshd) return std::nullopt;
  CrossCheck out;
  const fs::path config = dir / "sshd_config";  // the exact file sshd runs with
  out.audit = clients_of(
      run_shakedown(dir, "audit", {"audit", "--format", "json", "--fact", "openssh=" + version, config.string()}));
  out.probe = clients_of(
      run_shakedown(dir, "probe", {"probe", "--format", "json", "ssh://127.0.0.1:" + std::to_string(sshd->port)}));
  return out;
}

#define SD_NEED_SSHD(checked) SD_NEED_PEER_OR_SKIP(checked, "sshd did not start", "needs OpenSSH's sshd")

/// What one case also expects of the audit's prediction: profile, field, value.
struct Expect {
  std::string profile, field, value;
};

/// Starts sshd with `extra`, cross-checks, and checks the case's own expectations of the audit.
void check_case(const std::string& tag, const std::string& extra, const std::vector<Expect>& expects,
                const std::string& version = "9.2") {
  TempDir dir("xcheck-sshd-" + tag);
  ASSERT_TRUE(rsa_host_key_if_named(dir, extra));
  const auto c = cross_check(dir, extra, version);
  SD_NEED_SSHD(c);
  EXPECT_GE(expect_agreement(c->audit, c->probe), kAtLeast);
  for (const auto& e : expects) {
    ASSERT_TRUE(c->audit.contains(e.profile)) << e.profile;
    EXPECT_EQ(value(c->audit.at(e.profile), e.field), e.value) << e.profile << " " << e.field;
  }
}

TEST(AuditCrossCheckSsh, Defaults) {
  check_case("default", "", {{"openssh-9.2", "host_key", "ssh-ed25519"}, {"openssh-5.3", "prediction", "fails"}});
}

TEST(AuditCrossCheckSsh, OnlyEd25519HostKeys) {
  check_case("ed25519", "HostKeyAlgorithms ssh-ed25519\n", {{"aix-6.1", "prediction", "fails"}});
}

TEST(AuditCrossCheckSsh, OnlyCurve25519KeyExchange) {
  check_case("curve25519", "KexAlgorithms curve25519-sha256\n", {{"openssh-9.2", "kex", "curve25519-sha256"}});
}

TEST(AuditCrossCheckSsh, RestrictedCiphersAndMacs) {
  check_case("ciphers", "Ciphers aes256-ctr\nMACs hmac-sha2-512\n",
             {{"openssh-9.2", "cipher_c2s", "aes256-ctr"}, {"openssh-9.2", "mac_c2s", "hmac-sha2-512"}});
}

TEST(AuditCrossCheckSsh, LegacySshRsaAndGroup1) {
  check_case("legacy", "HostKey @DIR@/host_rsa\nHostKeyAlgorithms ssh-rsa\nKexAlgorithms diffie-hellman-group1-sha1\n",
             {{"openssh-5.3", "prediction", "connects"},
              {"openssh-5.3", "host_key", "ssh-rsa"},
              {"openssh-9.2", "prediction", "fails"}});
}

// OpenSSH 10.0's sshd (unpacked from bookworm-backports) with its own defaults: ML-KEM first, no finite-field DH.
TEST(AuditCrossCheckSsh, OpenSsh10Defaults) {
  check_case("openssh10", "",
             {{"openssh-9.2", "kex", "sntrup761x25519-sha512"}, {"openssh-7.4", "kex", "curve25519-sha256"}}, "10.0");
}

// Pair: `audit --client ssh_config --server sshd_config` against the real ssh client run with the same settings
// (-o on the command line, the audit reads them from the file): the same verdict, the same algorithms, and on
// failure the same "Unable to negotiate ..." line.
SshClientChoice real_client(const TempDir& dir, std::uint16_t port, const std::vector<std::string>& settings) {
  std::vector<std::string> options;
  for (const auto& s : settings) options.push_back(s.substr(0, s.find(' ')) + "=" + s.substr(s.find(' ') + 1));
  const fs::path log = dir / "ssh.log";
  run_ssh(port, options, log);
  return ssh_client_choice(read_text(log));
}

void check_pair(const std::string& tag, const std::string& server_extra, const std::vector<std::string>& settings,
                bool connects) {
  TempDir dir("xcheck-ssh-pair-" + tag);
  ASSERT_TRUE(rsa_host_key_if_named(dir, server_extra));
  const auto sshd = started([&] { return start_sshd(dir, with_test_dir(dir, server_extra)); });
  SD_NEED_SSHD(sshd);
  std::string client_config = "Host *\n";
  for (const auto& s : settings) client_config += "  " + s + "\n";
  write_text(dir / "ssh_config", client_config);
  const Predictions audit = clients_of(run_shakedown(
      dir, "audit",
      {"audit", "--format", "json", "--fact", "openssh=9.2", "--fact", "host=127.0.0.1", "--fact",
       "port=" + std::to_string(sshd->port), "--client", (dir / "ssh_config").string(), "--server",
       (dir / "sshd_config").string()}));
  ASSERT_EQ(audit.size(), 1u);
  const Prediction& predicted = audit.begin()->second;
  const SshClientChoice real = real_client(dir, sshd->port, settings);
  EXPECT_EQ(value(predicted, "prediction"), connects ? "connects" : "fails") << value(predicted, "summary");
  EXPECT_EQ(real.failure.empty(), connects) << real.failure;
  const bool fails = value(predicted, "prediction") != "connects";
  const SshClientChoice audit_choice{fails ? value(predicted, "message") : "", value(predicted, "kex"),
                                     value(predicted, "host_key"), value(predicted, "cipher_c2s"),
                                     value(predicted, "mac_c2s")};
  expect_same_negotiation(audit_choice, real, "audit: " + value(predicted, "summary"));
}

TEST(AuditCrossCheckSshPair, RestrictedClientConnects) {
  check_pair("restricted", "",
             {"KexAlgorithms diffie-hellman-group14-sha256", "Ciphers aes128-ctr", "MACs hmac-sha2-256"}, true);
}

TEST(AuditCrossCheckSshPair, Group1OnlyClientFailsWithTheClientsOwnWords) {
  check_pair("group1", "", {"KexAlgorithms diffie-hellman-group1-sha1"}, false);
}

TEST(AuditCrossCheckSshPair, EcdsaOnlyClientAgainstEd25519OnlyServer) {
  check_pair("hostkey", "HostKeyAlgorithms ssh-ed25519\n", {"HostKeyAlgorithms ecdsa-sha2-nistp256"}, false);
}

TEST(AuditCrossCheckSshPair, LegacyServerWithAppendedClientAlgorithms) {
  check_pair("legacy", "HostKey @DIR@/host_rsa\nHostKeyAlgorithms ssh-rsa\nKexAlgorithms diffie-hellman-group1-sha1\n",
             {"KexAlgorithms +diffie-hellman-group1-sha1", "HostKeyAlgorithms +ssh-rsa"}, true);
}

}  // namespace
}  // namespace sd::peers

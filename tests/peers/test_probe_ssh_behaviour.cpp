// The real client transport and the behavioural probes against a real OpenSSH sshd on loopback: every key
// exchange × cipher this client implements reaches NEWKEYS, gets SERVICE_ACCEPT and the "none" method list;
// RSA host key signatures verify; and sshd's answers to unknown, IGNORE/DEBUG and local-extension messages.

#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include "probe/engine/options.h"
#include "probe/ssh/behaviour.h"
#include "probe/ssh/ssh_probe.h"
#include "report/render.h"
#include "wire/ssh/kex_hash.h"
#include "servers.h"

namespace sd::peers {
namespace {

using probe::ssh::Reaction;
using probe::ssh::TransportChoice;

const std::string kAllImplemented =
    "KexAlgorithms curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group14-sha256\n"
    "Ciphers chacha20-poly1305@openssh.com,aes128-ctr\n"
    "MACs hmac-sha2-256\n";

// One sshd as the probes see it: its URL and options with a 5 s timeout.
struct Target {
  probe::Url url;
  probe::ProbeOptions options;
  explicit Target(std::uint16_t port)
      : url{.scheme = "ssh", .host = "127.0.0.1", .port = port, .text = "ssh://127.0.0.1:" + std::to_string(port)} {
    options.timeout = milliseconds(5000);
  }
};

probe::ssh::BehaviourResult baseline(std::uint16_t port, const TransportChoice& choice,
                                     probe::ssh::Established& established) {
  const Target target(port);
  probe::Engine engine(probe::engine_config(target.options));
  return probe::ssh::probe_baseline(target.url, target.options, engine, choice, &established);
}

TEST(ProbeSshTransport, EveryKexAndCipherReachesServiceAcceptAndNoneListsMethods) {
  TempDir dir("ssh-transport-matrix");
  const Server sshd = start_sshd(dir, kAllImplemented);
  for (const std::string kex : {"curve25519-sha256", "ecdh-sha2-nistp256", "diffie-hellman-group14-sha256"}) {
    for (const std::string cipher : {"chacha20-poly1305@openssh.com", "aes128-ctr"}) {
      SCOPED_TRACE(kex + " " + cipher);
      const TransportChoice choice{.kex = kex, .cipher = cipher, .mac = "hmac-sha2-256"};
      probe::ssh::Established established;
      const auto r = baseline(sshd.port, choice, established);
      EXPECT_EQ(r.job.outcome, Outcome::success) << r.job.detail << "\n" << read_text(sshd.log);
      EXPECT_EQ(established.kex, kex);
      EXPECT_EQ(established.cipher, cipher);
      EXPECT_EQ(established.mac, cipher == "aes128-ctr" ? "hmac-sha2-256" : "");
      EXPECT_EQ(established.host_key_algorithm, "ssh-ed25519");
      EXPECT_TRUE(established.strict_kex);
      EXPECT_TRUE(r.service_accepted);
      EXPECT_EQ(r.reaction, Reaction::ignored);
      ASSERT_TRUE(r.auth_methods.has_value());
      EXPECT_EQ(*r.auth_methods, std::vector<std::string>{"publickey"});
    }
  }
}

TEST(ProbeSshTransport, WithoutStrictKexSequenceNumbersCarryOn) {
  TempDir dir("ssh-transport-nonstrict");
  const Server sshd = start_sshd(dir, kAllImplemented);
  const TransportChoice choice{.kex = "curve25519-sha256", .cipher = "aes128-ctr", .strict_kex = false};
  probe::ssh::Established established;
  const auto r = baseline(sshd.port, choice, established);
  EXPECT_EQ(r.job.outcome, Outcome::success) << r.job.detail;
  EXPECT_FALSE(established.strict_kex);
  EXPECT_TRUE(r.service_accepted);
}

TEST(ProbeSshTransport, EcdsaAndRsaHostKeySignaturesVerify) {
  TempDir dir("ssh-transport-hostkeys");
  Launch keygen{.argv = {"/usr/bin/ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f",
                         (dir.path() / "host_rsa").string()},
                .output = dir.path() / "keygen.out"};
  ASSERT_EQ(run(keygen, milliseconds(30000)), 0) << read_text(keygen.output);
  const Server sshd = start_sshd(dir, kAllImplemented + "HostKey " + (dir.path() / "host_rsa").string() + "\n");
  for (const std::string type : {"ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256"}) {
    SCOPED_TRACE(type);
    const TransportChoice choice{.host_keys = {type}};
    probe::ssh::Established established;
    const auto r = baseline(sshd.port, choice, established);
    EXPECT_EQ(r.job.outcome, Outcome::success) << r.job.detail;
    EXPECT_EQ(established.host_key_algorithm, type);
    EXPECT_EQ(established.host_key_fingerprint.rfind("SHA256:", 0), 0u);
  }
}

TEST(ProbeSshBehaviour, SshdAnswersUnknownIgnoresDebugAndDisconnectsOnLocalExtension) {
  TempDir dir("ssh-behaviour");
  const Server sshd = start_sshd(dir, kAllImplemented);
  const Target target(sshd.port);
  const probe::ssh::Scan scan = probe::ssh::scan(target.url, target.options);
  ASSERT_NE(scan.hello.lists(), nullptr) << scan.hello.job.detail;
  probe::Engine engine(probe::engine_config(target.options));
  const probe::ssh::ServerBehaviour b =
      probe::ssh::probe_behaviour(target.url, target.options, engine, *scan.hello.lists());
  ASSERT_TRUE(b.choice.has_value());
  EXPECT_EQ(b.choice->kex, "curve25519-sha256");
  EXPECT_EQ(b.choice->cipher, "chacha20-poly1305@openssh.com");
  ASSERT_EQ(b.results.size(), 4u);

  const auto& base = b.results[0];
  EXPECT_EQ(base.name, "baseline");
  EXPECT_EQ(base.reaction, Reaction::ignored);
  EXPECT_EQ(base.auth_methods, std::optional<std::vector<std::string>>(std::vector<std::string>{"publickey"}));

  // OpenSSH's dispatch table answers an unassigned number with UNIMPLEMENTED naming its sequence number; under
  // strict KEX the numbers restart at 0 after NEWKEYS, so message 150 is packet 0.
  const auto& unknown = b.results[1];
  EXPECT_EQ(unknown.name, "unknown-message");
  EXPECT_EQ(unknown.reaction, Reaction::unimplemented) << unknown.job.detail;
  EXPECT_EQ(unknown.sent_sequences, std::vector<std::uint32_t>{0});
  EXPECT_EQ(unknown.named_sequence, std::optional<std::uint32_t>(0));
  EXPECT_TRUE(unknown.sequence_matches());
  EXPECT_TRUE(unknown.service_accepted);

  const auto& quiet = b.results[2];
  EXPECT_EQ(quiet.name, "ignore-and-debug");
  EXPECT_EQ(quiet.reaction, Reaction::ignored) << quiet.job.detail;
  EXPECT_EQ(quiet.sent_sequences, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_TRUE(quiet.service_accepted);

  // packet.c refuses any type at or above SSH2_MSG_LOCAL_MIN (192) with a DISCONNECT before dispatching it.
  const auto& vendor = b.results[3];
  EXPECT_EQ(vendor.name, "local-extension");
  EXPECT_EQ(vendor.reaction, Reaction::disconnected) << vendor.job.detail;
  EXPECT_EQ(vendor.disconnect_reason, std::optional<std::uint32_t>(2));
  EXPECT_EQ(vendor.disconnect_reason_name, "PROTOCOL_ERROR");
  EXPECT_EQ(vendor.disconnect_description, "Invalid ssh2 packet type: 199");
  EXPECT_FALSE(vendor.service_accepted);
  EXPECT_EQ(probe::ssh::refuses_vendor_messages(b), std::optional<bool>(true));
}

// With --user and --key-file: publickey login as "nobody" (sshd asks root's AuthorizedKeysCommand for the key),
// then sshd refuses the unknown global request with REQUEST_FAILURE and the unknown channel request with
// CHANNEL_FAILURE, as RFC 4254 §4 and §5.4 ask.
TEST(ProbeSshBehaviour, AfterPublickeyLoginUnknownRequestsGetFailureReplies) {
  TempDir dir("ssh-behaviour-auth");
  const fs::path key = dir.path() / "user_ed25519";
  Launch keygen{.argv = {"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.string()},
                .output = dir.path() / "keygen.out"};
  ASSERT_EQ(run(keygen, milliseconds(30000)), 0) << read_text(keygen.output);
  const Server sshd = start_sshd(dir, kAllImplemented + "AuthorizedKeysCommand /usr/bin/cat " + key.string() +
                                          ".pub\nAuthorizedKeysCommandUser root\n");
  Target target(sshd.port);
  target.options.user = "nobody";
  target.options.key_file = key.string();
  probe::Engine engine(probe::engine_config(target.options));
  std::string problem;
  const auto results = probe::ssh::probe_authenticated(target.url, target.options, engine, TransportChoice{}, problem);
  EXPECT_EQ(problem, "");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].job.outcome, Outcome::success) << results[0].job.detail << "\n" << read_text(sshd.log);
  EXPECT_EQ(results[0].reaction, Reaction::answered);
  EXPECT_EQ(results[0].answer, "REQUEST_FAILURE");
  EXPECT_EQ(results[1].reaction, Reaction::answered);
  EXPECT_EQ(results[1].answer, "CHANNEL_FAILURE");
}

// A user key pair made by ssh-keygen in the test's folder.
fs::path make_user_key(const TempDir& dir, const std::vector<std::string>& type_args, const std::string& name) {
  const fs::path key = dir.path() / name;
  Launch keygen{.argv = {"/usr/bin/ssh-keygen", "-q", "-N", "", "-f", key.string()}, .output = dir.path() / "kg.out"};
  keygen.argv.insert(keygen.argv.begin() + 2, type_args.begin(), type_args.end());
  if (run(keygen, milliseconds(60000)) != 0) throw std::runtime_error("ssh-keygen: " + read_text(keygen.output));
  return key;
}

std::string current_user() {
  const passwd* pw = getpwuid(geteuid());
  return pw != nullptr ? pw->pw_name : "";
}

// RSA (rsa-sha2-512, or rsa-sha2-256 when the server accepts only that) and ECDSA nistp256 user keys beside
// ed25519: the current user logs in with a key listed in the test's own AuthorizedKeysFile, and the report
// names the algorithm but never the key file's path or content.
TEST(ProbeSshBehaviour, RsaAndEcdsaUserKeysLogIn) {
  struct Case {
    std::vector<std::string> type_args;
    std::string accepted;  // PubkeyAcceptedAlgorithms, empty for sshd's default
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"-t", "ed25519"}, "", "ssh-ed25519"},
      {{"-t", "rsa", "-b", "2048"}, "", "rsa-sha2-512"},
      {{"-t", "rsa", "-b", "2048"}, "rsa-sha2-256", "rsa-sha2-256"},
      {{"-t", "ecdsa", "-b", "256"}, "", "ecdsa-sha2-nistp256"},
  };
  const std::string user = current_user();
  ASSERT_FALSE(user.empty());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    SCOPED_TRACE(c.expected);
    TempDir dir("ssh-behaviour-userkey-" + std::to_string(i));
    const fs::path key = make_user_key(dir, c.type_args, "id_user");
    write_text(dir.path() / "authorized_keys", read_text(dir.path() / "id_user.pub"));
    std::string extra = kAllImplemented + "Match all\n  PermitRootLogin prohibit-password\n  AuthorizedKeysFile " +
                        (dir.path() / "authorized_keys").string() + "\n";
    if (!c.accepted.empty()) extra += "  PubkeyAcceptedAlgorithms " + c.accepted + "\n";
    const Server sshd = start_sshd(dir, extra);
    Target target(sshd.port);
    target.options.user = user;
    target.options.key_file = key.string();
    probe::Engine engine(probe::engine_config(target.options));
    std::string problem;
    const auto results =
        probe::ssh::probe_authenticated(target.url, target.options, engine, TransportChoice{}, problem);
    EXPECT_EQ(problem, "");
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].job.outcome, Outcome::success) << results[0].job.detail << "\n" << read_text(sshd.log);
    EXPECT_EQ(results[0].auth_algorithm, c.expected);
    EXPECT_EQ(results[1].auth_algorithm, c.expected);
    EXPECT_EQ(results[0].answer, "REQUEST_FAILURE");
    EXPECT_EQ(results[1].answer, "CHANNEL_FAILURE");
    probe::ssh::ServerBehaviour b;
    b.results = results;
    const report::Section section = probe::ssh::behaviour_section(target.url, b);
    report::Report report;
    report.sections.push_back(section);
    const std::string json = report::render_json(report);
    EXPECT_NE(json.find("\"" + c.expected + "\""), std::string::npos) << json;
    EXPECT_EQ(json.find(dir.path().string()), std::string::npos) << "the key's folder must not appear";
    EXPECT_EQ(json.find("PRIVATE KEY"), std::string::npos);
  }
}

// The signatures the probe makes verify with the same check the transport applies to host keys.
TEST(ProbeSshBehaviour, UserKeySignaturesVerifyAsSshSignatures) {
  TempDir dir("ssh-userkey-sign");
  const std::vector<std::pair<std::vector<std::string>, std::string>> types = {
      {{"-t", "ed25519"}, "ssh-ed25519"}, {{"-t", "rsa", "-b", "2048"}, "ssh-rsa"},
      {{"-t", "ecdsa", "-b", "256"}, "ecdsa-sha2-nistp256"}};
  const ByteVec data = {0x01, 0x02, 0x03, 0x04, 0x05};
  for (std::size_t i = 0; i < types.size(); ++i) {
    SCOPED_TRACE(types[i].second);
    const fs::path key = make_user_key(dir, types[i].first, "k" + std::to_string(i));
    auto parsed = sd::ssh::UserKey::parse_openssh(read_text(key));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->key_type(), types[i].second);
    for (const auto& algorithm : parsed->algorithms()) {
      const auto verified = sd::ssh::verify_host_signature(parsed->public_blob(), parsed->sign(data, algorithm), data);
      ASSERT_TRUE(verified.ok()) << algorithm << ": " << verified.error().message;
      EXPECT_EQ(*verified, algorithm);
    }
  }
  // A NIST P-384 key is refused by name, without its content.
  const fs::path p384 = make_user_key(dir, {"-t", "ecdsa", "-b", "384"}, "p384");
  const auto refused = sd::ssh::UserKey::parse_openssh(read_text(p384));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "unsupported_key");
  EXPECT_EQ(refused.error().message,
            "only ssh-ed25519, ssh-rsa and ecdsa-sha2-nistp256 user keys are supported, not ecdsa-sha2-nistp384");
}

TEST(ProbeSshBehaviour, AKeyFileThatIsNotAnOpenSshKeyIsNamedNotShown) {
  TempDir dir("ssh-behaviour-badkey");
  const fs::path key = dir.path() / "not_a_key";
  write_text(key, "secret words\n");
  Target target(1);
  target.options.user = "nobody";
  target.options.key_file = key.string();
  probe::Engine engine(probe::engine_config(target.options));
  std::string problem;
  const auto results = probe::ssh::probe_authenticated(target.url, target.options, engine, TransportChoice{}, problem);
  EXPECT_TRUE(results.empty());
  EXPECT_EQ(problem, "--key-file is not usable: not an OpenSSH private key file");
  EXPECT_EQ(engine.stats().attempted, 0u);
}

}  // namespace
}  // namespace sd::peers

// The real client transport and the behavioural probes against a real OpenSSH sshd on loopback: every key
// exchange × cipher this client implements reaches NEWKEYS, gets SERVICE_ACCEPT and the "none" method list;
// RSA host key signatures verify; and sshd's answers to unknown, IGNORE/DEBUG and local-extension messages.

#include <gtest/gtest.h>

#include "probe/engine/options.h"
#include "probe/ssh/behaviour.h"
#include "probe/ssh/ssh_probe.h"
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

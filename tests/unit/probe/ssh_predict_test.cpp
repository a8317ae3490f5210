// Prediction per SSH client profile over recorded server KEXINITs: the algorithms each client settles on, or
// its exact failure message, the KB id and the fixes on each side; plus throttle signs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/bytes.h"
#include "sshprofiles/predict.h"
#include "probe/ssh/throttle.h"
#include "wire/ssh/transcript.h"

namespace sd::probe::ssh {
namespace {

namespace fs = std::filesystem;
namespace wire = sd::ssh;
using L = wire::KexList;

const Endpoint kWhere{.host = "127.0.0.1", .port = 2222};

// The KEXINIT OpenSSH 9.2p1 sshd sends with default settings and ed25519, ECDSA and RSA host keys.
wire::Kexinit recorded_sshd() {
  std::ifstream in(fs::path(SD_SOURCE_DIR) / "tests/vectors/ssh/sshd-kexinit.hex");
  std::string hex;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') hex += line;
  const ByteVec bytes = from_hex(hex).value_or(ByteVec{});
  const wire::Transcript t = wire::read_transcript(bytes);
  return std::get<wire::Kexinit>(t.messages.at(0).body);
}

// The recorded server with some lists replaced (both directions for ciphers, MACs and compression).
wire::Kexinit server_with(std::vector<std::string> kex, std::vector<std::string> host_key,
                          std::vector<std::string> cipher = {}, std::vector<std::string> mac = {}) {
  wire::Kexinit k = recorded_sshd();
  auto set = [&](L which, const std::vector<std::string>& names) {
    if (!names.empty()) k.lists[static_cast<std::size_t>(which)].value = names;
  };
  set(L::kex, kex);
  set(L::host_key, host_key);
  set(L::cipher_c2s, cipher);
  set(L::cipher_s2c, cipher);
  set(L::mac_c2s, mac);
  set(L::mac_s2c, mac);
  return k;
}

Prediction predict_for(const std::string& id, const wire::Kexinit& server) {
  const ClientProfile* p = find_profile(id);
  EXPECT_NE(p, nullptr) << id;
  return p ? predict(*p, server, kWhere) : Prediction{};
}

const Fix* fix_on(const Prediction& p, const std::string& side) {
  for (const auto& f : p.fixes)
    if (f.side == side) return &f;
  return nullptr;
}

TEST(SshPredict, LocalClientAgainstDefaultSshdUsesItsFirstChoices) {
  const Prediction p = predict_for("openssh-9.2", recorded_sshd());
  ASSERT_TRUE(p.connects) << p.summary;
  EXPECT_EQ(chosen(p, "kex"), "sntrup761x25519-sha512");
  EXPECT_EQ(chosen(p, "host_key"), "ssh-ed25519");
  EXPECT_EQ(chosen(p, "cipher_c2s"), "chacha20-poly1305@openssh.com");
  EXPECT_EQ(chosen(p, "mac_c2s"), "<implicit>");
  EXPECT_EQ(chosen(p, "compression_s2c"), "none");
  EXPECT_EQ(p.summary, "connects with kex sntrup761x25519-sha512, host key ssh-ed25519, cipher "
                       "chacha20-poly1305@openssh.com, MAC implicit in the AEAD cipher");
  EXPECT_TRUE(p.message.empty());
}

TEST(SshPredict, ParamikoTakesCtrWithAnExplicitMac) {
  const Prediction p = predict_for("paramiko-2.12", recorded_sshd());
  ASSERT_TRUE(p.connects) << p.summary;
  EXPECT_EQ(p.summary, "connects with kex curve25519-sha256@libssh.org, host key ssh-ed25519, cipher aes128-ctr, "
                       "MAC hmac-sha2-256");
}

// OpenSSH 5.3 has only ssh-rsa and ssh-dss; the modern server signs RSA only with rsa-sha2.
TEST(SshPredict, Openssh53FailsOnHostKeyAndBlamesSshRsa) {
  const wire::Kexinit server = recorded_sshd();
  const Prediction p = predict_for("openssh-5.3", server);
  ASSERT_FALSE(p.connects);
  EXPECT_EQ(p.failed_step, "host_key");
  EXPECT_EQ(p.message, "no hostkey alg");
  EXPECT_EQ(p.kb_id, "ssh.ssh-rsa-disabled");
  EXPECT_EQ(chosen(p, "kex"), "diffie-hellman-group-exchange-sha256") << "5.x chose ciphers, MACs and kex first";
  EXPECT_EQ(chosen(p, "mac_s2c"), "hmac-sha1");
  const Fix* server_fix = fix_on(p, "server");
  ASSERT_NE(server_fix, nullptr);
  EXPECT_EQ(server_fix->snippet, "# /etc/ssh/sshd_config\nHostKeyAlgorithms +ssh-rsa\n");
  EXPECT_NE(server_fix->risk.find("ssh-rsa is weak"), std::string::npos) << server_fix->risk;
  const Fix* client_fix = fix_on(p, "client");
  ASSERT_NE(client_fix, nullptr);
  EXPECT_EQ(client_fix->summary, "OpenSSH 5.3 cannot be set to any host key algorithm this server offers: upgrade it.");
}

TEST(SshPredict, OpensshWordsAKexFailureWithTheServersWholeOffer) {
  const wire::Kexinit server = server_with({"diffie-hellman-group1-sha1", "kex-strict-s-v00@openssh.com"}, {});
  const Prediction p = predict_for("openssh-9.2", server);
  ASSERT_FALSE(p.connects);
  EXPECT_EQ(p.message, "Unable to negotiate with 127.0.0.1 port 2222: no matching key exchange method found. "
                       "Their offer: diffie-hellman-group1-sha1,kex-strict-s-v00@openssh.com");
  EXPECT_EQ(p.kb_id, "ssh.no-matching-kex");
  const Fix* client_fix = fix_on(p, "client");
  ASSERT_NE(client_fix, nullptr);
  EXPECT_EQ(client_fix->snippet, "KexAlgorithms +diffie-hellman-group1-sha1");
  EXPECT_NE(client_fix->risk.find("diffie-hellman-group1-sha1 is weak"), std::string::npos) << client_fix->risk;
  const Fix* server_fix = fix_on(p, "server");
  ASSERT_NE(server_fix, nullptr);
  EXPECT_EQ(server_fix->snippet, "# /etc/ssh/sshd_config\nKexAlgorithms +sntrup761x25519-sha512");
  EXPECT_EQ(server_fix->risk, "none known: sntrup761x25519-sha512 is a current algorithm");
}

TEST(SshPredict, PuttyWordsAHostKeyFailure) {
  const Prediction p = predict_for("putty-0.63", server_with({}, {"ssh-ed25519"}));
  ASSERT_FALSE(p.connects);
  EXPECT_EQ(p.message, "Couldn't agree a host key algorithm (available: ssh-ed25519)");
  EXPECT_EQ(p.kb_id, "ssh.no-matching-host-key");
  const Fix* server_fix = fix_on(p, "server");
  ASSERT_NE(server_fix, nullptr);
  EXPECT_EQ(server_fix->snippet, "ssh-keygen -t rsa -b 3072 -f /etc/ssh/ssh_host_rsa_key -N ''\n"
                                 "# /etc/ssh/sshd_config\nHostKey /etc/ssh/ssh_host_rsa_key\nHostKeyAlgorithms +ssh-rsa\n");
}

TEST(SshPredict, PuttyNamesTheDirectionOfACipherFailure) {
  const Prediction p = predict_for("putty-0.63", server_with({}, {"ssh-rsa"}, {"chacha20-poly1305@openssh.com"}));
  ASSERT_FALSE(p.connects);
  EXPECT_EQ(p.failed_step, "cipher_c2s");
  EXPECT_EQ(p.message, "Couldn't agree a client-to-server cipher (available: chacha20-poly1305@openssh.com)");
}

TEST(SshPredict, ParamikoHasNoAeadCipher) {
  const Prediction p =
      predict_for("paramiko-2.12", server_with({}, {}, {"chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com"}));
  ASSERT_FALSE(p.connects);
  EXPECT_EQ(p.message, "Incompatible ssh server (no acceptable ciphers)");
  EXPECT_EQ(p.kb_id, "ssh.no-matching-cipher");
}

// An AEAD cipher makes the MAC implicit: a MAC list with nothing in common does not matter then.
TEST(SshPredict, AeadCipherMakesTheMacImplicit) {
  const wire::Kexinit server = server_with({}, {}, {"chacha20-poly1305@openssh.com"}, {"hmac-sha2-512"});
  const Prediction modern = predict_for("openssh-7.4", server);
  ASSERT_TRUE(modern.connects) << modern.summary;
  EXPECT_EQ(chosen(modern, "mac_s2c"), "<implicit>");
  const wire::Kexinit ctr_only = server_with({}, {}, {"aes256-ctr"}, {"hmac-sha2-512-etm@openssh.com"});
  const Prediction jsch = predict_for("jsch-0.1.55", ctr_only);
  ASSERT_FALSE(jsch.connects);
  EXPECT_EQ(jsch.failed_step, "mac_c2s");
  EXPECT_EQ(jsch.message, "com.jcraft.jsch.JSchException: Algorithm negotiation fail");
  EXPECT_EQ(jsch.kb_id, "ssh.no-matching-mac");
}

// OpenSSH 6.x checks ciphers before key exchange, so with both missing it reports the cipher.
TEST(SshPredict, Openssh6ReportsTheCipherBeforeTheKex) {
  const wire::Kexinit server = server_with({"mlkem768x25519-sha256"}, {}, {"aes256-ctr"});
  wire::Kexinit narrow = server;
  narrow.lists[static_cast<std::size_t>(L::cipher_s2c)].value = {"twofish-cbc"};
  narrow.lists[static_cast<std::size_t>(L::cipher_c2s)].value = {"twofish-cbc"};
  const Prediction p = predict_for("openssh-6.6", narrow);
  ASSERT_FALSE(p.connects);
  EXPECT_EQ(p.failed_step, "cipher_s2c");
  EXPECT_EQ(p.message.rfind("no matching cipher found: client aes128-ctr,aes192-ctr,", 0), 0u) << p.message;
  EXPECT_EQ(p.message.substr(p.message.size() - 19), " server twofish-cbc");
}

TEST(SshPredict, MwiedeJschQuotesBothProposals) {
  const Prediction p = predict_for("jsch-mwiede-0.2", server_with({}, {"ssh-rsa"}));
  ASSERT_FALSE(p.connects);
  EXPECT_EQ(p.message, "com.jcraft.jsch.JSchAlgoNegoFailException: Algorithm negotiation fail: "
                       "algorithmName=\"server_host_key\" jschProposal=\"ssh-ed25519,ecdsa-sha2-nistp256,"
                       "ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256\" serverProposal=\"ssh-rsa\"");
  const Fix* client_fix = fix_on(p, "client");
  ASSERT_NE(client_fix, nullptr);
  EXPECT_EQ(client_fix->snippet,
            "session.setConfig(\"server_host_key\", session.getConfig(\"server_host_key\") + \",ssh-rsa\")");
}

TEST(SshPredict, LibsshNamesTheMethodAndBothLists) {
  const Prediction p = predict_for("libssh-0.10", server_with({}, {}, {"aes128-cbc"}));
  ASSERT_FALSE(p.connects);
  EXPECT_EQ(p.message, "kex error : no match for method encryption client->server: server [aes128-cbc], client "
                       "[chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,"
                       "aes192-ctr,aes128-ctr]");
  const Fix* client_fix = fix_on(p, "client");
  ASSERT_NE(client_fix, nullptr);
  EXPECT_EQ(client_fix->snippet, "ssh_options_set(session, SSH_OPTIONS_CIPHERS_C_S, \"...,aes128-cbc\")");
  EXPECT_NE(client_fix->risk.find("aes128-cbc is on its way out"), std::string::npos) << client_fix->risk;
}

TEST(SshPredict, TectiaAgainstAModernServerFailsOnKex) {
  const Prediction p = predict_for("tectia-6.4", recorded_sshd());
  ASSERT_FALSE(p.connects);
  EXPECT_EQ(p.failed_step, "kex");
  EXPECT_EQ(p.kb_id, "ssh.no-matching-kex");
  EXPECT_EQ(p.message.rfind("Algorithm negotiation failed: no common key exchange algorithm (server offers "
                            "sntrup761x25519-sha512,", 0), 0u) << p.message;
}

TEST(SshPredict, FailureFindingCarriesTheKbReferencesAndMessage) {
  const ClientProfile* p = find_profile("openssh-9.2");
  ASSERT_NE(p, nullptr);
  const Prediction prediction = predict(*p, server_with({"diffie-hellman-group1-sha1"}, {}), kWhere);
  const Finding f = prediction_finding(*p, prediction, "ssh://127.0.0.1:2222");
  EXPECT_EQ(f.id, "ssh.no-matching-kex");
  EXPECT_EQ(f.severity, Severity::high);
  EXPECT_EQ(f.title, "OpenSSH 9.2p1 → ssh://127.0.0.1:2222: fails");
  EXPECT_EQ(f.change_side, "either");
  ASSERT_EQ(f.fixes.size(), 2u);
  EXPECT_FALSE(f.references.empty());
  ASSERT_EQ(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[1].text, "the client would print: " + prediction.message);
}

TEST(SshPredict, EfsKeystoreRequestClashesOnlyWhereVendorMessagesAreRefused) {
  const ClientProfile* aix = find_profile("aix-7.1");
  ASSERT_NE(aix, nullptr);
  EXPECT_TRUE(behaviour_findings(*aix, ServerTraits{}, "ssh://x").empty()) << "not tested: no finding";
  EXPECT_TRUE(behaviour_findings(*aix, ServerTraits{.refuses_vendor_messages = false}, "ssh://x").empty());
  const ServerTraits refuses{.refuses_vendor_messages = true,
                             .vendor_evidence = "DISCONNECT PROTOCOL_ERROR \"Invalid ssh2 packet type: 199\""};
  const auto findings = behaviour_findings(*aix, refuses, "ssh://x");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "ssh.aix-efs-keystore-request");
  ASSERT_FALSE(findings[0].fixes.empty());
  EXPECT_NE(findings[0].fixes[0].snippet.find("AllowPKCS12KeystoreAutoOpen no"), std::string::npos);
  EXPECT_NE(findings[0].cause.find("Invalid ssh2 packet type: 199"), std::string::npos);
  EXPECT_TRUE(behaviour_findings(*find_profile("openssh-9.2"), refuses, "ssh://x").empty());
}

TEST(SshPredict, ReportGetsAClientsSectionAndOneFindingPerFailure) {
  std::vector<const ClientProfile*> chosen;
  std::string error;
  ASSERT_TRUE(choose_profiles({"openssh-9.2", "openssh-5.3", "putty-0.63"}, chosen, error));
  report::Report out;
  add_predictions(recorded_sshd(), chosen, kWhere, ServerTraits{}, "ssh://127.0.0.1:2222", out);
  ASSERT_EQ(out.sections.size(), 1u);
  EXPECT_EQ(out.sections[0].kind, "clients");
  ASSERT_EQ(out.sections[0].fields.size(), 3u);
  EXPECT_EQ(out.sections[0].fields[0].value, "openssh-9.2");
  EXPECT_EQ(out.findings.size(), 2u) << "5.3 and PuTTY 0.63 only know ssh-rsa and ssh-dss";
  EXPECT_EQ(out.sections[0].notes.at(0), "2 of 3 client profiles fail against this server");
  EXPECT_FALSE(choose_profiles({"no-such-client"}, chosen, error));
  EXPECT_EQ(error, "unknown SSH client profile in --as: no-such-client");
}

JobResult job_with(Outcome outcome, std::string_view received, bool connected = true) {
  JobResult job{.name = "ssh-kexinit", .outcome = outcome, .connected = connected};
  const ByteVec bytes(received.begin(), received.end());
  job.transcript.add(Direction::received, bytes, 4096);
  return job;
}

TEST(SshThrottle, MaxStartupsTextIsThrottling) {
  const ThrottleSign s = throttle_sign(job_with(Outcome::closed_by_peer, "Exceeded MaxStartups\r\n"));
  EXPECT_TRUE(s.throttled);
  EXPECT_NE(s.reason.find("MaxStartups"), std::string::npos);
}

TEST(SshThrottle, PenaltyTextIsThrottling) {
  const ThrottleSign s = throttle_sign(job_with(Outcome::closed_by_peer, "Not allowed at this time\r\n"));
  EXPECT_TRUE(s.throttled);
  EXPECT_NE(s.reason.find("PerSourcePenalties"), std::string::npos);
}

TEST(SshThrottle, CloseBeforeTheBannerIsThrottlingButNotAfterIt) {
  EXPECT_TRUE(throttle_sign(job_with(Outcome::reset_by_peer, "")).throttled);
  EXPECT_FALSE(throttle_sign(job_with(Outcome::closed_by_peer, "SSH-2.0-OpenSSH_9.2p1\r\n")).throttled);
  EXPECT_FALSE(throttle_sign(job_with(Outcome::connection_refused, "", false)).throttled);
  EXPECT_FALSE(throttle_sign(job_with(Outcome::budget_exhausted, "", false)).throttled);
}

TEST(SshThrottle, CloseAfterTheBannerCountsOnlyWhenAnEarlierConnectionWasAnswered) {
  const JobResult cut = job_with(Outcome::closed_by_peer, "SSH-2.0-OpenSSH_9.2p1\r\n");
  EXPECT_FALSE(throttle_sign(cut).throttled);
  const ThrottleSign s = throttle_sign(cut, /*earlier_answered=*/true);
  EXPECT_TRUE(s.throttled);
  EXPECT_EQ(s.reason, "the connection was closed right after the banner although an earlier one got the server's KEXINIT");
  const std::string with_packet = std::string("SSH-2.0-OpenSSH_9.2p1\r\n") + std::string("\0\0\0\x0c\x0a\x14", 6);
  EXPECT_FALSE(throttle_sign(job_with(Outcome::closed_by_peer, with_packet), true).throttled);
}

TEST(SshThrottle, RecordKeepsTheFirstReasonAndCountsWhatIsLeft) {
  Etiquette record;
  EXPECT_FALSE(note_throttle(record, job_with(Outcome::success, "SSH-2.0-x\r\n")));
  EXPECT_TRUE(note_throttle(record, job_with(Outcome::closed_by_peer, "Exceeded MaxStartups\r\n")));
  EXPECT_TRUE(note_throttle(record, job_with(Outcome::reset_by_peer, "")));
  EXPECT_TRUE(record.throttled);
  EXPECT_NE(record.reason.find("Exceeded MaxStartups"), std::string::npos);
  EXPECT_EQ(connections_left(3, EngineStats{.attempted = 1}), 2u);
  EXPECT_EQ(connections_left(3, EngineStats{.attempted = 5}), 0u);
  const Field f = describe(record);
  EXPECT_EQ(f.value, "throttled");
}

}  // namespace
}  // namespace sd::probe::ssh

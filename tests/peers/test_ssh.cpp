// Live SSH negotiation failures: a real OpenSSH client (-vvv, batch mode) against a real sshd (DEBUG3) with
// no common host key algorithm, key exchange, cipher and MAC in turn.

#include <gtest/gtest.h>

#include "capture.h"
#include "servers.h"

namespace sd::peers {
namespace {

// One negotiation mismatch: what the server allows, what the client offers, and the line both sides log.
struct Mismatch {
  std::string case_name;
  std::string server_config;
  std::vector<std::string> client_options;
  std::string reason;  // the text after "Unable to negotiate with 127.0.0.1 port N: "
  std::string diagnosis;
};

const Mismatch kHostKey{"ssh-no-matching-host-key", "HostKeyAlgorithms ssh-ed25519\n",
                        {"HostKeyAlgorithms=ecdsa-sha2-nistp256"}, "no matching host key type found",
                        "ssh.no-matching-host-key"};
const Mismatch kKex{"ssh-no-matching-kex", "KexAlgorithms curve25519-sha256\n",
                    {"KexAlgorithms=diffie-hellman-group14-sha256"}, "no matching key exchange method found",
                    "ssh.no-matching-kex"};
const Mismatch kCipher{"ssh-no-matching-cipher", "Ciphers aes256-gcm@openssh.com\n", {"Ciphers=aes128-ctr"},
                       "no matching cipher found", "ssh.no-matching-cipher"};
// A non-AEAD cipher on both sides, so that the MAC is negotiated at all.
const Mismatch kMac{"ssh-no-matching-mac", "Ciphers aes128-ctr\nMACs hmac-sha2-512\n",
                    {"Ciphers=aes128-ctr", "MACs=hmac-sha2-256"}, "no matching MAC found", "ssh.no-matching-mac"};

const Capture& run_mismatch(const Mismatch& m) {
  return captured(m.case_name, [&m] {
    Capture c{.dir = std::make_unique<TempDir>(m.case_name)};
    const TempDir& dir = *c.dir;
    const Server sshd = start_sshd(dir, m.server_config);
    c.client_exit = run_ssh(sshd.port, m.client_options, dir / "ssh.log");
    wait_text(sshd.log, "Unable to negotiate", milliseconds(5000));
    c.files = {{"sshd.log", sshd.log}, {"ssh.log", dir / "ssh.log"}};
    return c;
  });
}

void expect_both_sides_log(const Mismatch& m) {
  const Capture& c = run_mismatch(m);
  EXPECT_EQ(c.client_exit, 255);
  const std::string client = c.text("ssh.log");
  const std::string server = c.text("sshd.log");
  const std::string unable = "Unable to negotiate with 127.0.0.1 port ";
  EXPECT_NE(client.find(unable), std::string::npos) << client.substr(client.size() > 1500 ? client.size() - 1500 : 0);
  EXPECT_NE(client.find(": " + m.reason + ". Their offer: "), std::string::npos);
  EXPECT_NE(server.find(unable), std::string::npos) << server.substr(server.size() > 1500 ? server.size() - 1500 : 0);
  EXPECT_NE(server.find(": " + m.reason + ". Their offer: "), std::string::npos);
  EXPECT_NE(server.find("[preauth]"), std::string::npos);
}

TEST(LiveSshHostKey, BothSidesLogNoMatchingHostKey) { expect_both_sides_log(kHostKey); }
TEST(LiveSshHostKey, ExplainNamesHostKey) { expect_diagnosis(run_mismatch(kHostKey), kHostKey.diagnosis); }
TEST(LiveSshKex, BothSidesLogNoMatchingKex) { expect_both_sides_log(kKex); }
TEST(LiveSshKex, ExplainNamesKex) { expect_diagnosis(run_mismatch(kKex), kKex.diagnosis); }
TEST(LiveSshCipher, BothSidesLogNoMatchingCipher) { expect_both_sides_log(kCipher); }
TEST(LiveSshCipher, ExplainNamesCipher) { expect_diagnosis(run_mismatch(kCipher), kCipher.diagnosis); }
TEST(LiveSshMac, BothSidesLogNoMatchingMac) { expect_both_sides_log(kMac); }
TEST(LiveSshMac, ExplainNamesMac) { expect_diagnosis(run_mismatch(kMac), kMac.diagnosis); }

// The client's offer quoted by sshd is exactly what the client was told to offer.
TEST(LiveSshKex, ServerQuotesTheClientOffer) {
  const std::string server = run_mismatch(kKex).text("sshd.log");
  EXPECT_NE(server.find("no matching key exchange method found. Their offer: diffie-hellman-group14-sha256"),
            std::string::npos);
}

}  // namespace
}  // namespace sd::peers

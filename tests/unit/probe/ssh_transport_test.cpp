// The SSH client transport against hostile scripted peers, for what no real server does: a 4 GB packet length,
// garbage after the banner, a DISCONNECT in the middle of the key exchange, a key exchange reply with a bad value.
// (The real handshakes are checked against sshd in tests/peers/test_probe_ssh_behaviour.cpp.)

#include <gtest/gtest.h>
#include <openssl/rand.h>

#include "probe/engine/options.h"
#include "probe/ssh/behaviour.h"
#include "scripted_peer.h"
#include "wire/ssh/packet.h"
#include "wire/ssh/writer.h"

namespace sd::probe::ssh {
namespace {

using testing::PeerConn;
using testing::ScriptedPeer;
namespace wire = sd::ssh;

constexpr std::string_view kBanner = "SSH-2.0-Hostile_1.0\r\n";

std::string text(const ByteVec& bytes) { return std::string(bytes.begin(), bytes.end()); }

// A server KEXINIT offering what the transport implements, so the client goes on to its key exchange init.
std::string server_kexinit() {
  wire::KexinitOffer offer;
  offer.list(wire::KexList::kex) = {"curve25519-sha256"};
  offer.list(wire::KexList::host_key) = {"ssh-ed25519"};
  offer.list(wire::KexList::cipher_c2s) = offer.list(wire::KexList::cipher_s2c) = {"chacha20-poly1305@openssh.com"};
  offer.list(wire::KexList::mac_c2s) = offer.list(wire::KexList::mac_s2c) = {"hmac-sha2-256"};
  offer.list(wire::KexList::compression_c2s) = offer.list(wire::KexList::compression_s2c) = {"none"};
  return text(wire::frame_packet(wire::write_kexinit(offer)));
}

BehaviourResult run_against(const ScriptedPeer& peer) {
  ProbeOptions options;
  options.timeout = std::chrono::milliseconds(3000);
  const Url url{.scheme = "ssh", .host = "127.0.0.1", .port = peer.port(), .text = "ssh://127.0.0.1"};
  Engine engine(engine_config(options));
  return probe_baseline(url, options, engine, TransportChoice{});
}

TEST(SshTransport, A4GbPacketLengthIsOversizedWithoutBuffering) {
  ScriptedPeer peer([](PeerConn& c) {
    c.send(kBanner);
    c.send(std::string("\xff\xff\xff\xf0\x04", 5) + std::string(64, 'A'));
    c.sleep(3000);
  });
  ASSERT_TRUE(peer.ok());
  const BehaviourResult r = run_against(peer);
  EXPECT_EQ(r.job.outcome, Outcome::oversized) << r.job.detail;
  EXPECT_EQ(r.job.detail, "packet_length 4294967280 is over the cap of 262144");
  EXPECT_LE(r.job.peak_buffer, 64u * 1024);  // one read chunk, never the announced length
  EXPECT_EQ(r.reaction, Reaction::not_run);
}

TEST(SshTransport, GarbageAfterTheBannerIsAProtocolError) {
  ScriptedPeer peer([](PeerConn& c) {
    c.send(kBanner);
    c.send(std::string("\x00\x00\x00\x07garbage!", 12));
    c.sleep(3000);
  });
  ASSERT_TRUE(peer.ok());
  const BehaviourResult r = run_against(peer);
  EXPECT_EQ(r.job.outcome, Outcome::protocol_error) << r.job.detail;
  EXPECT_EQ(r.job.detail, "packet_length 7 does not fit the cipher block of 8");
}

// A peer that sends its banner and KEXINIT, reads the client's key exchange start, then answers with `packet`.
ScriptedPeer::Script answer_kex_with(std::string packet) {
  return [packet](PeerConn& c) {
    c.send(kBanner);
    c.send(server_kexinit());
    c.read_line(2000);  // the client's identification
    c.read_some(2000);  // its KEXINIT and KEX_ECDH_INIT
    c.send(packet);
    c.sleep(3000);
  };
}

// A KEX_ECDH_REPLY with an Ed25519 host key of sevens, the given Q_S and a signature of ones.
std::string ecdh_reply(const ByteVec& q_s) {
  Writer w;
  w.u8(31);
  w.prefixed(4, [](Writer& key) {
    key.prefixed(4, [](Writer& t) { t.text("ssh-ed25519"); });
    key.prefixed(4, [](Writer& k) { k.bytes(ByteVec(32, 7)); });
  });
  w.prefixed(4, [&](Writer& v) { v.bytes(q_s); });
  w.prefixed(4, [](Writer& sig) {
    sig.prefixed(4, [](Writer& t) { t.text("ssh-ed25519"); });
    sig.prefixed(4, [](Writer& k) { k.bytes(ByteVec(64, 1)); });
  });
  return text(wire::frame_packet(w.data()));
}

TEST(SshTransport, ADisconnectMidKexEndsAsDisconnectedWithTheReason) {
  const ScriptedPeer peer(answer_kex_with(text(wire::frame_packet(wire::write_disconnect(3, "no thanks")))));
  ASSERT_TRUE(peer.ok());
  const BehaviourResult r = run_against(peer);
  EXPECT_EQ(r.job.outcome, Outcome::disconnected) << r.job.detail;
  EXPECT_EQ(r.job.detail, "the server disconnected: KEY_EXCHANGE_FAILED \"no thanks\"");
}

TEST(SshTransport, AShortCurve25519ValueInTheReplyIsRefused) {
  const ScriptedPeer peer(answer_kex_with(ecdh_reply(ByteVec(31, 9))));
  ASSERT_TRUE(peer.ok());
  const BehaviourResult r = run_against(peer);
  EXPECT_EQ(r.job.outcome, Outcome::protocol_error) << r.job.detail;
  EXPECT_EQ(r.job.detail, "the server's exchange value is refused: a curve25519 public value is 32 bytes");
}

TEST(SshTransport, ABadHostKeySignatureIsRefused) {
  ByteVec q_s(32);
  RAND_bytes(q_s.data(), 32);
  const ScriptedPeer peer(answer_kex_with(ecdh_reply(q_s)));
  ASSERT_TRUE(peer.ok());
  const BehaviourResult r = run_against(peer);
  EXPECT_EQ(r.job.outcome, Outcome::protocol_error) << r.job.detail;
  EXPECT_EQ(r.job.detail.rfind("the host key signature is refused: ", 0), 0u) << r.job.detail;
}

}  // namespace
}  // namespace sd::probe::ssh

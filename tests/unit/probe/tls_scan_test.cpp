// The TLS scan against hostile scripted peers: every one ends with a clear answer per version within its
// timeout; and an IPv6 target. (Real servers are in tests/peers/test_probe_tls*.cpp.)
#include <gtest/gtest.h>

#include <string>

#include "probe/tls/scan.h"
#include "scripted_peer.h"

namespace sd::probe::tls {
namespace {

using testing::PeerConn;
using testing::ScriptedPeer;

constexpr int kWait = 2000;

ProbeOptions fast() {
  ProbeOptions o;
  o.timeout = Millis(400);
  return o;
}

Scan scan_peer(const ScriptedPeer& peer, const std::string& host = "127.0.0.1") {
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  const Url url{.scheme = "tls", .host = host, .port = peer.port(), .text = "tls://" + shown + ":" + std::to_string(peer.port())};
  return scan(url, Upgrade::none, fast());
}

// Every version got the same kind of answer, and nothing more was tried.
void expect_all(const Scan& s, Refusal refusal) {
  ASSERT_EQ(s.facts.versions.size(), 5u);
  for (const auto& [v, a] : s.facts.versions) EXPECT_EQ(a.refusal, refusal) << v << ": " << a.detail;
  EXPECT_EQ(s.stats.attempted, 5u);
  EXPECT_TRUE(s.facts.suites.empty());
}

TEST(TlsScanHostile, SilentAfterAccept) {
  ScriptedPeer peer([](PeerConn& c) { c.sleep(1500); });
  ASSERT_TRUE(peer.ok());
  expect_all(scan_peer(peer), Refusal::timeout);
}

TEST(TlsScanHostile, OneBytePerSecond) {
  ScriptedPeer peer([](PeerConn& c) {
    for (const char b : std::string("\x16\x03\x03\x00\x40", 5))
      if (!c.send(std::string(1, b)) || !c.sleep(1000)) return;
  });
  ASSERT_TRUE(peer.ok());
  expect_all(scan_peer(peer), Refusal::timeout);
}

TEST(TlsScanHostile, EndlessBanner) {
  ScriptedPeer peer([](PeerConn& c) {
    for (int i = 0; i < 2000 && c.send("220-this banner never ends\r\n"); ++i) {}
  });
  ASSERT_TRUE(peer.ok());
  const Scan s = scan_peer(peer);
  expect_all(s, Refusal::plaintext);
  EXPECT_EQ(s.facts.versions.at(kTls12).text, "220-this banner never ends");
}

TEST(TlsScanHostile, HugeRecordLength) {
  ScriptedPeer peer([](PeerConn& c) {
    if (c.read_some(kWait).empty()) return;
    c.send(std::string("\x16\x03\x03\xff\xff", 5));  // 65535 bytes announced, above the 18432 TLS allows
    c.sleep(500);
  });
  ASSERT_TRUE(peer.ok());
  const Scan s = scan_peer(peer);
  expect_all(s, Refusal::unknown);
  EXPECT_EQ(s.version_flights.at(kTls12).answer.detail.rfind("oversized", 0), 0u) << s.version_flights.at(kTls12).answer.detail;
}

TEST(TlsScanHostile, ResetMidHandshake) {
  ScriptedPeer peer([](PeerConn& c) {
    if (c.read_some(kWait).empty()) return;
    c.send(std::string("\x16\x03\x03\x00\x40\x02", 6));
    c.reset();
  });
  ASSERT_TRUE(peer.ok());
  expect_all(scan_peer(peer), Refusal::reset);
}

TEST(TlsScanHostile, RandomBytes) {
  ScriptedPeer peer([](PeerConn& c) {
    if (c.read_some(kWait).empty()) return;
    c.send(std::string("\x00\x07\xfe\x13\x99\x01\x02", 7));
    c.sleep(300);
  });
  ASSERT_TRUE(peer.ok());
  const Scan s = scan_peer(peer);
  expect_all(s, Refusal::unknown);
  EXPECT_EQ(s.version_flights.at(kTls10).answer.detail.rfind("protocol-error", 0), 0u);
}

TEST(TlsScanHostile, AlertOverIpv6) {
  if (!testing::ipv6_loopback_available()) GTEST_SKIP() << "no ::1 here";
  ScriptedPeer peer(
      [](PeerConn& c) {
        if (c.read_some(kWait).empty()) return;
        c.send(std::string("\x15\x03\x03\x00\x02\x02\x46", 7));  // protocol_version
        c.close();
      },
      true);
  ASSERT_TRUE(peer.ok());
  const Scan s = scan_peer(peer, "::1");
  expect_all(s, Refusal::alert);
  EXPECT_EQ(s.facts.versions.at(kTls13).alert_code, 70);
}

}  // namespace
}  // namespace sd::probe::tls

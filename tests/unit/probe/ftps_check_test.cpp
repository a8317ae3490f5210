// The FTPS data-channel check against scripted hostile or odd peers on loopback: each ends with a clear outcome,
// at the step where it stopped, within its timeouts.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/ftps/ftps_data.h"
#include "scripted_peer.h"

namespace sd::probe::ftps {
namespace {

using testing::PeerConn;
using testing::ScriptedPeer;

Url url_for(const std::string& host, std::uint16_t port) {
  return Url{"ftps", host, port, "", "ftps://" + host + ":" + std::to_string(port)};
}

ProbeOptions short_timeouts() {
  ProbeOptions o;
  o.timeout = std::chrono::milliseconds(400);
  return o;
}

DataChannelResult check(const ScriptedPeer& peer, bool implicit = false) {
  return check_data_channel(url_for("127.0.0.1", peer.port()), short_timeouts(), implicit);
}

TEST(FtpsCheck, SilentPeerTimesOutAtBanner) {
  ScriptedPeer peer([](PeerConn& c) { c.sleep(3000); });
  ASSERT_TRUE(peer.ok());
  const auto r = check(peer);
  EXPECT_EQ(r.outcome, "io-timeout");
  EXPECT_EQ(r.stopped_at, "banner");
  EXPECT_EQ(r.connections, 1u);
}

TEST(FtpsCheck, OneBytePerSecondTimesOut) {
  ScriptedPeer peer([](PeerConn& c) {
    for (const char ch : std::string("220 slow banner\r\n"))
      if (!c.send(std::string(1, ch)) || !c.sleep(1000)) return;
  });
  ASSERT_TRUE(peer.ok());
  const auto r = check(peer);
  EXPECT_EQ(r.outcome, "io-timeout");  // the timeout bounds the whole reply, not each byte
  EXPECT_EQ(r.stopped_at, "banner");
}

TEST(FtpsCheck, EndlessBannerIsAProtocolError) {
  ScriptedPeer peer([](PeerConn& c) {
    for (int i = 0; i < 5000 && c.send("220-welcome, and welcome again\r\n"); ++i) {
    }
  });
  ASSERT_TRUE(peer.ok());
  const auto r = check(peer);
  EXPECT_EQ(r.outcome, "protocol-error");
  EXPECT_EQ(r.stopped_at, "banner");
  EXPECT_EQ(r.detail, "not an FTP reply: a multi-line reply is over 200 lines");
}

TEST(FtpsCheck, OverLongLineIsAProtocolError) {
  ScriptedPeer peer([](PeerConn& c) { c.send("220 " + std::string(10000, 'x')); c.sleep(2000); });
  ASSERT_TRUE(peer.ok());
  const auto r = check(peer);
  EXPECT_EQ(r.outcome, "protocol-error");
  EXPECT_EQ(r.detail, "not an FTP reply: a reply line is over 2048 bytes");
}

TEST(FtpsCheck, BusyGreetingStopsWithItsText) {
  ScriptedPeer peer([](PeerConn& c) { c.send("421 Too many connections (8) from this IP\r\n"); });
  ASSERT_TRUE(peer.ok());
  const auto r = check(peer);
  EXPECT_EQ(r.outcome, "protocol-error");
  EXPECT_EQ(r.stopped_at, "banner");
  EXPECT_EQ(r.banner, "421 Too many connections (8) from this IP");
}

TEST(FtpsCheck, PlaintextAfterAuthTlsFailsTheHandshake) {
  ScriptedPeer peer([](PeerConn& c) {
    c.send("220 ready\r\n");
    if (c.read_line(2000).rfind("AUTH TLS", 0) != 0) return;
    c.send("234 go ahead\r\n");
    c.read_some(2000);
    c.send("500 OOPS: SSL: cannot load RSA certificate\r\n");
  });
  ASSERT_TRUE(peer.ok());
  const auto r = check(peer);
  EXPECT_EQ(r.auth_tls, true);
  EXPECT_EQ(r.stopped_at, "control-handshake");
  EXPECT_EQ(r.outcome, "protocol-error");
  EXPECT_NE(r.detail.find("TLS handshake: "), std::string::npos) << r.detail;
}

TEST(FtpsCheck, ImplicitAgainstPlaintextServer) {
  ScriptedPeer peer([](PeerConn& c) {
    c.send("220 plain FTP here\r\n");
    c.read_some(2000);
  });
  ASSERT_TRUE(peer.ok());
  const auto r = check(peer, true);
  EXPECT_TRUE(r.implicit);
  EXPECT_EQ(r.stopped_at, "control-handshake");
  EXPECT_EQ(r.outcome, "protocol-error");
  EXPECT_TRUE(r.banner.empty());
}

TEST(FtpsCheck, AuthRefusedOverIpv6) {
  ScriptedPeer peer(
      [](PeerConn& c) {
        c.send("220 ready\r\n");
        for (int i = 0; i < 2; ++i)
          if (!c.read_line(2000).empty()) c.send("502 Command not implemented.\r\n");
        c.sleep(500);
      },
      true);
  if (!peer.ok()) GTEST_SKIP() << "no IPv6 loopback";
  const auto r = check_data_channel(url_for("::1", peer.port()), short_timeouts(), false);
  EXPECT_EQ(r.auth_tls, false);
  EXPECT_EQ(r.auth_ssl, false);
  EXPECT_EQ(r.stopped_at, "auth");
  EXPECT_EQ(r.outcome, "plaintext-reply");
  EXPECT_EQ(r.detail, "the server refused AUTH TLS and AUTH SSL: 502 Command not implemented.");
  ASSERT_EQ(r.control.size(), 5u);
  EXPECT_EQ(r.control[1].text, "AUTH TLS");
  EXPECT_EQ(r.control[3].text, "AUTH SSL");
}

TEST(FtpsCheck, RefusedConnection) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  const std::uint16_t port = ntohs(a.sin_port);
  ::close(fd);  // bound, never listening: the port refuses
  const auto r = check_data_channel(url_for("127.0.0.1", port), short_timeouts(), false);
  EXPECT_EQ(r.outcome, "connection-refused");
  EXPECT_EQ(r.stopped_at, "connect");
  EXPECT_EQ(r.connections, 1u);
}

TEST(FtpsCheck, UnresolvableName) {
  const auto r = check_data_channel(url_for("no-such-host.invalid", 21), short_timeouts(), false);
  EXPECT_EQ(r.outcome, "dns-failure");
  EXPECT_EQ(r.stopped_at, "connect");
}

}  // namespace
}  // namespace sd::probe::ftps

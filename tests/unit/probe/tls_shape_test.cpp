// Scripted TLS 1.2 peers for what no real server here does. One closes the connection on any ClientHello record
// larger than 512 bytes (old middlebox limits): the scan must find TLS 1.2 and its suite with its normal hellos, and
// report exactly the oversized shapes as intolerance (closed), not as refusals. One refuses a hello without
// server_name (and any other name) with unrecognized_name: the scan must say "sni-required".
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "probe/tls/scan.h"
#include "probe/tls/tls_probe.h"
#include "scripted_peer.h"
#include "wire/tls/messages.h"
#include "wire/tls/parse.h"

namespace sd::probe::tls {
namespace {

using testing::PeerConn;
using testing::ScriptedPeer;

constexpr int kWait = 2000;
constexpr std::size_t kLimit = 512;
// An RSA key exchange: a hello without extensions (no supported_groups) can still be answered with it.
constexpr std::uint16_t kSuite = 0x009c;  // TLS_RSA_WITH_AES_128_GCM_SHA256

/// The peer's view of one connection: the size of the first record's body and what it did.
struct Seen {
  std::size_t record_body = 0;
  bool answered = false;
};

/// Reads one whole TLS record; empty when none came within the wait (or the header says SSLv2).
ByteVec read_record(PeerConn& c) {
  std::string got;
  for (int i = 0; i < 64; ++i) {
    if (got.size() >= 5) {
      auto r = Reader::stream(Bytes(reinterpret_cast<const std::uint8_t*>(got.data()), got.size()));
      auto header = sd::tls::read_record_header(r);
      if (!header) return {};
      if (got.size() >= 5 + header->length || header->length > kLimit) return ByteVec(got.begin(), got.end());
    }
    const std::string more = c.read_some(kWait);
    if (more.empty()) return {};
    got += more;
  }
  return {};
}

/// The ClientHello in a record, when it is one.
std::optional<sd::tls::ClientHello> client_hello(Bytes record) {
  auto r = Reader::bounded(record);
  auto rec = sd::tls::read_record(r);
  if (!rec) return std::nullopt;
  auto body = Reader::stream(rec->fragment);
  auto message = sd::tls::read_handshake(body);
  if (!message) return std::nullopt;
  const auto* hello = std::get_if<sd::tls::ClientHello>(&message->body);
  return hello ? std::optional(*hello) : std::nullopt;
}

/// TLS 1.2 only (no supported_versions), and only with our suite.
bool acceptable(const sd::tls::ClientHello& hello) {
  const bool versions = std::any_of(hello.extensions.begin(), hello.extensions.end(),
                                    [](const auto& e) { return e.type == sd::tls::code::kSupportedVersions; });
  const auto& suites = hello.cipher_suites;
  return hello.legacy_version == 0x0303 && !versions && std::find(suites.begin(), suites.end(), kSuite) != suites.end();
}

/// A ServerHello choosing kSuite at TLS 1.2, then ServerHelloDone, in one record.
std::string server_flight() {
  Writer w;
  w.u8(sd::tls::code::kHandshake);
  w.u16(0x0303);
  w.prefixed(2, [](Writer& record) {
    record.u8(sd::tls::code::kServerHello);
    record.prefixed(3, [](Writer& hello) {
      hello.u16(0x0303);
      hello.bytes(ByteVec(32, 0x5a));
      hello.u8(0);  // no session id
      hello.u16(kSuite);
      hello.u8(0);  // null compression
    });
    record.u8(sd::tls::code::kServerHelloDone);
    record.u8(0);
    record.u16(0);
  });
  const ByteVec bytes = w.take();
  return std::string(bytes.begin(), bytes.end());
}

/// What a scripted peer does with one ClientHello (nullopt when the record holds none): answer, close, or an alert.
struct Verdict {
  enum class Act { answer, close, alert } act = Act::close;
  std::uint8_t alert = 0;
};
using Policy = std::function<Verdict(std::size_t record_body, const std::optional<sd::tls::ClientHello>& hello)>;

/// Over 512 bytes: close (after reading what was sent); acceptable hellos answered; others handshake_failure.
Verdict small_hellos_only(std::size_t record_body, const std::optional<sd::tls::ClientHello>& hello) {
  if (record_body > kLimit || !hello) return {};
  return acceptable(*hello) ? Verdict{Verdict::Act::answer} : Verdict{Verdict::Act::alert, 40};
}

/// A TLS 1.2 peer that follows a policy for each connection's first record and records what it saw.
class Tls12Peer {
 public:
  explicit Tls12Peer(Policy policy) : policy_(std::move(policy)), peer_([this](PeerConn& c) { serve(c); }) {}
  std::uint16_t port() const { return peer_.port(); }
  bool ok() const { return peer_.ok(); }
  std::vector<Seen> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  void serve(PeerConn& c) {
    const ByteVec record = read_record(c);
    if (record.size() < 5) return;
    Seen s{.record_body = record.size() - 5};
    const auto hello = s.record_body > kLimit ? std::nullopt : client_hello(record);
    const Verdict v = policy_(s.record_body, hello);
    if (v.act == Verdict::Act::answer) s.answered = c.send(server_flight());
    if (v.act == Verdict::Act::alert) c.send(std::string("\x15\x03\x03\x00\x02\x02", 6) + static_cast<char>(v.alert));
    {
      std::lock_guard lock(mutex_);
      seen_.push_back(s);
    }
    drain(c);
    c.close();
  }

  // Reads what the client still sends (bounded), so the close is a FIN and not a reset for unread bytes.
  static void drain(PeerConn& c) {
    for (int i = 0; i < 16 && !c.read_some(100).empty(); ++i) {}
  }

  Policy policy_;
  std::mutex mutex_;
  std::vector<Seen> seen_;
  ScriptedPeer peer_;
};

Scan scan_peer(const Tls12Peer& peer, const std::string& sni = "") {
  ProbeOptions options;
  options.timeout = Millis(1000);
  options.sni = sni;
  const std::string port = std::to_string(peer.port());
  return scan(Url{.scheme = "tls", .host = "127.0.0.1", .port = peer.port(), .text = "tls://127.0.0.1:" + port},
              Upgrade::none, options);
}

TEST(TlsScanShapes, ServerClosingOnHellosOver512Bytes) {
  Tls12Peer peer(small_hellos_only);
  ASSERT_TRUE(peer.ok());
  const Scan s = scan_peer(peer);
  EXPECT_EQ(s.facts.versions.at(kTls12).refusal, Refusal::none);
  EXPECT_EQ(s.facts.versions.at(kTls13).refusal, Refusal::alert);
  EXPECT_EQ(s.facts.suites.at(kTls12), std::vector<std::uint16_t>{kSuite});
  EXPECT_EQ(s.facts.intolerance, (std::vector<std::string>{"many-suites", "large-hello", "huge-hello"}));
  EXPECT_EQ(s.shapes.at(Shape::no_session_id).refusal, Refusal::none);
  EXPECT_EQ(s.shapes.at(Shape::no_extensions).refusal, Refusal::none);
  for (const Shape shape : {Shape::many_suites, Shape::large, Shape::huge})
    EXPECT_EQ(s.shapes.at(shape).refusal, Refusal::closed) << to_string(shape) << ": " << s.shapes.at(shape).detail;
  EXPECT_EQ(s.facts.requires_extensions, false);
  // Every hello the peer answered was within the limit, and every one it closed on was over it.
  for (const auto& seen : peer.seen())
    if (seen.answered) EXPECT_LE(seen.record_body, kLimit);
  const auto seen = peer.seen();
  EXPECT_EQ(std::count_if(seen.begin(), seen.end(), [](const Seen& x) { return x.record_body > kLimit; }), 3);
}

}  // namespace
}  // namespace sd::probe::tls

namespace sd::probe::tls {
namespace {

constexpr std::string_view kName = "named.shakedown.test";

// The host name in a hello's server_name extension, or "" (RFC 6066 3: list, type 0 host_name, name).
std::string server_name(const sd::tls::ClientHello& hello) {
  for (const auto& e : hello.extensions) {
    if (e.type != sd::tls::code::kServerName) continue;
    auto list = Reader::bounded(e.data);
    auto names = list.prefixed(2);
    if (!names) return {};
    const auto type = names->u8();
    auto name = names->prefixed(2);
    if (!type || *type != 0 || !name) return {};
    const auto bytes = name->rest();
    return std::string(bytes.begin(), bytes.end());
  }
  return {};
}

TEST(TlsScanSni, ServerRequiringItsName) {
  Tls12Peer peer([](std::size_t body, const std::optional<sd::tls::ClientHello>& hello) {
    if (!hello || server_name(*hello) != kName) return Verdict{Verdict::Act::alert, 112};  // unrecognized_name
    return small_hellos_only(body, hello);
  });
  ASSERT_TRUE(peer.ok());
  const Scan s = scan_peer(peer, std::string(kName));
  EXPECT_EQ(s.facts.versions.at(kTls12).refusal, Refusal::none);
  EXPECT_EQ(s.facts.requires_sni, true);
  EXPECT_EQ(s.facts.wrong_sni_fatal, true);
  EXPECT_FALSE(s.facts.certificate_differs_by_sni.has_value());  // this peer sends no certificate
  ASSERT_EQ(s.sni.size(), 3u);
  EXPECT_EQ(s.sni[1].label, "without_sni");
  EXPECT_EQ(s.sni[1].answer.alert_code, std::optional<std::uint8_t>(112));
  EXPECT_EQ(s.rounds.at("sni"), 2u);
  const Url url{.scheme = "tls", .host = "127.0.0.1", .port = peer.port(), .text = "tls://x"};
  const auto sections = scan_sections(url, s);
  const auto sni = std::find_if(sections.begin(), sections.end(),
                                [](const auto& section) { return section.title == "Server name indication (SNI)"; });
  ASSERT_NE(sni, sections.end());
  EXPECT_EQ(sni->fields.front().value, "sni-required, unknown name fatal");
}

}  // namespace
}  // namespace sd::probe::tls

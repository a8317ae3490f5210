// The IKE probe against a real strongSwan charon (own strongswan.conf and swanctl.conf, high ports, private /run)
// and against hostile UDP peers made in the test.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "ike_lab.h"
#include "probe/ike/ike_probe.h"
#include "ikeprofiles/profiles.h"
#include "wire/ike/registry.h"

namespace sd::probe::ike {
namespace {

std::vector<std::string> labels(const std::vector<sd::ike::TransformSpec>& specs) {
  std::vector<std::string> out;
  for (const auto& t : specs) {
    std::string name = sd::ike::transform_id_label(t.type, t.id);
    if (t.key_length) name += "/" + std::to_string(*t.key_length);
    out.push_back(name);
  }
  return out;
}

std::vector<std::string> group_labels(const std::vector<std::uint16_t>& groups) {
  std::vector<std::string> out;
  for (const auto g : groups) out.push_back(sd::ike::dh_group_label(g));
  return out;
}

ProbeOptions quick() {
  ProbeOptions o;
  o.timeout = Millis(1500);
  return o;
}

TEST(IkeProbeLive, ListsWhatACbcProposalAccepts) {
  Charon charon(16500, "aes256-aes128-sha256-sha1-modp2048-ecp256");
  SD_NEED_CHARON(charon);
  const auto facts = probe_gateway({Transport::udp, "127.0.0.1", 16500}, quick());
  EXPECT_EQ(labels(facts.encryption), (std::vector<std::string>{"ENCR_AES_CBC/256", "ENCR_AES_CBC/128"}));
  EXPECT_EQ(labels(facts.prf), (std::vector<std::string>{"PRF_HMAC_SHA2_256", "PRF_HMAC_SHA1"}));
  EXPECT_EQ(labels(facts.integrity), (std::vector<std::string>{"AUTH_HMAC_SHA2_256_128", "AUTH_HMAC_SHA1_96"}));
  EXPECT_EQ(group_labels(facts.groups), (std::vector<std::string>{"MODP_2048", "ECP_256"}));
  EXPECT_FALSE(facts.cookie);
  EXPECT_EQ(facts.exchanges.size(), 14u);
  EXPECT_EQ(facts.sent, 14u);
  ASSERT_TRUE(facts.first_accept.has_value());
  EXPECT_NE(facts.first_accept->notify(sd::ike::kFragmentationSupported), nullptr);
}

// charon with cookie_threshold = 1: the probe's first half-open IKE SA makes every later IKE_SA_INIT get a COOKIE.
TEST(IkeProbeLive, CookieThresholdReportsThrottled) {
  Charon charon(16520, "aes256-sha256-modp2048", "block_threshold = 1000\n  cookie_threshold = 1\n  cookie_threshold_ip = 1");
  SD_NEED_CHARON(charon);
  const auto facts = probe_gateway({Transport::udp, "127.0.0.1", 16520}, quick());
  EXPECT_TRUE(facts.cookie);
  EXPECT_EQ(labels(facts.encryption), (std::vector<std::string>{"ENCR_AES_CBC/256"}));
  const auto section = facts_section(facts, "ike://127.0.0.1:16520");
  std::string throttled;
  for (const auto& f : section.fields)
    if (f.name == "throttled") throttled = f.value;
  EXPECT_EQ(throttled, "yes: COOKIE challenge (the responder's cookie threshold of half-open SAs was reached)");
}

TEST(IkeProbeLive, ListsWhatAnAeadProposalAcceptsAndTheGroupItAsksFor) {
  Charon charon(16510, "aes128gcm16-prfsha384-x25519");
  SD_NEED_CHARON(charon);
  const auto facts = probe_gateway({Transport::udp, "127.0.0.1", 16510}, quick());
  EXPECT_EQ(labels(facts.encryption), (std::vector<std::string>{"ENCR_AES_GCM_16/128"}));
  EXPECT_EQ(labels(facts.prf), (std::vector<std::string>{"PRF_HMAC_SHA2_384"}));
  EXPECT_TRUE(facts.integrity.empty());
  EXPECT_EQ(group_labels(facts.groups), (std::vector<std::string>{"CURVE25519"}));
  ASSERT_TRUE(facts.requested_group.has_value());
  EXPECT_EQ(*facts.requested_group, 31);
  EXPECT_EQ(facts.exchanges.size(), 9u);
  EXPECT_EQ(facts.sent, 10u);
}

TEST(IkeProbeLive, PredictsEachProfileAgainstWhatTheResponderAccepts) {
  Charon charon(16560, "aes256-aes128-sha256-sha1-modp2048-ecp256");
  SD_NEED_CHARON(charon);
  const auto facts = probe_gateway({Transport::udp, "127.0.0.1", 16560}, quick());
  const auto& profiles = peer_profiles();
  const auto find = [&](const std::string& id) {
    return std::find_if(profiles.begin(), profiles.end(), [&](const PeerProfile& p) { return p.id == id; });
  };
  ASSERT_NE(find("strongswan-5.9-default"), profiles.end());
  ASSERT_NE(find("windows-ikev2-client-default"), profiles.end());
  const auto ok = predict(*find("strongswan-5.9-default"), facts);
  EXPECT_TRUE(ok.establishes);
  EXPECT_EQ(ok.text, "establishes with proposal 1: ENCR_AES_CBC/256 PRF_HMAC_SHA2_256 AUTH_HMAC_SHA2_256_128 MODP_2048");
  const auto bad = predict(*find("windows-ikev2-client-default"), facts);
  EXPECT_FALSE(bad.establishes);
  EXPECT_TRUE(bad.text.starts_with("fails: NO_PROPOSAL_CHOSEN because proposal 1 has no accepted ")) << bad.text;
  EXPECT_NE(bad.text.find("MODP_1024"), std::string::npos) << bad.text;
  EXPECT_EQ(prediction_finding(*find("windows-ikev2-client-default"), bad, "127.0.0.1:16560").id,
            "ike.no-proposal-chosen");
}

TEST(IkeProfiles, EveryProfileParsesAndHasASource) {
  ASSERT_GE(peer_profiles().size(), 2u);
  for (const auto& p : peer_profiles()) {
    EXPECT_FALSE(p.source.empty()) << p.id;
    EXPECT_FALSE(p.proposals.empty()) << p.id;
  }
}

// A UDP peer on 127.0.0.1:port that answers the first request with the datagrams `reply` makes from it.
class HostilePeer {
 public:
  template <class Reply>
  HostilePeer(std::uint16_t port, Reply reply) : fd_(socket(AF_INET, SOCK_DGRAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{3, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return;
    thread_ = std::thread([this, reply] {
      ByteVec buf(65535);
      sockaddr_in from{};
      socklen_t len = sizeof from;
      const ssize_t n = recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n <= 0) return;
      buf.resize(static_cast<std::size_t>(n));
      const auto request = sd::ike::parse_nat_t_datagram(buf);
      if (!request.ok()) return;
      for (const auto& m : reply(request->header)) {
        const ByteVec d = sd::ike::with_non_esp_marker(m);
        sendto(fd_, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
      }
    });
  }
  ~HostilePeer() {
    if (thread_.joinable()) thread_.join();
    close(fd_);
  }

 private:
  int fd_;
  std::thread thread_;
};

sd::ike::Header answer_header(const sd::ike::Header& request) {
  sd::ike::Header h = request;
  h.responder_spi = 0x1122334455667788ull;
  h.flags = sd::ike::kFlagResponse;
  return h;
}

ExchangeResult hostile_exchange(std::uint16_t port) {
  Engine engine;
  ExchangePolicy policy;
  policy.timeout = Millis(500);
  const auto proposal = sd::ike::proposal_named({"ENCR_AES_CBC/256", "PRF_HMAC_SHA2_256", "AUTH_HMAC_SHA2_256_128",
                                                 "MODP_2048"});
  return exchange(engine, {Transport::udp, "127.0.0.1", port}, "hostile", *proposal, 14, policy);
}

TEST(IkeProbeHostile, PayloadLengthPastTheDatagramIsAProtocolError) {
  HostilePeer peer(16520, [](const sd::ike::Header& request) {
    ByteVec d = sd::ike::write_message(answer_header(request), std::vector{sd::ike::notify(sd::ike::kNoProposalChosen)});
    d[30] = 0x00;
    d[31] = 0xc8;  // the notify claims 200 bytes
    return std::vector<ByteVec>{d};
  });
  const auto r = hostile_exchange(16520);
  EXPECT_EQ(r.outcome, Outcome::protocol_error) << r.detail;
  EXPECT_EQ(r.sent, 1u);
  EXPECT_EQ(r.received, 1u);
  EXPECT_FALSE(r.response.has_value());
}

TEST(IkeProbeHostile, EndlessNextPayloadChainIsAProtocolError) {
  HostilePeer peer(16530, [](const sd::ike::Header& request) {
    const std::vector<sd::ike::OutPayload> chain(100, sd::ike::OutPayload{sd::ike::kVendor, {}});
    ByteVec d = sd::ike::write_message(answer_header(request), chain);
    d[sd::ike::kHeaderSize + 99 * 4] = sd::ike::kVendor;  // the last payload points on again
    return std::vector<ByteVec>{d};
  });
  const auto r = hostile_exchange(16530);
  EXPECT_EQ(r.outcome, Outcome::protocol_error) << r.detail;
  EXPECT_EQ(r.received, 1u);
}

TEST(IkeProbeHostile, AnEndlessStreamOfAnswersEndsTheExchange) {
  HostilePeer peer(16540, [](const sd::ike::Header& request) {
    sd::ike::Header other = answer_header(request);
    other.initiator_spi ^= 0xffff;  // answers to somebody else
    return std::vector<ByteVec>(50, sd::ike::write_message(other, std::vector{sd::ike::notify(sd::ike::kCookie)}));
  });
  const auto r = hostile_exchange(16540);
  EXPECT_EQ(r.outcome, Outcome::protocol_error) << r.detail;
  EXPECT_EQ(r.received, 9u);
  EXPECT_EQ(r.sent, 1u);
}

TEST(IkeProbeHostile, SilenceIsNoResponseAfterTheRetries) {
  HostilePeer peer(16550, [](const sd::ike::Header&) { return std::vector<ByteVec>{}; });
  const auto r = hostile_exchange(16550);
  EXPECT_EQ(r.outcome, Outcome::no_response) << r.detail;
  EXPECT_EQ(r.sent, 3u);
  EXPECT_EQ(r.received, 0u);
}

}  // namespace
}  // namespace sd::probe::ike

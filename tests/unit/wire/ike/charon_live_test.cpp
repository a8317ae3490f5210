// Live exchanges with a real strongSwan charon on loopback: charon initiates to this test, which answers with
// responses built by the writer; and charon responds to IKE_SA_INIT requests built by the writer.
// Skipped when not root or when charon is not installed (charon needs a mount namespace for its pid file).
#include <gtest/gtest.h>

#include <cstdlib>

#include "charon_lab.h"
#include "wire/ike/describe.h"
#include "wire/ike/write.h"

namespace sd::ike {
namespace {

std::string initiator_conf(std::uint16_t remote_port, const std::string& proposals) {
  return "connections {\n  lab {\n    version = 2\n    local_addrs = 127.0.0.1\n    remote_addrs = 127.0.0.1\n"
         "    remote_port = " + std::to_string(remote_port) + "\n    proposals = " + proposals +
         "\n    keyingtries = 1\n    local { auth = psk\n            id = init.example }\n"
         "    remote { auth = psk\n             id = resp.example }\n"
         "    children { c { esp_proposals = aes256-sha256 } }\n  }\n}\n"
         "secrets { ike-1 { id-1 = init.example\n  id-2 = resp.example\n  secret = live-secret } }\n";
}

std::string responder_conf() {
  return "connections {\n  resp {\n    version = 2\n    local_addrs = 127.0.0.1\n    remote_addrs = 127.0.0.1\n"
         "    proposals = aes256-sha256-modp2048\n    local { auth = psk\n            id = resp.example }\n"
         "    remote { auth = psk\n             id = init.example }\n"
         "    children { c { esp_proposals = aes256-sha256 } }\n  }\n}\n"
         "secrets { ike-1 { id-1 = init.example\n  id-2 = resp.example\n  secret = live-secret } }\n";
}

// Receives datagrams until one parses as an IKE_SA_INIT request whose KE uses group (any group when 0).
std::optional<Message> next_request(test::UdpSocket& sock, std::uint16_t group = 0) {
  for (int i = 0; i < 6; ++i) {
    const auto d = sock.receive();
    if (!d) return std::nullopt;
    auto m = parse_nat_t_datagram(*d);
    if (!m || m->header.exchange_type != 34 || m->all<KePayload>().empty()) continue;
    if (group == 0 || m->all<KePayload>()[0]->group == group) return m.value();
  }
  return std::nullopt;
}

// The responder's answer to a request: same initiator SPI, response flag, message ID 0, marker for port 4500.
ByteVec answer(const Message& request, std::uint64_t responder_spi, const std::vector<OutPayload>& payloads) {
  Header h;
  h.initiator_spi = request.header.initiator_spi;
  h.responder_spi = responder_spi;
  h.exchange_type = 34;
  h.flags = kFlagResponse;
  return with_non_esp_marker(write_message(h, payloads));
}

#define SD_NEED_CHARON(lab) \
  if (!(lab).ok()) {                                                                    \
    /* CI machines are set up by scripts/setup.sh, so there a missing peer is a failure. */ \
    if (std::getenv("CI")) FAIL() << "strongSwan charon could not be started";           \
    GTEST_SKIP() << "strongSwan charon could not be started (needs root and /usr/lib/ipsec/charon)"; \
  }

TEST(CharonLive, CharonReadsOurNoProposalChosen) {
  test::UdpSocket sock(15841);
  ASSERT_TRUE(sock.ok());
  test::CharonLab lab(15840, initiator_conf(15841, "aes256-sha256-modp2048"));
  SD_NEED_CHARON(lab);
  lab.initiate("lab");
  const auto request = next_request(sock);
  ASSERT_TRUE(request.has_value()) << lab.log();
  EXPECT_EQ(request->all<SaPayload>()[0]->proposals.size(), 1u);
  sock.reply(answer(*request, 0x0badc0de0badc0deull, {notify(kNoProposalChosen)}));
  EXPECT_TRUE(lab.wait_for_log("received NO_PROPOSAL_CHOSEN notify error")) << lab.log();
}

TEST(CharonLive, CharonRetriesWithTheGroupOurInvalidKeAsksFor) {
  test::UdpSocket sock(15851);
  ASSERT_TRUE(sock.ok());
  test::CharonLab lab(15850, initiator_conf(15851, "aes256-sha256-modp2048-ecp256"));
  SD_NEED_CHARON(lab);
  lab.initiate("lab");
  const auto first = next_request(sock);
  ASSERT_TRUE(first.has_value()) << lab.log();
  EXPECT_EQ(first->all<KePayload>()[0]->group, 14);
  const ByteVec group = from_hex("0013").value();
  sock.reply(answer(*first, 0, {notify(kInvalidKePayload, group)}));
  const auto retry = next_request(sock, 19);
  ASSERT_TRUE(retry.has_value()) << lab.log();
  EXPECT_EQ(retry->all<KePayload>()[0]->data.size(), 64u);
  EXPECT_TRUE(retry->all<KePayload>()[0]->size_ok());
  EXPECT_TRUE(lab.wait_for_log("it requested ECP_256")) << lab.log();
}

TEST(CharonLive, CharonEchoesOurCookie) {
  test::UdpSocket sock(15891);
  ASSERT_TRUE(sock.ok());
  test::CharonLab lab(15890, initiator_conf(15891, "aes256-sha256-modp2048"));
  SD_NEED_CHARON(lab);
  lab.initiate("lab");
  const auto first = next_request(sock);
  ASSERT_TRUE(first.has_value()) << lab.log();
  const ByteVec cookie = from_hex("5e11c0015e11c0015e11c0015e11c001").value();
  sock.reply(answer(*first, 0, {notify(kCookie, cookie)}));
  std::optional<Message> retry;
  for (int i = 0; i < 6 && !retry; ++i) {
    auto next = next_request(sock);
    if (!next) break;
    if (next->notify(kCookie)) retry = std::move(next);
  }
  ASSERT_TRUE(retry.has_value()) << lab.log();
  EXPECT_EQ(retry->payloads[0].type, kNotify);
  EXPECT_EQ(retry->notify(kCookie)->data, cookie);
  EXPECT_EQ(retry->header.initiator_spi, first->header.initiator_spi);
}

SaInitRequest request_for(std::uint16_t group, std::size_t ke_bytes, std::vector<TransformSpec> transforms) {
  SaInitRequest q;
  q.initiator_spi = 0x5d5d000011112222ull + group;
  q.proposals = {{1, {}, std::move(transforms)}};
  q.ke_group = group;
  q.ke_data = ByteVec(ke_bytes, 0x42);
  q.nonce = ByteVec(32, 0x17);
  q.nat_source_hash = ByteVec(20, 1);
  q.nat_destination_hash = ByteVec(20, 2);
  q.signature_hashes = {2, 3, 4};
  return q;
}

TEST(CharonLive, CharonAnswersOurSaInitRequest) {
  test::UdpSocket sock(15861);
  ASSERT_TRUE(sock.ok());
  test::CharonLab lab(15860, responder_conf(), true);
  SD_NEED_CHARON(lab);
  const auto q = request_for(14, 256, {{1, 12, 256}, {3, 12, {}}, {2, 5, {}}, {4, 14, {}}});
  sock.send_to(15860, with_non_esp_marker(write_sa_init_request(q)));
  const auto d = sock.receive();
  ASSERT_TRUE(d.has_value()) << lab.log();
  const auto m = parse_nat_t_datagram(*d);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->header.initiator_spi, q.initiator_spi);
  EXPECT_TRUE(m->header.response());
  const auto sa = m->all<SaPayload>();
  ASSERT_EQ(sa.size(), 1u);
  ASSERT_EQ(sa[0]->proposals[0].transforms.size(), 4u);
  EXPECT_EQ(sa[0]->proposals[0].transforms[0].key_length, 256);
  EXPECT_EQ(m->all<KePayload>()[0]->group, 14);
  EXPECT_TRUE(m->all<KePayload>()[0]->size_ok());
  EXPECT_NE(m->notify(kFragmentationSupported), nullptr);
  EXPECT_EQ(describe(*m).child("V")->value, "strongSwan");
  EXPECT_TRUE(lab.wait_for_log("parsed IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) "
                               "N(HASH_ALG) ]"))
      << lab.log();
}

TEST(CharonLive, CharonRejectsWhatItDoesNotAccept) {
  test::UdpSocket sock(15871);
  ASSERT_TRUE(sock.ok());
  test::CharonLab lab(15870, responder_conf());
  SD_NEED_CHARON(lab);
  // 3DES / SHA-1 is not in the responder's proposal.
  sock.send_to(15870, with_non_esp_marker(write_sa_init_request(
                          request_for(14, 256, {{1, 3, {}}, {3, 2, {}}, {2, 2, {}}, {4, 14, {}}}))));
  auto d = sock.receive();
  ASSERT_TRUE(d.has_value()) << lab.log();
  auto m = parse_nat_t_datagram(*d);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(summary(*m), "IKE_SA_INIT response 0 [ N(NO_PROPOSAL_CHOSEN) ]");
  // Right algorithms, but the KE is for MODP_3072 while the proposal also allows MODP_2048 which charon prefers.
  sock.send_to(15870, with_non_esp_marker(write_sa_init_request(
                          request_for(15, 384, {{1, 12, 256}, {3, 12, {}}, {2, 5, {}}, {4, 15, {}}, {4, 14, {}}}))));
  d = sock.receive();
  ASSERT_TRUE(d.has_value()) << lab.log();
  m = parse_nat_t_datagram(*d);
  ASSERT_TRUE(m.ok());
  ASSERT_NE(m->notify(kInvalidKePayload), nullptr) << summary(*m);
  EXPECT_EQ(*m->notify(kInvalidKePayload)->requested_group, 14);
}

}  // namespace
}  // namespace sd::ike

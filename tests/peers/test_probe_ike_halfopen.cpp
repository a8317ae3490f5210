// The IKE probe's half-open check against a real charon: after a valid IKE_SA_INIT answer the probe sends no IKE_AUTH,
// re-sends the same request, listens, and re-sends again (RFC 7296 2.1). charon answers a retransmission from its
// cache and never retransmits as a responder; with half_open_timeout shorter than the listening window it has
// forgotten the SA and the same request opens a new one.

#include <gtest/gtest.h>

#include <algorithm>

#include "ike_lab.h"
#include "probe/ike/ike_probe.h"
#include "probe/ike/retransmit.h"

namespace sd::probe::ike {
namespace {

RetransmitCheck check_against(std::uint16_t port, Millis window) {
  Engine engine;
  const auto proposal = sd::ike::proposal_named({"ENCR_AES_CBC/256", "PRF_HMAC_SHA2_256", "AUTH_HMAC_SHA2_256_128",
                                                 "MODP_2048"});
  return check_retransmission(engine, {Transport::udp, "127.0.0.1", port}, *proposal, 14, Millis(1500), window);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(IkeHalfOpenLive, CharonAnswersARetransmissionFromItsCacheAndNeverRetransmits) {
  Charon charon(16600, "aes256-sha256-modp2048");
  SD_NEED_CHARON(charon);
  const RetransmitCheck c = check_against(16600, Millis(1000));
  ASSERT_EQ(c.skipped, "");
  EXPECT_EQ(c.sent, 3u);
  EXPECT_EQ(c.received, 3u);
  EXPECT_EQ(c.unsolicited, 0u);
  ASSERT_FALSE(c.first.empty());
  EXPECT_EQ(c.resent, c.first);
  EXPECT_EQ(c.late, c.first);
  const auto verdicts = retransmit_verdicts(c);
  ASSERT_EQ(verdicts.size(), 3u);
  EXPECT_EQ(verdicts[0], "answers the IKE_SA_INIT re-sent 250 ms after its response with the identical cached "
                         "response (" + std::to_string(c.first.size()) + " bytes, RFC 7296 2.1)");
  EXPECT_EQ(verdicts[1], "sends nothing on its own for 1250 ms while the SA is half-open (a responder never "
                         "retransmits, RFC 7296 2.1)");
  EXPECT_EQ(verdicts[2], "still holds the half-open SA 1000 ms later (same cached response)");
  // charon's own log says the same: one IKE_SA_INIT response generated, the two copies answered as retransmits.
  const std::string log = charon.log();
  EXPECT_EQ(count(log, "generating IKE_SA_INIT response 0"), 1u) << log;
  EXPECT_EQ(count(log, "received retransmit of request with ID 0, retransmitting response"), 2u) << log;
}

TEST(IkeHalfOpenLive, AfterCharonsHalfOpenTimeoutTheSameRequestOpensANewSa) {
  Charon charon(16610, "aes256-sha256-modp2048",
                "block_threshold = 1000\n  cookie_threshold = 1000\n  cookie_threshold_ip = 1000\n"
                "  half_open_timeout = 1");
  SD_NEED_CHARON(charon);
  const RetransmitCheck c = check_against(16610, Millis(2500));
  ASSERT_EQ(c.skipped, "");
  EXPECT_EQ(c.sent, 3u);
  EXPECT_EQ(c.unsolicited, 0u);
  EXPECT_EQ(c.resent, c.first);
  ASSERT_FALSE(c.late.empty());
  EXPECT_NE(c.late, c.first);
  const auto verdicts = retransmit_verdicts(c);
  ASSERT_EQ(verdicts.size(), 3u);
  EXPECT_TRUE(verdicts[2].starts_with("had dropped the half-open SA within 2500 ms: the same request opened a new SA"))
      << verdicts[2];
  const std::string log = charon.log();
  EXPECT_EQ(count(log, "generating IKE_SA_INIT response 0"), 2u) << log;
}

TEST(IkeHalfOpenLive, ARefusedOfferIsNotMeasured) {
  Charon charon(16620, "aes128gcm16-prfsha384-x25519");
  SD_NEED_CHARON(charon);
  const RetransmitCheck c = check_against(16620, Millis(500));
  EXPECT_EQ(c.sent, 1u);
  EXPECT_TRUE(c.skipped.starts_with("the responder refused the offer: ")) << c.skipped;
  EXPECT_EQ(retransmit_verdicts(c), (std::vector<std::string>{"not measured: " + c.skipped}));
}

// The probe's report carries the check as its own section, counted in the notes.
TEST(IkeHalfOpenLive, TheProbeReportHasTheHalfOpenSection) {
  Charon charon(16640, "aes256-sha256-modp2048");
  SD_NEED_CHARON(charon);
  std::string error;
  const auto url = parse_url("ike://127.0.0.1:16640", error);
  ASSERT_TRUE(url.has_value()) << error;
  ProbeOptions options;
  options.timeout = Millis(1500);
  options.profiles = {"strongswan-5.9-default"};
  report::Report out;
  ASSERT_TRUE(run_ike_probe(*url, options, out, error)) << error;
  const auto section = std::find_if(out.sections.begin(), out.sections.end(), [](const report::Section& s) {
    return s.title == "IKEv2 half-open IKE SA: retransmitted IKE_SA_INIT, no IKE_AUTH";
  });
  ASSERT_NE(section, out.sections.end());
  ASSERT_FALSE(section->fields.empty());
  const Field& behaviour = section->fields[0];
  EXPECT_EQ(behaviour.value, "measured");
  ASSERT_EQ(behaviour.children.size(), 3u);
  const std::string& first = behaviour.children[0].value;
  EXPECT_TRUE(first.starts_with("answers the IKE_SA_INIT re-sent 250 ms after its response with the identical cached "
                                "response (")) << first;
  EXPECT_EQ(behaviour.children[2].value, "still holds the half-open SA 1500 ms later (same cached response)");
  ASSERT_FALSE(out.notes.empty());
  EXPECT_TRUE(out.notes.back().ends_with("; the half-open check sent 3 and received 3")) << out.notes.back();
}

}  // namespace
}  // namespace sd::probe::ike

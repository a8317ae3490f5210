// The half-open check's words and section from observations made up here: cached answer, a new SA after the window,
// silence, unsolicited datagrams, and a check that could not run.
#include <gtest/gtest.h>

#include <vector>

#include "probe/ike/retransmit.h"
#include "wire/ike/write.h"

namespace sd::probe::ike {
namespace {

// An IKE_SA_INIT response from responder SPI `spi` carrying one vendor ID byte `mark`.
ByteVec answer(std::uint64_t spi, std::uint8_t mark) {
  sd::ike::Header h;
  h.initiator_spi = 0x0102030405060708ull;
  h.responder_spi = spi;
  h.exchange_type = 34;  // IKE_SA_INIT
  h.flags = sd::ike::kFlagResponse;
  const std::vector<sd::ike::OutPayload> payloads{{sd::ike::kVendor, ByteVec{mark}}};
  return sd::ike::write_message(h, payloads);
}

RetransmitCheck measured(ByteVec resent, ByteVec late, unsigned unsolicited = 0) {
  RetransmitCheck c;
  c.first = answer(0xaaaa, 1);
  c.resent = std::move(resent);
  c.late = std::move(late);
  c.unsolicited = unsolicited;
  c.settle = Millis(250);
  c.window = Millis(1000);
  c.sent = 3;
  c.received = 3 + unsolicited;
  return c;
}

TEST(IkeHalfOpen, CachedThenNewSa) {
  const auto c = measured(answer(0xaaaa, 1), answer(0xbbbb, 1));
  EXPECT_EQ(retransmit_verdicts(c),
            (std::vector<std::string>{
                "answers the IKE_SA_INIT re-sent 250 ms after its response with the identical cached response (33 "
                "bytes, RFC 7296 2.1)",
                "sends nothing on its own for 1250 ms while the SA is half-open (a responder never retransmits, RFC "
                "7296 2.1)",
                "had dropped the half-open SA within 1000 ms: the same request opened a new SA (responder SPI "
                "000000000000bbbb), its half-open timeout is shorter than that"}));
}

TEST(IkeHalfOpen, SilenceSameSaOtherBytesAndUnsolicitedDatagrams) {
  const auto c = measured({}, answer(0xaaaa, 2), 2);
  EXPECT_EQ(retransmit_verdicts(c),
            (std::vector<std::string>{"does not answer the IKE_SA_INIT re-sent 250 ms after its response",
                                      "sent 2 datagrams unasked within 1250 ms while the SA was half-open",
                                      "answers the same SA with different bytes 1000 ms later"}));
  const auto n = measured(answer(0xcccc, 1), {});
  EXPECT_EQ(retransmit_verdicts(n)[0], "treats the IKE_SA_INIT re-sent 250 ms after its response as a new exchange: "
                                       "new responder SPI 000000000000cccc instead of 000000000000aaaa");
  EXPECT_EQ(retransmit_verdicts(n)[2], "does not answer the same request 1000 ms later");
}

TEST(IkeHalfOpen, SectionKeepsTheEvidence) {
  const auto s = retransmit_section(measured(answer(0xaaaa, 1), answer(0xaaaa, 1)), "ike://127.0.0.1:500");
  EXPECT_EQ(s.kind, "probe");
  std::vector<std::string> names;
  for (const auto& f : s.fields) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"behaviour", "datagrams", "first_answer", "first_resend_after_ms",
                                             "answer_to_first_resend", "listening_window_ms", "unsolicited_datagrams",
                                             "answer_to_second_resend"}));
  EXPECT_EQ(s.fields[1].value, "3 sent, 3 received");
  const Field& resend = s.fields[4];
  EXPECT_EQ(resend.value, "33 bytes");
  ASSERT_EQ(resend.children.size(), 3u);
  EXPECT_EQ(resend.children[0].value, "000000000000aaaa");
  EXPECT_EQ(resend.children[1].value, "identical");
  EXPECT_EQ(resend.children[2].value, "0102030405060708000000000000aaaa2b2022200000000000000021");
}

TEST(IkeHalfOpen, ACheckThatDidNotRunSaysWhy) {
  RetransmitCheck c;
  c.skipped = "the responder asked for a COOKIE, so it keeps no state for the request";
  c.sent = 1;
  c.received = 1;
  EXPECT_EQ(retransmit_verdicts(c), (std::vector<std::string>{"not measured: " + c.skipped}));
  const auto s = retransmit_section(c, "ike://127.0.0.1:500");
  ASSERT_EQ(s.fields.size(), 2u);
  EXPECT_EQ(s.fields[0].value, "not measured");
}

}  // namespace
}  // namespace sd::probe::ike

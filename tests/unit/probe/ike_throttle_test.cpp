// The IKE probe's "throttled" field: a COOKIE challenge, or silence after the responder had already answered.
#include <gtest/gtest.h>

#include "probe/ike/ike_probe.h"

namespace sd::probe::ike {
namespace {

ExchangeResult answered() {
  ExchangeResult r;
  r.outcome = Outcome::protocol_error;
  r.response = sd::ike::Message{};
  return r;
}

ExchangeResult silent() { return ExchangeResult{}; }  // no response

std::string throttled(const GatewayFacts& facts) {
  const auto s = facts_section(facts, "ike://127.0.0.1:500");
  for (const auto& f : s.fields)
    if (f.name == "throttled") return f.value;
  return "(missing)";
}

TEST(IkeThrottle, NothingAnsweredIsNotThrottling) {
  GatewayFacts f;
  f.exchanges = {silent(), silent()};
  EXPECT_EQ(throttled(f), "no");
}

TEST(IkeThrottle, SilenceAfterAnswers) {
  GatewayFacts f;
  f.exchanges = {silent(), answered(), silent(), answered(), silent()};
  EXPECT_EQ(throttled(f), "yes: 2 exchanges unanswered after earlier answers (half-open or rate limit)");
}

TEST(IkeThrottle, CookieChallenge) {
  GatewayFacts f;
  f.cookie = true;
  f.exchanges = {answered()};
  EXPECT_EQ(throttled(f), "yes: COOKIE challenge (the responder's cookie threshold of half-open SAs was reached)");
  f.exchanges.push_back(silent());
  EXPECT_EQ(throttled(f), "yes: COOKIE challenge, then 1 exchange unanswered");
}

}  // namespace
}  // namespace sd::probe::ike

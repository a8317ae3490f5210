#include <gtest/gtest.h>

#include "probe/probe.h"

namespace sd::probe {
namespace {

// These tests need at least one registered kind; they use whichever is first.
TEST(ParseUrl, RejectsWhatIsNotAUrl) {
  std::string error;
  EXPECT_FALSE(parse_url("127.0.0.1:21", error));
  EXPECT_NE(error.find("scheme://host"), std::string::npos);
  EXPECT_FALSE(parse_url("gopher://x", error));
  EXPECT_NE(error.find("'gopher' is not a probe scheme"), std::string::npos);
}

TEST(ParseUrl, HostPortAndIpv6) {
  if (probe_kinds().empty()) GTEST_SKIP() << "no probe kind registered yet";
  const auto& kind = probe_kinds().front();
  const std::string s(kind.scheme);
  std::string error;
  auto a = parse_url(s + "://127.0.0.1:2121", error);
  ASSERT_TRUE(a) << error;
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 2121);
  auto b = parse_url(s + "://[::1]:4433/x", error);
  ASSERT_TRUE(b) << error;
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->port, 4433);
  EXPECT_EQ(b->path, "/x");
  auto c = parse_url(s + "://example.test", error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->port, kind.default_port);
  EXPECT_FALSE(parse_url(s + "://::1:443", error));
  EXPECT_NE(error.find("needs brackets"), std::string::npos);
  EXPECT_FALSE(parse_url(s + "://h:70000", error));
  EXPECT_FALSE(parse_url(s + "://h:", error));
  EXPECT_FALSE(parse_url(s + "://:22", error));
  EXPECT_FALSE(parse_url(s + "://[::1", error));
}

}  // namespace
}  // namespace sd::probe

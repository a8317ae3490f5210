#include <gtest/gtest.h>

#include <string>

#include "wire/ssh/describe.h"
#include "wire/ssh/ident.h"
#include "wire/ssh/writer.h"

namespace sd::ssh {
namespace {

Result<Identification> parse(const std::string& text, const IdentLimits& limits = {}) {
  const ByteVec bytes(text.begin(), text.end());
  return parse_identification(bytes, 0, limits);
}

TEST(Identification, SplitsVersionSoftwareAndComments) {
  const auto id = parse("SSH-2.0-OpenSSH_8.0 AIX 7.2\r\nrest");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->proto_version, "2.0");
  EXPECT_EQ(id->software_version, "OpenSSH_8.0");
  EXPECT_EQ(id->comments, "AIX 7.2");
  EXPECT_EQ(id->consumed, 29u);
  EXPECT_EQ(id->length, 29u);
  EXPECT_TRUE(id->crlf);
  EXPECT_TRUE(id->deviations.empty());
}

TEST(Identification, KeepsPreBannerLines) {
  const auto id = parse("Welcome to z/OS\r\nAuthorized users only\r\nSSH-1.99-Cisco-1.25\r\n");
  ASSERT_TRUE(id.ok());
  ASSERT_EQ(id->pre_banner.size(), 2u);
  EXPECT_EQ(id->pre_banner[0].text, "Welcome to z/OS");
  EXPECT_EQ(id->pre_banner[1].offset, 17u);
  EXPECT_EQ(id->offset, 40u);
  EXPECT_EQ(id->proto_version, "1.99");
  EXPECT_EQ(id->software_version, "Cisco-1.25");
  EXPECT_TRUE(id->comments.empty());
  const Field f = describe(*id);
  EXPECT_EQ(f.child("software_version")->offset, 49u);
  EXPECT_EQ(f.child("pre_banner_line")->value, "Welcome to z/OS");
}

TEST(Identification, BareLineFeedIsADeviationNotAnError) {
  const auto id = parse("SSH-2.0-dropbear_2022.83\n");
  ASSERT_TRUE(id.ok());
  EXPECT_FALSE(id->crlf);
  ASSERT_EQ(id->deviations.size(), 1u);
  EXPECT_NE(id->deviations[0].find("without CR"), std::string::npos);
}

TEST(Identification, SshOneIsFlagged) {
  const auto id = parse("SSH-1.5-OldServer\r\n");
  ASSERT_TRUE(id.ok());
  ASSERT_EQ(id->deviations.size(), 1u);
  EXPECT_EQ(id->deviations[0], "protocol version 1.5 is not SSH 2.0");
}

TEST(Identification, OverlongLineIsADeviation) {
  const std::string line = "SSH-2.0-" + std::string(300, 'x') + "\r\n";
  const auto id = parse(line);
  ASSERT_TRUE(id.ok());
  ASSERT_EQ(id->deviations.size(), 1u);
  EXPECT_EQ(id->deviations[0], "line is 310 bytes, over the 255 of RFC 4253 §4.2");
}

TEST(Identification, UnfinishedLineNeedsMore) {
  for (const std::string partial : {"", "SS", "SSH-2.0-Open", "banner text\r\nSSH-2.0"}) {
    const auto id = parse(partial);
    ASSERT_FALSE(id.ok()) << partial;
    EXPECT_EQ(id.error().status, ParseStatus::need_more) << partial;
  }
}

TEST(Identification, EndlessLineIsMalformedAtTheCap) {
  const auto id = parse("SSH-2.0-" + std::string(9000, 'a'));
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().status, ParseStatus::malformed);
  EXPECT_EQ(id.error().code, "line_too_long");
  EXPECT_EQ(id.error().offset, 0u);
}

TEST(Identification, EndlessPreBannerIsMalformed) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += "noise\r\n";
  const auto id = parse(text, IdentLimits{8192, 10});
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, "too_many_lines");
  EXPECT_EQ(id.error().offset, 70u);
}

TEST(Identification, BrokenLinesAreMalformed) {
  const auto no_dash = parse("SSH-2.0\r\n");
  ASSERT_FALSE(no_dash.ok());
  EXPECT_EQ(no_dash.error().path, "identification.proto_version");
  const auto no_software = parse("SSH-2.0-\r\n");
  ASSERT_FALSE(no_software.ok());
  EXPECT_EQ(no_software.error().path, "identification.software_version");
  EXPECT_EQ(no_software.error().offset, 8u);
  const auto nul = parse(std::string("SSH-2.0-a\0b\r\n", 13));
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().code, "nul_in_identification");
}

TEST(Identification, WriterRoundTrips) {
  const ByteVec line = write_identification("shakedown_0.1", "probe");
  EXPECT_EQ(std::string(line.begin(), line.end()), "SSH-2.0-shakedown_0.1 probe\r\n");
  const auto id = parse_identification(line);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->software_version, "shakedown_0.1");
  EXPECT_EQ(id->comments, "probe");
}

}  // namespace
}  // namespace sd::ssh

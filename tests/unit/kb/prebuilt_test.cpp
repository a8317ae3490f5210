// The serialised databases: a round trip gives the same findings without compiling; bytes made from other
// patterns, or damaged bytes, are refused and the KB is compiled instead.
#include <gtest/gtest.h>

#include "kb/matcher.h"
#include "logs/format.h"

namespace sd::kb {
namespace {

const char* kRule = R"(
id: test.pre
title: P
family: test
protocols: [tls]
platforms: [linux]
severity: high
signals:
  - name: one
    regex: 'handshake (failed|refused) rc=[0-9]+'
  - name: two
    literal: 'EZA2897I'
    optional: true
cause: c
change_side: server
fixes: [{side: server, summary: s}]
references: [{id: RFC 1}]
tests: [{file: f, source: s}]
)";

Kb kb_of(const std::string& text) { return load_text("t.yaml", text).kb; }

std::unique_ptr<Matcher> build(const std::string& text, std::string_view prebuilt = {}) {
  std::vector<KbError> errors;
  auto m = Matcher::compile(kb_of(text), errors, prebuilt);
  EXPECT_TRUE(errors.empty());
  return m;
}

std::vector<std::string> ids_for(const Matcher& m, const std::string& text) {
  Scan scan(m);
  for (const auto& ev : logs::read_text(text, "t")) scan.feed(ev);
  std::vector<std::string> ids;
  for (const auto& f : scan.finish().findings) ids.push_back(f.id);
  return ids;
}

std::vector<std::size_t> ends_for(const Matcher& m, std::string_view chunk) {
  Scan scan(m);
  std::vector<std::size_t> ends;
  scan.match_ends(chunk, ends);
  return ends;
}

TEST(Prebuilt, RoundTripLoadsInsteadOfCompilingAndFindsTheSame) {
  const auto compiled = build(kRule);
  ASSERT_NE(compiled, nullptr);
  EXPECT_FALSE(compiled->prebuilt());
  const std::string bytes = compiled->serialize();
  ASSERT_GT(bytes.size(), 13u);
  EXPECT_EQ(bytes.substr(0, 5), "SDKB1");
  const auto loaded = build(kRule, bytes);
  ASSERT_NE(loaded, nullptr);
  EXPECT_TRUE(loaded->prebuilt());
  EXPECT_EQ(loaded->pattern_count(), 2u);
  const std::string log = "x\nhandshake refused rc=402\nEZA2897I Authentication negotiation failed\n";
  EXPECT_EQ(ids_for(*loaded, log), std::vector<std::string>{"test.pre"});
  EXPECT_EQ(ends_for(*loaded, log), (std::vector<std::size_t>{24, 25, 26, 35}));  // every end of rc=4, 40, 402
  EXPECT_EQ(ends_for(*compiled, log), ends_for(*loaded, log));
}

TEST(Prebuilt, BytesFromOtherPatternsAreRefused) {
  const std::string bytes = build(kRule)->serialize();
  std::string other = kRule;
  other.replace(other.find("rc=[0-9]+"), 9, "rc=[0-9]{3}");
  const auto m = build(other, bytes);
  ASSERT_NE(m, nullptr);
  EXPECT_FALSE(m->prebuilt());
  EXPECT_TRUE(ids_for(*m, "handshake failed rc=8\n").empty());
  EXPECT_EQ(ids_for(*m, "handshake failed rc=420\n"), std::vector<std::string>{"test.pre"});
}

TEST(Prebuilt, DamagedOrTruncatedBytesAreRefused) {
  const std::string bytes = build(kRule)->serialize();
  for (const std::string& bad : {bytes.substr(0, bytes.size() - 1), bytes + "x", std::string("SDKB1"),
                                 std::string("garbage that is not a database at all")}) {
    const auto m = build(kRule, bad);
    ASSERT_NE(m, nullptr);
    EXPECT_FALSE(m->prebuilt());
    EXPECT_EQ(ids_for(*m, "handshake failed rc=1\n"), std::vector<std::string>{"test.pre"});
  }
}

}  // namespace
}  // namespace sd::kb

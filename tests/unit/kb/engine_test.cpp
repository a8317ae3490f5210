// The matching engine on small rules: literals, groups, optional signals, order, conditions, ranking.
#include <gtest/gtest.h>

#include "kb/matcher.h"
#include "logs/format.h"

namespace sd::kb {
namespace {

const char* kRuleA = R"(
id: test.a
title: A
family: test
protocols: [tls]
platforms: [linux]
severity: high
specificity: 50
signals:
  - name: first
    literal: 'x.y(z)'
  - name: second
    regex: 'late line [0-9]+'
    after: first
  - name: bonus
    literal: bonus
    optional: true
cause: c
change_side: server
fixes: [{side: server, summary: s}]
references: [{id: RFC 1}]
tests: [{file: f, source: s}]
)";

const char* kRuleB = R"(
id: test.b
title: B
family: test
protocols: [tls]
platforms: [linux]
severity: high
specificity: 90
signals:
  - name: one
    regex: 'alpha'
    group: g
  - name: two
    regex: 'beta'
    group: g
    formats: [sshd]
cause: c
change_side: client
fixes: [{side: client, summary: s}]
references: [{id: RFC 2}]
tests: [{file: f, source: s}]
)";

std::unique_ptr<Matcher> compile(std::initializer_list<const char*> texts) {
  Kb kb;
  for (const auto* t : texts) {
    auto l = load_text("t.yaml", t);
    EXPECT_TRUE(l.errors.empty());
    for (auto& r : l.kb.rules) kb.rules.push_back(std::move(r));
  }
  std::vector<KbError> errors;
  auto m = Matcher::compile(std::move(kb), errors);
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

TEST(Engine, LiteralsAreNotRegexes) {
  const auto m = compile({kRuleA});
  EXPECT_EQ(ids_for(*m, "x.y(z)\nlate line 7\n"), std::vector<std::string>{"test.a"});
  EXPECT_TRUE(ids_for(*m, "xzy(z)\nlate line 7\n").empty());
}

TEST(Engine, OrderConstraintIsEnforced) {
  const auto m = compile({kRuleA});
  EXPECT_TRUE(ids_for(*m, "late line 7\nx.y(z)\n").empty());
}

TEST(Engine, OptionalSignalsRaiseConfidenceOnly) {
  const auto m = compile({kRuleA});
  Scan without(*m), with(*m);
  for (const auto& ev : logs::read_text("x.y(z)\nlate line 1\n", "t")) without.feed(ev);
  for (const auto& ev : logs::read_text("x.y(z)\nbonus\nlate line 1\n", "t")) with.feed(ev);
  const auto a = without.finish(), b = with.finish();
  ASSERT_EQ(a.findings.size(), 1u);
  ASSERT_EQ(b.findings.size(), 1u);
  EXPECT_LT(a.findings[0].confidence, b.findings[0].confidence);
  EXPECT_EQ(b.findings[0].evidence.size(), 3u);
  EXPECT_EQ(b.findings[0].evidence[1].line, 2u);
  EXPECT_EQ(b.findings[0].evidence[1].text, "bonus");
}

TEST(Engine, AnySignalOfAGroupIsEnoughAndFormatsFilter) {
  const auto m = compile({kRuleB});
  EXPECT_EQ(ids_for(*m, "alpha\n"), std::vector<std::string>{"test.b"});
  EXPECT_TRUE(ids_for(*m, "beta\n").empty());  // beta only counts in sshd logs
  EXPECT_EQ(ids_for(*m, "Nov 22 01:02:03 h sshd[1]: beta\n"), std::vector<std::string>{"test.b"});
}

TEST(Engine, MoreSpecificRulesRankFirst) {
  const auto m = compile({kRuleA, kRuleB});
  EXPECT_EQ(ids_for(*m, "x.y(z)\nlate line 1\nalpha\n"), (std::vector<std::string>{"test.b", "test.a"}));
}

TEST(Engine, NothingMatchedStillCountsWhatWasRecognised) {
  const auto m = compile({kRuleA});
  Scan scan(*m);
  for (const auto& ev : logs::read_text("debug1: Connecting to h port 22.\nhello\n", "t")) scan.feed(ev);
  const auto d = scan.finish();
  EXPECT_TRUE(d.findings.empty());
  EXPECT_EQ(d.events, 2u);
  EXPECT_EQ(d.recognised.at("openssh-client").at("ssh.debug"), 1u);
  EXPECT_EQ(d.recognised.at("plain").at("plain"), 1u);
}

TEST(Engine, BadRegexIsReportedWithRuleAndSignal) {
  std::string bad = kRuleB;
  bad.replace(bad.find("'alpha'"), 7, "'(unclosed'");
  Kb kb = load_text("t.yaml", bad).kb;
  std::vector<KbError> errors;
  EXPECT_EQ(Matcher::compile(std::move(kb), errors), nullptr);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "test.b");
  EXPECT_NE(errors[0].message.find("signal one"), std::string::npos);
}

// The serialised databases: a round trip gives the same findings without compiling; bytes made from other
// patterns, or damaged bytes, are refused and the KB is compiled instead.
const char* kPrebuiltRule = R"(
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

// Compiles one rule's text, or loads it from prebuilt bytes when they fit.
std::unique_ptr<Matcher> build(const std::string& text, std::string_view prebuilt = {}) {
  std::vector<KbError> errors;
  auto m = Matcher::compile(load_text("t.yaml", text).kb, errors, prebuilt);
  EXPECT_TRUE(errors.empty());
  return m;
}

std::vector<std::size_t> ends_for(const Matcher& m, std::string_view chunk) {
  Scan scan(m);
  std::vector<std::size_t> ends;
  scan.match_ends(chunk, ends);
  return ends;
}

TEST(Prebuilt, RoundTripLoadsInsteadOfCompilingAndFindsTheSame) {
  const auto compiled = build(kPrebuiltRule);
  ASSERT_NE(compiled, nullptr);
  EXPECT_FALSE(compiled->prebuilt());
  const std::string bytes = compiled->serialize();
  ASSERT_GT(bytes.size(), 13u);
  EXPECT_EQ(bytes.substr(0, 5), "SDKB1");
  const auto loaded = build(kPrebuiltRule, bytes);
  ASSERT_NE(loaded, nullptr);
  EXPECT_TRUE(loaded->prebuilt());
  EXPECT_EQ(loaded->pattern_count(), 2u);
  const std::string log = "x\nhandshake refused rc=402\nEZA2897I Authentication negotiation failed\n";
  EXPECT_EQ(ids_for(*loaded, log), std::vector<std::string>{"test.pre"});
  EXPECT_EQ(ends_for(*loaded, log), (std::vector<std::size_t>{24, 25, 26, 35}));  // every end of rc=4, 40, 402
  EXPECT_EQ(ends_for(*compiled, log), ends_for(*loaded, log));
}

TEST(Prebuilt, BytesFromOtherPatternsAreRefused) {
  const std::string bytes = build(kPrebuiltRule)->serialize();
  std::string other = kPrebuiltRule;
  other.replace(other.find("rc=[0-9]+"), 9, "rc=[0-9]{3}");
  const auto m = build(other, bytes);
  ASSERT_NE(m, nullptr);
  EXPECT_FALSE(m->prebuilt());
  EXPECT_TRUE(ids_for(*m, "handshake failed rc=8\n").empty());
  EXPECT_EQ(ids_for(*m, "handshake failed rc=420\n"), std::vector<std::string>{"test.pre"});
}

TEST(Prebuilt, DamagedOrTruncatedBytesAreRefused) {
  const std::string bytes = build(kPrebuiltRule)->serialize();
  for (const std::string& bad : {bytes.substr(0, bytes.size() - 1), bytes + "x", std::string("SDKB1"),
                                 std::string("garbage that is not a database at all")}) {
    const auto m = build(kPrebuiltRule, bad);
    ASSERT_NE(m, nullptr);
    EXPECT_FALSE(m->prebuilt());
    EXPECT_EQ(ids_for(*m, "handshake failed rc=1\n"), std::vector<std::string>{"test.pre"});
  }
}

TEST(Conditions, ParseAndEvaluate) {
  const auto c = parse_condition("decoded.max_version < tls1.2");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->field, "decoded.max_version");
  EXPECT_EQ(c->op, "<");
  EXPECT_EQ(c->value, "tls1.2");
  EXPECT_FALSE(parse_condition("decoded.nonsense == 1"));
  EXPECT_FALSE(parse_condition("no operator here"));
  const auto rc = parse_condition("attr.rc == 410");
  ASSERT_TRUE(rc);
  EXPECT_EQ(rc->field, "attr.rc");
}

TEST(Schema, MissingFieldsAreNamed) {
  const auto l = load_text("bad.yaml", "id: Bad Id\ntitle: t\nseverity: high\n");
  const auto errors = check(l.kb);
  std::set<std::string> messages;
  for (const auto& e : errors) messages.insert(e.message);
  EXPECT_TRUE(messages.count("signals is required"));
  EXPECT_TRUE(messages.count("tests (at least one case of real text) is required"));
  EXPECT_TRUE(messages.count("id may hold only a-z, 0-9, '-' and '.'"));
}

TEST(Schema, YamlSyntaxErrorIsAnErrorNotAThrow) {
  const auto l = load_text("broken.yaml", "id: [unclosed\n");
  EXPECT_TRUE(l.kb.rules.empty());
  ASSERT_EQ(l.errors.size(), 1u);
  EXPECT_EQ(l.errors[0].where, "broken.yaml");
}

}  // namespace
}  // namespace sd::kb

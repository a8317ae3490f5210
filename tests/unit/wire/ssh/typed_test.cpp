// The typed message vectors of tests/vectors/ssh/typed.tsv: every message type, valid and broken.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "vectors.h"
#include "wire/ssh/describe.h"
#include "wire/ssh/messages.h"

namespace sd::ssh {
namespace {

struct TypedCase {
  std::string name, kex, auth, hex, status, path, offset, fields, note;
};

std::vector<TypedCase> typed_cases() {
  std::vector<TypedCase> out;
  for (auto row : testing::vector_rows("typed.tsv")) {
    row.resize(9);
    out.push_back({row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8]});
  }
  return out;
}

/// The field at a dotted path of child names ("host_key.bits"), or nullptr.
const Field* at_path(const Field& root, const std::string& path) {
  const Field* f = &root;
  std::istringstream parts(path);
  std::string part;
  while (f && std::getline(parts, part, '.')) f = f->child(part);
  return f;
}

/// Splits "a=1;b.c=2" into pairs.
std::vector<std::pair<std::string, std::string>> expectations(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream items(text);
  std::string item;
  while (std::getline(items, item, ';')) {
    const auto eq = item.find('=');
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

TEST(TypedVectors, EveryCaseGivesItsExpectedFieldsOrError) {
  const auto cases = typed_cases();
  ASSERT_GE(cases.size(), 60u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const ByteVec payload = from_hex(c.hex).value();
    const Context context{c.kex == "-" ? KexFamily::unknown : kex_family(c.kex), c.auth == "-" ? "" : c.auth};
    const auto m = parse_message(payload, 0, context);
    if (c.status == "malformed") {
      ASSERT_FALSE(m.ok());
      EXPECT_EQ(m.error().status, ParseStatus::malformed);
      EXPECT_EQ(m.error().path, c.path);
      EXPECT_EQ(m.error().offset, std::stoul(c.offset));
      EXPECT_EQ("code=" + m.error().code, c.fields);
      continue;
    }
    ASSERT_TRUE(m.ok()) << m.error().path << " @" << m.error().offset << ": " << m.error().message;
    const Field f = describe(*m);
    for (const auto& [path, value] : expectations(c.fields)) {
      const Field* got = at_path(f, path);
      ASSERT_NE(got, nullptr) << path;
      EXPECT_EQ(got->value, value) << path;
    }
  }
}

TEST(TypedVectors, FieldOffsetsPointAtTheirBytes) {
  for (const auto& c : typed_cases()) {
    if (c.status != "ok") continue;
    SCOPED_TRACE(c.name);
    const ByteVec payload = from_hex(c.hex).value();
    const auto m = parse_message(payload, 100, Context{kex_family(c.kex), c.auth == "-" ? "" : c.auth});
    ASSERT_TRUE(m.ok());
    const Field f = describe(*m);
    for (const auto& child : f.children) {
      if (child.length == 0) continue;
      EXPECT_GE(child.offset, 100u) << child.name;
      EXPECT_LE(child.offset + child.length, 100 + payload.size()) << child.name;
    }
  }
}

}  // namespace
}  // namespace sd::ssh

namespace sd::ssh {
namespace {

/// Every value in the tree, flattened, to search for leaked secrets.
void collect(const Field& f, std::string& out) {
  out += f.value + "\n";
  for (const auto& c : f.children) collect(c, out);
}

TEST(TypedVectors, SecretsLeaveNoTrace) {
  const std::pair<const char*, const char*> cases[] = {
      {"userauth_password", "hunter2"}, {"userauth_password_change", "new-one"}, {"userauth_info_response", "s3cret"}};
  for (const auto& [name, secret] : cases) {
    SCOPED_TRACE(name);
    const auto all = typed_cases();
    const auto c = std::find_if(all.begin(), all.end(), [&](const TypedCase& t) { return t.name == name; });
    ASSERT_NE(c, all.end());
    const ByteVec payload = from_hex(c->hex).value();
    const auto m = parse_message(payload, 0, Context{KexFamily::unknown, c->auth == "-" ? "" : c->auth});
    ASSERT_TRUE(m.ok());
    std::string text;
    collect(describe(*m), text);
    EXPECT_EQ(text.find(secret), std::string::npos);
    EXPECT_NE(text.find("<redacted>"), std::string::npos);
    EXPECT_EQ(std::string(m->payload.begin(), m->payload.end()).find(secret), std::string::npos);
  }
}

}  // namespace
}  // namespace sd::ssh

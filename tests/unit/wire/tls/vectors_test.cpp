// Runs every tests/vectors/tls/*.vec file: hex bytes, decoded as one dump, against the expected facts.
//
// A file holds blocks that start with "[name]"; then "key = value" lines, '#' comments:
//   hex = …                      the bytes (may repeat; the pieces are joined)
//   count = N                    how many messages the dump decodes into
//   N.message = ClientHello      Summary::message of message N (0-based), likewise
//   N.kind, N.max_version, N.record_version (hex), N.cipher_suites (hex list), N.extensions (decimal list),
//   N.alert ("fatal handshake_failure"), N.plaintext, N.plaintext_kind, N.has_sni, N.empty_ca_list (true/false),
//   N.error (need_more|malformed), N.error_code, N.field (path/with/names[value]=expected value)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "wire/decode/decode.h"

namespace sd {
namespace {

struct Vector {
  std::string file;
  std::string name;
  std::string hex;
  std::vector<std::pair<std::string, std::string>> expect;
};

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r");
  const auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<Vector> load_all() {
  std::vector<Vector> out;
  const std::filesystem::path dir = std::filesystem::path(SD_SOURCE_DIR) / "tests/vectors/tls";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".vec") continue;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      line = trim(line);
      if (line.empty() || line[0] == '#') continue;
      if (line.front() == '[') {
        out.push_back({entry.path().filename().string(), line.substr(1, line.size() - 2), {}, {}});
        continue;
      }
      const auto eq = line.find('=');
      if (out.empty() || eq == std::string::npos) continue;
      const std::string key = trim(line.substr(0, eq));
      const std::string value = trim(line.substr(eq + 1));
      if (key == "hex") out.back().hex += value;
      else out.back().expect.emplace_back(key, value);
    }
  }
  return out;
}

std::string hex_list(const std::vector<std::uint16_t>& v) {
  std::string s;
  for (const auto x : v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04x", x);
    s += (s.empty() ? "" : ",") + std::string(buf);
  }
  return s;
}

std::string dec_list(const std::vector<std::uint16_t>& v) {
  std::string s;
  for (const auto x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s;
}

std::string opt_hex(const std::optional<std::uint16_t>& v) { return v ? hex_list({*v}) : "none"; }

/// The child named `part` ("name", or "name[value]" to pick by value), or nullptr.
const Field* step(const std::vector<Field>& children, const std::string& part) {
  const auto open = part.find('[');
  const std::string name = part.substr(0, open);
  const std::string value = open == std::string::npos ? std::string() : part.substr(open + 1, part.size() - open - 2);
  for (const auto& c : children)
    if (c.name == name && (value.empty() || c.value == value)) return &c;
  return nullptr;
}

/// Follows a/b[v]/c through the message's field trees; the value of the last, or "<missing>".
std::string field_at(const decode::Message& m, const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream ss(path);
  for (std::string p; std::getline(ss, p, '/');) parts.push_back(p);
  const Field* at = step(m.fields, parts[0]);
  for (std::size_t i = 1; at && i < parts.size(); ++i) at = step(at->children, parts[i]);
  return at ? at->value : "<missing>";
}

std::string actual(const decode::Message& m, const std::string& what, const std::string& arg) {
  const auto& s = m.summary;
  if (what == "message") return s.message;
  if (what == "kind") return m.kind;
  if (what == "max_version") return opt_hex(s.max_version);
  if (what == "record_version") return opt_hex(s.record_version);
  if (what == "cipher_suites") return hex_list(s.cipher_suites);
  if (what == "extensions") return dec_list(s.extensions);
  if (what == "alert") return s.alert_level + " " + s.alert_description;
  if (what == "plaintext") return s.plaintext;
  if (what == "plaintext_kind") return s.plaintext_kind;
  if (what == "has_sni") return s.has_sni ? "true" : "false";
  if (what == "empty_ca_list") return s.cert_request_empty_ca_list ? "true" : "false";
  if (what == "error") return !m.error ? "none" : (m.error->need_more() ? "need_more" : "malformed");
  if (what == "error_code") return m.error ? m.error->code : "none";
  if (what == "field") return field_at(m, arg.substr(0, arg.find('='))) ;
  return "<unknown key " + what + ">";
}

TEST(TlsVectors, EveryVectorDecodesAsExpected) {
  const auto vectors = load_all();
  ASSERT_GE(vectors.size(), 20u);
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.file + " [" + v.name + "]");
    const auto bytes = from_hex(v.hex);
    ASSERT_TRUE(bytes.has_value());
    hexdump::Dump d;
    d.format = "plain";
    d.bytes = *bytes;
    d.byte_lines.assign(bytes->size(), 1);
    const auto messages = decode::decode_dump(d);
    for (const auto& [key, want] : v.expect) {
      if (key == "count") {
        EXPECT_EQ(std::to_string(messages.size()), want);
        continue;
      }
      const auto dot = key.find('.');
      const std::size_t index = std::stoul(key.substr(0, dot));
      ASSERT_LT(index, messages.size()) << key;
      const std::string what = key.substr(dot + 1);
      if (what == "field") {
        EXPECT_EQ(actual(messages[index], what, want), want.substr(want.find('=') + 1)) << key << " " << want;
      } else {
        EXPECT_EQ(actual(messages[index], what, want), want) << key;
      }
    }
  }
}

}  // namespace
}  // namespace sd

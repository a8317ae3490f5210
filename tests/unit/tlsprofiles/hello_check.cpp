#include "hello_check.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "wire/tls/builder.h"
#include "wire/tls/extensions.h"
#include "wire/tls/parse.h"
#include "wire/tls/registry.h"

namespace sd::tlsprofiles::test {
namespace {

std::vector<std::uint16_t> without_grease(std::vector<std::uint16_t> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](std::uint16_t x) { return tls::registry::is_grease(x); }), v.end());
  return v;
}

std::vector<std::uint16_t> list_of(const tls::ClientHello& h, std::uint16_t type) {
  const auto* e = tls::find_extension(h.extensions, type);
  return e ? without_grease(tls::u16_list(*e)) : std::vector<std::uint16_t>{};
}

/// Groups that carry a key share.
std::vector<std::uint16_t> key_share_groups(const tls::ClientHello& h) {
  std::vector<std::uint16_t> out;
  for (const auto& share : key_shares_of(h)) out.push_back(share.first);
  return without_grease(out);
}

std::vector<std::uint16_t> extension_types(const tls::ClientHello& h) {
  std::vector<std::uint16_t> out;
  for (const auto& e : h.extensions) out.push_back(e.type);
  return without_grease(out);
}

}  // namespace

std::vector<std::pair<std::uint16_t, ByteVec>> key_shares_of(const tls::ClientHello& h) {
  std::vector<std::pair<std::uint16_t, ByteVec>> out;
  const auto* e = tls::find_extension(h.extensions, 51);
  if (!e) return out;
  auto body = Reader::bounded(e->data);
  auto list = body.prefixed(2);
  while (list && !list->empty()) {
    const auto group = list->u16();
    auto key = list->prefixed(2);
    if (!group || !key) break;
    const Bytes value = key->take_rest();
    out.emplace_back(*group, ByteVec(value.begin(), value.end()));
  }
  return out;
}

std::optional<CapturedHello> parse_hello_record(Bytes record) {
  auto in = Reader::bounded(record);
  const auto rec = tls::read_record(in);
  EXPECT_TRUE(rec.ok()) << (rec ? "" : rec.error().message);
  if (!rec) return std::nullopt;
  auto body = Reader::bounded(rec->fragment, rec->fragment_offset);
  const auto hs = tls::read_handshake(body);
  EXPECT_TRUE(hs.ok()) << (hs ? "" : hs.error().message);
  if (!hs || !std::holds_alternative<tls::ClientHello>(hs->body)) return std::nullopt;
  return CapturedHello{rec->version, std::get<tls::ClientHello>(hs->body)};
}

void expect_profile_matches(const ClientProfile& p, const CapturedHello& c) {
  SCOPED_TRACE(p.id);
  const auto& h = c.hello;
  EXPECT_EQ(p.versions.value.record_version, c.record_version);
  EXPECT_EQ(p.versions.value.legacy_version, h.legacy_version);
  EXPECT_EQ(p.versions.value.supported, without_grease(tls::offered_versions(h)));
  EXPECT_EQ(p.versions.value.max, tls::highest_offered_version(h));
  EXPECT_EQ(p.cipher_suites.value, without_grease(h.cipher_suites));
  EXPECT_EQ(p.extensions_block.value, h.has_extensions_block);
  EXPECT_EQ(p.extensions.value, extension_types(h));
  EXPECT_EQ(p.groups.value, list_of(h, 10));
  EXPECT_EQ(p.signature_schemes.value, list_of(h, 13));
  EXPECT_EQ(p.key_share_groups.value, key_share_groups(h));
}

namespace {

std::optional<ByteVec> hex_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string line, hex;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') hex += line;
  return from_hex(hex);
}

}  // namespace

std::optional<ByteVec> vector_bytes(const std::string& id) {
  return hex_file(std::string(SD_SOURCE_DIR) + "/tests/vectors/profiles/tls/" + id + ".hex");
}

ByteVec capture_bytes(const std::string& name) {
  auto bytes = hex_file(std::string(SD_SOURCE_DIR) + "/tests/unit/tlsprofiles/captures/" + name + ".hex");
  EXPECT_TRUE(bytes.has_value()) << name;
  return bytes.value_or(ByteVec{});
}

void expect_rebuilds(const ClientProfile& profile, const ByteVec& record) {
  SCOPED_TRACE(profile.id);
  const auto captured = parse_hello_record(record);
  ASSERT_TRUE(captured.has_value());
  expect_profile_matches(profile, *captured);
  auto spec = hello_for(profile, tls::server_name(captured->hello));
  EXPECT_EQ(spec.session_id.size(), captured->hello.session_id.size());
  const auto shares = key_shares_of(captured->hello);
  ASSERT_EQ(spec.key_shares.size(), shares.size());
  for (std::size_t i = 0; i < shares.size(); ++i)
    EXPECT_EQ(spec.key_shares[i].second.size(), shares[i].second.size());  // placeholders have the real size
  spec.random = captured->hello.random;
  spec.session_id = captured->hello.session_id;
  spec.key_shares = shares;
  EXPECT_EQ(to_hex(tls::build_client_hello_record(spec)), to_hex(record));
}

}  // namespace sd::tlsprofiles::test

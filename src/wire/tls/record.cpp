// Records, the SSL 2.0-format ClientHello, alerts and extension blocks.
#include <algorithm>

#include "wire/tls/parse.h"
#include "wire/tls/registry.h"

namespace sd::tls {

bool looks_like_record_header(Bytes b) {
  Reader r = Reader::bounded(b);
  const auto type = r.u8();
  const auto version = r.u16();
  const auto length = r.u16();
  if (!type || !version || !length) return false;
  const bool known_type = registry::find_named(registry::Names::content_type, *type) != nullptr;
  return known_type && (*version >> 8) == 3 && (*version & 0xff) <= 4 && *length <= kMaxFragment;
}

Result<Record> read_record_header(Reader& in) {
  Record rec;
  rec.offset = in.offset();
  const auto first = in.peek_u8();
  const bool bad_type = first && !registry::find_named(registry::Names::content_type, *first);
  if (bad_type || (in.remaining() >= 5 && !looks_like_record_header(in.rest().first(5))))
    return malformed(in.offset(), "record", "not_a_record", "the first bytes are not a TLS record header");
  const auto type = in.u8();
  const auto version = in.u16();
  const auto length = in.u16();
  if (!type || !version || !length) return in.fail("record.header");
  rec.content_type = *type;
  rec.version = *version;
  rec.length = *length;
  rec.fragment_offset = in.offset();
  return rec;
}

Result<Record> read_record(Reader& in) {
  Reader header = in;
  auto rec = read_record_header(header);
  if (!rec) return rec;
  in.skip(3);
  auto body = in.prefixed(2);
  if (!body) return in.fail("record.fragment");
  const Bytes b = body->take_rest();
  rec.value().fragment.assign(b.begin(), b.end());
  return rec;
}

bool looks_like_sslv2_client_hello(Bytes b) {
  Reader r = Reader::bounded(b);
  const auto head = r.u16();
  const auto type = r.u8();
  const auto version = r.u16();
  if (!head || !type || !version) return false;
  const bool two_byte_header = (*head & 0x8000) != 0;
  const bool known_version = *version == 0x0002 || ((*version >> 8) == 3 && (*version & 0xff) <= 4);
  return two_byte_header && *type == 1 && known_version && (*head & 0x7fff) >= 9;
}

namespace {

Result<Sslv2ClientHello> parse_sslv2_body(Reader body, Sslv2ClientHello hello) {
  const auto type = body.u8();
  const auto version = body.u16();
  const auto specs_len = body.u16();
  const auto session_len = body.u16();
  const auto challenge_len = body.u16();
  if (!type || !version || !specs_len || !session_len || !challenge_len) return body.fail("sslv2_client_hello.header");
  if (*specs_len % 3 != 0)
    return malformed(body.offset() - 6, "sslv2_client_hello.cipher_specs", "odd_length", "cipher spec length is not a multiple of 3");
  hello.version = *version;
  hello.cipher_specs_offset = body.offset();
  for (unsigned i = 0; i < *specs_len / 3u; ++i) {
    const auto spec = body.u24();
    if (!spec) return body.fail("sslv2_client_hello.cipher_specs");
    hello.cipher_specs.push_back(*spec);
  }
  const auto session = body.bytes(*session_len);
  if (!session) return body.fail("sslv2_client_hello.session_id");
  const auto challenge = body.bytes(*challenge_len);
  if (!challenge) return body.fail("sslv2_client_hello.challenge");
  hello.session_id.assign(session->begin(), session->end());
  hello.challenge.assign(challenge->begin(), challenge->end());
  if (auto e = body.expect_end("sslv2_client_hello")) return *e;
  return hello;
}

}  // namespace

Result<Sslv2ClientHello> read_sslv2_client_hello(Reader& in) {
  Sslv2ClientHello hello;
  hello.offset = in.offset();
  const Bytes start = in.rest();
  const auto head = in.u16();
  if (!head) return in.fail("sslv2_client_hello.length");
  auto body = in.sub(*head & 0x7fff);
  if (!body) return in.fail("sslv2_client_hello.body");
  const std::size_t total = 2 + (*head & 0x7fff);
  hello.raw.assign(start.begin(), start.begin() + static_cast<std::ptrdiff_t>(total));
  return parse_sslv2_body(*body, std::move(hello));
}

Result<std::vector<Alert>> parse_alerts(Reader fragment) {
  std::vector<Alert> alerts;
  if (fragment.empty()) return malformed(fragment.offset(), "alert", "empty", "an alert record with no alert");
  while (!fragment.empty()) {
    Alert a;
    a.offset = fragment.offset();
    const auto level = fragment.u8();
    const auto description = fragment.u8();
    if (!level || !description) return fragment.fail("alert.description");
    a.level = *level;
    a.description = *description;
    alerts.push_back(a);
  }
  return alerts;
}

Result<std::vector<Extension>> read_extensions(Reader& in, const std::string& path) {
  auto block = in.vec(2, 0, 0xffff);
  if (!block) return in.fail(path);
  std::vector<Extension> out;
  while (!block->empty()) {
    Extension e;
    e.offset = block->offset();
    const auto type = block->u16();
    if (!type) return block->fail(path + ".type");
    auto data = block->prefixed(2);
    if (!data) return block->fail(path + "." + registry::name_of(registry::Names::extension, *type));
    const bool seen = std::any_of(out.begin(), out.end(), [&](const Extension& x) { return x.type == *type; });
    if (seen) return malformed(e.offset, path, "duplicate_extension", "extension " + registry::name_of(registry::Names::extension, *type) + " appears twice");
    e.type = *type;
    e.data_offset = data->offset();
    const Bytes body = data->take_rest();
    e.data.assign(body.begin(), body.end());
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace sd::tls

#include "wire/ike/payloads.h"

#include "wire/ike/registry.h"

namespace sd::ike::detail {
namespace {

ByteVec copy(Bytes b) { return ByteVec(b.begin(), b.end()); }

std::string at(const std::string& path, const char* what, std::size_t i) {
  return path + "." + what + "[" + std::to_string(i) + "]";
}

// What a body parser needs besides the bytes.
struct BodyContext {
  const std::string& path;
  std::uint8_t inner_next;  ///< the generic header's next-payload byte (SK/SKF: the first inner payload)
  bool request;             ///< the message is a request (selects the KE size for direction-dependent groups)
};

Result<Attribute> parse_attribute(Reader& r, const std::string& path) {
  Attribute a;
  a.offset = r.offset();
  const auto word = r.u16();
  if (!word) return r.fail(path);
  a.type = *word & 0x7fff;
  a.tv = (*word & 0x8000) != 0;
  if (a.tv) {
    const auto v = r.u16();
    if (!v) return r.fail(path + ".value");
    a.value = *v;
    return a;
  }
  auto body = r.prefixed(2);
  if (!body) return r.fail(path + ".value");
  a.data = copy(body->take_rest());
  return a;
}

// One transform; last is set from its "last substructure" byte (0 last, 3 more).
Result<Transform> parse_transform(Reader& r, const std::string& path, bool& last) {
  auto s = read_substructure(r, path, "transform", 8, "proposal");
  if (!s) return s.error();
  if (s->first != 0 && s->first != 3)
    return malformed(s->offset, path + ".last_substruc", "bad_substructure_type",
                     "transform substructure type is " + std::to_string(s->first) + ", expected 0 or 3");
  Transform t;
  t.offset = s->offset;
  t.length = s->length;
  const auto type = s->body.u8();
  const auto skip = s->body.u8();
  const auto id = s->body.u16();
  if (!type || !skip || !id) return s->body.fail(path);
  t.type = *type;
  t.id = *id;
  while (!s->body.empty()) {
    if (t.attributes.size() >= kMaxAttributes)
      return malformed(s->body.offset(), path, "too_many_attributes", "more than 16 attributes in one transform");
    auto a = parse_attribute(s->body, at(path, "attribute", t.attributes.size()));
    if (!a) return a.error();
    if (a->tv && a->type == 14) t.key_length = a->value;
    t.attributes.push_back(std::move(a.value()));
  }
  last = s->first == 0;
  return t;
}

Result<Proposal> parse_proposal(Reader& r, const std::string& path, bool& last) {
  auto s = read_substructure(r, path, "proposal", 8, "SA payload");
  if (!s) return s.error();
  if (s->first != 0 && s->first != 2)
    return malformed(s->offset, path + ".last_substruc", "bad_substructure_type",
                     "proposal substructure type is " + std::to_string(s->first) + ", expected 0 or 2");
  Proposal p;
  p.offset = s->offset;
  p.length = s->length;
  const auto number = s->body.u8();
  const auto protocol = s->body.u8();
  const auto spi_size = s->body.u8();
  const auto count = s->body.u8();
  if (!number || !protocol || !spi_size || !count) return s->body.fail(path);
  p.number = *number;
  p.protocol = *protocol;
  const auto spi = s->body.bytes(*spi_size);
  if (!spi) return s->body.fail(path + ".spi");
  p.spi = copy(*spi);
  for (std::size_t k = 0; k < *count; ++k) {
    const std::string tpath = at(path, "transform", k);
    if (s->body.empty())
      return malformed(s->body.offset(), tpath, "transform_count_mismatch",
                       "proposal announces " + std::to_string(*count) + " transforms but holds " + std::to_string(k));
    bool final_one = false;
    auto t = parse_transform(s->body, tpath, final_one);
    if (!t) return t.error();
    if (final_one != (k + 1 == *count))
      return malformed(t->offset, tpath + ".last_substruc", "transform_count_mismatch",
                       "the last-transform mark disagrees with the announced count " + std::to_string(*count));
    p.transforms.push_back(std::move(t.value()));
  }
  if (auto e = s->body.expect_end(path)) return *e;
  last = s->first == 0;
  return p;
}

Result<PayloadBody> parse_sa(Reader& r, const BodyContext& cx) {
  const std::string& path = cx.path;
  SaPayload sa;
  bool last = false;
  while (!r.empty() && !last) {
    if (sa.proposals.size() >= kMaxProposals)
      return malformed(r.offset(), path, "too_many_proposals", "more than 64 proposals in one SA payload");
    auto p = parse_proposal(r, at(path, "proposal", sa.proposals.size()), last);
    if (!p) return p.error();
    sa.proposals.push_back(std::move(p.value()));
  }
  if (sa.proposals.empty()) return malformed(r.offset(), path, "no_proposals", "the SA payload holds no proposal");
  if (!last)
    return malformed(r.offset(), at(path, "proposal", sa.proposals.size()), "missing_proposal",
                     "the last proposal announces another one but the payload ends");
  if (auto e = r.expect_end(path)) return *e;
  return PayloadBody{std::move(sa)};
}

Result<PayloadBody> parse_ke(Reader& r, const BodyContext& cx) {
  const std::string& path = cx.path;
  const auto group = r.u16();
  const auto reserved = r.u16();
  if (!group || !reserved) return r.fail(path);
  KePayload ke;
  ke.group = *group;
  ke.data = copy(r.take_rest());
  if (const auto* g = dh_group(ke.group); g && g->code != 0)
    ke.expected_bytes = cx.request ? g->initiator_ke_bytes : g->responder_ke_bytes;
  return PayloadBody{std::move(ke)};
}

Result<PayloadBody> parse_notify(Reader& r, const BodyContext& cx) {
  const std::string& path = cx.path;
  const auto protocol = r.u8();
  const auto spi_size = r.u8();
  const auto type = r.u16();
  if (!protocol || !spi_size || !type) return r.fail(path);
  NotifyPayload n;
  n.protocol = *protocol;
  n.type = *type;
  const auto spi = r.bytes(*spi_size);
  if (!spi) return r.fail(path + ".spi");
  n.spi = copy(*spi);
  const std::size_t data_at = r.offset();
  n.data = copy(r.take_rest());
  if (n.type == kInvalidKePayload) {
    if (n.data.size() != 2)
      return malformed(data_at, path + ".data", "bad_notify_data",
                       "INVALID_KE_PAYLOAD carries " + std::to_string(n.data.size()) + " bytes, expected a 2-byte group");
    n.requested_group = static_cast<std::uint16_t>((n.data[0] << 8) | n.data[1]);
  }
  if (n.type == kSignatureHashAlgorithms) {
    auto list = Reader::bounded(n.data, data_at);
    while (list.remaining() >= 2) n.hash_algorithms.push_back(*list.u16());
    if (!list.empty())
      return malformed(list.offset(), path + ".data", "bad_notify_data",
                       "SIGNATURE_HASH_ALGORITHMS has an odd number of bytes");
  }
  return PayloadBody{std::move(n)};
}

Result<TrafficSelector> parse_selector(Reader& r, const std::string& path) {
  auto s = read_substructure(r, path, "selector", 4, "TS payload");
  if (!s) return s.error();
  TrafficSelector ts;
  ts.type = s->first;
  ts.ip_protocol = s->flags;
  Reader& body = s->body;
  const std::size_t address_size = ts.type == 7 ? 4 : (ts.type == 8 ? 16 : 0);
  if (address_size == 0) {
    ts.data = copy(body.take_rest());
    return ts;
  }
  const auto sp = body.u16();
  const auto ep = body.u16();
  const auto sa = body.bytes(address_size);
  const auto ea = body.bytes(address_size);
  if (!sp || !ep || !sa || !ea) return body.fail(path);
  ts.start_port = *sp;
  ts.end_port = *ep;
  ts.start_address = copy(*sa);
  ts.end_address = copy(*ea);
  if (auto e = body.expect_end(path)) return *e;
  return ts;
}

Result<PayloadBody> parse_ts(Reader& r, const BodyContext& cx) {
  const std::string& path = cx.path;
  const auto count = r.u8();
  if (!count || !r.skip(3)) return r.fail(path);
  TsPayload ts;
  for (std::size_t i = 0; i < *count; ++i) {
    auto s = parse_selector(r, at(path, "selector", i));
    if (!s) return s.error();
    ts.selectors.push_back(std::move(s.value()));
  }
  if (auto e = r.expect_end(path)) return *e;
  return PayloadBody{std::move(ts)};
}

Result<PayloadBody> parse_delete(Reader& r, const BodyContext& cx) {
  const std::string& path = cx.path;
  const auto protocol = r.u8();
  const auto spi_size = r.u8();
  const auto count = r.u16();
  if (!protocol || !spi_size || !count) return r.fail(path);
  if (*spi_size == 0 && *count != 0)
    return malformed(r.offset() - 2, path + ".count", "bad_delete", "SPIs announced with an SPI size of zero");
  DeletePayload d{*protocol, *spi_size, {}};
  for (std::size_t i = 0; i < *count; ++i) {
    const auto spi = r.bytes(*spi_size);
    if (!spi) return r.fail(at(path, "spi", i));
    d.spis.push_back(copy(*spi));
  }
  if (auto e = r.expect_end(path)) return *e;
  return PayloadBody{std::move(d)};
}

Result<PayloadBody> parse_fragment(Reader& r, const BodyContext& cx) {
  const std::string& path = cx.path;
  const auto number = r.u16();
  const auto total = r.u16();
  if (!number || !total) return r.fail(path);
  if (*number == 0 || *number > *total)
    return malformed(r.offset() - 4, path + ".number", "bad_fragment_number",
                     "fragment " + std::to_string(*number) + " of " + std::to_string(*total));
  return PayloadBody{FragmentPayload{cx.inner_next, *number, *total, copy(r.take_rest())}};
}

// A payload that starts with a one-byte type and three reserved bytes (ID, AUTH).
template <class T>
Result<PayloadBody> parse_typed_with_reserved(Reader& r, const BodyContext& cx) {
  const auto type = r.u8();
  if (!type || !r.skip(3)) return r.fail(cx.path);
  return PayloadBody{T{*type, copy(r.take_rest())}};
}

Result<PayloadBody> parse_cert(Reader& r, const BodyContext& cx) {
  const auto encoding = r.u8();
  if (!encoding) return r.fail(cx.path);
  return PayloadBody{CertPayload{*encoding, copy(r.take_rest())}};
}

Result<PayloadBody> parse_nonce(Reader& r, const BodyContext&) { return PayloadBody{NoncePayload{copy(r.take_rest())}}; }
Result<PayloadBody> parse_vendor(Reader& r, const BodyContext&) { return PayloadBody{VendorPayload{copy(r.take_rest())}}; }
Result<PayloadBody> parse_encrypted(Reader& r, const BodyContext& cx) {
  return PayloadBody{EncryptedPayload{cx.inner_next, copy(r.take_rest())}};
}

using BodyParser = Result<PayloadBody> (*)(Reader&, const BodyContext&);

// Which parser reads which payload type; types not listed stay raw bytes (CP, EAP, unknown).
struct BodyRule {
  std::uint8_t type;
  BodyParser parse;
};
constexpr BodyRule kBodyRules[] = {
    {kSA, parse_sa},
    {kKE, parse_ke},
    {kIDi, parse_typed_with_reserved<IdPayload>},
    {kIDr, parse_typed_with_reserved<IdPayload>},
    {kCERT, parse_cert},
    {kCERTREQ, parse_cert},
    {kAUTH, parse_typed_with_reserved<AuthPayload>},
    {kNonce, parse_nonce},
    {kNotify, parse_notify},
    {kDelete, parse_delete},
    {kVendor, parse_vendor},
    {kTSi, parse_ts},
    {kTSr, parse_ts},
    {kSK, parse_encrypted},
    {kSKF, parse_fragment},
};

}  // namespace

Result<Substructure> read_substructure(Reader& r, const std::string& path, const std::string& what,
                                       std::uint16_t min_length, const std::string& container) {
  Substructure s;
  s.offset = r.offset();
  const auto first = r.u8();
  const auto flags = r.u8();
  const auto length = r.u16();
  if (!first || !flags || !length) return r.fail(path + ".header");
  s.first = *first;
  s.flags = *flags;
  s.length = *length;
  const std::string says = what + " length " + std::to_string(*length);
  if (*length < min_length)
    return malformed(s.offset + 2, path + ".length", what + "_length_too_small",
                     says + " is below the minimum of " + std::to_string(min_length));
  auto body = r.sub(*length - 4u);
  if (!body)
    return malformed(s.offset + 2, path + ".length", what + "_length_past_" + (container == "message" ? "message" : "container"),
                     says + " runs " + std::to_string(*length - 4u - r.remaining()) + " bytes past the end of the " + container);
  s.body = *body;
  return s;
}

Result<PayloadBody> parse_payload_body(std::uint8_t type, std::uint8_t inner_next, Reader& body,
                                       const std::string& path, bool request) {
  const BodyContext cx{path, inner_next, request};
  for (const auto& rule : kBodyRules)
    if (rule.type == type) return rule.parse(body, cx);
  return PayloadBody{RawPayload{copy(body.take_rest())}};
}

}  // namespace sd::ike::detail

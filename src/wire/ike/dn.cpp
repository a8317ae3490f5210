#include "wire/ike/dn.h"

#include "wire/ike/registry.h"

namespace sd::ike {
namespace {

// Most RDNs one name may hold; real names have fewer than ten.
constexpr std::size_t kMaxRdns = 64;

struct Element {
  std::uint8_t tag = 0;
  Reader body = Reader::bounded({});
};

// One DER element with a definite length of at most two length bytes.
std::optional<Element> element(Reader& r) {
  const auto tag = r.u8();
  const auto first = r.u8();
  if (!tag || !first) return std::nullopt;
  std::size_t length = *first;
  if (*first & 0x80) {
    const unsigned count = *first & 0x7f;
    if (count == 0 || count > 2) return std::nullopt;
    length = 0;
    for (unsigned i = 0; i < count; ++i) {
      const auto b = r.u8();
      if (!b) return std::nullopt;
      length = (length << 8) | *b;
    }
  }
  auto body = r.sub(length);
  if (!body) return std::nullopt;
  return Element{*tag, *body};
}

// The dotted form of an OID's contents: first byte 40*X+Y, then base-128 groups.
std::optional<std::string> dotted(Reader oid) {
  const auto first = oid.u8();
  if (!first) return std::nullopt;
  std::string out = std::to_string(*first / 40) + "." + std::to_string(*first % 40);
  std::uint64_t arc = 0;
  bool open_arc = false;
  while (auto b = oid.u8()) {
    if (arc >> 56) return std::nullopt;
    arc = (arc << 7) | (*b & 0x7f);
    open_arc = (*b & 0x80) != 0;
    if (open_arc) continue;
    out += "." + std::to_string(arc);
    arc = 0;
  }
  if (open_arc) return std::nullopt;
  return out;
}

// "CN=moon" from one AttributeTypeAndValue.
std::optional<std::string> attribute(Reader& set) {
  auto atv = element(set);
  if (!atv || atv->tag != 0x30) return std::nullopt;
  auto oid = element(atv->body);
  auto value = element(atv->body);
  if (!oid || oid->tag != 0x06 || !value || !atv->body.empty()) return std::nullopt;
  const auto name = dotted(oid->body);
  if (!name) return std::nullopt;
  return dn_attribute_label(*name) + "=" + printable(value->body.take_rest());
}

}  // namespace

std::optional<std::string> dn_text(Bytes der) {
  auto outer = Reader::bounded(der);
  auto name = element(outer);
  if (!name || name->tag != 0x30 || !outer.empty()) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; !name->body.empty(); ++i) {
    auto rdn = element(name->body);
    if (i >= kMaxRdns || !rdn || rdn->tag != 0x31) return std::nullopt;
    while (!rdn->body.empty()) {
      const auto a = attribute(rdn->body);
      if (!a) return std::nullopt;
      out += (out.empty() ? "" : ", ") + *a;
    }
  }
  return out;
}

}  // namespace sd::ike

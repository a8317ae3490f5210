#include "wire/ike/write.h"

#include <charconv>

#include "wire/ike/registry.h"

namespace sd::ike {
namespace {

ByteVec transform_bytes(const TransformSpec& t, bool last) {
  Writer w;
  w.u8(last ? 0 : 3);
  w.u8(0);
  w.u16(static_cast<std::uint16_t>(8 + (t.key_length ? 4 : 0)));
  w.u8(t.type);
  w.u8(0);
  w.u16(t.id);
  if (t.key_length) {
    w.u16(0x8000 | 14);
    w.u16(*t.key_length);
  }
  return w.take();
}

ByteVec proposal_bytes(const ProposalSpec& p, std::uint8_t number, bool last) {
  Writer body;
  body.u8(number);
  body.u8(p.protocol);
  body.u8(static_cast<std::uint8_t>(p.spi.size()));
  body.u8(static_cast<std::uint8_t>(p.transforms.size()));
  body.bytes(p.spi);
  for (std::size_t i = 0; i < p.transforms.size(); ++i)
    body.bytes(transform_bytes(p.transforms[i], i + 1 == p.transforms.size()));
  Writer w;
  w.u8(last ? 0 : 2);
  w.u8(0);
  w.u16(static_cast<std::uint16_t>(4 + body.size()));
  w.bytes(body.data());
  return w.take();
}

// The transform type whose registry holds this name (KE groups come from the DH table).
std::optional<TransformSpec> lookup_transform(std::string_view name) {
  for (const std::uint8_t type : {1, 2, 3, 5})
    if (const auto id = code_of(transform_registry(type), name)) return TransformSpec{type, static_cast<std::uint16_t>(*id), {}};
  for (const auto& g : dh_groups())
    if (g.name == name) return TransformSpec{4, g.code, {}};
  return std::nullopt;
}

}  // namespace

std::optional<TransformSpec> transform_named(std::string_view name) {
  const std::size_t slash = name.find('/');
  auto t = lookup_transform(name.substr(0, slash));
  if (!t || slash == std::string_view::npos) return t;
  const std::string_view bits = name.substr(slash + 1);
  std::uint16_t key_length = 0;
  const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), key_length);
  if (ec != std::errc{} || end != bits.data() + bits.size() || key_length == 0) return std::nullopt;
  t->key_length = key_length;
  return t;
}

std::optional<ProposalSpec> proposal_named(const std::vector<std::string>& names, std::uint8_t protocol) {
  ProposalSpec p;
  p.protocol = protocol;
  for (const auto& n : names) {
    const auto t = transform_named(n);
    if (!t) return std::nullopt;
    p.transforms.push_back(*t);
  }
  return p;
}

ByteVec sa_body(std::span<const ProposalSpec> proposals) {
  Writer w;
  for (std::size_t i = 0; i < proposals.size(); ++i)
    w.bytes(proposal_bytes(proposals[i], static_cast<std::uint8_t>(i + 1), i + 1 == proposals.size()));
  return w.take();
}

ByteVec ke_body(std::uint16_t group, Bytes data) {
  Writer w;
  w.u16(group);
  w.u16(0);
  w.bytes(data);
  return w.take();
}

ByteVec notify_body(std::uint16_t type, Bytes data, std::uint8_t protocol, Bytes spi) {
  Writer w;
  w.u8(protocol);
  w.u8(static_cast<std::uint8_t>(spi.size()));
  w.u16(type);
  w.bytes(spi);
  w.bytes(data);
  return w.take();
}

OutPayload notify(std::uint16_t type, Bytes data) { return OutPayload{kNotify, notify_body(type, data)}; }

ByteVec write_message(Header header, std::span<const OutPayload> payloads) {
  Writer chain;
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    const auto& p = payloads[i];
    const bool encrypted = p.type == kSK || p.type == kSKF;
    chain.u8(encrypted ? p.inner_next : (i + 1 < payloads.size() ? payloads[i + 1].type : std::uint8_t{kNoNext}));
    chain.u8(p.critical ? 0x80 : 0);
    chain.u16(static_cast<std::uint16_t>(4 + p.body.size()));
    chain.bytes(p.body);
  }
  Writer w;
  w.u64(header.initiator_spi);
  w.u64(header.responder_spi);
  w.u8(payloads.empty() ? std::uint8_t{kNoNext} : payloads.front().type);
  w.u8(static_cast<std::uint8_t>((header.major_version << 4) | (header.minor_version & 0x0f)));
  w.u8(header.exchange_type);
  w.u8(header.flags);
  w.u32(header.message_id);
  w.u32(static_cast<std::uint32_t>(kHeaderSize + chain.size()));
  w.bytes(chain.data());
  return w.take();
}

ByteVec with_non_esp_marker(Bytes message) {
  Writer w;
  w.u32(0);
  w.bytes(message);
  return w.take();
}

std::vector<OutPayload> sa_init_payloads(const SaInitRequest& q) {
  std::vector<OutPayload> out;
  if (q.cookie) out.push_back(notify(kCookie, *q.cookie));
  out.push_back({kSA, sa_body(q.proposals)});
  out.push_back({kKE, ke_body(q.ke_group, q.ke_data)});
  out.push_back({kNonce, q.nonce});
  if (q.nat_source_hash) out.push_back(notify(kNatDetectionSourceIp, *q.nat_source_hash));
  if (q.nat_destination_hash) out.push_back(notify(kNatDetectionDestinationIp, *q.nat_destination_hash));
  if (q.fragmentation) out.push_back(notify(kFragmentationSupported));
  if (!q.signature_hashes.empty()) {
    Writer hashes;
    for (const auto h : q.signature_hashes) hashes.u16(h);
    out.push_back(notify(kSignatureHashAlgorithms, hashes.data()));
  }
  if (q.redirect_supported) out.push_back(notify(kRedirectSupported));
  for (const auto& v : q.vendor_ids) out.push_back({kVendor, v});
  return out;
}

ByteVec write_sa_init_request(const SaInitRequest& q) {
  Header h;
  h.initiator_spi = q.initiator_spi;
  h.exchange_type = 34;
  h.flags = kFlagInitiator;
  return write_message(h, sa_init_payloads(q));
}

}  // namespace sd::ike

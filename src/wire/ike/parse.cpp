#include <algorithm>

#include "wire/ike/message.h"
#include "wire/ike/payloads.h"
#include "wire/ike/registry.h"

namespace sd::ike {
namespace {

std::string payload_path(std::size_t index, std::uint8_t type) {
  return "ike.payload[" + std::to_string(index) + "](" + payload_label(type) + ")";
}

Result<Header> read_header(Reader& r) {
  Header h;
  const auto ispi = r.u64();
  const auto rspi = r.u64();
  const auto next = r.u8();
  const auto version = r.u8();
  const auto exchange = r.u8();
  const auto flags = r.u8();
  const auto id = r.u32();
  const auto length = r.u32();
  if (!length) return r.fail("ike.header");
  h = Header{*ispi, *rspi, *next, static_cast<std::uint8_t>(*version >> 4), static_cast<std::uint8_t>(*version & 0x0f),
             *exchange, *flags, *id, *length};
  const std::size_t at = r.offset() - kHeaderSize;
  if (h.major_version != 1 && h.major_version != 2)
    return malformed(at + 17, "ike.header.version", "unsupported_major_version",
                     "major version " + std::to_string(h.major_version) + " is neither IKEv1 nor IKEv2");
  if (h.length < kHeaderSize)
    return malformed(at + 24, "ike.header.length", "length_too_small",
                     "header length " + std::to_string(h.length) + " is below the 28-byte header");
  return h;
}

// One payload's generic header and body; next receives the payload's "next payload" byte.
Result<Payload> read_payload(Reader& chain, std::uint8_t type, std::size_t index, bool request, std::uint8_t& next) {
  const std::string path = payload_path(index, type);
  auto s = detail::read_substructure(chain, path, "payload", 4, "message");
  if (!s) return s.error();
  auto parsed = detail::parse_payload_body(type, s->first, s->body, path, request);
  if (!parsed) return parsed.error();
  next = s->first;
  return Payload{type, (s->flags & 0x80) != 0, s->offset, s->length, std::move(parsed.value())};
}

// Walks the payload chain; bounded by the message length and by kMaxPayloads.
std::optional<ParseError> read_chain(Reader& chain, const Header& h, std::vector<Payload>& out) {
  std::uint8_t type = h.next_payload;
  while (type != kNoNext) {
    const std::string path = payload_path(out.size(), type);
    if (out.size() >= kMaxPayloads)
      return malformed(chain.offset(), path, "too_many_payloads",
                       "the chain goes on past " + std::to_string(kMaxPayloads) + " payloads");
    if (chain.empty())
      return malformed(chain.offset(), path, "chain_past_message",
                       "the chain announces a " + payload_label(type) + " payload but the message ends here");
    std::uint8_t next = 0;
    auto p = read_payload(chain, type, out.size(), !h.response(), next);
    if (!p) return p.error();
    out.push_back(std::move(p.value()));
    // In SK and SKF the "next payload" names the first payload inside the encrypted data; the chain ends.
    type = (type == kSK || type == kSKF) ? std::uint8_t{kNoNext} : next;
  }
  if (!chain.empty())
    return malformed(chain.offset(), "ike.payloads", "trailing_bytes",
                     std::to_string(chain.remaining()) + " bytes follow the last payload of the chain");
  return std::nullopt;
}

Result<Message> parse(Bytes data, std::size_t base, bool datagram) {
  auto r = datagram ? Reader::bounded(data, base) : Reader::stream(data, base);
  auto header = read_header(r);
  if (!header) return header.error();
  const Header& h = *header;
  if (datagram && h.length != data.size()) {
    const std::string says = "header length " + std::to_string(h.length) + " but the datagram holds " +
                             std::to_string(data.size()) + " bytes";
    return malformed(base + 24, "ike.header.length",
                     h.length > data.size() ? "length_past_datagram" : "trailing_bytes", says);
  }
  if (h.length > data.size())
    return need_more(base + data.size(), "ike", "the message needs " + std::to_string(h.length) + " bytes, " +
                                                   std::to_string(data.size()) + " available");
  Message m;
  m.header = h;
  m.raw.assign(data.begin(), data.begin() + h.length);
  auto chain = Reader::bounded(data.subspan(kHeaderSize, h.length - kHeaderSize), base + kHeaderSize);
  if (m.ikev1()) {
    if (!(h.flags & kIkev1FlagEncrypted)) m.ikev1_error = detail::read_ikev1_chain(chain, h.next_payload, m.ikev1_payloads);
    return m;
  }
  if (auto e = read_chain(chain, h, m.payloads)) return *e;
  return m;
}

}  // namespace

const Payload* Message::find(std::uint8_t type) const {
  const auto it = std::find_if(payloads.begin(), payloads.end(), [&](const Payload& p) { return p.type == type; });
  return it == payloads.end() ? nullptr : &*it;
}

const NotifyPayload* Message::notify(std::uint16_t type) const {
  for (const auto& p : payloads)
    if (const auto* n = std::get_if<NotifyPayload>(&p.body); n && n->type == type) return n;
  return nullptr;
}

std::optional<std::size_t> ike_header_offset(Bytes data) {
  for (const std::size_t at : {std::size_t{0}, std::size_t{4}}) {
    auto r = Reader::stream(data);
    if (at == 4 && r.u32() != std::optional<std::uint32_t>{0}) continue;
    if (!r.skip(17)) continue;
    const auto version = r.u8();
    const auto exchange = r.u8();
    if (!r.skip(5)) continue;
    const auto length = r.u32();
    if (!version || !exchange || !length || *length < kHeaderSize || *length > 65535) continue;
    const bool v2 = *version == 0x20 && !code_name("exchange", *exchange).empty();
    const bool v1 = *version == 0x10 && !code_name("ikev1-exchange", *exchange).empty();
    if (v1 || v2) return at;
  }
  return std::nullopt;
}

Result<Message> parse_datagram(Bytes datagram) { return parse(datagram, 0, true); }

Result<Message> parse_message(Bytes data) { return parse(data, 0, false); }

Result<Message> parse_nat_t_datagram(Bytes datagram) {
  auto r = Reader::bounded(datagram);
  const auto marker = r.u32();
  if (!marker) return r.fail("ike.non_esp_marker");
  if (*marker != 0)
    return malformed(0, "ike.non_esp_marker", "esp_packet",
                     "the datagram starts with a non-zero SPI: it is ESP-in-UDP, not IKE");
  auto m = parse(datagram.subspan(4), 4, true);
  if (!m) return m.error();
  m->non_esp_marker = true;
  return m;
}

}  // namespace sd::ike

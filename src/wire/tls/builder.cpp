#include "wire/tls/builder.h"

#include <array>

#include "wire/tls/messages.h"

namespace sd::tls {

namespace {

void u16_list(Writer& w, unsigned len_bytes, const std::vector<std::uint16_t>& codes) {
  w.prefixed(len_bytes, [&](Writer& l) {
    for (const auto c : codes) l.u16(c);
  });
}

void server_name_body(Writer& e, const ClientHelloSpec& s) {
  e.prefixed(2, [&](Writer& list) {
    list.u8(0);
    list.prefixed(2, [&](Writer& n) { n.text(s.server_name); });
  });
}

void alpn_body(Writer& e, const ClientHelloSpec& s) {
  e.prefixed(2, [&](Writer& list) {
    for (const auto& p : s.alpn) list.prefixed(1, [&](Writer& n) { n.text(p); });
  });
}

void key_share_body(Writer& e, const ClientHelloSpec& s) {
  e.prefixed(2, [&](Writer& list) {
    for (const auto& share : s.key_shares) {
      list.u16(share.first);
      list.prefixed(2, [&](Writer& k) { k.bytes(share.second); });
    }
  });
}

/// An extension the builder can generate: whether the spec asks for it, and how its body is written.
struct Generated {
  std::uint16_t type;
  bool (*wanted)(const ClientHelloSpec&);
  void (*body)(Writer&, const ClientHelloSpec&);
};

/// The builder's own extension order (used when the spec gives none).
constexpr std::array<Generated, 12> kGenerated{{
    {code::kServerName, [](const ClientHelloSpec& s) { return !s.server_name.empty(); }, server_name_body},
    {code::kSupportedGroups, [](const ClientHelloSpec& s) { return !s.supported_groups.empty(); },
     [](Writer& e, const ClientHelloSpec& s) { u16_list(e, 2, s.supported_groups); }},
    {code::kEcPointFormats, [](const ClientHelloSpec& s) { return s.ec_point_formats; },
     [](Writer& e, const ClientHelloSpec&) { e.prefixed(1, [](Writer& l) { l.u8(0); }); }},
    {code::kSignatureAlgorithms, [](const ClientHelloSpec& s) { return !s.signature_algorithms.empty(); },
     [](Writer& e, const ClientHelloSpec& s) { u16_list(e, 2, s.signature_algorithms); }},
    {code::kAlpn, [](const ClientHelloSpec& s) { return !s.alpn.empty(); }, alpn_body},
    {code::kEncryptThenMac, [](const ClientHelloSpec& s) { return s.encrypt_then_mac; }, [](Writer&, const ClientHelloSpec&) {}},
    {code::kExtendedMasterSecret, [](const ClientHelloSpec& s) { return s.extended_master_secret; },
     [](Writer&, const ClientHelloSpec&) {}},
    {code::kSessionTicket, [](const ClientHelloSpec& s) { return s.session_ticket; }, [](Writer&, const ClientHelloSpec&) {}},
    {code::kSupportedVersions, [](const ClientHelloSpec& s) { return !s.supported_versions.empty(); },
     [](Writer& e, const ClientHelloSpec& s) { u16_list(e, 1, s.supported_versions); }},
    {code::kPskModes, [](const ClientHelloSpec& s) { return s.psk_dhe_ke; },
     [](Writer& e, const ClientHelloSpec&) { e.prefixed(1, [](Writer& l) { l.u8(1); }); }},
    {code::kKeyShare, [](const ClientHelloSpec& s) { return !s.key_shares.empty(); }, key_share_body},
    {code::kRenegotiationInfo, [](const ClientHelloSpec& s) { return s.renegotiation_info; },
     [](Writer& e, const ClientHelloSpec&) { e.u8(0); }},
}};

const Generated* generator_for(std::uint16_t type) {
  for (const auto& g : kGenerated)
    if (g.type == type) return &g;
  return nullptr;
}

void write_slot(Writer& w, const ClientHelloSpec& s, const ExtensionSlot& slot) {
  w.u16(slot.type);
  w.prefixed(2, [&](Writer& e) {
    if (slot.body) {
      e.bytes(*slot.body);
    } else if (const Generated* g = generator_for(slot.type)) {
      g->body(e, s);
    }
  });
}

void write_extensions(Writer& w, const ClientHelloSpec& s) {
  if (!s.extension_order.empty()) {
    for (const auto& slot : s.extension_order) write_slot(w, s, slot);
    return;
  }
  for (const auto& g : kGenerated)
    if (g.wanted(s)) write_slot(w, s, ExtensionSlot{g.type, std::nullopt});
}

void write_body(Writer& w, const ClientHelloSpec& s) {
  w.u16(s.legacy_version);
  w.bytes(s.random);
  w.prefixed(1, [&](Writer& b) { b.bytes(s.session_id); });
  u16_list(w, 2, s.cipher_suites);
  w.prefixed(1, [](Writer& b) { b.u8(0); });
  if (!s.extensions_block) return;
  w.prefixed(2, [&](Writer& e) { write_extensions(e, s); });
}

}  // namespace

ByteVec build_client_hello(const ClientHelloSpec& spec) {
  Writer w;
  w.u8(code::kClientHello);
  w.prefixed(3, [&](Writer& b) { write_body(b, spec); });
  return w.take();
}

ByteVec build_client_hello_record(const ClientHelloSpec& spec) {
  Writer w;
  w.u8(code::kHandshake);
  w.u16(spec.record_version);
  w.prefixed(2, [&](Writer& b) { b.bytes(build_client_hello(spec)); });
  return w.take();
}

}  // namespace sd::tls

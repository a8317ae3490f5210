#include "wire/tls/builder.h"

#include "wire/tls/messages.h"

namespace sd::tls {

namespace {

template <class Body>
void extension(Writer& w, std::uint16_t type, Body&& body) {
  w.u16(type);
  w.prefixed(2, body);
}

void u16_list(Writer& w, unsigned len_bytes, const std::vector<std::uint16_t>& codes) {
  w.prefixed(len_bytes, [&](Writer& l) {
    for (const auto c : codes) l.u16(c);
  });
}

void write_lists(Writer& w, const ClientHelloSpec& s) {
  if (!s.server_name.empty())
    extension(w, code::kServerName, [&](Writer& e) {
      e.prefixed(2, [&](Writer& list) {
        list.u8(0);
        list.prefixed(2, [&](Writer& n) { n.text(s.server_name); });
      });
    });
  if (!s.supported_groups.empty()) extension(w, code::kSupportedGroups, [&](Writer& e) { u16_list(e, 2, s.supported_groups); });
  if (s.ec_point_formats) extension(w, code::kEcPointFormats, [](Writer& e) { e.prefixed(1, [](Writer& l) { l.u8(0); }); });
  if (!s.signature_algorithms.empty())
    extension(w, code::kSignatureAlgorithms, [&](Writer& e) { u16_list(e, 2, s.signature_algorithms); });
  if (!s.alpn.empty())
    extension(w, code::kAlpn, [&](Writer& e) {
      e.prefixed(2, [&](Writer& list) {
        for (const auto& p : s.alpn) list.prefixed(1, [&](Writer& n) { n.text(p); });
      });
    });
}

void write_flags(Writer& w, const ClientHelloSpec& s) {
  const auto empty = [](Writer&) {};
  if (s.encrypt_then_mac) extension(w, code::kEncryptThenMac, empty);
  if (s.extended_master_secret) extension(w, code::kExtendedMasterSecret, empty);
  if (s.session_ticket) extension(w, code::kSessionTicket, empty);
  if (!s.supported_versions.empty())
    extension(w, code::kSupportedVersions, [&](Writer& e) { u16_list(e, 1, s.supported_versions); });
  if (s.psk_dhe_ke) extension(w, code::kPskModes, [](Writer& e) { e.prefixed(1, [](Writer& l) { l.u8(1); }); });
  if (!s.key_shares.empty())
    extension(w, code::kKeyShare, [&](Writer& e) {
      e.prefixed(2, [&](Writer& list) {
        for (const auto& share : s.key_shares) {
          list.u16(share.first);
          list.prefixed(2, [&](Writer& k) { k.bytes(share.second); });
        }
      });
    });
  if (s.renegotiation_info) extension(w, code::kRenegotiationInfo, [](Writer& e) { e.u8(0); });
}

void write_body(Writer& w, const ClientHelloSpec& s) {
  w.u16(s.legacy_version);
  w.bytes(s.random);
  w.prefixed(1, [&](Writer& b) { b.bytes(s.session_id); });
  u16_list(w, 2, s.cipher_suites);
  w.prefixed(1, [](Writer& b) { b.u8(0); });
  if (!s.extensions_block) return;
  w.prefixed(2, [&](Writer& e) {
    write_lists(e, s);
    write_flags(e, s);
  });
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

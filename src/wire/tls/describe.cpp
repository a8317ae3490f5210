#include "wire/tls/describe.h"

#include "wire/tls/extensions.h"
#include "wire/tls/registry.h"

namespace sd::tls {

namespace {

using registry::Names;

Field coded(std::string name, std::string value, std::size_t offset, std::size_t length, std::uint64_t code) {
  return leaf(std::move(name), std::move(value), offset, length, code);
}

Field version_field(const char* name, std::uint16_t v, std::size_t offset) {
  return coded(name, registry::version_name(v), offset, 2, v);
}

Field suite_field(std::uint16_t suite, std::size_t offset) {
  return coded("cipher_suite", registry::cipher_suite_name(suite), offset, 2, suite);
}

Field bytes_field(const char* name, const ByteVec& b, std::size_t offset) { return leaf(name, to_hex(b), offset, b.size()); }

void add_extensions(Field& parent, bool present, std::size_t offset, const std::vector<Extension>& exts, Place place) {
  if (!present) {
    parent.add(leaf("extensions", "none (no extension block)", offset, 0));
    return;
  }
  Field& list = parent.add(leaf("extensions", std::to_string(exts.size()), offset, 0));
  for (const auto& e : exts) list.add(describe_extension(e, place));
}

void describe_body(Field& f, const ClientHello& h) {
  f.add(version_field("legacy_version", h.legacy_version, f.offset + 4));
  f.add(bytes_field("random", h.random, h.random_offset));
  f.add(bytes_field("legacy_session_id", h.session_id, h.random_offset + 33));
  Field& suites = f.add(leaf("cipher_suites", std::to_string(h.cipher_suites.size()), h.cipher_suites_offset - 2,
                             2 + 2 * h.cipher_suites.size()));
  for (std::size_t i = 0; i < h.cipher_suites.size(); ++i) suites.add(suite_field(h.cipher_suites[i], h.cipher_suites_offset + 2 * i));
  Field& comp = f.add(leaf("compression_methods", std::to_string(h.compression_methods.size()), h.compression_offset,
                           1 + h.compression_methods.size()));
  for (std::size_t i = 0; i < h.compression_methods.size(); ++i) {
    const auto m = h.compression_methods[i];
    comp.add(coded("compression_method", m == 0 ? "null" : (m == 1 ? "DEFLATE" : "unknown_" + std::to_string(m)),
                   h.compression_offset + 1 + i, 1, m));
  }
  add_extensions(f, h.has_extensions_block, h.extensions_offset, h.extensions, Place::client_hello);
}

void describe_body(Field& f, const ServerHello& h) {
  f.add(version_field("legacy_version", h.legacy_version, f.offset + 4));
  f.add(bytes_field("random", h.random, h.random_offset));
  f.add(bytes_field("legacy_session_id", h.session_id, h.random_offset + 33));
  f.add(suite_field(h.cipher_suite, h.cipher_suite_offset));
  f.add(coded("compression_method", h.compression_method == 0 ? "null" : "unknown_" + std::to_string(h.compression_method),
              h.cipher_suite_offset + 2, 1, h.compression_method));
  add_extensions(f, h.has_extensions_block, h.extensions_offset, h.extensions,
                 h.hello_retry_request ? Place::hello_retry_request : Place::server_hello);
}

void describe_body(Field& f, const Certificate& c) {
  f.add(leaf("form", c.tls13 ? "TLS 1.3" : "TLS 1.2 and earlier", f.offset, 0));
  Field& list = f.add(leaf("certificate_list", std::to_string(c.entries.size()), f.offset + 4, 0));
  for (const auto& e : c.entries) {
    Field& cert = list.add(leaf("certificate", std::to_string(e.der.size()) + " bytes (DER)", e.offset, e.der.size()));
    for (const auto& x : e.extensions) cert.add(describe_extension(x, Place::certificate));
  }
}

void describe_body(Field& f, const ServerKeyExchange& s) {
  if (s.kind == ServerKeyExchange::Kind::ecdhe) {
    f.add(leaf("key_exchange", "ECDHE", s.params_offset, 0));
    f.add(coded("named_curve", registry::group_name(s.group), s.params_offset + 1, 2, s.group));
    f.add(leaf("public_key_length", std::to_string(s.public_key.size()), s.params_offset + 4, s.public_key.size()));
  } else {
    f.add(leaf("key_exchange", "DHE", s.params_offset, 0));
    f.add(leaf("dh_group_bits", std::to_string(8 * s.dh_p.size()), s.params_offset + 2, s.dh_p.size()));
    f.add(bytes_field("dh_g", s.dh_g, s.params_offset + 4 + s.dh_p.size()));
  }
  if (s.signature_scheme)
    f.add(coded("signature_algorithm", registry::signature_scheme_name(*s.signature_scheme), s.signature_offset - 2, 2,
                *s.signature_scheme));
  f.add(leaf("signature_length", std::to_string(s.signature.size()), s.signature_offset, 2 + s.signature.size()));
}

void describe_body(Field& f, const CertificateRequest& c) {
  if (c.tls13) {
    f.add(bytes_field("certificate_request_context", c.request_context, f.offset + 5));
    add_extensions(f, true, f.offset + 5 + c.request_context.size(), c.extensions, Place::certificate_request);
    return;
  }
  Field& types = f.add(leaf("certificate_types", std::to_string(c.certificate_types.size()), f.offset + 4, 1 + c.certificate_types.size()));
  for (std::size_t i = 0; i < c.certificate_types.size(); ++i)
    types.add(coded("certificate_type", registry::name_of(Names::certificate_type, c.certificate_types[i]),
                    f.offset + 5 + i, 1, c.certificate_types[i]));
  if (c.signature_schemes) {
    const auto& list = *c.signature_schemes;
    Field& schemes = f.add(leaf("supported_signature_algorithms", std::to_string(list.size()), c.signature_schemes_offset - 2,
                                2 + 2 * list.size()));
    for (std::size_t i = 0; i < list.size(); ++i)
      schemes.add(coded("signature_scheme", registry::signature_scheme_name(list[i]), c.signature_schemes_offset + 2 * i, 2, list[i]));
  }
  const std::string count = c.ca_names.empty() ? "0 (empty: the client may send any certificate)" : std::to_string(c.ca_names.size());
  Field& cas = f.add(leaf("certificate_authorities", count, c.ca_names_offset, 0));
  for (const auto& dn : c.ca_names) cas.add(leaf("distinguished_name", to_hex(dn.der), dn.offset, dn.der.size()));
}

void describe_body(Field& f, const Opaque& o) {
  if (!o.body.empty()) f.add(leaf("body_length", std::to_string(o.body.size()), f.offset + 4, o.body.size()));
}

}  // namespace

std::string handshake_title(std::uint8_t type) {
  if (const auto* t = registry::find_handshake_type(type)) return std::string(t->title);
  return "handshake_type_" + std::to_string(type);
}

Field describe(const Record& record) {
  Field f = leaf("record", registry::name_of(Names::content_type, record.content_type), record.offset,
                 5 + record.fragment.size());
  f.add(coded("content_type", registry::name_of(Names::content_type, record.content_type), record.offset, 1, record.content_type));
  f.add(version_field("version", record.version, record.offset + 1));
  f.add(leaf("length", std::to_string(record.fragment.size()), record.offset + 3, 2));
  return f;
}

Field describe(const Sslv2ClientHello& h) {
  Field f = leaf("sslv2_client_hello", "SSLv2-format ClientHello", h.offset, h.raw.size());
  f.add(version_field("version", h.version, h.offset + 3));
  Field& specs = f.add(leaf("cipher_specs", std::to_string(h.cipher_specs.size()), h.cipher_specs_offset, 3 * h.cipher_specs.size()));
  for (std::size_t i = 0; i < h.cipher_specs.size(); ++i) {
    const std::uint32_t s = h.cipher_specs[i];
    const std::string name = (s >> 16) == 0 ? registry::cipher_suite_name(static_cast<std::uint16_t>(s))
                                            : registry::name_of(Names::sslv2_cipher_kind, s);
    specs.add(coded("cipher_spec", name, h.cipher_specs_offset + 3 * i, 3, s));
  }
  f.add(leaf("session_id_length", std::to_string(h.session_id.size()), h.offset, 0));
  f.add(leaf("challenge_length", std::to_string(h.challenge.size()), h.offset, 0));
  return f;
}

Field describe(const Handshake& m) {
  Field f = leaf("handshake", handshake_title(m.type), m.offset, 4 + m.length);
  f.add(coded("msg_type", registry::find_handshake_type(m.type) ? std::string(registry::find_handshake_type(m.type)->name)
                                                                : "unknown_" + std::to_string(m.type),
              m.offset, 1, m.type));
  f.add(leaf("length", std::to_string(m.length), m.offset + 1, 3));
  if (const auto* sh = std::get_if<ServerHello>(&m.body); sh && sh->hello_retry_request) f.value = "HelloRetryRequest";
  std::visit([&](const auto& body) { describe_body(f, body); }, m.body);
  return f;
}

Field describe(const Alert& a) {
  Field f = leaf("alert", registry::name_of(Names::alert_level, a.level) + " " +
                              (registry::find_alert(a.description) ? std::string(registry::find_alert(a.description)->name)
                                                                   : "unknown_" + std::to_string(a.description)),
                 a.offset, 2);
  f.add(coded("level", registry::name_of(Names::alert_level, a.level), a.offset, 1, a.level));
  const auto* d = registry::find_alert(a.description);
  f.add(coded("description", d ? std::string(d->name) : "unknown_" + std::to_string(a.description), a.offset + 1, 1, a.description));
  if (d) f.add(leaf("meaning", std::string(d->meaning), a.offset + 1, 1));
  return f;
}

}  // namespace sd::tls

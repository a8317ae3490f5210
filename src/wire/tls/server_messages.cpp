// Certificate, ServerKeyExchange and CertificateRequest bodies. Their layout depends on the version and the
// chosen suite; when the context does not say, the layout that parses cleanly wins.
#include "wire/tls/parse.h"
#include "wire/tls/registry.h"

namespace sd::tls {

namespace {

ByteVec copy(Bytes b) { return ByteVec(b.begin(), b.end()); }

bool is_tls13(const Context& ctx) { return ctx.version && *ctx.version >= code::kTls13; }
bool before_tls12(const Context& ctx) { return ctx.version && *ctx.version < code::kTls12; }

/// Reads the 1.3 certificate_request_context (1-byte length).
std::optional<ParseError> read_request_context(Reader& body, ByteVec& out, const std::string& path) {
  auto context = body.vec(1, 0, 0xff);
  if (!context) return body.fail(path + ".certificate_request_context");
  out = copy(context->take_rest());
  return std::nullopt;
}

/// Reads the certificate_list (3-byte length) and checks nothing follows it; 1.3 entries carry extensions.
std::optional<ParseError> read_certificate_list(Reader& body, Certificate& c) {
  auto list = body.vec(3, 0, 0xffffff);
  if (!list) return body.fail("certificate.certificate_list");
  while (!list->empty()) {
    auto der = list->vec(3, 1, 0xffffff);
    if (!der) return list->fail("certificate.certificate_list.cert_data");
    CertificateEntry entry{der->offset(), copy(der->take_rest()), {}};
    if (c.tls13) {
      auto exts = read_extensions(*list, "certificate.certificate_list.extensions");
      if (!exts) return exts.error();
      entry.extensions = std::move(exts).value();
    }
    c.entries.push_back(std::move(entry));
  }
  return body.expect_end("certificate");
}

Result<Certificate> certificate_12(Reader body) {
  Certificate c;
  if (auto e = read_certificate_list(body, c)) return *e;
  return c;
}

Result<Certificate> certificate_13(Reader body) {
  Certificate c;
  c.tls13 = true;
  if (auto e = read_request_context(body, c.request_context, "certificate")) return *e;
  if (auto e = read_certificate_list(body, c)) return *e;
  return c;
}

/// Reads the signature algorithm (when present) and the signature that end a ServerKeyExchange.
std::optional<ParseError> read_signature(Reader& body, ServerKeyExchange& ske, const Context& ctx) {
  if (body.empty()) return std::nullopt;  // anonymous suites sign nothing
  bool has_scheme = !before_tls12(ctx);
  if (!ctx.version) {
    Reader probe = body;
    probe.skip(2);
    const auto len = probe.u16();
    has_scheme = len && *len == probe.remaining();
  }
  if (has_scheme) {
    const auto scheme = body.u16();
    if (!scheme) return body.fail("server_key_exchange.signature_algorithm");
    ske.signature_scheme = *scheme;
  }
  ske.signature_offset = body.offset();
  auto sig = body.vec(2, 0, 0xffff);
  if (!sig) return body.fail("server_key_exchange.signature");
  ske.signature = copy(sig->take_rest());
  return body.expect_end("server_key_exchange");
}

Result<ServerKeyExchange> ske_ecdhe(Reader body, const Context& ctx) {
  ServerKeyExchange ske;
  ske.kind = ServerKeyExchange::Kind::ecdhe;
  ske.params_offset = body.offset();
  const auto curve_type = body.u8();
  if (!curve_type) return body.fail("server_key_exchange.curve_type");
  if (*curve_type != 3)
    return malformed(ske.params_offset, "server_key_exchange.curve_type", "unsupported_curve_type",
                     "only named curves (type 3) are decoded");
  const auto group = body.u16();
  if (!group) return body.fail("server_key_exchange.named_curve");
  ske.group = *group;
  auto point = body.vec(1, 1, 0xff);
  if (!point) return body.fail("server_key_exchange.public");
  ske.public_key = copy(point->take_rest());
  if (auto e = read_signature(body, ske, ctx)) return *e;
  return ske;
}

Result<ServerKeyExchange> ske_dhe(Reader body, const Context& ctx) {
  ServerKeyExchange ske;
  ske.kind = ServerKeyExchange::Kind::dhe;
  ske.params_offset = body.offset();
  auto p = body.vec(2, 1, 0xffff);
  if (!p) return body.fail("server_key_exchange.dh_p");
  ske.dh_p = copy(p->take_rest());
  auto g = body.vec(2, 1, 0xffff);
  if (!g) return body.fail("server_key_exchange.dh_g");
  ske.dh_g = copy(g->take_rest());
  auto ys = body.vec(2, 1, 0xffff);
  if (!ys) return body.fail("server_key_exchange.dh_Ys");
  ske.public_key = copy(ys->take_rest());
  if (auto e = read_signature(body, ske, ctx)) return *e;
  return ske;
}

Result<CertificateRequest> certificate_request_12(Reader body, bool with_schemes) {
  CertificateRequest cr;
  auto types = body.vec(1, 1, 0xff);
  if (!types) return body.fail("certificate_request.certificate_types");
  const Bytes t = types->take_rest();
  cr.certificate_types.assign(t.begin(), t.end());
  if (with_schemes) {
    auto schemes = body.vec(2, 2, 0xfffe);
    if (!schemes || schemes->remaining() % 2) return body.fail("certificate_request.supported_signature_algorithms");
    std::vector<std::uint16_t> list;
    cr.signature_schemes_offset = schemes->offset();
    while (!schemes->empty()) list.push_back(*schemes->u16());
    cr.signature_schemes = std::move(list);
  }
  cr.ca_names_offset = body.offset();
  auto names = body.vec(2, 0, 0xffff);
  if (!names) return body.fail("certificate_request.certificate_authorities");
  while (!names->empty()) {
    auto dn = names->vec(2, 1, 0xffff);
    if (!dn) return names->fail("certificate_request.certificate_authorities.distinguished_name");
    cr.ca_names.push_back({dn->offset(), copy(dn->take_rest())});
  }
  if (auto e = body.expect_end("certificate_request")) return *e;
  return cr;
}

Result<CertificateRequest> certificate_request_13(Reader body) {
  CertificateRequest cr;
  cr.tls13 = true;
  if (auto e = read_request_context(body, cr.request_context, "certificate_request")) return *e;
  auto exts = read_extensions(body, "certificate_request.extensions");
  if (!exts) return exts.error();
  cr.extensions = std::move(exts).value();
  if (auto e = body.expect_end("certificate_request")) return *e;
  return cr;
}

}  // namespace

Result<Certificate> parse_certificate(Reader body, const Context& ctx) {
  if (is_tls13(ctx)) return certificate_13(body);
  auto as12 = certificate_12(body);
  if (as12 || ctx.version) return as12;
  auto as13 = certificate_13(body);
  return as13 ? as13 : as12;
}

Result<ServerKeyExchange> parse_server_key_exchange(Reader body, const Context& ctx) {
  const auto* suite = ctx.cipher_suite ? registry::find_cipher_suite(*ctx.cipher_suite) : nullptr;
  if (suite && suite->kx.starts_with("ECDHE")) return ske_ecdhe(body, ctx);
  if (suite && suite->kx.starts_with("DHE")) return ske_dhe(body, ctx);
  auto as_ec = ske_ecdhe(body, ctx);
  if (as_ec) return as_ec;
  auto as_dh = ske_dhe(body, ctx);
  return as_dh ? as_dh : as_ec;
}

Result<CertificateRequest> parse_certificate_request(Reader body, const Context& ctx) {
  if (is_tls13(ctx)) return certificate_request_13(body);
  if (before_tls12(ctx)) return certificate_request_12(body, false);
  auto with_schemes = certificate_request_12(body, true);
  if (with_schemes || ctx.version) return with_schemes;
  if (auto without = certificate_request_12(body, false)) return without;
  if (auto as13 = certificate_request_13(body)) return as13;
  return with_schemes;
}

}  // namespace sd::tls

// Handshake framing and the table that sends each message type to its body parser.
#include "wire/tls/parse.h"

namespace sd::tls {

namespace {

using BodyResult = Result<decltype(Handshake::body)>;

template <class T>
BodyResult lift(Result<T> r) {
  if (!r) return r.error();
  return decltype(Handshake::body){std::move(r).value()};
}

BodyResult client_hello(Reader b, const Context&) { return lift(parse_client_hello(b)); }
BodyResult server_hello(Reader b, const Context&) { return lift(parse_server_hello(b)); }
BodyResult certificate(Reader b, const Context& c) { return lift(parse_certificate(b, c)); }
BodyResult server_key_exchange(Reader b, const Context& c) { return lift(parse_server_key_exchange(b, c)); }
BodyResult certificate_request(Reader b, const Context& c) { return lift(parse_certificate_request(b, c)); }

BodyResult server_hello_done(Reader b, const Context&) {
  if (auto e = b.expect_end("server_hello_done")) return *e;
  return decltype(Handshake::body){Opaque{}};
}

struct BodyParser {
  std::uint8_t type;
  BodyResult (*parse)(Reader, const Context&);
};

/// Message types with a typed body; every other type is kept opaque (Finished, encrypted messages …).
constexpr BodyParser kBodyParsers[] = {
    {code::kClientHello, client_hello},
    {code::kServerHello, server_hello},
    {code::kCertificate, certificate},
    {code::kServerKeyExchange, server_key_exchange},
    {code::kCertificateRequest, certificate_request},
    {code::kServerHelloDone, server_hello_done},
};

}  // namespace

Result<Handshake> read_handshake(Reader& in, const Context& ctx) {
  Handshake h;
  h.offset = in.offset();
  const auto type = in.u8();
  if (!type) return in.fail("handshake.msg_type");
  auto body = in.prefixed(3);
  if (!body) return in.fail("handshake.length");
  h.type = *type;
  h.body_offset = body->offset();
  h.length = static_cast<std::uint32_t>(body->remaining());
  for (const auto& p : kBodyParsers) {
    if (p.type != h.type) continue;
    auto parsed = p.parse(*body, ctx);
    if (!parsed) return parsed.error();
    h.body = std::move(parsed).value();
    return h;
  }
  const Bytes rest = body->take_rest();
  h.body = Opaque{ByteVec(rest.begin(), rest.end())};
  return h;
}

}  // namespace sd::tls

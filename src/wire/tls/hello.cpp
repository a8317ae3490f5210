// ClientHello and ServerHello (including HelloRetryRequest) bodies.
#include <array>
#include <algorithm>

#include "wire/tls/parse.h"

namespace sd::tls {

namespace {

/// The ServerHello.random value that marks a HelloRetryRequest (RFC 8446 section 4.1.3).
constexpr std::array<std::uint8_t, 32> kHelloRetryRandom{
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

ByteVec copy(Bytes b) { return ByteVec(b.begin(), b.end()); }

/// Reads version, random and session id, the opening common to both hellos.
template <class Hello>
std::optional<ParseError> read_opening(Reader& body, Hello& h, const std::string& path) {
  const auto version = body.u16();
  if (!version) return body.fail(path + ".legacy_version");
  h.legacy_version = *version;
  h.random_offset = body.offset();
  const auto random = body.bytes(32);
  if (!random) return body.fail(path + ".random");
  h.random = copy(*random);
  auto session = body.vec(1, 0, 32);
  if (!session) return body.fail(path + ".legacy_session_id");
  h.session_id = copy(session->take_rest());
  return std::nullopt;
}

/// Reads the optional extension block that ends both hellos.
template <class Hello>
std::optional<ParseError> read_tail(Reader& body, Hello& h, const std::string& path) {
  if (body.empty()) return std::nullopt;  // hellos before RFC 3546 end here
  h.has_extensions_block = true;
  h.extensions_offset = body.offset();
  auto exts = read_extensions(body, path + ".extensions");
  if (!exts) return exts.error();
  h.extensions = std::move(exts).value();
  return body.expect_end(path);
}

}  // namespace

Result<ClientHello> parse_client_hello(Reader body) {
  ClientHello h;
  if (auto e = read_opening(body, h, "client_hello")) return *e;
  auto suites = body.vec(2, 2, 0xfffe);
  if (!suites) return body.fail("client_hello.cipher_suites");
  if (suites->remaining() % 2 != 0)
    return malformed(suites->offset() - 2, "client_hello.cipher_suites", "odd_length", "cipher suite list length is odd");
  h.cipher_suites_offset = suites->offset();
  while (!suites->empty()) h.cipher_suites.push_back(*suites->u16());
  h.compression_offset = body.offset();
  auto compression = body.vec(1, 1, 0xff);
  if (!compression) return body.fail("client_hello.compression_methods");
  const Bytes methods = compression->take_rest();
  h.compression_methods.assign(methods.begin(), methods.end());
  if (auto e = read_tail(body, h, "client_hello")) return *e;
  return h;
}

Result<ServerHello> parse_server_hello(Reader body) {
  ServerHello h;
  if (auto e = read_opening(body, h, "server_hello")) return *e;
  h.cipher_suite_offset = body.offset();
  const auto suite = body.u16();
  if (!suite) return body.fail("server_hello.cipher_suite");
  const auto compression = body.u8();
  if (!compression) return body.fail("server_hello.compression_method");
  h.cipher_suite = *suite;
  h.compression_method = *compression;
  h.hello_retry_request = std::equal(h.random.begin(), h.random.end(), kHelloRetryRandom.begin(), kHelloRetryRandom.end());
  if (auto e = read_tail(body, h, "server_hello")) return *e;
  return h;
}

}  // namespace sd::tls

// Parsing TLS records and handshake messages from untrusted bytes. Everything reads through sd::Reader and returns
// a Result: "need more" when a stream reader ran out, "malformed" when the bytes break the format.
#pragma once

#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "wire/tls/messages.h"

namespace sd::tls {

/// Largest record fragment a peer may send (2^14 plus the 2048 bytes RFC 5246 allows for expansion).
inline constexpr std::size_t kMaxFragment = 16384 + 2048;

/// True when the 5 bytes could start a TLS record: known content type, version 3.x, plausible length.
bool looks_like_record_header(Bytes b);
/// Reads only the 5-byte record header (fragment left unread and empty); errors as read_record.
Result<Record> read_record_header(Reader& in);
/// Reads one record from the reader; need_more when the record is cut short, malformed ("not_a_record")
/// when the header is not a TLS record header.
Result<Record> read_record(Reader& in);

/// True when the bytes start like an SSL 2.0-format ClientHello (high bit set, message type 1, version 0x0002/0x03xx).
bool looks_like_sslv2_client_hello(Bytes b);
/// Reads an SSL 2.0-format ClientHello, header included.
Result<Sslv2ClientHello> read_sslv2_client_hello(Reader& in);

/// Reads one handshake message (4-byte header and body) and parses the body by its type.
Result<Handshake> read_handshake(Reader& in, const Context& ctx = {});

/// Parses a ClientHello body; the reader must cover exactly the body.
Result<ClientHello> parse_client_hello(Reader body);
/// Parses a ServerHello body (also a HelloRetryRequest).
Result<ServerHello> parse_server_hello(Reader body);
/// Parses a Certificate body, in the 1.3 form when the context says 1.3 (guessed from the layout otherwise).
Result<Certificate> parse_certificate(Reader body, const Context& ctx);
/// Parses a ServerKeyExchange body; the chosen suite (if known) says ECDHE or DHE, the version whether a
/// signature algorithm is present (both guessed from the layout otherwise).
Result<ServerKeyExchange> parse_server_key_exchange(Reader body, const Context& ctx);
/// Parses a CertificateRequest body (1.0/1.1, 1.2 or 1.3 form; guessed from the layout when the context is empty).
Result<CertificateRequest> parse_certificate_request(Reader body, const Context& ctx);
/// Parses an alert record's fragment (one or more 2-byte alerts).
Result<std::vector<Alert>> parse_alerts(Reader fragment);
/// Reads a 2-byte-length extension block into its extensions; duplicates are malformed.
Result<std::vector<Extension>> read_extensions(Reader& in, const std::string& path);

}  // namespace sd::tls

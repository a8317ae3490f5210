// Turning typed TLS messages into named field trees (names from the registries, offsets into the source bytes).
#pragma once

#include "core/field.h"
#include "wire/tls/messages.h"

namespace sd::tls {

/// The record header: content_type, version, length (the fragment is described by its own message).
Field describe(const Record& record);
/// An SSL 2.0-format ClientHello, field by field.
Field describe(const Sslv2ClientHello& hello);
/// A handshake message with its typed body; opaque bodies show their length.
Field describe(const Handshake& message);
/// One alert: level and description by name.
Field describe(const Alert& alert);

/// The report title of a handshake type ("ClientHello"), or "handshake_type_N".
std::string handshake_title(std::uint8_t type);

}  // namespace sd::tls

// Facts and plain-language notes for decoded messages (internal to the decode layer).
#pragma once

#include "wire/decode/decode.h"
#include "wire/tls/messages.h"
#include "wire/tls/plaintext.h"

namespace sd::decode::detail {

/// Fills summary and notes for a handshake message.
void summarize(const tls::Handshake& message, Message& out);
/// Fills summary and notes for an SSLv2-format ClientHello.
void summarize(const tls::Sslv2ClientHello& hello, Message& out);
/// Fills the alert part of summary and notes.
void summarize(const tls::Alert& alert, Message& out);
/// Fills the plaintext part of summary and notes.
void summarize(const tls::PlaintextGuess& text, Message& out);

/// "TLS 1.2 (0x0303)"-style wording of a version for notes.
std::string version_words(std::uint16_t v);

}  // namespace sd::decode::detail

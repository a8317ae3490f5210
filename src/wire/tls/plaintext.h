// Plaintext where a TLS record was expected: recognising it and saying what it looks like.
#pragma once

#include <string>

#include "core/bytes.h"

namespace sd::tls {

/// What a run of text looks like.
struct PlaintextGuess {
  std::string kind;     ///< ftp-reply, smtp-greeting, imap-greeting, pop3-greeting, ssh-banner, http, text
  std::string text;     ///< the text itself, control characters shown as '.'
  std::string meaning;  ///< one plain sentence about what the peer said
};

/// True when the bytes read as text (a TLS record or handshake never starts with a printable byte).
bool looks_like_text(Bytes b);
/// Names the kind of text from the registry of reply signatures (data/registry/tls-plaintext-signatures.tsv).
PlaintextGuess classify_plaintext(Bytes b);

}  // namespace sd::tls

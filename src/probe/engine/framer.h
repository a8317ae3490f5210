// Framers: small functions that look at the bytes received so far and say where one message ends.
// The engine reads until a framer says "complete" or "reject", never past the read's size cap.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "core/bytes.h"
#include "core/outcome.h"

namespace sd::probe {

/// A framer's answer about the buffered bytes.
struct Frame {
  /// need_more: `size` more bytes at least; complete: the first `size` bytes are one message; reject: stop.
  enum class Status { need_more, complete, reject };

  Status status = Status::need_more;
  std::size_t size = 1;
  Outcome label = Outcome::success;  ///< for complete: what the message is (success, plaintext-reply, handshake-alert)
  std::string detail;                ///< one plain sentence for reports

  /// At least n (>= 1) more bytes are needed before the framer can decide.
  static Frame more(std::size_t n);
  /// The first n bytes form one message, labelled with what kind of answer it is.
  static Frame done(std::size_t n, Outcome label = Outcome::success, std::string detail = {});
  /// The bytes cannot become the expected message; the read ends with this outcome.
  static Frame bad(Outcome outcome, std::string detail);
};

/// Decides on a prefix of the received bytes; must be pure (called again as bytes arrive).
using Framer = std::function<Frame(Bytes buffered)>;

/// Largest TLS record body a peer may send (RFC 5246 6.2.3: 2^14 + 2048).
inline constexpr std::size_t kTlsMaxRecordBody = 16384 + 2048;

/// One TLS record (5-byte header, then its length). An alert record is labelled handshake-alert; printable text
/// where a record was expected is labelled plaintext-reply and ends at the end of its line; a length above
/// kTlsMaxRecordBody is oversized; anything else is a protocol-error.
Framer tls_record_framer();

/// One numbered reply, single or multi-line: FTP (RFC 959 "ddd-" ... "ddd ") and SMTP (RFC 5321).
Framer numbered_reply_framer();

/// One text line ending in LF (POP3 "+OK"/"-ERR", a bare greeting). Binary bytes are a protocol-error.
Framer line_framer();

/// IMAP: untagged "* ..." lines up to and including the line that starts with `tag` and a space
/// (tag "*" takes the single greeting line).
Framer imap_reply_framer(std::string tag);

/// SSH identification: any pre-banner lines, up to and including the "SSH-" line (RFC 4253 4.2).
Framer ssh_banner_framer();

/// One SSH binary packet: uint32 packet_length then that many bytes (RFC 4253 6).
Framer ssh_packet_framer();

/// UDP: a whole datagram is one message (the engine hands each datagram over complete).
Framer datagram_framer();

}  // namespace sd::probe

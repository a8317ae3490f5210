#include "probe/engine/framer.h"

#include <fmt/format.h>

#include <optional>
#include <string_view>
#include <utility>

namespace sd::probe {

Frame Frame::more(std::size_t n) { return Frame{Status::need_more, n == 0 ? 1 : n, Outcome::success, {}}; }

Frame Frame::done(std::size_t n, Outcome label, std::string detail) {
  return Frame{Status::complete, n, label, std::move(detail)};
}

Frame Frame::bad(Outcome outcome, std::string detail) { return Frame{Status::reject, 0, outcome, std::move(detail)}; }

namespace {

/// One line found in a byte stream: where it starts, its bytes including the LF, or why there is none yet.
struct Line {
  enum class Status { complete, partial, binary };
  Status status = Status::partial;
  Bytes text;             ///< the line including its LF (complete) or what arrived of it (partial)
  std::size_t end = 0;    ///< offset just past the LF, relative to the start of the buffer
  std::uint8_t bad = 0;   ///< the offending byte when status is binary
};

/// Text bytes: printable ASCII, tab, CR, LF, and UTF-8 (>= 0x80); control bytes are binary.
bool is_text_byte(std::uint8_t c) { return c >= 0x20 ? c != 0x7f : (c == '\t' || c == '\r' || c == '\n'); }

/// Printable ASCII, the way a plaintext reply starts.
bool is_printable_ascii(std::uint8_t c) { return c >= 0x20 && c < 0x7f; }

/// Reads the next line from the cursor; the cursor ends just past the LF, or at the end on partial/binary.
Line next_line(Reader& r) {
  const std::size_t start = r.offset();
  const Bytes from = r.rest();
  std::size_t n = 0;
  while (const auto c = r.u8()) {
    ++n;
    if (!is_text_byte(*c)) return Line{Line::Status::binary, from.first(n), start + n, *c};
    if (*c == '\n') return Line{Line::Status::complete, from.first(n), start + n, 0};
  }
  return Line{Line::Status::partial, from.first(n), start + n, 0};
}

bool starts_with(Bytes line, std::string_view prefix) {
  if (line.size() < prefix.size()) return false;
  auto r = Reader::bounded(line);
  const auto head = r.bytes(prefix.size());
  return head && std::string_view(reinterpret_cast<const char*>(head->data()), head->size()) == prefix;
}

Frame binary_in_text(const Line& line, std::string_view what) {
  return Frame::bad(Outcome::protocol_error,
                    fmt::format("binary byte 0x{:02x} at offset {} where {} was expected", line.bad, line.end - 1, what));
}

/// The first line as a plaintext reply where a binary record was expected.
Frame plaintext_line(Bytes buffered) {
  auto r = Reader::stream(buffered);
  const Line line = next_line(r);
  if (line.status == Line::Status::partial) return Frame::more(1);
  if (line.status == Line::Status::binary)
    return Frame::done(line.end - 1, Outcome::plaintext_reply, "printable text, then a binary byte, where a TLS record was expected");
  return Frame::done(line.end, Outcome::plaintext_reply, "a line of printable text where a TLS record was expected");
}

/// SSLv2 record: 2-byte header with the top bit set, then the body (RFC 6101 appendix E).
Frame sslv2_record(Reader& r) {
  const auto header = r.u16();
  if (!header) return Frame::more(2 - r.remaining());
  const std::size_t body = *header & 0x7fffu;
  if (r.remaining() < body) return Frame::more(body - r.remaining());
  return Frame::done(2 + body, Outcome::success, "an SSLv2 record");
}

/// The 3-digit code and separator at the start of a numbered reply, checked on whatever has arrived.
std::optional<Frame> check_reply_code(Bytes first) {
  const std::size_t n = first.size() < 4 ? first.size() : 4;
  auto r = Reader::bounded(first.first(n));
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = r.u8();
    const bool ok = i < 3 ? (*c >= '0' && *c <= '9') : (*c == ' ' || *c == '-');
    if (!ok) return Frame::bad(Outcome::protocol_error, fmt::format("reply does not start with a 3-digit code: \"{}\"", printable(first.first(n))));
  }
  if (n < 4) return Frame::more(4 - n);
  return std::nullopt;
}

}  // namespace

Framer tls_record_framer() {
  return [](Bytes buffered) -> Frame {
    auto r = Reader::stream(buffered);
    const auto type = r.peek_u8();
    if (!type) return Frame::more(1);
    if (is_printable_ascii(*type)) return plaintext_line(buffered);
    if (*type & 0x80) return sslv2_record(r);
    if (*type < 20 || *type > 24)
      return Frame::bad(Outcome::protocol_error, fmt::format("byte 0x{:02x} is not a TLS content type", *type));
    r.skip(1);
    const auto version = r.u16();
    const auto length = r.u16();
    if (!version || !length) return Frame::more(5 - buffered.size());
    if ((*version >> 8) != 3)
      return Frame::bad(Outcome::protocol_error, fmt::format("record version 0x{:04x} is not 3.x", *version));
    if (*length > kTlsMaxRecordBody)
      return Frame::bad(Outcome::oversized, fmt::format("record length {} is above the TLS limit of {}", *length, kTlsMaxRecordBody));
    if (r.remaining() < *length) return Frame::more(*length - r.remaining());
    if (*type == 21) return Frame::done(5 + *length, Outcome::handshake_alert, "a TLS alert record");
    return Frame::done(5 + *length);
  };
}

Framer numbered_reply_framer() {
  return [](Bytes buffered) -> Frame {
    auto r = Reader::stream(buffered);
    const Line first = next_line(r);
    if (auto verdict = check_reply_code(first.text)) return *verdict;
    if (first.status == Line::Status::binary) return binary_in_text(first, "a numbered reply");
    if (first.status == Line::Status::partial) return Frame::more(1);
    auto head = Reader::bounded(first.text);
    const auto code = head.bytes(3);
    if (head.u8() == ' ') return Frame::done(first.end);
    const std::string last = fmt::format("{} ", std::string_view(reinterpret_cast<const char*>(code->data()), code->size()));
    for (;;) {
      const Line line = next_line(r);
      if (line.status == Line::Status::binary) return binary_in_text(line, "a numbered reply");
      if (line.status == Line::Status::partial) return Frame::more(1);
      if (starts_with(line.text, last)) return Frame::done(line.end);
    }
  };
}

Framer line_framer() {
  return [](Bytes buffered) -> Frame {
    auto r = Reader::stream(buffered);
    const Line line = next_line(r);
    if (line.status == Line::Status::binary) return binary_in_text(line, "a text line");
    if (line.status == Line::Status::partial) return Frame::more(1);
    return Frame::done(line.end);
  };
}

Framer imap_reply_framer(std::string tag) {
  return [tag = std::move(tag)](Bytes buffered) -> Frame {
    const std::string final_prefix = tag + " ";
    auto r = Reader::stream(buffered);
    for (;;) {
      const Line line = next_line(r);
      if (line.status == Line::Status::binary) return binary_in_text(line, "an IMAP response");
      if (line.status == Line::Status::partial) return Frame::more(1);
      if (starts_with(line.text, final_prefix)) return Frame::done(line.end);
      if (!starts_with(line.text, "* ") && !starts_with(line.text, "+ "))
        return Frame::bad(Outcome::protocol_error, fmt::format("IMAP line is neither untagged nor tagged {}: \"{}\"", tag, printable(line.text)));
    }
  };
}

Framer ssh_banner_framer() {
  return [](Bytes buffered) -> Frame {
    auto r = Reader::stream(buffered);
    for (;;) {
      const Line line = next_line(r);
      if (line.status == Line::Status::binary) return binary_in_text(line, "the SSH identification line");
      if (line.status == Line::Status::partial) return Frame::more(1);
      if (starts_with(line.text, "SSH-")) return Frame::done(line.end);
    }
  };
}

Framer ssh_packet_framer() {
  return [](Bytes buffered) -> Frame {
    auto r = Reader::stream(buffered);
    const auto length = r.u32();
    if (!length) return Frame::more(4 - buffered.size());
    if (*length < 5)
      return Frame::bad(Outcome::protocol_error, fmt::format("packet length {} leaves no room for padding", *length));
    if (r.remaining() < *length) return Frame::more(*length - r.remaining());
    return Frame::done(4 + static_cast<std::size_t>(*length));
  };
}

Framer datagram_framer() {
  return [](Bytes buffered) -> Frame { return buffered.empty() ? Frame::more(1) : Frame::done(buffered.size()); };
}

}  // namespace sd::probe

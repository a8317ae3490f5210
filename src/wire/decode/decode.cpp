// Framing: which form a dump's bytes take (records, SSLv2 hello, bare handshake, plaintext), one Message per
// protocol message, each tied back to its source lines.
#include "wire/decode/decode.h"

#include <algorithm>

#include "wire/decode/summarize.h"
#include "wire/tls/describe.h"
#include "wire/tls/extensions.h"
#include "wire/tls/parse.h"
#include "wire/tls/plaintext.h"
#include "wire/tls/registry.h"

namespace sd::decode {

namespace {

/// A Message for bytes [offset, offset+length) of the dump, with the lines those bytes came from.
Message slice(const hexdump::Dump& d, std::string kind, std::size_t offset, std::size_t length) {
  Message m;
  m.label = d.label;
  m.dump_format = d.format;
  m.kind = std::move(kind);
  const std::size_t end = std::min(d.bytes.size(), offset + length);
  offset = std::min(offset, end);
  m.bytes.assign(d.bytes.begin() + static_cast<std::ptrdiff_t>(offset), d.bytes.begin() + static_cast<std::ptrdiff_t>(end));
  const bool have_lines = d.byte_lines.size() == d.bytes.size() && end > offset;
  m.first_line = have_lines ? d.byte_lines[offset] : d.first_line;
  m.last_line = have_lines ? d.byte_lines[end - 1] : d.last_line;
  return m;
}

void set_error(Message& m, const ParseError& e) {
  m.error = e;
  const std::string what = e.need_more() ? "The dump ends before the message does" : "The bytes break the TLS format";
  m.notes.push_back(what + " at byte " + std::to_string(e.offset) + " (" + e.path + "): " + e.message + ".");
}

Message plaintext(const hexdump::Dump& d, std::size_t offset) {
  Message m = slice(d, "plaintext", offset, d.bytes.size() - offset);
  m.summary.message = "plaintext";
  detail::summarize(tls::classify_plaintext(m.bytes), m);
  m.fields.push_back(leaf("plaintext", m.summary.plaintext, offset, m.bytes.size()));
  m.fields.back().add(leaf("looks_like", m.summary.plaintext_kind, offset, m.bytes.size()));
  return m;
}

Message undecodable(const hexdump::Dump& d, std::size_t offset, const ParseError& e) {
  Message m = slice(d, "undecodable", offset, d.bytes.size() - offset);
  m.summary.message = "undecodable";
  set_error(m, e);
  return m;
}

bool looks_like_bare_handshake(Bytes b) {
  Reader r = Reader::bounded(b);
  const auto type = r.u8();
  const auto length = r.u24();
  return type && length && tls::registry::find_handshake_type(*type) && *length <= 0xffff && *length + 4 <= b.size() + 0x4000;
}

}  // namespace

namespace {

/// Decodes the handshake messages in one record fragment (or a bare handshake dump when record is null).
void handshakes(const hexdump::Dump& d, Reader in, const tls::Record* record, tls::Context& ctx, std::vector<Message>& out) {
  while (!in.empty()) {
    const std::size_t at = in.offset();
    auto hs = tls::read_handshake(in, ctx);
    Message m = slice(d, record ? "tls-record" : "tls-handshake", at, hs ? in.offset() - at : in.whole().size());
    if (record) {
      m.summary.record_version = record->version;
      m.fields.push_back(tls::describe(*record));
    }
    if (!hs) {
      m.summary.message = "undecodable";
      set_error(m, hs.error());
      out.push_back(std::move(m));
      return;
    }
    detail::summarize(*hs, m);
    if (record) m.fields.back().add(tls::describe(*hs));
    else m.fields.push_back(tls::describe(*hs));
    if (const auto* sh = std::get_if<tls::ServerHello>(&hs->body); sh && !sh->hello_retry_request) {
      ctx.version = tls::selected_version(*sh);
      ctx.cipher_suite = sh->cipher_suite;
    }
    out.push_back(std::move(m));
  }
}

void alerts(const hexdump::Dump& d, const tls::Record& rec, std::vector<Message>& out) {
  auto parsed = tls::parse_alerts(Reader::bounded(rec.fragment, rec.fragment_offset));
  Message m = slice(d, "tls-record", rec.offset, 5 + rec.fragment.size());
  m.summary.message = "Alert";
  m.summary.record_version = rec.version;
  m.fields.push_back(tls::describe(rec));
  if (!parsed) {
    set_error(m, parsed.error());
  } else {
    for (const auto& a : *parsed) {
      m.fields.back().add(tls::describe(a));
      detail::summarize(a, m);
    }
  }
  out.push_back(std::move(m));
}

void other_record(const hexdump::Dump& d, const tls::Record& rec, std::vector<Message>& out) {
  Message m = slice(d, "tls-record", rec.offset, 5 + rec.fragment.size());
  m.summary.message = tls::registry::name_of(tls::registry::Names::content_type, rec.content_type);
  m.summary.record_version = rec.version;
  m.fields.push_back(tls::describe(rec));
  if (rec.content_type == tls::code::kApplicationData)
    m.notes.push_back("Encrypted record (" + std::to_string(rec.fragment.size()) + " bytes): application data, or a TLS 1.3 handshake message after the ServerHello.");
  out.push_back(std::move(m));
}

/// A record header alone (System SSL dumps the 5-byte header before reading the body).
void header_only(const hexdump::Dump& d, Reader in, const ParseError& e, std::vector<Message>& out) {
  const std::size_t at = in.offset();
  auto header = tls::read_record_header(in);
  if (!header) {
    out.push_back(undecodable(d, at, e));
    return;
  }
  Message m = slice(d, "tls-record", at, d.bytes.size() - at);
  m.summary.message = "record header";
  m.summary.record_version = header->version;
  m.fields.push_back(tls::describe(*header));
  m.fields.back().children.back().value = std::to_string(header->length);
  if (in.empty()) {
    m.notes.push_back("Only the record header is in this dump; its " + std::to_string(header->length) +
                      "-byte body is not (traces often dump the header and the body separately).");
  } else {
    set_error(m, e);
  }
  out.push_back(std::move(m));
}

/// Decodes a run of records; text after them (vsftpd and proftpd send an alert, then a plaintext reply) is kept.
void records(const hexdump::Dump& d, tls::Context& ctx, std::vector<Message>& out) {
  Reader in = Reader::stream(d.bytes);
  while (!in.empty()) {
    if (tls::looks_like_text(in.rest())) {
      Message text = plaintext(d, in.offset());
      const bool after_alert = !out.empty() && out.back().summary.message == "Alert";
      if (!after_alert) {
        out.push_back(std::move(text));
      } else {
        Message& alert = out.back();
        alert.kind = "alert+plaintext";
        alert.summary.message = "alert+plaintext";
        alert.summary.plaintext = text.summary.plaintext;
        alert.summary.plaintext_kind = text.summary.plaintext_kind;
        alert.last_line = text.last_line;
        alert.bytes.insert(alert.bytes.end(), text.bytes.begin(), text.bytes.end());
        alert.fields.insert(alert.fields.end(), text.fields.begin(), text.fields.end());
        alert.notes.insert(alert.notes.end(), text.notes.begin(), text.notes.end());
      }
      return;
    }
    Reader before = in;
    auto rec = tls::read_record(in);
    if (!rec) {
      if (rec.error().need_more()) header_only(d, before, rec.error(), out);
      else out.push_back(undecodable(d, before.offset(), rec.error()));
      return;
    }
    if (rec->content_type == tls::code::kHandshake) handshakes(d, Reader::stream(rec->fragment, rec->fragment_offset), &*rec, ctx, out);
    else if (rec->content_type == tls::code::kAlert) alerts(d, *rec, out);
    else other_record(d, *rec, out);
  }
}

void sslv2(const hexdump::Dump& d, std::vector<Message>& out) {
  Reader in = Reader::stream(d.bytes);
  auto hello = tls::read_sslv2_client_hello(in);
  Message m = slice(d, "sslv2-hello", 0, hello ? hello->raw.size() : d.bytes.size());
  if (!hello) {
    m.summary.message = "undecodable";
    set_error(m, hello.error());
  } else {
    detail::summarize(*hello, m);
    m.fields.push_back(tls::describe(*hello));
  }
  out.push_back(std::move(m));
}

/// One byte naming a content type: the TLS 1.3 inner content type that openssl -msg prints on its own.
bool is_inner_content_type(Bytes b) {
  return b.size() == 1 && tls::registry::find_named(tls::registry::Names::content_type, b.front()) != nullptr;
}

Message inner_content_type(const hexdump::Dump& d) {
  Message m = slice(d, "tls-inner-content-type", 0, 1);
  const std::string type = tls::registry::name_of(tls::registry::Names::content_type, d.bytes.front());
  m.summary.message = "inner content type";
  m.fields.push_back(leaf("inner_content_type", type, 0, 1, d.bytes.front()));
  m.notes.push_back("TLS 1.3 inner content type of an encrypted record: " + type + ".");
  return m;
}

/// Two bytes that read as an alert (level warning/fatal, a known description): openssl -msg prints alerts bare.
bool looks_like_bare_alert(Bytes b) {
  return b.size() == 2 && (b.front() == 1 || b.front() == 2) && tls::registry::find_alert(b.back()) != nullptr;
}

Message bare_alert(const hexdump::Dump& d) {
  Message m = slice(d, "tls-alert", 0, 2);
  m.summary.message = "Alert";
  auto parsed = tls::parse_alerts(Reader::bounded(d.bytes));
  for (const auto& a : *parsed) {
    m.fields.push_back(tls::describe(a));
    detail::summarize(a, m);
  }
  return m;
}

}  // namespace

namespace {

/// The record length a lone 5-byte header announces, or nullopt when the dump is not such a header.
std::optional<std::size_t> lone_header_length(const std::vector<Message>& decoded) {
  if (decoded.size() != 1 || decoded[0].summary.message != "record header" || decoded[0].error) return std::nullopt;
  Reader r = Reader::bounded(decoded[0].bytes);
  auto header = tls::read_record_header(r);
  return header ? std::optional<std::size_t>(header->length) : std::nullopt;
}

/// The header dump and the body dump joined into one, keeping each byte's source line.
hexdump::Dump joined(const hexdump::Dump& header, const hexdump::Dump& body) {
  hexdump::Dump d = body;
  d.first_line = header.first_line;
  d.bytes.assign(header.bytes.begin(), header.bytes.end());
  d.bytes.insert(d.bytes.end(), body.bytes.begin(), body.bytes.end());
  d.byte_lines = header.byte_lines;
  d.byte_lines.resize(header.bytes.size(), static_cast<std::uint32_t>(header.first_line));
  d.byte_lines.insert(d.byte_lines.end(), body.byte_lines.begin(), body.byte_lines.end());
  d.byte_lines.resize(d.bytes.size(), static_cast<std::uint32_t>(body.last_line));
  return d;
}

}  // namespace

std::vector<Message> Session::decode(const hexdump::Dump& dump) {
  const auto pending = std::move(pending_header_);
  pending_header_.reset();
  if (pending) {
    Reader r = Reader::bounded(pending->bytes);
    auto header = tls::read_record_header(r);
    if (header && header->length == dump.bytes.size() && !dump.bytes.empty()) {
      auto out = decode_alone(joined(*pending, dump));
      for (auto& m : out) m.notes.push_back("Decoded together with the record header dumped just before it.");
      return out;
    }
  }
  auto out = decode_alone(dump);
  if (lone_header_length(out)) pending_header_ = dump;
  return out;
}

std::vector<Message> Session::decode_alone(const hexdump::Dump& dump) {
  std::vector<Message> out;
  const Bytes b = dump.bytes;
  if (b.empty()) {
    out.push_back(undecodable(dump, 0, malformed(0, "dump", "empty", "the dump holds no bytes")));
  } else if (tls::looks_like_text(b)) {
    out.push_back(plaintext(dump, 0));
  } else if (is_inner_content_type(b)) {
    out.push_back(inner_content_type(dump));
  } else if (tls::looks_like_sslv2_client_hello(b)) {
    sslv2(dump, out);
  } else if (tls::registry::find_named(tls::registry::Names::content_type, b.front()) &&
             (b.size() < 5 || tls::looks_like_record_header(b.first(5)))) {
    records(dump, ctx_, out);
  } else if (looks_like_bare_alert(b)) {
    out.push_back(bare_alert(dump));
  } else if (looks_like_bare_handshake(b)) {
    handshakes(dump, Reader::stream(b), nullptr, ctx_, out);
  } else {
    out.push_back(undecodable(dump, 0, malformed(0, "dump", "not_tls", "neither a TLS record, a handshake message, an SSLv2 hello nor text")));
  }
  return out;
}

std::vector<Message> decode_dump(const hexdump::Dump& dump) {
  Session session;
  return session.decode(dump);
}

std::vector<Message> decode_text(std::string_view text) {
  Session session;
  std::vector<Message> out;
  for (const auto& dump : hexdump::recover(text)) {
    auto messages = session.decode(dump);
    out.insert(out.end(), std::make_move_iterator(messages.begin()), std::make_move_iterator(messages.end()));
  }
  return out;
}

}  // namespace sd::decode

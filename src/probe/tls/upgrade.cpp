// Upgrade dialogues (RFC 4217 AUTH TLS, RFC 3207 STARTTLS, RFC 3501 STARTTLS, RFC 2595 STLS, RFC 4511 StartTLS).
#include "probe/tls/upgrade.h"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace sd::probe::tls {
namespace {

constexpr std::string_view kStartTlsOid = "1.3.6.1.4.1.1466.20037";
constexpr std::uint8_t kLdapExtendedRequest = 0x77, kLdapExtendedResponse = 0x78;

ByteVec line(std::string_view text) {
  ByteVec out(text.begin(), text.end());
  out.push_back('\r');
  out.push_back('\n');
  return out;
}

// The reply as printable text without its line ends (inner line breaks show as '.').
std::string as_text(Bytes bytes) {
  while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r')) bytes = bytes.first(bytes.size() - 1);
  return printable(bytes);
}

bool starts_with(Bytes bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() &&
         std::string_view(reinterpret_cast<const char*>(bytes.data()), prefix.size()) == prefix;
}

Step refused(Step step, std::string_view command) {
  step.detail = fmt::format("the server refused {}: \"{}\"", command, as_text(step.bytes));
  step.outcome = Outcome::protocol_error;
  return step;
}

// Reads one reply with the framer and keeps its text in the log.
asio::awaitable<Step> read_reply(Session& session, const Framer& framer, Millis timeout, UpgradeLog& log) {
  Step step = co_await session.read_until(framer, kUpgradeReplyCap, timeout);
  if (step.ok()) log.replies.push_back(as_text(step.bytes));
  co_return step;
}

// Sends a command line and reads its reply.
asio::awaitable<Step> command(Session& session, std::string_view text, const Framer& framer, Millis timeout,
                              UpgradeLog& log) {
  ByteVec bytes = line(text);
  Step sent = co_await session.send(std::move(bytes));
  if (!sent.ok()) co_return sent;
  co_return co_await read_reply(session, framer, timeout, log);
}

// Sends the command (none for the greeting), reads the numbered reply and checks its code.
asio::awaitable<Step> numbered(Session& session, std::string_view text, int wanted, Millis timeout, UpgradeLog& log) {
  const Framer framer = numbered_reply_framer();  // named: GCC 12 mishandles temporaries in co_await expressions
  Step step;
  if (text.empty()) step = co_await read_reply(session, framer, timeout, log);
  else step = co_await command(session, text, framer, timeout, log);
  if (step.ok() && reply_code(step.bytes) != wanted)
    co_return refused(std::move(step), text.empty() ? "the connection (no greeting)" : text);
  co_return step;
}

asio::awaitable<Step> ftp(Session& session, Millis timeout, UpgradeLog& log) {
  Step step = co_await numbered(session, "", 220, timeout, log);
  if (!step.ok()) co_return step;
  const Framer reply = numbered_reply_framer();
  step = co_await command(session, "AUTH TLS", reply, timeout, log);
  if (!step.ok()) co_return step;
  log.auth_tls = reply_code(step.bytes) == 234;
  if (*log.auth_tls) {
    log.command = "AUTH TLS";
    co_return step;
  }
  step = co_await command(session, "AUTH SSL", reply, timeout, log);
  if (!step.ok()) co_return step;
  const int code = reply_code(step.bytes);
  log.auth_ssl = code == 234 || code == 334;
  if (!*log.auth_ssl) co_return refused(std::move(step), "AUTH TLS and AUTH SSL");
  log.command = "AUTH SSL";
  co_return step;
}

asio::awaitable<Step> smtp(Session& session, Millis timeout, UpgradeLog& log) {
  Step step = co_await numbered(session, "", 220, timeout, log);
  if (step.ok()) step = co_await numbered(session, "EHLO shakedown.invalid", 250, timeout, log);
  if (step.ok()) step = co_await numbered(session, "STARTTLS", 220, timeout, log);
  if (step.ok()) log.command = "STARTTLS";
  co_return step;
}

asio::awaitable<Step> imap(Session& session, Millis timeout, UpgradeLog& log) {
  const Framer greeting = imap_reply_framer("*"), tagged = imap_reply_framer("a");
  Step step = co_await read_reply(session, greeting, timeout, log);
  if (!step.ok()) co_return step;
  if (!starts_with(step.bytes, "* OK")) co_return refused(std::move(step), "the connection (no * OK greeting)");
  step = co_await command(session, "a STARTTLS", tagged, timeout, log);
  if (!step.ok()) co_return step;
  const std::string reply = log.replies.back();
  if (reply.find("a OK") == std::string::npos) co_return refused(std::move(step), "STARTTLS");
  log.command = "STARTTLS";
  co_return step;
}

asio::awaitable<Step> pop3(Session& session, Millis timeout, UpgradeLog& log) {
  const Framer lines = line_framer();
  Step step = co_await read_reply(session, lines, timeout, log);
  if (!step.ok()) co_return step;
  if (!starts_with(step.bytes, "+OK")) co_return refused(std::move(step), "the connection (no +OK greeting)");
  step = co_await command(session, "STLS", lines, timeout, log);
  if (!step.ok()) co_return step;
  if (!starts_with(step.bytes, "+OK")) co_return refused(std::move(step), "STLS");
  log.command = "STLS";
  co_return step;
}

asio::awaitable<Step> ldap(Session& session, Millis timeout, UpgradeLog& log) {
  ByteVec request = ldap_starttls_request(1);
  Step step = co_await session.send(std::move(request));
  if (!step.ok()) co_return step;
  const Framer framer = ldap_message_framer();
  step = co_await session.read_until(framer, kUpgradeReplyCap, timeout);
  if (!step.ok()) co_return step;
  const auto response = parse_ldap_extended_response(step.bytes);
  if (!response) {
    step.outcome = Outcome::protocol_error;
    step.detail = "the StartTLS response does not parse: " + response.error().message;
    co_return step;
  }
  log.replies.push_back(fmt::format("resultCode {} {}", response->result_code, response->diagnostic));
  if (response->result_code != 0) {
    step.outcome = Outcome::protocol_error;
    step.detail = fmt::format("the server refused StartTLS with resultCode {} \"{}\"", response->result_code,
                              response->diagnostic);
    co_return step;
  }
  log.command = "StartTLS";
  co_return step;
}

// One BER tag and definite length (short form or long form up to 4 bytes); the body as a child reader.
struct Tlv {
  std::uint8_t tag = 0;
  Reader body = Reader::bounded({});
};

Result<Tlv> read_tlv(Reader& in, const std::string& path) {
  const auto tag = in.u8();
  const auto first = in.u8();
  if (!tag || !first) return in.fail(path);
  std::size_t length = *first;
  if (*first & 0x80) {
    const unsigned count = *first & 0x7fu;
    if (count == 0 || count > 4) return malformed(in.offset(), path, "ber_length", "indefinite or over-long BER length");
    length = 0;
    for (unsigned i = 0; i < count; ++i) {
      const auto b = in.u8();
      if (!b) return in.fail(path);
      length = (length << 8) | *b;
    }
  }
  auto body = in.sub(length);
  if (!body) return in.fail(path);
  return Tlv{*tag, *body};
}

Result<std::uint32_t> read_integer(Reader& in, std::uint8_t tag, const std::string& path) {
  auto tlv = read_tlv(in, path);
  if (!tlv) return tlv.error();
  if (tlv->tag != tag || tlv->body.remaining() == 0 || tlv->body.remaining() > 4)
    return malformed(in.offset(), path, "ber_integer", fmt::format("expected a 1-4 byte value with tag 0x{:02x}", tag));
  std::uint32_t value = 0;
  while (const auto b = tlv->body.u8()) value = (value << 8) | *b;
  return value;
}

Result<std::string> read_string(Reader& in, std::uint8_t tag, const std::string& path) {
  auto tlv = read_tlv(in, path);
  if (!tlv) return tlv.error();
  if (tlv->tag != tag) return malformed(in.offset(), path, "ber_tag", fmt::format("expected tag 0x{:02x}", tag));
  return printable(tlv->body.take_rest());
}

}  // namespace

std::string_view to_string(Upgrade upgrade) {
  constexpr std::array<std::string_view, 6> kNames = {"none", "ftp-auth", "smtp-starttls", "imap-starttls",
                                                      "pop3-stls", "ldap-starttls"};
  return kNames[static_cast<std::size_t>(upgrade)];
}

asio::awaitable<Step> run_upgrade(Session& session, Upgrade upgrade, Millis timeout, UpgradeLog& log) {
  switch (upgrade) {
    case Upgrade::none: co_return Step{};
    case Upgrade::ftp: co_return co_await ftp(session, timeout, log);
    case Upgrade::smtp: co_return co_await smtp(session, timeout, log);
    case Upgrade::imap: co_return co_await imap(session, timeout, log);
    case Upgrade::pop3: co_return co_await pop3(session, timeout, log);
    case Upgrade::ldap: co_return co_await ldap(session, timeout, log);
  }
  co_return Step{};
}

int reply_code(Bytes reply) {
  auto r = Reader::bounded(reply);
  int code = 0;
  for (int i = 0; i < 3; ++i) {
    const auto c = r.u8();
    if (!c || *c < '0' || *c > '9') return 0;
    code = code * 10 + (*c - '0');
  }
  return code;
}

ByteVec ldap_starttls_request(std::uint8_t message_id) {
  Writer w;
  w.u8(0x30);  // LDAPMessage SEQUENCE
  w.prefixed(1, [&](Writer& m) {
    m.u8(0x02);  // messageID INTEGER
    m.prefixed(1, [&](Writer& i) { i.u8(message_id); });
    m.u8(kLdapExtendedRequest);
    m.prefixed(1, [&](Writer& op) {
      op.u8(0x80);  // requestName [0] LDAPOID
      op.prefixed(1, [&](Writer& oid) { oid.text(kStartTlsOid); });
    });
  });
  return w.take();
}

Result<LdapExtendedResponse> parse_ldap_extended_response(Bytes message) {
  auto in = Reader::bounded(message);
  auto outer = read_tlv(in, "ldap_message");
  if (!outer) return outer.error();
  if (outer->tag != 0x30) return malformed(0, "ldap_message", "ber_tag", "an LDAPMessage is a SEQUENCE (0x30)");
  Reader& body = outer->body;
  LdapExtendedResponse out;
  auto id = read_integer(body, 0x02, "ldap_message.message_id");
  if (!id) return id.error();
  out.message_id = *id;
  auto op = read_tlv(body, "ldap_message.protocol_op");
  if (!op) return op.error();
  if (op->tag != kLdapExtendedResponse)
    return malformed(body.offset(), "ldap_message.protocol_op", "ber_tag",
                     fmt::format("protocolOp tag 0x{:02x} is not ExtendedResponse (0x78)", op->tag));
  auto code = read_integer(op->body, 0x0a, "extended_response.result_code");
  if (!code) return code.error();
  out.result_code = *code;
  auto matched = read_string(op->body, 0x04, "extended_response.matched_dn");
  if (!matched) return matched.error();
  auto diagnostic = read_string(op->body, 0x04, "extended_response.diagnostic_message");
  if (!diagnostic) return diagnostic.error();
  out.diagnostic = *diagnostic;
  while (!op->body.empty()) {
    auto extra = read_tlv(op->body, "extended_response");
    if (!extra) return extra.error();
    if (extra->tag == 0x8a) out.response_name = printable(extra->body.take_rest());
  }
  return out;
}

Framer ldap_message_framer() {
  return [](Bytes buffered) -> Frame {
    auto r = Reader::stream(buffered);
    const auto tag = r.u8();
    const auto first = r.u8();
    if (!tag || !first) return Frame::more(2 - buffered.size());
    if (*tag != 0x30)
      return Frame::bad(Outcome::protocol_error, fmt::format("byte 0x{:02x} does not start an LDAPMessage", *tag));
    std::size_t length = *first;
    if (*first & 0x80) {
      const unsigned count = *first & 0x7fu;
      if (count == 0 || count > 4) return Frame::bad(Outcome::protocol_error, "indefinite or over-long BER length");
      length = 0;
      for (unsigned i = 0; i < count; ++i) {
        const auto b = r.u8();
        if (!b) return Frame::more(1);
        length = (length << 8) | *b;
      }
    }
    if (length > kUpgradeReplyCap) return Frame::bad(Outcome::oversized, fmt::format("LDAP message of {} bytes", length));
    if (r.remaining() < length) return Frame::more(length - r.remaining());
    return Frame::done(r.offset() + length);
  };
}

}  // namespace sd::probe::tls

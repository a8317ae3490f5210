// Reading the server's first flight record by record; handshake messages may span records.
#include "probe/tls/flight.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "wire/tls/parse.h"
#include "wire/tls/registry.h"

namespace sd::probe::tls {
namespace wire = sd::tls;
namespace {

constexpr std::size_t kRecordCap = 5 + kTlsMaxRecordBody;
constexpr int kMaxRecords = 64;
constexpr Millis kTrailingTextWait{1500};

Step failed(Outcome outcome, std::string detail) { return Step{outcome, std::move(detail), {}}; }

std::optional<std::uint16_t> u16_extension(const wire::ServerHello& hello, std::uint16_t type) {
  for (const auto& e : hello.extensions) {
    if (e.type != type) continue;
    auto r = Reader::bounded(e.data);
    return r.u16();
  }
  return std::nullopt;
}

void take_server_hello(const wire::ServerHello& hello, Flight& out, wire::Context& ctx) {
  out.server_hello = hello;
  out.version = u16_extension(hello, wire::code::kSupportedVersions).value_or(hello.legacy_version);
  if (out.version == kTls13) out.key_share_group = u16_extension(hello, wire::code::kKeyShare);
  ctx.version = out.version;
  ctx.cipher_suite = hello.cipher_suite;
  out.answer = Answer{Refusal::none, std::nullopt, {}, "accepted"};
  if (hello.hello_retry_request) out.answer.detail = "HelloRetryRequest";
  if (hello.hello_retry_request || out.version == kTls13) out.complete = true;
}

// Handles one parsed handshake message; sets out.complete at the end of the flight.
void take_message(const wire::Handshake& message, Flight& out, wire::Context& ctx) {
  if (const auto* hello = std::get_if<wire::ServerHello>(&message.body)) return take_server_hello(*hello, out, ctx);
  if (const auto* cert = std::get_if<wire::Certificate>(&message.body)) {
    for (const auto& entry : cert->entries) out.certificates.push_back(entry.der);
  } else if (const auto* kx = std::get_if<wire::ServerKeyExchange>(&message.body)) {
    out.key_exchange = *kx;
  } else if (const auto* request = std::get_if<wire::CertificateRequest>(&message.body)) {
    out.certificate_request = *request;
  } else if (message.type == wire::code::kServerHelloDone) {
    out.complete = true;
  }
}

// Parses every whole handshake message in the buffer and drops it; a malformed message ends the read.
std::optional<Step> drain(ByteVec& buffer, Flight& out, wire::Context& ctx) {
  for (;;) {
    auto r = Reader::stream(buffer);
    auto message = wire::read_handshake(r, ctx);
    if (!message) {
      if (message.error().need_more()) return std::nullopt;
      return failed(Outcome::protocol_error, "a handshake message does not parse: " + message.error().message);
    }
    take_message(*message, out, ctx);
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(r.offset()));
    if (out.complete) return Step{};
  }
}

// The first line of a plaintext answer, printable, without its line end.
std::string first_line(Bytes text) {
  const auto end = std::find_if(text.begin(), text.end(), [](std::uint8_t c) { return c == '\r' || c == '\n'; });
  return printable(text.first(static_cast<std::size_t>(end - text.begin())));
}

// The first alert in a record, when it parses.
std::optional<wire::Alert> first_alert(Bytes bytes) {
  auto r = Reader::bounded(bytes);
  auto record = wire::read_record(r);
  if (!record) return std::nullopt;
  auto alerts = wire::parse_alerts(Reader::bounded(record->fragment, record->fragment_offset));
  if (!alerts || alerts->empty()) return std::nullopt;
  return alerts->front();
}

// A warning alert other than close_notify (as unrecognized_name after a wrong SNI) does not end the handshake.
bool is_warning(Bytes bytes) {
  const auto alert = first_alert(bytes);
  return alert && alert->level == 1 && alert->description != 0;
}

// An alert ends the handshake; some FTP servers then write a plaintext reply, which is read briefly.
asio::awaitable<Step> take_alert(Session& session, Step step, Millis timeout, Flight& out) {
  const auto alert = first_alert(step.bytes);
  const std::optional<std::uint8_t> description = alert ? std::optional(alert->description) : std::nullopt;
  out.answer = Answer{Refusal::alert, description, {}, ""};
  const auto* known = description ? wire::registry::find_alert(*description) : nullptr;
  out.answer.detail = known ? "alert " + std::string(known->name)
                            : (description ? fmt::format("alert {}", *description) : "an alert record that does not parse");
  const Millis wait = std::min(timeout, kTrailingTextWait);
  const Framer framer = tls_record_framer();
  Step more = co_await session.read_until(framer, kRecordCap, wait);
  if (more.outcome != Outcome::plaintext_reply) co_return step;
  out.answer.refusal = Refusal::alert_then_text;
  out.answer.text = first_line(more.bytes);
  step.outcome = Outcome::alert_then_plaintext;
  step.detail = "a TLS alert, then the plaintext \"" + out.answer.text + "\"";
  step.bytes.insert(step.bytes.end(), more.bytes.begin(), more.bytes.end());
  co_return step;
}

// Reads records until the flight is complete or something else ends it.
asio::awaitable<Step> read_flight(Session& session, Millis timeout, Flight& out) {
  wire::Context ctx;
  ByteVec handshake;
  const Framer records = tls_record_framer();
  for (int i = 0; i < kMaxRecords; ++i) {
    Step step = co_await session.read_until(records, kRecordCap, timeout);
    if (step.outcome == Outcome::handshake_alert && is_warning(step.bytes)) {
      out.warnings.push_back(first_alert(step.bytes)->description);
      continue;
    }
    if (step.outcome == Outcome::handshake_alert) co_return co_await take_alert(session, std::move(step), timeout, out);
    if (step.outcome == Outcome::plaintext_reply) {
      out.answer = Answer{Refusal::plaintext, std::nullopt, first_line(step.bytes), "plaintext where a record was expected"};
      co_return step;
    }
    if (!step.ok()) co_return step;
    auto r = Reader::bounded(step.bytes);
    auto record = wire::read_record(r);
    if (!record) co_return failed(Outcome::protocol_error, "an SSLv2 or unreadable record where a TLS record was expected");
    if (record->content_type == wire::code::kApplicationData && out.server_hello) co_return Step{};
    if (record->content_type != wire::code::kHandshake) continue;
    if (handshake.size() + record->fragment.size() > kFlightCap)
      co_return failed(Outcome::oversized, fmt::format("the server's flight exceeds {} bytes", kFlightCap));
    handshake.insert(handshake.end(), record->fragment.begin(), record->fragment.end());
    if (auto end = drain(handshake, out, ctx)) co_return *end;
  }
  co_return failed(Outcome::protocol_error, fmt::format("no ServerHelloDone within {} records", kMaxRecords));
}

}  // namespace

Conversation hello_conversation(Upgrade upgrade, ByteVec hello, Millis timeout, Flight& out) {
  return [upgrade, hello = std::move(hello), timeout, &out](Session& session) -> asio::awaitable<Step> {
    Step step = co_await run_upgrade(session, upgrade, timeout, out.upgrade);
    if (!step.ok()) co_return step;
    out.upgraded = true;
    ByteVec bytes = hello;
    step = co_await session.send(std::move(bytes));
    if (!step.ok()) co_return step;
    co_return co_await read_flight(session, timeout, out);
  };
}

void settle(Flight& flight, const JobResult& job) {
  if (flight.server_hello || flight.answer.refusal != Refusal::unknown) return;
  if (!flight.upgraded) {
    flight.answer.detail = std::string(job.connected ? "the upgrade did not complete: " : "no connection: ") +
                           std::string(to_string(job.outcome)) + ", " + job.detail;
    return;
  }
  switch (job.outcome) {
    case Outcome::closed_by_peer: flight.answer.refusal = Refusal::closed; break;
    case Outcome::reset_by_peer: flight.answer.refusal = Refusal::reset; break;
    case Outcome::io_timeout: flight.answer.refusal = Refusal::timeout; break;
    default: break;
  }
  flight.answer.detail = std::string(to_string(job.outcome)) + ": " + job.detail;
}

}  // namespace sd::probe::tls

// The half-open check in words: whether the responder answered the re-sent IKE_SA_INIT from its cache, sent anything
// unasked, and still held the half-open SA after the listening window; with the bytes that show it.
#include "probe/ike/retransmit.h"

#include <fmt/format.h>

#include "core/field.h"

namespace sd::probe::ike {
namespace {

using namespace sd::ike;

/// The responder SPI of an IKE message, or nullopt when the bytes do not parse.
std::optional<std::uint64_t> responder_spi(const ByteVec& message) {
  const auto parsed = parse_datagram(message);
  if (!parsed.ok()) return std::nullopt;
  return parsed->header.responder_spi;
}

std::string spi_text(const ByteVec& message) {
  const auto spi = responder_spi(message);
  return spi ? fmt::format("{:016x}", *spi) : "unparsed";
}

/// How a later answer relates to the first one: identical, same SA, a new SA, or none.
std::string compare(const ByteVec& first, const ByteVec& later) {
  if (later.empty()) return "none";
  if (later == first) return "identical";
  return responder_spi(later) == responder_spi(first) ? "same-sa-different-bytes" : "new-sa";
}

std::string resent_verdict(const RetransmitCheck& c) {
  const std::string how = compare(c.first, c.resent);
  const auto after = c.settle.count();
  if (how == "identical")
    return fmt::format("answers the IKE_SA_INIT re-sent {} ms after its response with the identical cached response "
                       "({} bytes, RFC 7296 2.1)", after, c.first.size());
  if (how == "same-sa-different-bytes")
    return fmt::format("answers the IKE_SA_INIT re-sent {} ms after its response for the same SA with different "
                       "bytes (not the cached response)", after);
  if (how == "new-sa")
    return fmt::format("treats the IKE_SA_INIT re-sent {} ms after its response as a new exchange: new responder SPI "
                       "{} instead of {}", after, spi_text(c.resent), spi_text(c.first));
  return fmt::format("does not answer the IKE_SA_INIT re-sent {} ms after its response", after);
}

std::string unsolicited_verdict(const RetransmitCheck& c) {
  const auto listened = (c.settle + c.window).count();
  if (c.unsolicited == 0)
    return fmt::format("sends nothing on its own for {} ms while the SA is half-open (a responder never "
                       "retransmits, RFC 7296 2.1)", listened);
  return fmt::format("sent {} datagram{} unasked within {} ms while the SA was half-open", c.unsolicited,
                     c.unsolicited == 1 ? "" : "s", listened);
}

std::string late_verdict(const RetransmitCheck& c) {
  const std::string how = compare(c.first, c.late);
  if (how == "identical")
    return fmt::format("still holds the half-open SA {} ms later (same cached response)", c.window.count());
  if (how == "new-sa")
    return fmt::format("had dropped the half-open SA within {} ms: the same request opened a new SA (responder "
                       "SPI {}), its half-open timeout is shorter than that", c.window.count(), spi_text(c.late));
  if (how == "same-sa-different-bytes")
    return fmt::format("answers the same SA with different bytes {} ms later", c.window.count());
  return fmt::format("does not answer the same request {} ms later", c.window.count());
}

Field answer_leaf(std::string name, const ByteVec& message, const ByteVec& first) {
  Field f = leaf(std::move(name), message.empty() ? "none" : fmt::format("{} bytes", message.size()));
  if (message.empty()) return f;
  f.add(leaf("responder_spi", spi_text(message)));
  if (&message != &first) f.add(leaf("compared_with_first", compare(first, message)));
  f.add(leaf("first_bytes", to_hex(Bytes(message).first(std::min<std::size_t>(message.size(), 28)))));
  return f;
}

}  // namespace

std::vector<std::string> retransmit_verdicts(const RetransmitCheck& check) {
  if (!check.skipped.empty()) return {"not measured: " + check.skipped};
  return {resent_verdict(check), unsolicited_verdict(check), late_verdict(check)};
}

report::Section retransmit_section(const RetransmitCheck& check, const std::string& source) {
  report::Section s;
  s.kind = "probe";
  s.title = "IKEv2 half-open IKE SA: retransmitted IKE_SA_INIT, no IKE_AUTH";
  s.source = source;
  Field verdicts = leaf("behaviour", check.skipped.empty() ? "measured" : "not measured");
  for (const auto& v : retransmit_verdicts(check)) verdicts.add(leaf("observation", v));
  s.fields.push_back(std::move(verdicts));
  s.fields.push_back(leaf("datagrams", fmt::format("{} sent, {} received", check.sent, check.received)));
  if (!check.skipped.empty()) return s;
  s.fields.push_back(answer_leaf("first_answer", check.first, check.first));
  s.fields.push_back(leaf("first_resend_after_ms", std::to_string(check.settle.count())));
  s.fields.push_back(answer_leaf("answer_to_first_resend", check.resent, check.first));
  s.fields.push_back(leaf("listening_window_ms", std::to_string(check.window.count())));
  s.fields.push_back(leaf("unsolicited_datagrams", std::to_string(check.unsolicited)));
  s.fields.push_back(answer_leaf("answer_to_second_resend", check.late, check.first));
  return s;
}

}  // namespace sd::probe::ike

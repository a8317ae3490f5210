// IKEv1 (ISAKMP) is only recognised: the cleartext payloads are listed so that vendor IDs and notifications
// of an IKEv1-only peer can be reported.
#include "wire/ike/payloads.h"
#include "wire/ike/registry.h"

namespace sd::ike::detail {
namespace {

std::string ikev1_path(std::size_t index, std::uint8_t type) {
  std::string label(code_name("ikev1-payload", type));
  if (label.empty()) label = "UNKNOWN(" + std::to_string(type) + ")";
  return "isakmp.payload[" + std::to_string(index) + "](" + label + ")";
}

// The notify type of an IKEv1 NOTIFICATION body: DOI (4), protocol (1), SPI size (1), type (2).
std::optional<std::uint16_t> notification_type(Reader body) {
  if (!body.skip(6)) return std::nullopt;
  return body.u16();
}

}  // namespace

std::optional<ParseError> read_ikev1_chain(Reader& chain, std::uint8_t first, std::vector<Ikev1Payload>& out) {
  std::uint8_t type = first;
  while (type != 0) {
    const std::string path = ikev1_path(out.size(), type);
    if (out.size() >= kMaxPayloads)
      return malformed(chain.offset(), path, "too_many_payloads", "the IKEv1 chain goes on past 64 payloads");
    if (chain.empty())
      return malformed(chain.offset(), path, "chain_past_message", "the IKEv1 chain announces a payload past the end");
    auto s = read_substructure(chain, path, "payload", 4, "message");
    if (!s) return s.error();
    Ikev1Payload p{type, s->offset, s->length, {}, std::nullopt};
    if (type == kIkev1Notification) p.notify_type = notification_type(s->body);
    const Bytes body = s->body.take_rest();
    p.data.assign(body.begin(), body.end());
    out.push_back(std::move(p));
    type = s->first;
  }
  return chain.expect_end("isakmp.payloads");
}

}  // namespace sd::ike::detail

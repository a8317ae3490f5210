#include "core/outcome.h"

#include <array>
#include <utility>

namespace sd {
namespace {
constexpr std::array<std::pair<Outcome, std::string_view>, 17> kNames{{
    {Outcome::success, "success"},
    {Outcome::connection_refused, "connection-refused"},
    {Outcome::connect_timeout, "connect-timeout"},
    {Outcome::io_timeout, "io-timeout"},
    {Outcome::closed_by_peer, "closed-by-peer"},
    {Outcome::reset_by_peer, "reset-by-peer"},
    {Outcome::plaintext_reply, "plaintext-reply"},
    {Outcome::handshake_alert, "handshake-alert"},
    {Outcome::alert_then_plaintext, "alert-then-plaintext"},
    {Outcome::protocol_error, "protocol-error"},
    {Outcome::oversized, "oversized"},
    {Outcome::unreachable, "unreachable"},
    {Outcome::dns_failure, "dns-failure"},
    {Outcome::throttled, "throttled"},
    {Outcome::disconnected, "disconnected"},
    {Outcome::no_response, "no-response"},
    {Outcome::budget_exhausted, "budget-exhausted"},
}};
}  // namespace

std::string_view to_string(Outcome o) {
  for (const auto& [k, v] : kNames)
    if (k == o) return v;
  return "unknown";
}

std::optional<Outcome> outcome_from(std::string_view name) {
  for (const auto& [k, v] : kNames)
    if (v == name) return k;
  return std::nullopt;
}

}  // namespace sd

// The closed vocabulary of how an attempt ended; the same strings appear in JSON and in KB rules.
#pragma once

#include <optional>
#include <string_view>

namespace sd {

enum class Outcome {
  success,             ///< the exchange reached the point the probe wanted
  connection_refused,  ///< TCP RST to the SYN
  connect_timeout,     ///< no answer to the SYN in time
  io_timeout,          ///< connected, then the peer went silent
  closed_by_peer,      ///< orderly close (FIN) before the expected answer
  reset_by_peer,       ///< RST after the connection was up
  plaintext_reply,     ///< printable text where a binary protocol message was expected
  handshake_alert,     ///< a TLS alert instead of the expected handshake message
  alert_then_plaintext,///< a TLS alert followed by a plaintext reply (vsftpd, proftpd)
  protocol_error,      ///< bytes that do not parse as the expected protocol
  oversized,           ///< the peer announced or sent more than the size cap
  unreachable,         ///< no route, host or port unreachable
  dns_failure,         ///< the name did not resolve
  throttled,           ///< the server is rate-limiting us (MaxStartups, PerSourcePenalties)
  disconnected,        ///< an explicit protocol disconnect (SSH DISCONNECT, IKE notify)
  no_response,         ///< UDP: nothing came back after all retries
  budget_exhausted,    ///< the connection budget ran out before this attempt
};

/// The stable kebab-case name, e.g. "connection-refused".
std::string_view to_string(Outcome o);
/// Parses a stable name back; nullopt when it is not in the vocabulary.
std::optional<Outcome> outcome_from(std::string_view name);

}  // namespace sd

// What is known about an IKEv2 responder: the exchanges that taught it and the transforms it accepts. Filled by the
// live probe (probe/ike) or derived from a gateway's configuration (audit/strongswan); predict() reads it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/outcome.h"
#include "wire/ike/message.h"
#include "wire/ike/write.h"

namespace sd::probe::ike {

/// What one IKE_SA_INIT exchange (one socket, possibly several datagrams) ended with.
struct ExchangeResult {
  std::string name;
  Outcome outcome = Outcome::no_response;
  std::string detail;                             ///< one plain sentence
  std::optional<sd::ike::Message> response;       ///< the answer to our request, when one came
  std::optional<std::uint16_t> requested_group;   ///< INVALID_KE_PAYLOAD asked for this group
  bool cookie = false;                            ///< the responder asked for a COOKIE
  std::uint16_t sent_group = 0;                   ///< the KE group of the last request sent
  unsigned sent = 0;                              ///< datagrams sent
  unsigned received = 0;                          ///< datagrams received
  std::vector<sd::ike::TransformSpec> offered;    ///< the transforms of the proposal offered

  /// The notify type of an error answer (NO_PROPOSAL_CHOSEN …), or 0.
  std::uint16_t error_notify() const;
  /// The responder's chosen transforms, when it accepted.
  std::vector<sd::ike::Transform> chosen() const;
};

/// What the probe learned about one gateway.
struct GatewayFacts {
  std::vector<ExchangeResult> exchanges;
  std::optional<sd::ike::Message> first_accept;   ///< the first positive IKE_SA_INIT response
  std::vector<sd::ike::TransformSpec> encryption, prf, integrity;
  std::vector<std::uint16_t> groups;
  std::optional<std::uint16_t> requested_group;   ///< the first group asked for by INVALID_KE_PAYLOAD
  bool cookie = false;
  bool ikev1 = false;
  unsigned sent = 0, received = 0;

  /// True when any exchange got an IKE answer.
  bool answered() const;
};

}  // namespace sd::probe::ike

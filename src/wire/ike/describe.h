// Turns parsed IKE messages into field trees and plain-language notes.
#pragma once

#include <string>
#include <vector>

#include "core/field.h"
#include "wire/ike/message.h"

namespace sd::ike {

/// The message as a field tree: "ike" with the header fields, then one child per payload.
Field describe(const Message& message);
/// One line listing the exchange and its payloads, e.g. "IKE_SA_INIT request 0 [ SA KE Ni N(COOKIE) ]".
std::string summary(const Message& message);
/// Observations an admin can act on: IKEv1 peer, rejection notifies and what they mean, KE size mismatches.
std::vector<std::string> observations(const Message& message);
/// An identity value in readable form: dotted IPv4, IPv6 groups, text for FQDN / e-mail, hex otherwise.
std::string identity_text(std::uint8_t id_type, Bytes data);

}  // namespace sd::ike

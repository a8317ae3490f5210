// Distinguished names as they appear in ID_DER_ASN1_DN identities and CERTREQ-free logs: DER in, text out.
#pragma once

#include <optional>
#include <string>

#include "core/bytes.h"

namespace sd::ike {

/// The DER-encoded Name as "C=CH, O=strongSwan, CN=moon" (RDNs in encoded order, as strongSwan prints them);
/// nullopt when the bytes are not a well-formed Name.
std::optional<std::string> dn_text(Bytes der);

}  // namespace sd::ike

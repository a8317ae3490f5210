// Turns parsed SSH structures into sd::Field trees: names, display values, code points, offsets.
#pragma once

#include <string>

#include "core/field.h"
#include "wire/ssh/ident.h"
#include "wire/ssh/keys.h"
#include "wire/ssh/messages.h"
#include "wire/ssh/packet.h"

namespace sd::ssh {

/// The identification line and any pre-banner lines.
Field describe(const Identification& id);
/// The packet's framing fields (packet_length, padding_length, payload, padding, mac).
Field describe(const Packet& packet);
/// One message: its number (with registry name) and every decoded field. Passwords show as "<redacted>".
Field describe(const Message& message);
/// A public key blob: type, size, curve, key bytes.
Field describe(const HostKey& key, std::string name = "host_key");
/// A signature blob: algorithm and signature bytes.
Field describe(const Signature& signature, std::string name = "signature");
/// Text made safe to print: printable ASCII kept, every other byte as \xNN.
std::string printable_text(std::string_view text);

}  // namespace sd::ssh

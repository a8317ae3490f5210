// TLS extensions: the typed facts callers need, and field-by-field description through a table of handlers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/field.h"
#include "wire/tls/messages.h"

namespace sd::tls {

/// The first extension of this type, or nullptr.
const Extension* find_extension(const std::vector<Extension>& exts, std::uint16_t type);

/// Versions listed in a ClientHello's supported_versions (empty when the extension is absent or malformed).
std::vector<std::uint16_t> offered_versions(const ClientHello& hello);
/// The highest real (non-GREASE) version a ClientHello offers: supported_versions if present, else legacy_version.
std::uint16_t highest_offered_version(const ClientHello& hello);
/// The version a ServerHello selects: supported_versions if present, else legacy_version.
std::uint16_t selected_version(const ServerHello& hello);
/// The host_name in a ClientHello's server_name, or "".
std::string server_name(const ClientHello& hello);
/// A 2-byte-length list of 16-bit codes (supported_groups, signature_algorithms); empty when malformed.
std::vector<std::uint16_t> u16_list(const Extension& ext);

/// The extension as a field: its registry name, and the parsed body as children when a handler knows the type.
/// A body that does not parse gets an "error" child naming the problem.
Field describe_extension(const Extension& ext, Place place);

}  // namespace sd::tls

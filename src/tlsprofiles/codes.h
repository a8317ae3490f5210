// Names in profile files turned into TLS code points through the generated registries, and back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sd::tlsprofiles {

/// The registries a profile names code points from.
enum class CodeKind { version, cipher_suite, extension, group, signature_scheme };

/// The code for a registry name (IANA name, or OpenSSL name for suites) or a "0x…" hex literal; nullopt if unknown.
std::optional<std::uint16_t> code_named(CodeKind kind, std::string_view name);
/// The registry name of a code ("TLSv1.2", "TLS_RSA_WITH_AES_128_CBC_SHA", "x25519" …).
std::string code_label(CodeKind kind, std::uint16_t code);
/// The short word for a kind, used in error messages ("cipher suite").
std::string_view kind_word(CodeKind kind);

}  // namespace sd::tlsprofiles

// --what-if CHANGE: the vocabulary of server-side changes ("no-tls1.0", "drop-suite:*_CBC_*", "drop-kex:…") that
// are applied to facts already gathered (probe or audit) before the same client predictions are run again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sd::whatif {

/// The protocol whose facts a change applies to.
enum class Protocol { tls, ssh, ike };
/// "tls", "ssh", "ike".
std::string_view to_string(Protocol p);
/// The protocol a probe URL scheme speaks: ssh and ike are their own, every other scheme is TLS.
Protocol protocol_of_scheme(std::string_view scheme);

/// What a change does to the facts.
enum class Action {
  no_version,    ///< turn one TLS version off
  min_version,   ///< turn every TLS version below this one off
  drop_suite,    ///< remove TLS cipher suites whose IANA name matches
  drop_group,    ///< remove TLS named groups / IKE key exchange groups whose name matches
  min_dh,        ///< TLS: finite-field DH groups of at least this many bits
  drop_sigalg,   ///< remove TLS signature schemes whose name matches
  drop_kex,      ///< SSH kex algorithms
  drop_cipher,   ///< SSH ciphers (both directions)
  drop_mac,      ///< SSH MACs (both directions)
  drop_hostkey,  ///< SSH host key algorithms
  drop_encr,     ///< IKE encryption transforms
  drop_prf,      ///< IKE PRF transforms
  drop_integ,    ///< IKE integrity transforms
};

/// One parsed change.
struct Change {
  Protocol protocol = Protocol::tls;
  Action action = Action::no_version;
  std::string pattern;         ///< drop-*: the name pattern, '*' matching any run of characters
  std::uint16_t version = 0;   ///< no-/min-: the TLS version code (0x0300 SSLv3 … 0x0304 TLS 1.3)
  unsigned bits = 0;           ///< min-dh
  std::string text;            ///< the argument as given
};

/// Parses one --what-if argument for a protocol; nullopt with a one-line `error` naming the argument when the word
/// is unknown, its value is malformed, or it does not apply to `protocol`.
std::optional<Change> parse_change(std::string_view text, Protocol protocol, std::string& error);
/// Parses every argument for a protocol; nullopt with `error` at the first bad one.
std::optional<std::vector<Change>> parse_changes(const std::vector<std::string>& texts, Protocol protocol,
                                                 std::string& error);
/// The arguments that apply to `protocol`, parsed; the others (and malformed ones) are left out. For the audit,
/// where each audited server takes the changes of its own protocol.
std::vector<Change> changes_for(const std::vector<std::string>& texts, Protocol protocol);
/// True when the argument is a known change for some protocol; false with `error` naming it otherwise.
bool known_change(std::string_view text, std::string& error);
/// The protocols an argument's word applies to (drop-group: both TLS and IKE); empty when unknown.
std::vector<Protocol> protocols_of(std::string_view text);

/// Case-insensitive match of a name against a pattern where '*' matches any run of characters.
bool matches(std::string_view pattern, std::string_view name);
/// The arguments joined with ", " for titles ("no-tls1.0, drop-suite:*_CBC_*").
std::string describe(const std::vector<Change>& changes);
/// The vocabulary in one paragraph, for --help and the man page.
std::string vocabulary_help();

}  // namespace sd::whatif

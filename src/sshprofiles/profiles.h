// SSH client profiles (data/profiles/ssh/*.yaml, compiled in): what a known client sends in its KEXINIT, what it
// prints when negotiation fails (data/profiles/ssh/styles.tsv) and the behaviours that matter to a server.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sd::probe::ssh {

/// The five negotiated algorithm kinds a profile lists, in KEXINIT order.
enum class AlgoKind { kex, host_key, cipher, mac, compression };
/// "kex", "host_key", "cipher", "mac", "compression".
std::string_view to_string(AlgoKind kind);
/// The registry's kind column for an algorithm kind ("kex", "hostkey", "cipher", "mac", "compression").
std::string_view registry_kind(AlgoKind kind);

/// One known behaviour of a client, with where it is documented.
struct Behaviour {
  std::string id;      ///< short name, e.g. "efs-keystore-request"; may be empty
  std::string text;
  std::string source;
  std::string kb;      ///< the KB rule it leads to, when there is one
  std::string when;    ///< the condition under which it happens ("EFS enabled"), empty when always
  std::string kind;    ///< "vendor-message": it sends a message a server must tolerate; empty otherwise
};

/// One client as it ships, one file per client and version.
struct ClientProfile {
  std::string id;
  std::string name;
  std::string platform;
  std::string version;
  std::string source;                     ///< where the algorithm lists come from
  std::string style;                      ///< row group of styles.tsv: how it words failures and settings
  std::vector<std::string> kex;           ///< in order of preference, without strict-KEX/ext-info markers
  std::vector<std::string> host_key;
  std::vector<std::string> cipher;
  std::vector<std::string> mac;
  std::vector<std::string> compression;   ///< "none" when the file gives none
  std::vector<std::string> optional;      ///< names it supports but does not offer by default (configurable)
  std::vector<std::string> vendor;        ///< names it offers that the registry does not know (vendor additions)
  std::vector<std::string> markers;       ///< kex markers it appends (ext-info-c, kex-strict-c-v00@openssh.com)
  std::vector<Behaviour> behaviours;
  /// The list of one kind.
  const std::vector<std::string>& list(AlgoKind kind) const;
};

/// How one client family words a negotiation failure and the client setting that widens a list.
struct StyleRow {
  std::string style;
  std::string list;        ///< kex, host_key, cipher, mac, compression, or "order"
  std::string message;     ///< with {host} {port} {offer} {client} {direction}; for "order", the check order
  std::string client_fix;  ///< with {name}; empty when the client has no setting for it
  std::string source;
};

/// Reads one profile; nullopt with `error` set when a required field is missing or a list is empty.
std::optional<ClientProfile> parse_profile(std::string_view yaml, std::string& error);
/// Every profile compiled into the binary, in file-name order.
const std::vector<ClientProfile>& client_profiles();
/// The profile with this id, or nullptr.
const ClientProfile* find_profile(std::string_view id);
/// Every row of the compiled-in styles.tsv.
const std::vector<StyleRow>& style_rows();
/// The row of a style for a list ("kex" … or "order"), or nullptr.
const StyleRow* find_style(std::string_view style, std::string_view list);

}  // namespace sd::probe::ssh

// z/OS AT-TLS policy files (Policy Agent): TTLSRule and the action and parameter blocks it refers to, each
// statement with file:line, and which rule applies to a connection (port, direction, job name, priority).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/common/config_text.h"

namespace sd::audit::attls {

/// One block: "TTLSRule FTPServer { … }" or an inline "TTLSCipherParms { … }" inside another (name empty).
struct Block {
  std::string type;                                   ///< TTLSRule, TTLSGroupAction, TTLSEnvironmentAction …
  std::string name;
  ConfigLine opened;                                  ///< the line that opened it
  std::multimap<std::string, ConfigLine> statements;  ///< key (as written) -> line, in file order per key
  std::vector<Block> inline_blocks;

  /// The last value of a statement (case-insensitive key), or nullopt.
  std::optional<ConfigLine> get(std::string_view key) const;
};

/// Every top-level block of a policy file.
struct Policy {
  std::string file;
  std::vector<Block> blocks;

  /// The named block of a type, or nullptr.
  const Block* find(std::string_view type, std::string_view name) const;
};

/// The parsed policy, or the first error (unterminated block, '}' without '{', binary data).
struct Parsed {
  Policy policy;
  std::optional<ConfigError> error;
};

/// Parses a policy file ('#' and ';' comments).
Parsed parse(const std::string& file, std::string_view text);

/// A connection as AT-TLS sees it.
struct Connection {
  unsigned local_port = 0;     ///< 0: any
  unsigned remote_port = 0;    ///< 0: any
  bool inbound = true;         ///< true: the stack accepted it (a server); false: the job connected out (a client)
  std::string jobname;         ///< "" matches any Jobname condition
};

/// The rule that applies and what it resolves to (a referenced block, or the inline one).
struct Match {
  const Block* rule = nullptr;
  const Block* group = nullptr;
  const Block* environment = nullptr;
  const Block* connection = nullptr;
  const Block* advanced = nullptr;   ///< TTLSEnvironmentAdvancedParms of the environment
  const Block* connection_advanced = nullptr;  ///< TTLSConnectionAdvancedParms of the connection action
  const Block* ciphers = nullptr;    ///< TTLSCipherParms (connection's first, else environment's)

  /// A statement from the connection-level blocks first, then the environment's (AT-TLS override order).
  std::optional<ConfigLine> setting(std::string_view key) const;
};

/// What a resolved rule makes the z/OS side offer (HandshakeRole Client) or accept (Server…).
struct TlsSide {
  std::vector<std::uint16_t> versions;         ///< switched on (SSLv3 … TLSv1.3, attls/defaults.tsv), lowest first
  std::vector<std::uint16_t> suites;           ///< V3CipherSuites / V3CipherSuites4Char in order; empty: System SSL's list
  std::vector<ConfigLine> lines;               ///< the statements behind them (version switches, cipher lists)
  std::string handshake_role;                  ///< Client, Server or ServerWithClientAuth ("" when absent)
  std::string client_auth_type;                ///< ClientAuthType (PassThru, Full, Required, SAFCheck), default Required
};

/// The version switches (connection's advanced parms over the environment's, then the defaults) and suites.
TlsSide tls_side(const Match& m);

/// The highest-priority rule matching the connection (first in the file on a tie), or nullopt.
std::optional<Match> resolve(const Policy& p, const Connection& c);

/// True when the text holds a TTLSRule block.
bool looks_like(std::string_view text);

}  // namespace sd::audit::attls

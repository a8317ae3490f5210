// sshd_config and ssh_config: keywords with file:line, Include followed (under --root), Match/Host blocks kept,
// the first value obtained wins (as OpenSSH reads), and the hazards for known partners.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/common/config_text.h"
#include "core/finding.h"

namespace sd::audit::openssh {

/// Which program reads the file.
enum class Role { server, client };  // sshd_config, ssh_config

/// One keyword line and the block it sits in ("" for global, else "Match …" / "Host …" as written).
struct Entry {
  ConfigLine line;
  std::string block;
};

/// A parsed file with everything it includes, in reading order.
struct Config {
  Role role = Role::server;
  std::string file;                 ///< the top file as given
  std::vector<Entry> entries;
  std::vector<std::string> notes;   ///< Includes that matched nothing, and similar remarks

  /// First global (or "Host *" / "Match all") line for a keyword, case-insensitive; nullopt when absent.
  std::optional<ConfigLine> global(const std::string& keyword) const;
};

/// A parsed config, or the first error (binary data, unbalanced quote, Include loop or depth).
struct Parsed {
  Config config;
  std::optional<ConfigError> error;
};

/// Host facts an audit takes into account: "efs" (on/off), "platform" (aix, linux …).
using Facts = std::map<std::string, std::string>;

/// Parses text read from file; Include paths resolve under root ("" for /), relative ones against /etc/ssh.
Parsed parse(Role role, const std::string& file, std::string_view text, const std::string& root = "");

/// Hazards: AIX with EFS without AllowPKCS12KeystoreAutoOpen no; an sshd offering only ssh-ed25519 host keys.
std::vector<Finding> audit(const Config& c, const Facts& facts);

/// The role a file name suggests (sshd_config → server, ssh_config / config → client); nullopt otherwise.
std::optional<Role> role_from_name(const std::string& path);

}  // namespace sd::audit::openssh

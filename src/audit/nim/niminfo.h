// NIM /etc/niminfo (AIX): the shell variables niminit writes for a client (NIM_NAME, NIM_MASTER_HOSTNAME,
// NIM_SHELL …) with file:line, and the client checks they drive: secure nimsh whose copy of the master's
// certificate is missing or expired (seed 003).
#pragma once

#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/common/config_text.h"
#include "core/finding.h"

namespace sd::audit::nim {

/// One niminfo file.
struct NimInfo {
  std::string file;
  std::map<std::string, ConfigLine> vars;  ///< variable -> its last line (value without quotes)

  /// The variable's line, or nullopt.
  std::optional<ConfigLine> get(const std::string& name) const;
  /// NIM_SHELL is nimsh (the NIM service handler, the only push method that can use SSL).
  bool nimsh() const;
  /// A variable that switches SSL for nimsh on or off (named in nim/niminfo.tsv with role ssl-switch), if present.
  std::optional<ConfigLine> ssl_switch() const;
};

/// The parsed file, or the first error (binary data, a line that is not NAME=value).
struct InfoParsed {
  NimInfo info;
  std::optional<ConfigError> error;
};

/// Parses niminfo text ("export NAME=value" or "NAME=value", '#' comments, double quotes removed).
InfoParsed parse_niminfo(const std::string& file, std::string_view text);

/// True for a file named niminfo or holding NIM_MASTER_HOSTNAME / NIM_NAME assignments.
bool looks_like_niminfo(const std::string& path, std::string_view text);

/// The host root a niminfo path sits in ("/x/etc/niminfo" -> "/x"), or "" when it is not under etc/.
std::string root_of(const std::string& niminfo_path);

/// Client checks: secure nimsh (NIM_SHELL nimsh, with an SSL switch on or the /ssl_nimsh tree under root) whose
/// /ssl_nimsh/certs holds no certificate, or only certificates expired at `now` - push operations hang at
/// "create BIO". Evidence: the niminfo lines (NIM_SHELL, NIM_MASTER_HOSTNAME) and the certificate files.
std::vector<Finding> audit_client(const NimInfo& info, const std::string& root, std::time_t now);

/// niminfo lines worth showing beside a finding about the master's certificate (NIM_SHELL, NIM_MASTER_HOSTNAME).
std::vector<Evidence> master_evidence(const NimInfo& info);

}  // namespace sd::audit::nim

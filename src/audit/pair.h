// The pair audit: the client's files and the server's files, each turned into its effective TLS offer and
// acceptance, and the handshake predicted with the same engine the probe uses for client profiles.
#pragma once

#include <string>
#include <vector>

#include "audit/audit.h"
#include "report/report.h"

namespace sd::audit {

/// Findings (one per cause of a failing prediction, plus each side's own hazards), the prediction matrix, notes.
struct PairOutcome {
  std::vector<Finding> findings;
  std::vector<report::Section> sections;
  std::vector<std::string> notes;
  std::optional<ConfigError> error;
};

/// Client files: z/OS FTP.DATA. Server files: vsftpd.conf, proftpd.conf (with Includes), and the host's
/// openssl.cnf (OpenSSL's built-in defaults when none is given).
PairOutcome run_pair(const std::vector<std::string>& client_files, const std::vector<std::string>& server_files,
                     const Options& options);

}  // namespace sd::audit

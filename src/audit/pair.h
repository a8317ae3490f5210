// The pair audit: the client's files and the server's files, each turned into its effective TLS offer and
// acceptance, and the handshake predicted with the same engine the probe uses for client profiles.
#pragma once

#include <string>
#include <vector>

#include "audit/attls/attls.h"
#include "audit/audit.h"
#include "audit/opensslcnf/opensslcnf.h"
#include "audit/proftpd/proftpd.h"
#include "audit/pureftpd/pureftpd.h"
#include "audit/vsftpd/vsftpd.h"
#include "audit/zosftp/zosftp.h"
#include "report/report.h"

namespace sd::audit {

/// Findings (one per cause of a failing prediction, plus each side's own hazards), the prediction matrix, notes.
struct PairOutcome {
  std::vector<Finding> findings;
  std::vector<report::Section> sections;
  std::vector<std::string> notes;
  std::optional<ConfigError> error;
};

/// TLS configurations read in a single-side audit, held until every file is read.
struct Collected {
  std::vector<vsftpd::Config> vsftpd;
  std::vector<proftpd::Config> proftpd;
  std::vector<pureftpd::Config> pureftpd;
  std::optional<opensslcnf::SystemDefault> system;   ///< the host's openssl.cnf, when one was given
  std::vector<zosftp::Config> ftpdata;
  std::vector<attls::Policy> attls;                  ///< AT-TLS policy files
  bool niminfo_read = false;                         ///< a niminfo file was named (the root's is not read again)
};

/// FTP.DATA files with TLSMECHANISM ATTLS against the AT-TLS policies given: no rule for the FTP connection
/// (port 21 or --fact ftp-port, --fact jobname), TTLSEnabled Off, or ApplicationControlled not On.
void attls_checks(const Collected& c, const std::map<std::string, std::string>& facts, Outcome& out);

/// Single-side hazards with known partners: every embedded client profile predicted against each audited
/// server (findings whose id no other check raised, and the matrix as a section).
/// With `what_if` changes, each server's facts are also changed and the clients predicted again (a "what-if" section).
void known_partners(const Collected& c, Outcome& out, const std::vector<std::string>& what_if = {});

/// Client files: z/OS FTP.DATA. Server files: vsftpd.conf, proftpd.conf (with Includes), and the host's
/// openssl.cnf (OpenSSL's built-in defaults when none is given).
PairOutcome run_pair(const std::vector<std::string>& client_files, const std::vector<std::string>& server_files,
                     const Options& options);

}  // namespace sd::audit

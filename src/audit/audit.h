// audit: configuration files in, findings out. Picks each file's format, parses it and runs its checks.
#pragma once

#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/certs/certs.h"
#include "audit/common/config_text.h"
#include "core/finding.h"
#include "report/report.h"

namespace sd::audit {

/// What the run knows about the host beyond its files: "efs" (on/off), "platform", "vsftpd" (version) …
struct Options {
  std::map<std::string, std::string> facts;
  std::string root;          ///< the host's "/" as a folder ("" for the real one)
  std::string kind;          ///< force a format: vsftpd, sshd, ssh, cert; "" to recognise
  std::string master_root;   ///< the NIM master's "/" as a folder, compared with root as its client
  std::time_t now = 0;       ///< the time certificates are checked at; 0 for the current time
  std::string role = "server";      ///< what certificates are checked for: "server" or "client"
  certs::ReadOptions read;          ///< PKCS#12 password (never printed)
  std::vector<std::string> what_if; ///< --what-if: server changes whose effect on the known clients is predicted
};

/// Findings and remarks from all inputs, or the first input that could not be read.
struct Outcome {
  std::vector<Finding> findings;
  std::vector<std::string> notes;
  std::vector<certs::Cert> certs;   ///< every certificate read, for the fleet view
  std::vector<certs::Key> keys;     ///< every private key read (public half only)
  std::vector<report::Section> sections;  ///< e.g. the prediction of known clients against an audited server
  std::optional<ConfigError> error;
};

/// Audits each file (a folder: every certificate in it). A missing "efs" fact is read from the root: an AIX host with EFS enabled has /var/efs.
Outcome run(const std::vector<std::string>& files, const Options& options);

/// The format names run() recognises, as --type takes them.
std::vector<std::string> kind_names();
/// The same names joined with ", ", for messages.
std::string kinds();

}  // namespace sd::audit

// What sshd -t / ssh -G would say about a config before using it: unknown, deprecated and unsupported keywords,
// keywords sshd does not allow inside Match, missing arguments and bad values (enumerations, integers, algorithm
// lists), each with the exact line the program prints. The keyword table (keywords.tsv) and the message texts
// (messages.tsv) were captured from the real programs by tests/vectors/ssh/config-validate/capture.py.
#pragma once

#include <string>
#include <vector>

#include "audit/openssh/openssh.h"

namespace sd::audit::openssh {

/// How a complaint affects the program.
enum class Weight {
  warning,  ///< printed, the program goes on and starts (Deprecated option, Unsupported option)
  counted,  ///< printed, reading goes on, but the program stops at the end ("terminating, N bad …")
  fatal,    ///< printed, the program stops at once: later lines are never read
};

/// One line the program complains about.
struct Complaint {
  ConfigLine line;
  std::string kind;     ///< unknown, deprecated, unsupported, not-in-match, missing-argument, bad-value
  std::string message;  ///< the line the program prints, with the file as the audit was given it
  Weight weight = Weight::warning;
  std::string hint;     ///< what to write instead: the nearest keyword, the accepted words, the names to drop
};

/// Everything the program says about one config, in reading order, up to where it stops.
struct Verdict {
  std::string program;                 ///< "sshd" or "ssh"
  std::string version;                 ///< the OpenSSH version of the tables used
  std::vector<Complaint> complaints;   ///< what it prints, in order (it stops after the first fatal one)
  std::vector<Complaint> unread;       ///< complaints after a fatal one: found once that line is mended
  std::string closing;                 ///< the "terminating, N bad configuration options" line, or ""
  bool refused = false;                ///< true when the program will not start with this file
};

/// What `version`'s sshd (role server) or ssh (role client) says about the config. A vendor keyword
/// (vendor_keywords.tsv, e.g. AIX's AllowPKCS12KeystoreAutoOpen) passes unless `platform` names another platform.
Verdict validate(const Config& c, const std::string& version, const std::string& platform = "");

/// The versions keywords.tsv describes, oldest first.
std::vector<std::string> validated_versions();

/// Findings for a verdict: ssh.config-rejected (the program refuses the file) and ssh.config-deprecated (keywords
/// it accepts with a warning or ignores); none when it says nothing.
std::vector<Finding> verdict_findings(const Config& c, const Verdict& v);

}  // namespace sd::audit::openssh

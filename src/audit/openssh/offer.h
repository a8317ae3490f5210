// The effective algorithm offer of an sshd_config or ssh_config: the version's defaults (defaults.tsv, captured
// from the real programs) changed by KexAlgorithms / HostKeyAlgorithms / Ciphers / MACs (+ - ^ and patterns),
// the host keys present and Compression; then every client predicted with the probe's own prediction code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/openssh/openssh.h"
#include "report/report.h"
#include "sshprofiles/profiles.h"
#include "wire/ssh/messages.h"

namespace sd::audit::openssh {

/// A server's KEXINIT as its files make it, with how it was derived.
struct ServerOffer {
  sd::ssh::Kexinit kexinit;         ///< the lists sshd sends, the version's strict-KEX / ext-info markers last
  std::uint16_t port = 22;          ///< the first global Port
  std::string version;              ///< the OpenSSH version whose defaults were used
  std::vector<std::string> notes;   ///< assumed version, unreadable host keys, names sshd rejects …
};

/// One list after OpenSSH's rules: `setting` is the keyword's value or empty for the default; `supported` every
/// name the build knows. "+x" appends, "-x" removes, "^x" puts first, otherwise the list replaces the default;
/// "*" and "?" patterns match supported names; duplicates are dropped. `rejected` gets names the build lacks.
std::vector<std::string> assemble(const std::string& setting, const std::vector<std::string>& defaults,
                                  const std::vector<std::string>& supported, std::vector<std::string>& rejected);

/// The versions defaults.tsv has, oldest first ("9.2", "10.0").
std::vector<std::string> known_versions();

/// The names defaults.tsv gives `program` ("sshd", "ssh" or "supported") of `version` for `setting`, in order.
std::vector<std::string> default_names(const std::string& version, const std::string& program,
                                       const std::string& setting);

/// The known version whose tables apply to `program` ("sshd"/"ssh"): its fact, else "openssh", else 9.2 (noted);
/// the nearest older known version when the tables lack the one given (noted).
std::string chosen_version(const Facts& facts, const std::string& program, std::vector<std::string>& notes);

/// The sshd KEXINIT of this config (role server): HostKey files are read under `root`; their .pub gives the type.
ServerOffer server_offer(const Config& c, const Facts& facts, const std::string& root);

/// The ssh client of this config (role client) as a client profile (id "ssh_config"), its lists in KEXINIT order.
sd::probe::ssh::ClientProfile client_profile(const Config& c, const Facts& facts, std::vector<std::string>& notes);

/// Findings, report sections and notes from a prediction.
struct Predicted {
  std::vector<Finding> findings;
  std::vector<report::Section> sections;
  std::vector<std::string> notes;
};

/// Single-side: every compiled-in SSH client profile against this sshd_config, appended as the probe's "clients"
/// section, findings whose id `findings` does not hold yet, and notes; with `what_if` (--what-if arguments) also the
/// what-if section for the SSH changes among them. A client config adds nothing.
void predict_known_clients(const Config& c, const Facts& facts, const std::string& root, std::vector<Finding>& findings,
                           std::vector<report::Section>& sections, std::vector<std::string>& notes,
                           const std::vector<std::string>& what_if = {});

/// True when the pair audit's files are OpenSSH configurations (a server file named sshd_config*).
bool is_ssh_pair(const std::vector<std::string>& server_files);

/// Pair: the ssh_config's effective client against the sshd_config's effective server, both with their version
/// defaults ("ssh"/"sshd" facts, else "openssh"; "host" and "port" name the server in the client's messages);
/// the first unreadable file as the error.
std::optional<ConfigError> predict_pair(const std::vector<std::string>& client_files,
                                        const std::vector<std::string>& server_files, const Facts& facts,
                                        const std::string& root, Predicted& out);

}  // namespace sd::audit::openssh

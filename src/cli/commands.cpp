// The one table of commands and flags.
#include <array>

#include "cli/command.h"

namespace sd::cli {

int run_decode(const Invocation& inv);  // cmd_decode.cpp
int run_explain(const Invocation& inv);  // cmd_explain.cpp
int run_audit(const Invocation& inv);  // cmd_audit.cpp

namespace {

const std::array<OptionSpec, 2> kGlobal{{
    {"format", "-f,--format", "FMT", "Output format: text, json or sarif.", false, "text", {"text", "json", "sarif"}},
    {"output", "-o,--output", "FILE", "Write the report to FILE (atomically) instead of standard output.", false, ""},
}};

const std::vector<CommandSpec>& table() {
  static const std::vector<CommandSpec> kTable{
      {"decode", "Decode hex dumps of TLS, SSH and IKE messages found in traces and logs",
       "Finds every hex dump in the input (z/OS System SSL traces, xxd, od, hexdump -C, tcpdump -X, Wireshark, "
       "openssl -msg, plain hex), recovers its bytes with their source lines, and decodes each as a TLS record or "
       "bare handshake message, field by field, with plain-language observations. Plaintext where TLS was expected "
       "(an FTP reply, a greeting) is named as such.",
       "FILE", "Input files; - reads standard input.",
       {},
       run_decode},
      {"explain", "Diagnose a failed handshake from logs and traces",
       "Reads logs and traces from either side (z/OS FTP and System SSL traces, OpenSSH client and sshd, vsftpd, "
       "ProFTPD and its TLSLog, AIX nimsh.log, z/OS IKED syslog, strongSwan charon, openssl s_client, gnutls-cli, "
       "curl -v, any syslog or journal line), recognising each line's format, and matches them against the "
       "knowledge base of known failures. Prints each diagnosis with its evidence (file:line), the cause, the side "
       "to change, the fix and references, then the reconstructed exchange and where it broke. When nothing "
       "matches it says so and shows what was recognised.",
       "FILE", "Log and trace files; - reads standard input.",
       {{"log-format", "--log-format", "NAME", "Read every line as this format instead of recognising it "
                                               "(zos-ftp, zos-systemssl, openssh-client, sshd, vsftpd, proftpd, "
                                               "proftpd-tlslog, nimsh, zos-iked, strongswan, openssl-client, "
                                               "gnutls-client, curl, syslog, plain).", false, ""},
        {"kb", "--kb", "DIR", "Load the knowledge base from DIR (*.yaml, recursively) instead of the built-in one.",
         false, ""}},
       run_explain},
      {"probe", "Probe a live TLS, FTPS, STARTTLS, SSH or IKEv2 endpoint", "Reserved for the probe issues.", "URL",
       "Targets.", {}, nullptr},
      {"audit", "Audit configurations and certificates of both peers",
       "Reads the configuration files an administrator already has (vsftpd.conf, sshd_config, ssh_config with "
       "their Includes) and names the settings that will break a handshake with known partners, each with the "
       "file:line in force (or the version's default) and the fix as a diff of the config line.",
       "FILE", "Configuration files.",
       {{"type", "--type", "KIND", "Read every file as this format instead of recognising it (vsftpd, sshd, ssh, cert).",
         false, "", {"vsftpd", "sshd", "ssh", "cert"}},
        {"fact", "--fact", "KEY=VALUE", "A fact about the host that its files do not show: efs=on (AIX EFS enabled), "
                                        "vsftpd=2.2.2 (whose defaults apply).", true, ""},
        {"root", "--root", "DIR", "Treat DIR as the host's / (Include paths, /var/efs, /ssl_nimsh, /usr/lib).", false,
         ""},
        {"master-root", "--master-root", "DIR", "The NIM master's / as a folder; --root is then its client.", false,
         ""}},
       run_audit},
  };
  return kTable;
}

}  // namespace

std::span<const CommandSpec> commands() { return table(); }
std::span<const OptionSpec> global_options() { return kGlobal; }

}  // namespace sd::cli

// The one table of commands and flags.
#include <array>

#include "audit/audit.h"
#include "cli/command.h"
#include "whatif/change.h"

namespace sd::cli {

int run_decode(const Invocation& inv);  // cmd_decode.cpp
int run_explain(const Invocation& inv);  // cmd_explain.cpp
int run_probe(const Invocation& inv);    // cmd_probe.cpp
int run_audit(const Invocation& inv);  // cmd_audit.cpp
int run_fleet(const Invocation& inv);  // fleet_cmd.cpp

namespace {

const std::array<OptionSpec, 2> kGlobal{{
    {"format", "-f,--format", "FMT", "Output format: text, json or sarif.", false, "text", {"text", "json", "sarif"}},
    {"output", "-o,--output", "FILE", "Write the report to FILE (atomically) instead of standard output.", false, ""},
}};

// --what-if, shared by probe and audit; its words come from the whatif library's one table.
OptionSpec what_if_option() {
  return {"what-if", "--what-if", "CHANGE",
          "Predict the client profiles again as if the server had this change (repeatable; from the facts already "
          "gathered, no extra connection) and list every profile whose outcome moves; exit 1 when one breaks. " +
              whatif::vocabulary_help(),
          true, ""};
}

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
      {"probe", "Probe a live TLS, FTPS, STARTTLS, SSH or IKEv2 endpoint",
       "Connects to each target with a small connection budget, emulating real clients byte for byte, and reports "
       "what the server accepts, how it answers, and which client profiles will connect or fail, why, and the fix "
       "on each side. It never writes to a server and sends no credentials unless given; passwords are read from "
       "an environment variable or a file, never from the command line, and are never printed or logged.",
       "URL", "Targets: tls://host:port, ftps://host[:21], ftps-implicit://host[:990], smtp://, imap://, pop3://, "
              "ldap://, ssh://host[:22], ike://host[:500]; IPv6 as [addr]:port.",
       {{"sni", "--sni", "NAME", "Server name to send in the TLS server_name extension.", false, ""},
        {"as", "--as", "PROFILE", "Predict only for this client profile.", true, ""},
        {"max-connections", "--max-connections", "N", "Never open more than N connections in the whole run (a TLS scan keeps "
         "32 of them for the checks after the cipher suites).", false, "160"},
        {"budget", "--budget", "N", "Connections open at once to one target.", false, "4"},
        {"rate-ms", "--rate-ms", "MS", "Least time between two connection starts to one target.", false, "0"},
        {"timeout-ms", "--timeout-ms", "MS", "Timeout for each connect, read and write.", false, "5000"},
        {"user", "--user", "NAME", "Log in as NAME where a probe needs a session (FTPS data channel, SSH).", false,
         ""},
        {"password-env", "--password-env", "VAR", "Read the password from environment variable VAR.", false, ""},
        {"password-file", "--password-file", "FILE", "Read the password from the first line of FILE.", false, ""},
        {"key-file", "--key-file", "FILE", "SSH private key for authenticated probes.", false, ""},
        {"db", "--db", "FILE", "Record this run (one per target) in the fleet database FILE, created on first use; "
                               "see the fleet command.", false, ""},
        what_if_option()},
       run_probe},
      {"audit", "Audit configurations and certificates of both peers",
       "Reads the configuration files an administrator already has (vsftpd.conf, sshd_config, ssh_config with "
       "their Includes) and names the settings that will break a handshake with known partners, each with the "
       "file:line in force (or the version's default) and the fix as a diff of the config line.",
       "FILE", "Configuration files.",
       {{"type", "--type", "KIND", "Read every file as this format instead of recognising it (" + audit::kinds() + ").",
         false, "", audit::kind_names()},
        {"fact", "--fact", "KEY=VALUE", "A fact about the host that its files do not show: efs=on (AIX EFS enabled), "
                                        "vsftpd=2.2.2 (whose defaults apply).", true, ""},
        {"root", "--root", "DIR", "Treat DIR as the host's / (Include paths, /var/efs, /ssl_nimsh, /usr/lib).", false,
         ""},
        {"master-root", "--master-root", "DIR", "The NIM master's / as a folder; --root is then its client.", false,
         ""},
        {"client", "--client", "FILE", "Pair audit: a client's file (z/OS FTP.DATA); repeat for more.", true, ""},
        {"server", "--server", "FILE",
         "Pair audit: a server's file (vsftpd.conf, proftpd.conf, openssl.cnf); repeat for more.",
         true, ""},
        {"role", "--role", "ROLE", "What certificates are checked for: server (serverAuth) or client (clientAuth).",
         false, "server", {"server", "client"}},
        {"p12-pass-env", "--p12-pass-env", "NAME", "Read the PKCS#12 password from environment variable NAME.", false,
         ""},
        {"p12-pass-file", "--p12-pass-file", "FILE", "Read the PKCS#12 password from the first line of FILE.", false,
         ""},
        {"db", "--db", "FILE", "Record this run in the fleet database FILE, created on first use; see the fleet "
                               "command.", false, ""},
        {"host", "--host", "NAME", "The audited host's name in the fleet database (default: the --root folder's "
                                   "name, or localhost).", false, ""},
        what_if_option()},
       run_audit},
      {"fleet", "Across hosts and over time: what the runs recorded with --db say",
       "Reads a fleet database written by probe --db and audit --db and reports the latest run per target, which "
       "client profiles fail on which targets, findings by id with how many targets have them, certificates "
       "expiring within --days across all targets, and certificates on different targets that expire on the same "
       "day (they fail together). With --changes it shows what changed between each target's last two runs: "
       "verdicts that changed, new and disappeared findings, new certificates. Exit code 1 when any target has a "
       "failing profile or a certificate expiring within --days.",
       "FILE", "The fleet database (made with --db).",
       {{"days", "--days", "N", "Certificates expiring within N days are problems.", false, "30"},
        {"changes", "--changes", "", "Show what changed between each target's last two runs.", false, ""}},
       run_fleet},
  };
  return kTable;
}

}  // namespace

std::span<const CommandSpec> commands() { return table(); }
std::span<const OptionSpec> global_options() { return kGlobal; }

}  // namespace sd::cli

// The one table of commands and flags.
#include <array>

#include "cli/command.h"

namespace sd::cli {

int run_decode(const Invocation& inv);  // cmd_decode.cpp

namespace {

const std::array<OptionSpec, 2> kGlobal{{
    {"format", "-f,--format", "FMT", "Output format: text or json.", false, "text", {"text", "json"}},
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
      {"explain", "Diagnose a failed handshake from logs and traces", "Reserved for the explain issue.", "FILE",
       "Log and trace files.", {}, nullptr},
      {"probe", "Probe a live TLS, FTPS, STARTTLS, SSH or IKEv2 endpoint", "Reserved for the probe issues.", "URL",
       "Targets.", {}, nullptr},
      {"audit", "Audit configurations and certificates of both peers", "Reserved for the audit issue.", "FILE",
       "Configuration and certificate files.", {}, nullptr},
  };
  return kTable;
}

}  // namespace

std::span<const CommandSpec> commands() { return table(); }
std::span<const OptionSpec> global_options() { return kGlobal; }

}  // namespace sd::cli

// Log and trace text turned into timed, typed events. Every reader produces these; rules match them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wire/decode/decode.h"

namespace sd::logs {

/// One event: a line (or a few joined lines) of a log, with what a reader understood of it.
struct Event {
  std::string file;                     ///< input name as given
  std::size_t line = 0;                 ///< 1-based first line
  std::size_t last_line = 0;            ///< 1-based last line (same as line for one-line events)
  std::string text;                     ///< the original text, lines joined with '\n'
  std::string format;                   ///< reader that produced it: "zos-ftp", "zos-systemssl", "openssh-client",
                                        ///< "sshd", "vsftpd", "proftpd", "proftpd-tlslog", "nimsh", "zos-iked",
                                        ///< "strongswan", "openssl-client", "gnutls-client", "curl", "syslog", "plain"
  std::string side;                     ///< "client", "server" or "" when the log does not say
  std::optional<std::int64_t> time_ms;  ///< milliseconds since the epoch (or since midnight when no date), if any
  std::string type;                     ///< typed kind, e.g. "ftp.reply", "ftp.command", "ssl.error", "ssl.dump",
                                        ///< "ssh.debug", "ike.message", "plain"
  std::map<std::string, std::string> attrs;  ///< e.g. code=522, rc=410, msgid=EZD1796I, tunnel=K3, sa=…
  std::optional<decode::Message> decoded;    ///< the decoded message when the event carries a dump
};

}  // namespace sd::logs

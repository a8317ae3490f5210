// ProFTPD: its own log ("2026-11-22 01:02:03,123 host proftpd[123] host (client[ip]): msg") and syslog lines.
#include "logs/readers.h"

namespace sd::logs {
namespace {

bool classify(const Line& line, Event& ev) {
  std::string_view text = line.message;
  if (line.syslog) {
    if (line.program != "proftpd") return false;
  } else {
    const auto tag = text.find("proftpd[");
    if (tag == std::string_view::npos || tag > 64) return false;
    const auto colon = text.find("): ", tag);
    text = colon == std::string_view::npos ? text.substr(tag) : text.substr(colon + 3);
  }
  mark(ev, "proftpd", "server", "ftp.log");
  if (contains(text, "TLS handshake failed") || contains(text, "SSL/TLS required") || contains(text, "TLS/TLS-C"))
    ev.type = "ssl.log";
  if (contains(text, "TLS handshake failed") || contains(text, "FATAL")) ladder(ev, "break", text);
  return true;
}

}  // namespace

const Format& proftpd_format() {
  static const Format kFormat{"proftpd", "ProFTPD system log and syslog lines", classify};
  return kFormat;
}

}  // namespace sd::logs

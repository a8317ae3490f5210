// ProFTPD mod_tls TLSLog: "Nov 22 01:02:03 mod_tls/2.9.2[123]: message".
#include "logs/readers.h"

namespace sd::logs {

namespace {

bool classify(const Line& line, Event& ev) {
  const auto text = line.message;
  const bool tag = starts_with(text, "mod_tls/") || starts_with(text, "mod_tls[") || line.program.substr(0, 7) == "mod_tls" ||
                   line.host.substr(0, 7) == "mod_tls";
  if (!tag) return false;
  mark(ev, "proftpd-tlslog", "server", "ssl.log");
  if (contains(text, "failed") || contains(text, "error")) ladder(ev, "break", text.substr(text.find(':') + 1));
  return true;
}

// mod_tls writes the OpenSSL error queue on indented lines after the message: "  (1) error:0A000102:...".
bool continues(const Event& open, std::string_view raw) {
  return starts_with(raw, "  (") && open.last_line - open.line < 16;
}

}  // namespace

const Format& proftpd_tlslog_format() {
  static const Format kFormat{"proftpd-tlslog", "ProFTPD mod_tls TLSLog", classify, continues};
  return kFormat;
}

}  // namespace sd::logs

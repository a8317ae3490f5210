// z/OS IKE daemon (IKED) syslog: EZDnnnnI messages and "IKE DEBUGSA" lines at SyslogLevel 4.
#include "logs/readers.h"

namespace sd::logs {
namespace {

bool upper(char c) { return c >= 'A' && c <= 'Z'; }

// "EZD1796I" at text[at..]
bool ezd_at(std::string_view text, std::size_t at) {
  return text.size() >= at + 8 && text.substr(at, 3) == "EZD" && digits_at(text, at + 3, 4) && upper(text[at + 7]);
}

// "tunnel K3" -> "K3"
void tunnel(std::string_view text, Event& ev) {
  const auto at = text.find("tunnel ");
  if (at == std::string_view::npos) return;
  auto rest = text.substr(at + 7);
  rest = rest.substr(0, rest.find(' '));
  if (!rest.empty()) ev.attrs["tunnel"] = std::string(rest);
}

bool classify(const Line& line, Event& ev) {
  auto text = trim(line.message);
  const auto ezd = text.find("EZD");
  const bool message = ezd != std::string_view::npos && ezd_at(text, ezd);
  const bool debug = contains(text, "IKE DEBUG");
  if (!message && !debug && !(line.syslog && line.program == "IKED")) return false;
  mark(ev, "zos-iked", "", debug ? "ike.debug" : "ike.message");
  if (message) ev.attrs["msgid"] = std::string(text.substr(ezd, 8));
  tunnel(text, ev);
  if (contains(text, "Simultaneous rekeying")) ladder(ev, "client", "simultaneous rekey detected");
  if (contains(text, "will not be rekeyed") || contains(text, "will not be processed")) ladder(ev, "break", text);
  return true;
}

}  // namespace

const Format& zos_iked_format() {
  static const Format kFormat{"zos-iked", "z/OS IKED syslog (EZD messages, IKE DEBUGSA)", classify};
  return kFormat;
}

}  // namespace sd::logs

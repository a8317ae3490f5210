// strongSwan charon: journald/syslog ("charon[1]: 12[IKE] msg", "charon-systemd[1]: ...") and filelog
// ("Nov 22 01:02:03 12[IKE] msg" or with an ISO time).
#include "logs/readers.h"

namespace sd::logs {
namespace {

bool upper(char c) { return c >= 'A' && c <= 'Z'; }

// "12[IKE] " at the start: returns the length of the thread/group prefix, or 0.
std::size_t group_prefix(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == 0 || i + 5 > text.size() || text[i] != '[') return 0;
  std::size_t j = i + 1;
  while (j < text.size() && upper(text[j])) ++j;
  if (j == i + 1 || j >= text.size() || text[j] != ']') return 0;
  return j + 1;
}

void steps(std::string_view text, Event& ev) {
  const bool generating = starts_with(text, "generating ");
  if (!generating && !starts_with(text, "parsed ")) {
    if (contains(text, "NO_PROPOSAL_CHOSEN") || contains(text, "AUTHENTICATION_FAILED") ||
        contains(text, "TS_UNACCEPTABLE") || contains(text, "INVALID_KE_PAYLOAD") || contains(text, "failed"))
      ladder(ev, "break", text);
    return;
  }
  auto what = text.substr(generating ? 11 : 7);
  // The local charon is drawn as the client column when it initiates, as the server column when it responds.
  const bool request = contains(what, " request ");
  const bool local_client = generating ? request : !request;
  if (local_client) ev.side = "client";
  else ev.side = "server";
  ladder(ev, generating == local_client ? "client->server" : "server->client", what);
}

bool classify(const Line& line, Event& ev) {
  std::string_view text = line.message;
  const bool program = line.syslog && (line.program == "charon" || line.program == "charon-systemd" ||
                                       line.program == "charon-cmd" || line.program == "ipsec");
  const auto g = group_prefix(trim(text));
  if (!program && g == 0) return false;
  text = trim(text);
  mark(ev, "strongswan", "", "ike.log");
  if (g) {
    ev.attrs["group"] = std::string(text.substr(text.find('[') + 1, g - text.find('[') - 2));
    text = trim(text.substr(g));
  }
  steps(text, ev);
  return true;
}

}  // namespace

const Format& strongswan_format() {
  static const Format kFormat{"strongswan", "strongSwan charon (journald, syslog, filelog)", classify};
  return kFormat;
}

}  // namespace sd::logs

// gnutls-cli output ("*** Fatal error", "- Status: ...", "|<n>| debug").
#include <array>

#include "logs/readers.h"

namespace sd::logs {
namespace {

constexpr std::array<std::string_view, 8> kLines{"*** Fatal error", "*** Handshake has failed", "*** Received alert",
                                                 "- Status: ",      "- Certificate type:",      "- Handshake was completed",
                                                 "Processed ",      "- Description: "};

bool classify(const Line& line, Event& ev) {
  const auto text = trim(line.message);
  bool known = starts_with(text, "|<") && contains(text.substr(0, 8), ">|");
  for (const auto k : kLines) known = known || starts_with(text, k);
  if (!known) return false;
  mark(ev, "gnutls-client", "client", "tls.client");
  if (starts_with(text, "***")) ladder(ev, "break", text.substr(4));
  return true;
}

}  // namespace

const Format& gnutls_client_format() {
  static const Format kFormat{"gnutls-client", "gnutls-cli output", classify};
  return kFormat;
}

}  // namespace sd::logs

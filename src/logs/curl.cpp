// curl -v output: "* TLSv1.3 (OUT), TLS handshake, Client hello (1):", "curl: (35) ...".
#include <array>

#include "logs/readers.h"

namespace sd::logs {
namespace {

constexpr std::array<std::string_view, 8> kInfo{"* TLSv", "* SSL", "* Trying ", "* Connected to", "* ALPN",
                                                "* OpenSSL", "* successfully set certificate", "* CAfile:"};

void steps(std::string_view text, Event& ev) {
  if (!starts_with(text, "* TLSv")) return;
  const auto comma = text.rfind(", ");
  if (comma == std::string_view::npos) return;
  const auto what = text.substr(comma + 2);
  if (contains(text, "(OUT)")) ladder(ev, "client->server", what);
  else if (contains(text, "(IN)")) ladder(ev, "server->client", what);
}

bool classify(const Line& line, Event& ev) {
  const auto text = trim(line.message);
  bool known = starts_with(text, "curl: (");
  for (const auto k : kInfo) known = known || starts_with(text, k);
  if (!known) return false;
  mark(ev, "curl", "client", "tls.client");
  if (starts_with(text, "curl: (")) ladder(ev, "break", text);
  steps(text, ev);
  return true;
}

}  // namespace

const Format& curl_format() {
  static const Format kFormat{"curl", "curl -v output", classify};
  return kFormat;
}

}  // namespace sd::logs

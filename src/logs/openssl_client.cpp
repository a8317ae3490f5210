// openssl s_client output, and OpenSSL error-queue lines wherever they appear.
#include <array>

#include "logs/readers.h"

namespace sd::logs {
namespace {

constexpr std::array<std::string_view, 14> kLines{
    "CONNECTED(", "depth=", "verify error:", "verify return:", "Verify return code:", "Certificate chain",
    "SSL handshake has read", "no peer certificate available", "New, (NONE), Cipher is (NONE)",
    "Server certificate", "Peer signing digest:", "Acceptable client certificate CA names", "Secure Renegotiation",
    "Server Temp Key:"};

// "40F7A1B2C37F0000:error:0A000410:SSL routines:..." -> the 8-digit reason code, or "".
std::string_view error_code(std::string_view text) {
  const auto at = text.find(":error:");
  if (at == std::string_view::npos || at > 40 || text.size() < at + 15) return {};
  return text.substr(at + 7, 8);
}

bool classify(const Line& line, Event& ev) {
  const auto text = trim(line.message);
  const auto code = error_code(text);
  bool known = !code.empty();
  for (const auto k : kLines) known = known || starts_with(text, k);
  if (!known) return false;
  mark(ev, "openssl-client", "client", code.empty() ? "tls.client" : "ssl.error");
  if (!code.empty()) {
    ev.attrs["openssl_error"] = std::string(code);
    ladder(ev, "break", text.substr(text.find(":error:") + 1));
  }
  if (starts_with(text, "CONNECTED(")) ladder(ev, "client->server", "ClientHello");
  return true;
}

}  // namespace

const Format& openssl_client_format() {
  static const Format kFormat{"openssl-client", "openssl s_client output and OpenSSL error lines", classify};
  return kFormat;
}

}  // namespace sd::logs

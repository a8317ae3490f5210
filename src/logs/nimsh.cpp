// AIX NIM client daemon log /var/adm/ras/nimsh.log (SSL set-up steps, push requests).
#include <array>

#include "logs/readers.h"

namespace sd::logs {
namespace {

constexpr std::array<std::string_view, 10> kSteps{
    "Loading certificates", "Negotiating SSL_CTX", "Loading private key file", "create BIO",
    "Error connecting to SSL object", "SSL_connect", "SSL_accept", "nimsh:", "NIMSH", "ssl_nimsh"};

bool classify(const Line& line, Event& ev) {
  const auto text = line.message;
  const bool program = line.syslog && line.program == "nimsh";
  bool known = program;
  for (const auto k : kSteps) known = known || contains(text, k);
  if (!known) return false;
  mark(ev, "nimsh", "server", "nim.log");
  if (contains(text, "create BIO") || contains(text, "Error connecting")) ladder(ev, "server", trim(text));
  return true;
}

}  // namespace

const Format& nimsh_format() {
  static const Format kFormat{"nimsh", "AIX NIM nimsh.log", classify};
  return kFormat;
}

}  // namespace sd::logs

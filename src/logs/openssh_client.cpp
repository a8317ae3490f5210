// OpenSSH client output at -v/-vv/-vvv and its plain error lines.
#include <array>

#include "logs/readers.h"

namespace sd::logs {
namespace {

constexpr std::array<std::string_view, 14> kClientLines{
    "OpenSSH_",         "Unable to negotiate with", "ssh: connect to host",  "kex_exchange_identification:",
    "Connection closed by", "Host key verification failed", "@@@@@@@@@@@", "WARNING: REMOTE HOST IDENTIFICATION",
    "Received disconnect from", "Too many authentication failures", "Permission denied (",
    "Bad server host key", "ssh_dispatch_run_fatal:", "Unsupported protocol sequence"};

bool debug_line(std::string_view text) {
  return starts_with(text, "debug1: ") || starts_with(text, "debug2: ") || starts_with(text, "debug3: ");
}

void steps(std::string_view text, Event& ev) {
  if (contains(text, "SSH2_MSG_KEXINIT sent")) ladder(ev, "client->server", "SSH2_MSG_KEXINIT");
  else if (contains(text, "SSH2_MSG_KEXINIT received")) ladder(ev, "server->client", "SSH2_MSG_KEXINIT");
  else if (contains(text, "Local version string")) ladder(ev, "client->server", "SSH identification");
  else if (contains(text, "Remote protocol version")) ladder(ev, "server->client", "SSH identification (server)");
  else if (contains(text, "SSH2_MSG_NEWKEYS sent")) ladder(ev, "client->server", "SSH2_MSG_NEWKEYS");
  else if (contains(text, "Sent ALLOW_PKCS12_KEYSTORE_CLIENT_FLAG")) ladder(ev, "client->server", "EFS keystore request");
  else if (starts_with(text, "Unable to negotiate") || starts_with(text, "Connection closed by") ||
           contains(text, "verification failed") || starts_with(text, "Received disconnect") ||
           starts_with(text, "kex_exchange_identification"))
    ladder(ev, "break", text);
}

bool classify(const Line& line, Event& ev) {
  if (line.syslog) return false;
  const auto text = trim(line.message);
  const bool debug = debug_line(text);
  if (debug && line.context == "sshd") return false;  // sshd -d output looks the same; the input says whose it is
  bool known = debug;
  for (const auto k : kClientLines) known = known || starts_with(text, k);
  if (!known) return false;
  mark(ev, "openssh-client", "client", debug ? "ssh.debug" : "ssh.message");
  if (debug) ev.attrs["level"] = std::string(text.substr(0, 6));
  steps(text, ev);
  return true;
}

}  // namespace

const Format& openssh_client_format() {
  static const Format kFormat{"openssh-client", "OpenSSH client output (ssh -v/-vv/-vvv)", classify};
  return kFormat;
}

}  // namespace sd::logs

// sshd logs: syslog, journald, -E file and -d output, at any LogLevel.
#include <array>

#include "logs/readers.h"

namespace sd::logs {
namespace {

constexpr std::array<std::string_view, 10> kBareStarts{
    "Server listening on", "Connection from ", "drop connection #", "Accepted ", "Failed password",
    "Disconnecting ", "Disconnected from", "Invalid user", "maximum authentication attempts", "Received signal"};

// An sshd line without any prefix (sshd -e / -E file at LogLevel INFO or VERBOSE).
bool bare_sshd_line(std::string_view text) {
  if (contains(text, "[preauth]") || contains(text, "penalty:")) return true;
  for (const auto s : kBareStarts)
    if (starts_with(text, s)) return true;
  return false;
}

bool sshd_program(std::string_view p) { return p == "sshd" || p == "sshd-session" || p == "sshd-auth"; }

// "sshd[123]: msg" as written by -E files and some collectors, without a time or host.
bool bare_tag(std::string_view text) {
  return starts_with(text, "sshd[") || starts_with(text, "sshd-session[") || starts_with(text, "sshd-auth[");
}

void steps(std::string_view text, Event& ev) {
  if (contains(text, "Unable to negotiate with") || contains(text, "drop connection") ||
      contains(text, "exceeded MaxStartups") || contains(text, "penalty:") || contains(text, "Too many authentication"))
    ladder(ev, "break", text);
  else if (contains(text, "SSH_EFS_KEYSTORE_OPEN"))
    ladder(ev, "server->client", "EFS keystore open");
  else if (contains(text, "SSH2_MSG_KEXINIT sent"))
    ladder(ev, "server->client", "SSH2_MSG_KEXINIT");
  else if (contains(text, "SSH2_MSG_KEXINIT received"))
    ladder(ev, "client->server", "SSH2_MSG_KEXINIT");
}

bool classify(const Line& line, Event& ev) {
  std::string_view text = line.message;
  if (line.syslog) {
    if (!sshd_program(line.program)) return false;
  } else if (bare_tag(text)) {
    const auto close = text.find("]: ");
    text = close == std::string_view::npos ? text : trim(text.substr(close + 3));
  } else if (!bare_sshd_line(text) && !(line.context == "sshd" && (starts_with(text, "debug") || contains(text, "sshd")))) {
    if (!contains(text, "Packet sent SSH_EFS_KEYSTORE_OPEN")) return false;
  }
  mark(ev, "sshd", "server", starts_with(text, "debug") ? "ssh.debug" : "ssh.message");
  if (!line.pid.empty()) ev.attrs["pid"] = std::string(line.pid);
  steps(text, ev);
  return true;
}

}  // namespace

const Format& sshd_format() {
  static const Format kFormat{"sshd", "OpenSSH server logs (syslog, journald, -E file, -d)", classify};
  return kFormat;
}

}  // namespace sd::logs

// vsftpd: vsftpd_log_file lines (log_ftp_protocol, debug_ssl), syslog lines, and strace lines carrying "500 OOPS".
#include "logs/readers.h"

namespace sd::logs {
namespace {

// `Client "127.0.0.1", "AUTH TLS"` -> `AUTH TLS`
std::string_view quoted_payload(std::string_view text) {
  const auto comma = text.find("\", \"");
  if (comma == std::string_view::npos) return {};
  auto rest = text.substr(comma + 4);
  if (!rest.empty() && rest.back() == '"') rest.remove_suffix(1);
  return rest;
}

void protocol_line(std::string_view text, Event& ev) {
  const auto payload = quoted_payload(text);
  if (contains(text, "FTP command:")) {
    ev.type = "ftp.command";
    ev.attrs["command"] = std::string(payload);
    ladder(ev, "client->server", payload);
  } else if (contains(text, "FTP response:")) {
    ev.type = "ftp.reply";
    if (payload.size() >= 3) ev.attrs["code"] = std::string(payload.substr(0, 3));
    ladder(ev, "server->client", payload);
  } else if (contains(text, "500 OOPS")) {
    ev.type = "ftp.reply";
    ev.attrs["code"] = "500";
    ladder(ev, "break", text.substr(text.find("500 OOPS")));
  }
}

// "12213 write(0, "500 OOPS: ", 10) = 10"
bool strace_write(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  const auto rest = trim(text.substr(i));
  return starts_with(rest, "write(") || starts_with(rest, "read(");
}

bool classify(const Line& line, Event& ev) {
  const auto text = line.message;
  const bool own_log = contains(text, "[pid ") && (contains(text, "FTP ") || contains(text, "Client \"") ||
                                                   contains(text, "CONNECT:") || contains(text, "LOGIN"));
  const bool from_syslog = line.syslog && line.program == "vsftpd";
  const bool strace = strace_write(text) && (contains(text, "OOPS") || line.context == "vsftpd");
  const bool oops = starts_with(trim(text), "500 OOPS");
  if (!own_log && !from_syslog && !strace && !oops) return false;
  mark(ev, "vsftpd", "server", strace ? "strace" : "ftp.log");
  protocol_line(text, ev);
  if (strace) ev.type = "strace";
  if (contains(text, "DEBUG:")) ev.type = "ssl.debug";
  return true;
}

}  // namespace

const Format& vsftpd_format() {
  static const Format kFormat{"vsftpd", "vsftpd log file (log_ftp_protocol, debug_ssl), syslog and strace lines",
                              classify};
  return kFormat;
}

}  // namespace sd::logs

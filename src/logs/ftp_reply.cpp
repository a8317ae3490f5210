// Bare FTP replies ("234 AUTH TLS successful", "522 SSL connection failed ..."), as FTP traces and documents show them.
#include "logs/readers.h"

namespace sd::logs {
namespace {

bool ftp_context(std::string_view context) {
  return context == "zos-ftp" || context == "vsftpd" || context == "proftpd" || context == "zos-systemssl";
}

bool classify(const Line& line, Event& ev) {
  const auto text = trim(line.raw);
  if (text.size() < 5 || !digits_at(text, 0, 3) || (text[3] != ' ' && text[3] != '-')) return false;
  if (text[0] < '1' || text[0] > '6') return false;
  mark(ev, ftp_context(line.context) ? line.context : std::string_view("ftp"), "server", "ftp.reply");
  ev.attrs["code"] = std::string(text.substr(0, 3));
  ladder(ev, "server->client", text);
  return true;
}

}  // namespace

const Format& ftp_reply_format() {
  static const Format kFormat{"ftp", "FTP replies quoted on their own line", classify};
  return kFormat;
}

}  // namespace sd::logs

// z/OS FTP client and server traces: FCnnnn/SCnnnn/FUnnnn/CZnnnn trace points and EZAnnnnI / EZYFTnnI messages.
#include <array>

#include "logs/readers.h"

namespace sd::logs {
namespace {

constexpr std::array<std::string_view, 8> kClientTracePoints{"FC", "SC", "FU", "CZ", "FM", "FN", "FS", "FX"};
constexpr std::array<std::string_view, 6> kServerTracePoints{"RW", "PC", "SR", "RA", "GU", "PU"};

bool upper(char c) { return c >= 'A' && c <= 'Z'; }

// "FC1103 authServer: ..." -> the two-letter trace point family, or "".
std::string_view trace_point(std::string_view text) {
  if (text.size() < 8 || !upper(text[0]) || !upper(text[1]) || !digits_at(text, 2, 4) || text[6] != ' ') return {};
  return text.substr(0, 2);
}

template <std::size_t N>
bool one_of(std::string_view v, const std::array<std::string_view, N>& set) {
  for (const auto s : set)
    if (s == v) return true;
  return false;
}

// "EZA2897I", "EZYFT47I" style message ids at the start of text; returns its length or 0.
std::size_t message_id(std::string_view text, std::string_view prefix) {
  if (!starts_with(text, prefix)) return 0;
  std::size_t i = prefix.size();
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == prefix.size() || i >= text.size() || !upper(text[i])) return 0;
  return i + 1;
}

void return_code(std::string_view text, Event& ev) {
  const auto at = text.find("rc = ");
  if (at == std::string_view::npos) return;
  std::size_t end = at + 5;
  while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
  if (end > at + 5) ev.attrs["rc"] = std::string(text.substr(at + 5, end - at - 5));
}

bool trace_line(std::string_view text, Event& ev) {
  const auto point = trace_point(text);
  if (point.empty()) return false;
  const bool client = one_of(point, kClientTracePoints);
  if (!client && !one_of(point, kServerTracePoints)) return false;
  mark(ev, "zos-ftp", client ? "client" : "server", "ftp.trace");
  ev.attrs["trace"] = std::string(text.substr(0, 6));
  return_code(text, ev);
  if (contains(text, "secure_socket_init failed")) ladder(ev, client ? "client" : "server", std::string(text.substr(7)));
  return true;
}

bool message_line(std::string_view text, Event& ev) {
  std::size_t n = message_id(text, "EZA");
  const bool client = n != 0;
  if (!n) n = message_id(text, "EZYFT");
  if (!n) return false;
  mark(ev, "zos-ftp", client ? "client" : "server", "ftp.message");
  ev.attrs["msgid"] = std::string(text.substr(0, n));
  const auto rest = trim(text.substr(n));
  if (starts_with(rest, ">>> ")) {
    ev.type = "ftp.command";
    ev.attrs["command"] = std::string(rest.substr(4));
    ladder(ev, "client->server", rest.substr(4));
  } else if (contains(rest, "negotiation failed") || contains(rest, "Unable to successfully negotiate")) {
    ladder(ev, "break", rest);
  }
  return true;
}

bool classify(const Line& line, Event& ev) {
  const auto text = line.message;
  return trace_line(text, ev) || message_line(text, ev);
}

}  // namespace

const Format& zos_ftp_format() {
  static const Format kFormat{"zos-ftp", "z/OS FTP client/server trace points and EZA/EZYFT messages", classify};
  return kFormat;
}

}  // namespace sd::logs

#include "logs/dumps.h"

#include "logs/readers.h"

namespace sd::logs {

namespace {

bool hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// The longest run of hex digits in text: the payload of a one-line "… (62 bytes): 160301…" record.
std::string_view longest_hex_run(std::string_view text) {
  std::size_t best_at = 0, best_len = 0, at = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && hex_digit(text[i])) continue;
    if (i - at > best_len) {
      best_at = at;
      best_len = i - at;
    }
    at = i + 1;
  }
  return text.substr(best_at, best_len);
}

}  // namespace

void attach_decoded(Event& ev) {
  const bool one_line = ev.line == ev.last_line;
  auto messages = decode::decode_text(one_line ? longest_hex_run(ev.text) : std::string_view(ev.text));
  if (messages.empty() || messages.front().kind == "undecodable") return;
  auto& m = messages.front();
  m.first_line += ev.line - 1;
  m.last_line += ev.line - 1;
  std::string label = m.summary.message.empty() ? m.kind : m.summary.message;
  if (!m.summary.plaintext.empty()) label += " \"" + m.summary.plaintext + "\"";
  ev.decoded = std::move(m);
  if (const auto dir = ev.attrs.find("dir"); dir != ev.attrs.end()) {
    ladder(ev, std::string(dir->second), label);  // the reader knew the direction; name the message instead
    return;
  }
  const auto fn = ev.attrs.find("function");
  const bool received = fn != ev.attrs.end() && contains(fn->second, "read");
  if (ev.side == "client" || ev.side.empty()) ladder(ev, received ? "server->client" : "client->server", label);
}

bool has_hex_run(std::string_view text, std::size_t min_digits) {
  std::size_t run = 0;
  for (const char c : text) {
    run = hex_digit(c) ? run + 1 : 0;
    if (run >= min_digits) return true;
  }
  return false;
}

}  // namespace sd::logs

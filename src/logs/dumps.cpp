#include "logs/dumps.h"

#include "logs/readers.h"

namespace sd::decode {
// Weak until the decode layer is always linked: without it, dumps stay undecoded instead of failing to link.
std::vector<Message> decode_text(std::string_view text) __attribute__((weak));
}  // namespace sd::decode

namespace sd::logs {

void attach_decoded(Event& ev) {
  if (decode::decode_text == nullptr) return;
  auto messages = decode::decode_text(ev.text);
  if (messages.empty()) return;
  auto& m = messages.front();
  m.first_line += ev.line - 1;
  m.last_line += ev.line - 1;
  std::string label = m.summary.message.empty() ? m.kind : m.summary.message;
  if (!m.summary.plaintext.empty()) label += " \"" + m.summary.plaintext + "\"";
  const bool received = contains(ev.attrs["function"], "read");
  ev.decoded = std::move(m);
  if (ev.side == "client" || ev.side.empty()) ladder(ev, received ? "server->client" : "client->server", label);
}

}  // namespace sd::logs

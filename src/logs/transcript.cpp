// Exchange transcripts: "client -> server: AUTH TLS", "server -> client: raw bytes (33): 1503…" (test harnesses,
// hand-written notes). Hex on such lines is decoded by the stream.
#include "logs/readers.h"

namespace sd::logs {
namespace {

bool classify(const Line& line, Event& ev) {
  const auto text = trim(line.message);
  const bool up = starts_with(text, "client -> server: ") || starts_with(text, "C: ");
  const bool down = starts_with(text, "server -> client: ") || starts_with(text, "S: ");
  if (!up && !down) return false;
  mark(ev, "transcript", "", "transcript");
  ladder(ev, up ? "client->server" : "server->client", text.substr(text.find(": ") + 2));
  return true;
}

}  // namespace

const Format& transcript_format() {
  static const Format kFormat{"transcript", "client -> server / server -> client transcripts", classify};
  return kFormat;
}

}  // namespace sd::logs

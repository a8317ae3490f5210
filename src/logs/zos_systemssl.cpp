// z/OS System SSL traces (gsktrace output): a header line, a "Job ... Process ... Thread ... function" line, then
// the message text or a labelled hex dump. Each record becomes one multi-line event.
#include <array>

#include "logs/readers.h"

namespace sd::logs {
namespace {

struct Kind {
  std::string_view trace;  // e.g. "SSL_ERROR"
  std::string_view type;   // Event::type
};

constexpr std::array<Kind, 5> kKinds{{{"SSL_INFO", "ssl.info"},
                                      {"SSL_ERROR", "ssl.error"},
                                      {"SSL_ASCII_DUMP", "ssl.dump"},
                                      {"SSL_EBCDIC_DUMP", "ssl.dump"},
                                      {"SSL_ENTRY", "ssl.info"}}};

// "S0W1 MESSAGE 00000008 01:49:34.380195 SSL_INFO": the record kind, or nullptr.
const Kind* header_kind(std::string_view raw) {
  const auto sp = raw.find(' ');
  if (sp == std::string_view::npos) return nullptr;
  const auto rest = raw.substr(sp + 1);
  if (!starts_with(rest, "MESSAGE ") && !starts_with(rest, "DUMP ")) return nullptr;
  for (const auto& k : kKinds)
    if (rest.size() >= k.trace.size() && rest.substr(rest.size() - k.trace.size()) == k.trace) return &k;
  return nullptr;
}

bool hex_dump_line(std::string_view raw) {
  if (raw.size() < 10 || raw[8] != ':') return false;
  for (std::size_t i = 0; i < 8; ++i) {
    const char c = raw[i];
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool classify(const Line& line, Event& ev) {
  const auto raw = trim(line.raw);
  const Kind* kind = header_kind(raw);
  if (!kind) return false;
  mark(ev, "zos-systemssl", "", kind->type);
  ev.attrs["trace"] = std::string(kind->trace);
  std::size_t used = 0;
  const auto parts = raw.find(' ', raw.find(' ', raw.find(' ') + 1) + 1);
  if (parts != std::string_view::npos) ev.time_ms = parse_time(raw.substr(parts + 1), used);
  return true;
}

// Header, then "Job ...", then one message line (MESSAGE) or a label and hex lines (DUMP).
bool continues(const Event& open, std::string_view raw) {
  raw = trim(raw);
  const std::size_t have = open.last_line - open.line + 1;
  if (have == 1) return starts_with(raw, "Job ");
  if (header_kind(raw)) return false;
  if (open.type != "ssl.dump") return have == 2;
  return have == 2 || hex_dump_line(raw);
}

// "Job SJP1 Process 0501028D Thread 00000001 send_v3_client_hello"
void job_attrs(std::string_view job, Event& ev) {
  std::array<std::string_view, 7> words{};
  std::size_t n = 0;
  while (!job.empty() && n < words.size()) {
    const auto sp = job.find(' ');
    words[n++] = job.substr(0, sp);
    job = sp == std::string_view::npos ? std::string_view{} : trim(job.substr(sp + 1));
  }
  if (n >= 2) ev.attrs["job"] = std::string(words[1]);
  if (n >= 4) ev.attrs["process"] = std::string(words[3]);
  if (n >= 6) ev.attrs["thread"] = std::string(words[5]);
  if (n >= 7) ev.attrs["function"] = std::string(words[6]);
}

void finish(Event& ev) {
  const std::string_view text = ev.text;
  const auto first = text.find('\n');
  if (first == std::string_view::npos) return;
  const auto second = text.find('\n', first + 1);
  job_attrs(trim(text.substr(first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1)),
            ev);
  const auto body = second == std::string_view::npos ? std::string_view{} : text.substr(second + 1);
  const auto fn = ev.attrs["function"];
  const bool client_side = contains(body, "client") || contains(fn, "client");
  ev.side = client_side ? "client" : "";
  if (ev.type == "ssl.info" && starts_with(body, "Sent ")) {
    ladder(ev, "client->server", trim(body.substr(5, body.find('\n') - 5)));
  } else if (ev.type == "ssl.error") {
    ladder(ev, "break", trim(body.substr(0, body.find('\n'))));
  }
}

}  // namespace

const Format& zos_systemssl_format() {
  static const Format kFormat{"zos-systemssl", "z/OS System SSL trace records (SSL_INFO, SSL_ERROR, dumps)", classify,
                              continues, finish};
  return kFormat;
}

}  // namespace sd::logs

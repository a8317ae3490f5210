#include "wire/tls/plaintext.h"

#include <algorithm>
#include <cctype>

#include "wire/tls/registry.h"

namespace sd::tls {

namespace {

bool is_text_byte(std::uint8_t b) { return (b >= 0x20 && b < 0x7f) || b == '\r' || b == '\n' || b == '\t'; }

/// True when one of the two strings starts the other (a 5-byte dump "550 T" matches "550 ").
bool prefix_match(std::string_view text, std::string_view prefix) {
  const std::size_t n = std::min(text.size(), prefix.size());
  return n >= 3 && text.substr(0, n) == prefix.substr(0, n);
}

bool three_digits(std::string_view t) {
  return t.size() >= 3 && std::all_of(t.begin(), t.begin() + 3, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
         (t.size() == 3 || t[3] == ' ' || t[3] == '-');
}

bool mentions_smtp(std::string_view t) { return t.find("SMTP") != std::string_view::npos || t.find("smtp") != std::string_view::npos; }

}  // namespace

bool looks_like_text(Bytes b) {
  if (b.size() < 3) return false;
  const std::size_t head = std::min<std::size_t>(b.size(), 4);
  if (!std::all_of(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(head), [](std::uint8_t c) { return c >= 0x20 && c < 0x7f; }))
    return false;
  const auto text_bytes = std::count_if(b.begin(), b.end(), is_text_byte);
  return static_cast<std::size_t>(text_bytes) * 10 >= b.size() * 9;
}

PlaintextGuess classify_plaintext(Bytes b) {
  PlaintextGuess g;
  g.text = printable(b);
  const std::string_view text = g.text;
  if (three_digits(text) && text.starts_with("220") && mentions_smtp(text)) {
    g.kind = "smtp-greeting";
    g.meaning = "an SMTP greeting: STARTTLS is needed before TLS on this port";
    return g;
  }
  for (const auto& sig : registry::plaintext_signatures()) {
    if (!prefix_match(text, sig.prefix)) continue;
    g.kind = std::string(sig.kind);
    g.meaning = std::string(sig.meaning);
    return g;
  }
  if (three_digits(text)) {
    g.kind = "ftp-reply";
    g.meaning = "a numbered reply (FTP or SMTP style) " + std::string(text.substr(0, 3));
    return g;
  }
  g.kind = "text";
  g.meaning = "printable text, not a TLS record";
  return g;
}

}  // namespace sd::tls

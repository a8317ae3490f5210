#include <charconv>

#include "probe/probe.h"

namespace sd::probe {
namespace {

std::optional<std::uint16_t> parse_port(std::string_view s) {
  unsigned v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v == 0 || v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

}  // namespace

std::optional<Url> parse_url(std::string_view text, std::string& error) {
  Url url;
  url.text = std::string(text);
  const auto sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0) {
    error = "'" + url.text + "' is not a URL of the form scheme://host[:port]";
    return std::nullopt;
  }
  url.scheme = std::string(text.substr(0, sep));
  const ProbeKind* kind = find_probe(url.scheme);
  if (!kind) {
    std::string known;
    for (const auto& k : probe_kinds()) known += (known.empty() ? "" : ", ") + std::string(k.scheme);
    error = "'" + url.scheme + "' is not a probe scheme (known: " + (known.empty() ? "none" : known) + ")";
    return std::nullopt;
  }
  std::string_view rest = text.substr(sep + 3);
  const auto slash = rest.find('/');
  if (slash != std::string_view::npos) {
    url.path = std::string(rest.substr(slash));
    rest = rest.substr(0, slash);
  }
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      error = "'" + url.text + "': unterminated IPv6 literal";
      return std::nullopt;
    }
    url.host = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        error = "'" + url.text + "': junk after the IPv6 literal";
        return std::nullopt;
      }
      port_text = rest.substr(1);
      if (port_text.empty()) {
        error = "'" + url.text + "': empty port after ':'";
        return std::nullopt;
      }
    }
  } else {
    const auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && rest.find(':') != colon) {
      error = "'" + url.text + "': an IPv6 address needs brackets, e.g. " + url.scheme + "://[::1]:443";
      return std::nullopt;
    }
    url.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) {
        error = "'" + url.text + "': empty port after ':'";
        return std::nullopt;
      }
    }
  }
  if (url.host.empty()) {
    error = "'" + url.text + "': no host";
    return std::nullopt;
  }
  url.port = kind->default_port;
  if (!port_text.empty()) {
    const auto port = parse_port(port_text);
    if (!port) {
      error = "'" + url.text + "': port '" + std::string(port_text) + "' is not a number from 1 to 65535";
      return std::nullopt;
    }
    url.port = *port;
  }
  return url;
}

}  // namespace sd::probe

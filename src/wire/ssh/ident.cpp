#include "wire/ssh/ident.h"

#include <algorithm>
#include <string_view>

namespace sd::ssh {

namespace {

constexpr std::string_view kPrefix = "SSH-";

struct Line {
  std::string text;  // without CR LF
  std::size_t length = 0;
  bool crlf = false;
};

/// Takes one LF-terminated line from r; nullopt when no LF has arrived yet.
std::optional<Line> take_line(Reader& r) {
  const Bytes rest = r.rest();
  const auto lf = std::find(rest.begin(), rest.end(), std::uint8_t{'\n'});
  if (lf == rest.end()) return std::nullopt;
  const auto n = static_cast<std::size_t>(lf - rest.begin()) + 1;
  const Bytes raw = *r.bytes(n);
  Line line{std::string(raw.begin(), raw.end() - 1), n, false};
  if (!line.text.empty() && line.text.back() == '\r') {
    line.text.pop_back();
    line.crlf = true;
  }
  return line;
}

bool starts_with_prefix(Bytes b) {
  const std::size_t n = std::min(b.size(), kPrefix.size());
  return std::equal(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n), kPrefix.begin());
}

void note_deviations(Identification& id) {
  if (!id.crlf) id.deviations.push_back("line ends in LF without CR (RFC 4253 §4.2 asks for CR LF)");
  if (id.length > kMaxIdentificationLength) {
    id.deviations.push_back("line is " + std::to_string(id.length) + " bytes, over the 255 of RFC 4253 §4.2");
  }
  if (id.proto_version != "2.0" && id.proto_version != "1.99") {
    id.deviations.push_back("protocol version " + id.proto_version + " is not SSH 2.0");
  }
  const bool odd = std::any_of(id.line.begin(), id.line.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u >= 0x7f;
  });
  if (odd) id.deviations.push_back("line holds bytes outside printable US-ASCII");
}

Result<Identification> split_line(Identification id) {
  const std::string_view body = std::string_view(id.line).substr(kPrefix.size());
  const std::size_t dash = body.find('-');
  if (id.line.find('\0') != std::string::npos) {
    return malformed(id.offset, "identification", "nul_in_identification", "the identification line holds a NUL byte");
  }
  if (dash == std::string_view::npos || dash == 0) {
    return malformed(id.offset, "identification.proto_version", "bad_identification",
                     "no protocol version followed by '-' after \"SSH-\"");
  }
  id.proto_version = std::string(body.substr(0, dash));
  const std::string_view after = body.substr(dash + 1);
  const std::size_t space = after.find(' ');
  id.software_version = std::string(after.substr(0, space));
  if (space != std::string_view::npos) id.comments = std::string(after.substr(space + 1));
  if (id.software_version.empty()) {
    return malformed(id.offset + kPrefix.size() + dash + 1, "identification.software_version", "bad_identification",
                     "the software version is empty");
  }
  note_deviations(id);
  return id;
}

}  // namespace

Result<Identification> parse_identification(Bytes data, std::size_t base, const IdentLimits& limits) {
  auto r = Reader::stream(data, base);
  Identification id;
  while (true) {
    const std::size_t at = r.offset();
    const bool is_ident = starts_with_prefix(r.rest());
    auto line = take_line(r);
    if (!line) {
      if (r.remaining() > limits.max_line) {
        return malformed(at, is_ident ? "identification" : "pre_banner", "line_too_long",
                         "no line end within " + std::to_string(limits.max_line) + " bytes");
      }
      return need_more(at, is_ident ? "identification" : "pre_banner", "the line has not ended yet");
    }
    if (line->length > limits.max_line) {
      return malformed(at, is_ident ? "identification" : "pre_banner", "line_too_long",
                       "a line is longer than " + std::to_string(limits.max_line));
    }
    if (is_ident && line->text.size() >= kPrefix.size()) {
      id.line = std::move(line->text);
      id.offset = at;
      id.length = line->length;
      id.crlf = line->crlf;
      id.consumed = r.offset() - base;
      return split_line(std::move(id));
    }
    if (id.pre_banner.size() >= limits.max_pre_banner_lines) {
      return malformed(at, "pre_banner", "too_many_lines",
                       "more than " + std::to_string(limits.max_pre_banner_lines) + " lines before the identification");
    }
    id.pre_banner.push_back({std::move(line->text), at, line->length});
  }
}

}  // namespace sd::ssh

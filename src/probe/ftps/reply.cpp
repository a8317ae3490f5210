// FTP reply parsing: lines read byte by byte through sd::Reader, with a cap on each line and on the line count.
#include "probe/ftps/reply.h"

#include <fmt/format.h>

#include <cctype>
#include <optional>
#include <string_view>

namespace sd::probe::ftps {
namespace {

// One line without its CR LF (a lone LF ends a line too); need_more when the terminator has not come yet.
Result<std::string> read_line(Reader& r, const char* path) {
  std::string line;
  while (true) {
    const auto c = r.u8();
    if (!c) return need_more(r.offset(), path, "the reply line has not ended yet");
    if (*c == '\n') break;
    if (line.size() >= kMaxLineBytes)
      return malformed(r.offset(), path, "line_too_long", fmt::format("a reply line is over {} bytes", kMaxLineBytes));
    line.push_back(static_cast<char>(*c));
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return printable(Bytes(reinterpret_cast<const std::uint8_t*>(line.data()), line.size()));
}

// The three-digit code at the start of a line, or nullopt.
std::optional<int> code_of(std::string_view line) {
  if (line.size() < 3) return std::nullopt;
  int code = 0;
  for (const char c : line.substr(0, 3)) {
    if (c < '0' || c > '9') return std::nullopt;
    code = code * 10 + (c - '0');
  }
  return code >= 100 && code < 600 ? std::optional<int>(code) : std::nullopt;
}

// True when the line is "ddd" or "ddd " + text: the last line of a reply with that code.
bool ends_reply(std::string_view line, int code) {
  return code_of(line) == code && (line.size() == 3 || line[3] == ' ');
}

// Reads unsigned decimal numbers from text, skipping anything else; at most `max` of them.
std::vector<unsigned> numbers_in(std::string_view text, std::size_t max) {
  std::vector<unsigned> out;
  Reader r = Reader::bounded(Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  unsigned current = 0;
  bool in_number = false;
  while (out.size() < max) {
    const auto c = r.u8();
    const bool digit = c && *c >= '0' && *c <= '9';
    if (digit) current = std::min<unsigned>(current * 10 + (*c - '0'), 100000);
    if (!digit && in_number) out.push_back(current);
    if (!digit) current = 0;
    in_number = digit;
    if (!c) break;
  }
  return out;
}

}  // namespace

std::string Reply::text() const {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : " | ") + l;
  return out;
}

Result<Reply> parse_reply(Bytes input) {
  Reader r = Reader::stream(input);
  auto first = read_line(r, "reply.line");
  if (!first) return first.error();
  const auto code = code_of(*first);
  if (!code) return malformed(0, "reply.code", "bad_code", "the reply does not start with a three-digit code");
  Reply reply{*code, {*first}, 0};
  const bool multi = first->size() > 3 && (*first)[3] == '-';
  while (multi && !ends_reply(reply.lines.back(), *code)) {
    if (reply.lines.size() >= kMaxReplyLines)
      return malformed(r.offset(), "reply.lines", "too_many_lines",
                       fmt::format("a multi-line reply is over {} lines", kMaxReplyLines));
    auto next = read_line(r, "reply.line");
    if (!next) return next.error();
    reply.lines.push_back(std::move(*next));
  }
  reply.size = r.offset();
  return reply;
}

std::string PassiveAddress::host() const {
  return fmt::format("{}.{}.{}.{}", octets[0], octets[1], octets[2], octets[3]);
}

Result<PassiveAddress> parse_pasv(const Reply& reply) {
  const std::string_view text = reply.lines.empty() ? std::string_view{} : std::string_view(reply.lines.front());
  if (reply.code != 227) return malformed(0, "pasv.code", "not_227", "the reply to PASV is not 227");
  const auto n = numbers_in(text.substr(3), 6);
  if (n.size() != 6) return malformed(3, "pasv.address", "missing_numbers", "the 227 reply has no h1,h2,h3,h4,p1,p2");
  PassiveAddress a;
  for (std::size_t i = 0; i < 6; ++i)
    if (n[i] > 255) return malformed(3, "pasv.address", "out_of_range", "a number in the 227 reply is above 255");
  for (std::size_t i = 0; i < 4; ++i) a.octets[i] = static_cast<std::uint8_t>(n[i]);
  a.port = static_cast<std::uint16_t>(n[4] * 256 + n[5]);
  return a;
}

Result<std::uint16_t> parse_epsv(const Reply& reply) {
  if (reply.code != 229) return malformed(0, "epsv.code", "not_229", "the reply to EPSV is not 229");
  const std::string& line = reply.lines.front();
  const auto open = line.find('(');
  if (open == std::string::npos) return malformed(0, "epsv.port", "missing_parenthesis", "the 229 reply has no (|||port|)");
  Reader r = Reader::bounded(Bytes(reinterpret_cast<const std::uint8_t*>(line.data()), line.size()), 0);
  r.skip(open + 1);
  const auto d = r.u8();
  if (!d || r.u8() != d || r.u8() != d)
    return malformed(r.offset(), "epsv.port", "bad_delimiters", "the 229 reply does not open with three delimiters");
  unsigned port = 0;
  std::size_t digits = 0;
  auto c = r.u8();
  for (; c && *c >= '0' && *c <= '9' && digits < 6; c = r.u8(), ++digits) port = port * 10 + (*c - '0');
  if (c != d || r.u8() != std::uint8_t{')'} || digits == 0 || port == 0 || port > 65535)
    return malformed(r.offset(), "epsv.port", "bad_port", "the 229 reply's port is not a number from 1 to 65535");
  return static_cast<std::uint16_t>(port);
}

std::vector<std::string> parse_features(const Reply& reply) {
  std::vector<std::string> out;
  if (reply.code != 211) return out;
  for (std::size_t i = 1; i + 1 < reply.lines.size(); ++i) {
    const std::string& line = reply.lines[i];
    const auto start = line.find_first_not_of(' ');
    if (start == std::string::npos || start == 0) continue;
    std::string feature = line.substr(start);
    for (auto& c : feature) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out.push_back(std::move(feature));
  }
  return out;
}

bool has_feature(const std::vector<std::string>& features, std::string_view name) {
  for (const auto& f : features)
    if (f.substr(0, f.find(' ')) == name) return true;
  return false;
}

}  // namespace sd::probe::ftps

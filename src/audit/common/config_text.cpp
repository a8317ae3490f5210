// Bounded config reading and line splitting; no byte is read past what the file holds.
#include "audit/common/config_text.h"

#include <fmt/format.h>

#include <fstream>

namespace sd::audit {

std::string ConfigError::text() const {
  return line ? fmt::format("{}:{}: {}", file, line, message) : fmt::format("{}: {}", file, message);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

FileText read_config_file(const std::string& path) {
  FileText out;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.error = ConfigError{path, 0, "cannot open the file"};
    return out;
  }
  out.text.resize(kMaxConfigBytes + 1);
  in.read(out.text.data(), static_cast<std::streamsize>(out.text.size()));
  if (in.bad()) {
    out.error = ConfigError{path, 0, "read error"};
    return out;
  }
  out.text.resize(static_cast<std::size_t>(in.gcount()));
  if (out.text.size() > kMaxConfigBytes)
    out.error = ConfigError{path, 0, fmt::format("larger than {} MiB, not a configuration file this tool reads",
                                                kMaxConfigBytes >> 20)};
  return out;
}

namespace {

bool binary_byte(unsigned char c) { return c == 0 || (c < 0x20 && c != '\t' && c != '\r' && c != '\f'); }

std::optional<ConfigLine> parse_line(std::string_view file, std::size_t number, std::string_view raw, Separator sep) {
  const auto text = trim(raw);
  if (text.empty() || text.front() == '#') return std::nullopt;
  ConfigLine l{std::string(file), number, {}, {}, std::string(text)};
  const auto cut = sep == Separator::equals ? text.find('=') : text.find_first_of(" \t=");
  l.key = std::string(trim(text.substr(0, cut)));
  if (cut != std::string_view::npos) {
    auto rest = trim(text.substr(cut + 1));
    if (sep == Separator::whitespace && !rest.empty() && rest.front() == '=') rest = trim(rest.substr(1));
    l.value = std::string(rest);
  }
  return l;
}

}  // namespace

SplitLines split_config(std::string_view file, std::string_view text, Separator sep) {
  SplitLines out;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const auto end = text.find('\n');
    const auto raw = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    for (const char c : raw)
      if (binary_byte(static_cast<unsigned char>(c))) {
        out.error = ConfigError{std::string(file), number,
                                fmt::format("binary data (byte 0x{:02x}): not a text configuration file",
                                            static_cast<unsigned char>(c))};
        return out;
      }
    if (auto l = parse_line(file, number, raw, sep)) out.lines.push_back(std::move(*l));
  }
  return out;
}

}  // namespace sd::audit

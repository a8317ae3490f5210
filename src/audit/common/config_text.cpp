// Bounded config reading and line splitting; no byte is read past what the file holds.
#include "audit/common/config_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

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

namespace {

constexpr std::size_t kReadChunk = 64u << 10;

std::string too_large(std::size_t cap) {
  return fmt::format("larger than {} MiB, not a configuration file this tool reads", cap >> 20);
}

// Appends the stream's bytes to out in chunks, stopping once it holds more than the cap; false on a read error.
bool read_bounded(std::FILE* in, std::string& out) {
  std::string chunk(kReadChunk, '\0');
  while (out.size() <= kMaxConfigBytes) {
    const auto want = std::min(chunk.size(), kMaxConfigBytes + 1 - out.size());
    const auto got = std::fread(chunk.data(), 1, want, in);
    out.append(chunk.data(), got);
    if (got < want) return std::ferror(in) == 0;
  }
  return true;
}

}  // namespace

FileText read_config_file(const std::string& path) {
  FileText out;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    out.error = ConfigError{path, 0, "a directory, not a file"};
    return out;
  }
  if (std::filesystem::is_regular_file(path, ec)) {
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxConfigBytes) {
      out.error = ConfigError{path, 0, too_large(kMaxConfigBytes)};
      return out;
    }
  }
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!in) {
    out.error = ConfigError{path, 0, "cannot open the file"};
    return out;
  }
  const bool ok = read_bounded(in.get(), out.text);
  out.bytes_read = out.text.size();
  if (!ok)
    out.error = ConfigError{path, 0, fmt::format("read error ({})", std::strerror(errno))};
  else if (out.text.size() > kMaxConfigBytes)
    out.error = ConfigError{path, 0, too_large(kMaxConfigBytes)};
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

std::optional<ConfigError> binary_line_error(std::string_view file, std::size_t number, std::string_view raw) {
  for (const char c : raw)
    if (binary_byte(static_cast<unsigned char>(c)))
      return ConfigError{std::string(file), number,
                         fmt::format("binary data (byte 0x{:02x}): not a text configuration file",
                                     static_cast<unsigned char>(c))};
  return std::nullopt;
}

SplitLines split_config(std::string_view file, std::string_view text, Separator sep) {
  SplitLines out;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const auto end = text.find('\n');
    const auto raw = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (auto e = binary_line_error(file, number, raw)) {
      out.error = std::move(e);
      return out;
    }
    if (auto l = parse_line(file, number, raw, sep)) out.lines.push_back(std::move(*l));
  }
  return out;
}

std::optional<ConfigError> each_config_line(std::string_view file, std::string_view text, Separator sep,
                                            const std::function<bool(const ConfigLine&)>& on_line) {
  const SplitLines split = split_config(file, text, sep);
  if (split.error) return split.error;
  for (const auto& l : split.lines)
    if (!on_line(l)) break;
  return std::nullopt;
}

}  // namespace sd::audit

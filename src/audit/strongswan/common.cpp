// Durations, file resolution and format recognition shared by both strongSwan readers.
#include <cctype>
#include <charconv>

#include "audit/common/config_text.h"
#include "audit/strongswan/internal.h"

namespace sd::audit::strongswan {

std::filesystem::path resolve(const std::string& config_file, const std::string& name, const std::string& root,
                              const std::string& subdir) {
  const std::filesystem::path p(name);
  if (p.is_absolute()) return root.empty() ? p : std::filesystem::path(root) / p.relative_path();
  const auto dir = std::filesystem::path(config_file).parent_path();
  return subdir.empty() ? dir / p : dir / subdir / p;
}

std::optional<ConfigError> each_line(
    const std::string& file, std::string_view text,
    const std::function<std::optional<ConfigError>(std::size_t number, std::string_view raw)>& fn) {
  std::size_t number = 0, start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    const auto raw = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    ++number;
    if (auto e = binary_line_error(file, number, raw)) return e;
    if (auto e = fn(number, raw)) return e;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return std::nullopt;
}

std::optional<long long> parse_duration(std::string_view text) {
  text = trim(text);
  long long unit = 1;
  if (!text.empty() && std::isalpha(static_cast<unsigned char>(text.back()))) {
    switch (text.back()) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      default: return std::nullopt;
    }
    text.remove_suffix(1);
  }
  long long n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < 0 || n > (1LL << 40))
    return std::nullopt;
  return n * unit;
}

std::string detect(const std::string& path, std::string_view text) {
  const std::string name = std::filesystem::path(path).filename().string();
  if (name == "swanctl.conf") return "swanctl";
  if (name == "ipsec.conf") return "ipsec.conf";
  if (!name.ends_with(".conf")) return "";
  if (text.find("connections {") != std::string_view::npos || text.find("connections{") != std::string_view::npos)
    return "swanctl";
  if (text.starts_with("conn ") || text.find("\nconn ") != std::string_view::npos) return "ipsec.conf";
  return "";
}

}  // namespace sd::audit::strongswan

// Include resolution: folders, one-'*' globs and plain paths, under a host root, with a nesting limit.
#include "audit/common/include.h"

#include <algorithm>
#include <filesystem>

namespace sd::audit {
namespace {

namespace fs = std::filesystem;

bool wanted(const fs::path& p, const IncludeRules& rules) {
  if (rules.folder_extensions.empty()) return true;
  const auto ext = p.extension().string();
  return std::find(rules.folder_extensions.begin(), rules.folder_extensions.end(), ext) != rules.folder_extensions.end();
}

std::vector<std::string> folder_files(const fs::path& folder, const IncludeRules& rules) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder, ec))
    if (e.is_regular_file(ec) && wanted(e.path(), rules)) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

bool matches(const std::string& name, const std::string& prefix, const std::string& suffix) {
  return name.size() >= prefix.size() + suffix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
         name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> glob_files(const fs::path& pattern) {
  const auto name = pattern.filename().string();
  const auto star = name.find('*');
  const auto prefix = name.substr(0, star);
  const auto suffix = name.substr(star + 1);
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(pattern.parent_path(), ec))
    if (matches(e.path().filename().string(), prefix, suffix)) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<std::string> include_files(const ConfigLine& at, const std::string& target, const IncludeRules& rules) {
  fs::path p = target;
  if (p.is_absolute() && !rules.root.empty()) p = fs::path(rules.root) / p.relative_path();
  if (p.is_relative()) p = fs::path(at.file).parent_path() / p;
  std::error_code ec;
  if (fs::is_directory(p, ec)) return folder_files(p, rules);
  if (p.filename().string().find('*') != std::string::npos) return glob_files(p);
  return {p.string()};
}

std::optional<ConfigError> follow_include(const ConfigLine& at, const std::string& target, int depth,
                                          const IncludeRules& rules, const IncludeReader& read) {
  if (depth >= rules.max_depth)
    return ConfigError{at.file, at.line, rules.directive + " nested too deeply (a loop?)"};
  for (const auto& file : include_files(at, target, rules)) {
    const auto text = read_config_file(file);
    if (text.error) return ConfigError{at.file, at.line, rules.directive + " " + target + ": " + text.error->message};
    if (auto e = read(file, text.text, depth + 1)) return e;
  }
  return std::nullopt;
}

}  // namespace sd::audit

// Reads sshd_config / ssh_config and their Includes into entries that keep file:line and block.
#include <fmt/format.h>
#include <glob.h>

#include <algorithm>
#include <filesystem>

#include "audit/openssh/openssh.h"

namespace sd::audit::openssh {
namespace {

constexpr int kMaxIncludeDepth = 16;  // OpenSSH's own limit

struct Reader {
  Role role;
  std::string root;
  Config& out;
  std::optional<ConfigError> error;

  std::vector<std::string> expand(const std::string& pattern) const {
    std::string full = pattern.starts_with("/") ? pattern : "/etc/ssh/" + pattern;
    full = root + full;
    std::vector<std::string> paths;
    glob_t g{};
    if (glob(full.c_str(), 0, nullptr, &g) == 0)
      for (std::size_t i = 0; i < g.gl_pathc; ++i) paths.emplace_back(g.gl_pathv[i]);
    globfree(&g);
    return paths;
  }

  bool include(const ConfigLine& l, const std::string& block, int depth) {
    for (std::string_view rest = l.value; !rest.empty();) {
      const auto sp = rest.find_first_of(" \t");
      const std::string pattern(rest.substr(0, sp));
      rest = sp == std::string_view::npos ? std::string_view{} : trim(rest.substr(sp));
      const auto paths = expand(pattern);
      if (paths.empty()) out.notes.push_back(fmt::format("{}:{}: Include {} matched no file", l.file, l.line, pattern));
      for (const auto& p : paths) {
        const auto text = read_config_file(p);
        if (text.error) return fail(*text.error);
        if (!read(p, text.text, block, depth + 1)) return false;
      }
    }
    return true;
  }

  bool fail(ConfigError e) {
    error = std::move(e);
    return false;
  }

  bool read(const std::string& file, std::string_view text, std::string block, int depth) {
    if (depth > kMaxIncludeDepth)
      return fail({file, 0, fmt::format("Include nested deeper than {} (a loop?)", kMaxIncludeDepth)});
    auto split = split_config(file, text, Separator::whitespace);
    if (split.error) return fail(*split.error);
    for (auto& l : split.lines) {
      if (std::count(l.text.begin(), l.text.end(), '"') % 2)
        return fail({file, l.line, "unbalanced quotes: sshd and ssh refuse this line"});
      const auto key = lower(l.key);
      if (key == "include") {
        if (!include(l, block, depth)) return false;
        continue;
      }
      if (key == "match" || (role == Role::client && key == "host")) block = l.text;
      out.entries.push_back(Entry{std::move(l), block});
    }
    return true;
  }
};

bool global_block(const std::string& block) {
  const auto b = lower(block);
  return b.empty() || b == "host *" || b == "match all";
}

}  // namespace

std::optional<ConfigLine> Config::global(const std::string& keyword) const {
  const auto k = lower(keyword);
  for (const auto& e : entries)
    if (lower(e.line.key) == k && global_block(e.block)) return e.line;
  return std::nullopt;
}

Parsed parse(Role role, const std::string& file, std::string_view text, const std::string& root) {
  Parsed p;
  p.config.role = role;
  p.config.file = file;
  Reader r{role, root, p.config, std::nullopt};
  r.read(file, text, "", 0);
  p.error = r.error;
  return p;
}

std::optional<Role> role_from_name(const std::string& path) {
  const auto name = std::filesystem::path(path).filename().string();
  if (name.starts_with("sshd_config")) return Role::server;
  if (name.starts_with("ssh_config") || name == "config") return Role::client;
  return std::nullopt;
}

}  // namespace sd::audit::openssh

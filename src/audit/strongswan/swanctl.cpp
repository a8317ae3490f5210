// swanctl.conf: the strongswan.conf section syntax (name { key = value ... }, include with globs) into a tree
// that keeps file:line, then connections with their rekey timers and certificates. Defaults are those of
// swanctl.conf(5) for strongSwan 5.9: IKE rekey_time 4h, over_time 10% of it, rand_time = over_time; CHILD
// rekey_time 1h, life_time rekey_time + 10%, rand_time = life_time - rekey_time.
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>

#include "audit/strongswan/internal.h"

namespace sd::audit::strongswan {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxIncludeDepth = 8;
constexpr std::size_t kMaxIncludedFiles = 256;

// The line without a comment (a '#' outside double quotes).
std::string_view uncomment(std::string_view line) {
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == '#' && !quoted) return line.substr(0, i);
  }
  return line;
}

std::string unquote(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return std::string(v);
}

// One reader pass: the stack of open sections and the include budget.
struct Reader {
  std::string root;
  std::vector<Section*> open;
  std::size_t files = 0;
  std::vector<std::string> notes;

  std::optional<ConfigError> text(const std::string& file, std::string_view body, int depth);
  std::optional<ConfigError> line(const std::string& file, std::size_t number, std::string_view raw, int depth);
  std::optional<ConfigError> include(const std::string& file, std::size_t number, std::string_view pattern,
                                     int depth);
};

std::optional<ConfigError> Reader::text(const std::string& file, std::string_view body, int depth) {
  return each_line(file, body, [&](std::size_t number, std::string_view raw) { return line(file, number, raw, depth); });
}

std::optional<ConfigError> Reader::line(const std::string& file, std::size_t number, std::string_view raw,
                                        int depth) {
  const std::string whole(trim(raw));
  std::string_view rest = trim(uncomment(raw));
  if (rest.starts_with("include ") || rest.starts_with("include\t"))
    return include(file, number, trim(rest.substr(8)), depth);
  while (!rest.empty()) {
    if (rest.front() == '}') {
      if (open.size() <= 1) return ConfigError{file, number, "'}' closes no section"};
      open.pop_back();
      rest = trim(rest.substr(1));
      continue;
    }
    const auto at = rest.find_first_of("={}");
    if (at == std::string_view::npos || rest[at] == '}')
      return ConfigError{file, number, fmt::format("expected 'name {{' or 'key = value': {}", whole)};
    const std::string name(trim(rest.substr(0, at)));
    if (name.empty()) return ConfigError{file, number, "a section or setting without a name"};
    if (rest[at] == '{') {
      open.back()->sections.push_back(Section{name, ConfigLine{file, number, name, "", whole}, {}, {}});
      open.push_back(&open.back()->sections.back());
      rest = trim(rest.substr(at + 1));
      continue;
    }
    auto value = rest.substr(at + 1);
    const auto close = !value.empty() && value.front() == '"' ? std::string_view::npos : value.find('}');
    open.back()->settings.push_back(ConfigLine{file, number, name, unquote(value.substr(0, close)), whole});
    rest = close == std::string_view::npos ? std::string_view{} : trim(value.substr(close));
  }
  return std::nullopt;
}

// Files matching an include pattern (a glob in the last path element), sorted as strongSwan reads them.
std::vector<fs::path> matches(const fs::path& pattern) {
  std::vector<fs::path> out;
  std::error_code ec;
  const std::string glob = pattern.filename().string();
  if (glob.find_first_of("*?[") == std::string::npos) {
    if (fs::is_regular_file(pattern, ec)) out.push_back(pattern);
    return out;
  }
  for (fs::directory_iterator it(pattern.parent_path(), ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && fnmatch(glob.c_str(), it->path().filename().c_str(), 0) == 0)
      out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<ConfigError> Reader::include(const std::string& file, std::size_t number, std::string_view pattern,
                                           int depth) {
  if (depth >= kMaxIncludeDepth) return ConfigError{file, number, "includes nested too deeply"};
  const fs::path target = resolve(file, unquote(pattern), root, "");
  const auto found = matches(target);
  if (found.empty()) notes.push_back(fmt::format("{}:{}: include {} matched no file", file, number, target.string()));
  for (const auto& p : found) {
    if (++files > kMaxIncludedFiles) return ConfigError{file, number, "too many included files"};
    const auto t = read_config_file(p.string());
    if (t.error) return t.error;
    if (auto e = text(p.string(), t.text, depth + 1)) return e;
  }
  return std::nullopt;
}

// A duration setting or its default, with where it came from.
Timer timer(const Section& s, std::string_view key, long long fallback, std::string fallback_source) {
  if (const auto* l = s.setting(key))
    if (const auto v = parse_duration(l->value)) return Timer{*v, *l, l->text};
  return Timer{fallback, std::nullopt, std::move(fallback_source)};
}

Rekey ike_rekey(const Section& conn) {
  Rekey r{"IKE_SA", true, timer(conn, "rekey_time", 4 * 3600, "rekey_time not set: 4h by default"), {}, {}};
  const Timer over = timer(conn, "over_time", r.rekey.seconds / 10,
                           fmt::format("over_time not set: 10% of rekey_time ({}s)", r.rekey.seconds / 10));
  r.jitter = timer(conn, "rand_time", over.seconds, fmt::format("rand_time not set: over_time ({}s)", over.seconds));
  r.life = Timer{r.rekey.seconds + over.seconds, over.line, "rekey_time + over_time"};
  r.enabled = r.rekey.seconds > 0;
  return r;
}

Rekey child_rekey(const Section& child) {
  Rekey r{"CHILD_SA " + child.name, true, timer(child, "rekey_time", 3600, "rekey_time not set: 1h by default"), {},
          {}};
  r.life = timer(child, "life_time", r.rekey.seconds + r.rekey.seconds / 10,
                 fmt::format("life_time not set: rekey_time + 10% ({}s)", r.rekey.seconds + r.rekey.seconds / 10));
  const long long gap = r.life.seconds > r.rekey.seconds ? r.life.seconds - r.rekey.seconds : 0;
  r.jitter = timer(child, "rand_time", gap, fmt::format("rand_time not set: life_time - rekey_time ({}s)", gap));
  r.enabled = r.rekey.seconds > 0;
  return r;
}

// certs = a.pem, b.pem in local*/remote* sections, resolved in the x509 folder beside the config.
void cert_refs(const std::string& root, const Section& auth, bool local, std::vector<CertRef>& out) {
  const auto* l = auth.setting("certs");
  if (!l) return;
  std::string_view list = l->value;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string name = unquote(list.substr(0, comma));
    if (!name.empty()) out.push_back(CertRef{resolve(l->file, name, root, "x509").string(), *l, local});
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
}

Connection connection(const std::string& root, const Section& conn) {
  Connection c{conn.name, conn.at, ike_rekey(conn), {}, {}, {}, {}};
  if (const auto* l = conn.setting("proposals")) c.proposals = *l;
  if (const auto* l = conn.setting("version")) c.version = *l;
  for (const auto& s : conn.sections) {
    if (s.name.starts_with("local")) cert_refs(root, s, true, c.certs);
    if (s.name.starts_with("remote")) cert_refs(root, s, false, c.certs);
  }
  if (const auto* children = conn.section("children"))
    for (const auto& child : children->sections) c.children.push_back(child_rekey(child));
  return c;
}

}  // namespace

const ConfigLine* Section::setting(std::string_view key) const {
  for (auto it = settings.rbegin(); it != settings.rend(); ++it)
    if (it->key == key) return &*it;
  return nullptr;
}

const Section* Section::section(std::string_view n) const {
  for (const auto& s : sections)
    if (s.name == n) return &s;
  return nullptr;
}

std::optional<ConfigError> read_sections(const std::string& file, std::string_view text, const std::string& root,
                                         Section& out, std::vector<std::string>* notes) {
  out = Section{"", ConfigLine{file, 0, "", "", ""}, {}, {}};
  Reader r{root, {&out}, 0, {}};
  auto error = r.text(file, text, 0);
  if (!error && r.open.size() > 1)
    error = ConfigError{file, r.open.back()->at.line, fmt::format("section '{}' is never closed", r.open.back()->name)};
  if (notes) *notes = std::move(r.notes);
  return error;
}

Parsed parse_swanctl(const std::string& file, std::string_view text, const std::string& root) {
  Parsed p;
  p.config.file = file;
  p.config.format = "swanctl";
  Section tree;
  p.error = read_sections(file, text, root, tree, &p.config.notes);
  if (p.error) return p;
  for (const auto& top : tree.sections)
    if (top.name == "connections")
      for (const auto& conn : top.sections) p.config.connections.push_back(connection(root, conn));
  return p;
}

}  // namespace sd::audit::strongswan

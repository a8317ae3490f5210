// pure-ftpd settings from its three layouts, against pureftpd/defaults.tsv and pureftpd/versions.tsv.
#include <algorithm>
#include <filesystem>

#include "audit/common/include.h"
#include "audit/common/table.h"
#include "audit/pureftpd/pureftpd.h"

namespace sd::audit::pureftpd {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxIncludeDepth = 8;

const std::vector<Row>& defaults() {
  static const std::vector<Row> kRows = table("pureftpd/defaults.tsv");
  return kRows;
}

const std::vector<Row>& versions() {
  static const std::vector<Row> kRows = table("pureftpd/versions.tsv");
  return kRows;
}

// The table's row whose column equals the value (case-insensitive), or nullptr.
const Row* row_where(const std::string& column, const std::string& value) {
  for (const auto& r : defaults())
    if (lower(r.at(column)) == lower(value)) return &r;
  return nullptr;
}

// "1.0.50" as {1, 0, 50}, for ordering releases.
std::vector<unsigned> release_parts(std::string_view v) {
  std::vector<unsigned> out{0};
  for (const char c : v) {
    if (c == '.') out.push_back(0);
    else if (c >= '0' && c <= '9') out.back() = out.back() * 10 + static_cast<unsigned>(c - '0');
    else break;
  }
  return out;
}

// The versions.tsv row for a release: the last one whose "since" it has reached.
const Row* version_row(const std::string& version) {
  const Row* found = nullptr;
  for (const auto& r : versions())
    if (!(release_parts(version) < release_parts(r.at("since")))) found = &r;
  return found;
}

std::string unquote(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return std::string(v);
}

// CertFileAndKey "a" "b" -> "a,b" (the command-line form of the same pair).
std::string cert_pair(std::string_view v) {
  std::string out;
  bool quoted = false;
  for (const char c : trim(v)) {
    if (c == '"') quoted = !quoted;
    else if ((c == ' ' || c == '\t') && !quoted) {
      if (!out.empty() && out.back() != ',') out += ',';
    } else out += c;
  }
  return out;
}

struct State {
  Config config;
  std::string root;
};

std::optional<ConfigError> read_conf(const std::string& file, std::string_view text, int depth, State& st);

std::optional<ConfigError> conf_line(ConfigLine l, int depth, State& st) {
  if (lower(l.key) == "include") {
    const IncludeRules rules{"Include", st.root, {}, kMaxIncludeDepth};
    return follow_include(l, unquote(l.value), depth, rules, [&st](const std::string& f, std::string_view t, int d) {
      return read_conf(f, t, d, st);
    });
  }
  const Row* r = row_where("setting", l.key);
  if (!r) return std::nullopt;
  l.value = r->at("setting") == "CertFileAndKey" ? cert_pair(l.value) : unquote(l.value);
  st.config.set[r->at("setting")] = std::move(l);
  return std::nullopt;
}

std::optional<ConfigError> read_conf(const std::string& file, std::string_view text, int depth, State& st) {
  auto split = split_config(file, text, Separator::whitespace);
  if (split.error) return split.error;
  for (auto& l : split.lines)
    if (auto e = conf_line(std::move(l), depth, st)) return e;
  return std::nullopt;
}

// The first line of a conf-folder file, as pure-ftpd-wrapper reads it.
std::optional<ConfigLine> folder_value(const fs::path& p, std::optional<ConfigError>& error) {
  const auto text = read_config_file(p.string());
  if (text.error) {
    error = text.error;
    return std::nullopt;
  }
  auto split = split_config(p.string(), text.text, Separator::whitespace);
  if (split.error) error = split.error;
  if (split.lines.empty()) return std::nullopt;
  auto l = split.lines.front();
  l.value = l.text;
  l.key = p.filename().string();
  return l;
}

std::vector<std::string> tokens(std::string_view line) {
  std::vector<std::string> out;
  std::string word;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] != ' ' && line[i] != '\t') {
      word += line[i];
      continue;
    }
    if (!word.empty()) out.push_back(unquote(word));
    word.clear();
  }
  return out;
}

// One option of a command line with its value: "--tls=2", "--tls 2", "-Y2", "-Y 2"; nullopt for others.
std::optional<std::pair<const Row*, std::string>> option_at(const std::vector<std::string>& t, std::size_t& i) {
  const auto& w = t[i];
  const auto eq = w.find('=');
  const Row* r = nullptr;
  std::string value;
  if (w.rfind("--", 0) == 0) {
    r = row_where("long", w.substr(0, eq));
    if (r && eq != std::string::npos) value = w.substr(eq + 1);
  } else if (w.size() >= 2 && w[0] == '-') {
    r = row_where("short", w.substr(0, 2));
    if (r && w.size() > 2) value = w.substr(2);
  }
  if (!r) return std::nullopt;
  if (value.empty() && i + 1 < t.size()) value = t[++i];
  return std::make_pair(r, value);
}

}  // namespace

std::optional<Setting> Config::get(const std::string& setting) const {
  const Row* r = row_where("setting", setting);
  if (!r) return std::nullopt;
  const auto it = set.find(r->at("setting"));
  if (it != set.end()) return Setting{it->second.value, it->second};
  return Setting{r->at("default_1_0_50"), std::nullopt};
}

int Config::tls_mode() const {
  const auto v = get("TLS")->value;
  return !v.empty() && v[0] >= '0' && v[0] <= '3' ? v[0] - '0' : 0;
}

std::string Config::cipher_list() const {
  auto v = get("TLSCipherSuite")->value;
  while (v.size() > 3 && v[0] == '-' && v[2] == ':') v = v.substr(3);
  return v;
}

bool Config::client_cert_required() const {
  const auto v = get("TLSCipherSuite")->value;
  for (std::size_t i = 0; i + 3 <= v.size() && v[i] == '-' && v[i + 2] == ':'; i += 3)
    if (v[i + 1] == 'C') return true;
  return false;
}

std::uint16_t Config::min_protocol() const {
  const Row* r = version_row(version);
  const auto name = r ? r->at("min_protocol") : std::string("TLSv1");
  return name == "TLSv1.2" ? 0x0303 : name == "TLSv1.1" ? 0x0302 : 0x0301;
}

std::optional<bool> Config::server_preference() const {
  const Row* r = version_row(version);
  if (!r || r->at("server_preference") == "unknown") return std::nullopt;
  return r->at("server_preference") == "yes";
}

Parsed parse(const std::string& file, std::string_view text, const std::string& version, const std::string& root) {
  State st;
  st.root = root;
  st.config.file = file;
  st.config.version = version;
  auto error = read_conf(file, text, 0, st);
  return Parsed{std::move(st.config), std::move(error)};
}

Parsed parse_folder(const std::string& folder, const std::string& version) {
  Parsed out;
  out.config.file = folder;
  out.config.layout = Layout::conf_folder;
  out.config.version = version;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder, ec))
    if (e.is_regular_file(ec)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    const Row* r = row_where("setting", p.filename().string());
    if (!r) continue;
    auto l = folder_value(p, out.error);
    if (out.error) return out;
    if (!l) continue;
    if (r->at("debian_wrapper") != "yes") out.config.wrapper_refused.push_back(*l);
    else out.config.set[r->at("setting")] = std::move(*l);
  }
  return out;
}

Parsed parse_command_line(const std::string& file, std::string_view text, const std::string& version) {
  Parsed out;
  out.config.file = file;
  out.config.layout = Layout::command_line;
  out.config.version = version;
  auto split = split_config(file, text, Separator::whitespace);
  if (split.error) return Parsed{std::move(out.config), split.error};
  for (const auto& l : split.lines) {
    const auto t = tokens(l.text);
    for (std::size_t i = 0; i < t.size(); ++i) {
      const auto first = i;
      const auto o = option_at(t, i);
      if (!o) continue;
      const auto name = o->first->at("setting") == "CertFile" && o->second.find(',') != std::string::npos
                            ? std::string("CertFileAndKey") : o->first->at("setting");
      const auto written = i == first ? t[first] : t[first] + " " + t[i];  // as written, for the fix
      out.config.set[name] = ConfigLine{l.file, l.line, written, o->second, l.text};
    }
  }
  return out;
}

Parsed parse_any(const std::string& file, std::string_view text, const std::string& version, const std::string& root) {
  const auto split = split_config(file, text, Separator::whitespace);
  for (const auto& l : split.lines) {
    if (row_where("setting", l.key) || lower(l.key) == "include") continue;
    auto t = tokens(l.text);
    for (std::size_t i = 0; i < t.size(); ++i)
      if (option_at(t, i)) return parse_command_line(file, text, version);
  }
  return parse(file, text, version, root);
}

bool is_conf_folder(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return false;
  const fs::path p(path);
  const auto name = (p.filename().empty() ? p.parent_path() : p).string();
  if (name.ends_with("pure-ftpd/conf")) return true;
  return fs::exists(p / "TLS", ec) || fs::exists(p / "TLSCipherSuite", ec);
}

bool looks_like(const std::string& path, std::string_view text) {
  return path.find("pure-ftpd") != std::string::npos || path.find("pureftpd") != std::string::npos ||
         text.find("pure-ftpd") != std::string_view::npos || text.find("PureDB") != std::string_view::npos;
}

}  // namespace sd::audit::pureftpd

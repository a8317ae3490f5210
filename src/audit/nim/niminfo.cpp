// niminfo parsing against nim/niminfo.tsv and the certificate checks it drives on a client.
#include "audit/nim/niminfo.h"

#include <fmt/format.h>

#include <filesystem>

#include "audit/certs/certs.h"
#include "audit/common/kb_finding.h"
#include "audit/common/table.h"
#include "audit/nim/nim.h"

namespace sd::audit::nim {
namespace {

namespace fs = std::filesystem;

const std::vector<Row>& variables() {
  static const std::vector<Row> kRows = table("nim/niminfo.tsv");
  return kRows;
}

std::string unquote(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return std::string(trim(v));
}

bool yes(const std::string& v) {
  const auto l = lower(v);
  return l == "yes" || l == "1" || l == "on" || l == "true";
}

std::string day(std::time_t t) {
  char buf[16];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Secure nimsh is configured when the file switches SSL on, or (no switch) when nimclient -c made /ssl_nimsh.
bool secure(const NimInfo& info, const std::string& root) {
  if (!info.nimsh()) return false;
  if (const auto s = info.ssl_switch()) return yes(s->value);
  return configured(root);
}

Finding create_bio(const NimInfo& info, const std::string& cause) {
  Finding f = finding_for("nim.nimsh-ssl-create-bio-hang", "Secure nimsh without a valid copy of the master's certificate", "");
  f.cause = cause + " " + f.cause;
  f.evidence = master_evidence(info);
  f.fixes = kb_fixes(f.id);
  return f;
}

}  // namespace

std::optional<ConfigLine> NimInfo::get(const std::string& name) const {
  const auto it = vars.find(name);
  return it == vars.end() ? std::nullopt : std::optional<ConfigLine>(it->second);
}

bool NimInfo::nimsh() const {
  const auto s = get("NIM_SHELL");
  return s && lower(s->value) == "nimsh";
}

std::optional<ConfigLine> NimInfo::ssl_switch() const {
  for (const auto& r : variables())
    if (r.at("role") == "ssl-switch")
      if (auto l = get(r.at("variable"))) return l;
  return std::nullopt;
}

InfoParsed parse_niminfo(const std::string& file, std::string_view text) {
  InfoParsed out;
  out.info.file = file;
  auto split = split_config(file, text, Separator::equals);
  out.error = split.error;
  for (auto& l : split.lines) {
    auto name = std::string(trim(l.key));
    if (name.rfind("export ", 0) == 0) name = std::string(trim(std::string_view(name).substr(7)));
    if (l.text.find('=') == std::string::npos || name.empty()) {
      out.error = ConfigError{file, l.line, "'" + l.text + "' is not a NAME=value assignment"};
      return out;
    }
    l.key = name;
    l.value = unquote(l.value);
    out.info.vars[name] = std::move(l);
  }
  return out;
}

bool looks_like_niminfo(const std::string& path, std::string_view text) {
  return fs::path(path).filename() == "niminfo" || text.find("NIM_MASTER_HOSTNAME=") != std::string_view::npos ||
         text.find("export NIM_NAME=") != std::string_view::npos;
}

std::string root_of(const std::string& niminfo_path) {
  const fs::path p(niminfo_path);
  if (p.filename() != "niminfo" || p.parent_path().filename() != "etc") return "";
  return p.parent_path().parent_path().string();
}

std::vector<Evidence> master_evidence(const NimInfo& info) {
  std::vector<Evidence> out;
  for (const char* name : {"NIM_SHELL", "NIM_MASTER_HOSTNAME"})
    if (const auto l = info.get(name)) out.push_back(evidence_at(*l, "client"));
  if (const auto s = info.ssl_switch()) out.push_back(evidence_at(*s, "client"));
  return out;
}

std::vector<Finding> audit_client(const NimInfo& info, const std::string& root, std::time_t now) {
  if (!secure(info, root)) return {};
  const auto folder = fs::path(root) / "ssl_nimsh/certs";
  const auto loaded = certs::load_folder(folder.string());
  const auto master = info.get("NIM_MASTER_HOSTNAME");
  const auto who = master ? master->value : std::string("the master");
  if (loaded.certs.empty()) {
    auto f = create_bio(info, fmt::format("This client's niminfo sets up secure nimsh, but {} holds no certificate: "
                                          "there is no copy of {}'s certificate to check the master against.",
                                          folder.string(), who));
    f.evidence.push_back(Evidence{folder.string(), 0, "no certificate in /ssl_nimsh/certs", "", {}, "client"});
    return {f};
  }
  std::vector<Evidence> expired;
  for (const auto& c : loaded.certs)
    if (c.not_after < now)
      expired.push_back(Evidence{c.file, 0, fmt::format("{} expired on {}", c.subject, day(c.not_after)), "", {}, "client"});
  if (expired.size() < loaded.certs.size()) return {};
  auto f = create_bio(info, fmt::format("Every certificate in this client's {} has expired: the copy of {}'s "
                                        "certificate is stale (the master's was renewed or it lapsed).",
                                        folder.string(), who));
  f.evidence.insert(f.evidence.end(), expired.begin(), expired.end());
  return {f};
}

}  // namespace sd::audit::nim

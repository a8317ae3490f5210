// FTP.DATA parsing against zosftp/defaults.tsv, the client offer derived from it, and single-side hazards.
#include "audit/zosftp/zosftp.h"

#include <fmt/format.h>

#include "audit/common/kb_finding.h"
#include "audit/common/table.h"
#include "tlsprofiles/codes.h"

namespace sd::audit::zosftp {
namespace {

constexpr std::size_t kCardColumns = 72;  // columns 73-80 of a fixed 80-column record hold sequence numbers

const std::vector<Row>& defaults() {
  static const std::vector<Row> kRows = table("zosftp/defaults.tsv");
  return kRows;
}

const Row* row_for(const std::string& statement) {
  for (const auto& r : defaults())
    if (r.at("statement") == statement) return &r;
  return nullptr;
}

std::string upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

// V2R2 and older use the V2R2 column; every later release the V2R3 one.
bool v2r2_or_older(const std::string& release) {
  const auto r = upper(release);
  return r.rfind("V1", 0) == 0 || r == "V2R1" || r == "V2R2";
}

bool server_only(const std::string& statement) {
  const Row* r = row_for(statement);
  return r && r->at("applies") == "server";
}

// Cuts comments (';') and sequence numbers (digits in columns 73-80 of a full card).
std::string card_text(std::string_view raw) {
  std::string_view t = raw;
  if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
  if (t.size() == 80 && t.substr(kCardColumns).find_first_not_of("0123456789 ") == std::string_view::npos)
    t = t.substr(0, kCardColumns);
  return std::string(t.substr(0, t.find(';')));
}

std::optional<std::uint16_t> suite_code(const std::string& name) {
  auto iana = name;
  if (iana.rfind("SSL_", 0) == 0) iana = "TLS_" + iana.substr(4);
  if (auto c = tlsprofiles::code_named(tlsprofiles::CodeKind::cipher_suite, iana)) return c;
  if (name.size() == 4) return tlsprofiles::code_named(tlsprofiles::CodeKind::cipher_suite, "0x" + name);
  return std::nullopt;
}

Evidence where(const Config& c, const std::string& statement) {
  const auto s = c.get(statement);
  if (s && s->line) return evidence_at(*s->line, c.role == Role::client ? "client" : "server");
  return evidence_default(c.file, statement, (s ? s->value : "?") + " (z/OS " + c.release + ")",
                          c.role == Role::client ? "client" : "server");
}

std::string line_of(const Config& c, const std::string& statement) {
  const auto s = c.get(statement);
  return s && s->line ? s->line->text : std::string();
}

Finding old_versions(const Config& c) {
  Finding f = finding_for("tls.client-version-too-old", "Client offers only TLS 1.0", "");
  f.cause = fmt::format("This FTP.DATA enables only {} for TLSMECHANISM FTP. Servers built on OpenSSL 3 (Debian 12, "
                        "RHEL 9, Ubuntu 22.04) refuse TLS 1.0 and 1.1 at their default security level, so the "
                        "handshake fails with a protocol_version alert.",
                        c.versions().empty() ? "no version" : "TLS 1.0");
  f.change_side = "client";
  f.evidence.push_back(where(c, "TLSV1.2"));
  f.fixes.push_back(Fix{"client", "Enable TLS 1.2 in FTP.DATA (TLSMECHANISM FTP), then restart the FTP program.",
                        line_diff(c.file, line_of(c, "TLSV1.2"), "TLSV1.2 TRUE"), "None."});
  return f;
}

Finding no_reuse(const Config& c) {
  Finding f = finding_for("ftps.vsftpd-require-ssl-reuse", "Client never reuses the TLS session on data connections", "");
  f.cause = "SECURE_SESSION_REUSE NONE: every data connection starts a fresh TLS session. Servers that require "
            "session reuse (vsftpd's default require_ssl_reuse=YES, ProFTPD without NoSessionReuseRequired) answer "
            "\"522 SSL connection failed: session reuse required\" and no file moves.";
  f.change_side = "either";
  f.severity = Severity::medium;
  f.evidence.push_back(where(c, "SECURE_SESSION_REUSE"));
  f.fixes.push_back(Fix{"client", "Let the client reuse the control connection's session on data connections.",
                        line_diff(c.file, line_of(c, "SECURE_SESSION_REUSE"), "SECURE_SESSION_REUSE ALLOWED"),
                        "None."});
  return f;
}

}  // namespace

std::optional<Setting> Config::get(const std::string& statement) const {
  const auto it = set.find(statement);
  if (it != set.end()) return Setting{upper(it->second.value), it->second};
  const Row* r = row_for(statement);
  if (!r) return std::nullopt;
  return Setting{v2r2_or_older(release) ? r->at("default_v2r2") : r->at("default_v2r3"), std::nullopt};
}

bool Config::attls() const { return get("TLSMECHANISM")->value == "ATTLS"; }

std::vector<std::uint16_t> Config::versions() const {
  const std::pair<const char*, std::uint16_t> kStatements[] = {
      {"SSLV3", 0x0300}, {"TLSV1", 0x0301}, {"TLSV1.1", 0x0302}, {"TLSV1.2", 0x0303}};
  std::vector<std::uint16_t> out;
  for (const auto& [name, v] : kStatements)
    if (get(name)->value == "TRUE") out.push_back(v);
  return out;
}

Parsed parse(const std::string& file, std::string_view text, const std::string& release, const std::string& role_hint) {
  Parsed out;
  out.config.file = file;
  out.config.release = release.empty() ? "V2R2" : upper(release);
  std::string cleaned;
  for (std::size_t start = 0; start <= text.size();) {
    const auto end = text.find('\n', start);
    cleaned += card_text(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    cleaned += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  auto split = split_config(file, cleaned, Separator::whitespace);
  out.error = split.error;
  bool server = role_hint == "server";
  for (auto& l : split.lines) {
    const auto key = upper(l.key);
    if (l.value.empty()) {
      out.error = ConfigError{file, l.line, "statement " + key + " has no value"};
      return out;
    }
    server = server || server_only(key) || (key == "EXTENSIONS" && upper(l.value).find("AUTH_TLS") != std::string::npos);
    if (key == "CIPHERSUITE") out.config.ciphersuites.push_back(l);
    out.config.set[key] = std::move(l);
  }
  out.config.role = server ? Role::server : Role::client;
  return out;
}

tlsprofiles::ClientProfile client_profile(const Config& c) {
  auto p = tlsprofiles::find_profile("zos-2.2-ftp").value_or(tlsprofiles::ClientProfile{});
  p.id = "ftp.data " + c.file;
  p.name = fmt::format("z/OS {} FTP client as configured by {}", c.release, c.file);
  p.version = c.release;
  const auto versions = c.versions();
  if (!versions.empty()) {
    p.versions.value.min = versions.front();
    p.versions.value.max = versions.back();
    p.versions.value.legacy_version = versions.back();
    p.versions.source = c.file + " (SSLV3/TLSV1/TLSV1.1/TLSV1.2 statements or the release defaults)";
  }
  if (!c.ciphersuites.empty()) {
    p.cipher_suites.value.clear();
    for (const auto& l : c.ciphersuites)
      if (const auto code = suite_code(upper(l.value))) p.cipher_suites.value.push_back(*code);
    p.cipher_suites.source = fmt::format("{}: CIPHERSUITE statements", c.file);
  }
  const auto reuse = c.get("SECURE_SESSION_REUSE")->value;
  p.ftps_session_reuse.value = reuse != "NONE";
  p.ftps_session_reuse.source = fmt::format("{}: SECURE_SESSION_REUSE {}", c.file, reuse);
  return p;
}

std::vector<Finding> audit(const Config& c) {
  std::vector<Finding> out;
  if (c.attls() || c.role != Role::client) return out;
  const auto v = c.versions();
  if (v.empty() || v.back() < 0x0303) out.push_back(old_versions(c));
  if (c.get("SECURE_SESSION_REUSE")->value == "NONE") out.push_back(no_reuse(c));
  return out;
}

bool looks_like(const std::string& path, std::string_view text) {
  const auto name = upper(path);
  if (name.find("FTP.DATA") != std::string::npos || name.find("FTPDATA") != std::string::npos) return true;
  return text.find("TLSMECHANISM") != std::string_view::npos || text.find("SECURE_FTP") != std::string_view::npos;
}

}  // namespace sd::audit::zosftp

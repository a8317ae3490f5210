// vsftpd.conf parsing against the defaults table (vsftpd/defaults.tsv) and the single-side hazard checks.
#include "audit/vsftpd/vsftpd.h"

#include <fmt/format.h>

#include "audit/common/kb_finding.h"
#include "audit/common/table.h"

namespace sd::audit::vsftpd {
namespace {

const std::vector<Row>& defaults() {
  static const std::vector<Row> kRows = table("vsftpd/defaults.tsv");
  return kRows;
}

// "2.0.7" < "2.1.0": numeric compare part by part.
bool older(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    unsigned x = 0, y = 0;
    for (; i < a.size() && a[i] != '.'; ++i) x = x * 10 + static_cast<unsigned>(a[i] >= '0' && a[i] <= '9' ? a[i] - '0' : 0);
    for (; j < b.size() && b[j] != '.'; ++j) y = y * 10 + static_cast<unsigned>(b[j] >= '0' && b[j] <= '9' ? b[j] - '0' : 0);
    if (x != y) return x < y;
    ++i, ++j;
  }
  return false;
}

const Row* row_for(const std::string& option) {
  for (const auto& r : defaults())
    if (r.at("option") == option) return &r;
  return nullptr;
}

std::string default_of(const Row& r, const std::string& version) {
  if (version == "debian") return r.at("default_debian");
  return older(version, "3") ? r.at("default_2x") : r.at("default_3x");
}

std::string line_text(const std::string& option, const Setting& s) {
  return s.line ? s.line->text : std::string();
}

Finding hazard(const Config& c, const std::string& id, const std::string& option, const std::string& partner,
               const std::string& fix_summary, const std::string& risk) {
  const auto s = *c.get(option);
  Finding f = finding_for(id, option + "=YES breaks " + partner, "");
  f.evidence.push_back(s.line ? evidence_at(*s.line, "server")
                              : evidence_default(c.file, option, s.value + " (vsftpd " + c.version + ")", "server"));
  if (const auto on = c.get("ssl_enable"); on && on->line) f.evidence.push_back(evidence_at(*on->line, "server"));
  f.cause = fmt::format("{} is in force ({}). {}", option, s.line ? fmt::format("line {}", s.line->line) : "by default",
                        f.cause);
  f.change_side = "server";
  f.fixes.push_back(Fix{"server", fix_summary, line_diff(c.file, line_text(option, s), option + "=NO"), risk});
  return f;
}

}  // namespace

std::optional<Setting> Config::get(const std::string& option) const {
  const Row* r = row_for(option);
  const auto it = set.find(option);
  if (it != set.end()) return Setting{it->second.value, it->second};
  if (!r || (version != "debian" && older(version, r->at("since")))) return std::nullopt;
  return Setting{default_of(*r, version), std::nullopt};
}

bool Config::yes(const std::string& option) const {
  const auto s = get(option);
  if (!s) return false;
  const auto v = lower(s->value);
  return v == "yes" || v == "true" || v == "1";
}

Parsed parse(const std::string& file, std::string_view text, const std::string& version) {
  Parsed out;
  out.config.file = file;
  out.config.version = version;
  auto split = split_config(file, text, Separator::equals);
  out.error = split.error;
  for (auto& l : split.lines) {
    if (l.text.find('=') == std::string::npos) {
      out.error = ConfigError{file, l.line, "'" + l.text + "' has no '=': vsftpd refuses to start on it"};
      return out;
    }
    out.config.set[lower(l.key)] = std::move(l);
  }
  return out;
}

std::vector<Finding> audit(const Config& c) {
  std::vector<Finding> out;
  if (!c.yes("ssl_enable")) return out;
  if (c.get("ssl_request_cert") && c.yes("ssl_request_cert"))
    out.push_back(hazard(c, "ftps.vsftpd-ssl-request-cert", "ssl_request_cert", "z/OS FTP clients",
                         "Stop requesting client certificates, then restart vsftpd.",
                         c.yes("require_cert") ? "require_cert=YES needs the request: fix the z/OS client instead"
                                               : "None unless client certificates authenticate users."));
  if (c.get("require_ssl_reuse") && c.yes("require_ssl_reuse"))
    out.push_back(hazard(c, "ftps.vsftpd-require-ssl-reuse", "require_ssl_reuse",
                         "FTPS clients that do not reuse the control connection's TLS session on data connections",
                         "Let data connections use a new TLS session, then restart vsftpd.",
                         "A data connection is no longer proven to come from the same client as the control "
                         "connection."));
  return out;
}

bool looks_like(const std::string& path, std::string_view text) {
  if (path.find("vsftpd") != std::string::npos) return true;
  return text.find("ssl_enable=") != std::string_view::npos || text.find("listen_ipv6=") != std::string_view::npos;
}

}  // namespace sd::audit::vsftpd

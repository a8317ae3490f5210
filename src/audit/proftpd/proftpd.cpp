// proftpd.conf parsing: Apache-style directives and <Block> sections, Include spliced in place.
#include "audit/proftpd/proftpd.h"

#include <fmt/format.h>

#include <set>
#include <vector>

#include "audit/common/include.h"
#include "audit/common/table.h"

namespace sd::audit::proftpd {
namespace {

constexpr int kMaxIncludeDepth = 8;

struct State {
  Config config;
  std::vector<ConfigLine> blocks;   ///< open <Block> lines
  std::string root;
  std::optional<ConfigError> error;
};

void read(const std::string& file, std::string_view text, int depth, State& st);

void include(const ConfigLine& l, int depth, State& st) {
  const IncludeRules rules{"Include", st.root, {}, kMaxIncludeDepth};
  st.error = follow_include(l, l.value, depth, rules, [&st](const std::string& f, std::string_view text, int d) {
    read(f, text, d, st);
    return st.error;
  });
}

bool in_vhost(const State& st) {
  for (const auto& b : st.blocks) {
    const auto tag = lower(b.key);
    if (tag == "<virtualhost" || tag == "<anonymous") return true;
  }
  return false;
}

void line(const ConfigLine& l, int depth, State& st) {
  if (l.key.size() > 1 && l.key[0] == '<' && l.key[1] == '/') {
    if (st.blocks.empty()) {
      st.error = ConfigError{l.file, l.line, "'" + l.text + "' closes no open block"};
      return;
    }
    st.blocks.pop_back();
    return;
  }
  if (!l.key.empty() && l.key[0] == '<') {
    st.blocks.push_back(l);
    return;
  }
  const auto key = lower(l.key);
  if (key == "include") return include(l, depth, st);
  if (key.rfind("tls", 0) == 0 && !in_vhost(st)) st.config.tls[key] = l;
}

void read(const std::string& file, std::string_view text, int depth, State& st) {
  auto error = each_config_line(file, text, Separator::whitespace, [&](const ConfigLine& l) {
    line(l, depth, st);
    return !st.error;
  });
  if (error) st.error = std::move(error);
}

int protocol_code(const std::string& name) {
  const auto n = lower(name);
  if (n == "sslv3") return 0x0300;
  if (n == "tlsv1") return 0x0301;
  if (n == "tlsv1.1") return 0x0302;
  if (n == "tlsv1.2") return 0x0303;
  if (n == "tlsv1.3") return 0x0304;
  return 0;
}

const std::vector<Row>& defaults() {
  static const std::vector<Row> kRows = table("proftpd/defaults.tsv");
  return kRows;
}

// TLSProtocol lists the versions allowed ("SSLv23" or "ALL": every one; "ALL -TLSv1": minus some).
std::set<std::uint16_t> allowed_versions(const std::string& value) {
  std::set<std::uint16_t> allowed;
  std::string word;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    if (i < value.size() && value[i] != ' ' && value[i] != '\t') {
      word += value[i];
      continue;
    }
    const auto w = lower(word);
    if (w == "sslv23" || w == "all") allowed = {0x0300, 0x0301, 0x0302, 0x0303, 0x0304};
    else if (!w.empty() && w[0] == '-') allowed.erase(static_cast<std::uint16_t>(protocol_code(w.substr(1))));
    else if (const int v = protocol_code(w)) allowed.insert(static_cast<std::uint16_t>(v));
    word.clear();
  }
  return allowed;
}

}  // namespace

std::string default_of(const std::string& directive) {
  for (const auto& r : defaults())
    if (lower(r.at("directive")) == lower(directive)) return r.at("default_1_3_8");
  return "";
}

std::string Config::value(const std::string& directive) const {
  const auto l = get(directive);
  return l ? l->value : default_of(directive);
}

std::optional<ConfigLine> Config::get(const std::string& directive) const {
  const auto it = tls.find(lower(directive));
  return it == tls.end() ? std::nullopt : std::optional<ConfigLine>(it->second);
}

bool Config::engine_on() const {
  const auto l = get("TLSEngine");
  return l && lower(l->value) == "on";
}

bool Config::no_session_reuse_required() const {
  const auto l = get("TLSOptions");
  return l && lower(l->value).find("nosessionreuserequired") != std::string::npos;
}

Parsed parse(const std::string& file, std::string_view text, const std::string& root) {
  State st;
  st.root = root;
  st.config.file = file;
  read(file, text, 0, st);
  if (!st.error && !st.blocks.empty())
    st.error = ConfigError{st.blocks.back().file, st.blocks.back().line,
                           "'" + st.blocks.back().text + "' is never closed"};
  return Parsed{std::move(st.config), st.error};
}

// TLSProtocol and TLSCipherSuite as written, else mod_tls's defaults; TLSVerifyClient on/optional asks for a certificate.
tlsserver::Settings tls_settings(const Config& c, tlsserver::Settings system) {
  auto s = std::move(system);
  s.bad_cipher_reply = "421 Unable to accept TLS connection";
  const auto allowed = allowed_versions(c.value("TLSProtocol"));
  for (const std::uint16_t v : {0x0300, 0x0301, 0x0302, 0x0303, 0x0304})
    if (!allowed.contains(v)) s.disabled_versions.insert(v);
  s.cipher_strings.push_back(c.value("TLSCipherSuite"));
  if (const auto verify = c.get("TLSVerifyClient")) {
    const auto v = lower(verify->value);
    s.request_client_cert = v == "on" || v == "optional";
    s.require_client_cert = v == "on";
  }
  return s;
}

probe::tls::ServerFacts server_facts(const Config& c, const tlsserver::Settings& system, const std::string& source) {
  auto f = tlsserver::facts(tls_settings(c, system), source);
  f.server_preference = lower(c.value("TLSServerCipherPreference")) == "on";
  f.ftps.auth_tls = c.engine_on();
  f.ftps.requires_session_reuse = !c.no_session_reuse_required();
  return f;
}

bool looks_like(const std::string& path, std::string_view text) {
  return path.find("proftpd") != std::string::npos || text.find("TLSEngine") != std::string_view::npos ||
         text.find("<IfModule mod_tls.c>") != std::string_view::npos;
}

}  // namespace sd::audit::proftpd

// openssl.cnf parsing: sections of key = value lines, .include spliced in place, then the chain of references
// from openssl_conf down to the system_default section.
#include "audit/opensslcnf/opensslcnf.h"

#include <filesystem>
#include <map>

#include "audit/common/include.h"

namespace sd::audit::opensslcnf {
namespace {

constexpr int kMaxIncludeDepth = 8;

using Section = std::map<std::string, ConfigLine>;
using Sections = std::map<std::string, Section>;

struct State {
  Sections sections;
  std::string current = "default";
  std::string root;
  std::optional<ConfigError> error;
};

std::string strip_comment(std::string_view text) {
  const auto hash = text.find('#');
  return std::string(trim(text.substr(0, hash)));
}

std::string unquote(std::string v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) return v.substr(1, v.size() - 2);
  return v;
}

void read(const std::string& file, std::string_view text, int depth, State& st);

// Relative targets are taken from the including file's folder, as admins expect; a folder gives its .cnf/.conf files.
void include(const ConfigLine& l, const std::string& target, int depth, State& st) {
  const IncludeRules rules{".include", st.root, {".cnf", ".conf"}, kMaxIncludeDepth};
  st.error = follow_include(l, target, depth, rules, [&st](const std::string& f, std::string_view text, int d) {
    read(f, text, d, st);
    return st.error;
  });
}

void line(const ConfigLine& raw, int depth, State& st) {
  const auto text = strip_comment(raw.text);
  if (text.empty()) return;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos) {
      st.error = ConfigError{raw.file, raw.line, "section header without ']'"};
      return;
    }
    st.current = std::string(trim(std::string_view(text).substr(1, close - 1)));
    return;
  }
  if (text.rfind(".include", 0) == 0) {
    auto target = std::string(trim(std::string_view(text).substr(8)));
    if (!target.empty() && target.front() == '=') target = std::string(trim(std::string_view(target).substr(1)));
    include(raw, unquote(target), depth, st);
    return;
  }
  const auto eq = text.find('=');
  if (eq == std::string::npos) return;  // OpenSSL ignores such lines in some builds; nothing here depends on them
  ConfigLine l = raw;
  l.key = std::string(trim(std::string_view(text).substr(0, eq)));
  l.value = unquote(std::string(trim(std::string_view(text).substr(eq + 1))));
  l.text = text;
  st.sections[st.current][l.key] = std::move(l);
}

void read(const std::string& file, std::string_view text, int depth, State& st) {
  auto error = each_config_line(file, text, Separator::equals, [&](const ConfigLine& l) {
    line(l, depth, st);
    return !st.error;
  });
  if (error) st.error = std::move(error);
}

const ConfigLine* find(const Sections& s, const std::string& section, const std::string& key) {
  const auto it = s.find(section);
  if (it == s.end()) return nullptr;
  const auto k = it->second.find(key);
  return k == it->second.end() ? nullptr : &k->second;
}

std::optional<ConfigLine> opt(const ConfigLine* l) { return l ? std::optional<ConfigLine>(*l) : std::nullopt; }

}  // namespace

int SystemDefault::security_level() const {
  if (cipher_string) {
    const auto at = cipher_string->value.find("@SECLEVEL=");
    if (at != std::string::npos && at + 10 < cipher_string->value.size()) {
      const char d = cipher_string->value[at + 10];
      if (d >= '0' && d <= '5') return d - '0';
    }
  }
  return 1;
}

Parsed parse(const std::string& file, std::string_view text, const std::string& root) {
  Parsed out;
  out.config.file = file;
  State st;
  st.root = root;
  read(file, text, 0, st);
  out.error = st.error;
  const auto* init = find(st.sections, "default", "openssl_conf");
  const auto* ssl = init ? find(st.sections, init->value, "ssl_conf") : nullptr;
  const auto* sys = ssl ? find(st.sections, ssl->value, "system_default") : nullptr;
  if (!sys) return out;
  const auto& name = sys->value;
  out.config.section = name;
  out.config.min_protocol = opt(find(st.sections, name, "MinProtocol"));
  out.config.max_protocol = opt(find(st.sections, name, "MaxProtocol"));
  out.config.cipher_string = opt(find(st.sections, name, "CipherString"));
  out.config.ciphersuites = opt(find(st.sections, name, "Ciphersuites"));
  return out;
}

bool looks_like(const std::string& path, std::string_view text) {
  return std::filesystem::path(path).filename() == "openssl.cnf" ||
         text.find("openssl_conf") != std::string_view::npos || text.find("system_default") != std::string_view::npos;
}

}  // namespace sd::audit::opensslcnf

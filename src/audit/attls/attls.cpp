// AT-TLS policy parsing (blocks opened by "Type Name {" or a "{" line, closed by "}") and rule resolution.
#include "audit/attls/attls.h"

#include <algorithm>
#include <charconv>

#include "audit/common/table.h"
#include "tlsprofiles/codes.h"

#include <fmt/format.h>

namespace sd::audit::attls {
namespace {

constexpr std::size_t kMaxDepth = 8;

std::string strip(std::string_view raw) {
  const auto cut = raw.find_first_of("#;");
  return std::string(trim(raw.substr(0, cut)));
}

std::pair<std::string, std::string> split_first(std::string_view t) {
  const auto sp = t.find_first_of(" \t");
  if (sp == std::string_view::npos) return {std::string(t), ""};
  return {std::string(t.substr(0, sp)), std::string(trim(t.substr(sp)))};
}

struct Builder {
  Policy policy;
  std::vector<Block> stack;
  std::optional<ConfigLine> pending;
  bool pending_is_statement = false;
  std::optional<ConfigError> error;

  void open(const std::string& header, const ConfigLine& at) {
    if (stack.size() >= kMaxDepth) {
      error = ConfigError{at.file, at.line, "blocks nested too deeply"};
      return;
    }
    Block b;
    std::tie(b.type, b.name) = split_first(header);
    b.opened = at;
    stack.push_back(std::move(b));
    pending.reset();
  }

  void close(const ConfigLine& at) {
    if (stack.empty()) {
      error = ConfigError{at.file, at.line, "'}' without an open block"};
      return;
    }
    Block b = std::move(stack.back());
    stack.pop_back();
    (stack.empty() ? policy.blocks : stack.back().inline_blocks).push_back(std::move(b));
    pending.reset();
  }

  // A "{" alone: the previous line named the block; take it back from the statements it was filed under.
  void open_pending(const ConfigLine& at) {
    if (!pending) {
      error = ConfigError{at.file, at.line, "'{' without a block type and name before it"};
      return;
    }
    const auto header = *pending;
    if (pending_is_statement && !stack.empty()) {
      auto& st = stack.back().statements;
      for (auto it = st.begin(); it != st.end(); ++it)
        if (it->second.line == header.line && it->second.file == header.file) {
          st.erase(it);
          break;
        }
    }
    open(header.text, header);
  }

  void line(const ConfigLine& raw) {
    ConfigLine l = raw;
    l.text = strip(raw.text);
    if (l.text.empty()) return;
    if (l.text == "}") return close(l);
    if (l.text == "{") return open_pending(l);
    if (l.text.back() == '{') return open(std::string(trim(std::string_view(l.text).substr(0, l.text.size() - 1))), l);
    std::tie(l.key, l.value) = split_first(l.text);
    pending = l;
    pending_is_statement = !stack.empty();
    if (!stack.empty()) stack.back().statements.emplace(l.key, l);
  }
};

bool iequal(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

// "21", "21-1023"; an absent range matches every port.
bool in_range(const std::optional<ConfigLine>& range, unsigned port) {
  if (!range || port == 0) return true;
  const auto& v = range->value;
  const auto dash = v.find('-');
  const auto low = static_cast<unsigned>(std::strtoul(v.substr(0, dash).c_str(), nullptr, 10));
  const auto high = dash == std::string::npos ? low : static_cast<unsigned>(std::strtoul(v.substr(dash + 1).c_str(), nullptr, 10));
  return low == 0 && high == 0 ? true : port >= low && port <= high;
}

bool job_matches(const std::optional<ConfigLine>& pattern, const std::string& job) {
  if (!pattern || job.empty()) return true;
  const auto p = lower(pattern->value);
  const auto j = lower(job);
  if (!p.empty() && p.back() == '*') return j.rfind(p.substr(0, p.size() - 1), 0) == 0;
  return p == j;
}

bool direction_matches(const std::optional<ConfigLine>& d, bool inbound) {
  if (!d) return true;
  const auto v = lower(d->value);
  return v == "both" || (inbound ? v == "inbound" : v == "outbound");
}

bool matches(const Block& rule, const Connection& c) {
  return in_range(rule.get("LocalPortRange"), c.local_port) && in_range(rule.get("RemotePortRange"), c.remote_port) &&
         direction_matches(rule.get("Direction"), c.inbound) && job_matches(rule.get("Jobname"), c.jobname);
}

long priority(const Block& rule) {
  const auto p = rule.get("Priority");
  return p ? std::strtol(p->value.c_str(), nullptr, 10) : 0;
}

// The block a parent refers to by "<type>Ref name", or its inline block of that type.
const Block* child(const Policy& p, const Block* parent, std::string_view type) {
  if (!parent) return nullptr;
  if (const auto ref = parent->get(std::string(type) + "Ref")) return p.find(type, ref->value);
  for (const auto& b : parent->inline_blocks)
    if (iequal(b.type, type)) return &b;
  return nullptr;
}

}  // namespace

std::optional<ConfigLine> Block::get(std::string_view key) const {
  std::optional<ConfigLine> out;
  for (const auto& [k, l] : statements)
    if (iequal(k, key) && (!out || l.line > out->line)) out = l;
  return out;
}

const Block* Policy::find(std::string_view type, std::string_view name) const {
  for (const auto& b : blocks)
    if (iequal(b.type, type) && b.name == name) return &b;
  return nullptr;
}

std::optional<ConfigLine> Match::setting(std::string_view key) const {
  for (const Block* b : {connection_advanced, connection, ciphers, advanced, environment})
    if (b)
      if (auto l = b->get(key)) return l;
  return std::nullopt;
}

Parsed parse(const std::string& file, std::string_view text) {
  Parsed out;
  out.policy.file = file;
  auto split = split_config(file, text, Separator::whitespace);
  if (split.error) {
    out.error = split.error;
    return out;
  }
  Builder b;
  b.policy.file = file;
  for (const auto& l : split.lines) {
    b.line(l);
    if (b.error) break;
  }
  if (!b.error && !b.stack.empty()) {
    const auto& open = b.stack.back();
    b.error = ConfigError{file, open.opened.line, fmt::format("{} {} is not closed with '}}'", open.type, open.name)};
  }
  out.policy = std::move(b.policy);
  out.error = b.error;
  return out;
}

std::optional<Match> resolve(const Policy& p, const Connection& c) {
  const Block* best = nullptr;
  for (const auto& b : p.blocks)
    if (iequal(b.type, "TTLSRule") && matches(b, c) && (!best || priority(b) > priority(*best))) best = &b;
  if (!best) return std::nullopt;
  Match m;
  m.rule = best;
  m.group = child(p, best, "TTLSGroupAction");
  m.environment = child(p, best, "TTLSEnvironmentAction");
  m.connection = child(p, best, "TTLSConnectionAction");
  m.advanced = child(p, m.environment, "TTLSEnvironmentAdvancedParms");
  m.connection_advanced = child(p, m.connection, "TTLSConnectionAdvancedParms");
  m.ciphers = child(p, m.connection, "TTLSCipherParms");
  if (!m.ciphers) m.ciphers = child(p, m.environment, "TTLSCipherParms");
  return m;
}

namespace {

const std::vector<Row>& version_defaults() {
  static const std::vector<Row> kRows = table("attls/defaults.tsv");
  return kRows;
}

// "TLS_RSA_WITH_AES_128_CBC_SHA", "SSL_…", or a 2- or 4-digit hex code ("35", "002F").
std::optional<std::uint16_t> suite_named(const std::string& v) {
  if (v.rfind("TLS_", 0) == 0) return tlsprofiles::code_named(tlsprofiles::CodeKind::cipher_suite, v);
  if (v.rfind("SSL_", 0) == 0) return tlsprofiles::code_named(tlsprofiles::CodeKind::cipher_suite, "TLS_" + v.substr(4));
  unsigned code = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), code, 16);
  if (ec != std::errc() || end != v.data() + v.size() || code > 0xffff) return std::nullopt;
  return static_cast<std::uint16_t>(code);
}

// Every V3CipherSuites / V3CipherSuites4Char line of a block, in file order (repeated lines concatenate).
void add_suites(const Block& b, TlsSide& out) {
  std::vector<const ConfigLine*> lines;
  for (const auto& [key, line] : b.statements)
    if (iequal(key, "V3CipherSuites") || iequal(key, "V3CipherSuites4Char")) lines.push_back(&line);
  std::sort(lines.begin(), lines.end(), [](const auto* a, const auto* z) { return a->line < z->line; });
  for (const auto* l : lines) {
    out.lines.push_back(*l);
    const bool four = iequal(l->key, "V3CipherSuites4Char");
    for (std::size_t i = 0; four && i + 4 <= l->value.size(); i += 4)
      if (auto c = suite_named(l->value.substr(i, 4))) out.suites.push_back(*c);
    if (!four)
      if (auto c = suite_named(l->value)) out.suites.push_back(*c);
  }
}

}  // namespace

TlsSide tls_side(const Match& m) {
  TlsSide out;
  const std::pair<const char*, std::uint16_t> kSwitches[] = {
      {"SSLv3", 0x0300}, {"TLSv1", 0x0301}, {"TLSv1.1", 0x0302}, {"TLSv1.2", 0x0303}, {"TLSv1.3", 0x0304}};
  for (const auto& [name, v] : kSwitches) {
    std::string value;
    for (const auto& r : version_defaults())
      if (r.at("statement") == name) value = r.at("default");
    if (const auto l = m.setting(name)) {
      value = l->value;
      out.lines.push_back(*l);
    }
    if (lower(value) == "on") out.versions.push_back(v);
  }
  if (m.ciphers) add_suites(*m.ciphers, out);
  if (const auto role = m.setting("HandshakeRole")) out.handshake_role = role->value;
  const auto auth = m.setting("ClientAuthType");
  out.client_auth_type = auth ? auth->value : "Required";
  return out;
}

bool looks_like(std::string_view text) { return text.find("TTLSRule") != std::string_view::npos; }

}  // namespace sd::audit::attls

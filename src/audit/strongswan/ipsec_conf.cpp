// ipsec.conf (strongSwan starter): conn sections with indented key=value lines, also= to pull in other conns,
// conn %default for every conn, include. Defaults from ipsec.conf(5): ikelifetime 3h, lifetime 1h, margintime 9m,
// rekeyfuzz 100%; a rekey starts margintime + up to rekeyfuzz% of margintime before the lifetime ends.
#include <fmt/format.h>

#include <filesystem>

#include "audit/strongswan/internal.h"

namespace sd::audit::strongswan {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxAlsoDepth = 16;
constexpr int kMaxIncludeDepth = 8;

// One "conn NAME" (or "config setup", "ca NAME") and its settings in file order.
struct Block {
  std::string kind;
  std::string name;
  ConfigLine at;
  std::vector<ConfigLine> settings;
};

struct Blocks {
  std::vector<Block> blocks;
  std::vector<std::string> notes;
};

std::optional<ConfigError> read_blocks(const std::string& file, std::string_view text, const std::string& root,
                                       int depth, Blocks& out);

std::optional<ConfigError> include(const std::string& file, std::size_t number, const std::string& pattern,
                                   const std::string& root, int depth, Blocks& out) {
  if (depth >= kMaxIncludeDepth) return ConfigError{file, number, "includes nested too deeply"};
  const fs::path target = resolve(file, pattern, root, "");
  std::error_code ec;
  if (!fs::is_regular_file(target, ec)) {
    out.notes.push_back(fmt::format("{}:{}: include {} matched no file", file, number, target.string()));
    return std::nullopt;
  }
  const auto t = read_config_file(target.string());
  if (t.error) return t.error;
  return read_blocks(target.string(), t.text, root, depth + 1, out);
}

std::optional<ConfigError> block_line(const std::string& file, std::size_t number, std::string_view raw,
                                      const std::string& root, int depth, Blocks& out) {
  const auto hash = raw.find('#');
  const std::string_view body = raw.substr(0, hash);
  const std::string_view text = trim(body);
  if (text.empty()) return std::nullopt;
  const bool indented = body.front() == ' ' || body.front() == '\t';
  if (!indented) {
    const auto space = text.find_first_of(" \t");
    const std::string word(text.substr(0, space));
    const std::string name(space == std::string_view::npos ? "" : trim(text.substr(space)));
    if (word == "include") return include(file, number, name, root, depth, out);
    if (word == "version") return std::nullopt;
    if (word != "conn" && word != "config" && word != "ca")
      return ConfigError{file, number, fmt::format("expected conn, config, ca or include: {}", text)};
    out.blocks.push_back(Block{word, name, ConfigLine{file, number, word, name, std::string(text)}, {}});
    return std::nullopt;
  }
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) return ConfigError{file, number, fmt::format("expected key=value: {}", text)};
  if (out.blocks.empty()) return ConfigError{file, number, "a setting outside any conn, config or ca section"};
  std::string value(trim(text.substr(eq + 1)));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  out.blocks.back().settings.push_back(
      ConfigLine{file, number, std::string(trim(text.substr(0, eq))), value, std::string(text)});
  return std::nullopt;
}

std::optional<ConfigError> read_blocks(const std::string& file, std::string_view text, const std::string& root,
                                       int depth, Blocks& out) {
  return each_line(file, text, [&](std::size_t number, std::string_view raw) {
    return block_line(file, number, raw, root, depth, out);
  });
}

// A conn's settings as starter resolves them: its own lines, then also= conns (in order), then conn %default.
class Resolved {
 public:
  Resolved(const Blocks& all, const Block& conn) : all_(all) {
    add(conn, 0);
    for (const auto& b : all_.blocks)
      if (b.kind == "conn" && b.name == "%default") add(b, 0);
  }
  const ConfigLine* get(std::string_view key) const {
    for (const auto* l : lines_)
      if (l->key == key) return l;
    return nullptr;
  }

 private:
  void add(const Block& b, int depth) {
    for (auto it = b.settings.rbegin(); it != b.settings.rend(); ++it) lines_.push_back(&*it);
    if (depth >= kMaxAlsoDepth) return;
    for (const auto& s : b.settings)
      if (s.key == "also")
        for (const auto& other : all_.blocks)
          if (other.kind == "conn" && other.name == s.value && &other != &b) add(other, depth + 1);
  }
  const Blocks& all_;
  std::vector<const ConfigLine*> lines_;
};

Timer timer(const Resolved& r, std::initializer_list<std::string_view> keys, long long fallback,
            const std::string& fallback_source) {
  for (const auto key : keys)
    if (const auto* l = r.get(key))
      if (const auto v = parse_duration(l->value)) return Timer{*v, *l, l->text};
  return Timer{fallback, std::nullopt, fallback_source};
}

// rekeyfuzz=N% of margintime is the random part; rekey = lifetime - margintime.
Rekey rekey_of(const Resolved& r, std::string sa, const Timer& life) {
  const Timer margin = timer(r, {"margintime", "rekeymargin"}, 9 * 60, "margintime not set: 9m by default");
  long long fuzz = 100;
  std::optional<ConfigLine> fuzz_line;
  if (const auto* l = r.get("rekeyfuzz")) {
    std::string v = l->value;
    if (!v.empty() && v.back() == '%') v.pop_back();
    if (const auto n = parse_duration(v)) fuzz = *n;
    fuzz_line = *l;
  }
  Rekey out{std::move(sa), true, Timer{life.seconds > margin.seconds ? life.seconds - margin.seconds : 0, margin.line,
                                       fmt::format("{} minus margintime ({}s)", life.source, margin.seconds)},
            Timer{margin.seconds * fuzz / 100, fuzz_line,
                  fuzz_line ? fuzz_line->text : fmt::format("rekeyfuzz not set: 100% of margintime ({}s)",
                                                             margin.seconds)},
            life};
  const auto* rekey = r.get("rekey");
  out.enabled = !(rekey && (rekey->value == "no" || rekey->value == "false"));
  return out;
}

Connection connection(const std::string& root, const Blocks& all, const Block& b) {
  const Resolved r(all, b);
  Connection c{b.name, b.at, rekey_of(r, "IKE_SA", timer(r, {"ikelifetime", "ike_lifetime"}, 3 * 3600,
                                                          "ikelifetime not set: 3h by default")),
               {}, {}, {}, {}};
  if (const auto* l = r.get("ike")) c.proposals = *l;
  if (const auto* l = r.get("keyexchange")) c.version = *l;
  c.children.push_back(rekey_of(r, "CHILD_SA " + b.name,
                                timer(r, {"lifetime", "keylife"}, 3600, "lifetime not set: 1h by default")));
  for (const auto& [key, local] : {std::pair{"leftcert", true}, std::pair{"rightcert", false}})
    if (const auto* l = r.get(key)) c.certs.push_back(CertRef{resolve(l->file, l->value, root, "ipsec.d/certs").string(), *l, local});
  return c;
}

}  // namespace

Parsed parse_ipsec(const std::string& file, std::string_view text, const std::string& root) {
  Parsed p;
  p.config.file = file;
  p.config.format = "ipsec.conf";
  Blocks all;
  p.error = read_blocks(file, text, root, 0, all);
  if (p.error) return p;
  p.config.notes = std::move(all.notes);
  for (const auto& b : all.blocks) {
    if (b.kind != "conn" || b.name == "%default") continue;
    const Resolved r(all, b);
    if (const auto* a = r.get("auto"); a && a->value == "ignore") continue;
    p.config.connections.push_back(connection(root, all, b));
  }
  return p;
}

}  // namespace sd::audit::strongswan

// The --what-if vocabulary: one table row per word, versions from one small table of names.
#include "whatif/change.h"

#include <array>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace sd::whatif {
namespace {

/// What follows the word: nothing (a version is part of the word), a name pattern, or a number of bits.
enum class Takes { version, pattern, bits };

/// One word of the vocabulary.
struct Word {
  std::string_view word;   ///< "no-", "min-", "drop-suite:" …
  Protocol protocol;
  Action action;
  Takes takes;
  std::string_view help;
};

constexpr std::array<Word, 14> kWords{{
    {"no-", Protocol::tls, Action::no_version, Takes::version, "turn one version off"},
    {"min-", Protocol::tls, Action::min_version, Takes::version, "turn every version below it off"},
    {"drop-suite:", Protocol::tls, Action::drop_suite, Takes::pattern, "cipher suites by IANA or OpenSSL name"},
    {"drop-group:", Protocol::tls, Action::drop_group, Takes::pattern, "named groups, e.g. x25519"},
    {"min-dh:", Protocol::tls, Action::min_dh, Takes::bits, "finite-field DH groups of at least BITS"},
    {"drop-sigalg:", Protocol::tls, Action::drop_sigalg, Takes::pattern, "signature schemes, e.g. rsa_pkcs1_sha1"},
    {"drop-kex:", Protocol::ssh, Action::drop_kex, Takes::pattern, "key exchange methods"},
    {"drop-cipher:", Protocol::ssh, Action::drop_cipher, Takes::pattern, "ciphers, both directions"},
    {"drop-mac:", Protocol::ssh, Action::drop_mac, Takes::pattern, "MACs, both directions"},
    {"drop-hostkey:", Protocol::ssh, Action::drop_hostkey, Takes::pattern, "host key algorithms"},
    {"drop-encr:", Protocol::ike, Action::drop_encr, Takes::pattern, "encryption, e.g. ENCR_AES_CBC/128 or ENCR_3DES"},
    {"drop-prf:", Protocol::ike, Action::drop_prf, Takes::pattern, "PRFs"},
    {"drop-integ:", Protocol::ike, Action::drop_integ, Takes::pattern, "integrity algorithms"},
    {"drop-group:", Protocol::ike, Action::drop_group, Takes::pattern, "key exchange groups, e.g. MODP_1024"},
}};

/// The version words after "no-" and "min-" (RFC 6101, 2246, 4346, 5246, 8446).
struct VersionWord {
  std::string_view word;
  std::uint16_t code;
};
constexpr std::array<VersionWord, 5> kVersions{{
    {"sslv3", 0x0300}, {"tls1.0", 0x0301}, {"tls1.1", 0x0302}, {"tls1.2", 0x0303}, {"tls1.3", 0x0304}}};

std::optional<std::uint16_t> version_of(std::string_view word) {
  for (const auto& v : kVersions)
    if (v.word == word) return v.code;
  return std::nullopt;
}

/// Every row whose word the text starts with and whose value part is well formed ("min-" is not "min-dh:").
std::vector<const Word*> rows_for(std::string_view text) {
  std::vector<const Word*> out;
  for (const auto& w : kWords) {
    if (!text.starts_with(w.word)) continue;
    const auto rest = text.substr(w.word.size());
    if (w.takes == Takes::version && !version_of(rest)) continue;
    out.push_back(&w);
  }
  return out;
}

std::optional<Change> build(const Word& w, std::string_view text, std::string& error) {
  Change c{.protocol = w.protocol, .action = w.action, .text = std::string(text)};
  const auto rest = text.substr(w.word.size());
  switch (w.takes) {
    case Takes::version: c.version = *version_of(rest); break;
    case Takes::pattern:
      if (rest.empty()) return (error = fmt::format("--what-if {}: a name or pattern is missing after '{}'", text, w.word), std::nullopt);
      c.pattern = std::string(rest);
      break;
    case Takes::bits: {
      const auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), c.bits);
      if (ec != std::errc{} || p != rest.data() + rest.size() || c.bits < 512 || c.bits > 16384)
        return (error = fmt::format("--what-if {}: BITS must be a number from 512 to 16384", text), std::nullopt);
      break;
    }
  }
  return c;
}

char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

}  // namespace

std::string_view to_string(Protocol p) {
  switch (p) {
    case Protocol::tls: return "tls";
    case Protocol::ssh: return "ssh";
    case Protocol::ike: return "ike";
  }
  return "tls";
}

Protocol protocol_of_scheme(std::string_view scheme) {
  if (scheme == "ssh") return Protocol::ssh;
  if (scheme == "ike") return Protocol::ike;
  return Protocol::tls;
}

std::vector<Protocol> protocols_of(std::string_view text) {
  std::vector<Protocol> out;
  for (const Word* w : rows_for(text)) out.push_back(w->protocol);
  return out;
}

bool known_change(std::string_view text, std::string& error) {
  const auto rows = rows_for(text);
  if (rows.empty()) return (error = fmt::format("--what-if {}: unknown change (see --help for the words)", text), false);
  return build(*rows.front(), text, error).has_value();
}

std::optional<Change> parse_change(std::string_view text, Protocol protocol, std::string& error) {
  const auto rows = rows_for(text);
  if (rows.empty()) return (error = fmt::format("--what-if {}: unknown change (see --help for the words)", text), std::nullopt);
  for (const Word* w : rows)
    if (w->protocol == protocol) return build(*w, text, error);
  error = fmt::format("--what-if {}: does not apply to {} (it changes {})", text, to_string(protocol),
                      to_string(rows.front()->protocol));
  return std::nullopt;
}

std::optional<std::vector<Change>> parse_changes(const std::vector<std::string>& texts, Protocol protocol,
                                                 std::string& error) {
  std::vector<Change> out;
  for (const auto& t : texts) {
    auto c = parse_change(t, protocol, error);
    if (!c) return std::nullopt;
    out.push_back(std::move(*c));
  }
  return out;
}

std::vector<Change> changes_for(const std::vector<std::string>& texts, Protocol protocol) {
  std::vector<Change> out;
  std::string ignored;
  for (const auto& t : texts)
    if (auto c = parse_change(t, protocol, ignored)) out.push_back(std::move(*c));
  return out;
}

bool matches(std::string_view pattern, std::string_view name) {
  std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.size() && fold(pattern[p]) == fold(name[n])) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string describe(const std::vector<Change>& changes) {
  std::vector<std::string> texts;
  for (const auto& c : changes) texts.push_back(c.text);
  return fmt::format("{}", fmt::join(texts, ", "));
}

std::string vocabulary_help() {
  std::vector<std::string> versions;
  for (const auto& v : kVersions) versions.push_back(std::string(v.word));
  std::string out = fmt::format("TLS: no-VERSION, min-VERSION (VERSION: {})", fmt::join(versions, ", "));
  std::string_view protocol = "tls";
  for (const auto& w : kWords) {
    if (w.takes == Takes::version) continue;
    if (to_string(w.protocol) != protocol) {
      protocol = to_string(w.protocol);
      out += w.protocol == Protocol::ssh ? "; SSH:" : "; IKE:";
    } else {
      out += ",";
    }
    out += fmt::format(" {}{} ({})", w.word, w.takes == Takes::bits ? "BITS" : "PATTERN", w.help);
  }
  return out + ". PATTERN is a name, '*' matching any run of characters (drop-suite:*_CBC_*).";
}

}  // namespace sd::whatif

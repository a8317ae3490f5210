// Registry lookups by name for profile files.
#include "tlsprofiles/codes.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "wire/tls/registry.h"

namespace sd::tlsprofiles {
namespace {

namespace reg = sd::tls::registry;

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

std::optional<std::uint16_t> hex_literal(std::string_view text) {
  if (text.size() < 3 || text.size() > 6 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return std::nullopt;
  std::uint16_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data() + 2, end, value, 16);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

template <class Table, class Match>
std::optional<std::uint16_t> find_in(const Table& table, Match match) {
  const auto it = std::find_if(table.begin(), table.end(), match);
  if (it == table.end()) return std::nullopt;
  return static_cast<std::uint16_t>(it->code);
}

}  // namespace

std::optional<std::uint16_t> code_named(CodeKind kind, std::string_view name) {
  if (auto hex = hex_literal(name)) return hex;
  switch (kind) {
    case CodeKind::version:
      return find_in(reg::named(reg::Names::version), [&](const auto& e) { return same_name(e.name, name); });
    case CodeKind::extension:
      return find_in(reg::named(reg::Names::extension), [&](const auto& e) { return same_name(e.name, name); });
    case CodeKind::cipher_suite:
      return find_in(reg::cipher_suites(), [&](const auto& e) {
        return same_name(e.iana_name, name) || (!e.openssl_name.empty() && same_name(e.openssl_name, name));
      });
    case CodeKind::group:
      return find_in(reg::groups(), [&](const auto& e) { return same_name(e.name, name); });
    case CodeKind::signature_scheme:
      return find_in(reg::signature_schemes(), [&](const auto& e) { return same_name(e.name, name); });
  }
  return std::nullopt;
}

std::string code_label(CodeKind kind, std::uint16_t code) {
  switch (kind) {
    case CodeKind::version: return reg::version_name(code);
    case CodeKind::cipher_suite: return reg::cipher_suite_name(code);
    case CodeKind::extension: return reg::name_of(reg::Names::extension, code);
    case CodeKind::group: return reg::group_name(code);
    case CodeKind::signature_scheme: return reg::signature_scheme_name(code);
  }
  return reg::hex16(code);
}

std::string_view kind_word(CodeKind kind) {
  switch (kind) {
    case CodeKind::version: return "version";
    case CodeKind::cipher_suite: return "cipher suite";
    case CodeKind::extension: return "extension";
    case CodeKind::group: return "group";
    case CodeKind::signature_scheme: return "signature scheme";
  }
  return "code";
}

}  // namespace sd::tlsprofiles

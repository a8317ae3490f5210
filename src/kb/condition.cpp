// Conditions over decoded messages and event attributes.
#include <array>
#include <charconv>

#include "kb/condition.h"

namespace sd::kb {
namespace {

constexpr std::array<std::string_view, 7> kOps{"contains", "<=", ">=", "==", "!=", "<", ">"};

constexpr std::array<std::string_view, 17> kDecodedFields{
    "message",          "kind",          "record_version", "max_version",       "has_sni",
    "has_signature_algorithms", "has_supported_groups", "all_cbc", "no_forward_secrecy", "has_reneg_scsv",
    "alert_level",      "alert_description", "plaintext",  "plaintext_kind",    "cipher_count",
    "extension_count",  "cert_request_empty_ca_list"};

struct Version {
  std::string_view name;
  std::int64_t code;
};
constexpr std::array<Version, 7> kVersions{{{"ssl2", 0x0002},
                                           {"ssl3", 0x0300},
                                           {"tls1.0", 0x0301},
                                           {"tls1.1", 0x0302},
                                           {"tls1.2", 0x0303},
                                           {"tls1.3", 0x0304},
                                           {"none", 0}}};

std::string_view strip(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool known_field(std::string_view field) {
  if (field.substr(0, 5) == "attr." && field.size() > 5) return true;
  if (field.substr(0, 8) != "decoded.") return false;
  for (const auto f : kDecodedFields)
    if (field.substr(8) == f) return true;
  return false;
}

std::string flag(bool b) { return b ? "true" : "false"; }

std::optional<std::string> decoded_value(const decode::Message& m, std::string_view f) {
  const auto& s = m.summary;
  if (f == "message") return s.message;
  if (f == "kind") return m.kind;
  if (f == "record_version") return s.record_version ? std::to_string(*s.record_version) : "0";
  if (f == "max_version") return s.max_version ? std::to_string(*s.max_version) : "0";
  if (f == "has_sni") return flag(s.has_sni);
  if (f == "has_signature_algorithms") return flag(s.has_signature_algorithms);
  if (f == "has_supported_groups") return flag(s.has_supported_groups);
  if (f == "all_cbc") return flag(s.all_cbc);
  if (f == "no_forward_secrecy") return flag(s.no_forward_secrecy);
  if (f == "has_reneg_scsv") return flag(s.has_reneg_scsv);
  if (f == "alert_level") return s.alert_level;
  if (f == "alert_description") return s.alert_description;
  if (f == "plaintext") return s.plaintext;
  if (f == "plaintext_kind") return s.plaintext_kind;
  if (f == "cipher_count") return std::to_string(s.cipher_suites.size());
  if (f == "extension_count") return std::to_string(s.extensions.size());
  if (f == "cert_request_empty_ca_list") return flag(s.cert_request_empty_ca_list);
  return std::nullopt;
}

std::optional<std::int64_t> number(std::string_view v) {
  for (const auto& ver : kVersions)
    if (v == ver.name) return ver.code;
  std::int64_t n = 0;
  int base = 10;
  if (v.substr(0, 2) == "0x") {
    v.remove_prefix(2);
    base = 16;
  }
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n, base);
  if (ec != std::errc() || p != v.data() + v.size() || v.empty()) return std::nullopt;
  return n;
}

bool compare(std::string_view actual, const Condition& c) {
  if (c.op == "contains") return actual.find(c.value) != std::string_view::npos;
  const auto a = number(actual);
  const auto b = number(c.value);
  if (a && b) {
    if (c.op == "==") return *a == *b;
    if (c.op == "!=") return *a != *b;
    if (c.op == "<") return *a < *b;
    if (c.op == "<=") return *a <= *b;
    if (c.op == ">") return *a > *b;
    return *a >= *b;
  }
  if (c.op == "==") return actual == c.value;
  if (c.op == "!=") return actual != c.value;
  return false;
}

}  // namespace

std::optional<Condition> parse_condition(const std::string& text) {
  for (const auto op : kOps) {
    const auto at = text.find(op == "contains" ? " contains " : op);
    if (at == std::string::npos) continue;
    const std::size_t op_len = op == "contains" ? 10 : op.size();
    Condition c;
    c.field = std::string(strip(std::string_view(text).substr(0, at)));
    c.op = std::string(op);
    c.value = std::string(strip(std::string_view(text).substr(at + op_len)));
    c.text = text;
    if (!known_field(c.field) || c.value.empty()) return std::nullopt;
    return c;
  }
  return std::nullopt;
}

bool holds(const Condition& c, const logs::Event& ev) {
  if (c.field.substr(0, 5) == "attr.") {
    const auto it = ev.attrs.find(c.field.substr(5));
    return it != ev.attrs.end() && compare(it->second, c);
  }
  if (!ev.decoded) return false;
  const auto v = decoded_value(*ev.decoded, std::string_view(c.field).substr(8));
  return v && compare(*v, c);
}

bool needs_decoded(const Condition& c) { return c.field.substr(0, 8) == "decoded."; }

}  // namespace sd::kb

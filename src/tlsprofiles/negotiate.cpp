// What a server picks from a client's offer: version, suite, group (RFC 5246 section 7.4.1, RFC 8446 section 4.1).
#include "tlsprofiles/negotiate.h"

#include <algorithm>

#include "wire/tls/registry.h"

namespace sd::tlsprofiles {
namespace {

namespace reg = sd::tls::registry;
using probe::tls::Refusal;
using probe::tls::ServerFacts;

bool contains(const std::vector<std::uint16_t>& v, std::uint16_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

/// Whether a suite can be negotiated at this version at all (TLS 1.3 suites only in 1.3 and the reverse;
/// TLS 1.2-only suites not below 1.2; signalling and GREASE values never).
bool usable_at(std::uint16_t suite, std::uint16_t version) {
  if (reg::is_scsv(suite) || reg::is_grease(suite)) return false;
  const bool tls13_suite = (suite >> 8) == 0x13;
  if (version == 0x0304 || tls13_suite) return version == 0x0304 && tls13_suite;
  const auto* info = reg::find_cipher_suite(suite);
  return !(info && info->min_version == "TLSv1.2" && version < 0x0303);
}

std::optional<std::uint16_t> first_common(const std::vector<std::uint16_t>& order, const std::vector<std::uint16_t>& other) {
  for (const auto x : order)
    if (contains(other, x)) return x;
  return std::nullopt;
}

}  // namespace

std::vector<std::uint16_t> client_versions(const ClientProfile& p) {
  const Versions& v = p.versions.value;
  std::vector<std::uint16_t> out;
  if (!v.supported.empty()) {
    for (const auto x : v.supported)
      if (!reg::is_grease(x) && x >= v.min) out.push_back(x);
  } else {
    for (std::uint16_t x = v.max; x >= v.min && x >= 0x0300; --x) out.push_back(x);
  }
  std::sort(out.rbegin(), out.rend());
  return out;
}

VersionPick pick_version(const ClientProfile& p, const ServerFacts& f) {
  VersionPick pick;
  std::optional<std::uint16_t> first_refused;
  for (const auto v : client_versions(p)) {
    const auto it = f.versions.find(v);
    const Refusal answer = it == f.versions.end() ? Refusal::unknown : it->second.refusal;
    if (answer == Refusal::none) {
      pick.version = v;
      return pick;
    }
    if (answer == Refusal::unknown && !pick.higher_untested) pick.higher_untested = v;
    if (answer != Refusal::unknown && !first_refused) first_refused = v;
  }
  if (!pick.higher_untested) pick.refusal = first_refused;
  return pick;
}

std::optional<std::uint16_t> pick_suite(const ClientProfile& p, std::uint16_t version,
                                        const std::vector<std::uint16_t>& server_suites, bool server_preference) {
  std::vector<std::uint16_t> offered;
  for (const auto s : p.cipher_suites.value)
    if (usable_at(s, version)) offered.push_back(s);
  return server_preference ? first_common(server_suites, offered) : first_common(offered, server_suites);
}

bool needs_group(std::uint16_t version, std::uint16_t suite) {
  if (version == 0x0304) return true;
  const auto* info = reg::find_cipher_suite(suite);
  return info && info->kx.starts_with("ECDHE");
}

std::optional<std::uint16_t> pick_group(const ClientProfile& p, const ServerFacts& f, std::uint16_t version) {
  if (version == 0x0304)
    if (auto shared = first_common(p.key_share_groups.value, f.groups)) return shared;  // no HelloRetryRequest
  return f.server_preference.value_or(false) ? first_common(f.groups, p.groups.value)
                                             : first_common(p.groups.value, f.groups);
}

std::optional<bool> certificate_sent(const ClientProfile& p, const ServerFacts& f) {
  if (!f.client_cert.requested) return std::nullopt;
  return p.client_certificate.value;
}

}  // namespace sd::tlsprofiles

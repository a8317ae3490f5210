// TLS what-if: the change applied to ServerFacts, then the same predictions as the probe and the audit make.
#include "whatif/tls.h"

#include <algorithm>

#include <fmt/format.h>

#include "tlsprofiles/negotiate.h"
#include "wire/tls/registry.h"

namespace sd::whatif {
namespace {

namespace reg = sd::tls::registry;
using probe::tls::Answer;
using probe::tls::Refusal;
using probe::tls::ServerFacts;

constexpr std::uint8_t kProtocolVersion = 70;   // RFC 8446 6.2 protocol_version
constexpr std::uint8_t kHandshakeFailure = 40;  // RFC 8446 6.2 handshake_failure

bool refused_with(const Answer& a, std::uint8_t alert) {
  return (a.refusal == Refusal::alert || a.refusal == Refusal::alert_then_text) && a.alert_code == alert;
}

// How this server refuses a version it does not speak: copied from a version it already refuses that way (vsftpd
// adds its "500 OOPS" line after the alert), else a plain protocol_version alert.
Answer version_refusal(const ServerFacts& f, const Change& c, std::uint8_t alert) {
  Answer out{.refusal = Refusal::alert, .alert_code = alert};
  for (const auto& [v, a] : f.versions)
    if (refused_with(a, alert)) {
      out.refusal = a.refusal;
      out.text = a.text;
      break;
    }
  out.detail = fmt::format("turned off by --what-if {}", c.text);
  return out;
}

void turn_off(ServerFacts& f, std::uint16_t version, const Change& c) {
  f.versions[version] = version_refusal(f, c, kProtocolVersion);
  f.suites.erase(version);
  f.suites_incomplete.erase(version);
}

bool suite_matches(const std::string& pattern, std::uint16_t code) {
  const auto* s = reg::find_cipher_suite(code);
  return matches(pattern, reg::cipher_suite_name(code)) || (s && !s->openssl_name.empty() && matches(pattern, s->openssl_name));
}

// A version whose whole (complete) suite list went answers handshake_failure, as a server with no suite left for
// it does (OpenSSL turns TLS 1.3 off outright when it has no TLS 1.3 suite).
void drop_suites(ServerFacts& f, const Change& c) {
  for (auto& [version, list] : f.suites) {
    const bool had = !list.empty();
    std::erase_if(list, [&](std::uint16_t code) { return suite_matches(c.pattern, code); });
    if (had && list.empty() && !f.suites_incomplete.contains(version))
      f.versions[version] = version_refusal(f, c, kHandshakeFailure);
  }
}

template <class NameOf>
void drop_named(std::vector<std::uint16_t>& codes, const std::string& pattern, NameOf name_of) {
  std::erase_if(codes, [&](std::uint16_t code) { return matches(pattern, name_of(code)); });
}

void apply_one(ServerFacts& f, const Change& c) {
  switch (c.action) {
    case Action::no_version: turn_off(f, c.version, c); break;
    case Action::min_version:
      for (std::uint16_t v = 0x0300; v < c.version; ++v) turn_off(f, v, c);
      break;
    case Action::drop_suite: drop_suites(f, c); break;
    case Action::drop_group: drop_named(f.groups, c.pattern, reg::group_name); break;
    case Action::drop_sigalg: drop_named(f.signature_schemes, c.pattern, reg::signature_scheme_name); break;
    case Action::min_dh:
      if (f.min_dh_bits && *f.min_dh_bits < c.bits) f.min_dh_bits = c.bits;
      break;
    default: break;
  }
}

bool any_accepted(const ServerFacts& f) {
  return std::any_of(f.versions.begin(), f.versions.end(), [](const auto& v) { return v.second.refusal == Refusal::none; });
}

void add_notes(const ServerFacts& before, const ServerFacts& after, const std::vector<Change>& changes, Applied& applied) {
  if (any_accepted(before) && !any_accepted(after))
    applied.notes.push_back("the change leaves no TLS version accepted: every client breaks");
  if (!before.groups.empty() && after.groups.empty())
    applied.notes.push_back("the change removes every named group: predictions that need one read as unknown");
  const bool dh = std::any_of(changes.begin(), changes.end(), [](const Change& c) { return c.action == Action::min_dh; });
  if (dh && !before.min_dh_bits)
    applied.notes.push_back("the server's DH group size was not measured, so min-dh changes no prediction");
}

std::string versions_text(const std::vector<std::uint16_t>& versions) {
  std::vector<std::string> names;
  for (const auto v : versions) names.push_back(reg::version_name(v));
  return fmt::format("{}", fmt::join(names, ", "));
}

// "its only version TLSv1.0 is turned off" when the client offers versions of which some were accepted before and
// none is after.
std::string version_reason(const tlsprofiles::ClientProfile& p, const ServerFacts& before, const ServerFacts& after) {
  auto mine = tlsprofiles::client_versions(p);
  std::sort(mine.begin(), mine.end());
  std::vector<std::uint16_t> lost;
  for (const auto v : mine) {
    const auto now = after.versions.find(v);
    if (now != after.versions.end() && now->second.refusal == Refusal::none) return {};
    const auto was = before.versions.find(v);
    if (was != before.versions.end() && was->second.refusal == Refusal::none) lost.push_back(v);
  }
  if (lost.empty()) return {};
  if (mine.size() == 1) return fmt::format("its only version {} is turned off", versions_text(mine));
  return fmt::format("every version it offers ({}) is now refused", versions_text(mine));
}

}  // namespace

ServerFacts apply(const ServerFacts& facts, const std::vector<Change>& changes, Applied& applied) {
  ServerFacts out = facts;
  for (const auto& c : changes)
    if (c.protocol == Protocol::tls) apply_one(out, c);
  add_notes(facts, out, changes, applied);
  return out;
}

Outcome outcome_of(const tlsprofiles::ClientProfile& profile, const tlsprofiles::Prediction& prediction) {
  Outcome o{.profile_id = profile.id, .name = profile.name,
            .verdict = std::string(tlsprofiles::to_string(prediction.verdict)), .summary = prediction.summary};
  if (!prediction.causes.empty()) {
    const auto& c = prediction.causes.front();
    o.reason = c.reason;
    o.stage = std::string(tlsprofiles::to_string(c.stage));
    o.client_shows = c.client_shows;
    o.kb_id = c.kb_id;
  }
  return o;
}

Comparison compare_tls(const std::vector<tlsprofiles::ClientProfile>& profiles, const ServerFacts& before,
                       const ServerFacts& after) {
  auto out = compare_each(profiles, before, after, [](const tlsprofiles::ClientProfile& p, const ServerFacts& f) {
    return outcome_of(p, tlsprofiles::predict(p, f));
  });
  for (auto& shift : out.changed) {
    const auto p = std::find_if(profiles.begin(), profiles.end(), [&](const auto& x) { return x.id == shift.after.profile_id; });
    if (p == profiles.end() || !shift.breaks()) continue;
    if (auto why = version_reason(*p, before, after); !why.empty()) shift.after.reason = why;
  }
  return out;
}

void add_tls_what_if(const std::vector<Change>& changes, const std::vector<tlsprofiles::ClientProfile>& profiles,
                     const ServerFacts& facts, const std::string& source, std::vector<report::Section>& sections,
                     std::vector<Finding>& findings) {
  if (changes.empty()) return;
  Applied applied;
  const ServerFacts changed = apply(facts, changes, applied);
  add_to(changes, Protocol::tls, compare_tls(profiles, facts, changed), applied, source, sections, findings);
}

}  // namespace sd::whatif

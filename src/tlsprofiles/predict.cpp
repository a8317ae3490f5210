// Prediction: the version, suite and group a client would negotiate with a server, or why it would not.
#include "tlsprofiles/predict.h"

#include <algorithm>

#include <fmt/format.h>

#include "tlsprofiles/codes.h"
#include "tlsprofiles/negotiate.h"

namespace sd::tlsprofiles {
namespace {

using probe::tls::ServerFacts;

/// What the handshake settles on, or the cause that stops it (or nothing known).
struct Handshake {
  std::optional<std::uint16_t> version, suite, group;
  std::optional<Cause> failure;
  bool undetermined = false;
};

void settle_version(const ClientProfile& p, const ServerFacts& f, Handshake& h, std::vector<std::string>& unknowns) {
  const VersionPick pick = pick_version(p, f);
  if (pick.version) {
    h.version = pick.version;
    if (pick.higher_untested)
      unknowns.push_back(fmt::format("the server's answer to {} is not known; it may negotiate higher",
                                     code_label(CodeKind::version, *pick.higher_untested)));
  } else if (pick.refusal) {
    h.failure = refusal_cause(p, f, *pick.refusal);
  } else {
    h.undetermined = true;
    unknowns.push_back("no version the client offers was tested against the server");
  }
}

void settle_suite(const ClientProfile& p, const ServerFacts& f, Handshake& h, std::vector<std::string>& unknowns) {
  const auto it = f.suites.find(*h.version);
  if (it == f.suites.end()) {
    h.undetermined = true;
    unknowns.push_back(fmt::format("the server's {} cipher suites are not known", code_label(CodeKind::version, *h.version)));
    return;
  }
  h.suite = pick_suite(p, *h.version, it->second, f.server_preference.value_or(false));
  if (!h.suite && f.suites_incomplete.contains(*h.version)) {
    h.undetermined = true;
    unknowns.push_back(fmt::format("none of the client's suites is among the server's {} suites found before the "
                                   "connection cap; the rest were not tried", code_label(CodeKind::version, *h.version)));
    return;
  }
  if (!h.suite) h.failure = no_shared_suite_cause(p, *h.version, it->second);
  else if (f.suites_incomplete.contains(*h.version))
    unknowns.push_back(fmt::format("the server's {} suite list is incomplete (connection cap); the client may settle on "
                                   "another suite", code_label(CodeKind::version, *h.version)));
  else if (!f.server_preference) unknowns.push_back("the server's own suite order is not known; the client's order was assumed");
}

void settle_key_exchange(const ClientProfile& p, const ServerFacts& f, Handshake& h, std::vector<std::string>& unknowns) {
  if (auto legacy = legacy_signature_cause(p, *h.version, *h.suite)) {
    h.failure = std::move(legacy);
    return;
  }
  if (!needs_group(*h.version, *h.suite)) {
    if (auto dh = dh_cause(p, f, *h.suite)) h.failure = std::move(dh);
    return;
  }
  if (f.groups.empty() || p.groups.value.empty()) {
    unknowns.push_back("the key exchange group is not known (the server's groups or the client's list is missing)");
    return;
  }
  h.group = pick_group(p, f, *h.version);
  if (!h.group) h.failure = no_shared_group_cause(p, f);
}

Handshake handshake(const ClientProfile& p, const ServerFacts& f, std::vector<std::string>& unknowns) {
  Handshake h;
  if (auto refused = upgrade_cause(p, f)) {
    h.failure = std::move(refused);
    return h;
  }
  if (auto shape = hello_shape_cause(p, f)) {
    h.failure = std::move(shape);
    return h;
  }
  settle_version(p, f, h, unknowns);
  if (h.failure || h.undetermined) return h;
  settle_suite(p, f, h, unknowns);
  if (h.failure || h.undetermined) return h;
  settle_key_exchange(p, f, h, unknowns);
  return h;
}

std::string connects_summary(const Prediction& r) {
  std::string text = fmt::format("connects: {} {}", code_label(CodeKind::version, *r.version),
                                 code_label(CodeKind::cipher_suite, *r.cipher_suite));
  if (r.group) text += " " + code_label(CodeKind::group, *r.group);
  if (r.sends_certificate) text += *r.sends_certificate ? ", sends a client certificate" : ", sends no client certificate";
  return text;
}

std::string summary_of(const Prediction& r) {
  if (r.verdict == Verdict::connects) return connects_summary(r);
  if (r.verdict == Verdict::unknown) return "unknown: " + (r.unknowns.empty() ? std::string("not enough facts") : r.unknowns.front());
  std::vector<std::string> ids;
  for (const auto& c : r.causes) ids.push_back(c.kb_id.empty() ? c.reason : c.kb_id);
  return fmt::format("fails: {}", fmt::join(ids, "; "));
}

}  // namespace

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::connects: return "connects";
    case Verdict::fails: return "fails";
    case Verdict::unknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_string(Stage s) {
  switch (s) {
    case Stage::handshake: return "handshake";
    case Stage::client_certificate: return "client-certificate";
    case Stage::data_channel: return "data-channel";
  }
  return "handshake";
}

Prediction predict(const ClientProfile& profile, const ServerFacts& facts) {
  Prediction r;
  r.profile_id = profile.id;
  const Handshake h = handshake(profile, facts, r.unknowns);
  r.version = h.version;
  r.cipher_suite = h.suite;
  r.group = h.group;
  if (h.failure) r.causes.push_back(*h.failure);
  r.sends_certificate = certificate_sent(profile, facts);
  for (auto& c : after_handshake_causes(profile, facts, r.unknowns)) r.causes.push_back(std::move(c));
  const bool open = h.undetermined || data_channel_undetermined(profile, facts, r.unknowns);
  r.verdict = !r.causes.empty() ? Verdict::fails : (open ? Verdict::unknown : Verdict::connects);
  r.summary = summary_of(r);
  return r;
}

std::vector<Prediction> predict_all(const std::vector<ClientProfile>& profiles, const ServerFacts& facts) {
  std::vector<Prediction> out;
  out.reserve(profiles.size());
  for (const auto& p : profiles) out.push_back(predict(p, facts));
  return out;
}

}  // namespace sd::tlsprofiles

// Which transforms a responder accepts: a discovery offer, then one proposal per attempt and transform type, each
// offering the candidates not yet seen; the responder picks one until it answers NO_PROPOSAL_CHOSEN.
#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "probe/ike/ike_probe.h"

namespace sd::probe::ike {
namespace {

using namespace sd::ike;

// The candidates tried for each transform type, by registry name (RFC 7296 3.3.2, IANA IKEv2 transform IDs).
constexpr std::array kEncryption{"ENCR_AES_CBC/256", "ENCR_AES_CBC/192", "ENCR_AES_CBC/128", "ENCR_AES_CTR/256",
                                 "ENCR_AES_CTR/128", "ENCR_CAMELLIA_CBC/256", "ENCR_CAMELLIA_CBC/128", "ENCR_3DES",
                                 "ENCR_DES"};
constexpr std::array kAead{"ENCR_AES_GCM_16/256", "ENCR_AES_GCM_16/128", "ENCR_AES_CCM_16/256",
                           "ENCR_CHACHA20_POLY1305"};
constexpr std::array kPrf{"PRF_HMAC_SHA2_256", "PRF_HMAC_SHA2_384", "PRF_HMAC_SHA2_512", "PRF_HMAC_SHA1",
                          "PRF_AES128_XCBC", "PRF_AES128_CMAC", "PRF_HMAC_MD5"};
constexpr std::array kIntegrity{"AUTH_HMAC_SHA2_256_128", "AUTH_HMAC_SHA2_384_192", "AUTH_HMAC_SHA2_512_256",
                                "AUTH_HMAC_SHA1_96", "AUTH_AES_XCBC_96", "AUTH_AES_CMAC_96", "AUTH_HMAC_MD5_96"};
constexpr std::array<std::uint16_t, 11> kGroups{14, 19, 20, 21, 31, 15, 16, 32, 5, 2, 24};

using Specs = std::vector<TransformSpec>;

template <std::size_t N>
Specs specs(const std::array<const char*, N>& names) {
  Specs out;
  for (const char* n : names)
    if (auto t = transform_named(n)) out.push_back(*t);
  return out;
}

Specs groups(const std::vector<std::uint16_t>& codes) {
  Specs out;
  for (const auto g : codes) out.push_back({4, g, {}});
  return out;
}

bool same(const TransformSpec& a, const Transform& b) {
  return a.type == b.type && a.id == b.id && a.key_length == b.key_length;
}

ProposalSpec join(std::initializer_list<const Specs*> parts) {
  ProposalSpec p;
  for (const auto* part : parts) p.transforms.insert(p.transforms.end(), part->begin(), part->end());
  return p;
}

/// The transform of this type the responder chose, if it is among the candidates.
std::optional<TransformSpec> picked(const ExchangeResult& r, std::uint8_t type, const Specs& candidates) {
  for (const auto& t : r.chosen())
    if (t.type == type)
      for (const auto& c : candidates)
        if (same(c, t)) return c;
  return std::nullopt;
}

void erase(Specs& from, const TransformSpec& t) {
  std::erase_if(from, [&](const TransformSpec& s) { return s.type == t.type && s.id == t.id && s.key_length == t.key_length; });
}

class Prober {
 public:
  Prober(const Target& target, const ProbeOptions& options)
      : target_(target), engine_(config(options)) {
    policy_.timeout = std::min(options.timeout, Millis(3000));
    cap_ = std::max(4u, options.max_connections);
  }

  GatewayFacts run() {
    if (!discover()) return std::move(facts_);
    const bool aead = base_aead_;
    plain_encr_ = enumerate_type(1, specs(kEncryption), [&](const Specs& c) {
      return join({&c, &all_prf_, &all_integ_, &base_group_});
    });
    facts_.encryption = plain_encr_;
    const auto aead_found = enumerate_type(1, specs(kAead), [&](const Specs& c) { return join({&c, &all_prf_, &base_group_}); });
    facts_.encryption.insert(facts_.encryption.end(), aead_found.begin(), aead_found.end());
    const Specs base_encr{base_encr_};
    facts_.prf = enumerate_type(2, specs(kPrf), [&](const Specs& c) {
      return aead ? join({&base_encr, &c, &base_group_}) : join({&base_encr, &c, &all_integ_, &base_group_});
    });
    const Specs plain = first_plain();
    if (!plain.empty())
      facts_.integrity = enumerate_type(3, specs(kIntegrity), [&](const Specs& c) {
        return join({&plain, &all_prf_, &c, &base_group_});
      });
    enumerate_groups(aead ? join({&base_encr, &all_prf_}) : join({&base_encr, &all_prf_, &all_integ_}));
    return std::move(facts_);
  }

 private:
  static EngineConfig config(const ProbeOptions& options) {
    EngineConfig c;
    c.per_target_budget = 1;
    c.min_start_interval = options.min_interval;
    c.max_connections = options.max_connections;
    return c;
  }

  ExchangeResult attempt(const std::string& name, const ProposalSpec& p, std::uint16_t group, bool follow) {
    ExchangePolicy policy = policy_;
    policy.follow_invalid_ke = follow;
    ExchangeResult r = exchange(engine_, target_, name, p, group, policy);
    facts_.sent += r.sent;
    facts_.received += r.received;
    facts_.cookie = facts_.cookie || r.cookie;
    if (r.requested_group && !facts_.requested_group) facts_.requested_group = r.requested_group;
    if (r.response && r.response->ikev1()) facts_.ikev1 = true;
    if (r.response && !r.chosen().empty() && !facts_.first_accept) facts_.first_accept = r.response;
    facts_.exchanges.push_back(r);
    return r;
  }

  /// Offers everything (first without, then with AEAD ciphers) and keeps the responder's choice as the base.
  bool discover() {
    const Specs encr = specs(kEncryption), aead = specs(kAead), dh = groups({kGroups.begin(), kGroups.end()});
    for (const bool with_aead : {false, true}) {
      const ProposalSpec p = with_aead ? join({&aead, &all_prf_, &dh}) : join({&encr, &all_prf_, &all_integ_, &dh});
      const ExchangeResult r = attempt(with_aead ? "discover-aead" : "discover", p, 14, true);
      if (!r.response || facts_.ikev1) return false;
      const auto chosen = r.chosen();
      if (chosen.empty()) continue;
      for (const auto& t : chosen) {
        if (t.type == 1) base_encr_ = {t.type, t.id, t.key_length};
        if (t.type == 4) base_group_ = {{4, t.id, {}}};
      }
      base_aead_ = with_aead;
      return !base_group_.empty();
    }
    return false;
  }

  template <class Offer>
  Specs enumerate_type(std::uint8_t type, Specs remaining, Offer offer) {
    Specs accepted;
    while (!remaining.empty() && facts_.exchanges.size() < cap_) {
      const ExchangeResult r =
          attempt(fmt::format("type{}-round{}", type, accepted.size() + 1), offer(remaining), group(), false);
      const auto choice = picked(r, type, remaining);
      if (!choice) break;
      accepted.push_back(*choice);
      erase(remaining, *choice);
    }
    return accepted;
  }

  void enumerate_groups(const ProposalSpec& rest) {
    std::vector<std::uint16_t> remaining(kGroups.begin(), kGroups.end());
    while (!remaining.empty() && facts_.exchanges.size() < cap_) {
      ProposalSpec p = rest;
      for (const auto g : remaining) p.transforms.push_back({4, g, {}});
      const ExchangeResult r = attempt(fmt::format("dh-round{}", facts_.groups.size() + 1), p, remaining[0], false);
      std::optional<std::uint16_t> got;
      if (const auto c = picked(r, 4, groups(remaining))) got = c->id;
      else if (r.response && r.response->notify(kInvalidKePayload)) got = r.response->notify(kInvalidKePayload)->requested_group;
      if (!got || std::find(remaining.begin(), remaining.end(), *got) == remaining.end()) break;
      facts_.groups.push_back(*got);
      std::erase(remaining, *got);
    }
  }

  std::uint16_t group() const { return base_group_.empty() ? 14 : base_group_[0].id; }

  /// A non-AEAD cipher the responder accepted, to carry the integrity candidates.
  Specs first_plain() const {
    if (!plain_encr_.empty()) return {plain_encr_.front()};
    return base_aead_ ? Specs{} : Specs{base_encr_};
  }

  Target target_;
  Engine engine_;
  ExchangePolicy policy_;
  std::size_t cap_ = 64;
  GatewayFacts facts_;
  const Specs all_prf_ = specs(kPrf);
  const Specs all_integ_ = specs(kIntegrity);
  TransformSpec base_encr_;
  Specs base_group_;
  bool base_aead_ = false;
  Specs plain_encr_;
};

}  // namespace

GatewayFacts probe_gateway(const Target& target, const ProbeOptions& options) {
  return Prober(target, options).run();
}

}  // namespace sd::probe::ike

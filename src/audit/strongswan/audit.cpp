// The rekey and certificate audit over the strongSwan configs of one or both peers.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "audit/certs/certs.h"
#include "audit/common/kb_finding.h"
#include "audit/strongswan/internal.h"

namespace sd::audit::strongswan {
namespace {

constexpr long long kDay = 86400;
constexpr const char* kTogether = "ike.ikev2-simultaneous-rekey-after-cert-expiry";
constexpr const char* kSoon = "ike.cert-expires-soon";
constexpr const char* kNoJitter = "ike.rekey-without-jitter";

// A connection's certificate as read from its file.
struct PeerCert {
  const Config* config;
  const Connection* conn;
  const CertRef* ref;
  certs::Cert cert;
};

std::string when(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string span(long long seconds) {
  if (seconds % kDay == 0 && seconds >= kDay) return fmt::format("{}d", seconds / kDay);
  if (seconds % 3600 == 0 && seconds >= 3600) return fmt::format("{}h", seconds / 3600);
  if (seconds % 60 == 0 && seconds >= 60) return fmt::format("{}m", seconds / 60);
  return fmt::format("{}s", seconds);
}

std::string side_of(const PeerCert& p) { return p.ref->local ? "local" : "remote (pinned)"; }

std::vector<PeerCert> load(const std::vector<Config>& configs) {
  std::vector<PeerCert> out;
  for (const auto& cfg : configs)
    for (const auto& conn : cfg.connections)
      for (const auto& ref : conn.certs) {
        const auto text = read_config_file(ref.path);
        if (text.error) continue;
        auto loaded = certs::parse(ref.path, text.text);
        if (loaded.error || loaded.certs.empty()) continue;
        out.push_back(PeerCert{&cfg, &conn, &ref, std::move(loaded.certs.front())});
      }
  return out;
}

Evidence cert_evidence(const PeerCert& p, const std::string& what) {
  Evidence e = evidence_at(p.ref->line, "");
  e.text = fmt::format("{} ({}: {} certificate {}, {})", p.ref->line.text, p.conn->name, side_of(p), p.cert.subject,
                       what);
  return e;
}

std::vector<Finding> expiring(const std::vector<PeerCert>& all, const AuditOptions& o) {
  std::vector<Finding> out;
  std::set<std::string> seen;
  for (const auto& p : all) {
    const long long left = static_cast<long long>(p.cert.not_after) - static_cast<long long>(o.now);
    if (left > o.days * kDay || !seen.insert(p.cert.sha256).second) continue;
    Finding f = finding_for(kSoon, "", "");
    // The KB rule's title names the 30-day default; this one says what was found (expired, or the --days given).
    f.title = left < 0 ? "IKE certificate has expired" : fmt::format("IKE certificate expires within {} days", o.days);
    f.severity = left < 0 ? Severity::high : Severity::medium;
    f.cause = fmt::format(
        "The certificate connection {} authenticates with expires on {} ({}). It bites on {}: as that moment nears, "
        "IKE daemons shorten the SA lifetime so it ends with the certificate (z/OS IKED trims it down to 600 s), and "
        "after it every IKE_AUTH with this certificate fails.",
        p.conn->name, certs::day(p.cert.not_after),
        left < 0 ? fmt::format("{} days ago", -left / kDay) : fmt::format("{} days left", left / kDay),
        when(p.cert.not_after));
    f.change_side = p.ref->local ? "client" : "server";
    f.evidence.push_back(cert_evidence(p, "not after " + when(p.cert.not_after)));
    f.fixes.push_back(Fix{"client", "Renew the certificate and load it before the date above.",
                          "swanctl --load-creds", ""});
    out.push_back(std::move(f));
  }
  return out;
}

// Two certificates of the two ends of one tunnel: different configs (each file is a peer) or local vs pinned remote.
bool peers(const PeerCert& a, const PeerCert& b) {
  if (a.cert.sha256 == b.cert.sha256) return false;
  if (a.config != b.config) return a.ref->local && b.ref->local;
  return a.conn == b.conn && a.ref->local != b.ref->local;
}

Finding together(const PeerCert& a, const PeerCert& b, long long window) {
  const std::time_t first = std::min(a.cert.not_after, b.cert.not_after);
  const long long gap = std::llabs(static_cast<long long>(a.cert.not_after) - static_cast<long long>(b.cert.not_after));
  Finding f = finding_for(kTogether, "", "");
  f.title = "Both peers' IKE certificates expire within one rekey window";
  f.severity = Severity::high;
  f.cause = fmt::format(
      "The certificates of both ends expire {} apart, inside one IKE rekey interval ({}). It bites on {} (around {}): "
      "both sides trim their SA lifetime to the certificate's end and start a rekey at the same moment. strongSwan "
      "resolves such a collision itself, but z/OS IKED V2R2/V2R3 without the fix for APAR PH00771 can leave the IKE SA "
      "stuck in WAIT KE so that no new tunnel starts until IKED is recycled.",
      span(gap), span(window), certs::day(first), when(first));
  f.change_side = "either";
  f.evidence.push_back(cert_evidence(a, "not after " + when(a.cert.not_after)));
  f.evidence.push_back(cert_evidence(b, "not after " + when(b.cert.not_after)));
  f.fixes.push_back(Fix{"client",
                        fmt::format("Renew one of the two certificates now so the expiries are more than {} apart.",
                                    span(window)),
                        "", ""});
  f.fixes.push_back(Fix{"server", "On z/OS, apply the PTF for APAR PH00771 (UI58712 for V2R2, UI58713 for V2R3).",
                        "SMP/E: APPLY SELECT(UI58712)", ""});
  return f;
}

std::vector<Finding> expire_together(const std::vector<PeerCert>& all) {
  std::vector<Finding> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      const auto& a = all[i];
      const auto& b = all[j];
      if (!peers(a, b)) continue;
      const long long window = std::max(a.conn->ike.rekey.seconds, b.conn->ike.rekey.seconds);
      const long long gap =
          std::llabs(static_cast<long long>(a.cert.not_after) - static_cast<long long>(b.cert.not_after));
      const auto key = std::minmax(a.cert.sha256, b.cert.sha256);
      if (gap > window || !seen.insert(key).second) continue;
      out.push_back(together(a, b, window));
    }
  return out;
}

// Every enabled rekey of a config that has no random part.
std::vector<std::pair<const Connection*, const Rekey*>> fixed_timers(const Config& c) {
  std::vector<std::pair<const Connection*, const Rekey*>> out;
  for (const auto& conn : c.connections) {
    if (conn.ike.enabled && conn.ike.jitter.seconds == 0) out.emplace_back(&conn, &conn.ike);
    for (const auto& child : conn.children)
      if (child.enabled && child.jitter.seconds == 0) out.emplace_back(&conn, &child);
  }
  return out;
}

Evidence timer_evidence(const Config& c, const Connection& conn, const Rekey& r) {
  Evidence e = r.jitter.line ? evidence_at(*r.jitter.line, "") : evidence_at(conn.at, "");
  e.text = fmt::format("{} {}: rekey every {} with no jitter ({})", conn.name, r.sa, span(r.rekey.seconds),
                       r.jitter.source);
  if (e.file.empty()) e.file = c.file;
  return e;
}

std::vector<Finding> no_jitter(const std::vector<Config>& configs, const AuditOptions& o) {
  std::vector<Evidence> evidence;
  std::size_t sides = 0;
  long long first = 0;
  for (const auto& c : configs) {
    const auto fixed = fixed_timers(c);
    if (fixed.empty()) continue;
    ++sides;
    for (const auto& [conn, r] : fixed) {
      evidence.push_back(timer_evidence(c, *conn, *r));
      if (first == 0 || r->rekey.seconds < first) first = r->rekey.seconds;
    }
  }
  if (sides == 0) return {};
  Finding f = finding_for(kNoJitter, "", "");
  f.title = sides > 1 ? "Both peers rekey on fixed timers without jitter" : "Rekeying on a fixed timer without jitter";
  f.severity = sides > 1 ? Severity::medium : Severity::low;
  f.cause = fmt::format(
      "{} SAs with no random part (rand_time = 0 in swanctl.conf, rekeyfuzz = 0% in ipsec.conf). Two ends that set "
      "up an SA together then start their rekeys at the same moment, every time: a simultaneous rekey (RFC 7296 "
      "section 2.8.1) that some implementations do not survive (z/OS IKED, APAR PH00771). It bites at the first "
      "rekey after set-up: {} later (for an SA set up now, {}).",
      sides > 1 ? "Both peers rekey" : "This peer rekeys", span(first), when(o.now + static_cast<std::time_t>(first)));
  f.change_side = "either";
  f.evidence = std::move(evidence);
  f.fixes.push_back(Fix{"client", "Give rekeying a random part on at least one side.",
                        "connections.<name>.rand_time = 10% of rekey_time (swanctl.conf), or rekeyfuzz=100% "
                        "(ipsec.conf)",
                        ""});
  f.references.push_back(Reference{"RFC 7296", "https://www.rfc-editor.org/rfc/rfc7296#section-2.8.1",
                                   "IKEv2, section 2.8.1 (simultaneous rekeying)"});
  return {f};
}

}  // namespace

std::vector<Finding> audit(const std::vector<Config>& configs, const AuditOptions& options) {
  const auto all = load(configs);
  std::vector<Finding> out = expire_together(all);
  for (auto& f : expiring(all, options)) out.push_back(std::move(f));
  for (auto& f : no_jitter(configs, options)) out.push_back(std::move(f));
  return out;
}

}  // namespace sd::audit::strongswan

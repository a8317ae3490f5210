// Certificate checks: dates against now, key size, SHA-1, and expiries that fall on the same day across files.
#include <fmt/format.h>

#include <map>
#include <set>

#include "audit/certs/certs.h"
#include "audit/common/kb_finding.h"

namespace sd::audit::certs {
namespace {

constexpr std::time_t kDay = 24 * 60 * 60;
constexpr std::time_t kSoon = 30 * kDay;
constexpr int kMinRsaBits = 2048;

Evidence where(const Cert& c, const std::string& what) {
  return Evidence{c.file, 0, fmt::format("certificate #{} {}: {}", c.index + 1, c.subject, what), "", {}, ""};
}

Finding one(const std::string& id, const std::string& title, const Cert& c, const std::string& what,
            const std::string& fix) {
  Finding f = finding_for(id, title, "");
  f.evidence.push_back(where(c, what));
  f.fixes.push_back(Fix{"either", fix, "", ""});
  return f;
}

void dates(const Cert& c, std::time_t now, std::vector<Finding>& out) {
  const auto left = (c.not_after - now) / kDay;
  if (c.not_after < now)
    out.push_back(one("tls.cert-expired", "Certificate expired", c,
                      fmt::format("expired on {} ({} days ago)", day(c.not_after), -left),
                      "Renew the certificate and install it with its chain on the side that presents it."));
  else if (c.not_before > now)
    out.push_back(one("tls.cert-not-yet-valid", "Certificate not yet valid", c,
                      fmt::format("valid only from {}", day(c.not_before)),
                      "Check the clocks of both hosts, or wait until the certificate's start date."));
  else if (c.not_after - now < kSoon) {
    auto f = one("tls.cert-expires-soon", "Certificate expires within 30 days", c,
                 fmt::format("expires on {} ({} days left)", day(c.not_after), left),
                 "Renew the certificate before it expires.");
    f.severity = Severity::medium;
    f.cause = "The certificate is still valid but expires soon; after that day every handshake that checks it fails.";
    out.push_back(std::move(f));
  }
}

void strength(const Cert& c, std::vector<Finding>& out) {
  if (c.key_type == "RSA" && c.key_bits < kMinRsaBits)
    out.push_back(one("tls.key-too-small", "Key too small", c, fmt::format("RSA key of {} bits", c.key_bits),
                      fmt::format("Reissue the certificate with an RSA key of at least {} bits.", kMinRsaBits)));
  if (c.signature.find("sha1") != std::string::npos || c.signature.find("SHA1") != std::string::npos)
    out.push_back(one("tls.sha1-signature-refused", "SHA-1 signature", c, "signed with " + c.signature,
                      "Reissue the certificate signed with SHA-256 or better."));
}

// The seed-004 outage: different certificates that end on the same day fail together. The same certificate
// seen in several files (a bundle and its hash link) counts once.
void together(const std::vector<Cert>& certs, std::vector<Finding>& out) {
  std::map<std::string, std::vector<const Cert*>> by_day;
  std::set<std::string> seen;
  for (const auto& c : certs)
    if (seen.insert(c.issuer + "\n" + c.serial + "\n" + c.subject).second) by_day[day(c.not_after)].push_back(&c);
  for (const auto& [d, group] : by_day) {
    if (group.size() < 2) continue;
    Finding f = finding_for("tls.certs-expire-together", "Certificates expire on the same day", "");
    f.severity = Severity::medium;
    f.cause = fmt::format("{} certificates expire on {}: every link that depends on them fails at once, as in a "
                          "correlated outage between gateways.", group.size(), d);
    for (const auto* c : group) f.evidence.push_back(where(*c, "expires on " + d));
    f.fixes.push_back(Fix{"either", "Renew them on staggered dates, well before the day, and test each link.", "", ""});
    out.push_back(std::move(f));
  }
}

}  // namespace

std::string day(std::time_t t) {
  struct tm tm {};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::vector<Finding> audit(const std::vector<Cert>& certs, std::time_t now) {
  std::vector<Finding> out;
  for (const auto& c : certs) {
    dates(c, now, out);
    strength(c, out);
  }
  together(certs, out);
  return out;
}

}  // namespace sd::audit::certs

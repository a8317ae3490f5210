// Certificates across the fleet: those expiring within --days, and same-day expiries on different targets.
#include <fmt/format.h>

#include <algorithm>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "fleet/view.h"

namespace sd::fleet {
namespace {

constexpr std::int64_t kDay = 86400;

struct Seen {
  const CertRow* cert;
  std::string target;
  std::int64_t expires;
};

std::string identity(const CertRow& c) {
  return c.sha256.empty() ? c.subject + "|" + c.issuer + "|" + c.serial + "|" + c.not_after : c.sha256;
}

// Every certificate of the latest runs once per target, soonest expiry first.
std::vector<Seen> certificates_of(const std::vector<const RunRecord*>& latest) {
  std::vector<Seen> out;
  for (const RunRecord* run : latest) {
    std::set<std::string> ids;
    for (const auto& c : run->certificates) {
      const auto t = seconds_of(c.not_after);
      if (t >= 0 && ids.insert(identity(c)).second) out.push_back({&c, run->target, t});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Seen& a, const Seen& b) { return a.expires < b.expires; });
  return out;
}

std::int64_t days_left(const Seen& s, std::int64_t now) {
  const std::int64_t d = s.expires - now;
  return d >= 0 ? d / kDay : -((-d + kDay - 1) / kDay);
}

Field cert_field(const Seen& s, std::int64_t now) {
  Field f = leaf(s.cert->not_after, s.cert->subject);
  f.add(leaf("target", s.target));
  f.add(leaf("issuer", s.cert->issuer));
  if (!s.cert->serial.empty()) f.add(leaf("serial", s.cert->serial));
  if (!s.cert->sha256.empty()) f.add(leaf("sha256", s.cert->sha256));
  f.add(leaf("where", s.cert->where));
  f.add(leaf("days_left", std::to_string(days_left(s, now))));
  return f;
}

Finding expiring_finding(const Seen& s, std::int64_t now) {
  const auto left = days_left(s, now);
  Finding f;
  f.id = "fleet.cert-expiring";
  f.title = left < 0 ? fmt::format("{} on {} expired on {}", s.cert->subject, s.target, s.cert->not_after.substr(0, 10))
                     : fmt::format("{} on {} expires on {} ({} days)", s.cert->subject, s.target,
                                   s.cert->not_after.substr(0, 10), left);
  f.severity = left < 0 ? Severity::high : Severity::medium;
  f.cause = "A peer that checks validity refuses the handshake once the certificate has expired.";
  f.change_side = "server";
  f.evidence.push_back(Evidence{.file = s.target, .text = s.cert->where});
  return f;
}

void add_expiring(const std::vector<Seen>& certs, const ViewOptions& o, report::Report& out) {
  report::Section s{"fleet", fmt::format("Certificates expiring within {} days", o.days), o.source, {}, {}};
  for (const auto& c : certs) {
    if (c.expires - o.now > static_cast<std::int64_t>(o.days) * kDay) break;
    s.fields.push_back(cert_field(c, o.now));
    out.findings.push_back(expiring_finding(c, o.now));
  }
  if (s.fields.empty()) s.notes.push_back("None.");
  out.sections.push_back(std::move(s));
}

Finding same_day_finding(const std::string& day, const std::set<std::string>& targets, bool soon) {
  Finding f;
  f.id = "fleet.same-day-expiry";
  f.title = fmt::format("Certificates on {} targets expire on {}: {}", targets.size(), day, fmt::join(targets, ", "));
  f.severity = soon ? Severity::medium : Severity::info;
  f.cause = "Certificates that expire on the same day fail together: every link between these targets can go down "
            "at once (new tunnels and sessions stop, as in APAR PH00771), so renew them on different days.";
  f.change_side = "server";
  return f;
}

void add_same_day(const std::vector<Seen>& certs, const ViewOptions& o, report::Report& out) {
  std::map<std::string, std::vector<const Seen*>> by_day;
  for (const auto& c : certs) by_day[c.cert->not_after.substr(0, 10)].push_back(&c);
  report::Section s{"fleet", "Certificates on different targets expiring the same day (UTC)", o.source, {}, {}};
  for (const auto& [day, group] : by_day) {
    std::set<std::string> targets;
    for (const Seen* c : group) targets.insert(c->target);
    if (targets.size() < 2) continue;
    Field f = leaf(day, fmt::format("{} certificate(s) on {} target(s)", group.size(), targets.size()));
    for (const Seen* c : group) f.add(leaf("certificate", c->cert->subject)).add(leaf("target", c->target));
    s.fields.push_back(std::move(f));
    const bool soon = group.front()->expires - o.now <= static_cast<std::int64_t>(o.days) * kDay;
    out.findings.push_back(same_day_finding(day, targets, soon));
  }
  if (s.fields.empty()) s.notes.push_back("No two targets have certificates expiring on the same day.");
  out.sections.push_back(std::move(s));
}

}  // namespace

std::int64_t seconds_of(const std::string& iso) {
  std::tm tm{};
  std::istringstream in(iso);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  if (in.fail()) return -1;
  return static_cast<std::int64_t>(timegm(&tm));
}

void add_expiry(const std::vector<const RunRecord*>& latest, const ViewOptions& options, report::Report& out) {
  const auto certs = certificates_of(latest);
  add_expiring(certs, options, out);
  add_same_day(certs, options, out);
}

}  // namespace sd::fleet

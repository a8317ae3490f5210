// audit: configuration files in, findings out. Glue only: parsing and checks live in src/audit.
#include <fmt/format.h>

#include <algorithm>

#include "audit/audit.h"
#include "cli/command.h"

namespace sd::cli {
namespace {

// "efs=on" -> facts["efs"] = "on"; false when the text has no '=' or no key.
bool add_fact(const std::string& text, std::map<std::string, std::string>& facts) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  facts[audit::lower(text.substr(0, eq))] = text.substr(eq + 1);
  return true;
}

// Every certificate read, soonest expiry first: the fleet's calendar.
report::Section calendar(std::vector<audit::certs::Cert> certs) {
  std::sort(certs.begin(), certs.end(), [](const auto& a, const auto& b) { return a.not_after < b.not_after; });
  report::Section s;
  s.kind = "audit";
  s.title = "Certificate expiry calendar";
  for (const auto& c : certs)
    s.fields.push_back(leaf(audit::certs::day(c.not_after), fmt::format("{} ({} #{})", c.subject, c.file, c.index + 1)));
  return s;
}

}  // namespace

int run_audit(const Invocation& inv) {
  if (inv.positionals.empty()) return input_error("audit: no configuration file given");
  audit::Options options;
  options.kind = inv.get("type");
  options.root = inv.get("root");
  options.master_root = inv.get("master-root");
  for (const auto& f : inv.all("fact"))
    if (!add_fact(f, options.facts)) return input_error(fmt::format("--fact: '{}' is not KEY=VALUE", f));
  auto outcome = audit::run(inv.positionals, options);
  if (outcome.error) return input_error("audit: " + outcome.error->text());
  report::Report r;
  r.command = "audit";
  r.inputs = inv.positionals;
  r.findings = std::move(outcome.findings);
  r.notes = std::move(outcome.notes);
  if (!outcome.certs.empty()) r.sections.push_back(calendar(std::move(outcome.certs)));
  if (r.findings.empty()) r.notes.push_back("No setting known to break a handshake was found.");
  return emit(inv, r);
}

}  // namespace sd::cli

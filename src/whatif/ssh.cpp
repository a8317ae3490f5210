// SSH what-if: names dropped from the server's KEXINIT lists, then the probe's own negotiation per profile.
#include "whatif/ssh.h"

#include <algorithm>

#include <fmt/format.h>

namespace sd::whatif {
namespace {

using sd::ssh::KexList;

bool is_marker(std::string_view name) { return name.starts_with("ext-info-") || name.starts_with("kex-strict-"); }

/// The KEXINIT lists one change touches.
std::vector<KexList> lists_of(Action a) {
  switch (a) {
    case Action::drop_kex: return {KexList::kex};
    case Action::drop_hostkey: return {KexList::host_key};
    case Action::drop_cipher: return {KexList::cipher_c2s, KexList::cipher_s2c};
    case Action::drop_mac: return {KexList::mac_c2s, KexList::mac_s2c};
    default: return {};
  }
}

std::size_t real_names(const std::vector<std::string>& names) {
  return static_cast<std::size_t>(std::count_if(names.begin(), names.end(), [](const std::string& n) { return !is_marker(n); }));
}

void drop(sd::ssh::Kexinit& k, const Change& c, Applied& applied) {
  for (const auto which : lists_of(c.action)) {
    auto& names = k.lists[static_cast<std::size_t>(which)].value;
    const bool had = real_names(names) > 0;
    std::erase_if(names, [&](const std::string& n) { return !is_marker(n) && matches(c.pattern, n); });
    if (had && real_names(names) == 0)
      applied.notes.push_back(fmt::format("{} leaves {} empty: every client breaks",
                                          c.text, sd::ssh::kKexListNames[static_cast<std::size_t>(which)]));
  }
}

}  // namespace

sd::ssh::Kexinit apply(const sd::ssh::Kexinit& server, const std::vector<Change>& changes, Applied& applied) {
  sd::ssh::Kexinit out = server;
  for (const auto& c : changes) drop(out, c, applied);  // lists_of() is empty for every non-SSH action
  return out;
}

Outcome outcome_of(const probe::ssh::ClientProfile& profile, const probe::ssh::Prediction& prediction) {
  Outcome o{.profile_id = profile.id, .name = profile.name, .verdict = prediction.connects ? "connects" : "fails",
            .summary = prediction.summary};
  if (!prediction.connects) {
    o.stage = prediction.failed_step;
    o.kb_id = prediction.kb_id;
    o.client_shows = prediction.message;
    o.reason = prediction.failed_kind
                   ? fmt::format("no {} left in common with the server", probe::ssh::to_string(*prediction.failed_kind))
                   : prediction.summary;
  }
  return o;
}

void add_ssh_what_if(const std::vector<Change>& changes, const std::vector<const probe::ssh::ClientProfile*>& chosen,
                     const sd::ssh::Kexinit& server, const probe::ssh::Endpoint& where, const std::string& source,
                     std::vector<report::Section>& sections, std::vector<Finding>& findings) {
  if (changes.empty()) return;
  Applied applied;
  const auto changed = apply(server, changes, applied);
  const auto comparison =
      compare_each(chosen, server, changed, [&](const probe::ssh::ClientProfile* p, const sd::ssh::Kexinit& k) {
        return outcome_of(*p, probe::ssh::predict(*p, k, where));
      });
  add_to(changes, Protocol::ssh, comparison, applied, source, sections, findings);
}

}  // namespace sd::whatif

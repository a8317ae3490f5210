// The what-if diff: each profile's predicted outcome before and after the change, the profiles whose outcome
// moves, the "what if: …" report section and one finding per client the change newly breaks.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/finding.h"
#include "report/report.h"
#include "whatif/change.h"

namespace sd::whatif {

/// One profile's prediction reduced to what the diff needs, the same shape for TLS, SSH and IKE.
struct Outcome {
  std::string profile_id;
  std::string name;           ///< the client as people call it ("z/OS FTP V2R2 client")
  std::string verdict;        ///< "connects", "fails" or "unknown"
  std::string summary;        ///< the prediction's one line
  std::string reason;         ///< when it fails: the first cause in plain words
  std::string stage;          ///< when it fails: where ("handshake", "kex", "IKE_SA_INIT" …)
  std::string client_shows;   ///< when it fails: what the client reports, when known
  std::string kb_id;          ///< when it fails: the KB rule of the first cause, when there is one
};

/// One profile whose prediction differs after the change.
struct Shift {
  Outcome before;
  Outcome after;
  /// True when it connected (or was unknown) before and fails after.
  bool breaks() const;
};

/// Before against after, profile by profile (both lists in the same profile order).
struct Comparison {
  std::vector<Shift> changed;   ///< verdict or negotiated parameters differ
  std::size_t unaffected = 0;   ///< the same prediction word for word
  std::size_t total = 0;
  /// How many profiles the change newly breaks.
  std::size_t broken() const;
};

/// Pairs the outcomes by profile id; a profile missing on one side counts as changed.
Comparison compare(const std::vector<Outcome>& before, const std::vector<Outcome>& after);

/// Each profile's outcome against the facts before and after (`outcome_of(profile, facts)` predicts one), compared.
template <class Profiles, class Facts, class OutcomeOf>
Comparison compare_each(const Profiles& profiles, const Facts& before, const Facts& after, OutcomeOf outcome_of) {
  std::vector<Outcome> old_side, new_side;
  for (const auto& p : profiles) {
    old_side.push_back(outcome_of(p, before));
    new_side.push_back(outcome_of(p, after));
  }
  return compare(old_side, new_side);
}

/// What applying the changes to one server's facts left to say (e.g. "every TLS version is turned off").
struct Applied {
  std::vector<std::string> notes;
};

/// The "what if: <changes>" section (kind "what-if"): one field per changed profile with its old and new
/// prediction, the new cause, stage and what the client shows; notes with the counts and that it is a prediction.
report::Section section(const std::vector<Change>& changes, Protocol protocol, const Comparison& comparison,
                        const Applied& applied, const std::string& source);
/// One finding (severity medium, id "whatif.client-breaks") per profile the change newly breaks.
std::vector<Finding> findings(const std::vector<Change>& changes, const Comparison& comparison, const std::string& source);
/// section() and findings() added to a report's parts.
void add_to(const std::vector<Change>& changes, Protocol protocol, const Comparison& comparison, const Applied& applied,
            const std::string& source, std::vector<report::Section>& sections, std::vector<Finding>& out);

/// The first change whose protocol no "what-if" section covers, for a usage error; empty when each was used.
std::string unused_change(const std::vector<std::string>& texts, const std::vector<report::Section>& sections);

}  // namespace sd::whatif

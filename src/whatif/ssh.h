// --what-if for SSH: drop-kex/-cipher/-mac/-hostkey applied to the server's KEXINIT, and every chosen client
// profile negotiated against the lists before and after.
#pragma once

#include <string>
#include <vector>

#include "sshprofiles/predict.h"
#include "whatif/compare.h"
#include "wire/ssh/messages.h"

namespace sd::whatif {

/// The KEXINIT with the matching names removed (ciphers and MACs in both directions); the strict-KEX and
/// ext-info markers are never removed. Notes say when a list is left empty.
sd::ssh::Kexinit apply(const sd::ssh::Kexinit& server, const std::vector<Change>& changes, Applied& applied);

/// One SSH prediction in the diff's shape.
Outcome outcome_of(const probe::ssh::ClientProfile& profile, const probe::ssh::Prediction& prediction);

/// Applies the changes, predicts each profile before and after, and adds the what-if section and findings
/// (nothing when `changes` is empty).
void add_ssh_what_if(const std::vector<Change>& changes, const std::vector<const probe::ssh::ClientProfile*>& chosen,
                     const sd::ssh::Kexinit& server, const probe::ssh::Endpoint& where, const std::string& source,
                     std::vector<report::Section>& sections, std::vector<Finding>& findings);

}  // namespace sd::whatif

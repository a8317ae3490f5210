// NIM over SSL (AIX): the /ssl_nimsh tree and the OpenSSL libraries nimsh loads, read from a host root folder.
#pragma once

#include <string>
#include <vector>

#include "core/finding.h"

namespace sd::audit::nim {

/// True when root holds an /ssl_nimsh folder (secure nimsh was configured there).
bool configured(const std::string& root);

/// Findings for the host under root: leftover OpenSSL 0.9.8 shared libraries in /usr/lib that nimsh loads in
/// place of the installed OpenSSL (APAR IV58877).
std::vector<Finding> audit(const std::string& root);

/// A client (client_root) whose /ssl_nimsh/certs holds no copy of any certificate in the master's
/// (master_root) /ssl_nimsh/certs: the copy is stale after a master update and nimsh hangs at "create BIO".
std::vector<Finding> audit_pair(const std::string& client_root, const std::string& master_root);

}  // namespace sd::audit::nim

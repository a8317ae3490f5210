// NIM host checks from a root folder laid out as the AIX host's /.
#include "audit/nim/nim.h"

#include <filesystem>

#include "audit/certs/certs.h"
#include "audit/common/config_text.h"
#include "audit/common/kb_finding.h"
#include "audit/nim/niminfo.h"

namespace sd::audit::nim {
namespace {

namespace fs = std::filesystem;

// Copies left in /usr/lib by older secure-nimsh set-ups; the APAR removes them.
constexpr const char* kLeftovers[] = {"usr/lib/libssl.so.0.9.8", "usr/lib/libcrypto.so.0.9.8"};

bool present(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

}  // namespace

bool configured(const std::string& root) {
  std::error_code ec;
  return !root.empty() && fs::is_directory(fs::path(root) / "ssl_nimsh", ec);
}

std::vector<Finding> audit(const std::string& root) {
  std::vector<Finding> out;
  if (!configured(root)) return out;
  Finding f = finding_for("nim.nimsh-openssl-library-mismatch", "Leftover OpenSSL 0.9.8 libraries used by nimsh", "");
  for (const char* rel : kLeftovers) {
    const auto p = fs::path(root) / rel;
    if (present(p)) f.evidence.push_back(Evidence{p.string(), 0, std::string("/") + rel + " is present", "", {}, "client"});
  }
  if (f.evidence.empty()) return out;
  f.fixes = kb_fixes(f.id);
  out.push_back(std::move(f));
  return out;
}

std::vector<Finding> audit_pair(const std::string& client_root, const std::string& master_root) {
  if (!configured(client_root) || !configured(master_root)) return {};
  const auto client = certs::load_folder((fs::path(client_root) / "ssl_nimsh/certs").string());
  const auto master = certs::load_folder((fs::path(master_root) / "ssl_nimsh/certs").string());
  if (master.certs.empty()) return {};
  for (const auto& c : client.certs)
    for (const auto& m : master.certs)
      if (c.sha256 == m.sha256) return {};
  Finding f = finding_for("nim.nimsh-ssl-create-bio-hang", "Stale copy of the NIM master's certificate", "");
  f.cause = "No certificate in the client's /ssl_nimsh/certs is a copy of one in the master's. " + f.cause;
  for (const auto& c : client.certs)
    f.evidence.push_back(Evidence{c.file, 0, "client copy: " + c.subject + " sha256 " + c.sha256, "", {}, "client"});
  for (const auto& m : master.certs)
    f.evidence.push_back(Evidence{m.file, 0, "master: " + m.subject + " sha256 " + m.sha256, "", {}, "server"});
  const auto niminfo = (fs::path(client_root) / "etc/niminfo").string();
  if (const auto text = read_config_file(niminfo); !text.error) {
    const auto parsed = parse_niminfo(niminfo, text.text);
    const auto lines = master_evidence(parsed.info);
    f.evidence.insert(f.evidence.begin(), lines.begin(), lines.end());
  }
  f.fixes = kb_fixes(f.id);
  return {f};
}

}  // namespace sd::audit::nim

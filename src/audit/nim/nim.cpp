// NIM host checks from a root folder laid out as the AIX host's /.
#include "audit/nim/nim.h"

#include <filesystem>

#include "audit/common/kb_finding.h"

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

}  // namespace sd::audit::nim

// libFuzzer target for the config parsers. The first byte picks the format; the rest is the file's text.
// Include lines resolve under a root that does not exist, so no real file is read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audit/attls/attls.h"
#include "audit/openssh/openssh.h"
#include "audit/opensslcnf/opensslcnf.h"
#include "audit/proftpd/proftpd.h"
#include "audit/strongswan/strongswan.h"
#include "audit/vsftpd/vsftpd.h"
#include "audit/zosftp/zosftp.h"

namespace {

constexpr const char* kNoRoot = "/nonexistent-shakedown-fuzz-root";

void openssh(std::uint8_t selector, std::string_view text) {
  const auto role = selector & 8 ? sd::audit::openssh::Role::server : sd::audit::openssh::Role::client;
  const auto p = sd::audit::openssh::parse(role, "fuzz_config", text, kNoRoot);
  if (!p.error) sd::audit::openssh::audit(p.config, {{"efs", "on"}});
}

void zosftp(std::uint8_t selector, std::string_view text) {
  const auto p = sd::audit::zosftp::parse("FTP.DATA", text, selector & 8 ? "V2R4" : "V2R2");
  if (!p.error) sd::audit::zosftp::audit(p.config);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 8) {
    case 0: {
      const auto p = sd::audit::vsftpd::parse("fuzz.conf", text, data[0] & 8 ? "2.0.5" : "3.0.3");
      if (!p.error) sd::audit::vsftpd::audit(p.config);
      break;
    }
    case 1: openssh(data[0], text); break;
    case 2: zosftp(data[0], text); break;
    case 3: sd::audit::opensslcnf::parse("openssl.cnf", text, kNoRoot); break;
    case 4: sd::audit::attls::parse("policy.conf", text); break;
    case 5: sd::audit::proftpd::parse("proftpd.conf", text, kNoRoot); break;
    case 6: sd::audit::strongswan::parse_swanctl("swanctl.conf", text, kNoRoot); break;
    default: sd::audit::strongswan::parse_ipsec("ipsec.conf", text, kNoRoot);
  }
  return 0;
}

// libFuzzer target for the config parsers. The first byte picks the format (vsftpd, sshd_config, ssh_config);
// the rest is the file's text. Include lines resolve under a root that does not exist, so no real file is read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audit/openssh/openssh.h"
#include "audit/vsftpd/vsftpd.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: {
      const auto p = sd::audit::vsftpd::parse("fuzz.conf", text, data[0] & 4 ? "2.0.5" : "3.0.3");
      if (!p.error) sd::audit::vsftpd::audit(p.config);
      break;
    }
    default: {
      const auto role = data[0] % 3 == 1 ? sd::audit::openssh::Role::server : sd::audit::openssh::Role::client;
      const auto p = sd::audit::openssh::parse(role, "fuzz_config", text, "/nonexistent-shakedown-fuzz-root");
      if (!p.error) sd::audit::openssh::audit(p.config, {{"efs", "on"}});
    }
  }
  return 0;
}

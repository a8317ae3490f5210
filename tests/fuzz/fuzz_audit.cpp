// libFuzzer target for the config parsers. The first byte picks the format; the rest is the file's text.
// Include lines resolve under a root that does not exist, so no real file is read. What a parsed file feeds is
// driven too: OpenSSH's effective offer (sshd KEXINIT, ssh client profile, the list rules) and strongSwan's
// proposal expansion (per connection, and the raw text as one proposals value).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/attls/attls.h"
#include "audit/openssh/offer.h"
#include "audit/openssh/openssh.h"
#include "audit/opensslcnf/opensslcnf.h"
#include "audit/proftpd/proftpd.h"
#include "audit/strongswan/ike.h"
#include "audit/strongswan/strongswan.h"
#include "audit/vsftpd/vsftpd.h"
#include "audit/zosftp/zosftp.h"

namespace {

constexpr const char* kNoRoot = "/nonexistent-shakedown-fuzz-root";

/// The effective offer of a parsed OpenSSH config: the sshd KEXINIT (and, with bit 16, every client profile
/// predicted against it) or the ssh client profile; and the list rules on the raw text as a setting.
void openssh_offer(std::uint8_t selector, const sd::audit::openssh::Config& c, std::string_view text) {
  namespace ossh = sd::audit::openssh;
  const ossh::Facts facts = {{"openssh", selector & 32 ? "10.0" : "9.2"}};
  std::vector<std::string> notes;
  if (selector & 8) {
    ossh::server_offer(c, facts, kNoRoot);
    std::vector<sd::Finding> findings;
    std::vector<sd::report::Section> sections;
    if (selector & 16) ossh::predict_known_clients(c, facts, kNoRoot, findings, sections, notes);
  } else {
    ossh::client_profile(c, facts, notes);
  }
  std::vector<std::string> rejected;
  ossh::assemble(std::string(text.substr(0, 512)), {"a", "b-c", "d@e"}, {"a", "b-c", "d@e", "f"}, rejected);
}

void openssh(std::uint8_t selector, std::string_view text) {
  const auto role = selector & 8 ? sd::audit::openssh::Role::server : sd::audit::openssh::Role::client;
  const auto p = sd::audit::openssh::parse(role, "fuzz_config", text, kNoRoot);
  if (p.error) return;
  sd::audit::openssh::audit(p.config, {{"efs", "on"}});
  openssh_offer(selector, p.config, text);
}

/// Every connection's effective IKE proposals and the responder facts they give; with bit 8 the raw text is
/// also expanded as one proposals value.
void strongswan(std::uint8_t selector, const sd::audit::strongswan::Parsed& p, std::string_view text) {
  namespace ss = sd::audit::strongswan;
  if (selector & 8) ss::expand(text.substr(0, 4096));
  if (p.error) return;
  for (const auto& conn : p.config.connections) ss::responder_facts(ss::effective(conn, p.config.format));
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
    case 6: strongswan(data[0], sd::audit::strongswan::parse_swanctl("swanctl.conf", text, kNoRoot), text); break;
    default: strongswan(data[0], sd::audit::strongswan::parse_ipsec("ipsec.conf", text, kNoRoot), text);
  }
  return 0;
}

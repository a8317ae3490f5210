// The one registry of probe kinds: adding a probe is its own folder plus one row here.
#include <array>

#include "probe/ike/ike_probe.h"
#include "probe/probe.h"
#include "probe/ssh/ssh_probe.h"
#include "probe/tls/tls_probe.h"

namespace sd::probe {
namespace {

const std::array<ProbeKind, 9> kKinds{{
    {"ike", 500, "IKEv2 responder: accepted transforms by IKE_SA_INIT, cookie, NAT-T, fragmentation, vendor IDs", &ike::run_ike_probe},
    {"tls", 443, "TLS server: versions, suites per version, preference, groups, certificate chain, client-certificate request, resumption, intolerance", &tls::run_tls},
    {"ftps", 21, "FTPS server, explicit (AUTH TLS, then AUTH SSL): the TLS scan after the upgrade", &tls::run_ftps},
    {"ftps-implicit", 990, "FTPS server, implicit (TLS from the first byte): the TLS scan", &tls::run_ftps_implicit},
    {"smtp", 25, "SMTP server: EHLO and STARTTLS, then the TLS scan", &tls::run_smtp},
    {"imap", 143, "IMAP server: STARTTLS, then the TLS scan", &tls::run_imap},
    {"pop3", 110, "POP3 server: STLS, then the TLS scan", &tls::run_pop3},
    {"ldap", 389, "LDAP server: the StartTLS extended operation, then the TLS scan", &tls::run_ldap},
    {"ssh", 22, "SSH server: banner, algorithm lists, host keys", &ssh::run},
}};

}  // namespace

std::span<const ProbeKind> probe_kinds() { return kKinds; }

const ProbeKind* find_probe(std::string_view scheme) {
  for (const auto& k : kKinds)
    if (k.scheme == scheme) return &k;
  return nullptr;
}

}  // namespace sd::probe

// Checks that need a complete handshake, made with the real OpenSSL client over the engine's session (memory
// BIOs): whether a TLS 1.3 server asks for a client certificate and fails without one, and session resumption.
#pragma once

#include <string>

#include "probe/engine/engine.h"
#include "probe/probe.h"
#include "probe/tls/upgrade.h"

namespace sd::probe::tls {

struct Scan;

/// Up to four connections: a full handshake at the highest version (client-certificate request and demand,
/// a ticket), its resumption, and at TLS 1.2 a ticketless handshake and its resumption by session id.
void run_openssl_checks(Engine& engine, const Url& url, Upgrade upgrade, const ProbeOptions& options,
                        const std::string& sni, Scan& out);

}  // namespace sd::probe::tls

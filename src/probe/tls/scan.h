// The TLS scan: versions, suites per version by iterative removal, the server's preference, groups, the
// certificate chain, the client-certificate request, resumption and hello-shape intolerance, filled into
// ServerFacts. Every connection goes through one Engine, within the options' budget and timeouts.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "probe/engine/engine.h"
#include "probe/probe.h"
#include "probe/tls/facts.h"
#include "probe/tls/flight.h"
#include "probe/tls/hello.h"
#include "probe/tls/upgrade.h"

namespace sd::probe::tls {

/// What the real OpenSSL client learnt (client-certificate demand in TLS 1.3, resumption).
struct OpenSslChecks {
  bool ran = false;
  std::string detail;                  ///< one sentence per connection, in order
  std::vector<std::string> notes;
};

/// One hello of the SNI check and what came back.
struct SniHello {
  std::string label;                   ///< "with_sni", "without_sni" or "unknown_name"
  std::string name;                    ///< the server_name sent; empty for none
  Answer answer;
  std::vector<std::uint8_t> warnings;  ///< warning alerts before the ServerHello (unrecognized_name …)
  ByteVec leaf;                        ///< the leaf certificate (DER) when the hello was accepted below TLS 1.3
  std::string leaf_subject;
};

/// Everything one scan learnt, with the raw answers beside the facts.
struct Scan {
  ServerFacts facts;
  Upgrade upgrade = Upgrade::none;
  UpgradeLog upgrade_log;                              ///< the first connection's dialogue
  Flight first;                                        ///< the first connection's answer (the highest version)
  std::map<std::uint16_t, Flight> version_flights;     ///< one per version tried
  std::map<Shape, Answer> shapes;                      ///< each odd hello shape tried and its answer
  std::vector<std::string> notes;                      ///< what was not tried and why
  std::vector<SniHello> sni;                           ///< the SNI check's hellos (the scan's own first)
  std::uint16_t sni_version = 0;                       ///< the version the SNI hellos offered
  OpenSslChecks openssl;
  EngineStats stats;
  std::map<std::string, unsigned> rounds;              ///< connections per round ("version", "suites", "sigalgs", "openssl" …)
};

/// Runs the scan against the URL's host and port, after the upgrade dialogue on every connection.
Scan scan(const Url& url, Upgrade upgrade, const ProbeOptions& options);

/// The SNI to send: --sni, else the URL's host when it is a name (not an address literal).
std::string sni_for(const Url& url, const ProbeOptions& options);

}  // namespace sd::probe::tls

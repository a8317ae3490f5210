// One hello on one connection: the upgrade dialogue, the hello, and the server's answer read up to
// ServerHelloDone (TLS 1.2 and older), the ServerHello or HelloRetryRequest (TLS 1.3), or whatever refused it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "probe/engine/engine.h"
#include "probe/tls/facts.h"
#include "probe/tls/hello.h"
#include "probe/tls/upgrade.h"
#include "wire/tls/messages.h"

namespace sd::probe::tls {

/// The server's answer to one hello.
struct Flight {
  Answer answer;                                              ///< refusal none once a ServerHello came
  std::optional<sd::tls::ServerHello> server_hello;
  std::uint16_t version = 0;                                  ///< negotiated (supported_versions or legacy_version)
  std::optional<std::uint16_t> key_share_group;               ///< TLS 1.3: the ServerHello's share or HRR's selected group
  std::vector<ByteVec> certificates;                          ///< DER, as sent
  std::optional<sd::tls::ServerKeyExchange> key_exchange;
  std::optional<sd::tls::CertificateRequest> certificate_request;
  bool complete = false;                                      ///< reached ServerHelloDone, or a 1.3 ServerHello/HRR
  std::vector<std::uint8_t> warnings;                         ///< warning alerts read before the flight (e.g. unrecognized_name)
  UpgradeLog upgrade;
  bool upgraded = false;                                      ///< the upgrade dialogue succeeded (or there was none)

  /// True when the server answered with a ServerHello (not a HelloRetryRequest).
  bool accepted() const { return server_hello && !server_hello->hello_retry_request; }
  /// The suite the server chose, or 0.
  std::uint16_t suite() const { return server_hello ? server_hello->cipher_suite : 0; }
};

/// Largest server flight kept (certificates included).
inline constexpr std::size_t kFlightCap = 256 * 1024;

/// The conversation for one hello: upgrade, send `hello`, read the answer into `out`.
Conversation hello_conversation(Upgrade upgrade, ByteVec hello, Millis timeout, Flight& out);

/// Fills answer.refusal for a job that ended without a ServerHello, from the engine's outcome.
void settle(Flight& flight, const JobResult& job);

}  // namespace sd::probe::tls

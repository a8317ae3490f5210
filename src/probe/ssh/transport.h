// A real SSH client transport on one engine session: identification, KEXINIT, one key exchange
// (curve25519-sha256, ecdh-sha2-nistp256, diffie-hellman-group14-sha256), the host key signature check, NEWKEYS
// both ways, then protected packets (chacha20-poly1305@openssh.com, aes128-ctr + hmac-sha2-256). It never logs in
// by itself; behavioural probes drive it after NEWKEYS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "probe/engine/session.h"
#include "wire/ssh/crypto.h"
#include "wire/ssh/ident.h"
#include "wire/ssh/kex_exchange.h"
#include "wire/ssh/messages.h"

namespace sd::probe::ssh {

/// What the client offers: one kex, one cipher and MAC, the host key types in order of preference.
struct TransportChoice {
  std::string kex = "curve25519-sha256";
  std::string cipher = "chacha20-poly1305@openssh.com";
  std::string mac = "hmac-sha2-256";  ///< ignored by chacha20-poly1305
  std::vector<std::string> host_keys = {"ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256"};
  bool strict_kex = true;  ///< offer kex-strict-c-v00@openssh.com (OpenSSH's answer to Terrapin)
};

/// What a finished handshake established.
struct Established {
  sd::ssh::Identification server;
  std::string kex;
  std::string host_key_algorithm;    ///< the signature algorithm that verified over H
  std::string host_key_fingerprint;  ///< "SHA256:…" of the host key blob
  std::string cipher;
  std::string mac;          ///< empty for chacha20-poly1305
  bool strict_kex = false;  ///< both sides offered it: sequence numbers restarted at 0 after NEWKEYS
  ByteVec session_id;       ///< H of the first key exchange
};

/// The client end of the SSH binary packet protocol on one session. Keep it alive while its coroutines run.
class ClientTransport {
 public:
  /// A transport on an open session; `timeout` bounds each read.
  ClientTransport(Session& session, Millis timeout, TransportChoice choice);

  /// Identification, KEXINIT, key exchange, signature check and NEWKEYS both ways. Not ok: the outcome and detail
  /// say why (the server's DISCONNECT is Outcome::disconnected; a bad signature is a protocol_error).
  asio::awaitable<Step> handshake();
  /// Frames, protects and sends one payload under the next send sequence number.
  asio::awaitable<Step> send(ByteVec payload);
  /// Reads, opens and decodes one message into `out`; a DISCONNECT is stored and ends the step as disconnected.
  asio::awaitable<Step> receive(sd::ssh::Message& out);

  /// The sequence number the next sent packet carries (what an UNIMPLEMENTED about it must name).
  std::uint32_t next_send_sequence() const { return out_.sequence(); }
  /// What the handshake established; meaningful once handshake() succeeded.
  const Established& established() const { return established_; }
  /// The context for decoding messages whose meaning depends on the method (30–34, 60–61).
  sd::ssh::Context& context() { return context_; }

 private:
  struct Kex;
  asio::awaitable<Step> exchange_identification(std::string& client_id);
  asio::awaitable<Step> read_payload(ByteVec& payload);
  asio::awaitable<Step> finish_kex(Kex& kex);
  Step take_keys(const Kex& kex, const ByteVec& h, const ByteVec& shared_secret);

  Session& session_;
  Millis timeout_;
  TransportChoice choice_;
  sd::ssh::PacketProtection out_;
  sd::ssh::PacketProtection in_;
  sd::ssh::DirectionKeys next_out_;  ///< keys taken into use at our NEWKEYS
  sd::ssh::DirectionKeys next_in_;   ///< keys taken into use at theirs
  sd::ssh::Context context_;
  Established established_;
};

}  // namespace sd::probe::ssh

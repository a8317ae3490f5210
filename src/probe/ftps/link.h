// One TCP connection of the FTPS check, optionally under TLS (OpenSSL), on a non-blocking socket driven by
// poll(): every connect, read, write and handshake has its own timeout, and every read a size cap.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/outcome.h"
#include "probe/ftps/reply.h"

namespace sd::probe::ftps {

using Millis = std::chrono::milliseconds;

/// How one step on a link ended: an outcome from the closed vocabulary and a plain sentence.
struct LinkStep {
  Outcome outcome = Outcome::success;
  std::string detail;
  bool watched = false;  ///< a handshake stopped because the watched link had something to read

  /// True when the step did what was asked.
  bool ok() const { return outcome == Outcome::success && !watched; }
};

/// What a TLS handshake settled on.
struct TlsState {
  std::string version;   ///< "TLSv1.3" …
  std::string cipher;    ///< OpenSSL's name of the suite
  bool resumed = false;  ///< the server accepted the offered session
};

/// A client socket, plain at first, TLS after start_tls(). Not copyable; closes on destruction.
class Link {
 public:
  /// An unconnected link whose every step is bounded by `timeout`.
  explicit Link(Millis timeout);
  ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  /// Connects to host:port (an address literal or a name; the first address that answers).
  LinkStep connect(const std::string& host, std::uint16_t port);
  /// Sends every byte (through TLS once started).
  LinkStep send(std::string_view bytes);
  /// Reads one complete FTP reply into `out`; oversized or malformed replies end the step with an outcome.
  LinkStep read_reply(Reply& out);
  /// Runs a TLS client handshake offering `resume` when given. When `watch` is given, stops early with
  /// `watched` set as soon as that link has bytes to read (a control reply arriving instead of a handshake).
  LinkStep start_tls(SSL_CTX* ctx, const std::string& sni, SSL_SESSION* resume, Link* watch);
  /// Reads until the peer closes or `cap` bytes arrived, adding the byte count to `received`. With `watch`, stops
  /// early with `watched` set when that link has bytes to read (as start_tls does).
  LinkStep read_to_end(std::size_t cap, std::size_t& received, Link* watch);
  /// Sends a TLS close_notify (without waiting for the peer's) and closes the socket.
  void close();

  /// The TLS state after start_tls() succeeded.
  TlsState tls_state() const;
  /// The TLS session to resume on another connection (owned by the caller, SSL_SESSION_free), or nullptr.
  SSL_SESSION* session() const;
  /// The connected peer's address as text ("127.0.0.1", "::1"), empty before connect.
  const std::string& peer_address() const { return peer_; }
  /// True when TLS is running on this link.
  bool secure() const { return ssl_ != nullptr; }
  /// Drops TLS and goes back to clear text on the same socket (after an accepted CCC).
  void clear_tls();

 private:
  enum class Wait { readable, writable };
  LinkStep wait_for(Wait what, std::chrono::steady_clock::time_point until, Link* watch);
  LinkStep ssl_failure(int code, std::string_view doing);
  LinkStep receive_some(std::chrono::steady_clock::time_point until, Link* watch);
  bool has_buffered() const;

  Millis timeout_;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string pending_;
  std::string peer_;
};

/// A client SSL_CTX for probing: every protocol version and suite OpenSSL allows at security level 0, no
/// certificate verification (the check is about the data channel, not trust). nullptr on failure.
SSL_CTX* make_probe_ctx();

}  // namespace sd::probe::ftps

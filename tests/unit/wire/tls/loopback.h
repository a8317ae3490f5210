// Test helper: real TLS peers on 127.0.0.1. Captures the first flight a client sends, and what a server answers.
#pragma once

#include <optional>
#include <string>

#include "core/bytes.h"

namespace sd::test {

/// Listens on 127.0.0.1 (ephemeral port), runs `command` through /bin/sh with every "{port}" replaced, and returns the
/// first complete TLS record (or SSLv2-format hello) the client sends; nullopt on timeout (5 s). The client is killed.
std::optional<ByteVec> capture_client_hello(const std::string& command);

/// A server process started for one test, killed (process group) when it goes out of scope.
class ServerProcess {
 public:
  /// Starts `command` (with "{port}" replaced by a free port) and waits until the port accepts connections (5 s).
  explicit ServerProcess(const std::string& command);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  /// False when the server never came up.
  bool ready() const { return ready_; }
  std::uint16_t port() const { return port_; }

 private:
  int pid_ = -1;
  std::uint16_t port_ = 0;
  bool ready_ = false;
};

/// Connects to 127.0.0.1:port, sends `bytes`, and reads until `enough` says the answer is complete, the peer closes,
/// or 5 s pass. Returns what arrived.
ByteVec exchange(std::uint16_t port, Bytes bytes, bool (*enough)(Bytes received));

/// A directory with a self-signed RSA certificate (cert.pem, key.pem, CN=shakedown-test) made by the openssl CLI.
std::string test_certificate_dir();

/// Runs a shell command and returns its standard output (stderr discarded).
std::string run_capture_output(const std::string& command);

}  // namespace sd::test

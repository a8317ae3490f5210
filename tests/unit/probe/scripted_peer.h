// In-test scripted peers on loopback: a TCP or UDP server thread that runs a small script per connection.
// Every wait is sliced and bounded, so a peer can never keep a test alive past its hard limit.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace sd::probe::testing {

/// One accepted TCP connection as a script sees it.
class PeerConn {
 public:
  PeerConn(int fd, std::function<bool()> stopping, std::function<void()> on_done);
  ~PeerConn();

  /// Sends every byte; false when the client went away or the peer is stopping.
  bool send(std::string_view bytes);
  /// Up to 4096 bytes, or "" on timeout, close or stop.
  std::string read_some(int timeout_ms);
  /// Reads up to and including the next LF within the timeout; "" when none came.
  std::string read_line(int timeout_ms);
  /// Sleeps, returning false early when the peer is stopping.
  bool sleep(int ms);
  /// Sends an RST instead of a FIN (SO_LINGER 0, then close).
  void reset();
  /// Closes with a FIN.
  void close();
  /// Marks this conversation finished for the concurrency count (idempotent).
  void done();
  /// True when the test is over or the peer's hard limit passed.
  bool stopping() const { return stopping_(); }

 private:
  int fd_;
  std::function<bool()> stopping_;
  std::function<void()> on_done_;
  bool done_ = false;
  std::string pending_;
};

/// A TCP server on 127.0.0.1 (or ::1) on an ephemeral port, one thread per accepted connection.
class ScriptedPeer {
 public:
  using Script = std::function<void(PeerConn&)>;
  /// Starts listening; check ok() before use. `hard_limit` bounds the whole peer's life.
  explicit ScriptedPeer(Script script, bool ipv6 = false, std::chrono::milliseconds hard_limit = std::chrono::seconds(20));
  ~ScriptedPeer();
  ScriptedPeer(const ScriptedPeer&) = delete;
  ScriptedPeer& operator=(const ScriptedPeer&) = delete;

  bool ok() const { return listen_fd_ >= 0; }
  std::uint16_t port() const { return port_; }
  /// Connections accepted so far.
  int accepted() const { return accepted_.load(); }
  /// The most conversations that were open at once (counted from accept to done()).
  int max_concurrent() const { return max_active_.load(); }

 private:
  void accept_loop();
  bool stopping() const;

  Script script_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::chrono::steady_clock::time_point hard_deadline_;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::atomic<int> active_{0};
  std::atomic<int> max_active_{0};
  std::mutex threads_mutex_;
  std::vector<std::thread> conn_threads_;
  std::thread acceptor_;
};

/// A UDP server on 127.0.0.1: for each datagram received, the script returns the datagrams to answer with.
class UdpPeer {
 public:
  using Script = std::function<std::vector<std::string>(const std::string& datagram)>;
  explicit UdpPeer(Script script);
  ~UdpPeer();
  bool ok() const { return fd_ >= 0; }
  std::uint16_t port() const { return port_; }
  /// Datagrams received so far.
  int received() const { return received_.load(); }

 private:
  Script script_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> received_{0};
  std::thread thread_;
};

/// A port on 127.0.0.1 that nothing listens on (bound, then closed).
std::uint16_t closed_port();
/// True when this machine can bind a socket to ::1.
bool ipv6_loopback_available();

}  // namespace sd::probe::testing

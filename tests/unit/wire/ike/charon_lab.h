// A private strongSwan charon for live tests (tests/vectors/ike/charon-lab.sh), and a loopback UDP socket.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "core/bytes.h"

namespace sd::ike::test {

/// One charon instance with its own directory, ports, log and vici socket; stopped when destroyed.
class CharonLab {
 public:
  /// Starts charon on port (and port+1 for NAT-T) with this swanctl.conf; ok() tells whether it runs.
  CharonLab(std::uint16_t port, const std::string& swanctl_conf, bool vendor_id = false) {
    if (geteuid() != 0 || !std::filesystem::exists("/usr/lib/ipsec/charon")) return;
    char tmpl[] = "/tmp/sd-ike-lab-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    dir_ = tmpl;
    std::ofstream(dir_ + "/swanctl.conf") << swanctl_conf;
    ok_ = run("start " + dir_ + " " + std::to_string(port) + (vendor_id ? " yes" : " no"));
  }
  ~CharonLab() {
    if (dir_.empty()) return;
    run("stop " + dir_);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  CharonLab(const CharonLab&) = delete;
  CharonLab& operator=(const CharonLab&) = delete;

  /// True when charon started and loaded the configuration.
  bool ok() const { return ok_; }
  /// Asks charon to initiate an IKE SA; returns at once (swanctl runs in the background).
  void initiate(const std::string& ike) const {
    std::system(("swanctl --initiate --uri unix://" + dir_ + "/charon.vici --ike " + ike +
                 " --timeout 4 >/dev/null 2>&1 &").c_str());
  }
  /// The charon log so far.
  std::string log() const {
    std::ifstream in(dir_ + "/charon.log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  /// Waits (at most about 5 s) until the log contains text.
  bool wait_for_log(const std::string& text) const {
    for (int i = 0; i < 50; ++i) {
      if (log().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

 private:
  bool run(const std::string& args) const {
    const std::string script = std::string(SD_SOURCE_DIR) + "/tests/vectors/ike/charon-lab.sh";
    return std::system(("sh " + script + " " + args + " >/dev/null 2>&1").c_str()) == 0;
  }
  std::string dir_;
  bool ok_ = false;
};

/// A UDP socket on 127.0.0.1:port whose reads time out after 5 seconds.
class UdpSocket {
 public:
  explicit UdpSocket(std::uint16_t port) : fd_(socket(AF_INET, SOCK_DGRAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ok_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~UdpSocket() {
    if (fd_ >= 0) close(fd_);
  }
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  /// True when the socket is bound.
  bool ok() const { return ok_; }
  /// The next datagram, or nullopt after the timeout; remembers the sender for reply().
  std::optional<ByteVec> receive() {
    ByteVec buf(65535);
    socklen_t len = sizeof peer_;
    const ssize_t n = recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&peer_), &len);
    if (n < 0) return std::nullopt;
    buf.resize(static_cast<std::size_t>(n));
    return buf;
  }
  /// Sends to the sender of the last datagram received.
  void reply(Bytes data) const {
    sendto(fd_, data.data(), data.size(), 0, reinterpret_cast<const sockaddr*>(&peer_), sizeof peer_);
  }
  /// Sends to 127.0.0.1:port.
  void send_to(std::uint16_t port, Bytes data) const {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sendto(fd_, data.data(), data.size(), 0, reinterpret_cast<const sockaddr*>(&a), sizeof a);
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
  sockaddr_in peer_{};
};

}  // namespace sd::ike::test

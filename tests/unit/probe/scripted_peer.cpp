#include "scripted_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace sd::probe::testing {
namespace {

constexpr int kSliceMs = 20;

/// Binds a socket of `type` to loopback port 0; returns the fd (or -1) and fills the port.
int bind_loopback(int type, bool ipv6, std::uint16_t& port) {
  const int fd = ::socket(ipv6 ? AF_INET6 : AF_INET, type, 0);
  if (fd < 0) return -1;
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage storage{};
  socklen_t len = 0;
  if (ipv6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    len = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&storage);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof *a;
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), len) != 0) {
    ::close(fd);
    return -1;
  }
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &len);
  port = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port : reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
  return fd;
}

/// Waits up to one slice for `events` on fd; true when ready.
bool wait_ready(int fd, short events) {
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, kSliceMs) > 0;
}

}  // namespace

PeerConn::PeerConn(int fd, std::function<bool()> stopping, std::function<void()> on_done)
    : fd_(fd), stopping_(std::move(stopping)), on_done_(std::move(on_done)) {}

PeerConn::~PeerConn() {
  done();
  close();
}

bool PeerConn::send(std::string_view bytes) {
  while (!bytes.empty()) {
    if (fd_ < 0 || stopping()) return false;
    if (!wait_ready(fd_, POLLOUT)) continue;
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string PeerConn::read_some(int timeout_ms) {
  if (!pending_.empty()) return std::exchange(pending_, {});
  for (int waited = 0; waited < timeout_ms && fd_ >= 0 && !stopping(); waited += kSliceMs) {
    if (!wait_ready(fd_, POLLIN)) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) return std::string(buf, static_cast<std::size_t>(n));
    if (n == 0 || (errno != EAGAIN && errno != EINTR)) return {};
  }
  return {};
}

std::string PeerConn::read_line(int timeout_ms) {
  std::string line;
  for (int waited = 0; waited < timeout_ms && !stopping(); waited += kSliceMs) {
    line += read_some(kSliceMs);
    const auto lf = line.find('\n');
    if (lf != std::string::npos) {
      pending_ = line.substr(lf + 1);
      return line.substr(0, lf + 1);
    }
  }
  return {};
}

bool PeerConn::sleep(int ms) {
  for (int slept = 0; slept < ms; slept += kSliceMs) {
    if (stopping()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(kSliceMs, ms - slept)));
  }
  return !stopping();
}

void PeerConn::reset() {
  if (fd_ < 0) return;
  const linger hard{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  close();
}

void PeerConn::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void PeerConn::done() {
  if (done_) return;
  done_ = true;
  on_done_();
}

ScriptedPeer::ScriptedPeer(Script script, bool ipv6, std::chrono::milliseconds hard_limit)
    : script_(std::move(script)), hard_deadline_(std::chrono::steady_clock::now() + hard_limit) {
  listen_fd_ = bind_loopback(SOCK_STREAM, ipv6, port_);
  if (listen_fd_ < 0) return;
  if (::listen(listen_fd_, 64) != 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
    return;
  }
  acceptor_ = std::thread([this] { accept_loop(); });
}

ScriptedPeer::~ScriptedPeer() {
  stop_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  std::lock_guard lock(threads_mutex_);
  for (auto& t : conn_threads_) t.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

bool ScriptedPeer::stopping() const { return stop_.load() || std::chrono::steady_clock::now() > hard_deadline_; }

void ScriptedPeer::accept_loop() {
  while (!stopping()) {
    if (!wait_ready(listen_fd_, POLLIN)) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ++accepted_;
    const int now_active = ++active_;
    int seen = max_active_.load();
    while (now_active > seen && !max_active_.compare_exchange_weak(seen, now_active)) {
    }
    std::lock_guard lock(threads_mutex_);
    conn_threads_.emplace_back([this, fd] {
      PeerConn conn(fd, [this] { return stopping(); }, [this] { --active_; });
      script_(conn);
    });
  }
}

UdpPeer::UdpPeer(Script script) : script_(std::move(script)) {
  fd_ = bind_loopback(SOCK_DGRAM, false, port_);
  if (fd_ < 0) return;
  thread_ = std::thread([this] {
    const auto hard_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!stop_ && std::chrono::steady_clock::now() < hard_deadline) {
      if (!wait_ready(fd_, POLLIN)) continue;
      char buf[65536];
      sockaddr_storage from{};
      socklen_t from_len = sizeof from;
      const ssize_t n = ::recvfrom(fd_, buf, sizeof buf, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n < 0) continue;
      ++received_;
      for (const auto& answer : script_(std::string(buf, static_cast<std::size_t>(n))))
        ::sendto(fd_, answer.data(), answer.size(), 0, reinterpret_cast<sockaddr*>(&from), from_len);
    }
  });
}

UdpPeer::~UdpPeer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) ::close(fd_);
}

std::uint16_t closed_port() {
  std::uint16_t port = 0;
  const int fd = bind_loopback(SOCK_STREAM, false, port);
  if (fd >= 0) ::close(fd);
  return port;
}

bool ipv6_loopback_available() {
  std::uint16_t port = 0;
  const int fd = bind_loopback(SOCK_STREAM, true, port);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

}  // namespace sd::probe::testing

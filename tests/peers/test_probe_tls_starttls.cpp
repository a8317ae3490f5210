// SMTP, IMAP, POP3 and LDAP upgrades end to end. No such server is installed here and `openssl s_server` has no
// -starttls, so a scripted front speaks the pre-TLS dialogue, then relays the socket to a real s_server.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "core/bytes.h"
#include "probe/tls/scan.h"
#include "servers.h"

namespace sd::peers {
namespace {

using probe::tls::Refusal;
using probe::tls::Upgrade;

/// One exchange of the dialogue: read `expect_bytes` bytes (0: one line), then send `reply`.
struct Exchange {
  std::size_t expect_bytes = 0;
  std::string reply;
};

/// Listens on 127.0.0.1; each connection gets the greeting, the exchanges, then a relay to 127.0.0.1:backend.
class StartTlsFront {
 public:
  StartTlsFront(std::string greeting, std::vector<Exchange> exchanges, std::uint16_t backend)
      : greeting_(std::move(greeting)), exchanges_(std::move(exchanges)), backend_(backend) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(fd_, 64) != 0) return;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~StartTlsFront() {
    stop_ = true;
    if (acceptor_.joinable()) acceptor_.join();
    std::lock_guard lock(mutex_);
    for (auto& t : workers_) t.join();
    ::close(fd_);
  }
  std::uint16_t port() const { return port_; }

 private:
  void accept_loop() {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!stop_ && std::chrono::steady_clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::lock_guard lock(mutex_);
      workers_.emplace_back([this, c] { serve(c); ::close(c); });
    }
  }
  // Reads one line or n bytes within 3 s; false on timeout or close.
  static bool read_request(int fd, std::size_t n) {
    std::string got;
    while (n == 0 ? got.find('\n') == std::string::npos : got.size() < n) {
      pollfd p{fd, POLLIN, 0};
      char c = 0;
      if (::poll(&p, 1, 3000) <= 0 || ::read(fd, &c, 1) != 1) return false;
      got.push_back(c);
    }
    return true;
  }
  static void send_all(int fd, const std::string& s) { (void)!::write(fd, s.data(), s.size()); }
  void serve(int client) {
    send_all(client, greeting_);
    for (const auto& e : exchanges_) {
      if (!read_request(client, e.expect_bytes)) return;
      send_all(client, e.reply);
    }
    relay(client);
  }
  // Copies bytes both ways until either side closes or 10 s pass.
  void relay(int client) {
    const int server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(backend_);
    if (::connect(server, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      char buf[16384];
      for (int i = 0; i < 1000 && !stop_; ++i) {
        pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
        if (::poll(p, 2, 10) < 0) break;
        bool closed = false;
        for (int k = 0; k < 2; ++k) {
          if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
          const ssize_t n = ::read(p[k].fd, buf, sizeof buf);
          if (n <= 0) closed = true;
          else send_all(p[1 - k].fd, std::string(buf, static_cast<std::size_t>(n)));
        }
        if (closed) break;
      }
    }
    ::close(server);
  }

  std::string greeting_;
  std::vector<Exchange> exchanges_;
  std::uint16_t backend_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

std::optional<Server> backend(const TempDir& dir, const CertFiles& cert) {
  try {
    return start_s_server(dir, cert, {"-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-naccept", "1000"});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "s_server did not start: %s\n", e.what());
    return std::nullopt;
  }
}

// Scans through the front and checks the upgrade worked and the backend's one suite was found.
void expect_scan_through(const std::string& scheme, Upgrade upgrade, std::string greeting, std::vector<Exchange> dialogue,
                         const std::string& command) {
  TempDir dir("probe-tls-" + scheme);
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto server = backend(dir, cert);
  if (!server) {
    if (std::getenv("CI")) FAIL() << "s_server did not start";
    GTEST_SKIP() << "needs openssl";
  }
  StartTlsFront front(std::move(greeting), std::move(dialogue), server->port);
  ASSERT_NE(front.port(), 0);
  probe::ProbeOptions options;
  options.timeout = milliseconds(4000);
  const probe::Url url{.scheme = scheme, .host = "127.0.0.1", .port = front.port(),
                       .text = scheme + "://127.0.0.1:" + std::to_string(front.port())};
  const auto scan = probe::tls::scan(url, upgrade, options);
  EXPECT_EQ(scan.upgrade_log.command, command);
  EXPECT_EQ(scan.facts.versions.at(0x0303).refusal, Refusal::none);
  EXPECT_EQ(scan.facts.suites.at(0x0303), std::vector<std::uint16_t>{0xc02f});
}

TEST(ProbeTlsStartTls, Smtp) {
  expect_scan_through("smtp", Upgrade::smtp, "220 front ESMTP\r\n",
                      {{0, "250-front\r\n250 STARTTLS\r\n"}, {0, "220 2.0.0 Ready to start TLS\r\n"}}, "STARTTLS");
}

TEST(ProbeTlsStartTls, Imap) {
  expect_scan_through("imap", Upgrade::imap, "* OK [CAPABILITY IMAP4rev1 STARTTLS] front\r\n",
                      {{0, "a OK Begin TLS negotiation now\r\n"}}, "STARTTLS");
}

TEST(ProbeTlsStartTls, Pop3) {
  expect_scan_through("pop3", Upgrade::pop3, "+OK front\r\n", {{0, "+OK Begin TLS\r\n"}}, "STLS");
}

TEST(ProbeTlsStartTls, Ldap) {
  // The ExtendedResponse of RFC 4511 4.14.2: success and the StartTLS OID as responseName.
  const auto bytes = *from_hex("3024020101781f0a0100040004008a16312e332e362e312e342e312e313436362e3230303337");
  const std::string response(bytes.begin(), bytes.end());
  expect_scan_through("ldap", Upgrade::ldap, "", {{31, response}}, "StartTLS");
}

}  // namespace
}  // namespace sd::peers

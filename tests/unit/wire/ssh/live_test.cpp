// Live captures from the real OpenSSH on this machine: sshd started by the test on a loopback high port,
// and the ssh client connecting to a socket the test listens on. Skipped where OpenSSH is not installed.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "wire/ssh/transcript.h"
#include "wire/ssh/writer.h"

namespace sd::ssh {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
constexpr auto kTimeout = std::chrono::seconds(10);

/// A child process, ended (TERM, then KILL) and reaped when it goes out of scope.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv) {
    pid_ = fork();
    if (pid_ != 0) return;
    const int null = open("/dev/null", O_RDWR);
    for (int fd : {0, 1, 2}) dup2(null, fd);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  ~Child() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

 private:
  pid_t pid_ = -1;
};

/// A socket file descriptor closed when it goes out of scope.
struct Socket {
  int fd = -1;
  ~Socket() {
    if (fd >= 0) close(fd);
  }
};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

/// A listening socket on 127.0.0.1 with a kernel-chosen port.
std::uint16_t listen_loopback(Socket& s) {
  s.fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = loopback(0);
  if (bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(s.fd, 1) != 0) return 0;
  socklen_t len = sizeof a;
  getsockname(s.fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

std::uint16_t free_port() {
  Socket s;
  return listen_loopback(s);
}

bool wait_readable(int fd, Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return false;
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, static_cast<int>(left)) == 1;
}

bool connect_with_retries(Socket& s, std::uint16_t port) {
  const auto deadline = Clock::now() + kTimeout;
  while (Clock::now() < deadline) {
    s.fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a = loopback(port);
    if (connect(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return true;
    close(s.fd);
    s.fd = -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

/// Reads until the bytes hold an identification line and one whole packet, or the timeout passes.
Transcript read_banner_and_kexinit(int fd) {
  ByteVec bytes;
  const auto deadline = Clock::now() + kTimeout;
  Transcript t;
  while (wait_readable(fd, deadline)) {
    std::uint8_t buf[4096];
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    bytes.insert(bytes.end(), buf, buf + n);
    t = read_transcript(bytes);
    if (!t.messages.empty() || (t.error && !t.error->need_more())) break;
  }
  return t;
}

void send_all(int fd, const ByteVec& bytes) { ASSERT_EQ(write(fd, bytes.data(), bytes.size()), ssize_t(bytes.size())); }

std::vector<std::string> kex_names(const Transcript& t) {
  return std::get<Kexinit>(t.messages.at(0).body).list(KexList::kex).value;
}
std::vector<std::string> host_key_names(const Transcript& t) {
  return std::get<Kexinit>(t.messages.at(0).body).list(KexList::host_key).value;
}

class LiveOpenSsh : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/sbin/sshd") || !fs::exists("/usr/bin/ssh") || geteuid() != 0) {
      // CI machines are set up by scripts/setup.sh, so there a missing peer is a failure.
      if (std::getenv("CI")) FAIL() << "OpenSSH or root missing on a CI machine";
      GTEST_SKIP() << "needs OpenSSH and root (sshd wants /run/sshd)";
    }
    char tmpl[] = "/tmp/sd-ssh-live-XXXXXX";
    dir_ = mkdtemp(tmpl);
    fs::create_directories("/run/sshd");
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  /// Writes an sshd_config holding one ed25519 host key and the extra lines given.
  std::string sshd_config(const std::string& extra) {
    const std::string key = dir_ + "/host_ed25519";
    const std::string keygen = "ssh-keygen -q -N '' -t ed25519 -f " + key + " >/dev/null 2>&1";
    EXPECT_EQ(std::system(keygen.c_str()), 0);
    const std::string conf = dir_ + "/sshd_config";
    std::ofstream(conf) << "HostKey " << key << "\nListenAddress 127.0.0.1\nPidFile none\nUsePAM no\n" << extra;
    return conf;
  }

  std::string dir_;
};

TEST_F(LiveOpenSsh, SshdWithOneEd25519KeyOffersOnlyThatHostKeyAlgorithm) {
  const std::uint16_t port = free_port();
  Child sshd({"/usr/sbin/sshd", "-D", "-e", "-f", sshd_config("KexAlgorithms curve25519-sha256\n"), "-p",
              std::to_string(port)});
  Socket s;
  ASSERT_TRUE(connect_with_retries(s, port));
  send_all(s.fd, write_identification("shakedown_test"));
  const Transcript t = read_banner_and_kexinit(s.fd);
  ASSERT_TRUE(t.identification.has_value());
  EXPECT_EQ(t.identification->software_version.rfind("OpenSSH_", 0), 0u);
  ASSERT_EQ(t.messages.size(), 1u);
  EXPECT_EQ(host_key_names(t), (std::vector<std::string>{"ssh-ed25519"}));
  // sshd appends its strict-KEX marker to whatever KexAlgorithms allows.
  EXPECT_EQ(kex_names(t), (std::vector<std::string>{"curve25519-sha256", "kex-strict-s-v00@openssh.com"}));
}

TEST_F(LiveOpenSsh, SshClientOffersItsListPlusExtInfoAndStrictKex) {
  Socket listener;
  const std::uint16_t port = listen_loopback(listener);
  ASSERT_NE(port, 0);
  Child ssh({"/usr/bin/ssh", "-o", "BatchMode=yes", "-F", "/dev/null", "-o", "ConnectTimeout=5", "-o",
             "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
             "KexAlgorithms=diffie-hellman-group14-sha256", "-p", std::to_string(port), "127.0.0.1", "true"});
  ASSERT_TRUE(wait_readable(listener.fd, Clock::now() + kTimeout));
  Socket conn;
  conn.fd = accept(listener.fd, nullptr, nullptr);
  ASSERT_GE(conn.fd, 0);
  send_all(conn.fd, write_identification("shakedown_test"));
  const Transcript t = read_banner_and_kexinit(conn.fd);
  ASSERT_TRUE(t.identification.has_value());
  EXPECT_EQ(t.identification->proto_version, "2.0");
  ASSERT_EQ(t.messages.size(), 1u);
  EXPECT_EQ(kex_names(t), (std::vector<std::string>{"diffie-hellman-group14-sha256", "ext-info-c",
                                                    "kex-strict-c-v00@openssh.com"}));
  EXPECT_EQ(host_key_names(t).back(), "rsa-sha2-256");
}

}  // namespace
}  // namespace sd::ssh

#include "loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "wire/tls/parse.h"

namespace sd::test {

namespace {

constexpr int kTimeoutMs = 5000;

std::string with_port(std::string command, std::uint16_t port) {
  for (auto at = command.find("{port}"); at != std::string::npos; at = command.find("{port}"))
    command.replace(at, 6, std::to_string(port));
  return command;
}

int spawn(const std::string& command) {
  const int pid = fork();
  if (pid == 0) {
    setsid();
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

void stop(int pid) {
  if (pid <= 0) return;
  kill(-pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

/// A listening socket on an ephemeral loopback port.
int listen_any(std::uint16_t& port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = loopback(0);
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd, 4) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    return -1;
  }
  port = ntohs(a.sin_port);
  return fd;
}

bool wait_readable(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, ms) == 1;
}

/// Reads into `got` until `enough` holds, the peer closes, or the deadline passes. Bounded by the deadline.
void read_until(int fd, ByteVec& got, bool (*enough)(Bytes)) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
  std::array<std::uint8_t, 4096> buf{};
  while (!enough(got) && got.size() < (1u << 20)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0 || !wait_readable(fd, static_cast<int>(left))) return;
    const ssize_t n = read(fd, buf.data(), buf.size());
    if (n <= 0) return;
    got.insert(got.end(), buf.begin(), buf.begin() + n);
  }
}

bool one_record(Bytes b) {
  Reader r = Reader::stream(b);
  if (tls::looks_like_sslv2_client_hello(b)) return tls::read_sslv2_client_hello(r).ok();
  return tls::read_record(r).ok();
}

}  // namespace

std::optional<ByteVec> capture_client_hello(const std::string& command) {
  std::uint16_t port = 0;
  const int listener = listen_any(port);
  if (listener < 0) return std::nullopt;
  const int pid = spawn(with_port(command, port) + " >/dev/null 2>&1");
  std::optional<ByteVec> out;
  if (wait_readable(listener, kTimeoutMs)) {
    const int conn = accept(listener, nullptr, nullptr);
    ByteVec got;
    read_until(conn, got, one_record);
    if (one_record(got)) out = got;
    close(conn);
  }
  close(listener);
  stop(pid);
  return out;
}

ServerProcess::ServerProcess(const std::string& command) {
  const int probe = listen_any(port_);
  close(probe);
  pid_ = spawn(with_port(command, port_) + " >/dev/null 2>&1");
  for (int i = 0; i < 50 && !ready_; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a = loopback(port_);
    ready_ = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
  }
}

ServerProcess::~ServerProcess() { stop(pid_); }

ByteVec exchange(std::uint16_t port, Bytes bytes, bool (*enough)(Bytes)) {
  ByteVec got;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = loopback(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()))
    read_until(fd, got, enough);
  close(fd);
  return got;
}

std::string run_capture_output(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  pclose(p);
  return out;
}

std::string test_certificate_dir() {
  static const std::string dir = [] {
    const std::string d = std::string(SD_BINARY_DIR) + "/test-tls-cert-" + std::to_string(getpid());
    std::filesystem::create_directories(d);
    if (!std::filesystem::exists(d + "/cert.pem"))
      run_capture_output("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=shakedown-test -keyout " + d +
                         "/key.pem -out " + d + "/cert.pem");
    return d;
  }();
  return dir;
}

}  // namespace sd::test

// Link: a non-blocking socket with poll() waits, OpenSSL on top once TLS starts. Every wait has a deadline.
#include "probe/ftps/link.h"

#include <fmt/format.h>
#include <netdb.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace sd::probe::ftps {
namespace {

using Clock = std::chrono::steady_clock;

// The replies of one command never need more than this many bytes buffered.
constexpr std::size_t kMaxPending = kMaxLineBytes * 8;

LinkStep fail(Outcome outcome, std::string detail) { return {outcome, std::move(detail), false}; }

// The outcome for a socket errno seen while connected.
Outcome outcome_of_errno(int error) {
  switch (error) {
    case ECONNRESET: case EPIPE: return Outcome::reset_by_peer;
    case ECONNREFUSED: return Outcome::connection_refused;
    case ENETUNREACH: case EHOSTUNREACH: return Outcome::unreachable;
    case ETIMEDOUT: return Outcome::io_timeout;
    default: return Outcome::protocol_error;
  }
}

// Everything on OpenSSL's error queue as one line (the queue is emptied).
std::string openssl_errors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    std::array<char, 256> buf{};
    ERR_error_string_n(e, buf.data(), buf.size());
    out += (out.empty() ? "" : "; ") + std::string(buf.data());
  }
  return out;
}

int remaining_ms(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<Millis>(until - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
}

// Waits for a non-blocking connect to finish; 0 or the socket error.
int finish_connect(int fd, Clock::time_point until) {
  pollfd p{fd, POLLOUT, 0};
  int ready = 0;
  do ready = ::poll(&p, 1, remaining_ms(until));
  while (ready < 0 && errno == EINTR);
  if (ready == 0) return ETIMEDOUT;
  int error = 0;
  socklen_t len = sizeof(error);
  if (ready < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) return errno;
  return error;
}

std::string numeric_host(const sockaddr* address, socklen_t len) {
  std::array<char, NI_MAXHOST> host{};
  if (::getnameinfo(address, len, host.data(), host.size(), nullptr, 0, NI_NUMERICHOST) != 0) return {};
  return host.data();
}

}  // namespace

Link::Link(Millis timeout) : timeout_(timeout) {}

Link::~Link() { close(); }

LinkStep Link::connect(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || !found)
    return fail(Outcome::dns_failure, fmt::format("{} does not resolve", host));
  LinkStep last = fail(Outcome::unreachable, "no address to connect to");
  for (const addrinfo* a = found; a && fd_ < 0; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int error = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0 ? 0
                      : errno == EINPROGRESS ? finish_connect(fd, Clock::now() + timeout_) : errno;
    if (error == 0) {
      fd_ = fd;
      peer_ = numeric_host(a->ai_addr, a->ai_addrlen);
      last = {};
      break;
    }
    ::close(fd);
    last = error == ETIMEDOUT ? fail(Outcome::connect_timeout, fmt::format("no answer to connect within {} ms", timeout_.count()))
                              : fail(outcome_of_errno(error), fmt::format("connect: {}", std::strerror(error)));
  }
  ::freeaddrinfo(found);
  return last;
}

bool Link::has_buffered() const { return !pending_.empty() || (ssl_ && SSL_pending(ssl_) > 0); }

LinkStep Link::wait_for(Wait what, Clock::time_point until, Link* watch) {
  if (watch && watch->has_buffered()) return {Outcome::success, "", true};
  std::array<pollfd, 2> fds{{{fd_, static_cast<short>(what == Wait::readable ? POLLIN : POLLOUT), 0},
                             {watch ? watch->fd_ : -1, POLLIN, 0}}};
  int ready = 0;
  do ready = ::poll(fds.data(), watch ? 2 : 1, remaining_ms(until));
  while (ready < 0 && errno == EINTR);
  if (ready < 0) return fail(Outcome::protocol_error, fmt::format("poll: {}", std::strerror(errno)));
  if (ready == 0) return fail(Outcome::io_timeout, fmt::format("no progress within {} ms", timeout_.count()));
  if (watch && fds[1].revents != 0) return {Outcome::success, "", true};
  return {};
}

LinkStep Link::ssl_failure(int code, std::string_view doing) {
  const int saved = errno;
  const std::string errors = openssl_errors();
  if (code == SSL_ERROR_ZERO_RETURN) return fail(Outcome::closed_by_peer, fmt::format("{}: the peer closed TLS", doing));
  if (code == SSL_ERROR_SYSCALL && saved != 0 && saved != EAGAIN)
    return fail(outcome_of_errno(saved), fmt::format("{}: {}", doing, std::strerror(saved)));
  if (code == SSL_ERROR_SYSCALL || errors.find("unexpected eof") != std::string::npos)
    return fail(Outcome::closed_by_peer, fmt::format("{}: the peer closed the connection", doing));
  const bool alert = errors.find("alert") != std::string::npos;
  return fail(alert ? Outcome::handshake_alert : Outcome::protocol_error, fmt::format("{}: {}", doing, errors));
}

LinkStep Link::send(std::string_view bytes) {
  const auto until = Clock::now() + timeout_;
  while (!bytes.empty()) {
    if (ssl_) {
      ERR_clear_error();
      const int n = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
      if (n > 0) { bytes.remove_prefix(static_cast<std::size_t>(n)); continue; }
      const int code = SSL_get_error(ssl_, n);
      if (code != SSL_ERROR_WANT_READ && code != SSL_ERROR_WANT_WRITE) return ssl_failure(code, "send");
      const auto w = wait_for(code == SSL_ERROR_WANT_READ ? Wait::readable : Wait::writable, until, nullptr);
      if (!w.ok()) return w;
      continue;
    }
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) { bytes.remove_prefix(static_cast<std::size_t>(n)); continue; }
    if (n < 0 && errno != EAGAIN && errno != EINTR)
      return fail(outcome_of_errno(errno), fmt::format("send: {}", std::strerror(errno)));
    const auto w = wait_for(Wait::writable, until, nullptr);
    if (!w.ok()) return w;
  }
  return {};
}

LinkStep Link::receive_some(Clock::time_point until, Link* watch) {
  std::array<char, 4096> buf{};
  while (true) {
    if (ssl_) {
      ERR_clear_error();
      errno = 0;
      const int n = SSL_read(ssl_, buf.data(), static_cast<int>(buf.size()));
      if (n > 0) { pending_.append(buf.data(), static_cast<std::size_t>(n)); return {}; }
      const int code = SSL_get_error(ssl_, n);
      if (code != SSL_ERROR_WANT_READ && code != SSL_ERROR_WANT_WRITE) return ssl_failure(code, "read");
      const auto w = wait_for(code == SSL_ERROR_WANT_READ ? Wait::readable : Wait::writable, until, watch);
      if (!w.ok()) return w;
      continue;
    }
    const ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n > 0) { pending_.append(buf.data(), static_cast<std::size_t>(n)); return {}; }
    if (n == 0) return fail(Outcome::closed_by_peer, "the peer closed the connection");
    if (errno != EAGAIN && errno != EINTR) return fail(outcome_of_errno(errno), fmt::format("read: {}", std::strerror(errno)));
    const auto w = wait_for(Wait::readable, until, watch);
    if (!w.ok()) return w;
  }
}

LinkStep Link::read_reply(Reply& out) {
  const auto until = Clock::now() + timeout_;
  while (true) {
    const auto bytes = Bytes(reinterpret_cast<const std::uint8_t*>(pending_.data()), pending_.size());
    auto parsed = parse_reply(bytes);
    if (parsed) {
      out = std::move(parsed.value());
      pending_.erase(0, out.size);
      return {};
    }
    if (!parsed.error().need_more())
      return fail(Outcome::protocol_error, fmt::format("not an FTP reply: {}", parsed.error().message));
    if (pending_.size() > kMaxPending) return fail(Outcome::oversized, "the reply is longer than the cap");
    const auto step = receive_some(until, nullptr);
    if (!step.ok()) return step;
  }
}

LinkStep Link::start_tls(SSL_CTX* ctx, const std::string& sni, SSL_SESSION* resume, Link* watch) {
  if (!ssl_) {
    ssl_ = SSL_new(ctx);
    if (!ssl_ || SSL_set_fd(ssl_, fd_) != 1) return fail(Outcome::protocol_error, "cannot set up TLS: " + openssl_errors());
    if (!sni.empty()) SSL_set_tlsext_host_name(ssl_, sni.c_str());
    if (resume) SSL_set_session(ssl_, resume);
  }
  const auto until = Clock::now() + timeout_;
  while (true) {
    ERR_clear_error();
    errno = 0;
    const int r = SSL_connect(ssl_);
    if (r == 1) return {};
    const int code = SSL_get_error(ssl_, r);
    if (code != SSL_ERROR_WANT_READ && code != SSL_ERROR_WANT_WRITE) return ssl_failure(code, "TLS handshake");
    const auto w = wait_for(code == SSL_ERROR_WANT_READ ? Wait::readable : Wait::writable, until, watch);
    if (!w.ok()) return w;
  }
}

LinkStep Link::read_to_end(std::size_t cap, std::size_t& received, Link* watch) {
  const auto until = Clock::now() + timeout_;
  while (true) {
    received += pending_.size();
    pending_.clear();
    if (received > cap) return fail(Outcome::oversized, fmt::format("more than {} bytes on the data connection", cap));
    const auto step = receive_some(until, watch);
    if (step.outcome == Outcome::closed_by_peer) return {};
    if (!step.ok()) return step;
  }
}

void Link::clear_tls() {
  if (!ssl_) return;
  const auto until = Clock::now() + timeout_;
  for (int round = 0; round < 8; ++round) {
    ERR_clear_error();
    const int r = SSL_shutdown(ssl_);
    if (r == 1) break;
    const int code = r == 0 ? SSL_ERROR_WANT_READ : SSL_get_error(ssl_, r);
    if (code != SSL_ERROR_WANT_READ && code != SSL_ERROR_WANT_WRITE) break;
    if (r != 0 && !wait_for(code == SSL_ERROR_WANT_READ ? Wait::readable : Wait::writable, until, nullptr).ok()) break;
  }
  ERR_clear_error();
  SSL_free(ssl_);
  ssl_ = nullptr;
}

void Link::close() {
  if (ssl_) {
    ERR_clear_error();
    SSL_shutdown(ssl_);
    ERR_clear_error();
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  pending_.clear();
}

TlsState Link::tls_state() const {
  if (!ssl_) return {};
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_);
  return {SSL_get_version(ssl_), cipher ? SSL_CIPHER_get_name(cipher) : "", SSL_session_reused(ssl_) == 1};
}

SSL_SESSION* Link::session() const { return ssl_ ? SSL_get1_session(ssl_) : nullptr; }

SSL_CTX* make_probe_ctx() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) return nullptr;
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
  SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  return ctx;
}

}  // namespace sd::probe::ftps

// The FTPS data-channel conversation: control connection, login, PBSZ/PROT, two LISTs over TLS data
// connections (resumed and fresh session), PROT C, and CCC last. Read-only commands only.
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include <csignal>
#include <ctime>
#include <memory>

#include "probe/ftps/credentials.h"
#include "probe/ftps/ftps_data.h"
#include "probe/ftps/link.h"

namespace sd::probe::ftps {
namespace {

// The most bytes of a directory listing read (and discarded: only the count is kept).
constexpr std::size_t kListingCap = 1 << 20;

// Blocks SIGPIPE in this thread while the check runs (OpenSSL writes with write(), which raises it on a closed
// socket) and discards any that became pending before unblocking.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlock() {
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t old_{};
};

struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SessionFree {
  void operator()(SSL_SESSION* s) const { SSL_SESSION_free(s); }
};

// True for an IPv4 or IPv6 literal, which is never sent as SNI.
bool is_address(const std::string& host) {
  return host.find_first_not_of("0123456789.") == std::string::npos || host.find(':') != std::string::npos;
}

class Conversation {
 public:
  Conversation(DataChannelResult& result, const Url& url, const ProbeOptions& options)
      : r_(result), url_(url), options_(options), control_(std::make_unique<Link>(options.timeout)),
        ctx_(make_probe_ctx()), sni_(!options.sni.empty() ? options.sni : is_address(url.host) ? std::string() : url.host) {}

  void run() {
    if (!ctx_) {
      stop("setup", {Outcome::protocol_error, "OpenSSL could not create a client context", false});
      return;
    }
    if (!open_control() || !login()) return;
    protect_data();
    if (r_.prot_p_accepted == true) attempt("resumed");
    try_prot_c();
    // Last among the data tests: some servers (vsftpd) end the whole session when a data handshake is refused.
    if (r_.prot_p_accepted == true) attempt("fresh");
    conclude_reuse();
    try_ccc();
    quit();
    if (r_.outcome.empty()) r_.outcome = "success";
  }

 private:
  // Ends the check early at `step`.
  bool stop(std::string_view step, const LinkStep& why) {
    r_.outcome = std::string(to_string(why.outcome));
    r_.stopped_at = std::string(step);
    r_.detail = why.detail;
    return false;
  }

  void record(bool sent, std::string text) { r_.control.push_back({sent, std::move(text)}); }

  // Sends one command (shown as `shown` in the transcript) and reads its reply.
  LinkStep exchange(const std::string& command, Reply& reply, std::string_view shown = {}) {
    record(true, shown.empty() ? command : std::string(shown));
    std::string line = command + "\r\n";
    const auto sent = control_->send(line);
    if (!shown.empty()) OPENSSL_cleanse(line.data(), line.size());  // a line shown redacted carries a secret
    if (!sent.ok()) return lost(sent);
    return receive(reply);
  }

  LinkStep receive(Reply& reply) {
    const auto step = control_->read_reply(reply);
    if (step.ok()) record(false, reply.text());
    return step.ok() ? step : lost(step);
  }

  // Notes a control-connection failure in the transcript, where the conversation stopped.
  LinkStep lost(const LinkStep& step) {
    alive_ = false;
    record(false, fmt::format("({}: {})", to_string(step.outcome), step.detail));
    return step;
  }

  bool open_control() {
    ++r_.connections;
    auto step = control_->connect(url_.host, url_.port);
    if (!step.ok()) return stop("connect", step);
    if (r_.implicit && !secure_control()) return false;
    Reply banner;
    step = receive(banner);
    if (!step.ok()) return stop("banner", step);
    r_.banner = banner.text();
    if (banner.code != 220) return stop("banner", {Outcome::protocol_error, "the greeting is not 220: " + r_.banner, false});
    return r_.implicit || (negotiate_auth() && secure_control());
  }

  // AUTH TLS, then AUTH SSL when refused; true when one was accepted.
  bool negotiate_auth() {
    Reply reply;
    auto step = exchange("AUTH TLS", reply);
    if (!step.ok()) return stop("auth", step);
    r_.auth_tls = reply.code == 234;
    if (*r_.auth_tls) return true;
    step = exchange("AUTH SSL", reply);
    if (!step.ok()) return stop("auth", step);
    r_.auth_ssl = reply.code == 234 || reply.code == 334;
    if (*r_.auth_ssl) return true;
    return stop("auth", {Outcome::plaintext_reply, "the server refused AUTH TLS and AUTH SSL: " + reply.text(), false});
  }

  bool secure_control() {
    const auto step = control_->start_tls(ctx_.get(), sni_, nullptr, nullptr);
    if (!step.ok()) return stop("control-handshake", step);
    const auto state = control_->tls_state();
    r_.control_tls_version = state.version;
    r_.control_cipher = state.cipher;
    return true;
  }

  bool login() {
    Reply feat;
    if (!exchange("FEAT", feat).ok()) return stop("feat", {Outcome::closed_by_peer, "no reply to FEAT", false});
    r_.features = parse_features(feat);
    if (feat.code == 211) r_.ccc_advertised = has_feature(r_.features, "CCC");
    r_.login_user = options_.user.empty() ? "anonymous" : options_.user;
    Reply reply;
    auto step = exchange("USER " + r_.login_user, reply);
    if (!step.ok()) return stop("login", step);
    if (reply.code == 331 && !send_password(reply)) return false;
    r_.login_reply = reply.text();
    r_.logged_in = reply.code == 230;
    if (!*r_.logged_in) return stop("login", {Outcome::protocol_error, "login refused: " + reply.text(), false});
    return true;
  }

  bool send_password(Reply& reply) {
    std::string error;
    // The anonymous password is by convention an e-mail-like word, not a secret; it is redacted all the same.
    std::optional<Secret> secret =
        options_.user.empty() ? std::optional<Secret>(Secret("shakedown@")) : read_password(options_, error);
    if (!secret) return stop("login", {Outcome::protocol_error, error, false});
    std::string command = "PASS " + secret->reveal();
    const auto step = exchange(command, reply, "PASS ****");
    OPENSSL_cleanse(command.data(), command.size());
    return step.ok() || stop("login", step);
  }

  void protect_data() {
    Reply reply;
    if (!exchange("PBSZ 0", reply).ok()) return;
    r_.pbsz_reply = reply.text();
    if (!exchange("PROT P", reply).ok()) return;
    r_.prot_p_reply = reply.text();
    r_.prot_p_accepted = reply.positive();
  }

  // PASV or EPSV; fills the attempt's address; false when neither gave one.
  bool enter_passive(DataAttempt& a, bool prefer_pasv) {
    const bool v4 = control_->peer_address().find(':') == std::string::npos;
    const std::vector<std::string> order = prefer_pasv && v4 ? std::vector<std::string>{"PASV", "EPSV"}
                                                              : std::vector<std::string>{"EPSV", "PASV"};
    for (const auto& command : order) {
      Reply reply;
      if (!exchange(command, reply).ok()) return false;
      a.passive_command = command;
      a.passive_reply = reply.text();
      if (command == "EPSV") r_.epsv_accepted = reply.code == 229;
      if (take_address(a, command, reply)) return true;
    }
    return false;
  }

  bool take_address(DataAttempt& a, const std::string& command, const Reply& reply) {
    a.data_host = control_->peer_address();
    if (command == "EPSV") {
      const auto port = parse_epsv(reply);
      if (port) a.data_port = *port;
      return port.ok();
    }
    const auto address = parse_pasv(reply);
    if (!address) return false;
    a.announced_host = address->host();
    a.data_port = address->port;
    const bool differs = a.announced_host != a.data_host;
    r_.pasv_address_differs = r_.pasv_address_differs.value_or(false) || differs;
    return true;
  }

  void attempt(const std::string& mode) {
    if (!alive_) return;
    DataAttempt a;
    a.mode = mode;
    if (enter_passive(a, r_.attempts.empty())) list_on(a);
    r_.attempts.push_back(std::move(a));
  }

  // LIST on one passive data connection: TLS unless the attempt is "clear"; the replies verbatim.
  void list_on(DataAttempt& a) {
    Link data(options_.timeout);
    ++r_.connections;
    const auto connected = data.connect(a.data_host, a.data_port);
    a.connect_outcome = std::string(to_string(connected.outcome));
    if (!connected.ok()) return;
    record(true, "LIST");
    if (const auto sent = control_->send("LIST\r\n"); !sent.ok()) return void(lost(sent));
    if (a.mode == "clear" || secure_data(a, data)) read_listing(a, data);
    data.close();
    finish_list(a);
  }

  // The data handshake, offering the control session for the "resumed" attempt; false when it did not complete.
  bool secure_data(DataAttempt& a, Link& data) {
    const std::unique_ptr<SSL_SESSION, SessionFree> offered(a.mode == "resumed" ? control_->session() : nullptr);
    auto step = data.start_tls(ctx_.get(), sni_, offered.get(), control_.get());
    if (step.watched && !take_preliminary(a)) return false;
    if (step.watched) step = data.start_tls(ctx_.get(), sni_, nullptr, nullptr);
    a.tls_outcome = std::string(to_string(step.outcome));
    if (!step.ok()) {
      a.tls_detail = step.detail;
      return false;
    }
    const auto state = data.tls_state();
    a.tls_version = state.version;
    a.cipher = state.cipher;
    if (a.mode == "resumed") a.session_reused = state.resumed;
    return true;
  }

  // A control reply came while the data connection waited: 1xx lets it go on; anything else ends the attempt.
  bool take_preliminary(DataAttempt& a) {
    Reply reply;
    if (!receive(reply).ok()) return false;
    if (reply.preliminary()) {
      a.preliminary_reply = reply.text();
      return true;
    }
    a.final_reply = reply.text();
    return false;
  }

  void read_listing(DataAttempt& a, Link& data) {
    Link* watch = a.preliminary_reply.empty() ? control_.get() : nullptr;
    auto read = data.read_to_end(kListingCap, a.listing_bytes, watch);
    if (read.watched && !take_preliminary(a)) return;
    if (read.watched) read = data.read_to_end(kListingCap, a.listing_bytes, nullptr);
    if (!read.ok()) a.tls_detail = read.detail;
    a.succeeded = read.ok();
  }

  // Reads the replies to LIST that have not come yet: the 1xx if it did not, then the final one.
  void finish_list(DataAttempt& a) {
    if (!a.final_reply.empty()) return void(a.succeeded = false);
    Reply reply;
    if (!receive(reply).ok()) return void(a.succeeded = false);
    if (reply.preliminary() && a.preliminary_reply.empty()) {
      a.preliminary_reply = reply.text();
      if (!receive(reply).ok()) return void(a.succeeded = false);
    }
    a.final_reply = reply.text();
    a.succeeded = a.succeeded && reply.positive();
  }

  void conclude_reuse() {
    const DataAttempt* resumed_attempt = r_.attempt("resumed");
    const DataAttempt* fresh_attempt = r_.attempt("fresh");
    if (!resumed_attempt || !fresh_attempt) return;
    const auto& resumed = *resumed_attempt;
    const auto& fresh = *fresh_attempt;
    if (resumed.succeeded && fresh.succeeded) r_.requires_session_reuse = false;
    if (resumed.succeeded && resumed.session_reused == true && !fresh.succeeded && !fresh.final_reply.empty())
      r_.requires_session_reuse = true;
  }

  void try_prot_c() {
    Reply reply;
    if (!alive_) return;
    if (!exchange("PROT C", reply).ok()) return;
    r_.prot_c_reply = reply.text();
    r_.prot_c_accepted = reply.positive();
    if (!reply.positive()) return;
    // The command may be taken and the transfer refused (vsftpd force_*_data_ssl): list once in clear to know.
    attempt("clear");
    const DataAttempt* clear = r_.attempt("clear");
    r_.prot_c_accepted = clear && clear->succeeded;
    if (alive_) exchange("PROT P", reply);  // the fresh attempt still wants a protected channel
  }

  // CCC as the very last command; on a new control connection when the server closed the first one.
  void try_ccc() {
    if (r_.ccc_advertised != true || (!alive_ && !reconnect())) return;
    Reply reply;
    if (!exchange("CCC", reply).ok()) return;
    r_.ccc_reply = reply.text();
    r_.ccc_accepted = reply.positive();
    if (*r_.ccc_accepted) control_->clear_tls();
  }

  bool reconnect() {
    control_ = std::make_unique<Link>(options_.timeout);
    alive_ = true;
    return open_control() && login();
  }

  void quit() {
    Reply reply;
    if (alive_) exchange("QUIT", reply);
    control_->close();
  }

  DataChannelResult& r_;
  const Url& url_;
  const ProbeOptions& options_;
  std::unique_ptr<Link> control_;
  bool alive_ = true;  // the control connection still works
  std::unique_ptr<SSL_CTX, CtxFree> ctx_;
  std::string sni_;
};

}  // namespace

DataChannelResult check_data_channel(const Url& url, const ProbeOptions& options, bool implicit) {
  const SigpipeBlock no_sigpipe;
  DataChannelResult result;
  result.target = url.text;
  result.implicit = implicit;
  Conversation(result, url, options).run();
  return result;
}

}  // namespace sd::probe::ftps

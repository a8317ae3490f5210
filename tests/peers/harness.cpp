#include "harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "core/bytes.h"

extern char** environ;

namespace sd::peers {
namespace {

using Clock = std::chrono::steady_clock;

bool env_is(const char* name, std::string_view value) {
  const char* v = std::getenv(name);
  return v != nullptr && value == v;
}

void pause_briefly() { std::this_thread::sleep_for(milliseconds(25)); }

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// A socket bound to 127.0.0.1:port (0 = any); -1 when the port is taken.
int bind_loopback(std::uint16_t port, bool udp) {
  const int fd = ::socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
  if (fd < 0) return -1;
  const sockaddr_in a = loopback(port);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::uint16_t bound_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const sockaddr_in a = loopback(port);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// True when the proc table (/proc/<pid>/net/tcp or tcp6) lists a socket on `port` in LISTEN state. No
// connection is made, so the server's log stays free of probe connections.
bool tcp_listening(const fs::path& table, std::uint16_t port) {
  std::ifstream in(table);
  std::string line;
  char want[8];
  std::snprintf(want, sizeof want, ":%04X", port);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    if (state == "0A" && local.size() > 5 && local.ends_with(want)) return true;
  }
  return false;
}

// argv/envp arrays for execve, built before fork.
struct ExecArrays {
  std::vector<std::string> env_store;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

ExecArrays exec_arrays(const Launch& l) {
  ExecArrays a;
  for (char** e = environ; *e != nullptr; ++e) a.env_store.emplace_back(*e);
  a.env_store.insert(a.env_store.end(), l.env.begin(), l.env.end());
  for (const auto& s : l.argv) a.argv.push_back(const_cast<char*>(s.c_str()));
  a.argv.push_back(nullptr);
  for (auto& s : a.env_store) a.envp.push_back(s.data());
  a.envp.push_back(nullptr);
  return a;
}

void child_fail(const char* what) {
  const int e = errno;
  (void)!::write(2, what, std::strlen(what));
  (void)!::write(2, ": ", 2);
  const char* msg = std::strerror(e);
  (void)!::write(2, msg, std::strlen(msg));
  (void)!::write(2, "\n", 1);
  ::_exit(127);
}

// In the child: own process group, die with the test, private /run if asked, output to the log file.
// In the child: a fresh network namespace whose loopback interface is up (it starts down).
void enter_private_net() {
  if (::unshare(CLONE_NEWNET) != 0) child_fail("unshare(CLONE_NEWNET)");
  const int s = ::socket(AF_INET, SOCK_DGRAM, 0);
  ifreq r{};
  std::strncpy(r.ifr_name, "lo", IFNAMSIZ - 1);
  if (s < 0 || ::ioctl(s, SIOCGIFFLAGS, &r) != 0) child_fail("SIOCGIFFLAGS lo");
  r.ifr_flags |= IFF_UP;
  if (::ioctl(s, SIOCSIFFLAGS, &r) != 0) child_fail("SIOCSIFFLAGS lo up");
  ::close(s);
}

void join_net(const fs::path& ns) {
  const int fd = ::open(ns.c_str(), O_RDONLY);
  if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) child_fail("setns(net)");
  ::close(fd);
}

[[noreturn]] void exec_child(const Launch& l, const ExecArrays& a, int out_fd, int err_fd) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  const int null_fd = ::open("/dev/null", O_RDONLY);
  ::dup2(null_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  if (l.private_run) {
    if (::unshare(CLONE_NEWNS) != 0) child_fail("unshare(CLONE_NEWNS)");
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) child_fail("mount private /");
    if (::mount(l.private_run->c_str(), "/run", nullptr, MS_BIND, nullptr) != 0) child_fail("bind /run");
  }
  if (l.private_net) enter_private_net();
  if (l.join_net) join_net(*l.join_net);
  if (l.workdir && ::chdir(l.workdir->c_str()) != 0) child_fail("chdir");
  ::close_range(3, ~0U, 0);
  ::execve(a.argv[0], a.argv.data(), a.envp.data());
  child_fail(a.argv[0]);
  ::_exit(127);
}

int open_log(const fs::path& file) {
  return ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

// ---- files and ports -------------------------------------------------------------------------------------

TempDir::TempDir(std::string_view tag) {
  std::string tmpl = "/tmp/sd-peers-" + std::string(tag) + "-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + tmpl);
  path_ = tmpl;
}

TempDir::~TempDir() {
  if (env_is("SD_KEEP_PEERS", "1")) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path TempDir::subdir(std::string_view name) const {
  const fs::path p = path_ / name;
  fs::create_directories(p);
  return p;
}

std::uint16_t free_port(bool udp) {
  const int fd = bind_loopback(0, udp);
  if (fd < 0) throw std::runtime_error("cannot bind 127.0.0.1:0");
  const std::uint16_t port = bound_port(fd);
  ::close(fd);
  return port;
}

std::uint16_t free_port_range(int span, bool udp) {
  for (int attempt = 0; attempt < 64; ++attempt) {
    const std::uint16_t first = free_port(udp);
    if (first + span > 65535) continue;
    bool all_free = true;
    for (int i = 1; i < span && all_free; ++i) {
      const int fd = bind_loopback(static_cast<std::uint16_t>(first + i), udp);
      all_free = fd >= 0;
      if (fd >= 0) ::close(fd);
    }
    if (all_free) return first;
  }
  throw std::runtime_error("no free port range");
}

void write_text(const fs::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string render_template(std::string_view name, const std::map<std::string, std::string>& vars) {
  const fs::path file = fs::path(SD_SOURCE_DIR) / "tests/peers/conf" / name;
  std::string text = read_text(file);
  if (text.empty()) throw std::runtime_error("missing template " + file.string());
  for (const auto& [key, value] : vars) {
    const std::string mark = "@" + key + "@";
    for (auto at = text.find(mark); at != std::string::npos; at = text.find(mark, at + value.size()))
      text.replace(at, mark.size(), value);
  }
  std::smatch left;
  if (std::regex_search(text, left, std::regex("@[A-Z_]+@")))
    throw std::runtime_error("unfilled placeholder " + left.str() + " in " + std::string(name));
  return text;
}

// ---- processes -------------------------------------------------------------------------------------------

Process::Process(const Launch& launch) {
  if (launch.argv.empty()) throw std::runtime_error("empty argv");
  const ExecArrays arrays = exec_arrays(launch);
  const int out_fd = open_log(launch.output);
  const int err_fd = launch.errors ? open_log(*launch.errors) : ::dup(out_fd);
  if (out_fd < 0 || err_fd < 0) throw std::runtime_error("cannot open " + launch.output.string());
  pid_ = ::fork();
  if (pid_ == 0) exec_child(launch, arrays, out_fd, err_fd);
  ::close(out_fd);
  ::close(err_fd);
  if (pid_ < 0) throw std::runtime_error("fork failed");
  ::setpgid(pid_, pid_);
}

Process::~Process() { stop(); }

bool Process::running() { return !wait(milliseconds(0)).has_value(); }

std::optional<int> Process::wait(milliseconds limit) {
  if (status_) return status_;
  const auto deadline = Clock::now() + limit;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      status_ = decode_status(status);
      return status_;
    }
    if (r < 0) {
      status_ = -1;
      return status_;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    pause_briefly();
  }
}

void Process::stop() {
  if (pid_ <= 0) return;
  if (!status_) {
    ::kill(-pid_, SIGTERM);
    if (!wait(milliseconds(3000))) {
      ::kill(-pid_, SIGKILL);
      wait(milliseconds(5000));
    }
  }
  ::kill(-pid_, SIGKILL);  // forked workers that outlived their leader
  pid_ = -1;
}

int run(const Launch& launch, milliseconds limit) {
  Process p(launch);
  const auto code = p.wait(limit);
  return code ? *code : -1;
}

fs::path net_namespace(const Process& process) { return "/proc/" + std::to_string(process.pid()) + "/ns/net"; }

bool wait_tcp(std::uint16_t port, milliseconds limit, const Process* in) {
  const fs::path net = in != nullptr ? "/proc/" + std::to_string(in->pid()) + "/net" : "/proc/self/net";
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (tcp_listening(net / "tcp", port) || tcp_listening(net / "tcp6", port)) return true;
    pause_briefly();
  }
  return false;
}

bool wait_exists(const fs::path& path, milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (fs::exists(path)) return true;
    pause_briefly();
  }
  return false;
}

bool wait_text(const fs::path& file, std::string_view needle, milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (read_text(file).find(needle) != std::string::npos) return true;
    pause_briefly();
  }
  return false;
}

// ---- raw client ------------------------------------------------------------------------------------------

RawClient::RawClient(std::uint16_t port, milliseconds read_timeout) : timeout_(read_timeout) {
  fd_ = connect_loopback(port);
  if (fd_ < 0) throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawClient::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool RawClient::fill() {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout_.count())) <= 0) return false;
  char buf[4096];
  const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) return false;
  pending_.append(buf, static_cast<std::size_t>(n));
  received_.append(buf, static_cast<std::size_t>(n));
  return true;
}

std::optional<std::string> RawClient::read_line() {
  for (int reads = 0; pending_.find('\n') == std::string::npos; ++reads)
    if (reads > 64 || !fill()) return std::nullopt;
  const auto end = pending_.find('\n') + 1;
  std::string line = pending_.substr(0, end);
  pending_.erase(0, end);
  return line;
}

std::string RawClient::read_all(std::size_t cap) {
  while (pending_.size() < cap && fill()) {
  }
  std::string out = std::move(pending_);
  pending_.clear();
  return out;
}

// ---- certificates ----------------------------------------------------------------------------------------

namespace {

struct Freer {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  void operator()(X509* x) const { X509_free(x); }
  void operator()(BIO* b) const { BIO_free(b); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Freer>;
using CertPtr = std::unique_ptr<X509, Freer>;
using BioPtr = std::unique_ptr<BIO, Freer>;

KeyPtr generate_key(KeyKind kind) {
  return KeyPtr(kind == KeyKind::rsa2048 ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256"));
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) throw std::runtime_error("bad extension value");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

void set_identity(X509* cert, const CertSpec& spec) {
  X509_set_version(cert, 2);
  unsigned char serial[8];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert), spec.not_before_days * 86400L);
  X509_gmtime_adj(X509_getm_notAfter(cert), spec.not_after_days * 86400L);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1, 0);
}

template <typename T, typename Reader>
std::unique_ptr<T, Freer> read_pem(const fs::path& file, Reader reader) {
  BioPtr bio(BIO_new_file(file.c_str(), "r"));
  if (!bio) throw std::runtime_error("cannot read " + file.string());
  return std::unique_ptr<T, Freer>(reader(bio.get(), nullptr, nullptr, nullptr));
}

void write_pem(const fs::path& file, X509* cert, EVP_PKEY* key) {
  BioPtr bio(BIO_new_file(file.c_str(), "w"));
  const bool ok = bio && (cert != nullptr ? PEM_write_bio_X509(bio.get(), cert) == 1
                                          : PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0,
                                                                      nullptr, nullptr) == 1);
  if (!ok) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace

CertFiles make_cert(const fs::path& dir, std::string_view stem, const CertSpec& spec,
                    const std::optional<CertFiles>& issuer) {
  const KeyPtr key = generate_key(spec.key);
  const CertPtr cert(X509_new());
  if (!key || !cert) throw std::runtime_error("key generation failed");
  set_identity(cert.get(), spec);
  X509_set_pubkey(cert.get(), key.get());
  CertPtr issuer_cert;
  KeyPtr issuer_key;
  if (issuer) {
    issuer_cert = read_pem<X509>(issuer->cert, PEM_read_bio_X509);
    issuer_key = read_pem<EVP_PKEY>(issuer->key, PEM_read_bio_PrivateKey);
    if (!issuer_cert || !issuer_key) throw std::runtime_error("cannot load issuer");
  }
  X509* signer_cert = issuer ? issuer_cert.get() : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer_cert));
  add_ext(cert.get(), signer_cert, NID_basic_constraints, spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_ext(cert.get(), signer_cert, NID_subject_key_identifier, "hash");
  if (spec.is_ca) {
    add_ext(cert.get(), signer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_ext(cert.get(), signer_cert, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_ext(cert.get(), signer_cert, NID_ext_key_usage, "serverAuth,clientAuth");
    add_ext(cert.get(), signer_cert, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  }
  if (X509_sign(cert.get(), issuer ? issuer_key.get() : key.get(), EVP_sha256()) == 0)
    throw std::runtime_error("signing failed");
  CertFiles files{dir / (std::string(stem) + ".crt"), dir / (std::string(stem) + ".key")};
  write_pem(files.cert, cert.get(), nullptr);
  write_pem(files.key, nullptr, key.get());
  return files;
}

// ---- explain and captured vectors ------------------------------------------------------------------------

Explained explain(const std::vector<fs::path>& logs) {
  const TempDir out("explain");
  Launch l;
  l.argv = {std::string(SD_BINARY_DIR) + "/shakedown", "explain"};
  for (const auto& f : logs) l.argv.push_back(f.string());
  l.argv.insert(l.argv.end(), {"--format", "json"});
  l.output = out / "stdout";
  l.errors = out / "stderr";
  Explained r;
  r.exit_code = run(l, milliseconds(30000));
  r.json = read_text(out / "stdout");
  r.errors = read_text(out / "stderr");
  const auto doc = nlohmann::json::parse(r.json, nullptr, false);
  if (doc.is_discarded() || !doc.contains("findings")) return r;
  for (const auto& f : doc["findings"]) r.ids.push_back(f.value("id", std::string()));
  return r;
}

std::string explain_failure(const Explained& r, std::string_view wanted_id) {
  std::string ids;
  for (const auto& id : r.ids) ids += (ids.empty() ? "" : ", ") + id;
  if (r.errors.find("not available") != std::string::npos)
    return "shakedown explain is still a reserved command in this build (" + r.errors +
           "); expected diagnosis " + std::string(wanted_id);
  return "expected diagnosis " + std::string(wanted_id) + " among [" + ids + "], exit " +
         std::to_string(r.exit_code) + ", output: " + r.json.substr(0, 2000);
}

fs::path live_log(std::string_view case_name, std::string_view file) {
  return fs::path(SD_SOURCE_DIR) / "tests/vectors/logs/live" / case_name / file;
}

void save_live_logs(std::string_view case_name, const std::map<std::string, fs::path>& files) {
  if (!env_is("SD_UPDATE_VECTORS", "1")) return;
  const fs::path dir = live_log(case_name, "");
  fs::create_directories(dir);
  for (const auto& [name, from] : files) fs::copy_file(from, dir / name, fs::copy_options::overwrite_existing);
}

void save_live_hex(std::string_view name, std::string_view bytes) {
  if (!env_is("SD_UPDATE_VECTORS", "1")) return;
  const fs::path dir = fs::path(SD_SOURCE_DIR) / "tests/vectors/tls/live";
  fs::create_directories(dir);
  write_text(dir / (std::string(name) + ".hex"), hex(bytes) + "\n");
}

std::string hex(std::string_view bytes) {
  return sd::to_hex(Bytes(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

std::string unhex(std::string_view text) {
  const auto bytes = sd::from_hex(text);
  if (!bytes) throw std::runtime_error("bad hex");
  return std::string(bytes->begin(), bytes->end());
}

}  // namespace sd::peers

#pragma once
// The real-peers harness: starts real servers and clients on loopback high ports inside a test, collects
// both sides' logs, and stops everything on teardown. See tests/peers/README.md.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sd::peers {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// A private directory under /tmp for one test, removed on destruction unless SD_KEEP_PEERS=1.
class TempDir {
 public:
  // Creates /tmp/sd-peers-<tag>-XXXXXX.
  explicit TempDir(std::string_view tag);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // The directory itself.
  const fs::path& path() const { return path_; }
  // A path inside the directory (not created).
  fs::path operator/(std::string_view name) const { return path_ / name; }
  // Creates (if needed) and returns a subdirectory.
  fs::path subdir(std::string_view name) const;

 private:
  fs::path path_;
};

// A currently free port on 127.0.0.1 (TCP or UDP), chosen by the kernel from the ephemeral range.
std::uint16_t free_port(bool udp = false);
// A free port p such that p+1 .. p+span-1 are free too (passive-port ranges, IKE + NAT-T pairs).
std::uint16_t free_port_range(int span, bool udp = false);

// Writes text to a file, replacing it.
void write_text(const fs::path& file, std::string_view text);
// Reads a whole file ("" when it does not exist).
std::string read_text(const fs::path& file);
// Fills @NAME@ placeholders of tests/peers/conf/<name> from vars; a leftover placeholder is an error (throws).
std::string render_template(std::string_view name, const std::map<std::string, std::string>& vars);

// How to start one process.
struct Launch {
  std::vector<std::string> argv;            // argv[0] is an absolute path
  std::vector<std::string> env;             // extra NAME=value entries added to the environment
  fs::path output;                          // stdout (and stderr unless `errors` is set) go here, appended
  std::optional<fs::path> errors;           // stderr goes here when set
  std::optional<fs::path> private_run;      // bind-mounted over /run in a private mount namespace
  std::optional<fs::path> workdir;          // chdir before exec
  bool private_net = false;                 // own network namespace: only a loopback interface, brought up
  std::optional<fs::path> join_net;         // join this network namespace (see net_namespace) before exec
};

// A child process in its own process group; the destructor stops the whole group (TERM, then KILL).
class Process {
 public:
  // Forks and execs; throws std::runtime_error when fork fails. Exec failure shows as exit code 127.
  explicit Process(const Launch& launch);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  // The child's pid (also its process group id).
  pid_t pid() const { return pid_; }
  // True while the child has not exited.
  bool running();
  // Waits up to `limit` for the child to exit; its exit code, 128+signal, or nullopt on timeout.
  std::optional<int> wait(milliseconds limit);
  // Stops the process group: SIGTERM, up to 3 s grace, then SIGKILL; reaps the child.
  void stop();

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// The network namespace of a running process, for Launch::join_net.
fs::path net_namespace(const Process& process);

// Runs a client to completion within `limit` (then kills its group); its exit code, or -1 on timeout.
int run(const Launch& launch, milliseconds limit);
// Waits until a TCP socket listens on `port` (true) or `limit` passes (false), without connecting; looks in
// the network namespace of `in` when given.
bool wait_tcp(std::uint16_t port, milliseconds limit, const Process* in = nullptr);
// Waits until `path` exists (true) or `limit` passes (false).
bool wait_exists(const fs::path& path, milliseconds limit);
// Waits until `file` exists and contains `needle` (true) or `limit` passes (false).
bool wait_text(const fs::path& file, std::string_view needle, milliseconds limit);

// A raw TCP client to 127.0.0.1 with a timeout on every read.
class RawClient {
 public:
  // Connects or throws std::runtime_error.
  explicit RawClient(std::uint16_t port, milliseconds read_timeout = milliseconds(5000));
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  // Sends all bytes; false on error.
  bool send(std::string_view bytes);
  // Reads one CRLF- or LF-terminated line (terminator kept); nullopt on timeout or close.
  std::optional<std::string> read_line();
  // Reads until the peer closes, the read timeout passes, or `cap` bytes arrived.
  std::string read_all(std::size_t cap = 65536);
  // Everything received so far, in order, across all reads.
  const std::string& transcript() const { return received_; }

 private:
  bool fill();
  int fd_ = -1;
  milliseconds timeout_;
  std::string pending_;
  std::string received_;
};

// Kinds of key a generated certificate can carry.
enum class KeyKind { rsa2048, ec_p256 };

// Paths of a generated certificate and its private key (PEM).
struct CertFiles {
  fs::path cert;
  fs::path key;
};

// What a generated certificate looks like.
struct CertSpec {
  std::string common_name = "localhost";
  KeyKind key = KeyKind::rsa2048;
  long not_before_days = -1;  // relative to now
  long not_after_days = 30;   // relative to now; negative gives an expired certificate
  bool is_ca = false;
};

// Generates a key and a certificate with OpenSSL's API, self-signed or signed by `issuer`; throws on failure.
CertFiles make_cert(const fs::path& dir, std::string_view stem, const CertSpec& spec,
                    const std::optional<CertFiles>& issuer = std::nullopt);

// The result of running `shakedown explain --format json` on some logs.
struct Explained {
  int exit_code = -1;
  std::string json;              // stdout
  std::string errors;            // stderr
  std::vector<std::string> ids;  // findings[].id, in order
};

// Runs the shakedown binary of this build on the files.
Explained explain(const std::vector<fs::path>& logs);
// A readable message for a failed explain assertion (reserved command, bad JSON, missing id).
std::string explain_failure(const Explained& result, std::string_view wanted_id);

// When SD_UPDATE_VECTORS=1: copies the files to tests/vectors/logs/live/<case_name>/ under the given names.
void save_live_logs(std::string_view case_name, const std::map<std::string, fs::path>& files);
// When SD_UPDATE_VECTORS=1: writes bytes as lowercase hex (one line) to tests/vectors/tls/live/<name>.hex.
void save_live_hex(std::string_view name, std::string_view bytes);
// The committed capture tests/vectors/logs/live/<case_name>/<file>.
fs::path live_log(std::string_view case_name, std::string_view file);

// Lowercase hex of bytes held in a string (delegates to sd::to_hex).
std::string hex(std::string_view bytes);
// Bytes from hex text, whitespace ignored (delegates to sd::from_hex); throws on bad hex.
std::string unhex(std::string_view text);

}  // namespace sd::peers

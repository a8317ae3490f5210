// The probe engine: runs jobs of at most one connection each, within per-target budgets, a rate limit,
// a total connection cap and timeouts, and hands back an outcome from the closed vocabulary for each.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/address.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probe/engine/session.h"

namespace sd::probe {

/// Where a job connects: transport, host name or address literal, port.
struct Target {
  Transport transport = Transport::tcp;
  std::string host;  ///< a name, an IPv4 literal, or an IPv6 literal without brackets
  std::uint16_t port = 0;

  /// "host:port", with brackets around IPv6 literals; also the key for per-target budgets.
  std::string to_string() const;
};

/// Parses "host", "host:port", "1.2.3.4:port", "[::1]:port" or a bare IPv6 literal; nullopt if malformed.
std::optional<Target> parse_target(std::string_view text, Transport transport, std::uint16_t default_port);

/// What a job does once connected: talks through the session and returns the step that decides its outcome.
/// The engine keeps the Job (and what its function captured) alive until the job ends.
using Conversation = std::function<asio::awaitable<Step>(Session&)>;

/// One unit of work: one connection to one target, and the conversation to hold on it.
struct Job {
  std::string name;  ///< a label for reports, e.g. "tls1.2-suites-round-3"
  Target target;
  Limits limits;
  Conversation conversation;
};

/// What happened to one job, with the raw bytes beside the outcome.
struct JobResult {
  std::string name;
  Target target;
  Outcome outcome = Outcome::success;
  std::string detail;         ///< one plain sentence
  ByteVec last_message;       ///< the bytes of the step that decided the outcome
  std::string address;        ///< the address actually connected to, e.g. "[::1]:4433"; empty if none
  bool connected = false;     ///< true once the connection was up
  Clock::time_point started{};///< when the first connect attempt began (after budget and rate-limit waits)
  Transcript transcript;      ///< every byte sent and received, capped
  std::size_t peak_buffer = 0;///< the largest receive buffer the session held
};

/// Engine-wide limits.
struct EngineConfig {
  unsigned per_target_budget = 4;       ///< connections open at once to one target
  Millis min_start_interval{0};         ///< at least this long between two connection starts to one target
  std::size_t max_connections = 10000;  ///< connection attempts in the engine's whole life; later jobs end budget-exhausted
  Millis resolve_timeout{5000};         ///< name resolution (address literals skip it)
};

/// Counters over the engine's life.
struct EngineStats {
  std::size_t attempted = 0;        ///< connect attempts made (TCP SYNs sent, UDP sockets connected)
  std::size_t opened = 0;           ///< connections that came up
  std::size_t jobs = 0;             ///< jobs finished
  unsigned peak_per_target = 0;     ///< most connections open at once to any one target
};

/// Runs jobs. Blocking: each run() returns when all its jobs have ended. Counters and the rate limit
/// carry over from one run() to the next, so a probe can run rounds that depend on earlier answers.
class Engine {
 public:
  /// An engine with its own I/O context.
  explicit Engine(EngineConfig config = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Runs the jobs, at most the per-target budget at once; results come back in the jobs' order.
  std::vector<JobResult> run(std::vector<Job> jobs);
  /// Runs a single job.
  JobResult run_one(Job job);
  /// Counters so far.
  const EngineStats& stats() const { return stats_; }
  /// The limits this engine enforces.
  const EngineConfig& config() const { return config_; }

 private:
  struct Gate;
  asio::awaitable<void> run_job(const Job& job, JobResult& result);
  asio::awaitable<void> connect_and_talk(const Job& job, const std::vector<asio::ip::address>& addresses,
                                         JobResult& result);
  asio::awaitable<void> acquire(Gate& gate);
  void release(Gate& gate);
  Gate& gate_for(const Target& target);

  EngineConfig config_;
  asio::io_context context_;
  std::map<std::string, std::unique_ptr<Gate>> gates_;
  EngineStats stats_;
};

/// Runs the jobs on a fresh engine; for tests and probes that need only a few connections.
std::vector<JobResult> run_jobs(std::vector<Job> jobs, EngineConfig config = {}, EngineStats* stats = nullptr);

}  // namespace sd::probe

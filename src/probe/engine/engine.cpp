#include "probe/engine/engine.h"

#include <asio/co_spawn.hpp>
#include <asio/ip/address.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <exception>

namespace sd::probe {

std::string Target::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return v6 ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

namespace {

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

/// Splits "[v6]:port", "[v6]", "host:port", "host" or a bare IPv6 literal into host and port text.
std::optional<std::pair<std::string_view, std::string_view>> split_host_port(std::string_view text) {
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const auto rest = text.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return std::nullopt;
    return std::pair{text.substr(1, close - 1), rest.empty() ? rest : rest.substr(1)};
  }
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::pair{text, std::string_view{}};
  if (text.find(':', colon + 1) != std::string_view::npos) return std::pair{text, std::string_view{}};
  return std::pair{text.substr(0, colon), text.substr(colon + 1)};
}

/// Addresses for a host: the literal itself, or what the resolver says within the timeout.
struct Resolution {
  std::vector<asio::ip::address> addresses;
  std::string failure;  ///< empty on success
};

asio::awaitable<Resolution> resolve(const std::string& host, Millis timeout) {
  std::error_code ec;
  const auto literal = asio::ip::make_address(host, ec);
  if (!ec) co_return Resolution{{literal}, {}};
  auto executor = co_await asio::this_coro::executor;
  // getaddrinfo runs on Asio's resolver thread; the timer cancels our wait for it.
  auto resolver = std::make_shared<asio::ip::tcp::resolver>(executor);
  asio::steady_timer timer(executor, timeout);
  timer.async_wait([resolver](const std::error_code& e) {
    if (!e) resolver->cancel();
  });
  const auto found = co_await resolver->async_resolve(host, "", asio::redirect_error(asio::use_awaitable, ec));
  timer.cancel();
  if (ec == asio::error::operation_aborted)
    co_return Resolution{{}, fmt::format("{} did not resolve within {} ms", host, timeout.count())};
  if (ec) co_return Resolution{{}, fmt::format("{} did not resolve: {}", host, ec.message())};
  Resolution out;
  for (const auto& entry : found) {
    const auto address = entry.endpoint().address();
    if (std::find(out.addresses.begin(), out.addresses.end(), address) == out.addresses.end())
      out.addresses.push_back(address);
  }
  if (out.addresses.empty()) out.failure = fmt::format("{} has no address", host);
  co_return out;
}

std::string address_text(const asio::ip::address& address, std::uint16_t port) {
  return address.is_v6() ? fmt::format("[{}]:{}", address.to_string(), port) : fmt::format("{}:{}", address.to_string(), port);
}

void record(JobResult& result, Step step) {
  result.outcome = step.outcome;
  result.detail = std::move(step.detail);
  result.last_message = std::move(step.bytes);
}

}  // namespace

std::optional<Target> parse_target(std::string_view text, Transport transport, std::uint16_t default_port) {
  const auto parts = split_host_port(text);
  if (!parts || parts->first.empty()) return std::nullopt;
  Target target{transport, std::string(parts->first), default_port};
  if (!parts->second.empty()) {
    const auto port = parse_port(parts->second);
    if (!port) return std::nullopt;
    target.port = *port;
  }
  if (target.port == 0) return std::nullopt;
  return target;
}

/// Per-target admission: how many connections are open, when the next may start, and a wake-up for waiters.
struct Engine::Gate {
  explicit Gate(const asio::any_io_executor& executor) : wake(executor, Clock::time_point::max()) {}
  unsigned active = 0;
  Clock::time_point next_start{};
  asio::steady_timer wake;
};

Engine::Engine(EngineConfig config) : config_(config) {}
Engine::~Engine() = default;

Engine::Gate& Engine::gate_for(const Target& target) {
  auto& slot = gates_[target.to_string() + (target.transport == Transport::udp ? "/udp" : "/tcp")];
  if (!slot) slot = std::make_unique<Gate>(context_.get_executor());
  return *slot;
}

asio::awaitable<void> Engine::acquire(Gate& gate) {
  const unsigned budget = std::max(1u, config_.per_target_budget);
  while (gate.active >= budget) {
    std::error_code woken;
    co_await gate.wake.async_wait(asio::redirect_error(asio::use_awaitable, woken));
  }
  ++gate.active;
  stats_.peak_per_target = std::max(stats_.peak_per_target, gate.active);
  const auto now = Clock::now();
  const auto start = std::max(now, gate.next_start);
  gate.next_start = start + config_.min_start_interval;
  if (start > now) {
    asio::steady_timer pause(context_, start);
    std::error_code ignored;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

void Engine::release(Gate& gate) {
  --gate.active;
  gate.wake.cancel_one();
}

asio::awaitable<void> Engine::run_job(const Job& job, JobResult& result) {
  result.name = job.name;
  result.target = job.target;
  const Resolution resolved = co_await resolve(job.target.host, config_.resolve_timeout);
  if (!resolved.failure.empty()) {
    record(result, Step{Outcome::dns_failure, resolved.failure, {}});
    ++stats_.jobs;
    co_return;
  }
  Gate& gate = gate_for(job.target);
  co_await acquire(gate);
  co_await connect_and_talk(job, resolved.addresses, result);
  release(gate);
  ++stats_.jobs;
}

asio::awaitable<void> Engine::connect_and_talk(const Job& job, const std::vector<asio::ip::address>& addresses,
                                               JobResult& result) {
  result.started = Clock::now();
  const auto deadline = result.started + job.limits.deadline;
  auto session = std::make_shared<Session>(context_.get_executor(), job.target.transport, job.limits, deadline);
  Step connected{Outcome::unreachable, "no address to connect to", {}};
  for (const auto& address : addresses) {
    if (stats_.attempted >= config_.max_connections) {
      connected = Step{Outcome::budget_exhausted, fmt::format("the cap of {} connections was reached", config_.max_connections), {}};
      break;
    }
    ++stats_.attempted;
    connected = co_await session->connect(address, job.target.port);
    if (connected.ok()) {
      ++stats_.opened;
      result.address = address_text(address, job.target.port);
      break;
    }
  }
  if (!connected.ok()) {
    record(result, std::move(connected));
    co_return;
  }
  result.connected = true;
  Step final;
  try {
    final = co_await job.conversation(*session);
  } catch (const std::exception& e) {
    final = Step{Outcome::protocol_error, fmt::format("the job's conversation failed: {}", e.what()), {}};
  }
  session->close();
  record(result, std::move(final));
  result.transcript = session->transcript();
  result.peak_buffer = session->peak_buffer();
}

std::vector<JobResult> Engine::run(std::vector<Job> jobs) {
  std::vector<JobResult> results(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    asio::co_spawn(context_, run_job(jobs[i], results[i]), [&results, i](std::exception_ptr failure) {
      if (failure) record(results[i], Step{Outcome::protocol_error, "the engine failed while running this job", {}});
    });
  }
  context_.restart();
  context_.run();
  return results;
}

JobResult Engine::run_one(Job job) {
  std::vector<Job> one;
  one.push_back(std::move(job));
  return std::move(run(std::move(one)).front());
}

std::vector<JobResult> run_jobs(std::vector<Job> jobs, EngineConfig config, EngineStats* stats) {
  Engine engine(config);
  auto results = engine.run(std::move(jobs));
  if (stats) *stats = engine.stats();
  return results;
}

}  // namespace sd::probe

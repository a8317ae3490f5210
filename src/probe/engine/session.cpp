#include "probe/engine/session.h"

#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace sd::probe {
namespace {

/// Bytes asked of the kernel per read: large enough for a TLS record, small enough to stay near the cap.
constexpr std::size_t kReadChunk = 16 * 1024;

}  // namespace

void Transcript::add(Direction direction, Bytes bytes, std::size_t cap) {
  (direction == Direction::sent ? sent : received) += bytes.size();
  std::size_t kept = 0;
  for (const auto& c : chunks) kept += c.bytes.size();
  const std::size_t room = kept >= cap ? 0 : cap - kept;
  if (bytes.size() > room) truncated = true;
  const Bytes keep = bytes.first(std::min(room, bytes.size()));
  if (keep.empty()) return;
  if (chunks.empty() || chunks.back().direction != direction) chunks.push_back(Chunk{direction, {}});
  chunks.back().bytes.insert(chunks.back().bytes.end(), keep.begin(), keep.end());
}

ByteVec Transcript::all(Direction direction) const {
  ByteVec out;
  for (const auto& c : chunks)
    if (c.direction == direction) out.insert(out.end(), c.bytes.begin(), c.bytes.end());
  return out;
}

Outcome outcome_of_io_error(const std::error_code& error, Transport transport) {
  if (error == asio::error::timed_out) return transport == Transport::udp ? Outcome::no_response : Outcome::io_timeout;
  if (error == asio::error::eof) return Outcome::closed_by_peer;
  if (error == asio::error::connection_reset || error == asio::error::broken_pipe) return Outcome::reset_by_peer;
  if (error == asio::error::connection_refused || error == asio::error::host_unreachable ||
      error == asio::error::network_unreachable)
    return Outcome::unreachable;
  if (error == asio::error::connection_aborted) return Outcome::reset_by_peer;
  return Outcome::protocol_error;
}

Session::Session(const asio::any_io_executor& executor, Transport transport, const Limits& limits,
                 Clock::time_point deadline)
    : transport_(transport), tcp_(executor), udp_(executor), watchdog_(executor), limits_(limits), deadline_(deadline) {}

Clock::time_point Session::step_deadline(Millis timeout) const { return std::min(Clock::now() + timeout, deadline_); }

void Session::arm(Clock::time_point at) {
  const std::uint64_t generation = ++generation_;
  expired_ = false;
  watchdog_.expires_at(at);
  // The handler holds the session alive, so a timer that fired just before disarm() cannot touch freed memory.
  watchdog_.async_wait([self = shared_from_this(), generation](const std::error_code& ec) {
    if (ec || generation != self->generation_) return;
    self->expired_ = true;
    self->cancel_io();
  });
}

void Session::disarm() {
  ++generation_;
  watchdog_.cancel();
}

void Session::cancel_io() {
  std::error_code ignored;
  if (transport_ == Transport::tcp) tcp_.cancel(ignored);
  else udp_.cancel(ignored);
}

void Session::close() {
  std::error_code ignored;
  disarm();
  if (tcp_.is_open()) tcp_.close(ignored);
  if (udp_.is_open()) udp_.close(ignored);
}

asio::awaitable<Step> Session::connect(const asio::ip::address& address, std::uint16_t port) {
  close();
  const auto until = step_deadline(limits_.connect_timeout);
  std::error_code ec;
  if (transport_ == Transport::udp) {
    const asio::ip::udp::endpoint endpoint(address, port);
    udp_.open(endpoint.protocol(), ec);
    if (!ec) udp_.connect(endpoint, ec);
    co_return ec ? Step{Outcome::unreachable, ec.message(), {}} : Step{};
  }
  const asio::ip::tcp::endpoint endpoint(address, port);
  if (until <= Clock::now()) co_return connect_failure(asio::error::timed_out, until);
  tcp_.open(endpoint.protocol(), ec);
  if (!ec) {
    arm(until);
    co_await tcp_.async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
    if (expired_) ec = asio::error::timed_out;
    disarm();
  }
  co_return connect_failure(ec, until);
}

Step Session::connect_failure(const std::error_code& error, Clock::time_point until) const {
  if (!error) return Step{};
  if (error == asio::error::timed_out) {
    return Step{Outcome::connect_timeout,
                until >= deadline_ ? "the job's overall deadline passed while connecting"
                                   : fmt::format("no answer to the connection request within {} ms", limits_.connect_timeout.count()),
                {}};
  }
  if (error == asio::error::connection_refused) return Step{Outcome::connection_refused, "the peer refused the connection", {}};
  return Step{Outcome::unreachable, error.message(), {}};
}

Step Session::io_failure(const std::error_code& error, Clock::time_point until, std::string_view doing) const {
  Step step;
  step.outcome = outcome_of_io_error(error, transport_);
  if (error == asio::error::timed_out) {
    step.detail = until >= deadline_
                      ? fmt::format("the job's overall deadline of {} ms passed while {}", limits_.deadline.count(), doing)
                      : fmt::format("the step's timeout passed while {}", doing);
  } else if (error == asio::error::eof) {
    step.detail = fmt::format("the peer closed the connection while {}", doing);
  } else {
    step.detail = fmt::format("{} while {}", error.message(), doing);
  }
  step.bytes = pending_;
  return step;
}

asio::awaitable<Step> Session::send(ByteVec data) {
  const auto until = step_deadline(limits_.io_timeout);
  if (!tcp_.is_open() && !udp_.is_open()) co_return Step{Outcome::protocol_error, "send on a closed session", {}};
  if (until <= Clock::now()) co_return io_failure(asio::error::timed_out, until, "sending");
  transcript_.add(Direction::sent, data, limits_.transcript_cap);
  std::error_code ec;
  arm(until);
  if (transport_ == Transport::tcp)
    co_await asio::async_write(tcp_, asio::buffer(data), asio::redirect_error(asio::use_awaitable, ec));
  else
    co_await udp_.async_send(asio::buffer(data), asio::redirect_error(asio::use_awaitable, ec));
  const bool expired = expired_;
  disarm();
  if (expired) ec = asio::error::timed_out;
  if (ec) co_return io_failure(ec, until, "sending");
  co_return Step{};
}

asio::awaitable<Session::Io> Session::receive_some(std::size_t max, Clock::time_point until) {
  if (until <= Clock::now()) co_return Io{asio::error::timed_out, 0};
  const std::size_t held = pending_.size();
  const std::size_t wanted = held + std::min(max, kReadChunk);
  // Grow geometrically but never past the cap (held + max), so the allocation itself stays within the cap.
  if (pending_.capacity() < wanted) pending_.reserve(std::min(held + max, std::max(wanted, 2 * pending_.capacity())));
  pending_.resize(wanted);
  peak_buffer_ = std::max(peak_buffer_, pending_.capacity());
  std::error_code ec;
  arm(until);
  const std::size_t n = co_await tcp_.async_read_some(asio::buffer(pending_.data() + held, pending_.size() - held),
                                                      asio::redirect_error(asio::use_awaitable, ec));
  const bool expired = expired_;
  disarm();
  pending_.resize(held + n);
  transcript_.add(Direction::received, Bytes(pending_).subspan(held), limits_.transcript_cap);
  if (expired) ec = asio::error::timed_out;
  co_return Io{ec, n};
}

Step Session::take_frame(const Frame& frame) {
  Step step{frame.label, frame.detail, {}};
  const auto size = static_cast<std::ptrdiff_t>(std::min(frame.size, pending_.size()));
  step.bytes.assign(pending_.begin(), pending_.begin() + size);
  pending_.erase(pending_.begin(), pending_.begin() + size);
  return step;
}

asio::awaitable<Step> Session::read_until(Framer framer, std::size_t cap, Millis timeout) {
  const auto until = step_deadline(timeout);
  if (!tcp_.is_open() && !udp_.is_open()) co_return Step{Outcome::protocol_error, "read on a closed session", {}};
  if (transport_ == Transport::udp) co_return co_await read_datagram(std::move(framer), cap, until);
  for (;;) {
    const Frame frame = framer(pending_);
    if (frame.status == Frame::Status::complete) co_return take_frame(frame);
    if (frame.status == Frame::Status::reject) {
      Step step{frame.label, frame.detail, std::move(pending_)};
      pending_.clear();
      co_return step;
    }
    if (pending_.size() >= cap || frame.size > cap - pending_.size()) {
      co_return Step{Outcome::oversized,
                     fmt::format("the message needs at least {} bytes, above the read cap of {}", pending_.size() + frame.size, cap),
                     pending_};
    }
    const Io io = co_await receive_some(cap - pending_.size(), until);
    if (io.error) co_return io_failure(io.error, until, fmt::format("reading ({} bytes buffered)", pending_.size()));
  }
}

asio::awaitable<Step> Session::read_datagram(Framer framer, std::size_t cap, Clock::time_point until) {
  if (until <= Clock::now()) co_return io_failure(asio::error::timed_out, until, "waiting for a datagram");
  // One byte more than the cap tells an oversized datagram from one that fits exactly.
  ByteVec datagram(cap + 1);
  std::error_code ec;
  arm(until);
  const std::size_t n = co_await udp_.async_receive(asio::buffer(datagram), asio::redirect_error(asio::use_awaitable, ec));
  const bool expired = expired_;
  disarm();
  if (expired) ec = asio::error::timed_out;
  if (ec) co_return io_failure(ec, until, "waiting for a datagram");
  datagram.resize(std::min(n, cap));
  peak_buffer_ = std::max(peak_buffer_, datagram.size());
  transcript_.add(Direction::received, datagram, limits_.transcript_cap);
  if (n > cap) co_return Step{Outcome::oversized, fmt::format("a datagram larger than the read cap of {}", cap), std::move(datagram)};
  const Frame frame = framer(datagram);
  if (frame.status == Frame::Status::complete) {
    datagram.resize(std::min(frame.size, datagram.size()));
    co_return Step{frame.label, frame.detail, std::move(datagram)};
  }
  if (frame.status == Frame::Status::reject) co_return Step{frame.label, frame.detail, std::move(datagram)};
  co_return Step{Outcome::protocol_error, "the datagram ends before the message it announces", std::move(datagram)};
}

}  // namespace sd::probe

// A Session is one connection as a job sees it: send bytes, read one framed message, close.
// Every step has a timeout, every read a size cap, and the whole job an overall deadline.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/outcome.h"
#include "probe/engine/framer.h"

namespace sd::probe {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

/// Which way a chunk of bytes went.
enum class Direction { sent, received };

/// A run of bytes that went one way, kept raw beside the outcome.
struct Chunk {
  Direction direction = Direction::sent;
  ByteVec bytes;
};

/// Every byte exchanged on one connection, in order, up to a cap.
struct Transcript {
  std::vector<Chunk> chunks;
  std::size_t sent = 0;       ///< bytes sent in total (also those past the cap)
  std::size_t received = 0;   ///< bytes received in total (also those past the cap)
  bool truncated = false;     ///< true when bytes past the cap were not kept

  /// Appends bytes, merging with the previous chunk when it went the same way; keeps at most `cap` bytes.
  void add(Direction direction, Bytes bytes, std::size_t cap);
  /// All received bytes that were kept, joined.
  ByteVec all(Direction direction) const;
};

/// The result of one send or read: an outcome, a sentence, and the bytes of the message read.
struct Step {
  Outcome outcome = Outcome::success;
  std::string detail;
  ByteVec bytes;  ///< the framed message (read), or what arrived before the failure

  /// True when the step did what was asked and the message is an ordinary one.
  bool ok() const { return outcome == Outcome::success; }
};

/// Transport of a connection.
enum class Transport { tcp, udp };

/// Time limits and the transcript cap for one job.
struct Limits {
  Millis connect_timeout{5000};  ///< per connect attempt
  Millis io_timeout{5000};       ///< default for a send; reads name their own
  Millis deadline{30000};        ///< the whole job, from the first connect to the close
  std::size_t transcript_cap = 1 << 20;  ///< raw bytes kept per job
};

/// One connected socket driven by a job's conversation. Created by the engine; not copyable.
class Session : public std::enable_shared_from_this<Session> {
 public:
  /// An unconnected session; the overall deadline is fixed at creation. Own it through std::make_shared.
  Session(const asio::any_io_executor& executor, Transport transport, const Limits& limits, Clock::time_point deadline);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Connects to one address within the connect timeout (the engine calls this; jobs do not).
  asio::awaitable<Step> connect(const asio::ip::address& address, std::uint16_t port);
  /// Sends all bytes (TCP) or one datagram (UDP) within the limits' io_timeout.
  asio::awaitable<Step> send(ByteVec data);
  /// Reads until the framer completes or rejects, never buffering more than `cap` bytes. `timeout` bounds the
  /// whole read (not each byte), and the job deadline bounds it too. Bytes past the message stay buffered.
  asio::awaitable<Step> read_until(Framer framer, std::size_t cap, Millis timeout);
  /// Closes the socket; later steps fail at once. Safe to call twice.
  void close();

  /// Which transport this session runs on.
  Transport transport() const { return transport_; }
  /// Bytes exchanged so far.
  const Transcript& transcript() const { return transcript_; }
  /// The largest receive buffer this session allocated, in bytes (never above the caps asked for; a UDP read
  /// allocates one spare byte to tell an oversized datagram, which is not kept).
  std::size_t peak_buffer() const { return peak_buffer_; }
  /// Bytes received but not yet handed out by read_until.
  std::size_t buffered() const { return pending_.size(); }

 private:
  struct Io {
    std::error_code error;
    std::size_t size = 0;
  };
  Clock::time_point step_deadline(Millis timeout) const;
  void arm(Clock::time_point at);
  void disarm();
  void cancel_io();
  asio::awaitable<Io> receive_some(std::size_t max, Clock::time_point until);
  asio::awaitable<Step> read_datagram(Framer framer, std::size_t cap, Clock::time_point until);
  Step connect_failure(const std::error_code& error, Clock::time_point until) const;
  Step io_failure(const std::error_code& error, Clock::time_point until, std::string_view doing) const;
  Step take_frame(const Frame& frame);

  Transport transport_;
  asio::ip::tcp::socket tcp_;
  asio::ip::udp::socket udp_;
  asio::steady_timer watchdog_;
  Limits limits_;
  Clock::time_point deadline_;
  ByteVec pending_;
  Transcript transcript_;
  std::size_t peak_buffer_ = 0;
  std::uint64_t generation_ = 0;
  bool expired_ = false;
};

/// Maps a socket error during a step to the closed outcome vocabulary.
Outcome outcome_of_io_error(const std::error_code& error, Transport transport);

}  // namespace sd::probe

#include "probe/engine/describe.h"

#include <string>

namespace sd::probe {

Field describe(const JobResult& result) {
  Field job = leaf("attempt", result.name);
  job.add(leaf("target", result.target.to_string() + (result.target.transport == Transport::udp ? "/udp" : "/tcp")));
  if (!result.address.empty()) job.add(leaf("address", result.address));
  job.add(leaf("outcome", std::string(to_string(result.outcome)), 0, 0, static_cast<std::uint64_t>(result.outcome)));
  if (!result.detail.empty()) job.add(leaf("detail", result.detail));
  job.add(leaf("bytes_sent", std::to_string(result.transcript.sent)));
  job.add(leaf("bytes_received", std::to_string(result.transcript.received)));
  if (!result.last_message.empty()) job.add(leaf("last_message", to_hex(result.last_message), 0, result.last_message.size()));
  Field& transcript = job.add(leaf("transcript", result.transcript.truncated ? "truncated" : "complete"));
  for (const auto& chunk : result.transcript.chunks)
    transcript.add(leaf(chunk.direction == Direction::sent ? "sent" : "received", to_hex(chunk.bytes), 0, chunk.bytes.size()));
  return job;
}

Field describe(const EngineStats& stats) {
  Field out = leaf("connections", std::to_string(stats.opened));
  out.add(leaf("attempted", std::to_string(stats.attempted)));
  out.add(leaf("opened", std::to_string(stats.opened)));
  out.add(leaf("jobs", std::to_string(stats.jobs)));
  out.add(leaf("peak_per_target", std::to_string(stats.peak_per_target)));
  return out;
}

}  // namespace sd::probe

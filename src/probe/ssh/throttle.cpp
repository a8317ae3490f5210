// Throttle signs in one SSH connection, and the run-wide record of them.
#include "probe/ssh/throttle.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <string_view>
#include <thread>

namespace sd::probe::ssh {
namespace {

// What sshd writes before closing a connection it will not serve, and what that means.
struct DropText {
  std::string_view text;
  std::string_view meaning;
};

// sshd.c drop_connection() writes one of these lines instead of an identification (OpenSSH 9.2p1 here wrote
// "Exceeded MaxStartups\r\n" with MaxStartups 1:100:1 and one connection held; the penalty text is 9.8's).
constexpr std::array<DropText, 2> kDropTexts = {{
    {"Exceeded MaxStartups", "sshd dropped the connection: too many unauthenticated connections (MaxStartups)"},
    {"Not allowed at this time",
     "sshd refused the connection: this address is penalised (PerSourcePenalties, OpenSSH 9.8 and later)"},
}};

bool contains(const ByteVec& bytes, std::string_view text) {
  return std::search(bytes.begin(), bytes.end(), text.begin(), text.end()) != bytes.end();
}

bool closed_early(Outcome o) { return o == Outcome::closed_by_peer || o == Outcome::reset_by_peer; }

// True when nothing but text lines arrived: no binary packet header after the identification line.
bool banner_only(const ByteVec& received) {
  const std::string_view prefix = "SSH-";
  const auto id = std::search(received.begin(), received.end(), prefix.begin(), prefix.end());
  const auto end = std::find(id, received.end(), static_cast<std::uint8_t>('\n'));
  return end == received.end() || received.end() - end < 6;
}

}  // namespace

ThrottleSign throttle_sign(const JobResult& job, bool earlier_answered) {
  const ByteVec received = job.transcript.all(Direction::received);
  for (const auto& drop : kDropTexts)
    if (contains(received, drop.text))
      return {true, std::string(drop.meaning) + " (it wrote \"" + std::string(drop.text) + "\")"};
  if (job.outcome == Outcome::throttled) return {true, job.detail};
  if (job.connected && closed_early(job.outcome) && !contains(received, "SSH-"))
    return {true, "the connection was closed before any identification line, as sshd does past MaxStartups or for a "
                  "penalised address"};
  if (earlier_answered && job.connected && closed_early(job.outcome) && banner_only(received))
    return {true, "the connection was closed right after the banner although an earlier one got the server's KEXINIT"};
  return {};
}

bool note_throttle(Etiquette& record, const JobResult& job, bool earlier_answered) {
  const ThrottleSign sign = throttle_sign(job, earlier_answered);
  if (!sign.throttled) return false;
  if (!record.throttled) {
    record.throttled = true;
    record.reason = sign.reason;
    record.first_throttled_job = job.name;
  }
  return true;
}

void pause_before_retry() { std::this_thread::sleep_for(std::chrono::milliseconds(250)); }

std::size_t connections_left(unsigned max_connections, const EngineStats& stats) {
  return stats.attempted >= max_connections ? 0 : max_connections - stats.attempted;
}

Field describe(const Etiquette& record) {
  Field f = leaf("etiquette", record.throttled ? "throttled" : "not throttled");
  if (record.throttled) {
    f.add(leaf("reason", record.reason));
    f.add(leaf("first_throttled_job", record.first_throttled_job));
  }
  for (const auto& job : record.not_trusted) f.add(leaf("not_trusted", job));
  for (const auto& what : record.skipped) f.add(leaf("skipped", what));
  for (const auto& probe : record.retried) f.add(leaf("retried_alone", probe));
  return f;
}

}  // namespace sd::probe::ssh

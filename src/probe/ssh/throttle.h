// Connection etiquette for the SSH probe: recognising that sshd is throttling us (MaxStartups, OpenSSH 9.8+
// PerSourcePenalties, a refusal before the banner) so that later attempts are not read as facts about the server.
#pragma once

#include <string>
#include <vector>

#include "core/field.h"
#include "probe/engine/engine.h"

namespace sd::probe::ssh {

/// What one connection says about throttling.
struct ThrottleSign {
  bool throttled = false;
  std::string reason;  ///< one sentence: what was seen and what it usually means; empty when not throttled
};

/// Reads one finished job: the text sshd writes when it drops a connection ("Exceeded MaxStartups",
/// "Not allowed at this time"), or a connection closed or reset before any identification line; with
/// `earlier_answered` (an earlier connection got the server's KEXINIT), also one closed right after the banner.
ThrottleSign throttle_sign(const JobResult& job, bool earlier_answered = false);

/// The run's etiquette record: throttling seen, and the attempts skipped or not trusted because of it or of
/// the connection cap.
struct Etiquette {
  bool throttled = false;
  std::string reason;                     ///< from the first throttled job
  std::string first_throttled_job;
  std::vector<std::string> not_trusted;   ///< jobs whose result was discarded because the server was throttling
  std::vector<std::string> skipped;       ///< work not attempted, with why ("ssh-dss: --max-connections 3 reached")
  std::vector<std::string> retried;       ///< host key looks and probes dropped in a parallel batch, run again alone
};

/// Notes a job's throttle sign in the record; returns true when this job was throttled.
bool note_throttle(Etiquette& record, const JobResult& job, bool earlier_answered = false);

/// Waits a moment (250 ms) before a connection is retried alone, so that sshd has seen the dropped batch end.
void pause_before_retry();

/// How many more connections the run may open under --max-connections, given what the engine already made.
std::size_t connections_left(unsigned max_connections, const EngineStats& stats);

/// The record as one "etiquette" field: throttled yes/no with the reason, and what was skipped or discarded.
Field describe(const Etiquette& record);

}  // namespace sd::probe::ssh

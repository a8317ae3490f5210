// Per-SA timeline of IKEv2 logs: z/OS IKED (EZD messages, IKE DEBUGSA) and strongSwan charon events grouped by
// IKE SA and CHILD SA, with the state each SA is left in at the end of the log and, when an SA ends stuck, the
// point of no return. Built from the Events the readers already produce; renderers only read the model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/field.h"
#include "logs/event.h"

namespace sd::logs::ike {

/// What happened to an SA at one point of the log.
enum class Step {
  initiated,           ///< the SA set-up started (charon "initiating IKE_SA", "establishing CHILD_SA")
  established,         ///< the SA is up (charon "established", IKED EZD1779I attributes of a new SA)
  rekey_started,       ///< this side started a rekey
  rekeyed,             ///< a rekey (or reauthentication) completed
  lifetime_trimmed,    ///< the lifetime was cut short; the why says what forced it
  collision_detected,  ///< both sides rekeyed at once (IKED EZD1796I, charon "detected … collision")
  collision_won,       ///< this side's rekey survives; the peer's redundant SA goes
  collision_lost,      ///< the peer's rekey survives; this side deletes its redundant SA
  not_rekeyed,         ///< the daemon decided not to rekey (IKED EZD1791I)
  request_refused,     ///< a request was dropped because the SA is not usable (IKED EZD1756I)
  deleted,             ///< the SA is gone
  failed,              ///< set-up or rekey failed
};

/// Stable lower-case name of a step ("collision-detected"), as in JSON and the text ladder.
std::string_view to_string(Step step);

/// One step of one SA, tied to the log line it came from.
struct SaStep {
  Step step = Step::initiated;
  std::string detail;  ///< what the line says beyond the step ("from xxxx to 600 s due to certificate expiration")
  std::string file;
  std::size_t line = 0;
  std::optional<std::int64_t> time_ms;
  bool inferred = false;  ///< the peer's step, deduced from this side's log (no log from the peer)
};

/// The life of one SA as one peer logged it.
struct SaHistory {
  std::string peer;  ///< whose log: "z/OS IKED" or "charon", with the file name
  std::string file;
  std::string kind;  ///< "IKE_SA" or "CHILD_SA"
  std::string id;    ///< "SA xx of tunnel Kx", "t[1]", "c{2}"
  std::vector<SaStep> steps;
  std::string state;  ///< at the end of the log: "stuck", "collision resolved (won)", "established", "deleted" …
};

/// Every SA of the logs read, and what they add up to.
struct Timeline {
  std::vector<SaHistory> sas;              ///< in order of first appearance
  std::string verdict;                     ///< "stuck", "collision resolved" or "no collision"
  std::optional<SaStep> point_of_no_return;  ///< the step after which a stuck SA could not recover
  std::string point_of_no_return_sa;       ///< which SA it belongs to (SaHistory::id)

  /// True when no SA was seen.
  bool empty() const { return sas.empty(); }
};

/// Collects IKE events (formats "zos-iked" and "strongswan"; others only complete a wrapped IKED message) in
/// log order and builds the timeline.
class TimelineBuilder {
 public:
  /// Takes one event of any format, in the order read.
  void feed(const Event& ev);
  /// The timeline of everything fed so far.
  Timeline finish();

 private:
  struct Open {  // an IKED message that may continue on the next lines (quoted, wrapped text)
    std::string file;
    std::size_t line = 0;
    std::size_t last_line = 0;
    std::optional<std::int64_t> time_ms;
    std::string text;
    std::size_t extra = 0;
  };
  void flush();
  void iked(const Open& m);
  void charon(const Event& ev);
  SaHistory& sa(const std::string& file, const std::string& peer, const std::string& kind, const std::string& id);
  void add(SaHistory& h, Step step, std::string detail, const std::string& file, std::size_t line,
           std::optional<std::int64_t> time_ms);

  std::optional<Open> open_;
  std::vector<SaHistory> sas_;
  std::vector<SaStep> unattached_;  // IKED steps seen before any SA id in the same file (DEBUGSA context)
  std::string unattached_file_;
};

/// Builds the timeline of a whole list of events (tests and small inputs).
Timeline build_timeline(const std::vector<Event>& events);

/// One Field per SA (value: state at the end), its steps as children ("file:line detail").
std::vector<Field> timeline_fields(const Timeline& t);
/// Ladder rows for both peers: name "client" (first log), "server" (the peer), "break" (point of no return).
std::vector<Field> ladder_fields(const Timeline& t);
/// Plain-language notes: the verdict, the point of no return, which column is which peer.
std::vector<std::string> timeline_notes(const Timeline& t);

}  // namespace sd::logs::ike

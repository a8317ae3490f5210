// Matching: every line pattern of every rule in ONE Vectorscan database; rule logic runs on the hit events only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "kb/rule.h"
#include "logs/event.h"

struct hs_database;
struct hs_scratch;

namespace sd::kb {

/// One step of the reconstructed exchange, in input order.
struct Step {
  std::string dir;    ///< "client->server", "server->client", "client", "server" or "break"
  std::string label;
  std::string file;
  std::size_t line = 0;
};

/// What a scan concluded: findings (most specific first), the exchange, and what was recognised.
struct Diagnosis {
  std::vector<Finding> findings;
  std::vector<Step> ladder;                                          ///< at most Scan::kMaxSteps
  std::map<std::string, std::map<std::string, std::size_t>> recognised;  ///< format -> event type -> count
  std::size_t events = 0;
};

/// The compiled KB. Compile once per run; scans share it read-only.
class Matcher {
 public:
  /// Which rule and signal a pattern id stands for.
  struct Target {
    std::size_t rule = 0;
    std::size_t signal = 0;
  };

  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  /// Compiles every pattern of kb into one database; errors name the rule and signal whose pattern failed.
  /// Loads `prebuilt` (from serialize(); empty: the copy built into this program, if any) instead of compiling
  /// when it was made from exactly these patterns by this Vectorscan on a CPU this one can run.
  static std::unique_ptr<Matcher> compile(Kb kb, std::vector<KbError>& errors, std::string_view prebuilt = {});

  /// The compiled databases as bytes for compile()'s prebuilt (empty when there are no patterns).
  std::string serialize() const;
  /// True when the databases were loaded from prebuilt bytes instead of compiled.
  bool prebuilt() const { return prebuilt_; }
  /// The rules, in load order.
  const Kb& kb() const { return kb_; }
  /// Number of patterns in the database.
  std::size_t pattern_count() const { return targets_.size(); }

 private:
  Matcher() = default;
  friend class Scan;

  Kb kb_;
  hs_database* db_ = nullptr;        ///< per event: first match of each pattern
  hs_database* chunk_db_ = nullptr;  ///< per chunk of many lines: every match end (the fast lane)
  std::vector<Target> targets_;             ///< pattern id -> rule/signal
  std::vector<Target> condition_only_;      ///< signals with conditions and no pattern
  std::uint64_t fingerprint_ = 0;           ///< of the patterns and the Vectorscan version
  bool prebuilt_ = false;
};

/// One run over one or more inputs: feed every event, then finish.
class Scan {
 public:
  static constexpr std::size_t kMaxSteps = 400;       ///< ladder steps kept
  static constexpr std::size_t kMaxHitsPerSignal = 8; ///< hits kept per signal (the first ones)

  /// Prepares scratch space for the matcher's database.
  explicit Scan(const Matcher& matcher);
  ~Scan();
  Scan(const Scan&) = delete;
  Scan& operator=(const Scan&) = delete;

  /// Scans one event; keeps a copy only when a signal hit it.
  void feed(const logs::Event& ev);
  /// The fast lane's prefilter: byte offsets (ascending) where any pattern ends in a chunk of whole lines.
  void match_ends(std::string_view chunk, std::vector<std::size_t>& ends);
  /// Evaluates every rule on the hits and ranks the findings.
  Diagnosis finish() const;

 private:
  void record(const Matcher::Target& t, const logs::Event& ev);
  std::size_t keep(const logs::Event& ev);

  const Matcher& m_;
  hs_scratch* scratch_ = nullptr;
  std::vector<unsigned> pattern_hits_;            ///< reused per event
  std::vector<std::vector<std::vector<std::size_t>>> hits_;  ///< [rule][signal] -> indices into kept_
  std::vector<logs::Event> kept_;
  std::vector<Step> ladder_;
  std::map<std::string, std::map<std::string, std::size_t>> recognised_;
  std::size_t events_ = 0;
};

}  // namespace sd::kb

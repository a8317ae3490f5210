// Per-SA IKE timeline: IKED and charon messages to steps of SAs, then the state each SA ends in.
// Message texts: z/OS Communications Server IP Messages Volume 2 (EZD1756I, EZD1772I, EZD1776I, EZD1779I,
// EZD1791I, EZD1796I), APAR PH00771 (IKE DEBUGSA lifetime trimmed), strongSwan 5.9 libcharon log strings.
#include "logs/ike_timeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <regex>
#include <span>

#include "logs/line.h"

namespace sd::logs::ike {
namespace {

constexpr std::size_t kMaxWrappedLines = 4;  // an IKED message quoted in a document wraps over a few lines

struct StepName {
  Step step;
  std::string_view name;
};
constexpr std::array kStepNames{
    StepName{Step::initiated, "initiated"},
    StepName{Step::established, "established"},
    StepName{Step::rekey_started, "rekey-started"},
    StepName{Step::rekeyed, "rekeyed"},
    StepName{Step::lifetime_trimmed, "lifetime-trimmed"},
    StepName{Step::collision_detected, "collision-detected"},
    StepName{Step::collision_won, "collision-won"},
    StepName{Step::collision_lost, "collision-lost"},
    StepName{Step::not_rekeyed, "not-rekeyed"},
    StepName{Step::request_refused, "request-refused"},
    StepName{Step::deleted, "deleted"},
    StepName{Step::failed, "failed"},
};

// How one message text becomes a step. Group `id` (0: none) names the SA; `id2` a tunnel that qualifies it.
struct Pattern {
  Step step;
  const char* regex;
  int id;      // capture group of the SA number/name, 0 when the line does not name the SA
  int tunnel;  // IKED: capture group of the tunnel id; charon: 0
  const char* detail;  // fmt pattern over captures 1..3 (empty: none)
};

// z/OS IKED, matched against the message with its whitespace collapsed.
const std::array kIked{
    Pattern{Step::lifetime_trimmed, R"(lifetime trimmed from (\S+) to (\S+) due to (.+?)\.?$)", 0, 0,
            "from {0} to {1} seconds due to {2}"},
    Pattern{Step::collision_detected,
            R"(Simultaneous rekeying of IKE version \S+ security association (\S+) for tunnel (\S+) detected)", 1, 2,
            "both peers started a rekey at once"},
    Pattern{Step::not_rekeyed, R"(security association (\S+) for tunnel (\S+) will not be (rekeyed|reauthenticated))",
            1, 2, "IKED will not start another rekey of this SA"},
    Pattern{Step::request_refused,
            R"(request for (\S+) exchange with message ID (\S+) from (.+?) will not be processed because (.+?)\.?$)",
            0, 0, "{0} request (message ID {1}) from {2} dropped: {3}"},
    Pattern{Step::deleted, R"(security association (\S+) for tunnel (\S+) deleted)", 1, 2, ""},
    Pattern{Step::rekeyed, R"(security association (\S+) for tunnel (\S+) (reauthenticated|refreshed|rekeyed))", 1, 2,
            "{2}"},
    Pattern{Step::established, R"(security association (\S+) for tunnel (\S+) has the following attributes)", 1, 2,
            ""},
};

// strongSwan charon, matched against the message after "NN[IKE] <name|n> ".
const std::array kCharon{
    Pattern{Step::initiated, R"(^initiating IKE_SA (\S+) to (\S+))", 1, 0, "to {1}"},
    Pattern{Step::established, R"(^IKE_SA (\S+) established between (\S+))", 1, 0, "between {1}"},
    Pattern{Step::rekeyed, R"(^IKE_SA (\S+) rekeyed between (\S+))", 1, 0, "between {1}"},
    Pattern{Step::rekey_started, R"(^(?:IKE|CHILD)_SA (\S+) state change: (\S+) => REKEYING)", 1, 0, "from {1}"},
    Pattern{Step::collision_detected, R"(^detected (\S+) collision with (\S+))", 0, 0, "{0} against the peer's {1}"},
    Pattern{Step::collision_won, R"(^IKE_SA rekey collision won, waiting for delete for redundant IKE_SA (\S+))", 0,
            0, "the peer deletes its redundant IKE_SA {0}"},
    Pattern{Step::collision_lost, R"(^IKE_SA rekey collision lost, deleting redundant IKE_SA (\S+))", 0, 0,
            "this side deletes its redundant IKE_SA {0}"},
    Pattern{Step::collision_lost, R"(^peer did not notice IKE_SA rekey collision, abort active rekeying)", 0, 0,
            "the peer deleted this SA first; this side aborts its own rekey"},
    Pattern{Step::collision_won, R"(^CHILD_SA rekey collision won, deleting old child (\S+))", 0, 0,
            "old CHILD_SA {0} deleted"},
    Pattern{Step::collision_lost, R"(^CHILD_SA rekey collision lost, deleting redundant child (\S+))", 0, 0,
            "redundant CHILD_SA {0} deleted"},
    Pattern{Step::collision_lost, R"(^CHILD_SA rekey/delete collision, deleting (old|redundant) child (\S+))", 0, 0,
            "{0} CHILD_SA {1} deleted"},
    Pattern{Step::initiated, R"(^establishing CHILD_SA ([^\s{]+\{\d+\}))", 1, 0, ""},
    Pattern{Step::established, R"(^(?:outbound )?CHILD_SA ([^\s{]+\{\d+\}) established with SPIs (\S+) (\S+))", 1, 0,
            "SPIs {1} {2}"},
    Pattern{Step::deleted, R"(^closing (?:expired )?CHILD_SA ([^\s{]+\{\d+\}))", 1, 0, ""},
    Pattern{Step::deleted, R"(^deleting IKE_SA (\S+) between)", 1, 0, ""},
    Pattern{Step::deleted, R"(^received DELETE for IKE_SA (\S+))", 1, 0, "by the peer"},
    Pattern{Step::failed, R"(^(rekeying IKE_SA failed|establishing IKE_SA failed|CHILD_SA rekeying failed).*)", 0, 0,
            "{0}"},
    Pattern{Step::lifetime_trimmed, R"(^rescheduling reauthentication in (\d+)s after rekeying, lifetime reduced to (\d+)s)",
            0, 0, "lifetime reduced to {1} seconds"},
};

struct Compiled {
  const Pattern* pattern;
  std::regex regex;
};

std::vector<Compiled> compile(std::span<const Pattern> patterns) {
  std::vector<Compiled> out;
  for (const auto& p : patterns) out.push_back({&p, std::regex(p.regex, std::regex::icase | std::regex::optimize)});
  return out;
}

const std::vector<Compiled>& iked_patterns() {
  static const auto compiled = compile(kIked);
  return compiled;
}
const std::vector<Compiled>& charon_patterns() {
  static const auto compiled = compile(kCharon);
  return compiled;
}

// A recognised message: which pattern and its captures.
struct Match {
  const Pattern* pattern = nullptr;
  std::vector<std::string> groups;  // groups[0] is capture 1
};

std::optional<Match> first_match(const std::vector<Compiled>& patterns, const std::string& text) {
  for (const auto& c : patterns) {
    std::smatch m;
    if (!std::regex_search(text, m, c.regex)) continue;
    Match out{c.pattern, {}};
    for (std::size_t i = 1; i < m.size(); ++i) out.groups.push_back(m[i].str());
    return out;
  }
  return std::nullopt;
}

std::string group(const Match& m, int n) {
  return n > 0 && static_cast<std::size_t>(n) <= m.groups.size() ? m.groups[static_cast<std::size_t>(n) - 1] : "";
}

std::string detail_of(const Match& m) {
  std::string_view d = m.pattern->detail;
  if (d.empty()) return "";
  const auto g = [&](int i) { return group(m, i); };
  return fmt::format(fmt::runtime(d), g(1), g(2), g(3), g(4));
}

std::string collapse(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    const bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (ws) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// charon: the message after "NN[GRP] " and the IKE SA named by an optional "<name|n> " prefix ("name[n]").
struct CharonLine {
  std::string message;
  std::string ike_sa;
};

std::optional<CharonLine> charon_line(std::string_view text) {
  const auto close = text.find("] ");
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view rest = trim(text.substr(close + 2));
  CharonLine out;
  if (starts_with(rest, "<")) {
    const auto end = rest.find('>');
    const auto bar = rest.find('|');
    if (end == std::string_view::npos) return std::nullopt;
    if (bar != std::string_view::npos && bar < end)
      out.ike_sa = fmt::format("{}[{}]", rest.substr(1, bar - 1), rest.substr(bar + 1, end - bar - 1));
    rest = trim(rest.substr(end + 1));
  }
  out.message = std::string(rest);
  return out;
}

bool iked_wrapped_line(const Event& ev) {
  return ev.format != "zos-iked" && ev.format != "strongswan" && !trim(ev.text).empty();
}

bool after(const SaHistory& h, Step first, std::initializer_list<Step> later) {
  bool seen = false;
  for (const auto& s : h.steps) {
    if (s.step == first) seen = true;
    else if (seen && std::find(later.begin(), later.end(), s.step) != later.end()) return true;
  }
  return false;
}

bool has(const SaHistory& h, Step step) {
  return std::any_of(h.steps.begin(), h.steps.end(), [&](const SaStep& s) { return s.step == step; });
}

// The state an SA is left in, read from its steps.
std::string end_state(const SaHistory& h) {
  if (has(h, Step::collision_won)) return "collision resolved (won)";
  if (has(h, Step::collision_lost)) return "collision resolved (lost)";
  if (h.steps.empty()) return "unknown";
  const Step last = h.steps.back().step;
  const bool iked = h.peer.starts_with("z/OS");
  if (has(h, Step::not_rekeyed) && !after(h, Step::not_rekeyed, {Step::rekeyed, Step::deleted, Step::established}))
    return "stuck";
  if (last == Step::request_refused) return "stuck";
  if (has(h, Step::collision_detected)) {
    if (after(h, Step::collision_detected, {Step::rekeyed, Step::deleted, Step::established}))
      return "collision resolved";
    return iked ? "stuck" : "rekeying";
  }
  switch (last) {
    case Step::initiated: return "connecting";
    case Step::established: return "established";
    case Step::rekey_started: return "rekeying";
    case Step::rekeyed: return "rekeyed";
    case Step::lifetime_trimmed: return "established, lifetime trimmed";
    case Step::deleted: return "deleted";
    case Step::failed: return "failed";
    default: return "unknown";
  }
}

// The step of a stuck SA after which it could not recover: IKED's refusal to rekey, else the collision.
std::optional<SaStep> no_return(const SaHistory& h) {
  for (const Step want : {Step::not_rekeyed, Step::collision_detected, Step::request_refused})
    for (const auto& s : h.steps)
      if (s.step == want) return s;
  return std::nullopt;
}

std::string where(const SaStep& s) { return fmt::format("{}:{}", s.file, s.line); }

std::string step_label(const SaHistory& h, const SaStep& s) {
  std::string out = fmt::format("{} {} {}", h.kind, h.id, to_string(s.step));
  if (!s.detail.empty()) out += ": " + s.detail;
  return out;
}

}  // namespace

std::string_view to_string(Step step) {
  for (const auto& n : kStepNames)
    if (n.step == step) return n.name;
  return "unknown";
}

void TimelineBuilder::feed(const Event& ev) {
  if (open_ && ev.file == open_->file && ev.line == open_->last_line + 1 && open_->extra < kMaxWrappedLines &&
      iked_wrapped_line(ev)) {
    open_->text += ' ' + ev.text;
    open_->last_line = ev.last_line;
    ++open_->extra;
    return;
  }
  flush();
  if (ev.format == "zos-iked")
    open_ = Open{ev.file, ev.line, ev.last_line, ev.time_ms, ev.text, 0};
  else if (ev.format == "strongswan")
    charon(ev);
}

void TimelineBuilder::flush() {
  if (!open_) return;
  const Open m = std::move(*open_);
  open_.reset();
  iked(m);
}

SaHistory& TimelineBuilder::sa(const std::string& file, const std::string& peer, const std::string& kind,
                               const std::string& id) {
  for (auto& h : sas_)
    if (h.file == file && h.kind == kind && h.id == id) return h;
  sas_.push_back(SaHistory{fmt::format("{} ({})", peer, file), file, kind, id, {}, ""});
  return sas_.back();
}

void TimelineBuilder::add(SaHistory& h, Step step, std::string detail, const std::string& file, std::size_t line,
                          std::optional<std::int64_t> time_ms) {
  if (step == Step::deleted && !h.steps.empty() && h.steps.back().step == Step::deleted) return;  // received + deleting
  h.steps.push_back(SaStep{step, std::move(detail), file, line, time_ms, false});
}

void TimelineBuilder::iked(const Open& m) {
  const auto match = first_match(iked_patterns(), collapse(m.text));
  if (!match) return;
  SaStep step{match->pattern->step, detail_of(*match), m.file, m.line, m.time_ms, false};
  const std::string number = group(*match, match->pattern->id);
  if (number.empty()) {
    // No SA named: it belongs to the SA logged last in this file, or to the next one (DEBUGSA context).
    for (auto it = sas_.rbegin(); it != sas_.rend(); ++it)
      if (it->file == m.file) return it->steps.push_back(std::move(step));
    unattached_file_ = m.file;
    unattached_.push_back(std::move(step));
    return;
  }
  const std::string tunnel = group(*match, match->pattern->tunnel);
  const bool child = !tunnel.empty() && (tunnel.front() == 'Y' || tunnel.front() == 'y');
  SaHistory& h = sa(m.file, "z/OS IKED", child ? "CHILD_SA" : "IKE_SA", fmt::format("{} of tunnel {}", number, tunnel));
  if (!unattached_.empty() && unattached_file_ == m.file) {
    h.steps.insert(h.steps.end(), unattached_.begin(), unattached_.end());
    unattached_.clear();
  }
  h.steps.push_back(std::move(step));
}

void TimelineBuilder::charon(const Event& ev) {
  const auto line = charon_line(ev.text);
  if (!line) return;
  const auto match = first_match(charon_patterns(), line->message);
  if (!match) return;
  std::string id = group(*match, match->pattern->id);
  std::string kind = id.find('{') != std::string::npos ? "CHILD_SA" : "IKE_SA";
  if (id.empty()) id = line->ike_sa;
  if (id.empty()) return;
  add(sa(ev.file, "charon", kind, id), match->pattern->step, detail_of(*match), ev.file, ev.line, ev.time_ms);
}

Timeline TimelineBuilder::finish() {
  flush();
  Timeline t;
  t.sas = sas_;
  if (!unattached_.empty())
    t.sas.push_back(SaHistory{fmt::format("z/OS IKED ({})", unattached_file_), unattached_file_, "IKE_SA",
                              "(not named)", unattached_, ""});
  bool collision = false;
  for (auto& h : t.sas) {
    h.state = end_state(h);
    collision = collision || has(h, Step::collision_detected) || has(h, Step::collision_won) ||
                has(h, Step::collision_lost);
    if (h.state == "stuck" && !t.point_of_no_return) {
      t.point_of_no_return = no_return(h);
      t.point_of_no_return_sa = h.id;
    }
  }
  t.verdict = t.point_of_no_return ? "stuck" : collision ? "collision resolved" : "no collision";
  return t;
}

Timeline build_timeline(const std::vector<Event>& events) {
  TimelineBuilder b;
  for (const auto& ev : events) b.feed(ev);
  return b.finish();
}

std::vector<Field> timeline_fields(const Timeline& t) {
  std::vector<Field> out;
  for (const auto& h : t.sas) {
    Field f = leaf(fmt::format("{} {}", h.kind, h.id), h.state);
    f.add(leaf("peer", h.peer));
    for (const auto& s : h.steps)
      f.add(leaf(std::string(to_string(s.step)), s.detail.empty() ? where(s) : where(s) + " " + s.detail));
    out.push_back(std::move(f));
  }
  return out;
}

namespace {

struct Row {
  std::optional<std::int64_t> time_ms;
  std::size_t file;  // index of the log (column)
  std::size_t line;
  std::size_t order;
  Field field;
};

// Log order: by time when every row has one, then by log, then by line.
bool earlier(const Row& a, const Row& b, bool timed) {
  if (timed && *a.time_ms != *b.time_ms) return *a.time_ms < *b.time_ms;
  if (a.file != b.file) return a.file < b.file;
  if (a.line != b.line) return a.line < b.line;
  return a.order < b.order;
}

// Steps the peer must have taken, read from this side's log when the peer's log is missing.
void inferred_rows(const SaHistory& h, const SaStep& s, std::vector<Field>& out) {
  if (s.step == Step::collision_detected)
    out.push_back(leaf("server", fmt::format("peer started its own rekey of {} at the same time (inferred)", h.id)));
  if (s.step == Step::request_refused)
    out.push_back(leaf("server->client", "INFORMATIONAL request from the peer (inferred)"));
}

}  // namespace

std::vector<Field> ladder_fields(const Timeline& t) {
  std::vector<std::string> files;
  for (const auto& h : t.sas)
    if (std::find(files.begin(), files.end(), h.file) == files.end()) files.push_back(h.file);
  const bool one_peer = files.size() == 1;
  std::vector<Row> rows;
  for (const auto& h : t.sas) {
    const auto file = static_cast<std::size_t>(std::find(files.begin(), files.end(), h.file) - files.begin());
    for (const auto& s : h.steps) {
      std::vector<Field> fs;
      if (one_peer) inferred_rows(h, s, fs);
      fs.push_back(leaf(file == 0 ? "client" : "server", fmt::format("{} (line {})", step_label(h, s), s.line)));
      if (t.point_of_no_return && where(*t.point_of_no_return) == where(s) && t.point_of_no_return_sa == h.id)
        fs.push_back(leaf("break", fmt::format("point of no return: {} stays stuck from here", h.id)));
      for (auto& f : fs) rows.push_back(Row{s.time_ms, file, s.line, rows.size(), std::move(f)});
    }
  }
  const bool timed = std::all_of(rows.begin(), rows.end(), [](const Row& r) { return r.time_ms.has_value(); });
  std::sort(rows.begin(), rows.end(), [timed](const Row& a, const Row& b) { return earlier(a, b, timed); });
  std::vector<Field> out;
  for (auto& r : rows) out.push_back(std::move(r.field));
  return out;
}

std::vector<std::string> timeline_notes(const Timeline& t) {
  std::vector<std::string> notes;
  if (t.empty()) return notes;
  std::vector<std::string> peers;
  for (const auto& h : t.sas)
    if (std::find(peers.begin(), peers.end(), h.peer) == peers.end()) peers.push_back(h.peer);
  notes.push_back(fmt::format("left column: {}; right column: {}", peers.front(),
                              peers.size() > 1 ? peers[1] : "the peer (no log given; its steps are inferred)"));
  if (t.verdict == "stuck" && t.point_of_no_return)
    notes.push_back(fmt::format("stuck: {} never recovers; point of no return at {}:{} ({})", t.point_of_no_return_sa,
                                t.point_of_no_return->file, t.point_of_no_return->line,
                                to_string(t.point_of_no_return->step)));
  else if (t.verdict == "collision resolved")
    notes.push_back("collision resolved: both peers rekeyed at once, one SA won and the redundant one was deleted "
                    "(RFC 7296 section 2.8.1), which is the healthy outcome");
  else
    notes.push_back("no rekey collision in these logs");
  return notes;
}

}  // namespace sd::logs::ike

// The checks sshd -t and ssh -G make on every line, in the order OpenSSH makes them, driven by keywords.tsv.
#include "audit/openssh/validate.h"

#include <fmt/format.h>
#include <fnmatch.h>
#include <netdb.h>

#include <algorithm>
#include <map>
#include <optional>

#include "audit/common/table.h"
#include "audit/openssh/offer.h"

namespace sd::audit::openssh {
namespace {

std::string program_of(Role role) { return role == Role::server ? "sshd" : "ssh"; }

std::string cell(const Row& r, const std::string& column) {
  const auto it = r.find(column);
  return it == r.end() ? std::string() : it->second;
}

const std::vector<Row>& keyword_rows() {
  static const std::vector<Row> rows = table("openssh/keywords.tsv");
  return rows;
}

const std::vector<Row>& message_rows() {
  static const std::vector<Row> rows = table("openssh/messages.tsv");
  return rows;
}

std::string keyword_key(const std::string& version, const std::string& program, const std::string& keyword) {
  return version + '\t' + program + '\t' + lower(keyword);
}

// keywords.tsv indexed once by version, program and lower-case keyword (the first row wins, as in the file).
const std::map<std::string, const Row*>& keyword_index() {
  static const auto index = [] {
    std::map<std::string, const Row*> out;
    for (const auto& r : keyword_rows())
      out.emplace(keyword_key(cell(r, "version"), cell(r, "program"), cell(r, "keyword")), &r);
    return out;
  }();
  return index;
}

// The keywords.tsv row of a keyword (any case) for one program and version; nullptr when it is unknown there.
const Row* keyword_row(const std::string& version, const std::string& program, const std::string& keyword) {
  const auto it = keyword_index().find(keyword_key(version, program, keyword));
  return it == keyword_index().end() ? nullptr : it->second;
}

// The messages.tsv row of one kind of complaint.
const Row* message_row(const std::string& version, const std::string& program, const std::string& kind) {
  for (const auto& r : message_rows())
    if (cell(r, "version") == version && cell(r, "program") == program && cell(r, "kind") == kind) return &r;
  return nullptr;
}

// Fills a captured template: {file} {line} {keyword} (as written) {keyword_lower} {value} {count}.
std::string fill(std::string text, const ConfigLine& l, const std::string& value, std::size_t count = 0) {
  const std::vector<std::pair<std::string, std::string>> slots = {
      {"{file}", l.file}, {"{line}", std::to_string(l.line)}, {"{keyword_lower}", lower(l.key)},
      {"{keyword}", l.key}, {"{value}", value}, {"{count}", std::to_string(count)}};
  for (const auto& [slot, with] : slots)
    for (auto at = text.find(slot); at != std::string::npos; at = text.find(slot, at + with.size()))
      text.replace(at, slot.size(), with);
  return text;
}

Weight weight_of(const std::string& counted) {
  if (counted == "yes") return Weight::counted;
  if (counted == "warning") return Weight::warning;
  return Weight::fatal;
}

// The first word of a value, without the double quotes OpenSSH strips.
std::string first_word(std::string_view value) {
  const auto end = value.find_first_of(" \t");
  auto word = value.substr(0, end);
  if (word.size() >= 2 && word.front() == '"' && word.back() == '"') word = word.substr(1, word.size() - 2);
  return std::string(word);
}

std::vector<std::string> comma_list(std::string_view list) {
  std::vector<std::string> out;
  for (std::string_view rest = list; !rest.empty();) {
    const auto comma = rest.find(',');
    out.emplace_back(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  return out;
}

bool has_wildcard(const std::string& name) { return name.find_first_of("*?!") != std::string::npos; }

// A name OpenSSH accepts in the list: known to the build, or (host key lists only) a pattern matching one.
bool known_name(const std::string& name, const std::vector<std::string>& supported, bool patterns) {
  if (std::find(supported.begin(), supported.end(), name) != supported.end()) return true;
  if (!patterns || !has_wildcard(name)) return false;
  const auto pattern = name.starts_with("!") ? name.substr(1) : name;
  return std::any_of(supported.begin(), supported.end(),
                     [&](const std::string& s) { return fnmatch(pattern.c_str(), s.c_str(), 0) == 0; });
}

// The names of an algorithm list the version lacks ("-" lists are never checked, as in OpenSSH).
std::vector<std::string> bad_algorithms(const std::string& word, const std::string& setting,
                                        const std::string& version) {
  if (word.empty() || word.front() == '-') return {};
  const auto list = word.front() == '+' || word.front() == '^' ? word.substr(1) : word;
  const auto supported = default_names(version, "supported", setting);
  std::vector<std::string> bad;
  for (const auto& name : comma_list(list))
    if (!known_name(name, supported, setting == "HostKeyAlgorithms")) bad.push_back(name.empty() ? "(empty)" : name);
  return bad;
}

bool all_digits(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// OpenSSH's time format: numbers, each followed by at most one of s m h d w (either case), "1h30m".
bool valid_time(std::string_view word) {
  if (word.empty() || word.front() < '0' || word.front() > '9') return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    if (c >= '0' && c <= '9') continue;
    const bool unit = std::string_view("smhdwSMHDW").find(c) != std::string_view::npos;
    const bool after_digit = word[i - 1] >= '0' && word[i - 1] <= '9';
    if (!unit || !after_digit) return false;
  }
  return true;
}

// A port as OpenSSH reads it: 1 to 65535, or a TCP service name this host's /etc/services knows.
bool valid_port(const std::string& word) {
  if (all_digits(word)) return word.size() <= 5 && std::stoul(word) >= 1 && std::stoul(word) <= 65535;
  return !word.empty() && getservbyname(word.c_str(), "tcp") != nullptr;
}

// Whether a bad value is there, and the hint: the accepted words, or the names the build lacks.
std::optional<std::string> bad_value(const Row& row, const std::string& word, const std::string& version) {
  const auto kind = cell(row, "value");
  if (kind == "enum") {
    const auto words = comma_list(cell(row, "values"));
    if (std::find(words.begin(), words.end(), lower(word)) != words.end()) return std::nullopt;
    return "one of: " + cell(row, "values");
  }
  if (kind == "int") {
    if (all_digits(word)) return std::nullopt;
    return std::string("a whole number");
  }
  if (kind == "time") {
    if (valid_time(word)) return std::nullopt;
    return std::string("a time: a number, or numbers each followed by s, m, h, d or w (1m30s)");
  }
  if (kind == "port") {
    if (valid_port(word)) return std::nullopt;
    return std::string("a port number from 1 to 65535, or a service name from /etc/services");
  }
  if (kind.starts_with("algos:")) {
    const auto setting = kind.substr(6);
    const auto bad = bad_algorithms(word, setting, version);
    if (bad.empty()) return std::nullopt;
    return fmt::format("drop {} (not in OpenSSH {}'s {})", fmt::join(bad, ", "), version, setting);
  }
  return std::nullopt;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The known keyword nearest to a misspelt one (at most 3 edits), or "".
std::string nearest_keyword(const std::string& version, const std::string& program, const std::string& keyword) {
  std::string best;
  std::size_t best_distance = 4;
  for (const auto& r : keyword_rows()) {
    if (cell(r, "version") != version || cell(r, "program") != program || cell(r, "status") != "known") continue;
    const auto d = edit_distance(lower(keyword), lower(cell(r, "keyword")));
    if (d < best_distance) best = cell(r, "keyword"), best_distance = d;
  }
  return best;
}

// A keyword a vendor's build adds (AIX …), accepted when the platform is that one or not known.
bool vendor_keyword(const std::string& program, const std::string& platform, const std::string& keyword) {
  static const std::vector<Row> rows = table("openssh/vendor_keywords.tsv");
  const auto k = lower(keyword);
  return std::any_of(rows.begin(), rows.end(), [&](const Row& r) {
    return cell(r, "program") == program && lower(cell(r, "keyword")) == k &&
           (platform.empty() || lower(platform) == cell(r, "platform"));
  });
}

// ssh_config's IgnoreUnknown patterns seen so far silence unknown keywords matching them.
bool ignored_unknown(const std::vector<std::string>& patterns, const std::string& keyword) {
  const auto k = lower(keyword);
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
    return fnmatch(lower(p).c_str(), k.c_str(), 0) == 0;
  });
}

struct Checker {
  std::string version;
  std::string program;
  std::string platform;
  std::vector<std::string> ignore_unknown;

  // A keyword-level complaint with its captured message; a kind the program is silent about (ssh's deprecated
  // keywords) is a warning with no message.
  Complaint complaint(const Entry& e, const std::string& kind) const {
    const Row* m = message_row(version, program, kind);
    if (!m) return Complaint{e.line, kind, {}, Weight::warning, {}};
    return Complaint{e.line, kind, fill(cell(*m, "message"), e.line, {}), weight_of(cell(*m, "counted")), {}};
  }

  // sshd reads Match blocks at startup without applying them (all but "Match all", which applies everywhere):
  // only keywords allowed there may appear.
  bool outside_match(const Entry& e, const Row* row) const {
    const bool in_match = !e.block.empty() && lower(e.block) != "match all";
    return program == "sshd" && in_match && (!row || cell(*row, "match") == "no");
  }

  std::optional<Complaint> value_complaint(const Entry& e, const Row& row) const {
    const auto word = first_word(e.line.value);
    const auto hint = bad_value(row, word, version);
    if (!hint) return std::nullopt;
    return Complaint{e.line, "bad-value", fill(cell(row, "bad_value_message"), e.line, word),
                     weight_of(cell(row, "bad_value_counted")), *hint};
  }

  // Every complaint about one line, in the order the program prints them.
  std::vector<Complaint> check(const Entry& e) {
    if (e.line.value.empty()) return {complaint(e, "missing-argument")};
    const Row* row = keyword_row(version, program, e.line.key);
    if (row && lower(e.line.key) == "ignoreunknown")
      for (const auto& p : comma_list(first_word(e.line.value))) ignore_unknown.push_back(p);
    std::vector<Complaint> out;
    if (!row) {
      if (program == "ssh" && ignored_unknown(ignore_unknown, e.line.key)) return out;
      if (vendor_keyword(program, platform, e.line.key)) return out;
      out.push_back(complaint(e, "unknown"));
      out.back().hint = nearest_keyword(version, program, e.line.key);
    }
    if (outside_match(e, row)) out.push_back(complaint(e, "not-in-match"));
    if (!row || !out.empty()) return out;
    const auto status = cell(*row, "status");
    if (status == "deprecated" || status == "unsupported") return {complaint(e, status)};
    if (auto c = value_complaint(e, *row)) out.push_back(std::move(*c));
    return out;
  }
};

}  // namespace

Verdict validate(const Config& c, const std::string& version, const std::string& platform) {
  Verdict v{program_of(c.role), version, {}, {}, {}, false};
  Checker checker{version, v.program, platform, {}};
  bool stopped = false;
  std::size_t counted = 0;
  for (const auto& e : c.entries)
    for (auto& complaint : checker.check(e)) {
      if (stopped) {
        if (complaint.weight != Weight::warning) v.unread.push_back(std::move(complaint));
        continue;
      }
      counted += complaint.weight == Weight::counted ? 1 : 0;
      stopped = complaint.weight == Weight::fatal;
      v.complaints.push_back(std::move(complaint));
    }
  v.refused = stopped || counted > 0;
  if (!stopped && counted > 0)
    if (const Row* m = message_row(version, v.program, "terminating"))
      v.closing = fill(cell(*m, "message"), ConfigLine{c.file, 0, {}, {}, {}}, {}, counted);
  return v;
}

std::vector<std::string> validated_versions() {
  std::vector<std::string> out;
  for (const auto& r : keyword_rows())
    if (std::find(out.begin(), out.end(), cell(r, "version")) == out.end()) out.push_back(cell(r, "version"));
  return out;
}

}  // namespace sd::audit::openssh

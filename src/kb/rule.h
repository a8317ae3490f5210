// Knowledge-base rules: one known failure each, loaded from YAML data (data/kb/<family>/<id>.yaml).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"

namespace sd::kb {

/// One comparison over an event: "decoded.max_version < tls1.2", "attr.rc == 410", "decoded.has_sni == false".
struct Condition {
  std::string field;  ///< "decoded.<summary field>" or "attr.<event attribute>"
  std::string op;     ///< ==, !=, <, <=, >, >=, contains
  std::string value;  ///< as written; versions (ssl3, tls1.0 … tls1.3) and numbers compare numerically
  std::string text;   ///< the condition as written in the rule
};

/// One piece of evidence a rule looks for: a line pattern and/or conditions, with filters and constraints.
struct Signal {
  std::string name;
  std::string pattern;                  ///< regex, or the literal text when literal is true; empty: conditions only
  bool literal = false;
  bool caseless = false;
  std::vector<std::string> formats;     ///< Event::format values it applies to; empty: any
  std::vector<std::string> types;       ///< Event::type values it applies to; empty: any
  std::string side;                     ///< "client"/"server": only events logged by that side; empty: any
  std::vector<Condition> when;          ///< all must hold on the event
  bool optional = false;                ///< supporting evidence: raises confidence, not needed to match
  std::string group;                    ///< required signals sharing a group: any one of them is enough
  std::string after;                    ///< name of a signal whose first hit must come earlier
  std::optional<std::int64_t> within_ms;  ///< with after: at most this long after it, when both have times
  double weight = 1.0;                  ///< contribution to the ranking score
};

/// A piece of real text the rule must diagnose: a file under the source tree and what is expected of it.
struct TestCase {
  std::string file;        ///< path relative to the source tree
  std::vector<std::string> extra;  ///< more files read in the same run (the other side's log)
  std::string expect = "found";  ///< "top" (first finding) or "found" (among the findings)
  std::string log_format;  ///< forces a reader, as --log-format does; empty: auto
  std::string source;      ///< where the text comes from (seed, document, live capture)
};

/// One known failure.
struct Rule {
  std::string id;           ///< "<family>.<name>", stable
  std::string title;
  std::string family;
  std::vector<std::string> protocols;
  std::vector<std::string> platforms;
  Severity severity = Severity::high;
  double confidence = 0.8;  ///< 0..1 when every signal is present
  int specificity = 50;     ///< 0..100: how narrow the pattern is; higher ranks first
  std::string outcome;      ///< closed outcome vocabulary (core/outcome.h), optional
  std::vector<Signal> signals;
  std::string cause;
  std::string change_side;  ///< "client", "server" or "either"
  std::vector<Fix> fixes;
  std::vector<Reference> references;
  std::vector<TestCase> tests;
  std::string source_path;  ///< the data file it came from
};

/// The whole knowledge base.
struct Kb {
  std::vector<Rule> rules;
};

/// A problem with one data file or rule.
struct KbError {
  std::string where;    ///< data file, or rule id
  std::string message;
};

/// A knowledge base and whatever could not be loaded into it.
struct Loaded {
  Kb kb;
  std::vector<KbError> errors;
};

/// The rules compiled into the binary.
Loaded load_embedded();
/// The compiled-in rule with this id, or nullptr; the rules are loaded once, on the first call.
const Rule* find_embedded_rule(const std::string& id);
/// A finding with the rule's id, title, severity, cause, change side, fixes and references (no evidence; the
/// confidence is Finding's default, for the caller to set).
Finding finding_of(const Rule& rule);
/// finding_of the compiled-in rule with this id; without one, a finding with only the id, title and cause given.
Finding embedded_finding(const std::string& id, const std::string& fallback_title, const std::string& fallback_cause);
/// Every *.yaml file under dir (recursively).
Loaded load_directory(const std::string& dir);
/// One rule from YAML text; path names it in errors.
Loaded load_text(const std::string& path, const std::string& text);

/// Schema and invariants over the whole KB: unique ids, required fields, known fields and values, references
/// with ids, at least one test case per rule. Pattern compilation is checked by the matcher.
std::vector<KbError> check(const Kb& kb);

/// Parses "field op value"; nullopt when it does not have that shape or names an unknown field.
std::optional<Condition> parse_condition(const std::string& text);

}  // namespace sd::kb

#include "kb/matcher.h"

#include <hs/hs.h>

#include <algorithm>

#include "kb/condition.h"

namespace sd::kb {
namespace {

// A literal as a Vectorscan expression: every byte outside [A-Za-z0-9 ] escaped as \xHH.
std::string escape_literal(const std::string& text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool listed(const std::vector<std::string>& allowed, const std::string& v) {
  if (allowed.empty()) return true;
  for (const auto& a : allowed)
    if (a == v) return true;
  return false;
}

bool applies(const Signal& s, const logs::Event& ev) {
  if (!listed(s.formats, ev.format) || !listed(s.types, ev.type)) return false;
  if (!s.side.empty() && ev.side != s.side) return false;
  for (const auto& c : s.when)
    if (!holds(c, ev)) return false;
  return true;
}

int on_match_end(unsigned int, unsigned long long, unsigned long long to, unsigned int, void* ctx) {
  static_cast<std::vector<std::size_t>*>(ctx)->push_back(static_cast<std::size_t>(to));
  return 0;
}

int on_match(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  static_cast<std::vector<unsigned>*>(ctx)->push_back(id);
  return 0;
}

}  // namespace

Matcher::~Matcher() {
  hs_free_database(db_);
  hs_free_database(chunk_db_);
}

std::unique_ptr<Matcher> Matcher::compile(Kb kb, std::vector<KbError>& errors) {
  std::unique_ptr<Matcher> m(new Matcher());
  m->kb_ = std::move(kb);
  std::vector<std::string> expressions;
  std::vector<unsigned> flags;
  for (std::size_t r = 0; r < m->kb_.rules.size(); ++r) {
    const auto& rule = m->kb_.rules[r];
    for (std::size_t s = 0; s < rule.signals.size(); ++s) {
      const auto& sig = rule.signals[s];
      if (sig.pattern.empty()) {
        m->condition_only_.push_back({r, s});
        continue;
      }
      expressions.push_back(sig.literal ? escape_literal(sig.pattern) : sig.pattern);
      flags.push_back(HS_FLAG_SINGLEMATCH | HS_FLAG_MULTILINE | (sig.caseless ? HS_FLAG_CASELESS : 0u));
      m->targets_.push_back({r, s});
    }
  }
  if (expressions.empty()) return m;
  std::vector<const char*> ptrs;
  std::vector<unsigned> ids;
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    ptrs.push_back(expressions[i].c_str());
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* err = nullptr;
  auto rc = hs_compile_multi(ptrs.data(), flags.data(), ids.data(), static_cast<unsigned>(ptrs.size()),
                             HS_MODE_BLOCK, nullptr, &m->db_, &err);
  if (rc == HS_SUCCESS) {
    std::vector<unsigned> every_match(flags);
    for (auto& f : every_match) f &= ~static_cast<unsigned>(HS_FLAG_SINGLEMATCH);
    rc = hs_compile_multi(ptrs.data(), every_match.data(), ids.data(), static_cast<unsigned>(ptrs.size()),
                          HS_MODE_BLOCK, nullptr, &m->chunk_db_, &err);
  }
  if (rc != HS_SUCCESS) {
    const auto bad = err && err->expression >= 0 ? static_cast<std::size_t>(err->expression) : 0;
    const auto& t = m->targets_[bad];
    const auto& rule = m->kb_.rules[t.rule];
    errors.push_back({rule.id, "signal " + rule.signals[t.signal].name + ": pattern does not compile: " +
                                   (err ? err->message : "unknown error")});
    hs_free_compile_error(err);
    return nullptr;
  }
  return m;
}

Scan::Scan(const Matcher& matcher) : m_(matcher) {
  if (m_.db_) hs_alloc_scratch(m_.db_, &scratch_);
  if (m_.chunk_db_) hs_alloc_scratch(m_.chunk_db_, &scratch_);
  pattern_hits_.reserve(64);
  hits_.resize(m_.kb_.rules.size());
  for (std::size_t r = 0; r < hits_.size(); ++r) hits_[r].resize(m_.kb_.rules[r].signals.size());
}

Scan::~Scan() { hs_free_scratch(scratch_); }

std::size_t Scan::keep(const logs::Event& ev) {
  if (!kept_.empty() && kept_.back().line == ev.line && kept_.back().file == ev.file) return kept_.size() - 1;
  kept_.push_back(ev);
  return kept_.size() - 1;
}

void Scan::record(const Matcher::Target& t, const logs::Event& ev) {
  const auto& sig = m_.kb_.rules[t.rule].signals[t.signal];
  auto& list = hits_[t.rule][t.signal];
  if (list.size() >= kMaxHitsPerSignal || !applies(sig, ev)) return;
  list.push_back(keep(ev));
}

void Scan::match_ends(std::string_view chunk, std::vector<std::size_t>& ends) {
  if (!scratch_ || !m_.chunk_db_) return;
  hs_scan(m_.chunk_db_, chunk.data(), static_cast<unsigned>(chunk.size()), 0, scratch_, on_match_end, &ends);
  std::sort(ends.begin(), ends.end());
}

void Scan::feed(const logs::Event& ev) {
  ++events_;
  auto& per_type = recognised_[ev.format];
  ++per_type[ev.type];
  if (const auto dir = ev.attrs.find("dir"); dir != ev.attrs.end() && ladder_.size() < kMaxSteps) {
    const auto step = ev.attrs.find("step");
    ladder_.push_back({dir->second, step == ev.attrs.end() ? std::string() : step->second, ev.file, ev.line});
  }
  if (scratch_) {
    pattern_hits_.clear();
    hs_scan(m_.db_, ev.text.data(), static_cast<unsigned>(ev.text.size()), 0, scratch_, on_match, &pattern_hits_);
    for (const auto id : pattern_hits_) record(m_.targets_[id], ev);
  }
  if (ev.decoded)
    for (const auto& t : m_.condition_only_) record(t, ev);
}

}  // namespace sd::kb

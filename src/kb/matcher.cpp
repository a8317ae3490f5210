#include "kb/matcher.h"

#include <hs/hs.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <span>

#include "core/bytes.h"
#include "core/embedded.h"
#include "kb/condition.h"

// The KB's databases serialised at build time (src/CMakeLists.txt, tools/kb_db.cpp); linked only into the
// shakedown binary, so other programs (tests, the generator itself) see no definition and compile at start-up.
__attribute__((weak)) std::span<const sd::EmbeddedFile> sd_kb_database();

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

// Every pattern of kb as a Vectorscan expression with its flags, and the rule/signal it stands for.
struct Patterns {
  std::vector<std::string> expressions;
  std::vector<unsigned> flags;
};

Patterns patterns_of(const Kb& kb, std::vector<Matcher::Target>& targets, std::vector<Matcher::Target>& conditions) {
  Patterns p;
  for (std::size_t r = 0; r < kb.rules.size(); ++r) {
    const auto& rule = kb.rules[r];
    for (std::size_t s = 0; s < rule.signals.size(); ++s) {
      const auto& sig = rule.signals[s];
      if (sig.pattern.empty()) {
        conditions.push_back({r, s});
        continue;
      }
      p.expressions.push_back(sig.literal ? escape_literal(sig.pattern) : sig.pattern);
      p.flags.push_back(HS_FLAG_SINGLEMATCH | HS_FLAG_MULTILINE | (sig.caseless ? HS_FLAG_CASELESS : 0u));
      targets.push_back({r, s});
    }
  }
  return p;
}

// FNV-1a over the Vectorscan version and every expression with its flags: what a serialised database must match.
std::uint64_t fingerprint(const Patterns& p) {
  std::uint64_t h = 1469598103934665603ull;
  const auto mix = [&h](std::string_view bytes) {
    for (const unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;  // separator
  };
  mix(hs_version());
  for (std::size_t i = 0; i < p.expressions.size(); ++i) {
    mix(p.expressions[i]);
    mix(std::to_string(p.flags[i]));
  }
  return h;
}

hs_error_t compile_block(const Patterns& p, const std::vector<unsigned>& flags, hs_database** db,
                         hs_compile_error_t** err) {
  std::vector<const char*> ptrs;
  std::vector<unsigned> ids;
  for (std::size_t i = 0; i < p.expressions.size(); ++i) {
    ptrs.push_back(p.expressions[i].c_str());
    ids.push_back(static_cast<unsigned>(i));
  }
  return hs_compile_multi(ptrs.data(), flags.data(), ids.data(), static_cast<unsigned>(ptrs.size()), HS_MODE_BLOCK,
                          nullptr, db, err);
}

// The prebuilt layout: "SDKB1", fingerprint (8 bytes), then each database as a 4-byte length and its bytes.
constexpr std::string_view kMagic = "SDKB1";

// Reads the prebuilt blob through the one bounded cursor; nullopt when it is not for these patterns.
struct Prebuilt {
  std::span<const std::uint8_t> db, chunk_db;
};

std::optional<Prebuilt> parse_prebuilt(std::string_view blob, std::uint64_t expected) {
  Reader r = Reader::bounded(std::span(reinterpret_cast<const std::uint8_t*>(blob.data()), blob.size()));
  const auto magic = r.bytes(kMagic.size());
  const auto print = r.u64();
  if (!magic || !print || *print != expected ||
      std::string_view(reinterpret_cast<const char*>(magic->data()), magic->size()) != kMagic)
    return std::nullopt;
  auto db = r.prefixed(4);
  auto chunk = r.prefixed(4);
  if (!db || !chunk || r.expect_end("kb-database")) return std::nullopt;
  return Prebuilt{db->rest(), chunk->rest()};
}

hs_database* deserialize(std::span<const std::uint8_t> bytes) {
  hs_database* db = nullptr;
  if (hs_deserialize_database(reinterpret_cast<const char*>(bytes.data()), bytes.size(), &db) != HS_SUCCESS)
    return nullptr;
  return db;
}

// The build's serialised databases, when this program was linked with them.
std::string_view embedded_prebuilt() {
  if (!sd_kb_database) return {};
  const auto files = sd_kb_database();
  return files.empty() ? std::string_view() : files.front().content;
}

std::string serialized(const hs_database* db) {
  char* bytes = nullptr;
  std::size_t length = 0;
  if (!db || hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) return {};
  std::string out(bytes, length);
  std::free(bytes);
  return out;
}

}  // namespace

Matcher::~Matcher() {
  hs_free_database(db_);
  hs_free_database(chunk_db_);
}

std::unique_ptr<Matcher> Matcher::compile(Kb kb, std::vector<KbError>& errors, std::string_view prebuilt) {
  std::unique_ptr<Matcher> m(new Matcher());
  m->kb_ = std::move(kb);
  const Patterns p = patterns_of(m->kb_, m->targets_, m->condition_only_);
  m->fingerprint_ = fingerprint(p);
  if (p.expressions.empty()) return m;
  if (prebuilt.empty()) prebuilt = embedded_prebuilt();
  if (const auto pre = parse_prebuilt(prebuilt, m->fingerprint_)) {
    m->db_ = deserialize(pre->db);
    m->chunk_db_ = deserialize(pre->chunk_db);
    if (m->db_ && m->chunk_db_) {
      m->prebuilt_ = true;
      return m;
    }
    hs_free_database(m->db_);
    hs_free_database(m->chunk_db_);
    m->db_ = m->chunk_db_ = nullptr;
  }
  hs_compile_error_t* err = nullptr;
  auto rc = compile_block(p, p.flags, &m->db_, &err);
  if (rc == HS_SUCCESS) {
    std::vector<unsigned> every_match(p.flags);
    for (auto& f : every_match) f &= ~static_cast<unsigned>(HS_FLAG_SINGLEMATCH);
    rc = compile_block(p, every_match, &m->chunk_db_, &err);
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

std::string Matcher::serialize() const {
  const std::string db = serialized(db_);
  const std::string chunk = serialized(chunk_db_);
  if (db.empty() || chunk.empty()) return {};
  Writer w;
  w.text(kMagic);
  w.u64(fingerprint_);
  w.u32(static_cast<std::uint32_t>(db.size()));
  w.text(db);
  w.u32(static_cast<std::uint32_t>(chunk.size()));
  w.text(chunk);
  return std::string(w.data().begin(), w.data().end());
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

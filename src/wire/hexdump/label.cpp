#include "wire/hexdump/label.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace sd::hexdump::detail {
namespace {

constexpr std::size_t kMaxLabel = 200;

/// A word that must stand at a given position (0-based, blank-separated) of a header line.
struct WordAt {
  std::size_t position;
  std::string_view word;
};

/// The shape of one kind of trace record header, with where it comes from.
struct HeaderShape {
  std::array<WordAt, 2> words;
  std::string_view source;
};

constexpr std::array<HeaderShape, 3> kTraceHeaders{{
    {{{{0, "Job"}, {2, "Process"}}}, "z/OS System SSL trace (gsktrace output): Job <job> Process <id> Thread <id> <routine>"},
    {{{{1, "MESSAGE"}, {1, "MESSAGE"}}}, "z/OS System SSL trace (gsktrace output): <system> MESSAGE <level> <time> <kind>"},
    {{{{1, "DUMP"}, {1, "DUMP"}}}, "z/OS System SSL trace (gsktrace output): <system> DUMP <level> <time> <kind>"},
}};

/// Routine-name fragments in a trace header, and the direction of the bytes they handle.
struct RoutineDirection {
  std::string_view fragment;
  std::string_view direction;
};

constexpr std::array<RoutineDirection, 5> kRoutineDirections{{
    {"send", "sent"}, {"write", "sent"}, {"read", "received"}, {"recv", "received"}, {"receive", "received"},
}};

/// Phrases that name the direction of the dump below them, and where they come from.
struct DirectionPhrase {
  std::string_view phrase;
  std::string_view direction;
  std::string_view source;
};

constexpr std::array<DirectionPhrase, 6> kDirectionPhrases{{
    {"write to 0x", "sent", "OpenSSL BIO debug callback (s_client -debug): \"write to 0x… [0x…] (N bytes => …)\""},
    {"read from 0x", "received", "OpenSSL BIO debug callback (s_client -debug): \"read from 0x… [0x…] (N bytes => …)\""},
    {"Raw write", "sent", "Java JSSE debug (javax.net.debug): \"[Raw write]: length = N\" (JDK 8), \"Raw write (\" (JDK 11+)"},
    {"Raw read", "received", "Java JSSE debug (javax.net.debug): \"[Raw read]: length = N\", \"Raw read (\""},
    {"Plaintext before ENCRYPTION", "sent", "Java JSSE debug, JDK 11+: record content before it is protected"},
    {"Plaintext after DECRYPTION", "received", "Java JSSE debug, JDK 11+: record content after it is unprotected"},
}};

/// The direction a System SSL trace header's routine name implies, or "".
std::string_view routine_direction(std::string_view routine) {
  for (const auto& r : kRoutineDirections) {
    if (routine.find(r.fragment) != std::string_view::npos) return r.direction;
  }
  return {};
}

/// The blank-separated word at a position, or nullopt.
std::optional<std::string_view> word_at(std::string_view line, std::size_t position) {
  std::size_t at = 0;
  for (std::size_t i = 0;; ++i) {
    at = line.find_first_not_of(" \t", at);
    if (at == std::string_view::npos) return std::nullopt;
    const std::size_t end = std::min(line.find_first_of(" \t", at), line.size());
    if (i == position) return line.substr(at, end - at);
    at = end;
  }
}

bool has_letter(std::string_view line) {
  return std::any_of(line.begin(), line.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

std::string clipped(std::string_view line) { return std::string(line.substr(0, kMaxLabel)); }

}  // namespace

bool is_trace_header(std::string_view line) {
  return std::any_of(kTraceHeaders.begin(), kTraceHeaders.end(), [&](const HeaderShape& shape) {
    return std::all_of(shape.words.begin(), shape.words.end(),
                       [&](const WordAt& w) { return word_at(line, w.position) == w.word; });
  });
}

std::string pick_label(std::span<const ContextLine> above) {
  std::optional<std::string_view> fallback;
  for (auto it = above.rbegin(); it != above.rend(); ++it) {
    if (!has_letter(it->text)) continue;
    if (!is_trace_header(it->text)) return clipped(it->text);
    if (!fallback) fallback = it->text;
  }
  return fallback ? clipped(*fallback) : std::string{};
}

std::string_view direction_hint(std::span<const ContextLine> above) {
  for (auto it = above.rbegin(); it != above.rend(); ++it) {
    for (const auto& p : kDirectionPhrases) {
      if (it->text.find(p.phrase) != std::string_view::npos) return p.direction;
    }
    if (word_at(it->text, 0) == "Job" && is_trace_header(it->text)) {
      return routine_direction(word_at(it->text, 6).value_or(""));
    }
  }
  return {};
}

}  // namespace sd::hexdump::detail

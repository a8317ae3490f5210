// Log formats and reading: each format recognises its own lines; the reader streams text into Events.
#pragma once

#include <cstddef>
#include <functional>
#include <istream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "logs/event.h"
#include "logs/line.h"

namespace sd::logs {

/// One log format: how to recognise its lines and, for multi-line records, how to extend them.
struct Format {
  std::string_view name;     ///< stable name, as in Event::format and --log-format
  std::string_view summary;  ///< one line for --help and the "recognised" section
  /// Recognises one line; fills ev's format/side/type/attrs and returns true when the line is this format's.
  bool (*classify)(const Line& line, Event& ev) = nullptr;
  /// True when raw continues the open multi-line event (nullptr: events are single lines).
  bool (*continues)(const Event& open, std::string_view raw) = nullptr;
  /// Fills attributes once a multi-line event is complete (nullptr: nothing to do).
  void (*finish)(Event& ev) = nullptr;
};

/// Every format, most specific first; "syslog" and "plain" come last.
std::span<const Format> formats();
/// The format with this name, or nullptr.
const Format* find_format(std::string_view name);
/// Comma-separated names of every format, for messages.
std::string format_names();

/// The format most of these lines belong to ("plain" when none stands out).
std::string detect_format(std::span<const std::string> lines);

/// Reports where rule patterns end in a chunk of whole lines (byte offsets into chunk, ascending).
using Prefilter = std::function<void(std::string_view chunk, std::vector<std::size_t>& match_ends)>;

/// How to read one input.
struct ReadOptions {
  std::string forced_format;           ///< empty: recognise each line; else every line is read as this format
  std::size_t max_line = 64 * 1024;    ///< longer lines are cut to this length
  std::size_t max_block_lines = 512;   ///< a multi-line record is closed after this many lines
  bool decode_dumps = true;            ///< decode hex dumps of trace records into Event::decoded
  /// Fast lane for large inputs: when set, only the first lines (for detection) and the lines holding a match end
  /// are turned into events; every other line is only counted (ReadStats::skipped).
  Prefilter prefilter;
};

/// What one read did.
struct ReadStats {
  std::size_t lines = 0;    ///< lines read
  std::size_t skipped = 0;  ///< lines counted but not turned into events (fast lane)
};

/// Receives each event; the reference is valid only during the call.
using EventSink = std::function<void(const Event&)>;

/// Streams one input line by line (bounded memory) and hands every event to sink.
ReadStats read_events(std::istream& in, const std::string& file, const ReadOptions& options, const EventSink& sink);
/// Convenience for tests and small inputs: every event of a text.
std::vector<Event> read_text(std::string_view text, const std::string& file, const ReadOptions& options = {});

}  // namespace sd::logs

// Configuration text: bounded reading of a config file and splitting it into lines that keep file:line.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sd::audit {

/// Largest configuration file read (4 MiB, far above any real one); a bigger file is refused with an error naming
/// the file and the cap, by its size before any byte is read, or (a pipe or device) after reading one byte past it.
inline constexpr std::size_t kMaxConfigBytes = 4u << 20;

/// Why a configuration could not be read, at file:line (line 0: the file as a whole).
struct ConfigError {
  std::string file;
  std::size_t line = 0;
  std::string message;

  /// "file:line: message" (or "file: message" for line 0).
  std::string text() const;
};

/// One meaningful line: its key and value as written, with where it came from.
struct ConfigLine {
  std::string file;
  std::size_t line = 0;   ///< 1-based
  std::string key;        ///< as written (case kept)
  std::string value;      ///< rest of the line, trimmed
  std::string text;       ///< the whole line, trimmed
};

/// How keys and values are separated in a format.
enum class Separator { equals, whitespace };

/// A file's text, or why it could not be read (missing, unreadable, a directory, over kMaxConfigBytes).
struct FileText {
  std::string text;
  std::optional<ConfigError> error;
  std::size_t bytes_read = 0;  ///< bytes taken from the file: never more than kMaxConfigBytes + 1
};

/// Reads path in chunks, at most kMaxConfigBytes + 1 bytes (one more than the cap, to detect a larger stream).
FileText read_config_file(const std::string& path);

/// Lines of a config text, comments (#) and blanks dropped; an error for binary data (NUL or other control bytes).
struct SplitLines {
  std::vector<ConfigLine> lines;
  std::optional<ConfigError> error;
};

/// The error for a line holding binary data (NUL or another control byte), naming the first such byte; else nullopt.
std::optional<ConfigError> binary_line_error(std::string_view file, std::size_t number, std::string_view raw);

/// Splits text (named file in errors and evidence) into key/value lines.
SplitLines split_config(std::string_view file, std::string_view text, Separator sep);

/// Splits text like split_config and hands each line to `on_line` until it returns false; the split's error, if any
/// (then no line is handed over).
std::optional<ConfigError> each_config_line(std::string_view file, std::string_view text, Separator sep,
                                            const std::function<bool(const ConfigLine&)>& on_line);

/// Lower-case ASCII copy.
std::string lower(std::string_view s);
/// s without leading/trailing spaces, tabs and CR.
std::string_view trim(std::string_view s);

}  // namespace sd::audit

// Findings: what shakedown concluded, with the proof and the fix. Shared by explain, probe and audit.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sd {

enum class Severity { info, low, medium, high, critical };

/// Stable lower-case name of a severity ("info" … "critical").
std::string_view to_string(Severity s);
/// Parses a severity name; nullopt when unknown.
std::optional<Severity> severity_from(std::string_view name);

/// A piece of proof: a log line (file:line and the text) or a span of bytes.
struct Evidence {
  std::string file;          ///< input file name as given, or "-" for stdin
  std::size_t line = 0;      ///< 1-based; 0 when the evidence is bytes without a line
  std::string text;          ///< the line itself, or a description of the bytes
  std::string bytes_hex;     ///< the raw bytes at fault, when there are some
  std::optional<std::size_t> byte_offset;
  std::string side;          ///< "client", "server" or "" when unknown
};

/// Where a fact is documented.
struct Reference {
  std::string id;     ///< e.g. "RFC 8446", "APAR PH00771", "IBM technote 1074720"
  std::string url;
  std::string title;
};

/// A change to make on one side, with a concrete snippet where there is one.
struct Fix {
  std::string side;      ///< "client" or "server"
  std::string summary;   ///< one sentence
  std::string snippet;   ///< config lines or commands, may span lines
  std::string risk;      ///< what the change costs in security, if anything
};

/// One conclusion.
struct Finding {
  std::string id;                    ///< stable id, e.g. "ftps.vsftpd-require-ssl-reuse"
  std::string title;
  Severity severity = Severity::medium;
  double confidence = 1.0;           ///< 0..1; how sure the match is
  std::string cause;                 ///< plain words
  std::string change_side;           ///< "client", "server" or "either"
  std::vector<Fix> fixes;
  std::vector<Evidence> evidence;
  std::vector<Reference> references;
};

}  // namespace sd

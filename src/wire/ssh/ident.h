// The SSH identification line (RFC 4253 §4.2) and the lines a server may send before it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace sd::ssh {

/// A line a server sent before its identification line (allowed to servers by RFC 4253 §4.2).
struct PreBannerLine {
  std::string text;         ///< without the line terminator
  std::size_t offset = 0;
  std::size_t length = 0;   ///< terminator included
};

/// A parsed identification line: SSH-protoversion-softwareversion SP comments CR LF.
struct Identification {
  std::vector<PreBannerLine> pre_banner;
  std::string line;              ///< the whole line without its terminator
  std::string proto_version;     ///< "2.0", "1.99" or whatever the peer sent
  std::string software_version;  ///< e.g. "OpenSSH_9.2p1"
  std::string comments;          ///< e.g. "Debian-2+deb12u3"; empty when absent
  std::size_t offset = 0;        ///< absolute offset of "SSH-"
  std::size_t length = 0;        ///< the line's bytes, terminator included
  std::size_t consumed = 0;      ///< bytes from the start of the input to the end of the line
  bool crlf = true;              ///< false when the line ended in a bare LF
  std::vector<std::string> deviations;  ///< RFC rules the line breaks that peers still tolerate
};

/// Bounds on what the parser waits for; past them the input is malformed, not "need more".
struct IdentLimits {
  std::size_t max_line = 8192;            ///< longest line waited for (OpenSSH's own cap)
  std::size_t max_pre_banner_lines = 1024;  ///< OpenSSH gives up after this many
};

/// The longest identification line RFC 4253 §4.2 allows, CR LF included.
inline constexpr std::size_t kMaxIdentificationLength = 255;

/// Parses pre-banner lines and the identification line from the start of a stream.
/// Returns need_more while the line is incomplete, malformed past the limits or on a broken line.
Result<Identification> parse_identification(Bytes data, std::size_t base = 0, const IdentLimits& limits = {});

}  // namespace sd::ssh
